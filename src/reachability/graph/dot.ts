import { AccessRule, ReachabilityModel, ServiceNode, TrafficSource } from '../model';

/** Options for {@link toDot}. */
export interface DotOptions {
  /**
   * A title drawn above the graph.
   * @default - no title
   */
  readonly title?: string;
  /**
   * Graphviz rank direction: `LR` draws traffic left to right (sources on the left), `TB` top down.
   * @default 'LR'
   */
  readonly rankdir?: 'LR' | 'TB';
  /**
   * Also draw allow rules that a deny rule overrides entirely (Google), as dotted grey edges
   * labelled `tcp:80 denied`: they admit nothing, but "why can't A reach B" is often one of them.
   * @default true
   */
  readonly shadowed?: boolean;
}

/** Addresses that mean "anywhere": drawn as the internet rather than a bare block. */
const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);

/**
 * The model as a Graphviz DOT digraph, in the seed's shape: one `cluster_<network>` subgraph per
 * network labelled with its name, one node per service inside it, one node per CIDR source
 * outside every cluster, and one edge per source, destination and port, labelled `tcp:80`.
 *
 * The text is deterministic (everything is sorted by plain code-unit order, never by locale), so
 * the same deployment always draws the same file and diffs of it mean something. Every id and
 * label is quoted and escaped: names come from user programs and state files.
 */
