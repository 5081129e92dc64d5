/**
 * Reachability benchmark: read a synthesized stack of 1,000 services and 10,000 paths, index
 * it, and time questions against it. Targets: the whole analysis (JSON.parse of the document,
 * reading it, indexing) under 1 s; each query under 1 ms afterwards (judged at the 99th
 * percentile, the maximum is reported too).
 *
 *   npx tsx bench/reachability.ts [--services 1000] [--paths 10000] [--runs 5]
 *
 * The documents are generated in the shape the constructs synthesize (the resource types,
 * attributes and `${type.name.attr}` references of constructs/aws and constructs/google that
 * reachability reads), not by synthesizing 1,000 Services, which takes ~13 s and would measure
 * cdktf rather than the analysis. The run checks that all services and rules were read. Prints a table, writes
 * bench/results/reachability.json, and exits 1 when a target is missed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fromSynthesized, Reachability } from '../src/reachability';
import { table, passFail } from './table';

const args = process.argv.slice(2);
const flag = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const SERVICES = flag('services', 1000);
const PATHS = flag('paths', 10000);
const RUNS = flag('runs', 5);
const NETWORKS = 4;
const BUILD_TARGET_MS = 1000;
const QUERY_TARGET_MS = 1;

/** Deterministic pseudo-random numbers (mulberry32), so every run asks the same questions. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = random(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
const hash = (s: string) => [...s].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7).toString(16).toUpperCase().padStart(8, '0').slice(0, 8);
const id = (...parts: string[]) => `${parts.join('_')}_${hash(parts.join('/'))}`;
const ref = (type: string, name: string, attr: string) => `\${${type}.${name}.${attr}}`;

interface Svc { readonly network: string; readonly name: string; readonly index: number; readonly isPublic: boolean }

function services(): Svc[] {
  return Array.from({ length: SERVICES }, (_, i) => ({ network: `net${i % NETWORKS}`, name: `svc${i}`, index: Math.floor(i / NETWORKS), isPublic: i % 5 === 0 }));
}

/** A path's ports: mostly single TCP ports, some ranges, UDP, ICMP and everything. */
function randomPort(): { protocol: string; from?: number; to?: number } {
  const x = rnd();
  if (x < 0.6) { const p = pick([22, 80, 443, 5432, 6379, 8080, 9000 + Math.floor(rnd() * 100)]); return { protocol: 'tcp', from: p, to: p }; }
  if (x < 0.75) { const p = 8000 + Math.floor(rnd() * 1000); return { protocol: 'tcp', from: p, to: p + Math.floor(rnd() * 50) }; }
  if (x < 0.93) { const p = pick([53, 123, 514, 4789]); return { protocol: 'udp', from: p, to: p }; }
  if (x < 0.98) return { protocol: 'icmp', from: -1, to: -1 };
  return { protocol: '-1' };
}

/** A path's source: mostly another service of the network, else a block (the internet, a partner, one address). */
function randomSource(svcs: readonly Svc[], network: string): Svc | string {
  const x = rnd();
  if (x < 0.7) return pick(svcs.filter((s) => s.network === network));
  if (x < 0.8) return '0.0.0.0/0';
  if (x < 0.9) return `10.${100 + Math.floor(rnd() * 100)}.0.0/16`;
  return `198.51.100.${Math.floor(rnd() * 256)}/32`;
}

function subnetOf(s: Svc, zone: number): string {
  const n = s.index * 3 + zone; // /28s, 16 addresses each, in the network's /16
  return `10.${Number(s.network.slice(3))}.${Math.floor(n / 16)}.${(n % 16) * 16}/28`;
}

