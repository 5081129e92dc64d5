import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { Port } from '../../../../src/model/port';
import { toDot, id, serviceId, cidrId } from '../../../../src/reachability/graph/dot';
import { ReachabilityModel } from '../../../../src/reachability/model';
import { rule, sampleModel, service } from './sample';

/** The graph as Graphviz itself parses it (its JSON output), so syntax and escaping are checked by the real parser. */
interface ParsedGraph {
  objects?: Array<{ _gvid: number; name: string; label?: string; nodes?: number[]; style?: string }>;
  edges?: Array<{ tail: number; head: number; label?: string; style?: string; tooltip?: string }>;
}

let graphviz: Graphviz;
beforeAll(async () => {
  graphviz = await Graphviz.load();
});

function parse(dot: string): { clusters: Map<string, string[]>; nodes: Map<string, string>; edges: string[] } {
  const g = JSON.parse(graphviz.layout(dot, 'json')) as ParsedGraph;
  const objects = g.objects ?? [];
  const byId = new Map(objects.map((o) => [o._gvid, o]));
  const clusters = new Map<string, string[]>();
  const nodes = new Map<string, string>();
  for (const o of objects) {
    if (o.nodes) clusters.set(o.name, o.nodes.map((n) => byId.get(n)!.name).sort());
    else nodes.set(o.name, o.label ?? '');
  }
  const edges = (g.edges ?? []).map((e) => `${byId.get(e.tail)!.name} -> ${byId.get(e.head)!.name} [${e.label}]${e.style ? ` ${e.style}` : ''}`).sort();
  return { clusters, nodes, edges };
}

