// cdktf's `declare global { namespace jest { interface Matchers } }` typings, for tsc only: a
// type import loads nothing at run time. The matchers themselves (toHaveResource, ...) are
// installed by the test files that use them (`Testing.setupJest()`): loading cdktf in every
// test file, most of which never touch it, cost about 0.35 s of CPU each.
import type {} from 'cdktf/lib/testing/adapters/jest';
