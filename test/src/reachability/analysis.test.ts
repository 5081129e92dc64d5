import { TerraformStack } from 'cdktf';
import { Internet, Network, Path, Port, Service } from '../../../constructs';
import { ButterError } from '../../../src/errors';
import { Reachability, fromSynthesized, ReachabilityModel } from '../../../src/reachability';
import { blueprints, lbAndWeb, networkStack, synth } from './helpers';

const bps = blueprints();
const reach = (stack: TerraformStack) => new Reachability(fromSynthesized(synth(stack)));

/**
 * The seed's `paths.has_access` / `internet_accessible` / `list`, answered from what the
 * constructs synthesize, the same on both clouds.
 */
describe.each(['aws', 'google'] as const)('%s: reachability of synthesized stacks', (cloud) => {
  test('seed paths test: no access before a Path, access after adding it, gone after removing it; internet accessibility likewise', () => {
    const { stack, lb, web } = lbAndWeb(cloud, bps);
    let r = reach(stack);
    expect(r.hasAccess(lb.serviceName, web.serviceName, 80).allowed).toBe(false);
    expect(r.hasAccess('lb', 'web', 80).reason).toBe('no rule admits tcp:80 from dev/lb to dev/web; dev/web has no ingress rules, so nothing can reach it');
    expect(r.internetAccessible('lb', 443).allowed).toBe(false);
    expect(r.paths()).toEqual([]);

    const toWeb = new Path(lb, web, 80);
    const toLb = new Path(Internet, lb, 443);
    r = reach(stack);
    const verdict = r.hasAccess('lb', 'web', 80);
    expect(verdict.allowed).toBe(true);
    expect(verdict.rules.map((x) => x.origin)).toEqual([expect.stringMatching(/^(aws_vpc_security_group_ingress_rule|google_compute_firewall)\.dev_web_from-lb-tcp-80_rule_/)]);
    expect(verdict.reason).toMatch(/^dev\/lb can reach dev\/web on tcp:80: allowed by \S+ \(tcp:80 from dev\/lb\)$/);
    expect(r.hasAccess('web', 'lb', 80).allowed).toBe(false); // a Path is one-way
    expect(r.internetAccessible('lb', 443).allowed).toBe(true);
    expect(r.internetAccessible('lb', 80).allowed).toBe(false);
    expect(r.internetAccessible('web', 80).allowed).toBe(false);
    expect(r.paths().map((p) => `${p.source.kind === 'cidr' ? p.source.cidr : p.source.service}>${p.destination}:${p.port}`))
      .toEqual(['0.0.0.0/0>dev/lb:tcp:443', 'dev/lb>dev/web:tcp:80']);

    web.node.tryRemoveChild(toWeb.node.id);
    lb.node.tryRemoveChild(toLb.node.id);
    r = reach(stack);
    expect(r.hasAccess('lb', 'web', 80).allowed).toBe(false);
    expect(r.internetAccessible('lb', 443).allowed).toBe(false);
  });

  describe('tricky cases', () => {
    let r: Reachability;
    beforeAll(() => {
      const { stack, network, lb, web } = lbAndWeb(cloud, bps);
      const db = new Service(network, 'db', { blueprint: bps.privateBp, count: 1 });
      const api = new Service(network, 'api', { blueprint: bps.publicBp, count: 1 });
      new Path(lb, web, 80);
      new Path(Internet, lb, 80);
      new Path(Internet, lb, Port.tcp(443));
      new Path(Internet, web, 8080); // open to the world, but web has no public address
      new Path(lb, web, Port.tcpRange(8000, 8080));
      new Path(lb, db, Port.udp(53));
      new Path('203.0.113.7/32', api, 22);
      new Path('10.0.0.0/17', db, 5432);
      new Path('10.0.128.0/17', db, 5432);
      new Path('172.16.0.0/12', db, 6379);
      new Path(web, db, Port.tcpRange(5000, 5009));
      new Path(web, db, Port.tcpRange(5010, 5019));
      new Path(lb, api, Port.allIcmp());
      r = reach(stack);
    });

    test('a rule for 0.0.0.0/0 on a service with no public address: the firewall admits it, the internet cannot use it', () => {
      const v = r.internetAccessible('web', 8080);
      expect(v).toMatchObject({ allowed: false, admitted: true, publicAddress: false });
      expect(v.reason).toMatch(/^dev\/web is not reachable from the internet on tcp:8080: it has no public address/);
      expect(v.rules).toHaveLength(1);
      const direct = r.hasAccess('0.0.0.0/0', 'web', 8080);
      expect(direct.allowed).toBe(true);
      expect(direct.reason).toContain('but dev/web is not reachable from the internet: it has no public address');
      expect(r.exposure().notExposed.map((e) => [e.service.key, e.ports.map(String)])).toEqual([['dev/web', ['tcp:8080']]]);
      expect(r.exposure().notExposed[0].reason).toMatch(/^not exposed because it has no public address/);
    });

    test('a port range is admitted only as a whole', () => {
      expect(r.hasAccess('lb', 'web', 8000).allowed).toBe(true);
      expect(r.hasAccess('lb', 'web', 8080).allowed).toBe(true);
      expect(r.hasAccess('lb', 'web', 'tcp:8000-8080').allowed).toBe(true);
      expect(r.hasAccess('lb', 'web', 8081).allowed).toBe(false);
      const edge = r.hasAccess('lb', 'web', 'tcp:7999-8000');
      expect(edge.allowed).toBe(false);
      expect(edge.reason).toMatch(/^not all of tcp:7999-8000 from dev\/lb to dev\/web is admitted \(no rule admits tcp:7999\)/);
      // Two adjacent rules add up to one range.
      expect(r.hasAccess('web', 'db', Port.tcpRange(5000, 5019)).allowed).toBe(true);
      expect(r.hasAccess('web', 'db', Port.tcpRange(5000, 5019)).rules).toHaveLength(2);
      expect(r.hasAccess('web', 'db', Port.tcpRange(5000, 5020)).allowed).toBe(false);
    });

    test('udp is not tcp', () => {
      expect(r.hasAccess('lb', 'db', 'udp:53').allowed).toBe(true);
      expect(r.hasAccess('lb', 'db', 53, 'udp').allowed).toBe(true);
      const tcp = r.hasAccess('lb', 'db', 53);
      expect(tcp.allowed).toBe(false);
      expect(tcp.reason).toMatch(/^no rule admits tcp:53 from dev\/lb to dev\/db; rules for dev\/db admit .*udp:53 from dev\/lb/);
      expect(r.hasAccess('lb', 'web', 'udp:80').allowed).toBe(false);
    });

    test('a /32 source admits that one address only', () => {
      expect(r.hasAccess('203.0.113.7', 'api', 22).allowed).toBe(true);
      expect(r.hasAccess('203.0.113.7/32', 'api', 22).allowed).toBe(true);
      expect(r.hasAccess('203.0.113.8', 'api', 22).allowed).toBe(false);
      expect(r.hasAccess('203.0.113.0/24', 'api', 22).allowed).toBe(false);
      expect(r.internetAccessible('api', 22).allowed).toBe(true); // documentation blocks count as public
      expect(r.rulesFrom('203.0.113.7').map((f) => f.destination)).toEqual(['dev/api']);
    });

    test('containment, not overlap: the rules must admit the whole source block', () => {
      expect(r.hasAccess('172.16.5.0/24', 'db', 6379).allowed).toBe(true);
      const wider = r.hasAccess('172.0.0.0/8', 'db', 6379);
      expect(wider.allowed).toBe(false);
      expect(wider.reason).toContain('on tcp:6379 the rules admit only part of 172.0.0.0/8');
      expect(r.hasAccess('0.0.0.0/0', 'db', 6379).allowed).toBe(false);
      // Two halves make the whole network block, and every service's subnets lie inside it.
      const whole = r.hasAccess('10.0.0.0/16', 'db', 5432);
      expect(whole.allowed).toBe(true);
      expect(whole.reason).toContain('allowed by these rules together');
      expect(r.hasAccess('10.0.0.0/15', 'db', 5432).allowed).toBe(false);
      expect(r.hasAccess('lb', 'db', 5432).allowed).toBe(true);
      // A rule naming a service admits its instances, not an address block around them.
      expect(r.hasAccess('10.0.0.0/16', 'web', 80).allowed).toBe(false);
    });

    test('ICMP: a rule for all of it admits any type', () => {
      expect(r.hasAccess('lb', 'api', 'icmp').allowed).toBe(true);
      expect(r.hasAccess('lb', 'api', Port.icmpType(8)).allowed).toBe(true);
      expect(r.hasAccess('web', 'api', 'icmp').allowed).toBe(false);
    });

    test('exposure: the services the internet can reach, on which ports', () => {
      const { exposed } = r.exposure();
      expect(exposed.map((e) => [e.service.key, e.ports.map(String)])).toEqual([
        ['dev/api', ['tcp:22']],
        ['dev/lb', ['tcp:80', 'tcp:443']],
      ]);
      expect(exposed[1].reason).toMatch(/^reachable from the internet on tcp:80, tcp:443/);
    });

    test('paths() lists every allowed flow with protocol, ports and the rule, in a stable order', () => {
      const flows = r.paths();
      expect(flows).toHaveLength(13);
      expect(flows.map((f) => f.destination)).toEqual([...flows.map((f) => f.destination)].sort());
      const udp = flows.find((f) => f.port.protocol === 'udp')!;
      expect(udp).toMatchObject({ network: 'dev', destination: 'dev/db', source: { kind: 'service', service: 'dev/lb' } });
      expect([udp.port.from, udp.port.to]).toEqual([53, 53]);
      expect(r.rulesTo('db')).toHaveLength(6);
      expect(r.rulesFrom('lb').map((f) => `${f.destination}:${f.port}`).sort()).toEqual(['dev/api:icmp', 'dev/db:udp:53', 'dev/web:tcp:80', 'dev/web:tcp:8000-8080']);
    });

    test('an unknown service is an error that suggests the right name', () => {
      expect(() => r.hasAccess('lbb', 'web', 80)).toThrow(ButterError);
      expect(() => r.hasAccess('lbb', 'web', 80)).toThrow(/no service "lbb" in network dev \[REACHABILITY_UNKNOWN_SERVICE\]\n  fix: did you mean dev\/lb\?/);
      expect(() => r.hasAccess('lb', 'nothing-like-it', 80)).toThrow(/known services: dev\/api, dev\/db, dev\/lb, dev\/web/);
      expect(() => r.hasAccess('lb', 'web', 'http')).toThrow(/PORT_INVALID/);
    });
  });

  test('the same service name in two networks: keys tell them apart, and networks never reach each other', () => {
    const { stack, network: dev } = networkStack(cloud, 'dev');
    const prod = new Network(stack, 'prod', {
      cloud, region: cloud === 'aws' ? 'us-east-1' : 'us-central1', project: cloud === 'google' ? 'butter-test' : undefined, addressLedger: false,
    });
    const services = Object.fromEntries([dev, prod].flatMap((net) => ['lb', 'web'].map((name) =>
      [`${net.networkName}/${name}`, new Service(net, name, { blueprint: name === 'lb' ? bps.publicBp : bps.privateBp, count: 1 })])));
    new Path(services['dev/lb'], services['dev/web'], 80);
    const r = reach(stack);
    expect(r.services.map((s) => s.key)).toEqual(['dev/lb', 'dev/web', 'prod/lb', 'prod/web']);
    expect(r.hasAccess('dev/lb', 'dev/web', 80).allowed).toBe(true);
    expect(r.hasAccess({ network: 'prod', name: 'lb' }, { network: 'prod', name: 'web' }, 80).allowed).toBe(false);
    const across = r.hasAccess('dev/lb', 'prod/web', 80);
    expect(across.allowed).toBe(false);
    expect(across.reason).toBe('dev/lb and prod/web are in different networks (no peering): no rule can admit traffic between them');
    expect(() => r.hasAccess('lb', 'dev/web', 80)).toThrow(/"lb" names a service in 2 networks \[REACHABILITY_AMBIGUOUS_SERVICE\]\n  fix: name it with its network: dev\/lb or prod\/lb/);
  });
});