describe('toDot', () => {
  test("draws the seed's shape: a cluster per network, services inside, CIDR sources outside, edges labelled protocol:port", () => {
    const g = parse(toDot(sampleModel()));
    expect([...g.clusters.keys()].sort()).toEqual(['cluster_dev', 'cluster_ops']);
    expect(g.clusters.get('cluster_dev')).toEqual(['service:dev/db', 'service:dev/lb', 'service:dev/web']);
    expect(g.clusters.get('cluster_ops')).toEqual(['service:ops/dns', 'service:ops/metrics']);
    // CIDR nodes belong to no cluster.
    const clustered = new Set([...g.clusters.values()].flat());
    expect(clustered.has('cidr:0.0.0.0/0')).toBe(false);
    expect(clustered.has('cidr:10.0.0.0/8')).toBe(false);
    expect(g.nodes.get('service:dev/web')).toBe('web');
    expect(g.nodes.get('cidr:0.0.0.0/0')).toBe('internet\\n0.0.0.0/0');
    expect(g.nodes.get('cidr:10.0.0.0/8')).toBe('10.0.0.0/8');
    expect(g.edges).toEqual([
      'cidr:0.0.0.0/0 -> service:dev/lb [tcp:443]',
      'cidr:10.0.0.0/8 -> service:ops/dns [udp:53]',
      'cidr:10.0.0.0/8 -> service:ops/metrics [tcp:8000-8080]',
      'service:dev/lb -> service:dev/web [tcp:80]',
      'service:dev/web -> service:dev/db [all]',
      'service:ops/metrics -> service:ops/dns [icmp]',
    ]);
  });

  test('the cluster carries the network name as its label', () => {
    const dot = toDot(sampleModel());
    expect(dot).toMatch(/subgraph "cluster_dev" \{\n {4}graph \[label="dev", tooltip="aws network dev, stack aws-stack"/);
    expect(dot).toMatch(/subgraph "cluster_ops" \{\n {4}graph \[label="ops", tooltip="google network ops, stack gce-stack"/);
  });

  test('is deterministic: the order of the input does not matter', () => {
    const m = sampleModel();
    const shuffled: ReachabilityModel = {
      networks: [...m.networks].reverse(),
      services: [m.services[3], m.services[0], m.services[4], m.services[2], m.services[1]],
      rules: [...m.rules].reverse(),
    };
    expect(toDot(shuffled)).toBe(toDot(m));
  });

  test('one edge per source, destination and port, naming every rule that allows it', () => {
    const m: ReachabilityModel = {
      networks: [{ name: 'dev', cloud: 'google' }],
      services: [service('dev', 'web')],
      rules: [
        rule('0.0.0.0/0', 'dev/web', Port.tcp(80), 'google_compute_firewall.b'),
        rule('0.0.0.0/0', 'dev/web', Port.tcp(80), 'google_compute_firewall.a'),
        rule('0.0.0.0/0', 'dev/web', Port.tcp(443), 'google_compute_firewall.a'),
      ],
    };
    const dot = toDot(m);
    expect(parse(dot).edges).toEqual(['cidr:0.0.0.0/0 -> service:dev/web [tcp:443]', 'cidr:0.0.0.0/0 -> service:dev/web [tcp:80]']);
    expect(dot).toContain('[label="tcp:80", tooltip="tcp:80 allowed by google_compute_firewall.a, google_compute_firewall.b"]');
  });

  test('quotes and escapes names so that the drawn text is exactly the name', () => {
    const odd = 'we"b\\x\ny';
    const m: ReachabilityModel = {
      networks: [{ name: 'my net "1"', cloud: 'aws' }],
      services: [service('my net "1"', odd)],
      rules: [rule('0.0.0.0/0', `my net "1"/${odd}`, Port.tcp(22))],
    };
    const dot = toDot(m);
    expect(dot).toContain('subgraph "cluster_my net \\"1\\"" {');
    expect(dot).toContain('label="we\\"b\\\\x\\ny"');
    const g = parse(dot);
    expect([...g.clusters.keys()]).toEqual(['cluster_my net "1"']);
    expect(g.edges).toHaveLength(1);
    // What Graphviz draws: the name with its quote and backslash, broken at the line break.
    const texts = [...graphviz.dot(dot).matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toEqual(expect.arrayContaining(['my net &quot;1&quot;', 'we&quot;b\\x', 'y']));
  });

  test('id() escapes backslashes first, so a trailing backslash cannot end the string', () => {
    expect(id('a\\')).toBe('"a\\\\"');
    expect(id('"')).toBe('"\\""');
    expect(id('a\r\nb')).toBe('"a\\nb"');
    expect(serviceId('dev/web')).not.toBe(cidrId('dev/web'));
  });

  test('marks services with a public address and an internet route', () => {
    const dot = toDot(sampleModel());
    const line = (key: string) => dot.split('\n').find((l) => l.includes(`"service:${key}" [`))!;
    expect(line('dev/lb')).toContain('fillcolor="#fff1c9"');
    expect(line('dev/lb')).toContain('public 54.1.2.3');
    expect(line('dev/web')).toContain('fillcolor="#eef3fb"');
    expect(line('dev/web')).toContain('private 10.0.1.10, 10.0.1.11');
    // A public address without a route to the internet is not public-facing.
    const unrouted = toDot({ networks: [{ name: 'n', cloud: 'aws' }], services: [service('n', 's', { publicAddress: true })], rules: [] });
    expect(unrouted).toContain('fillcolor="#eef3fb"');
  });

  test('a network without services is still drawn; a rule naming an unknown service draws it dashed outside', () => {
    const m: ReachabilityModel = {
      networks: [{ name: 'empty', cloud: 'aws' }, { name: 'dev', cloud: 'aws' }],
      services: [service('dev', 'web')],
      rules: [rule('other/api', 'dev/web', Port.tcp(80))],
    };
    const g = parse(toDot(m));
    expect(g.clusters.get('cluster_empty')).toEqual(['empty:empty']);
    expect(g.nodes.get('service:other/api')).toBe('other/api');
    expect([...g.clusters.values()].flat()).not.toContain('service:other/api');
    expect(g.edges).toEqual(['service:other/api -> service:dev/web [tcp:80]']);
  });

  test('draws rules overridden by a deny as dotted "denied" edges, unless asked not to; partly shadowed ones are not', () => {
    const m: ReachabilityModel = {
      networks: [{ name: 'dev', cloud: 'google' }],
      services: [service('dev', 'web')],
      rules: [rule('10.0.0.0/8', 'dev/web', Port.tcp(80), 'google_compute_firewall.partly')],
      shadowed: [
        { rule: rule('0.0.0.0/0', 'dev/web', Port.tcp(22), 'google_compute_firewall.ssh'), deniedBy: 'google_compute_firewall.deny', denyPriority: 100, partial: false },
        { rule: rule('10.0.0.0/8', 'dev/web', Port.tcp(80), 'google_compute_firewall.partly'), deniedBy: 'google_compute_firewall.deny', denyPriority: 100, partial: true },
      ],
    };
    expect(parse(toDot(m)).edges).toEqual([
      'cidr:0.0.0.0/0 -> service:dev/web [tcp:22 denied] dotted',
      'cidr:10.0.0.0/8 -> service:dev/web [tcp:80]',
    ]);
    const without = parse(toDot(m, { shadowed: false }));
    expect(without.edges).toEqual(['cidr:10.0.0.0/8 -> service:dev/web [tcp:80]']);
    expect(without.nodes.has('cidr:0.0.0.0/0')).toBe(false);
  });

  test('title and direction', () => {
    expect(toDot(sampleModel(), { title: 'prod "east"', rankdir: 'TB' })).toContain('graph [rankdir="TB", fontname="Helvetica", nodesep="0.4", ranksep="1.1", label="prod \\"east\\"", labelloc="t", fontsize="16"];');
    expect(toDot({ networks: [], services: [], rules: [] })).not.toContain('label=');
  });

  test('rendered output', () => {
    expect(toDot(sampleModel())).toMatchSnapshot();
  });
});
