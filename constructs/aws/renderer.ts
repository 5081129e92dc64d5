import type { Network } from '../network';
import type { Service } from '../service';
import type { Path } from '../path';
import type { CloudRenderer, RenderedBalancer, RenderedService } from '../renderer';
import type { LoadBalancer } from '../load-balancer';
import { ButterError } from '../../src/errors';
import { AwsNetworkResources } from './network';
import { AwsServiceResources } from './service';
import { renderAwsPath } from './path';

/** Renders a Network's services and paths as AWS resources. */
export class AwsRenderer implements CloudRenderer {
  /** The network-level resources (VPC, gateways, route tables). */
  public readonly network: AwsNetworkResources;
  private readonly services = new Map<Service, AwsServiceResources>();

  constructor(network: Network, addProvider: boolean) {
    this.network = new AwsNetworkResources(network, addProvider);
  }

  public renderService(service: Service): RenderedService {
    const rendered = new AwsServiceResources(service, this.network);
    this.services.set(service, rendered);
    return rendered;
  }

  public renderPath(path: Path): void {
    const destination = this.services.get(path.destination)!;
    const source = this.services.get(path.source as Service);
    renderAwsPath(path, this.network, source, destination);
  }

  /** The AWS resources of one service (for users who need to extend them). */
  public resourcesOf(service: Service): AwsServiceResources | undefined {
    return this.services.get(service);
  }

  public renderBalancer(balancer: LoadBalancer): RenderedBalancer {
    // Being written (issue 19): until then a balancer is refused rather than half-rendered.
    throw new ButterError('LOAD_BALANCER_UNSUPPORTED', `load balancers are not rendered for ${balancer.service.network.cloud} yet`, { constructPath: balancer.node.path });
  }
}
