import { Port } from '../model/port';
import { canonicalCidr, rangeOf } from './addresses';
import { AccessRule, BalancerFacts, NetworkNode, ReachabilityModel, ServiceKey, ServiceNode, TrafficSource } from './model';
import { ResourceIndex, TfResource, addressOf, blocks, isTrue, tagOf } from './resource-index';

/**
 * Butter's AWS networks as reachability facts, from either form of {@link ResourceIndex}.
 *
 * Services are found by the tags Butter puts on everything (`butter:network`, `butter:service`):
 * a service is its security group (what rules name), its autoscaling group (where instances go:
 * subnets, launch template) and the group's `aws_instances` data source (their addresses).
 */
export function readAws(index: ResourceIndex, stack?: string): ReachabilityModel {
  const warnings: string[] = [];
  const networks: NetworkNode[] = index.all('aws_vpc')
    .map((vpc) => tagOf(vpc, 'butter:network'))
    .filter((name): name is string => name !== undefined)
    .map((name) => ({ name, cloud: 'aws' as const, stack }));

  const parts = new ServiceParts(index);
  const groupOf = new Map<TfResource, ServiceKey>(); // security group -> service (or balancer)
  const services: ServiceNode[] = [];
  // Balancers first: their security groups are sources and destinations of rules like a
  // service's, but they are not services (even when tagged with the service they front).
  for (const { node, groups } of readBalancers(index, parts)) {
    services.push(node);
    for (const g of groups) groupOf.set(g, node.key);
  }
  for (const sg of index.all('aws_security_group')) {
    if (groupOf.has(sg)) continue;
    const network = tagOf(sg, 'butter:network');
    const name = tagOf(sg, 'butter:service');
    if (!network || !name) continue;
    const key = `${network}/${name}`;
    groupOf.set(sg, key);
    services.push(readService(index, parts, network, name));
  }

  const rules: AccessRule[] = [];
  for (const r of index.all('aws_vpc_security_group_ingress_rule')) {
    const destination = groupOf.get(index.resolve(r.attributes.security_group_id, 'aws_security_group')!);
    if (!destination) continue; // a rule on a group Butter did not make
    const a = r.attributes;
    const source = a.referenced_security_group_id !== undefined && a.referenced_security_group_id !== null
      ? groupSource(index, groupOf, a.referenced_security_group_id)
      : cidrSource(a.cidr_ipv4);
    addRule(rules, warnings, r, destination, source, a.ip_protocol, a.from_port, a.to_port, a.description);
  }
  // The older rule resource: a user extending a Butter group may still write it.
  for (const r of index.all('aws_security_group_rule')) {
    const a = r.attributes;
    const destination = groupOf.get(index.resolve(a.security_group_id, 'aws_security_group')!);
    if (!destination || a.type !== 'ingress') continue;
    const sources: Array<TrafficSource | string> = isTrue(a.self) ? [{ kind: 'service', service: destination }] : [];
    if (a.source_security_group_id) sources.push(groupSource(index, groupOf, a.source_security_group_id));
    for (const cidr of blocks(a.cidr_blocks)) sources.push(cidrSource(cidr));
    for (const source of sources) addRule(rules, warnings, r, destination, source, a.protocol, a.from_port, a.to_port, a.description);
  }
  return { networks, services, rules, warnings };
}

/**
 * The resources of each service, found in one pass per type: a stack of a thousand services
 * must not be searched a thousand times over.
 */
class ServiceParts {
  public readonly routes: InternetRoutes;
  private readonly groups = new Map<string, TfResource>();
  private readonly subnets = new Map<string, TfResource[]>();
  private readonly templates = new Map<string, TfResource>();
  private readonly instances = new Map<TfResource, TfResource>();

  constructor(index: ResourceIndex) {
    this.routes = new InternetRoutes(index);
    for (const g of index.all('aws_autoscaling_group')) {
      const tag = (key: string) => blocks(g.attributes.tag).find((t) => t.key === key)?.value;
      const network = tag('butter:network');
      const name = tag('butter:service');
      if (network && name && !this.groups.has(`${network}/${name}`)) this.groups.set(`${network}/${name}`, g);
    }
    for (const s of index.all('aws_subnet')) {
      const key = `${tagOf(s, 'butter:network')}/${tagOf(s, 'butter:service')}`;
      const list = this.subnets.get(key);
      if (list) list.push(s);
      else this.subnets.set(key, [s]);
    }
    for (const t of index.all('aws_launch_template')) {
      const key = `${tagOf(t, 'butter:network')}/${tagOf(t, 'butter:service')}`;
      if (!this.templates.has(key)) this.templates.set(key, t);
    }
    for (const d of index.all('aws_instances', 'data')) {
      const group = index.resolve(d.attributes.instance_tags?.['aws:autoscaling:groupName'], 'aws_autoscaling_group');
      if (group && !this.instances.has(group)) this.instances.set(group, d);
    }
  }

