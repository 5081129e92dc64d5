// cdktf's `declare global { namespace jest { interface Matchers } }` typings, for tsc only: a
// type import loads nothing at run time. The matchers themselves (toHaveResource, ...) are
// installed by the test files that use them (`Testing.setupJest()`): loading cdktf in every
// test file, most of which never touch it, cost about 0.35 s of CPU each.
import type {} from 'cdktf/lib/testing/adapters/jest';

// cdktf records a full stack trace for every token it creates (each resource reference), for
// the message of a token that later fails to resolve. Under jest every trace is source-mapped
// frame by frame (jest maps stack traces to the test sources): about a tenth of the CPU of the
// synthesis tests. Tests do not read those traces, so token creation skips them. It is the only
// module patched: what a resolution error says, and everything Butter itself does, is unchanged.
// eslint-disable-next-line @typescript-eslint/no-require-imports
(require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: () => string[] }).captureStackTrace = () => [];