function awsDoc(svcs: readonly Svc[]): object {
  const resource: Record<string, Record<string, any>> = {};
  const data: Record<string, Record<string, any>> = {};
  const add = (section: Record<string, Record<string, any>>, type: string, name: string, attrs: object) => ((section[type] ??= {})[name] = attrs);
  const tags = (network: string, service?: string) => ({ Name: [network, service].filter(Boolean).join('-'), 'butter:network': network, ...(service ? { 'butter:service': service } : {}) });
  const sgOf = new Map<Svc, string>();
  for (let n = 0; n < NETWORKS; n++) {
    const net = `net${n}`;
    add(resource, 'aws_vpc', id(net, 'vpc'), { cidr_block: `10.${n}.0.0/16`, enable_dns_support: true, tags: tags(net) });
    const vpc = ref('aws_vpc', id(net, 'vpc'), 'id');
    add(resource, 'aws_internet_gateway', id(net, 'igw'), { vpc_id: vpc, tags: tags(net) });
    add(resource, 'aws_route_table', id(net, 'public-routes'), { vpc_id: vpc, tags: tags(net) });
    add(resource, 'aws_route', id(net, 'public-default-route'), { destination_cidr_block: '0.0.0.0/0', gateway_id: ref('aws_internet_gateway', id(net, 'igw'), 'id'), route_table_id: ref('aws_route_table', id(net, 'public-routes'), 'id') });
    add(resource, 'aws_nat_gateway', id(net, 'nat-0'), { subnet_id: 'x', allocation_id: 'y', tags: tags(net) });
    add(resource, 'aws_route_table', id(net, 'private-routes-0'), { vpc_id: vpc, tags: tags(net) });
    add(resource, 'aws_route', id(net, 'private-default-route-0'), { destination_cidr_block: '0.0.0.0/0', nat_gateway_id: ref('aws_nat_gateway', id(net, 'nat-0'), 'id'), route_table_id: ref('aws_route_table', id(net, 'private-routes-0'), 'id') });
  }
  for (const s of svcs) {
    const t = tags(s.network, s.name);
    const subnets = [0, 1, 2].map((z) => {
      const name = id(s.network, s.name, `subnet-${z}`);
      add(resource, 'aws_subnet', name, { cidr_block: subnetOf(s, z), vpc_id: ref('aws_vpc', id(s.network, 'vpc'), 'id'), availability_zone: `\${data.aws_availability_zones.zones.names.${z}}`, tags: t });
      add(resource, 'aws_route_table_association', id(s.network, s.name, `subnet-${z}-routes`), {
        subnet_id: ref('aws_subnet', name, 'id'), route_table_id: ref('aws_route_table', id(s.network, s.isPublic ? 'public-routes' : 'private-routes-0'), 'id'),
      });
      return ref('aws_subnet', name, 'id');
    });
    const sg = id(s.network, s.name, 'sg');
    sgOf.set(s, sg);
    add(resource, 'aws_security_group', sg, { name: `${s.network}-${s.name}`, description: `Butter service ${s.network}-${s.name}: ingress only from Paths`, vpc_id: ref('aws_vpc', id(s.network, 'vpc'), 'id'), tags: t });
    add(resource, 'aws_vpc_security_group_egress_rule', id(s.network, s.name, 'egress'), { ip_protocol: '-1', cidr_ipv4: '0.0.0.0/0', security_group_id: ref('aws_security_group', sg, 'id'), tags: t });
    const lt = id(s.network, s.name, 'template');
    add(resource, 'aws_launch_template', lt, {
      name: `${s.network}-${s.name}`, image_id: ref('data.aws_ami', id(s.network, s.name, 'image'), 'id'), instance_type: 't3a.medium', tags: t,
      network_interfaces: [{ associate_public_ip_address: String(s.isPublic), delete_on_termination: 'true', security_groups: [ref('aws_security_group', sg, 'id')] }],
    });
    const asg = id(s.network, s.name, 'group');
    add(resource, 'aws_autoscaling_group', asg, {
      name: `${s.network}-${s.name}`, min_size: 3, max_size: 3, desired_capacity: 3, vpc_zone_identifier: subnets,
      launch_template: { id: ref('aws_launch_template', lt, 'id'), version: ref('aws_launch_template', lt, 'latest_version') },
      tag: Object.entries(t).map(([key, value]) => ({ key, value, propagate_at_launch: true })),
    });
    add(data, 'aws_ami', id(s.network, s.name, 'image'), { most_recent: true, owners: ['099720109477'], filter: [{ name: 'name', values: ['ubuntu/*'] }] });
    add(data, 'aws_instances', id(s.network, s.name, 'instances'), { instance_tags: { 'aws:autoscaling:groupName': ref('aws_autoscaling_group', asg, 'name') }, instance_state_names: ['pending', 'running'] });
  }
  for (let i = 0; i < PATHS; i++) {
    const dest = pick(svcs);
    const source = randomSource(svcs, dest.network);
    const port = randomPort();
    add(resource, 'aws_vpc_security_group_ingress_rule', id(dest.network, dest.name, `path-${i}`, 'rule'), {
      security_group_id: ref('aws_security_group', sgOf.get(dest)!, 'id'),
      ip_protocol: port.protocol, ...(port.from !== undefined ? { from_port: port.from, to_port: port.to } : {}),
      ...(typeof source === 'string' ? { cidr_ipv4: source } : { referenced_security_group_id: ref('aws_security_group', sgOf.get(source)!, 'id') }),
      description: `path ${i}`, tags: { 'butter:network': dest.network, 'butter:service': dest.name },
    });
  }
  return { '//': { metadata: { stackName: 'bench-aws' } }, resource, data };
}