  /** The service's autoscaling group, by its tag blocks. */
  public group(key: ServiceKey): TfResource | undefined {
    return this.groups.get(key);
  }

  /** Subnets tagged for the service. */
  public taggedSubnets(key: ServiceKey): TfResource[] {
    return this.subnets.get(key) ?? [];
  }

  /** The launch template tagged for the service. */
  public taggedTemplate(key: ServiceKey): TfResource | undefined {
    return this.templates.get(key);
  }

  /** The `aws_instances` data source listing a group's instances. */
  public instancesOf(group: TfResource | undefined): TfResource | undefined {
    return group && this.instances.get(group);
  }
}

/**
 * Every `aws_lb` as a node: its listeners (`aws_lb_listener` forwarding to an
 * `aws_lb_target_group`), the service whose Auto Scaling group is attached to those target
 * groups, its subnets (internet-facing ones are public), and its security groups, which the
 * rules into it and from it name.
 */
function readBalancers(index: ResourceIndex, parts: ServiceParts): Array<{ node: ServiceNode; groups: TfResource[] }> {
  const serviceOfGroup = new Map<TfResource, ServiceKey>();
  for (const g of index.all('aws_autoscaling_group')) {
    const tag = (key: string) => blocks(g.attributes.tag).find((t) => t.key === key)?.value;
    const network = tag('butter:network');
    const name = tag('butter:service');
    if (network && name) serviceOfGroup.set(g, `${network}/${name}`);
  }
  // Target group -> service, through the group's target_group_arns or an attachment resource.
  const serviceOfTarget = new Map<TfResource, ServiceKey>();
  for (const [g, key] of serviceOfGroup) {
    for (const ref of blocks(g.attributes.target_group_arns)) {
      const tg = index.resolve(ref, 'aws_lb_target_group');
      if (tg) serviceOfTarget.set(tg, key);
    }
  }
  for (const a of index.all('aws_autoscaling_attachment')) {
    const tg = index.resolve(a.attributes.lb_target_group_arn, 'aws_lb_target_group');
    const g = index.resolve(a.attributes.autoscaling_group_name, 'aws_autoscaling_group');
    const key = g && serviceOfGroup.get(g);
    if (tg && key) serviceOfTarget.set(tg, key);
  }
  const listenersOf = new Map<TfResource, TfResource[]>();
  for (const l of index.all('aws_lb_listener')) {
    const lb = index.resolve(l.attributes.load_balancer_arn, 'aws_lb');
    if (!lb) continue;
    const list = listenersOf.get(lb);
    if (list) list.push(l);
    else listenersOf.set(lb, [l]);
  }

  const out: Array<{ node: ServiceNode; groups: TfResource[] }> = [];
  for (const lb of index.all('aws_lb')) {
    const a = lb.attributes;
    const listeners: Array<BalancerFacts['listeners'][number]> = [];
    let target: ServiceKey | undefined;
    for (const l of listenersOf.get(lb) ?? []) {
      for (const action of blocks(l.attributes.default_action)) {
        const tg = index.resolve(action.target_group_arn, 'aws_lb_target_group');
        if (!tg) continue;
        target ??= serviceOfTarget.get(tg);
        for (const protocol of transportsOf(l.attributes.protocol)) {
          const port = awsPort(protocol, l.attributes.port, l.attributes.port);
          const targetPort = awsPort(protocol, tg.attributes.port, tg.attributes.port);
          if (port && targetPort) listeners.push({ port, targetPort });
        }
      }
    }
    const network = tagOf(lb, 'butter:network') ?? target?.split('/')[0];
    if (!network) continue; // neither Butter's nor in front of a Butter service
    const name = target ? `${target.split('/')[1]}-lb` : String(tagOf(lb, 'Name') ?? a.name ?? lb.name);
    const subnets = blocks(a.subnets).map((ref) => index.resolve(ref, 'aws_subnet')).filter((x): x is TfResource => x !== undefined);
    const internal = isTrue(a.internal);
    const groups = blocks(a.security_groups).map((ref) => index.resolve(ref, 'aws_security_group')).filter((g): g is TfResource => g !== undefined);
    out.push({
      groups,
      node: {
        key: `${network}/${name}`,
        network,
        name,
        role: 'balancer',
        subnets: subnets.map((x) => canonicalCidr(x.attributes.cidr_block)).filter((c): c is string => c !== undefined).sort(),
        publicAddress: !internal,
        internetRoute: !internal && subnets.some((x) => parts.routes.fromInternet(x)),
        privateIps: [],
        publicIps: [],
        balancer: {
          target: target ?? '(no service)',
          type: a.load_balancer_type === 'network' ? 'network' : 'application',
          scheme: internal ? 'internal' : 'internet-facing',
          listeners,
          ...(typeof a.dns_name === 'string' && !a.dns_name.includes('${') && { address: a.dns_name }),
        },
      },
    });
  }
  return out;
}

