import { ButterError } from '../src/errors';
import type { Network } from './network';
import type { CloudRenderer } from './renderer';

/** The provider bindings each cloud's renderer imports: optional peer dependencies of Butter. */
export const PROVIDER_PACKAGES = { aws: '@cdktf/provider-aws', google: '@cdktf/provider-google' } as const;

/**
 * Pick the renderer for the network's cloud. Each is loaded on first use: an AWS-only app never
 * pays for loading the Google provider classes (and the other way round) on every synth, and
 * needs no Google bindings installed at all.
 */
export function createRenderer(network: Network, addProvider: boolean): CloudRenderer {
  if (network.cloud === 'aws') {
    const { AwsRenderer } = loadRenderer(network, () => require('./aws/renderer') as typeof import('./aws/renderer'));
    return new AwsRenderer(network, addProvider);
  }
  const { GoogleRenderer } = loadRenderer(network, () => require('./google/renderer') as typeof import('./google/renderer'));
  return new GoogleRenderer(network, addProvider);
}

/** Require a renderer; its cloud's provider bindings missing is the user's to fix, not a crash. */
function loadRenderer<T>(network: Network, load: () => T): T {
  try {
    return load();
  } catch (e) {
    const pkg = PROVIDER_PACKAGES[network.cloud];
    if (isMissing(e, pkg)) {
      throw new ButterError('PROVIDER_PACKAGE_MISSING', `cloud '${network.cloud}' needs the ${pkg} package, which is not installed`, {
        constructPath: network.node.path,
        key: 'cloud',
        hint: `npm install ${pkg} (a peer dependency of butter-cdktf, needed only for ${network.cloud} networks)`,
      });
    }
    throw e;
  }
}

/** A "Cannot find module" for `pkg` itself or a file in it (not one of its own dependencies). */
export function isMissing(e: unknown, pkg: string): boolean {
  const err = e as NodeJS.ErrnoException | undefined;
  return err?.code === 'MODULE_NOT_FOUND' && typeof err.message === 'string' && err.message.includes(`'${pkg}/`);
}