function googleDoc(svcs: readonly Svc[]): object {
  const resource: Record<string, Record<string, any>> = {};
  const add = (type: string, name: string, attrs: object) => ((resource[type] ??= {})[name] = attrs);
  const tagOf = (s: Svc) => `${s.network}-${s.name}`;
  for (let n = 0; n < NETWORKS; n++) {
    const net = `net${n}`;
    add('google_compute_network', id(net, 'network'), { name: net, description: `Butter network ${net}`, auto_create_subnetworks: false, delete_default_routes_on_create: false });
    add('google_compute_firewall', id(net, 'deny-all-ingress'), { name: `${net}-deny-all-ingress`, network: ref('google_compute_network', id(net, 'network'), 'id'), direction: 'INGRESS', priority: 65534, source_ranges: ['0.0.0.0/0'], deny: [{ protocol: 'all' }] });
  }
  for (const s of svcs) {
    const subnet = id(s.network, s.name, 'subnet');
    add('google_compute_subnetwork', subnet, { name: tagOf(s), description: `Butter service ${s.name}`, ip_cidr_range: subnetOf(s, 0), network: ref('google_compute_network', id(s.network, 'network'), 'id') });
    const template = id(s.network, s.name, 'template');
    add('google_compute_instance_template', template, {
      name_prefix: `${tagOf(s)}-`, description: `Butter service ${s.name}`, machine_type: 'e2-medium', tags: [tagOf(s)],
      network_interface: [{ subnetwork: ref('google_compute_subnetwork', subnet, 'self_link'), access_config: s.isPublic ? [{ network_tier: 'PREMIUM' }] : undefined }],
    });
    const group = id(s.network, s.name, 'group');
    add('google_compute_region_instance_group_manager', group, { name: tagOf(s), description: `Butter service ${s.name}`, base_instance_name: tagOf(s), target_size: 0, version: [{ name: 'primary', instance_template: ref('google_compute_instance_template', template, 'self_link_unique') }] });
    for (let i = 0; i < 2; i++) {
      const address = id(s.network, s.name, `ip-${i}`);
      const [base] = subnetOf(s, 0).split('/');
      add('google_compute_address', address, { name: `${tagOf(s)}-ip-${i}`, address_type: 'INTERNAL', address: base.replace(/\d+$/, (d) => String(Number(d) + 2 + i)), subnetwork: ref('google_compute_subnetwork', subnet, 'id') });
      add('google_compute_region_per_instance_config', id(s.network, s.name, `instance-${i}`), {
        name: `${tagOf(s)}-${i}`, region_instance_group_manager: ref('google_compute_region_instance_group_manager', group, 'name'),
        preserved_state: { internal_ip: [{ interface_name: 'nic0', auto_delete: 'NEVER', ip_address: { address: ref('google_compute_address', address, 'self_link') } }] },
      });
    }
  }
  for (let i = 0; i < PATHS; i++) {
    const dest = pick(svcs);
    const source = randomSource(svcs, dest.network);
    const port = randomPort();
    const protocol = port.protocol === '-1' ? 'all' : port.protocol;
    const ports = protocol === 'tcp' || protocol === 'udp' ? { ports: [port.from === port.to ? `${port.from}` : `${port.from}-${port.to}`] } : {};
    add('google_compute_firewall', id(dest.network, dest.name, `path-${i}`, 'rule'), {
      name: `${tagOf(dest)}-path-${i}`, network: ref('google_compute_network', id(dest.network, 'network'), 'id'), direction: 'INGRESS', priority: 1000,
      target_tags: [tagOf(dest)], allow: [{ protocol, ...ports }],
      ...(typeof source === 'string' ? { source_ranges: [source] } : { source_tags: [tagOf(source)] }),
    });
  }
  return { '//': { metadata: { stackName: 'bench-google' } }, resource };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

interface Result {
  readonly cloud: string;
  readonly resources: number;
  readonly documentMB: number;
  readonly buildMs: { readonly parse: number; readonly read: number; readonly index: number; readonly total: number };
  readonly hasAccess: { readonly medianMs: number; readonly p99Ms: number; readonly maxMs: number; readonly allowedShare: number };
  readonly internetAccessible: { readonly medianMs: number; readonly p99Ms: number; readonly maxMs: number };
  readonly pathsMs: number;
  readonly exposureMs: number;
}

function measure(cloud: string, doc: object, svcs: readonly Svc[]): Result {
  const text = JSON.stringify(doc);
  const runs: Array<{ parse: number; read: number; index: number; total: number }> = [];
  let reach!: Reachability;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const parsed = JSON.parse(text);
    const parse = ms(t0);
    const t1 = process.hrtime.bigint();
    const model = fromSynthesized(parsed);
    const read = ms(t1);
    const t2 = process.hrtime.bigint();
    reach = new Reachability(model);
    runs.push({ parse, read, index: ms(t2), total: ms(t0) });
  }
  const best = runs.sort((a, b) => a.total - b.total)[Math.floor(runs.length / 2)]; // the median run
  if (reach.services.length !== svcs.length || reach.paths().length !== PATHS) {
    throw new Error(`read ${reach.services.length} services and ${reach.paths().length} rules, expected ${svcs.length} and ${PATHS}`);
  }

  // Questions: a service or a block as the source, any destination, a port of any kind.
  const sources = (s: Svc) => [`${s.network}/${pick(svcs.filter((x) => x.network === s.network)).name}`, '0.0.0.0/0', `10.${100 + Math.floor(rnd() * 100)}.3.0/24`, `198.51.100.${Math.floor(rnd() * 256)}`];
  const ports = [80, 443, 22, 'udp:53', 'tcp:8000-8100', 'icmp', 9050];
  const questions = Array.from({ length: 10000 }, () => {
    const dest = pick(svcs);
    return [pick(sources(dest)), `${dest.network}/${dest.name}`, pick(ports)] as const;
  });
  // Warm up the JIT on other questions, then time each one.
  for (const [s, d, p] of questions.slice(0, 1000)) reach.hasAccess(s, d, p);
  let allowed = 0;
  const access = questions.map(([s, d, p]) => {
    const t = process.hrtime.bigint();
    if (reach.hasAccess(s, d, p).allowed) allowed++;
    return ms(t);
  });
  const internet = questions.slice(0, 2000).map(([, d, p]) => {
    const t = process.hrtime.bigint();
    reach.internetAccessible(d, p);
    return ms(t);
  });
  let t = process.hrtime.bigint();
  reach.paths();
  const pathsMs = ms(t);
  t = process.hrtime.bigint();
  reach.exposure();
  const exposureMs = ms(t);
  const resources = Object.values((doc as any).resource).reduce((n: number, byName: any) => n + Object.keys(byName).length, 0);
  return {
    cloud,
    resources,
    documentMB: text.length / 1e6,
    buildMs: best,
    hasAccess: { medianMs: median(access), p99Ms: percentile(access, 0.99), maxMs: Math.max(...access), allowedShare: allowed / access.length },
    internetAccessible: { medianMs: median(internet), p99Ms: percentile(internet, 0.99), maxMs: Math.max(...internet) },
    pathsMs,
    exposureMs,
  };
}