/** The transport protocols a listener's protocol rides on. */
function transportsOf(protocol: unknown): string[] {
  const p = String(protocol ?? 'HTTP').toUpperCase();
  if (p === 'UDP') return ['udp'];
  if (p === 'TCP_UDP') return ['tcp', 'udp'];
  return ['tcp']; // HTTP, HTTPS, TCP, TLS
}

/** One service's subnets, public address, internet route and (deployed) instance addresses. */
function readService(index: ResourceIndex, parts: ServiceParts, network: string, name: string): ServiceNode {
  const key = `${network}/${name}`;
  const group = parts.group(key);

  // The group's own subnets are where instances land; the tags are the fallback for a group
  // whose subnet list this reader cannot follow.
  let subnets = blocks(group?.attributes.vpc_zone_identifier)
    .map((ref) => index.resolve(ref, 'aws_subnet'))
    .filter((s): s is TfResource => s !== undefined);
  if (subnets.length === 0) subnets = parts.taggedSubnets(key);

  const template = launchTemplateOf(index, group) ?? parts.taggedTemplate(key);
  const associate = blocks(template?.attributes.network_interfaces)[0]?.associate_public_ip_address;
  // A launch template that says nothing leaves it to the subnet's map_public_ip_on_launch.
  const publicAddress = associate === undefined || associate === null || associate === ''
    ? subnets.some((s) => isTrue(s.attributes.map_public_ip_on_launch))
    : isTrue(associate);

  const instances = parts.instancesOf(group);
  return {
    key,
    network,
    name,
    subnets: subnets.map((s) => canonicalCidr(s.attributes.cidr_block)).filter((c): c is string => c !== undefined).sort(),
    publicAddress,
    internetRoute: subnets.some((s) => parts.routes.fromInternet(s)),
    privateIps: ipsOf(instances?.attributes.private_ips),
    publicIps: ipsOf(instances?.attributes.public_ips),
  };
}

/** The group's launch template, plain or through a mixed instances policy. */
function launchTemplateOf(index: ResourceIndex, group: TfResource | undefined): TfResource | undefined {
  if (!group) return undefined;
  const plain = blocks(group.attributes.launch_template)[0];
  const mixed = blocks(blocks(blocks(group.attributes.mixed_instances_policy)[0]?.launch_template)[0]?.launch_template_specification)[0];
  const refs = [plain?.id, plain?.name, mixed?.launch_template_id, mixed?.launch_template_name];
  for (const ref of refs) {
    const found = index.resolve(ref, 'aws_launch_template');
    if (found) return found;
  }
  return undefined;
}

/**
 * Which subnets the internet can route packets into: the subnet's route table (its explicit
 * association, else the VPC's main table) sends 0.0.0.0/0 to an internet gateway. A NAT
 * gateway's default route lets instances out, never anything in.
 */
class InternetRoutes {
  private readonly tableOf = new Map<TfResource, TfResource>();
  private readonly mainTableOf = new Map<TfResource, TfResource>();
  private readonly open = new Set<TfResource>();

