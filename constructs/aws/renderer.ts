import type { Network } from '../network';
import type { Service } from '../service';
import type { Path } from '../path';
import type { CloudRenderer, RenderedBalancer, RenderedService } from '../renderer';
import type { LoadBalancer } from '../load-balancer';
import { AwsNetworkResources } from './network';
import { AwsServiceResources } from './service';
import type { AwsBalancerResources } from './load-balancer';
import { renderAwsPath } from './path';

/**
 * Balancer rendering, loaded by the first balancer: its provider classes (lb, listener, target
 * group) are a few percent of a cold start that most stacks, without a balancer, never use.
 */
function balancerRendering(): typeof import('./load-balancer') {
  return require('./load-balancer') as typeof import('./load-balancer');
}

/** Renders a Network's services, balancers and paths as AWS resources. */
export class AwsRenderer implements CloudRenderer {
  /** The network-level resources (VPC, gateways, route tables). */
  public readonly network: AwsNetworkResources;
  private readonly services = new Map<Service, AwsServiceResources>();
  private readonly balancers = new Map<LoadBalancer, AwsBalancerResources>();

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
    // A balancer's Paths come after it is rendered (LoadBalancer's constructor): its security
    // group is the source, and it gets the matching egress rule.
    if (path.source.peerKind === 'balancer') {
      const balancer = this.balancers.get(path.source as LoadBalancer)!;
      renderAwsPath(path, this.network, balancer, destination);
      balancerRendering().renderAwsBalancerEgress(path, this.network, balancer, destination);
      return;
    }
    const source = this.services.get(path.source as Service);
    renderAwsPath(path, this.network, source, destination);
  }

  public renderBalancer(balancer: LoadBalancer): RenderedBalancer {
    const rendered = new (balancerRendering().AwsBalancerResources)(balancer, this.network, this.services.get(balancer.service)!);
    this.balancers.set(balancer, rendered);
    return rendered;
  }

  /** The AWS resources of one service (for users who need to extend them). */
  public resourcesOf(service: Service): AwsServiceResources | undefined {
    return this.services.get(service);
  }

  /** The AWS resources of one balancer (for users who need to extend them). */
  public resourcesOfBalancer(balancer: LoadBalancer): AwsBalancerResources | undefined {
    return this.balancers.get(balancer);
  }
}
