import type { Network } from '../network';
import type { Service } from '../service';
import type { Path } from '../path';
import type { CloudRenderer, RenderedBalancer, RenderedService } from '../renderer';
import type { LoadBalancer } from '../load-balancer';
import { ButterError } from '../../src/errors';
import { GoogleNetworkResources } from './network';
import { GoogleServiceResources } from './service';
import { renderGooglePath } from './path';

/** Renders a Network's services and paths as Google Cloud resources. */
export class GoogleRenderer implements CloudRenderer {
  /** The network-level resources (network, deny-all rule, zones, Cloud NAT). */
  public readonly network: GoogleNetworkResources;
  private readonly services = new Map<Service, GoogleServiceResources>();

  constructor(network: Network, addProvider: boolean) {
    this.network = new GoogleNetworkResources(network, addProvider);
  }

  public renderService(service: Service): RenderedService {
    const rendered = new GoogleServiceResources(service, this.network);
    this.services.set(service, rendered);
    return rendered;
  }

  public renderPath(path: Path): void {
    const destination = this.services.get(path.destination)!;
    const source = this.services.get(path.source as Service);
    renderGooglePath(path, this.network, source, destination);
  }

  /** The Google resources of one service (for users who need to extend them). */
  public resourcesOf(service: Service): GoogleServiceResources | undefined {
    return this.services.get(service);
  }

  public renderBalancer(balancer: LoadBalancer): RenderedBalancer {
    // Being written (issue 19): until then a balancer is refused rather than half-rendered.
    throw new ButterError('LOAD_BALANCER_UNSUPPORTED', `load balancers are not rendered for ${balancer.service.network.cloud} yet`, { constructPath: balancer.node.path });
  }
}
