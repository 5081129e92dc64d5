import { ButterError } from '../../src/errors';
import type { Network } from '../network';
import type { CloudRenderer, RenderedService } from '../renderer';

/** Google Cloud rendering (issue 3). Until then a Google network is a clear error, not a half stack. */
export class GoogleRenderer implements CloudRenderer {
  constructor(network: Network, _addProvider: boolean) {
    throw new ButterError('CLOUD_NOT_IMPLEMENTED', 'Google Cloud networks are not implemented yet', {
      constructPath: network.node.path,
      hint: 'use cloud: "aws" for now',
    });
  }

  public renderService(): RenderedService {
    throw new Error('unreachable');
  }

  public renderPath(): void {
    throw new Error('unreachable');
  }
}
