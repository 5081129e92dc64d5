import { Testing } from 'cdktf';
// Brings cdktf's `declare global { namespace jest { interface Matchers } }` typings into scope.
import 'cdktf/lib/testing/adapters/jest';

// cdktf's own matchers (toHaveResource, toHaveResourceWithProperties, ...) for every test file.
Testing.setupJest();
