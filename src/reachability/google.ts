import { Port } from '../model/port';
import { AddressRange, canonicalCidr, intersect, rangeOf, rangeToCidrs, subtract } from './addresses';
import { compareIps } from './aws';
import { AccessRule, BalancerFacts, NetworkNode, ReachabilityModel, ServiceKey, ServiceNode, ShadowedRule, TrafficSource } from './model';
import { portOverlaps, subtractPort } from './ports';
import { ResourceIndex, TfResource, addressOf, blocks, isTrue, normalizeRef } from './resource-index';

/**
 * Butter's Google networks as reachability facts, from either form of {@link ResourceIndex}.
 *
 * Google names are sanitized, so Butter's names come from the descriptions it writes
 * (`Butter network dev`, `Butter service web`). A service is its instance group manager, the
 * group's instance template (network tags, external IP or not, subnet) and its per-instance
 * configs (reserved addresses). Firewall rules select instances by network tag.
 */
export function readGoogle(index: ResourceIndex, stack?: string): ReachabilityModel {
  const warnings: string[] = [];
  const networkOf = new Map<TfResource, NetworkNode>();
  for (const n of index.all('google_compute_network')) {
    const name = butterName(n, 'network');
    if (name) networkOf.set(n, { name, cloud: 'google', stack });
  }

  const configs = instanceConfigs(index);
  const services: GoogleService[] = [];
  for (const type of ['google_compute_region_instance_group_manager', 'google_compute_instance_group_manager']) {
    for (const group of index.all(type)) {
      const service = readService(index, networkOf, group, configs.get(group) ?? []);
      if (service) services.push(service);
    }
  }

  const firewalls = readFirewalls(index, networkOf, services, warnings);
  const balancers = readBalancers(index, networkOf, services, firewalls.rules);
  return {
    networks: [...networkOf.values()],
    services: [...services.map((s) => s.node), ...balancers.nodes],
    rules: balancers.rules,
    shadowed: firewalls.shadowed,
    warnings,
  };
}

/**
 * Backend services over Butter groups as balancer nodes, and the rules re-read with them:
 *
 * - a proxy balancer (`*_MANAGED`, Application LB) connects to the instances from the network's
 *   proxy-only subnet, so a firewall rule admitting that range into the service is the
 *   balancer's rule; the internet (EXTERNAL_MANAGED) or the network's services
 *   (INTERNAL_MANAGED) reach its forwarding rules, which no firewall guards;
 * - a passthrough balancer (EXTERNAL/INTERNAL, Network LB) keeps the clients' addresses, so the
 *   firewall rules admitting CIDR blocks into the service on its ports are also what admits
 *   traffic to the balancer, and the balancer reaches the service on those ports.
 */
