import { ComputeFirewall, ComputeFirewallAllow } from '@cdktf/provider-google/lib/compute-firewall';
import { ButterError } from '../../src/errors';
import { Port } from '../../src/model/port';
import type { Path } from '../path';
import { CidrBlock } from '../peer';
import type { GoogleServiceResources } from './service';
import type { GoogleNetworkResources } from './network';
import { literal } from '../literal';

/** Priority of Path rules: Google's default, far above the deny-all rule (65534). */
const PATH_PRIORITY = 1000;

/**
 * One Path as one ingress firewall rule: to the destination's network tag, from the source's
 * tag (a service) or from a CIDR block, for exactly the protocol and ports the Path names.
 */
export function renderGooglePath(path: Path, net: GoogleNetworkResources, source: GoogleServiceResources | undefined, destination: GoogleServiceResources): void {
  const dest = path.destination;
  new ComputeFirewall(path, 'rule', {
    provider: net.provider,
    project: net.project,
    name: net.names.name('firewall', path, [dest.serviceName, path.node.id]),
    // Text from the Path's props or the names in it: never a Terraform expression.
    description: literal(path.description),
    network: net.vpc.id,
    direction: 'INGRESS',
    priority: PATH_PRIORITY,
    targetTags: [destination.tag],
    ...(path.source instanceof CidrBlock ? { sourceRanges: [path.source.cidr] } : { sourceTags: [source!.tag] }),
    allow: [firewallAllow(path)],
  });
}

/**
 * The `allow` block for a Path's port. Google firewall rules match ICMP as a whole (no types or
 * codes), so an ICMP-type Path would open more than it says: that is an error, not a wider rule.
 */
function firewallAllow(path: Path): ComputeFirewallAllow {
  const port: Port = path.port;
  switch (port.protocol) {
    case 'all':
      return { protocol: 'all' };
    case 'icmp':
      if (port.from !== -1) {
        throw new ButterError('PATH_ICMP_TYPE_UNSUPPORTED',
          `Google firewall rules cannot allow one ICMP type (${port}) without allowing all of ICMP`, {
            constructPath: path.node.path,
            hint: 'use Port.allIcmp() on Google Cloud',
          });
      }
      return { protocol: 'icmp' };
    default:
      // No ports means every port; a range is written `from-to`.
      if (port.from === 0 && port.to === 65535) return { protocol: port.protocol };
      return { protocol: port.protocol, ports: [port.from === port.to ? `${port.from}` : `${port.from}-${port.to}`] };
  }
}
