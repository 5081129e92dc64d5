import { Port } from '../model/port';
import { AccessRule, Cloud, ServiceNode, ShadowedRule, TrafficSource } from './model';

/**
 * The sentences reachability answers are made of. Kept apart from the analysis so that its
 * wording (what users read in test failures and the CLI) is in one place.
 */

/** `dev/lb` or `10.0.0.0/16`. */
export function sourceLabel(source: TrafficSource): string {
  return source.kind === 'service' ? source.service : source.cidr;
}

/** `aws_vpc_security_group_ingress_rule.x (tcp:80 from dev/lb)`. */
export function ruleText(rule: AccessRule): string {
  return `${rule.origin} (${rule.port} from ${sourceLabel(rule.source)})`;
}

/** At most `max` items, then "and N more": answers stay readable for a busy service. */
export function listOf(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** What a destination's rules admit, for "why not" answers. */
export function admittedSummary(destination: string, rules: readonly AccessRule[], shadowed: readonly ShadowedRule[]): string {
  const parts = rules.length === 0
    ? [`${destination} has no ingress rules, so nothing can reach it`]
    : [`rules for ${destination} admit ${listOf([...new Set(rules.map((r) => `${r.port} from ${sourceLabel(r.source)}`))])}`];
  for (const s of shadowed.slice(0, 3)) {
    parts.push(`${ruleText(s.rule)} is ${s.partial ? 'partly ' : ''}overridden by ${s.deniedBy} (deny, priority ${s.denyPriority})`);
  }
  return parts.join('; ');
}

/** Why a service cannot be reached from the internet whatever its rules say (empty when it can be). */
export function unreachableBecause(service: ServiceNode, cloud: Cloud | undefined): string[] {
  const why: string[] = [];
  if (service.role === 'balancer') {
    if (!service.publicAddress) why.push('it is an internal load balancer');
    else if (!service.internetRoute) why.push('its subnets have no route to an internet gateway');
    return why;
  }
  if (!service.publicAddress) why.push('it has no public address (instance.public_ip is off)');
  if (!service.internetRoute) {
    why.push(cloud === 'google'
      ? 'its network has no route from the internet gateway (created with delete_default_routes_on_create)'
      : 'its subnets have no route to an internet gateway (a NAT gateway only lets instances out)');
  }
  return why;
}

/** Ports for a sentence: `tcp:80, tcp:443`. */
export function portsText(ports: readonly Port[]): string {
  return ports.map(String).join(', ');
}
