import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { Network } from '../../constructs';
import { butterErrorOf } from '../helpers/errors';

/**
 * A second copy of cdktf or constructs in the user's tree. jest.isolateModules loads the
 * packages again from scratch: objects made there are from a different copy, exactly as with a
 * nested node_modules.
 */
describe('one copy of cdktf and constructs', () => {
  function fromSecondCopy<T>(make: (cdktf: typeof import('cdktf'), constructs: typeof import('constructs')) => T): T {
    let made: T | undefined;
    jest.isolateModules(() => {
      made = make(require('cdktf') as typeof import('cdktf'), require('constructs') as typeof import('constructs'));
    });
    return made!;
  }

  test('a stack from a second copy of cdktf (and its constructs) is DUPLICATE_PACKAGE naming constructs, not a crash', () => {
    const stack = fromSecondCopy((cdktf) => new cdktf.TerraformStack(cdktf.Testing.app(), 'other'));
    expect(stack).not.toBeInstanceOf(Construct);
    const e = butterErrorOf(() => new Network(stack as any, 'dev', { cloud: 'aws', region: 'us-east-1', addressLedger: false }));
    expect(e.code).toBe('DUPLICATE_PACKAGE');
    expect(e.problem).toMatch(/^Network dev was given a scope made with a different copy of constructs than butter-cdktf uses \(constructs \d+\.\d+\.\d+ at .*node_modules\/constructs\)/);
    expect(e.constructPath).toBe('other');
    expect(e.hint).toMatch(/npm ls constructs/);
  });

  test('a stack from a second copy of cdktf sharing our constructs is DUPLICATE_PACKAGE naming cdktf', () => {
    // What another cdktf's TerraformStack is when both copies use this constructs: a Construct
    // of ours carrying cdktf's shared stack brand, but not an instance of our TerraformStack.
    class OtherCdktfStack extends Construct {
      constructor() {
        super(Testing.app(), 'other');
        Object.defineProperty(this, Symbol.for('cdktf/TerraformStack'), { value: true });
      }
    }
    const stack = new OtherCdktfStack();
    expect(TerraformStack.isStack(stack)).toBe(true);
    expect(stack).not.toBeInstanceOf(TerraformStack);
    const e = butterErrorOf(() => new Network(stack as any, 'dev', { cloud: 'aws', region: 'us-east-1', addressLedger: false }));
    expect(e.code).toBe('DUPLICATE_PACKAGE');
    expect(e.problem).toMatch(/different copy of cdktf than butter-cdktf uses \(cdktf 0\.21\.0 at /);
    expect(e.hint).toMatch(/npm ls cdktf/);
  });

  test('one copy: no error, the network is made', () => {
    const stack = new TerraformStack(Testing.app(), 'mine');
    expect(new Network(stack, 'dev', { cloud: 'aws', region: 'us-east-1', addressLedger: false }).node.path).toBe('mine/dev');
  });
});