export function toDot(model: ReachabilityModel, options: DotOptions = {}): string {
  const out: string[] = [];
  out.push('digraph butter {');
  const graphAttrs: Record<string, string> = { rankdir: options.rankdir ?? 'LR', fontname: 'Helvetica', nodesep: '0.4', ranksep: '1.1' };
  if (options.title) Object.assign(graphAttrs, { label: options.title, labelloc: 't', fontsize: '16' });
  out.push(`  graph ${attrs(graphAttrs)};`);
  out.push(`  node ${attrs({ fontname: 'Helvetica', fontsize: '12' })};`);
  out.push(`  edge ${attrs({ fontname: 'Helvetica', fontsize: '10', color: '#555555' })};`);

  const services = new Map(model.services.map((s) => [s.key, s]));
  // A service whose network the model does not list still gets its network's cluster.
  const networks = uniqueSorted([...model.networks.map((n) => n.name), ...model.services.map((s) => s.network)]);
  const networkOf = new Map(model.networks.map((n) => [n.name, n]));

  for (const name of networks) {
    const network = networkOf.get(name);
    const members = sortBy(model.services.filter((s) => s.network === name), (s) => s.key);
    out.push('');
    out.push(`  subgraph ${id(`cluster_${name}`)} {`);
    const tooltip = [`${network?.cloud ?? ''} network ${name}`.trim(), network?.stack ? `stack ${network.stack}` : ''].filter(Boolean).join(', ');
    out.push(`    graph ${attrs({ label: name, tooltip, style: 'rounded', color: '#7a8ca3', fontsize: '14' })};`);
    // Graphviz does not draw an empty cluster; a network with no service is still worth seeing.
    if (members.length === 0) out.push(`    ${id(`empty:${name}`)} ${attrs({ label: '(no services)', shape: 'plaintext', fontcolor: '#888888' })};`);
    for (const s of members) out.push(`    ${id(serviceId(s.key))} ${attrs(serviceAttrs(s))};`);
    out.push('  }');
  }

  // Partly shadowed rules still admit the rest, and are among the allowed rules already.
  const shadowed = options.shadowed === false ? [] : (model.shadowed ?? []).filter((s) => !s.partial).map((s) => s.rule);
  const outside = outsideNodes([...model.rules, ...shadowed], services);
  if (outside.length > 0) out.push('');
  for (const line of outside) out.push(`  ${line}`);

  const edges = edgesOf(model.rules);
  if (edges.length > 0) out.push('');
  for (const e of edges) {
    out.push(`  ${id(e.from)} -> ${id(e.to)} ${attrs({ label: e.label, tooltip: `${e.label} allowed by ${e.origins.join(', ')}` })};`);
  }
  for (const e of edgesOf(shadowed)) {
    out.push(`  ${id(e.from)} -> ${id(e.to)} ${attrs({ label: `${e.label} denied`, tooltip: `${e.label} of ${e.origins.join(', ')} is overridden by a deny rule`, style: 'dotted', color: '#999999', fontcolor: '#999999' })};`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** The node id of a service: prefixed, so no service can collide with a CIDR block. */
export function serviceId(key: string): string {
  return `service:${key}`;
}

/** The node id of a CIDR source. */
export function cidrId(cidr: string): string {
  return `cidr:${cidr}`;
}

function serviceAttrs(s: ServiceNode): Record<string, string> {
  // Reachable from the internet at all (public address and a route), whatever the rules say:
  // filled so that what *could* be exposed stands out; rules decide what actually is.
  const publicFacing = s.publicAddress && s.internetRoute;
  const facts = [
    s.key,
    s.subnets.length > 0 ? `subnets ${s.subnets.join(', ')}` : '',
    s.privateIps.length > 0 ? `private ${s.privateIps.join(', ')}` : '',
    s.publicIps.length > 0 ? `public ${s.publicIps.join(', ')}` : '',
    publicFacing ? 'public address, internet route' : 'no public address',
  ].filter(Boolean);
  if (s.balancer) {
    const b = s.balancer;
    const forwards = b.listeners.map((l) => `${l.port} -> ${l.targetPort}`).join(', ');
    return {
      label: `${s.name}\n${b.type} load balancer`,
      tooltip: [`${s.key}: ${b.scheme} ${b.type} load balancer in front of ${b.target}`, forwards ? `forwards ${forwards}` : '', b.address ?? ''].filter(Boolean).join('\n'),
      shape: 'hexagon',
      style: 'filled',
      fillcolor: publicFacing ? '#fff1c9' : '#eef3fb',
      color: publicFacing ? '#b7791f' : '#4a6fa5',
    };
  }
  return {
    label: s.name,
    tooltip: facts.join('\n'),
    shape: 'box',
    style: 'rounded,filled',
    fillcolor: publicFacing ? '#fff1c9' : '#eef3fb',
    color: publicFacing ? '#b7791f' : '#4a6fa5',
  };
}

/**
 * Nodes drawn outside the clusters: CIDR sources, and services a rule names that the model does
 * not describe (a source in a stack that was not read), drawn dashed so the gap is visible.
 */
function outsideNodes(rules: readonly AccessRule[], services: ReadonlyMap<string, ServiceNode>): string[] {
  const cidrs = new Set<string>();
  const unknown = new Set<string>();
  for (const r of rules) {
    if (r.source.kind === 'cidr') cidrs.add(r.source.cidr);
    else if (!services.has(r.source.service)) unknown.add(r.source.service);
    if (!services.has(r.destination)) unknown.add(r.destination);
  }
  const lines: string[] = [];
  for (const cidr of uniqueSorted([...cidrs])) {
    const anywhere = ANYWHERE.has(cidr);
    lines.push(`${id(cidrId(cidr))} ${attrs({
      label: anywhere ? `internet\n${cidr}` : cidr,
      tooltip: anywhere ? `any address (${cidr})` : `addresses in ${cidr}`,
      shape: 'ellipse',
      style: anywhere ? 'filled' : 'dashed',
      fillcolor: '#fde2e1',
      color: '#c0392b',
    })};`);
  }
  for (const key of uniqueSorted([...unknown])) {
    lines.push(`${id(serviceId(key))} ${attrs({ label: key, tooltip: `${key} (not in what was read)`, shape: 'box', style: 'rounded,dashed' })};`);
  }
  return lines;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly origins: string[];
}

/**
 * One edge per source, destination and port. Several rules can admit the same thing (an AWS
 * rule per protocol, a Google firewall per source); the edge keeps every origin in its tooltip.
 */
function edgesOf(rules: readonly AccessRule[]): Edge[] {
  const edges = new Map<string, Edge>();
  for (const r of rules) {
    const from = sourceId(r.source);
    const to = serviceId(r.destination);
    const label = r.port.toString();
    const k = JSON.stringify([from, to, label]);
    const e = edges.get(k) ?? { from, to, label, origins: [] };
    if (!e.origins.includes(r.origin)) e.origins.push(r.origin);
    edges.set(k, e);
  }
  for (const e of edges.values()) e.origins.sort(compare);
  return sortBy([...edges.values()], (e) => `${e.from}\u0000${e.to}\u0000${e.label}`);
}

function sourceId(source: TrafficSource): string {
  return source.kind === 'cidr' ? cidrId(source.cidr) : serviceId(source.service);
}

/**
 * A DOT quoted string. Inside quotes DOT itself only treats `\"` specially, but labels and
 * tooltips then interpret backslash escapes (`\n`, `\N`, `\G`...), so a backslash is doubled, a
 * quote escaped and a line break written as `\n`: the drawn text is exactly the input.
 */
export function id(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r\n|\r|\n/g, '\\n')}"`;
}

/** `[a="1", b="2"]` with keys in the given order (stable output). */
function attrs(values: Record<string, string>): string {
  return `[${Object.entries(values).map(([k, v]) => `${k}=${id(v)}`).join(', ')}]`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortBy<T>(items: T[], key: (item: T) => string): T[] {
  return items.sort((a, b) => compare(key(a), key(b)));
}

function uniqueSorted(items: readonly string[]): string[] {
  return [...new Set(items)].sort(compare);
}
