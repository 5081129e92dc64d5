
/**
 * The provider bindings are optional peers: a network on a cloud whose package is not installed
 * is a ButterError naming the package. The missing package is simulated by making its renderer's
 * require fail as Node's does when `@cdktf/provider-google` is absent.
 */
describe('a cloud whose provider bindings are not installed', () => {
  afterEach(() => {
    jest.dontMock('../../constructs/aws/renderer');
    jest.dontMock('../../constructs/google/renderer');
    jest.resetModules();
  });

  /** The error `make` throws (from a fresh module registry: its ButterError class is not ours). */
  function errorOf(make: () => unknown): { code?: string; problem?: string; hint?: string; constructPath?: string; name?: string } {
    try {
      make();
    } catch (e) {
      return e as object;
    }
    throw new Error('expected an error');
  }

  function networkWithout(cloud: 'aws' | 'google', missing: string): () => unknown {
    jest.resetModules();
    jest.doMock(`../../constructs/${cloud}/renderer`, () => {
      const e = new Error(`Cannot find module '${missing}/lib/provider'\nRequire stack:\n- /app/node_modules/butter-cdktf/dist/constructs/${cloud}/renderer.js`);
      (e as NodeJS.ErrnoException).code = 'MODULE_NOT_FOUND';
      throw e;
    });
    const { Network } = require('../../constructs') as typeof import('../../constructs');
    const cdktf = require('cdktf') as typeof import('cdktf');
    const stack = new cdktf.TerraformStack(cdktf.Testing.app(), 's');
    return () => new Network(stack, 'net', { cloud, region: cloud === 'aws' ? 'us-east-1' : 'us-central1', project: 'my-project', addressLedger: false });
  }

  test.each([['google', '@cdktf/provider-google'], ['aws', '@cdktf/provider-aws']] as const)('cloud %s without %s', (cloud, pkg) => {
    const e = errorOf(networkWithout(cloud, pkg));
    expect(e.name).toBe('ButterError');
    expect(e.code).toBe('PROVIDER_PACKAGE_MISSING');
    expect(e.problem).toBe(`cloud '${cloud}' needs the ${pkg} package, which is not installed`);
    expect(e.hint).toBe(`npm install ${pkg} (a peer dependency of butter-cdktf, needed only for ${cloud} networks)`);
    expect(e.constructPath).toBe('s/net');
  });

  test('a missing dependency of the bindings themselves is not reported as the bindings missing', () => {
    const make = networkWithout('google', 'some-other-package');
    expect(make).toThrow(/Cannot find module 'some-other-package\/lib\/provider'/);
    expect(make).not.toThrow(expect.objectContaining({ code: 'PROVIDER_PACKAGE_MISSING' }));
  });

  test('installed bindings: the network renders', () => {
    const { Network } = require('../../constructs') as typeof import('../../constructs');
    const { TerraformStack, Testing } = require('cdktf') as typeof import('cdktf');
    const stack = new TerraformStack(Testing.app(), 's');
    expect(new Network(stack, 'net', { cloud: 'google', region: 'us-central1', project: 'my-project', addressLedger: false }).cloud).toBe('google');
  });
});
