import { Port } from '../../../src/model/port';
import { Reachability, ReachabilityModel, ServiceNode } from '../../../src/reachability';
import { toDot } from '../../../src/reachability/graph/dot';

/**
 * Balancers in the analysis, on a hand-made model (the readers' side is tested with each cloud's
 * synthesized stacks): a balancer is a node the internet reaches on its listener ports, the
 * source of the rules into its service, and the way `internetAccessible` explains a private
 * service that serves the internet.
 */
const web: ServiceNode = {
  key: 'dev/web', network: 'dev', name: 'web', subnets: ['10.0.0.0/22'], publicAddress: false, internetRoute: false, privateIps: [], publicIps: [],
};
const lb = (over: Partial<ServiceNode> = {}): ServiceNode => ({
  key: 'dev/web-lb', network: 'dev', name: 'web-lb', role: 'balancer', subnets: ['10.0.64.0/27'], publicAddress: true, internetRoute: true, privateIps: [], publicIps: [],
  balancer: { target: 'dev/web', type: 'application', scheme: 'internet-facing', listeners: [{ port: Port.tcp(443), targetPort: Port.tcp(8080) }] },
  ...over,
});
const intoLb = { origin: 'aws_vpc_security_group_ingress_rule.lb_443', network: 'dev', destination: 'dev/web-lb', source: { kind: 'cidr' as const, cidr: '0.0.0.0/0' }, port: Port.tcp(443) };
const lbToWeb = { origin: 'aws_vpc_security_group_ingress_rule.web_from_lb', network: 'dev', destination: 'dev/web', source: { kind: 'service' as const, service: 'dev/web-lb' }, port: Port.tcp(8080) };
const model = (services: ServiceNode[], rules = [intoLb, lbToWeb]): ReachabilityModel => ({ networks: [{ name: 'dev', cloud: 'aws' }], services, rules });

describe('reachability through a load balancer', () => {
  test('a private service behind an internet-facing balancer is reachable from the internet on its target port, through the balancer, with both rules named', () => {
    const r = new Reachability(model([web, lb()]));
    const v = r.internetAccessible('web', 8080);
    expect(v.allowed).toBe(true);
    expect(v.through).toBe('dev/web-lb');
    expect(v.publicAddress).toBe(false);
    expect(v.rules.map((x) => x.origin)).toEqual([intoLb.origin, lbToWeb.origin]);
    expect(v.reason).toBe('dev/web is reachable from the internet on tcp:8080 through its load balancer dev/web-lb: the internet reaches dev/web-lb on tcp:443 '
      + `(${intoLb.origin} (tcp:443 from 0.0.0.0/0)), which forwards to dev/web on tcp:8080 (${lbToWeb.origin} (tcp:8080 from dev/web-lb)); dev/web itself has no public address`);
    // The balancer itself answers on its listener port only.
    expect(r.internetAccessible('web-lb', 443).allowed).toBe(true);
    expect(r.internetAccessible('web-lb', 80).allowed).toBe(false);
    expect(r.hasAccess('web-lb', 'web', 8080).allowed).toBe(true);
    expect(r.balancersOf('web').map((b) => b.key)).toEqual(['dev/web-lb']);
  });

  test('not through the balancer: a port no listener forwards to, an internal balancer, or no rule from the balancer; each says why', () => {
    const other = new Reachability(model([web, lb()])).internetAccessible('web', 22);
    expect(other.allowed).toBe(false);
    expect(other.reason).toContain('its load balancer dev/web-lb forwards only tcp:8080');

    const internal = new Reachability(model([web, lb({ publicAddress: false, internetRoute: false })])).internetAccessible('web', 8080);
    expect(internal.allowed).toBe(false);
    expect(internal.through).toBeUndefined();
    expect(internal.reason).toContain('its load balancer dev/web-lb is not reachable from the internet on tcp:443');
    expect(new Reachability(model([web, lb({ publicAddress: false })])).internetAccessible('web-lb', 443).reason).toContain('it is an internal load balancer');

    const cut = new Reachability(model([web, lb()], [intoLb])).internetAccessible('web', 8080);
    expect(cut.allowed).toBe(false);
    expect(cut.reason).toContain('its load balancer dev/web-lb may not send tcp:8080 to it');
  });

  test('exposure lists the balancer as exposed, and says the service is reached through it', () => {
    const publicRuleToWeb = { ...lbToWeb, origin: 'google_compute_firewall.web', source: { kind: 'cidr' as const, cidr: '0.0.0.0/0' } };
    const e = new Reachability(model([web, lb()], [intoLb, lbToWeb, publicRuleToWeb])).exposure();
    expect(e.exposed.map((x) => x.service.key)).toEqual(['dev/web-lb']);
    expect(e.exposed[0].service.role).toBe('balancer');
    expect(e.notExposed.map((x) => x.service.key)).toEqual(['dev/web']);
    expect(e.notExposed[0].reason).toMatch(/the internet reaches it through dev\/web-lb$/);
  });

  test('Google health-check probers are not the internet: a rule from their ranges exposes nothing', () => {
    const probe = { ...lbToWeb, origin: 'google_compute_firewall.health', source: { kind: 'cidr' as const, cidr: '35.191.0.0/16' } };
    const g: ReachabilityModel = { networks: [{ name: 'dev', cloud: 'google' }], services: [{ ...web, publicAddress: true, internetRoute: true }], rules: [probe] };
    expect(new Reachability(g).exposure().exposed).toEqual([]);
    // The same range on AWS is just a public block.
    expect(new Reachability({ ...g, networks: [{ name: 'dev', cloud: 'aws' }] }).exposure().exposed.map((x) => x.service.key)).toEqual(['dev/web']);
  });

  test('the graph draws the balancer as a hexagon between the internet and the service', () => {
    const dot = toDot(model([web, lb()]));
    expect(dot).toContain('"service:dev/web-lb" [label="web-lb\\napplication load balancer", tooltip="dev/web-lb: internet-facing application load balancer in front of dev/web\\nforwards tcp:443 -> tcp:8080", shape="hexagon"');
    expect(dot).toContain('"cidr:0.0.0.0/0" -> "service:dev/web-lb" [label="tcp:443"');
    expect(dot).toContain('"service:dev/web-lb" -> "service:dev/web" [label="tcp:8080"');
  });
});
