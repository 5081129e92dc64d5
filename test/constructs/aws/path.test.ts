import { Service, Path, Internet, Port, CidrBlock, Network } from '../../../constructs';
import { awsStack, synthJson, resourcesOf, resourceNamed, tempDir, writeBlueprint, serviceBody } from '../../helpers/synth';

describe('Path on AWS', () => {
  const dir = tempDir();
  const bp = writeBlueprint(dir, 'svc', serviceBody());

  function twoServices() {
    const env = awsStack();
    const web = new Service(env.network, 'web', { blueprint: bp });
    const lb = new Service(env.network, 'lb', { blueprint: bp });
    return { ...env, web, lb };
  }

  const rules = (tf: ReturnType<typeof synthJson>) => resourcesOf(tf, 'aws_vpc_security_group_ingress_rule').map(([, r]) => r);

  test('service to service: an ingress rule on the destination referencing the source group', () => {
    const { stack, web, lb } = twoServices();
    new Path(lb, web, 80);
    const tf = synthJson(stack);
    const [rule] = rules(tf);
    expect(rule.security_group_id).toMatch(/aws_security_group\.[\w-]*web[\w-]*\.id/);
    expect(rule.referenced_security_group_id).toMatch(/aws_security_group\.[\w-]*lb[\w-]*\.id/);
    expect(rule).toMatchObject({ ip_protocol: 'tcp', from_port: 80, to_port: 80, description: 'lb to web on tcp:80' });
    expect(rule.cidr_ipv4).toBeUndefined();
  });

  test('CIDR sources, port ranges, udp, icmp and all traffic', () => {
    const { stack, web, lb } = twoServices();
    new Path(Internet, lb, 443);
    new Path(new CidrBlock('203.0.113.7/32'), web, Port.tcpRange(8000, 8080));
    new Path(lb, web, Port.udp(53));
    new Path(lb, web, Port.allIcmp());
    new Path(lb, web, Port.icmpType(8));
    new Path(new CidrBlock('10.20.0.0/16'), web, Port.allTraffic());
    const got = rules(synthJson(stack)).map((r) => [r.cidr_ipv4 ?? 'sg', r.ip_protocol, r.from_port, r.to_port]);
    expect(got).toEqual(expect.arrayContaining([
      ['0.0.0.0/0', 'tcp', 443, 443],
      ['203.0.113.7/32', 'tcp', 8000, 8080],
      ['sg', 'udp', 53, 53],
      ['sg', 'icmp', -1, -1],
      ['sg', 'icmp', 8, -1],
      ['10.20.0.0/16', '-1', undefined, undefined],
    ]));
    expect(got).toHaveLength(6);
  });

  test('connections.allowFrom is the same as a Path', () => {
    const { stack, web, lb } = twoServices();
    web.connections.allowFrom(lb, Port.tcp(80));
    lb.connections.allowFromAnyIpv4(443);
    expect(rules(synthJson(stack))).toHaveLength(2);
    expect(web.network.paths.map((p) => `${p.source.peerId}>${p.destination.serviceName}:${p.port}`))
      .toEqual(['lb>web:tcp:80', 'cidr-0-0-0-0-0>lb:tcp:443']);
  });

  test('services in different networks cannot be joined by a Path', () => {
    const { stack, web } = twoServices();
    const other = new Network(stack, 'other', { cloud: 'aws', region: 'us-east-1', addressLedger: false });
    const far = new Service(other, 'far', { blueprint: bp });
    expect(() => new Path(far, web, 80)).toThrow(expect.objectContaining({ code: 'PATH_CROSS_NETWORK' }));
  });

  test('a duplicate Path is an error, a CIDR with host bits is an error, CIDRs are never destinations', () => {
    const { web, lb } = twoServices();
    new Path(lb, web, 80);
    expect(() => new Path(lb, web, 80)).toThrow(expect.objectContaining({ code: 'PATH_DUPLICATE' }));
    expect(() => new Path('10.0.0.1/8', web, 80)).toThrow(expect.objectContaining({ code: 'CIDR_INVALID' }));
    expect(() => new Path(lb, Internet as any, 80)).toThrow(expect.objectContaining({ code: 'PATH_INVALID_DESTINATION' }));
    expect(() => Port.tcp(70000)).toThrow(expect.objectContaining({ code: 'PORT_INVALID' }));
  });

  test('no ingress from 0.0.0.0/0 exists without a Path asking for it', () => {
    const { stack, web, lb } = twoServices();
    new Path(lb, web, 80);
    const tf = synthJson(stack);
    const open = rules(tf).filter((r) => r.cidr_ipv4 === '0.0.0.0/0');
    expect(open).toHaveLength(0);
    expect(resourceNamed(tf, 'aws_security_group', 'lb').ingress).toBeUndefined();
  });
});

describe('Path descriptions', () => {
  test('a description with characters AWS rejects is an error at synth, not at deploy', () => {
    const dir = tempDir();
    const bp = writeBlueprint(dir, 'svc', serviceBody());
    const { network } = awsStack();
    const web = new Service(network, 'web', { blueprint: bp });
    const lb = new Service(network, 'lb', { blueprint: bp });
    expect(() => new Path(lb, web, 80, { description: "lb's traffic → web" })).toThrow(expect.objectContaining({ code: 'PATH_DESCRIPTION_INVALID' }));
    expect(new Path(lb, web, 81, { description: 'lb health checks (port 81)' }).description).toBe('lb health checks (port 81)');
  });
});