function readBalancers(index: ResourceIndex, networkOf: Map<TfResource, NetworkNode>, services: readonly GoogleService[], rules: readonly AccessRule[]): { nodes: ServiceNode[]; rules: AccessRule[] } {
  const groupService = new Map<string, GoogleService>();
  for (const s of services) {
    const group = s.group;
    // A backend names the group by the group's `instance_group` (a self link, or its reference).
    for (const ref of [group.attributes.instance_group, `\${${group.type}.${group.name}.instance_group}`, group.attributes.self_link, group.attributes.id]) {
      if (typeof ref === 'string' && ref !== '') groupService.set(normalizeRef(ref), s);
    }
  }
  const out = [...rules];
  const nodes: ServiceNode[] = [];
  const rulesOf = (origin: string) => index.all('google_compute_forwarding_rule').filter((f) => {
    const target = f.attributes.target;
    const proxy = index.resolve(target, 'google_compute_region_target_http_proxy') ?? index.resolve(target, 'google_compute_region_target_https_proxy');
    const map = proxy && index.resolve(proxy.attributes.url_map, 'google_compute_region_url_map');
    const service = index.resolve(f.attributes.backend_service, 'google_compute_region_backend_service')
      ?? (map && index.resolve(map.attributes.default_service, 'google_compute_region_backend_service'));
    return service !== undefined && addressOf(service) === origin;
  });
  for (const bs of index.all('google_compute_region_backend_service')) {
    const target = blocks(bs.attributes.backend).map((b) => typeof b.group === 'string' ? groupService.get(normalizeRef(b.group)) : undefined).find((x) => x !== undefined);
    if (!target) continue;
    const scheme = String(bs.attributes.load_balancing_scheme ?? 'EXTERNAL');
    const proxied = scheme.endsWith('_MANAGED');
    const external = scheme.startsWith('EXTERNAL');
    const key = `${target.node.network}/${target.node.name}-lb`;
    const origin = addressOf(bs);
    const forwarding = rulesOf(origin);
    const namedPort = (name: unknown) => blocks(target.group.attributes.named_port).find((n) => n.name === name)?.port;
    const listeners: Array<BalancerFacts['listeners'][number]> = [];
    for (const f of forwarding) {
      const protocol = String(f.attributes.ip_protocol ?? 'TCP').toLowerCase() === 'udp' ? 'udp' : 'tcp';
      for (const [lo, hi] of portRanges(f.attributes)) {
        const port = rangePortOf(protocol, lo, hi);
        const forwarded = proxied ? Number(namedPort(bs.attributes.port_name) ?? lo) : undefined;
        const targetPort = forwarded !== undefined ? rangePortOf(protocol, forwarded, forwarded) : port;
        if (port && targetPort) listeners.push({ port, targetPort });
      }
    }
    const proxyRanges = proxied
      ? index.all('google_compute_subnetwork')
        .filter((sn) => sn.attributes.purpose === 'REGIONAL_MANAGED_PROXY' && index.resolve(sn.attributes.network, 'google_compute_network') === target.network)
        .map((sn) => canonicalCidr(sn.attributes.ip_cidr_range))
        .filter((c): c is string => c !== undefined)
      : [];
    const address = forwarding.map((f) => f.attributes.ip_address).find((ip) => typeof ip === 'string' && /^\d+\.\d+\.\d+\.\d+$/.test(ip));
    nodes.push({
      key,
      network: target.node.network,
      name: `${target.node.name}-lb`,
      role: 'balancer',
      subnets: proxyRanges.sort(),
      publicAddress: external,
      internetRoute: external,
      privateIps: [],
      publicIps: [],
      balancer: {
        target: target.node.key,
        type: proxied ? 'application' : 'network',
        scheme: external ? 'internet-facing' : 'internal',
        listeners,
        ...(address !== undefined && { address }),
      },
    });
    if (proxied) {
      // Into the balancer: whoever may reach its forwarding rules.
      for (const l of listeners) {
        const sources: TrafficSource[] = external
          ? [{ kind: 'cidr', cidr: '0.0.0.0/0' }]
          : services.filter((s) => s.network === target.network).map((s) => ({ kind: 'service', service: s.node.key }));
        for (const source of sources) {
          out.push({ origin: forwarding.map(addressOf)[0] ?? origin, network: target.node.network, destination: key, source, port: l.port });
        }
      }
      // From the balancer: the rules admitting its proxy-only range are its own.
      for (let i = 0; i < out.length; i++) {
        const r = out[i];
        if (r.destination === target.node.key && r.source.kind === 'cidr' && proxyRanges.includes(r.source.cidr)) {
          out[i] = { ...r, source: { kind: 'service', service: key } };
        }
      }
    } else {
      for (const r of rules) {
        if (r.destination !== target.node.key || r.source.kind !== 'cidr') continue;
        const ports = listeners.filter((l) => portOverlaps(l.targetPort, r.port));
        if (ports.length === 0) continue;
        out.push({ ...r, destination: key });
        for (const l of ports) out.push({ origin, network: r.network, destination: target.node.key, source: { kind: 'service', service: key }, port: l.targetPort });
      }
    }
  }
  return { nodes, rules: dedupe(out) };
}

/** A forwarding rule's ports: `port_range` (`80`, `80-80`) or `ports`, or every port. */
function portRanges(a: Record<string, any>): Array<[number, number]> {
  if (typeof a.port_range === 'string' && a.port_range !== '') {
    const [lo, hi] = a.port_range.split('-').map(Number);
    return [[lo, hi ?? lo]];
  }
  const ports = blocks(a.ports).map(Number).filter((n) => Number.isInteger(n));
  if (ports.length > 0) return ports.map((p) => [p, p]);
  return [[1, 65535]];
}

function rangePortOf(protocol: 'tcp' | 'udp', lo: number, hi: number): Port | undefined {
  try {
    return protocol === 'udp' ? Port.udpRange(lo, hi) : Port.tcpRange(lo, hi);
  } catch {
    return undefined;
  }
}

