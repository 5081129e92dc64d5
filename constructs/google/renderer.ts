import type { Network } from '../network';
import type { Service } from '../service';
import type { Path } from '../path';
import type { CloudRenderer, RenderedBalancer, RenderedService } from '../renderer';
import type { LoadBalancer } from '../load-balancer';
import type { IPeer } from '../peer';
import { GoogleNetworkResources } from './network';
import { GoogleServiceResources } from './service';
import { renderGooglePath } from './path';
import type { GoogleBalancerResources } from './load-balancer';

/** Renders a Network's services and paths as Google Cloud resources. */
export class GoogleRenderer implements CloudRenderer {
  /** The network-level resources (network, deny-all rule, zones, Cloud NAT, proxy-only subnet). */
  public readonly network: GoogleNetworkResources;
  private readonly services = new Map<Service, GoogleServiceResources>();
  private readonly balancers = new Map<IPeer, GoogleBalancerResources>();

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
    if (path.source.peerKind === 'balancer') {
      const balancer = this.balancers.get(path.source)!;
      // The balancer's health probes come from Google's probers, which the service's health-check
      // rule already admits on the health port: a Path for the health port alone adds nothing.
      const health = destination.healthCheck?.plan;
      const probesOnly = health !== undefined && path.port.protocol === 'tcp' && path.port.from === health.port && path.port.to === health.port
        && !balancer.balancer.plan.listeners.some((l) => l.protocol !== 'udp' && l.targetPort === health.port);
      if (!probesOnly) renderGooglePath(path, this.network, { ranges: balancer.sourceRanges }, destination);
      return;
    }
    const source = this.services.get(path.source as Service);
    renderGooglePath(path, this.network, source ? { tag: source.tag } : undefined, destination);
  }

  /** The Google resources of one service (for users who need to extend them). */
  public resourcesOf(service: Service): GoogleServiceResources | undefined {
    return this.services.get(service);
  }

  /** The Google resources of one load balancer (for users who need to extend them). */
  public balancerResourcesOf(balancer: LoadBalancer): GoogleBalancerResources | undefined {
    return this.balancers.get(balancer);
  }

  public renderBalancer(balancer: LoadBalancer): RenderedBalancer {
    // Loaded by the first balancer (as on AWS): most stacks have none.
    const { GoogleBalancerResources } = require('./load-balancer') as typeof import('./load-balancer');
    const rendered = new GoogleBalancerResources(balancer, this.network, this.services.get(balancer.service)!);
    this.balancers.set(balancer, rendered);
    return rendered;
  }
}