  constructor(private readonly index: ResourceIndex) {
    for (const a of index.all('aws_route_table_association')) {
      const subnet = index.resolve(a.attributes.subnet_id, 'aws_subnet');
      const table = index.resolve(a.attributes.route_table_id, 'aws_route_table');
      if (subnet && table) this.tableOf.set(subnet, table);
    }
    for (const a of index.all('aws_main_route_table_association')) {
      const vpc = index.resolve(a.attributes.vpc_id, 'aws_vpc');
      const table = index.resolve(a.attributes.route_table_id, 'aws_route_table');
      if (vpc && table) this.mainTableOf.set(vpc, table);
    }
    for (const r of index.all('aws_route')) {
      if (r.attributes.destination_cidr_block !== '0.0.0.0/0' || !this.isInternetGateway(r.attributes.gateway_id)) continue;
      const table = index.resolve(r.attributes.route_table_id, 'aws_route_table');
      if (table) this.open.add(table);
    }
    for (const table of index.all('aws_route_table')) {
      if (blocks(table.attributes.route).some((r) => r.cidr_block === '0.0.0.0/0' && this.isInternetGateway(r.gateway_id))) this.open.add(table);
    }
  }

  public fromInternet(subnet: TfResource): boolean {
    const table = this.tableOf.get(subnet) ?? this.mainTableOf.get(this.index.resolve(subnet.attributes.vpc_id, 'aws_vpc')!);
    return table !== undefined && this.open.has(table);
  }

  private isInternetGateway(ref: unknown): boolean {
    return this.index.resolve(ref, 'aws_internet_gateway') !== undefined || (typeof ref === 'string' && ref.startsWith('igw-'));
  }
}

/** A rule's source security group as a service, or why it cannot be one. */
function groupSource(index: ResourceIndex, groupOf: Map<TfResource, ServiceKey>, ref: unknown): TrafficSource | string {
  const service = groupOf.get(index.resolve(ref, 'aws_security_group')!);
  return service ? { kind: 'service', service } : `its source security group ${String(ref)} is not a Butter service's`;
}

function cidrSource(cidr: unknown): TrafficSource | string {
  const canonical = canonicalCidr(cidr);
  if (canonical) return { kind: 'cidr', cidr: canonical };
  return cidr === undefined || cidr === null ? 'it has no IPv4 source (IPv6 and prefix lists are not analysed)' : `its source ${String(cidr)} is not an IPv4 block known before deploy`;
}

function addRule(rules: AccessRule[], warnings: string[], r: TfResource, destination: ServiceKey, source: TrafficSource | string,
  protocol: unknown, from: unknown, to: unknown, description: unknown): void {
  const origin = addressOf(r);
  if (typeof source === 'string') {
    warnings.push(`${origin} is left out: ${source}`);
    return;
  }
  const port = awsPort(protocol, from, to);
  if (!port) {
    warnings.push(`${origin} is left out: protocol ${String(protocol)} ports ${String(from)}-${String(to)} are not analysed (only tcp, udp, icmp and all)`);
    return;
  }
  rules.push({
    origin,
    network: destination.split('/')[0],
    destination,
    source,
    port,
    ...(typeof description === 'string' && description !== '' ? { description } : {}),
  });
}

/** An AWS protocol (name or number, `-1` for all) and port pair as a Port; undefined if unsupported. */
export function awsPort(protocol: unknown, from: unknown, to: unknown): Port | undefined {
  const p = String(protocol).toLowerCase();
  const lo = Number(from);
  const hi = Number(to);
  try {
    if (p === '-1' || p === 'all') return Port.allTraffic();
    if (p === 'icmp' || p === '1') return lo === -1 || from === undefined || from === null ? Port.allIcmp() : Port.icmpType(lo, Number.isInteger(hi) ? hi : -1);
    if (p === 'tcp' || p === '6') return Port.tcpRange(lo, hi);
    if (p === 'udp' || p === '17') return Port.udpRange(lo, hi);
  } catch {
    return undefined; // a range the cloud would reject as well
  }
  return undefined;
}

/** Instance addresses as the data source lists them, in address order (it has none before deploy). */
function ipsOf(value: unknown): string[] {
  return blocks(value)
    .filter((ip): ip is string => typeof ip === 'string' && rangeOf(ip) !== undefined && !ip.includes('/'))
    .sort(compareIps);
}

/** Order of addresses by value, not text (10.0.0.10 after 10.0.0.9). */
export function compareIps(a: string, b: string): number {
  return rangeOf(a)!.lo - rangeOf(b)!.lo;
}