/** The same rule (origin, source, destination, port) once. */
function dedupe(rules: AccessRule[]): AccessRule[] {
  const seen = new Set<string>();
  return rules.filter((r) => {
    const k = JSON.stringify([r.origin, r.destination, r.source, r.port.toString()]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A service and the Google facts rules are matched on. */
interface GoogleService {
  readonly node: ServiceNode;
  readonly network: TfResource;
  /** Its instance group manager. */
  readonly group: TfResource;
  readonly tags: readonly string[];
  readonly subnetRanges: readonly AddressRange[];
}

/** `Butter network dev` -> `dev`. */
function butterName(r: TfResource, what: 'network' | 'service'): string | undefined {
  const m = new RegExp(`^Butter ${what} (\\S+)`).exec(String(r.attributes.description ?? ''));
  return m?.[1];
}

function readService(index: ResourceIndex, networkOf: Map<TfResource, NetworkNode>, group: TfResource, configs: readonly TfResource[]): GoogleService | undefined {
  const name = butterName(group, 'service');
  if (!name) return undefined;
  const templateRefs = [...blocks(group.attributes.version).map((v) => v.instance_template), group.attributes.instance_template];
  const templates = templateRefs
    .map((ref) => index.resolve(ref, 'google_compute_instance_template'))
    .filter((t): t is TfResource => t !== undefined);
  const nics = templates.flatMap((t) => blocks(t.attributes.network_interface));
  const subnet = nics.map((n) => index.resolve(n.subnetwork, 'google_compute_subnetwork')).find((s) => s !== undefined);
  const network = index.resolve(subnet?.attributes.network, 'google_compute_network')
    ?? nics.map((n) => index.resolve(n.network, 'google_compute_network')).find((n) => n !== undefined);
  const net = network && networkOf.get(network);
  if (!network || !net) return undefined;

  const tags = [...new Set(templates.flatMap((t) => blocks(t.attributes.tags)).filter((t): t is string => typeof t === 'string'))];
  const cidr = canonicalCidr(subnet?.attributes.ip_cidr_range);
  const { privateIps, publicIps } = instanceIps(index, configs);
  return {
    node: {
      key: `${net.name}/${name}`,
      network: net.name,
      name,
      subnets: cidr ? [cidr] : [],
      // An access config is what gives an instance an external address.
      publicAddress: nics.some((n) => blocks(n.access_config).length > 0),
      internetRoute: internetRoute(index, network, tags),
      privateIps,
      publicIps,
    },
    network,
    group,
    tags,
    subnetRanges: cidr ? [rangeOf(cidr)!] : [],
  };
}

/**
 * Google gives every network a default route to the internet gateway unless it was created
 * with `delete_default_routes_on_create`; then only an explicit 0.0.0.0/0 route to
 * `default-internet-gateway` (for every instance, or for one of the service's tags) brings it back.
 */
function internetRoute(index: ResourceIndex, network: TfResource, tags: readonly string[]): boolean {
  if (!isTrue(network.attributes.delete_default_routes_on_create)) return true;
  return index.all('google_compute_route').some((r) => {
    const a = r.attributes;
    if (a.dest_range !== '0.0.0.0/0' || !/default-internet-gateway$/.test(String(a.next_hop_gateway ?? ''))) return false;
    if (index.resolve(a.network, 'google_compute_network') !== network) return false;
    const routeTags = blocks(a.tags);
    return routeTags.length === 0 || routeTags.some((t) => tags.includes(t));
  });
}

/** Each instance group's per-instance configs, found in one pass. */
function instanceConfigs(index: ResourceIndex): Map<TfResource, TfResource[]> {
  const out = new Map<TfResource, TfResource[]>();
  for (const [type, groupType, field] of [
    ['google_compute_region_per_instance_config', 'google_compute_region_instance_group_manager', 'region_instance_group_manager'],
    ['google_compute_per_instance_config', 'google_compute_instance_group_manager', 'instance_group_manager'],
  ]) {
    for (const c of index.all(type)) {
      const group = index.resolve(c.attributes[field], groupType);
      if (group) listIn(out, group).push(c);
    }
  }
  return out;
}

/** Addresses pinned by the group's per-instance configs (internal ones are known at synth). */
function instanceIps(index: ResourceIndex, configs: readonly TfResource[]): { privateIps: string[]; publicIps: string[] } {
  const privateIps: string[] = [];
  const publicIps: string[] = [];
  for (const c of configs) {
    for (const state of blocks(c.attributes.preserved_state)) {
      for (const [field, out] of [['internal_ip', privateIps], ['external_ip', publicIps]] as const) {
        for (const entry of blocks(state[field])) {
          for (const ip of blocks(entry.ip_address)) {
            const address = addressValue(index, ip.address);
            if (address) out.push(address);
          }
        }
      }
    }
  }
  return { privateIps: privateIps.sort(compareIps), publicIps: publicIps.sort(compareIps) };
}

/** A preserved address: a reserved address resource's value, or a literal IP. */
function addressValue(index: ResourceIndex, ref: unknown): string | undefined {
  const reserved = index.resolve(ref, 'google_compute_address');
  const value = reserved ? reserved.attributes.address : ref;
  return typeof value === 'string' && /^\d+\.\d+\.\d+\.\d+$/.test(value) ? value : undefined;
}

/** One deny rule, as it applies to the services of its network. */
interface Deny {
  readonly origin: string;
  readonly priority: number;
  /** The services it applies to. */
  readonly targets: ReadonlySet<ServiceKey>;
  readonly sourceServices: ReadonlySet<ServiceKey>;
  /** Its source ranges, plus the subnets of its source-tagged services (see applyDeny). */
  readonly sourceRanges: readonly AddressRange[];
  readonly ports: readonly Port[];
}

/**
 * Ingress firewall rules as AccessRules, with Google's evaluation order applied: among rules
 * that match a packet the lowest priority number wins, and a deny wins a tie. So each allow
 * loses whatever a deny of the same or a higher priority (lower or equal number) also matches.
 * Butter itself only emits a deny-all at 65534 below Path allows at 1000, which takes nothing
 * away; a user's own deny above them does.
 */
function readFirewalls(index: ResourceIndex, networkOf: Map<TfResource, NetworkNode>, services: readonly GoogleService[], warnings: string[]): { rules: AccessRule[]; shadowed: ShadowedRule[] } {
  const allows: AccessRule[] = [];
  const denies: Deny[] = [];
  const byKey = new Map(services.map((s) => [s.node.key, s]));
  // Per network: its services, and the services carrying each network tag.
  const inNetworkOf = new Map<TfResource, GoogleService[]>();
  const taggedOf = new Map<TfResource, Map<string, ServiceKey[]>>();
  for (const s of services) {
    listIn(inNetworkOf, s.network).push(s);
    let tagged = taggedOf.get(s.network);
    if (!tagged) taggedOf.set(s.network, (tagged = new Map()));
    for (const t of s.tags) listIn(tagged, t).push(s.node.key);
  }
  for (const f of index.all('google_compute_firewall')) {
    const a = f.attributes;
    const network = index.resolve(a.network, 'google_compute_network');
    const net = network && networkOf.get(network);
    if (!net || (a.direction ?? 'INGRESS') !== 'INGRESS' || isTrue(a.disabled)) continue;
    const origin = addressOf(f);
    const inNetwork = inNetworkOf.get(network) ?? [];
    const tagged = taggedOf.get(network);
    const withTag = (tags: readonly string[]) => [...new Set(tags.flatMap((t) => tagged?.get(t) ?? []))];
    if (blocks(a.target_service_accounts).length > 0 || blocks(a.source_service_accounts).length > 0) {
      warnings.push(`${origin} is left out: rules that select instances by service account are not analysed`);
      continue;
    }
    const targetTags = blocks(a.target_tags);
    // No target tags: the rule applies to every instance in the network.
    const targets = targetTags.length === 0 ? inNetwork.map((s) => s.node.key) : withTag(targetTags);
    const sourceServices = withTag(blocks(a.source_tags));
    const sourceCidrs: string[] = [];
    for (const range of blocks(a.source_ranges)) {
      const cidr = canonicalCidr(range);
      if (cidr) sourceCidrs.push(cidr);
      else warnings.push(`${origin}: source range ${String(range)} is left out (not an IPv4 block known before deploy)`);
    }
    const priority = Number(a.priority ?? 1000);
    const ports = (list: unknown) => blocks(list).flatMap((entry) => {
      const p = googlePorts(entry);
      if (!p) warnings.push(`${origin}: protocol ${String(entry.protocol)} is not analysed (only tcp, udp, icmp and all)`);
      return p ?? [];
    });

    const denied = ports(a.deny);
    if (denied.length > 0) {
      const ranges = [...sourceCidrs.map((c) => rangeOf(c)!), ...sourceServices.flatMap((k) => byKey.get(k)!.subnetRanges)];
      denies.push({ origin, priority, targets: new Set(targets), sourceServices: new Set(sourceServices), sourceRanges: ranges, ports: denied });
    }
    const sources: TrafficSource[] = [
      ...sourceServices.map((service): TrafficSource => ({ kind: 'service', service })),
      ...sourceCidrs.map((cidr): TrafficSource => ({ kind: 'cidr', cidr })),
    ];
    const description = typeof a.description === 'string' && a.description !== '' ? { description: a.description } : {};
    for (const port of ports(a.allow)) {
      for (const destination of targets) {
        for (const source of sources) allows.push({ origin, network: net.name, destination, source, port, priority, ...description });
      }
    }
  }

  const rules: AccessRule[] = [];
  const shadowed: ShadowedRule[] = [];
  for (const allow of allows) {
    let pieces = [allow];
    for (const deny of denies) {
      if (deny.priority > allow.priority! || !deny.targets.has(allow.destination)) continue;
      const before = pieces.length;
      const next = pieces.flatMap((p) => applyDeny(p, deny, byKey));
      const changed = next.length !== before || next.some((p, i) => p !== pieces[i]);
      if (changed) shadowed.push({ rule: allow, deniedBy: deny.origin, denyPriority: deny.priority, partial: next.length > 0 });
      pieces = next;
    }
    rules.push(...pieces);
  }
  return { rules, shadowed };
}

/**
 * What `deny` leaves of one allow piece: the sources it does not match keep every port, the
 * sources it matches keep only the ports it does not deny. A service source the deny's ranges
 * cover only in part is split into the blocks of its subnet on either side. A deny by source
 * tag is taken to match its services' whole subnets, which holds for Butter's one subnet per
 * service.
 */
function applyDeny(rule: AccessRule, deny: Deny, services: Map<ServiceKey, GoogleService>): AccessRule[] {
  if (!deny.ports.some((d) => portOverlaps(d, rule.port))) return [rule];
  const rest = deny.ports.reduce<Port[]>((ports, d) => ports.flatMap((p) => subtractPort(p, d)), [rule.port]);
  const withPorts = (source: TrafficSource, ports: readonly Port[]) => ports.map((port) => ({ ...rule, source, port }));
  const cidrs = (ranges: readonly AddressRange[]): TrafficSource[] =>
    ranges.flatMap((r) => rangeToCidrs(r)).map((cidr) => ({ kind: 'cidr', cidr }));

  let own: readonly AddressRange[];
  if (rule.source.kind === 'service') {
    if (deny.sourceServices.has(rule.source.service)) return withPorts(rule.source, rest);
    own = services.get(rule.source.service)?.subnetRanges ?? [];
  } else {
    own = [rangeOf(rule.source.cidr)!];
  }
  const inside = own.flatMap((r) => intersect(r, deny.sourceRanges));
  if (inside.length === 0) return [rule];
  const outside = own.flatMap((r) => subtract(r, deny.sourceRanges));
  if (outside.length === 0) return withPorts(rule.source, rest);
  return [...cidrs(outside).flatMap((s) => withPorts(s, [rule.port])), ...cidrs(inside).flatMap((s) => withPorts(s, rest))];
}

/** A firewall `allow`/`deny` entry as Ports; undefined for protocols reachability does not model. */
function googlePorts(entry: { protocol?: unknown; ports?: unknown }): Port[] | undefined {
  const protocol = String(entry.protocol ?? '').toLowerCase();
  const ranges = blocks(entry.ports).map(String);
  if (protocol === 'all') return [Port.allTraffic()];
  if (protocol === 'icmp' || protocol === '1') return [Port.allIcmp()];
  const kind = protocol === 'tcp' || protocol === '6' ? 'tcp' : protocol === 'udp' || protocol === '17' ? 'udp' : undefined;
  if (!kind) return undefined;
  if (ranges.length === 0) return [kind === 'tcp' ? Port.allTcp() : Port.allUdp()];
  try {
    return ranges.map((r) => Port.parse(`${kind}:${r}`));
  } catch {
    return undefined;
  }
}

/** The list under `key`, created empty on first use. */
function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}
