import type { Service } from './service';
import type { Path } from './path';
import type { LoadBalancer } from './load-balancer';

/**
 * What a cloud must provide to Butter's cloud-agnostic constructs. One implementation per
 * folder (constructs/aws, constructs/google); nothing outside those folders imports a provider.
 */
export interface CloudRenderer {
  /** Emit the service's subnets, firewall identity, instance template and instance group. */
  renderService(service: Service): RenderedService;
  /** Emit the ingress rules that allow one Path (its source may be a service, a CIDR block or a balancer). */
  renderPath(path: Path): void;
  /**
   * Emit a service's load balancer: its subnets or proxy-only subnet, listeners/forwarding rules,
   * target group/backend service, health check and the sources it admits; and attach the
   * service's group to it (health from the balancer, autohealing).
   */
  renderBalancer(balancer: LoadBalancer): RenderedBalancer;
}

/** Facts about a rendered balancer. */
export interface RenderedBalancer {
  /** AWS: the DNS name; Google: the forwarding rule's IP address (tokens, known after deploy). */
  readonly dnsName: string;
}

/**
 * Facts about a rendered service's instances: cdktf tokens when only the cloud knows them (AWS),
 * plain values when Butter decides them at synth time (Google's pinned private IPs and names).
 */
export interface RenderedService {
  readonly privateIps: string[];
  readonly publicIps: string[];
  /** AWS instance ids; Google instance names (how Google's API addresses instances). */
  readonly instanceIds: string[];
}
