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