const svcs = services();
const results = [measure('aws', awsDoc(svcs), svcs), measure('google', googleDoc(svcs), svcs)];
const ok = (r: Result) => r.buildMs.total < BUILD_TARGET_MS && r.hasAccess.p99Ms < QUERY_TARGET_MS && r.internetAccessible.p99Ms < QUERY_TARGET_MS;

console.log(`Reachability: ${SERVICES} services in ${NETWORKS} networks, ${PATHS} paths; generated synthesized documents of the constructs' shape (not a synth of ${SERVICES} Services); median of ${RUNS} builds; 10,000 hasAccess and 2,000 internetAccessible questions after 1,000 warm-up ones`);
console.log(table(
  ['cloud', 'resources', 'doc MB', 'parse ms', 'read ms', 'index ms', 'build ms', 'hasAccess median ms', 'p99 ms', 'max ms', 'internet p99 ms', 'paths() ms', 'exposure() ms', 'target'],
  results.map((r) => [r.cloud, r.resources, r.documentMB, r.buildMs.parse, r.buildMs.read, r.buildMs.index, r.buildMs.total, r.hasAccess.medianMs, r.hasAccess.p99Ms, r.hasAccess.maxMs, r.internetAccessible.p99Ms, r.pathsMs, r.exposureMs, passFail(ok(r))]),
));
console.log(`targets: build (parse + read + index) < ${BUILD_TARGET_MS} ms; hasAccess and internetAccessible p99 < ${QUERY_TARGET_MS} ms`);

const out = path.join(__dirname, 'results', 'reachability.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, services: SERVICES, paths: PATHS, networks: NETWORKS, runs: RUNS, generated: true, results }, null, 2)}\n`);
console.log(`written ${path.relative(process.cwd(), out)}`);
process.exit(results.every(ok) ? 0 : 1);
