import { Service, Path, Internet, Port, CidrBlock } from '../../../constructs';
import { googleStack, googleServiceBody, synthJson, resourcesOf, tempDir, writeBlueprint, TfJson } from '../../helpers/synth';

describe('Path on Google Cloud', () => {
  const dir = tempDir();
  const bp = writeBlueprint(dir, 'svc', googleServiceBody());

  function twoServices() {
    const env = googleStack();
    const web = new Service(env.network, 'web', { blueprint: bp });
    const lb = new Service(env.network, 'lb', { blueprint: bp });
    return { ...env, web, lb };
  }

  /** The allow rules (every firewall rule except the network's deny-all). */
  const allows = (tf: TfJson) => resourcesOf(tf, 'google_compute_firewall').map(([, r]) => r).filter((r) => r.allow);

  test('service to service: an ingress rule from the source\'s tag to the destination\'s tag', () => {
    const { stack, web, lb } = twoServices();
    new Path(lb, web, 80);
    const [rule, ...others] = allows(synthJson(stack));
    expect(others).toHaveLength(0);
    expect(rule).toEqual({
      name: 'dev-web-from-lb-tcp-80',
      description: 'lb to web on tcp:80',
      project: 'butter-test',
      provider: 'google',
      network: expect.stringMatching(/^\$\{google_compute_network\.[\w-]+\.id\}$/),
      direction: 'INGRESS',
      priority: 1000,
      source_tags: ['dev-lb'],
      target_tags: ['dev-web'],
      allow: [{ protocol: 'tcp', ports: ['80'] }],
    });
    expect(rule.source_ranges).toBeUndefined();
  });

  test('CIDR sources, port ranges, udp, all tcp ports, icmp and all traffic: one rule per Path, exactly as declared', () => {
    const { stack, web, lb } = twoServices();
    new Path(Internet, lb, 443);
    new Path(new CidrBlock('203.0.113.7/32'), web, Port.tcpRange(8000, 8080));
    new Path(lb, web, Port.udp(53));
    new Path(lb, web, Port.allTcp());
    new Path(lb, web, Port.allIcmp());
    new Path(new CidrBlock('10.20.0.0/16'), web, Port.allTraffic());
    const got = allows(synthJson(stack)).map((r) => [r.source_ranges?.[0] ?? r.source_tags[0], r.target_tags[0], r.allow]);
    expect(got).toEqual(expect.arrayContaining([
      ['0.0.0.0/0', 'dev-lb', [{ protocol: 'tcp', ports: ['443'] }]],
      ['203.0.113.7/32', 'dev-web', [{ protocol: 'tcp', ports: ['8000-8080'] }]],
      ['dev-lb', 'dev-web', [{ protocol: 'udp', ports: ['53'] }]],
      ['dev-lb', 'dev-web', [{ protocol: 'tcp' }]],
      ['dev-lb', 'dev-web', [{ protocol: 'icmp' }]],
      ['10.20.0.0/16', 'dev-web', [{ protocol: 'all' }]],
    ]));
    expect(got).toHaveLength(6);
  });

  test('one ICMP type cannot be allowed on Google without allowing all ICMP: an error, not a wider rule', () => {
    const { web, lb } = twoServices();
    expect(() => new Path(lb, web, Port.icmpType(8))).toThrow(expect.objectContaining({
      code: 'PATH_ICMP_TYPE_UNSUPPORTED',
      hint: expect.stringContaining('Port.allIcmp()'),
    }));
  });

  test('nothing is open that no Path declared: no allow rule without Paths, none from 0.0.0.0/0 but the declared one', () => {
    const { stack, web, lb } = twoServices();
    expect(allows(synthJson(stack))).toHaveLength(0);
    new Path(lb, web, 80);
    new Path(Internet, lb, 80);
    const rules = allows(synthJson(stack));
    expect(rules).toHaveLength(2);
    const open = rules.filter((r) => r.source_ranges?.includes('0.0.0.0/0'));
    expect(open.map((r) => [r.target_tags, r.allow])).toEqual([[['dev-lb'], [{ protocol: 'tcp', ports: ['80'] }]]]);
    // Every allow rule targets a service's tag: none applies to the whole network.
    rules.forEach((r) => expect(r.target_tags).toHaveLength(1));
  });

  test('connections.allowFrom and allowTo are Paths too', () => {
    const { stack, web, lb } = twoServices();
    web.connections.allowFrom(lb, Port.tcp(8080));
    lb.connections.allowFromAnyIpv4(443);
    lb.connections.allowTo(web, Port.udp(514));
    expect(allows(synthJson(stack)).map((r) => r.name).sort()).toEqual([
      'dev-lb-from-cidr-0-0-0-0-0-tcp-443',
      'dev-web-from-lb-tcp-8080',
      'dev-web-from-lb-udp-514',
    ]);
  });
});
