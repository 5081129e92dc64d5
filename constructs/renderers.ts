import type { Network } from './network';
import type { CloudRenderer } from './renderer';
import { AwsRenderer } from './aws/renderer';
import { GoogleRenderer } from './google/renderer';

/** Pick the renderer for the network's cloud. */
export function createRenderer(network: Network, addProvider: boolean): CloudRenderer {
  return network.cloud === 'aws' ? new AwsRenderer(network, addProvider) : new GoogleRenderer(network, addProvider);
}
