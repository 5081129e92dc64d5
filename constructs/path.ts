import { Annotations } from 'cdktf';
import { Construct } from 'constructs';
import { ADMIN_PORTS, isPublicCidr } from '../src/checks/rules/common';
import { Checks } from './checks';
import { ButterError } from '../src/errors';
import { hasPublicAddress, rangeOf } from '../src/reachability/addresses';
import { Port } from '../src/model/port';
import { IPeer, asPeer, CidrBlock } from './peer';
import { Service } from './service';

/** Optional properties of a {@link Path}. */
export interface PathProps {
  /**
   * Why this traffic is allowed; becomes the rule's description in the cloud.
   * @default - "<source> to <destination> on <port>"
   */
  readonly description?: string;

  /**
   * Why admitting the internet to an admin port (SSH 22, RDP 3389, or every port) is
   * intended. Without it such a Path gets a warning at synth and `butter check` reports it as
   * an error (BUTTER-NET-001); with it the warning goes and the finding is reported as
   * suppressed, with this reason.
   * @default - not acknowledged
   */
  readonly acknowledgeAdminPortExposure?: string;
}

/**
 * Allowed traffic from a service or CIDR block to a service, on a port (or range) and protocol.
 *
 * A Path is the only thing that opens anything: each becomes ingress rules on the destination
 * (AWS security-group rules, Google firewall rules). The construct lives under the destination
 * service, so removing a service removes the paths into it.
 */
export class Path extends Construct {
  /** Where traffic comes from. */
  public readonly source: IPeer;
  /** Where traffic goes. */
  public readonly destination: Service;
  /** Protocol and port range. */
  public readonly port: Port;
  /** The rule description. */
  public readonly description: string;

  /**
   * @param source a Service in the same network, or a CidrBlock (`Internet` for 0.0.0.0/0)
   * @param destination the Service receiving the traffic
   * @param port a TCP port number, or a {@link Port} for ranges, UDP and ICMP
   */
  constructor(source: IPeer | string, destination: Service, port: number | Port, props: PathProps = {}) {
    const src = asPeer(source, 'a Path source');
    if (!(destination instanceof Service)) {
      throw new ButterError('PATH_INVALID_DESTINATION', 'a Path destination must be a Service', {
        hint: 'traffic can only be allowed *to* a Service; CIDR blocks can only be sources',
      });
    }
    const p = Port.of(port);
    const id = `from-${src.peerId}-${p.key}`;
    if (destination.node.tryFindChild(id)) {
      throw new ButterError('PATH_DUPLICATE', `a Path from ${describe(src)} to ${destination.serviceName} on ${p} already exists`, {
        constructPath: destination.node.path,
        hint: 'declare each path once',
      });
    }
    super(destination, id);
    if (src instanceof Service && src.network !== destination.network) {
      throw new ButterError('PATH_CROSS_NETWORK',
        `${src.node.path} and ${destination.node.path} are in different networks`, {
          constructPath: this.node.path,
          hint: 'Paths join services of one Network; to allow traffic from another network, use its CIDR block as the source',
        });
    }
    this.source = src;
    this.destination = destination;
    this.port = p;
    this.description = props.description ?? `${describe(src)} to ${destination.serviceName} on ${p}`;
    // AWS rejects rule descriptions with other characters at deploy time; say so now instead.
    if (!/^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{0,255}$/.test(this.description)) {
      throw new ButterError('PATH_DESCRIPTION_INVALID', `the description "${this.description}" has characters cloud firewalls reject`, {
        constructPath: this.node.path,
        hint: 'use letters, digits, spaces and . _ - : / ( ) # , @ [ ] + = & ; { } ! $ * (at most 255)',
      });
    }
    warnIfUnreachableFromPublic(this);
    destination.network._registerPath(this);
    destination.network.renderer.renderPath(this);
    flagAdminPortExposure(this, props.acknowledgeAdminPortExposure);
  }
}

/**
 * A Path from a public range to an admin port (or every port): a synth warning unless it is
 * acknowledged, in which case the acknowledgement becomes a suppression of BUTTER-NET-001 on
 * the Path's rules, recorded in the synthesized JSON.
 */
function flagAdminPortExposure(path: Path, acknowledgement: string | undefined): void {
  const { source, port } = path;
  if (!(source instanceof CidrBlock) || !isPublicCidr(source.cidr)) return;
  const admin = ADMIN_PORTS.filter((p) => port.protocol === 'all' || (port.protocol === 'tcp' && port.from <= p && p <= port.to));
  if (admin.length === 0) return;
  if (acknowledgement !== undefined) {
    if (typeof acknowledgement !== 'string' || acknowledgement.trim() === '') {
      throw new ButterError('PATH_ACKNOWLEDGEMENT_INVALID', 'acknowledgeAdminPortExposure needs a reason', {
        constructPath: path.node.path, hint: 'say why the internet must reach this admin port, e.g. "break-glass SSH, key-only"',
      });
    }
    Checks.suppress(path, 'BUTTER-NET-001', `acknowledged on the Path: ${acknowledgement}`);
    return;
  }
  Annotations.of(path).addWarning(
    `${source.cidr} may reach ${path.destination.serviceName} on ${port} (admin port${admin.length > 1 ? 's' : ''} ${admin.join(', ')}): ` +
    'admit a known range or use a bastion instead, or pass acknowledgeAdminPortExposure: "<why>" [BUTTER-NET-001]');
}

function describe(peer: IPeer): string {
  if (peer instanceof CidrBlock) return peer.cidr;
  if (peer instanceof Service) return peer.serviceName;
  return peer.peerId;
}

/**
 * A Path from public addresses (the internet, an office's block) into a service whose instances
 * have no public address admits nothing: nothing outside the network can address them. Legal,
 * and harmless, but almost always a forgotten `instance.public_ip: true`: say so at synth.
 */
function warnIfUnreachableFromPublic(path: Path): void {
  if (!(path.source instanceof CidrBlock) || path.destination.blueprint.instance.publicIp) return;
  const range = rangeOf(path.source.cidr);
  if (!range || !hasPublicAddress(range)) return;
  Annotations.of(path).addWarning(`the Path from ${path.source.cidr} to ${path.destination.serviceName} on ${path.port} admits nothing: `
    + `${path.destination.serviceName} has no public address (its blueprint's instance.public_ip is false), so nothing outside the network can reach it`);
}
