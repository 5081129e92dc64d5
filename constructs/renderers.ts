import type { Network } from './network';
import type { CloudRenderer } from './renderer';

/**
 * Pick the renderer for the network's cloud. Each is loaded on first use: an AWS-only app never
 * pays for loading the Google provider classes (and the other way round) on every synth.
 */
export function createRenderer(network: Network, addProvider: boolean): CloudRenderer {
  if (network.cloud === 'aws') {
    const { AwsRenderer } = require('./aws/renderer') as typeof import('./aws/renderer');
    return new AwsRenderer(network, addProvider);
  }
  const { GoogleRenderer } = require('./google/renderer') as typeof import('./google/renderer');
  return new GoogleRenderer(network, addProvider);
}
