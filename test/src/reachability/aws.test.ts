import { Internet, Path, Port } from '../../../constructs';
import { Reachability, fromState, fromSynthesized } from '../../../src/reachability';
import type { StateResource } from '../../../src/state/resources';
import { TfJson, resourcesOf } from '../../helpers/synth';
import { blueprints, lbAndWeb, synth } from './helpers';

/** Reading Butter's AWS resources (security groups, routes, launch templates) into the model. */
describe('AWS reader', () => {
  const bps = blueprints();
  let doc: TfJson;
  let subnets: Record<string, readonly string[]>;
  beforeAll(() => {
    const { stack, lb, web } = lbAndWeb('aws', bps);
    new Path(lb, web, 80);
    new Path(Internet, lb, 443);
    new Path('10.9.0.0/16', web, Port.allTraffic());
    new Path(lb, web, Port.icmpType(8, 0));
    new Path(lb, web, Port.udpRange(60000, 61000));
    subnets = { lb: lb.subnetCidrs, web: web.subnetCidrs };
    doc = synth(stack);
  });
  /** A deep copy to tamper with. */
  const copy = (): TfJson => JSON.parse(JSON.stringify(doc));

  test('services from the butter tags: subnets of the group, public address from the launch template, internet route through the internet gateway only', () => {
    const model = fromSynthesized(doc);
    expect(model.networks).toEqual([{ name: 'dev', cloud: 'aws' }]);
    expect(model.services).toEqual([
      { key: 'dev/lb', network: 'dev', name: 'lb', subnets: [...subnets.lb].sort(), publicAddress: true, internetRoute: true, privateIps: [], publicIps: [] },
      // web's subnets route 0.0.0.0/0 to NAT gateways: out, never in.
      { key: 'dev/web', network: 'dev', name: 'web', subnets: [...subnets.web].sort(), publicAddress: false, internetRoute: false, privateIps: [], publicIps: [] },
    ]);
    expect(model.warnings).toEqual([]);
  });

  test('ingress rules: service and CIDR sources, every protocol, ICMP type and code, UDP ranges', () => {
    const rules = fromSynthesized(doc).rules.map((r) => [r.source.kind === 'service' ? r.source.service : r.source.cidr, r.destination, r.port.key, r.origin.split('.')[0]]);
    expect(rules).toEqual([
      ['0.0.0.0/0', 'dev/lb', 'tcp-443', 'aws_vpc_security_group_ingress_rule'],
      ['10.9.0.0/16', 'dev/web', 'all', 'aws_vpc_security_group_ingress_rule'],
      ['dev/lb', 'dev/web', 'tcp-80', 'aws_vpc_security_group_ingress_rule'],
      ['dev/lb', 'dev/web', 'udp-60000-61000', 'aws_vpc_security_group_ingress_rule'],
      ['dev/lb', 'dev/web', 'icmp-8-0', 'aws_vpc_security_group_ingress_rule'],
    ]);
    const r = new Reachability(fromSynthesized(doc));
    expect(r.hasAccess('lb', 'web', Port.icmpType(8, 0)).allowed).toBe(true);
    expect(r.hasAccess('lb', 'web', Port.icmpType(8, 1)).allowed).toBe(false);
    expect(r.hasAccess('lb', 'web', 'icmp').allowed).toBe(false);
  });

  test('a default route to a NAT gateway, or no route table at all, is no internet route', () => {
    const tampered = copy();
    const [[, route]] = resourcesOf(tampered, 'aws_route').filter(([id]) => id.includes('public-default-route'));
    const [[natId]] = resourcesOf(tampered, 'aws_nat_gateway');
    delete route.gateway_id;
    route.nat_gateway_id = `\${aws_nat_gateway.${natId}.id}`;
    expect(fromSynthesized(tampered).services.find((s) => s.name === 'lb')!.internetRoute).toBe(false);

    const unrouted = copy();
    delete (unrouted.resource as any).aws_route_table_association;
    expect(fromSynthesized(unrouted).services.map((s) => s.internetRoute)).toEqual([false, false]);
  });

  test('a launch template that does not say falls back to the subnets\' map_public_ip_on_launch', () => {
    const tampered = copy();
    for (const [, t] of resourcesOf(tampered, 'aws_launch_template')) delete t.network_interfaces[0].associate_public_ip_address;
    expect(fromSynthesized(tampered).services.map((s) => s.publicAddress)).toEqual([false, false]);
    for (const [id, s] of resourcesOf(tampered, 'aws_subnet')) if (id.includes('_web_')) s.map_public_ip_on_launch = true;
    expect(fromSynthesized(tampered).services.map((s) => s.publicAddress)).toEqual([false, true]);
  });

  test('the older aws_security_group_rule is read too; a source known only at deploy time is left out with a warning', () => {
    const tampered = copy();
    const [[webSg]] = resourcesOf(tampered, 'aws_security_group').filter(([id]) => id.includes('_web_'));
    (tampered.resource as any).aws_security_group_rule = {
      self_ssh: { type: 'ingress', protocol: 'tcp', from_port: 22, to_port: 22, self: true, security_group_id: `\${aws_security_group.${webSg}.id}` },
      office: { type: 'ingress', protocol: '6', from_port: 0, to_port: 65535, cidr_blocks: ['198.51.100.0/24'], security_group_id: `\${aws_security_group.${webSg}.id}` },
      out: { type: 'egress', protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['0.0.0.0/0'], security_group_id: `\${aws_security_group.${webSg}.id}` },
    };
    const [[ruleId, rule]] = resourcesOf(tampered, 'aws_vpc_security_group_ingress_rule').filter(([id]) => id.includes('10-9-0-0'));
    rule.cidr_ipv4 = '${var.office_cidr}';
    const model = fromSynthesized(tampered);
    const r = new Reachability(model);
    expect(r.hasAccess('web', 'web', 22).allowed).toBe(true);
    expect(r.hasAccess('198.51.100.0/24', 'web', 'tcp:1-65535').allowed).toBe(true);
    expect(r.hasAccess('10.9.0.0/16', 'web', 80).allowed).toBe(false);
    expect(model.rules.filter((x) => x.origin.startsWith('aws_security_group_rule.')).map((x) => x.origin).sort())
      .toEqual(['aws_security_group_rule.office', 'aws_security_group_rule.self_ssh']);
    expect(model.warnings).toEqual([`aws_vpc_security_group_ingress_rule.${ruleId} is left out: its source \${var.office_cidr} is not an IPv4 block known before deploy`]);
  });

  test('from state, references are ids: the same service read from resolved attributes, with its instances\' addresses', () => {
    const res = (type: string, name: string, attributes: Record<string, any>, mode: 'managed' | 'data' = 'managed'): StateResource => ({ mode, type, name, attributes });
    const tags = { 'butter:network': 'prod', 'butter:service': 'api' };
    const state = [
      res('aws_vpc', 'vpc', { id: 'vpc-1', tags: { 'butter:network': 'prod' } }),
      res('aws_internet_gateway', 'igw', { id: 'igw-1', vpc_id: 'vpc-1' }),
      res('aws_route_table', 'public', { id: 'rtb-1', vpc_id: 'vpc-1' }),
      res('aws_route', 'default', { route_table_id: 'rtb-1', destination_cidr_block: '0.0.0.0/0', gateway_id: 'igw-1' }),
      res('aws_subnet', 'a', { id: 'subnet-a', vpc_id: 'vpc-1', cidr_block: '10.1.0.0/24', tags_all: tags }),
      res('aws_subnet', 'b', { id: 'subnet-b', vpc_id: 'vpc-1', cidr_block: '10.1.1.0/24', tags_all: tags }),
      res('aws_route_table_association', 'a', { subnet_id: 'subnet-a', route_table_id: 'rtb-1' }),
      res('aws_route_table_association', 'b', { subnet_id: 'subnet-b', route_table_id: 'rtb-1' }),
      res('aws_security_group', 'sg', { id: 'sg-1', vpc_id: 'vpc-1', tags }),
      res('aws_launch_template', 'lt', { id: 'lt-1', name: 'prod-api', network_interfaces: [{ associate_public_ip_address: 'true' }] }),
      res('aws_autoscaling_group', 'asg', {
        id: 'prod-api', name: 'prod-api', vpc_zone_identifier: ['subnet-b', 'subnet-a'], launch_template: [{ id: 'lt-1', version: '1' }],
        tag: Object.entries(tags).map(([key, value]) => ({ key, value, propagate_at_launch: true })),
      }),
      res('aws_instances', 'instances', { instance_tags: { 'aws:autoscaling:groupName': 'prod-api' }, private_ips: ['10.1.1.9', '10.1.0.10'], public_ips: ['3.80.0.9', '3.80.0.7'] }, 'data'),
      res('aws_vpc_security_group_ingress_rule', 'https', { security_group_id: 'sg-1', cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp', from_port: 443, to_port: 443 }),
    ];
    const model = fromState(state);
    expect(model.services).toEqual([{
      key: 'prod/api', network: 'prod', name: 'api', subnets: ['10.1.0.0/24', '10.1.1.0/24'], publicAddress: true, internetRoute: true,
      privateIps: ['10.1.0.10', '10.1.1.9'], publicIps: ['3.80.0.7', '3.80.0.9'],
    }]);
    expect(new Reachability(model).internetAccessible('api', 443).allowed).toBe(true);
  });
});
