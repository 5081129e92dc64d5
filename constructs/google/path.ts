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
 * Where a Path's traffic comes from, as a firewall rule sees it: a service's network tag, or
 * address ranges (a load balancer's: the proxy-only subnet behind an Application Load Balancer,
 * the allowed clients behind a passthrough Network Load Balancer). A CIDR block source needs
 * neither: its block is the range.
 */
export type GoogleTrafficSource = { readonly tag: string } | { readonly ranges: readonly string[] };

/**
 * One Path as one ingress firewall rule: to the destination's network tag, from the source's
 * tag (a service), from a CIDR block or from a balancer's ranges, for exactly the protocol and
 * ports the Path names.
 */
export function renderGooglePath(path: Path, net: GoogleNetworkResources, source: GoogleTrafficSource | undefined, destination: GoogleServiceResources): void {
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
    ...sourceOf(path, source),
    allow: [firewallAllow(path)],
  });
}

function sourceOf(path: Path, source: GoogleTrafficSource | undefined): { sourceRanges: string[] } | { sourceTags: string[] } {
  if (path.source instanceof CidrBlock) return { sourceRanges: [path.source.cidr] };
  if (source && 'ranges' in source) return { sourceRanges: [...source.ranges] };
  return { sourceTags: [source!.tag] };
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
