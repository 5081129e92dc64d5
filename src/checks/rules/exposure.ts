import { CheckedResource, CheckedStack, blocks, isExpression } from '../stack';
import type { Rule, Violation } from '../types';
import { ADMIN_PORTS, isPublicCidr, strings, violation } from './common';

/** One ingress permission: a resource admitting public sources on a protocol and port range. */
interface PublicIngress {
  readonly resource: CheckedResource;
  readonly sources: readonly string[];
  /** The admin ports it admits; every port when the rule is for all protocols or all TCP ports. */
  readonly ports: readonly number[];
  readonly all: boolean;
}

/**
 * Every ingress permission of a stack that admits a public source to an admin port, in any
 * form: AWS `aws_vpc_security_group_ingress_rule`, `aws_security_group_rule`, inline `ingress`
 * of `aws_security_group`, and Google `google_compute_firewall` allow rules.
 */
export function publicAdminIngress(stack: CheckedStack): PublicIngress[] {
  // Both exposure rules need it: computed once per stack.
  let found = computed.get(stack);
  if (!found) computed.set(stack, (found = findPublicAdminIngress(stack)));
  return found;
}

const computed = new WeakMap<CheckedStack, PublicIngress[]>();

function findPublicAdminIngress(stack: CheckedStack): PublicIngress[] {
  const out: PublicIngress[] = [];
  const push = (resource: CheckedResource, cidrs: unknown[], protocol: unknown, from: unknown, to: unknown) => {
    const sources = cidrs.flatMap(strings).filter(isPublicCidr);
    if (sources.length === 0 || isExpression(protocol)) return;
    const p = String(protocol ?? '').toLowerCase();
    const all = p === '-1' || p === 'all';
    if (!all && p !== 'tcp' && p !== '6') return;
    const lo = Number(from), hi = Number(to);
    const wholeRange = all || ((from === undefined || from === null) && (to === undefined || to === null)) || (lo <= 0 && hi >= 65535);
    const ports = ADMIN_PORTS.filter((port) => wholeRange || (Number.isFinite(lo) && Number.isFinite(hi) && lo <= port && port <= hi));
    if (ports.length > 0) out.push({ resource, sources, ports, all: all || (lo <= 0 && hi >= 65535) });
  };
  for (const r of stack.all('aws_vpc_security_group_ingress_rule')) {
    const a = r.attributes;
    push(r, [a.cidr_ipv4, a.cidr_ipv6], a.ip_protocol, a.from_port, a.to_port);
  }
  for (const r of stack.all('aws_security_group_rule')) {
    const a = r.attributes;
    if (a.type === 'ingress') push(r, [a.cidr_blocks, a.ipv6_cidr_blocks], a.protocol, a.from_port, a.to_port);
  }
  for (const r of stack.all('aws_security_group')) {
    for (const i of blocks(r.attributes.ingress)) push(r, [i.cidr_blocks, i.ipv6_cidr_blocks], i.protocol, i.from_port, i.to_port);
  }
  for (const r of stack.all('google_compute_firewall')) {
    const a = r.attributes;
    if ((a.direction ?? 'INGRESS') !== 'INGRESS' || a.disabled === true) continue;
    for (const allow of blocks(a.allow)) {
      const ports = strings(allow.ports);
      if (ports.length === 0) push(r, [a.source_ranges], allow.protocol, undefined, undefined);
      for (const range of ports) {
        const [from, to = from] = range.split('-');
        push(r, [a.source_ranges], allow.protocol, from, to);
      }
    }
  }
  // One finding per resource: merge what its permissions admit.
  const merged = new Map<CheckedResource, PublicIngress>();
  for (const p of out) {
    const seen = merged.get(p.resource);
    merged.set(p.resource, seen
      ? { resource: p.resource, sources: [...new Set([...seen.sources, ...p.sources])], ports: [...new Set([...seen.ports, ...p.ports])].sort((a, b) => a - b), all: seen.all || p.all }
      : p);
  }
  return [...merged.values()];
}

/**
 * Whether the reachability analysis says the rule's destinations cannot be reached from the
 * internet at all (no public address or no internet route): then the rule is ineffective, not
 * an exposure. Undefined when the analysis does not know the rule (not a Butter service).
 */
function ineffective(stack: CheckedStack, ingress: PublicIngress): string | undefined {
  const reach = stack.reachability;
  if (!reach) return undefined;
  const destinations = [...new Set(reach.model.rules.filter((r) => r.origin === ingress.resource.address).map((r) => r.destination))];
  if (destinations.length === 0) return undefined;
  const services = destinations.map((d) => reach.model.services.find((s) => s.key === d)).filter((s) => s !== undefined);
  if (services.length !== destinations.length) return undefined;
  if (services.some((s) => s.publicAddress && s.internetRoute)) return undefined;
  return services.map((s) => `${s.key} has ${!s.publicAddress ? 'no public address' : 'no internet route'}`).join(', ');
}

function what(i: PublicIngress): string {
  const ports = i.all ? 'every port' : `port${i.ports.length === 1 ? '' : 's'} ${i.ports.join(', ')}`;
  return `admits ${i.sources.join(', ')} to ${ports}`;
}

/** BUTTER-NET-001: admin ports (or all ports) open to the internet, and reachable. */
export const adminPortExposure: Rule = {
  id: 'BUTTER-NET-001',
  severity: 'high',
  title: 'Admin ports (SSH 22, RDP 3389, or all ports) are not open to the internet',
  description: 'SSH and RDP open to public addresses are scanned and brute-forced within minutes of deploy. Butter asks its reachability analysis whether the instances can really be reached (public address and internet route); a rule that cannot be used is reported by BUTTER-NET-002 instead.',
  fix: 'admit a known range (a VPN or office CIDR) or use a bastion / IAP / SSM Session Manager; if it is intended, acknowledge it on the Path (new Path(Internet, svc, 22, { acknowledgeAdminPortExposure: \'why\' }))',
  references: { checkov: ['CKV_AWS_24', 'CKV_AWS_25', 'CKV_GCP_2', 'CKV_GCP_3'], trivy: ['AVD-AWS-0107', 'google-compute-no-public-ingress'] },
  check: (stack) => publicAdminIngress(stack).filter((i) => ineffective(stack, i) === undefined)
    .map((i): Violation => violation(i.resource, `${i.resource.address} ${what(i)}`)),
};

/** BUTTER-NET-002: the same permission, on instances the internet cannot reach. */
export const ineffectiveAdminRule: Rule = {
  id: 'BUTTER-NET-002',
  severity: 'low',
  title: 'Public admin-port rules that cannot take effect',
  description: 'A rule admits the internet to an admin port of instances that have no public address or no internet route: not an exposure today, but one blueprint change (public_ip: true) away from one, and likely not what was meant.',
  fix: 'remove the rule or narrow its source; if the instances are meant to be reached through a load balancer or NAT, admit only that',
  references: {},
  check: (stack) => publicAdminIngress(stack).flatMap((i): Violation[] => {
    const why = ineffective(stack, i);
    return why ? [violation(i.resource, `${i.resource.address} ${what(i)}, but it cannot take effect: ${why}`)] : [];
  }),
};

export const exposureRules: readonly Rule[] = [adminPortExposure, ineffectiveAdminRule];
