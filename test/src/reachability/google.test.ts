import { Internet, Path, Port } from '../../../constructs';
import { Reachability, fromSynthesized } from '../../../src/reachability';
import { TfJson, resourcesOf } from '../../helpers/synth';
import { blueprints, lbAndWeb, synth } from './helpers';

/** Reading Butter's Google resources (firewalls by tag, templates, pinned addresses) into the model. */
describe('Google reader', () => {
  const bps = blueprints();
  let doc: TfJson;
  let planned: Record<string, { subnets: readonly string[]; ips: string[] }>;
  beforeAll(() => {
    const { stack, lb, web } = lbAndWeb('google', bps);
    new Path(lb, web, 80);
    new Path(Internet, lb, 443);
    new Path('10.0.0.0/16', web, Port.tcpRange(8000, 8090));
    planned = { lb: { subnets: lb.subnetCidrs, ips: lb.privateIps }, web: { subnets: web.subnetCidrs, ips: web.privateIps } };
    doc = synth(stack);
  });
  const copy = (): TfJson => JSON.parse(JSON.stringify(doc));
  const networkRef = (d: TfJson) => `\${google_compute_network.${resourcesOf(d, 'google_compute_network')[0][0]}.id}`;
  /** Add a hand-written firewall rule, as a user extending Butter's network would. */
  const withFirewall = (d: TfJson, name: string, rule: Record<string, unknown>): TfJson => {
    (d.resource as any).google_compute_firewall[name] = { name, network: networkRef(d), direction: 'INGRESS', ...rule };
    return d;
  };

  test('services from the groups\' descriptions and templates: the regional subnet, the addresses Butter pinned, external IP or not', () => {
    const model = fromSynthesized(doc);
    expect(model.networks).toEqual([{ name: 'dev', cloud: 'google' }]);
    expect(model.services).toEqual([
      { key: 'dev/lb', network: 'dev', name: 'lb', subnets: planned.lb.subnets, publicAddress: true, internetRoute: true, privateIps: planned.lb.ips, publicIps: [] },
      { key: 'dev/web', network: 'dev', name: 'web', subnets: planned.web.subnets, publicAddress: false, internetRoute: true, privateIps: planned.web.ips, publicIps: [] },
    ]);
    expect(planned.web.ips).toHaveLength(2);
  });

  test('Butter\'s deny-all at priority 65534 takes nothing from the Path rules (1000), and is itself no access', () => {
    const deny = resourcesOf(doc, 'google_compute_firewall').find(([id]) => id.includes('deny-all'))![1];
    expect(deny).toMatchObject({ priority: 65534, deny: [{ protocol: 'all' }], source_ranges: ['0.0.0.0/0'] });
    const model = fromSynthesized(doc);
    expect(model.shadowed).toEqual([]);
    expect(model.rules.map((r) => `${r.source.kind === 'cidr' ? r.source.cidr : r.source.service}>${r.destination}:${r.port}@${r.priority}`)).toEqual([
      '0.0.0.0/0>dev/lb:tcp:443@1000',
      '10.0.0.0/16>dev/web:tcp:8000-8090@1000',
      'dev/lb>dev/web:tcp:80@1000',
    ]);
    const r = new Reachability(model);
    expect(r.hasAccess('lb', 'web', 80).allowed).toBe(true);
    expect(r.hasAccess('web', 'lb', 80).allowed).toBe(false);
  });

  test('a deny of higher priority (lower number) overrides an allow, and says so', () => {
    const lbTag = (resourcesOf(doc, 'google_compute_instance_template').find(([id]) => id.includes('_lb_'))![1].tags as string[])[0];
    const webTag = (resourcesOf(doc, 'google_compute_instance_template').find(([id]) => id.includes('_web_'))![1].tags as string[])[0];
    const d = withFirewall(copy(), 'no_lb', { priority: 900, source_tags: [lbTag], target_tags: [webTag], deny: [{ protocol: 'all' }] });
    const model = fromSynthesized(d);
    const r = new Reachability(model);
    const v = r.hasAccess('lb', 'web', 80);
    expect(v.allowed).toBe(false);
    expect(v.reason).toMatch(/google_compute_firewall\.dev_web_from-lb-tcp-80_rule_\w+ \(tcp:80 from dev\/lb\) is overridden by google_compute_firewall\.no_lb \(deny, priority 900\)/);
    // The deny matches lb's instances wherever they are named: by tag, and inside the 10.0.0.0/16 rule.
    expect(model.shadowed!.map((s) => [s.rule.source, s.deniedBy, s.denyPriority, s.partial])).toEqual([
      [{ kind: 'cidr', cidr: '10.0.0.0/16' }, 'google_compute_firewall.no_lb', 900, true],
      [{ kind: 'service', service: 'dev/lb' }, 'google_compute_firewall.no_lb', 900, false],
    ]);
    expect(r.hasAccess('lb', 'web', 8000).allowed).toBe(false);
    expect(r.hasAccess(planned.web.subnets[0], 'web', 8000).allowed).toBe(true);
    // A tie goes to the deny; a deny of lower priority (higher number) changes nothing.
    expect(new Reachability(fromSynthesized(withFirewall(copy(), 'tie', { priority: 1000, source_tags: [lbTag], deny: [{ protocol: 'tcp', ports: ['80'] }] }))).hasAccess('lb', 'web', 80).allowed).toBe(false);
    expect(new Reachability(fromSynthesized(withFirewall(copy(), 'late', { priority: 1001, source_tags: [lbTag], deny: [{ protocol: 'all' }] }))).hasAccess('lb', 'web', 80).allowed).toBe(true);
    // A deny aimed at other instances leaves web alone.
    expect(new Reachability(fromSynthesized(withFirewall(copy(), 'lb_only', { priority: 10, target_tags: [lbTag], source_ranges: ['0.0.0.0/0'], deny: [{ protocol: 'all' }] }))).hasAccess('lb', 'web', 80).allowed).toBe(true);
  });

  test('a partial deny leaves the sources and ports it does not match', () => {
    const d = withFirewall(copy(), 'half', { priority: 500, source_ranges: ['10.0.0.0/17'], deny: [{ protocol: 'tcp', ports: ['8085'] }] });
    const model = fromSynthesized(d);
    const r = new Reachability(model);
    expect(r.hasAccess('10.0.128.0/24', 'web', 8085).allowed).toBe(true);
    expect(r.hasAccess('10.0.1.0/24', 'web', 8085).allowed).toBe(false);
    expect(r.hasAccess('10.0.1.0/24', 'web', 'tcp:8000-8084').allowed).toBe(true);
    expect(r.hasAccess('10.0.1.0/24', 'web', 'tcp:8086-8090').allowed).toBe(true);
    expect(r.hasAccess('10.0.0.0/16', 'web', 8000).allowed).toBe(true);
    expect(r.hasAccess('10.0.0.0/16', 'web', 8085).allowed).toBe(false);
    // lb's subnet lies in the denied half: its own Path on 80 is untouched, 8085 through the CIDR rule is gone.
    expect(r.hasAccess('lb', 'web', 80).allowed).toBe(true);
    expect(r.hasAccess('lb', 'web', 8085).allowed).toBe(false);
    expect(r.hasAccess('lb', 'web', 8084).allowed).toBe(true);
    expect(model.shadowed).toEqual([expect.objectContaining({ deniedBy: 'google_compute_firewall.half', partial: true })]);
  });

  test('a rule with no target tags applies to every instance of the network; service-account rules are left out with a warning', () => {
    const d = withFirewall(copy(), 'ssh_everywhere', { priority: 1000, source_ranges: ['35.235.240.0/20'], allow: [{ protocol: 'tcp', ports: ['22'] }] });
    withFirewall(d, 'by_account', { priority: 1000, source_ranges: ['0.0.0.0/0'], target_service_accounts: ['x@butter-test.iam.gserviceaccount.com'], allow: [{ protocol: 'all' }] });
    const model = fromSynthesized(d);
    const r = new Reachability(model);
    expect(r.hasAccess('35.235.240.0/20', 'lb', 22).allowed).toBe(true);
    expect(r.hasAccess('35.235.240.0/20', 'web', 22).allowed).toBe(true);
    expect(r.internetAccessible('lb', 22).allowed).toBe(true);
    expect(r.internetAccessible('web', 22).reason).toBe('dev/web is not reachable from the internet on tcp:22: it has no public address (instance.public_ip is off)');
    expect(model.warnings).toEqual(['google_compute_firewall.by_account is left out: rules that select instances by service account are not analysed']);
  });

  test('a network created without its default route has no internet route, unless a route to the internet gateway is added', () => {
    const d = copy();
    resourcesOf(d, 'google_compute_network')[0][1].delete_default_routes_on_create = true;
    let r = new Reachability(fromSynthesized(d));
    expect(r.services.map((s) => s.internetRoute)).toEqual([false, false]);
    const v = r.internetAccessible('lb', 443);
    expect(v).toMatchObject({ allowed: false, admitted: true, publicAddress: true, internetRoute: false });
    expect(v.reason).toContain('its network has no route from the internet gateway');
    (d.resource as any).google_compute_route = {
      out: { name: 'out', network: networkRef(d), dest_range: '0.0.0.0/0', next_hop_gateway: 'default-internet-gateway' },
    };
    r = new Reachability(fromSynthesized(d));
    expect(r.internetAccessible('lb', 443).allowed).toBe(true);
  });
});