/** The coverage rules themselves, on a hand-made model (no cloud). */
describe('Reachability on a hand-made model', () => {
  const service = (name: string, subnets: string[], pub = false) => ({
    key: `n/${name}`, network: 'n', name, subnets, publicAddress: pub, internetRoute: pub, privateIps: [], publicIps: [],
  });
  const rule = (origin: string, source: string, destination: string, port: Port) => ({
    origin, network: 'n', destination: `n/${destination}`, port,
    source: /^\d/.test(source) ? { kind: 'cidr' as const, cidr: source } : { kind: 'service' as const, service: `n/${source}` },
  });
  const model: ReachabilityModel = {
    networks: [{ name: 'n', cloud: 'aws' }],
    services: [service('a', ['10.0.0.0/24', '10.0.1.0/24']), service('b', ['10.0.2.0/24'], true), service('c', ['10.0.3.0/24'])],
    rules: [
      // Two rectangles of (source x port) that do not add up to the square between them.
      rule('r1', '10.0.0.0/9', 'b', Port.tcp(80)),
      rule('r2', '10.128.0.0/9', 'b', Port.tcp(81)),
      rule('r3', '10.0.0.0/24', 'c', Port.tcp(22)),
      rule('r4', '10.0.1.0/24', 'c', Port.tcp(22)),
      rule('r5', '198.51.100.0/24', 'b', Port.tcpRange(1000, 1999)),
      rule('r6', '192.168.0.0/16', 'b', Port.tcpRange(2000, 2999)),
      rule('r7', 'a', 'c', Port.allTraffic()),
    ],
  };
  const r = new Reachability(model);

  test('sources and ports must add up together, not each on its own', () => {
    expect(r.hasAccess('10.0.0.0/9', 'b', 80).allowed).toBe(true);
    expect(r.hasAccess('10.0.0.0/8', 'b', 80).allowed).toBe(false);
    expect(r.hasAccess('10.0.0.0/8', 'b', 'tcp:80-81').allowed).toBe(false);
    expect(r.hasAccess('10.0.0.0/9', 'b', 'tcp:80-81').reason).toContain('no rule admits tcp:81');
  });

  test('a service is admitted by CIDR rules only when they contain every one of its subnets', () => {
    expect(r.hasAccess('a', 'c', 22).allowed).toBe(true); // r3 + r4, or r7
    expect(r.hasAccess('a', 'b', 80).allowed).toBe(true); // inside 10.0.0.0/9
    expect(r.hasAccess('c', 'b', 81).allowed).toBe(false); // 10.0.3.0/24 is not in 10.128.0.0/9
  });

  test('every protocol: only a rule for all of them admits an "all" question', () => {
    expect(r.hasAccess('a', 'c', 'all').allowed).toBe(true);
    expect(r.hasAccess('a', 'c', 'udp:9').allowed).toBe(true);
    expect(r.hasAccess('10.0.0.0/24', 'c', 'all').allowed).toBe(false);
  });

  test('paths() are in a stable order even when the model is not', () => {
    expect(r.paths().map((p) => p.origin)).toEqual(['r1', 'r2', 'r6', 'r5', 'r3', 'r4', 'r7']);
  });

  test('internet accessibility needs a rule with a public address in its source', () => {
    expect(r.internetAccessible('b', 1500).allowed).toBe(true);
    const privateOnly = r.internetAccessible('b', 2500);
    expect(privateOnly.allowed).toBe(false);
    expect(privateOnly.reason).toBe('n/b is not reachable from the internet on tcp:2500: no rule admits tcp:2500 from a public address (public rules admit tcp:1000-1999)');
    expect(r.internetAccessible('b', 'tcp:1500-2500').allowed).toBe(false);
    expect(r.internetAccessible('b', 'tcp:1500-2500').reason).toContain('rules admit only part of tcp:1500-2500 from public addresses');
  });
});
