import type { Service } from './service';
import type { Path } from './path';

/**
 * What a cloud must provide to Butter's cloud-agnostic constructs. One implementation per
 * folder (constructs/aws, constructs/google); nothing outside those folders imports a provider.
 */
export interface CloudRenderer {
  /** Emit the service's subnets, firewall identity, instance template and instance group. */
  renderService(service: Service): RenderedService;
  /** Emit the ingress rules that allow one Path. */
  renderPath(path: Path): void;
}

/** Deploy-time facts about a rendered service, as cdktf tokens. */
export interface RenderedService {
  readonly privateIps: string[];
  readonly publicIps: string[];
  readonly instanceIds: string[];
}
