import { Port } from '../src/model/port';
import { IPeer } from './peer';
import { Path, PathProps } from './path';
import type { Service } from './service';

/**
 * The aws-cdk-lib `Connections` idiom over Butter Paths: `web.connections.allowFrom(lb, 80)`.
 * Only ingress exists, because a Path always names its destination service.
 */
export class Connections {
  constructor(private readonly service: Service) {}

  /** Allow `source` to reach this service on `port`. Returns the Path. */
  public allowFrom(source: IPeer | string, port: number | Port, props?: PathProps): Path {
    return new Path(source, this.service, port, props);
  }

  /** Allow the whole internet on `port` (only effective for services with public IPs). */
  public allowFromAnyIpv4(port: number | Port, props?: PathProps): Path {
    return new Path('0.0.0.0/0', this.service, port, props);
  }

  /** Allow this service to reach `destination` on `port`. Returns the Path. */
  public allowTo(destination: Service, port: number | Port, props?: PathProps): Path {
    return new Path(this.service, destination, port, props);
  }
}
