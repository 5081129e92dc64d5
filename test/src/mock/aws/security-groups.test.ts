import { AwsHarness, expectProblem } from './harness';
import { ObjectValue } from '../../../../src/mock/values/value';

/** Security groups and their rules in the simulated AWS cloud. */
describe('AWS mock cloud: security groups', () => {
  let aws: AwsHarness;
  let vpc: ObjectValue;
  beforeEach(async () => {
    aws = new AwsHarness();
    await aws.configure({ region: 'us-east-1' });
    vpc = await aws.create('aws_vpc', { cidr_block: '10.0.0.0/16' });
  });
  afterEach(() => aws.cleanup());

  const group = (name: string, vpcId = vpc.id): Promise<ObjectValue> =>
    aws.create('aws_security_group', { name, description: `Butter service ${name}`, vpc_id: vpcId, tags: { Name: name } });
  const rule = (type: 'ingress' | 'egress', config: ObjectValue): Promise<ObjectValue> =>
    aws.create(`aws_vpc_security_group_${type}_rule`, config);

  test('a new group has no rules (the default egress rule is revoked) and real-format ids', async () => {
    const sg = await group('dev-lb');
    expect(sg.id).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(sg).toMatchObject({
      arn: `arn:aws:ec2:us-east-1:123456789012:security-group/${sg.id}`, owner_id: '123456789012', ingress: [], egress: [], revoke_rules_on_delete: false,
    });
    const egress = await rule('egress', { security_group_id: sg.id, ip_protocol: '-1', cidr_ipv4: '0.0.0.0/0', description: 'out' });
    expect(egress.id).toMatch(/^sgr-[0-9a-f]{17}$/);
    expect(egress).toMatchObject({ security_group_rule_id: egress.id, arn: `arn:aws:ec2:us-east-1:123456789012:security-group-rule/${egress.id}` });
    // The group's refresh shows the standalone rule, as the real provider's does.
    expect((await aws.read('aws_security_group', sg))?.egress).toEqual([
      { cidr_blocks: ['0.0.0.0/0'], description: 'out', from_port: 0, ipv6_cidr_blocks: [], prefix_list_ids: [], protocol: '-1', security_groups: [], self: false, to_port: 0 },
    ]);
  });

  test('group names are unique per VPC (InvalidGroup.Duplicate)', async () => {
    await group('dev-web');
    await expectProblem(group('dev-web'), /^InvalidGroup\.Duplicate: The security group 'dev-web' already exists for VPC 'vpc-[0-9a-f]{17}'/);
    const other = await aws.create('aws_vpc', { cidr_block: '10.1.0.0/16' });
    await expect(group('dev-web', other.id)).resolves.toBeDefined();
    await expectProblem(group('default'), /^InvalidGroup\.Reserved/);
    await expectProblem(group('sg-mine'), /^InvalidParameterValue: Invalid value 'sg-mine' for groupName/);
    await expectProblem(aws.create('aws_security_group', { name: 'x' }), /^VPCIdNotSpecified: No default VPC for this user/);
  });

  test('rules may only reference groups of the same VPC', async () => {
    const web = await group('dev-web');
    const lb = await group('dev-lb');
    const ok = await rule('ingress', { security_group_id: web.id, ip_protocol: 'tcp', from_port: 80, to_port: 80, referenced_security_group_id: lb.id });
    expect(ok.referenced_security_group_id).toEqual(lb.id);
    const other = await aws.create('aws_vpc', { cidr_block: '10.1.0.0/16' });
    const stranger = await group('stranger', other.id);
    await expectProblem(rule('ingress', { security_group_id: web.id, ip_protocol: 'tcp', from_port: 22, to_port: 22, referenced_security_group_id: stranger.id }),
      /^InvalidGroup\.NotFound: You have specified two resources that belong to different networks\./);
    await expectProblem(rule('ingress', { security_group_id: web.id, ip_protocol: 'tcp', from_port: 22, to_port: 22, referenced_security_group_id: 'sg-0000' }),
      /^InvalidGroup\.NotFound: The security group 'sg-0000' does not exist/);
    await expectProblem(rule('ingress', { security_group_id: 'sg-0000', ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv4: '0.0.0.0/0' }),
      /^InvalidGroup\.NotFound: The security group 'sg-0000' does not exist/);
  });

  test('rules: duplicates, missing ports and peer combinations are refused; changes keep the rule id', async () => {
    const sg = await group('dev-lb');
    const https = await rule('ingress', { security_group_id: sg.id, ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '0.0.0.0/0' });
    await expectProblem(rule('ingress', { security_group_id: sg.id, ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '0.0.0.0/0', description: 'again' }),
      /^InvalidPermission\.Duplicate: the specified rule "peer: 0\.0\.0\.0\/0, TCP, from port: 443, to port: 443, ALLOW" already exists/);
    await expectProblem(rule('ingress', { security_group_id: sg.id, ip_protocol: 'tcp', cidr_ipv4: '0.0.0.0/0' }),
      /^InvalidParameterValue: Invalid value 'Must specify both from and to ports with TCP\/UDP\.' for portRange/);
    await expectProblem(rule('ingress', { security_group_id: sg.id, ip_protocol: 'tcp', from_port: 1, to_port: 1 }), /^Invalid Attribute Combination/);
    await expectProblem(rule('ingress', { security_group_id: sg.id, ip_protocol: 'tcp', from_port: 1, to_port: 1, cidr_ipv4: '10.0.0.1/8' }), /^Invalid value for "cidr_ipv4"/);
    await expectProblem(rule('ingress', { security_group_id: sg.id, ip_protocol: 'tcp', from_port: 8443, to_port: 8443, cidr_ipv4: '0.0.0.0/0', description: "lb's admin → port" }),
      /^InvalidParameterValue: Invalid rule description\. Valid descriptions are strings less than 256 characters/);
    await expectProblem(aws.create('aws_security_group', { name: 'ünï', description: 'Café', vpc_id: vpc.id }),
      /^InvalidParameterValue: Value \(Café\) for parameter GroupDescription is invalid\. Character sets beyond ASCII are not supported\./);
    const config = { security_group_id: sg.id, ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '10.0.0.0/8', description: 'inside only' };
    const { state, replaced } = await aws.update('aws_vpc_security_group_ingress_rule', https, config);
    expect(replaced).toBe(false);
    expect(state.id).toEqual(https.id);
    expect((await aws.plan('aws_vpc_security_group_ingress_rule', state, { ...config, security_group_id: (await group('x')).id })).replace)
      .toEqual(['security_group_id']);
  });

  test('a group in use cannot be deleted (DependencyViolation)', async () => {
    const web = await group('dev-web');
    const lb = await group('dev-lb');
    const fromLb = await rule('ingress', { security_group_id: web.id, ip_protocol: 'tcp', from_port: 80, to_port: 80, referenced_security_group_id: lb.id });
    const p = await expectProblem(aws.destroy('aws_security_group', lb), /^DependencyViolation: resource sg-[0-9a-f]{17} has a dependent object/);
    expect(p.detail).toContain(fromLb.id as string);
    await aws.destroy('aws_vpc_security_group_ingress_rule', fromLb);
    await aws.destroy('aws_security_group', lb);
    await expectProblem(aws.destroy('aws_vpc', vpc), /^DependencyViolation/);
    await aws.destroy('aws_security_group', web);
    await aws.destroy('aws_vpc', vpc);
    expect(aws.objects('security_group_rule')).toEqual([]);
  });

  test('the default security group is adopted and emptied; deleting the resource leaves it to its VPC', async () => {
    const adopted = await aws.create('aws_default_security_group', { vpc_id: vpc.id, tags: { Name: 'dev' } });
    expect(adopted).toMatchObject({ id: vpc.default_security_group_id, name: 'default', description: 'default VPC security group', ingress: [], egress: [] });
    expect(aws.objects<{ group_id: string }>('security_group_rule').filter((r) => r.group_id === adopted.id)).toEqual([]);
    await aws.destroy('aws_default_security_group', adopted);
    expect(aws.objects<{ id: string }>('security_group').map((g) => g.id)).toContain(adopted.id);
  });

  test('inline rules: one entry per protocol/ports/description, reconciled on update', async () => {
    const entry = (over: ObjectValue = {}): ObjectValue => ({
      cidr_blocks: ['10.0.0.0/8', '192.168.0.0/16'], description: 'ssh', from_port: 22, ipv6_cidr_blocks: [], prefix_list_ids: [],
      protocol: 'tcp', security_groups: [], self: false, to_port: 22, ...over,
    });
    const config = { name: 'inline', vpc_id: vpc.id, ingress: [entry()] };
    const sg = await aws.create('aws_security_group', config);
    expect(aws.objects<{ group_id: string }>('security_group_rule').filter((r) => r.group_id === sg.id)).toHaveLength(2);
    expect((await aws.read('aws_security_group', sg))?.ingress).toEqual([entry()]);
    const { state } = await aws.update('aws_security_group', sg, { ...config, ingress: [entry({ cidr_blocks: ['10.0.0.0/8'], self: true })] });
    expect(state.ingress).toEqual([entry({ cidr_blocks: ['10.0.0.0/8'], self: true })]);
    expect(aws.objects<{ group_id: string }>('security_group_rule').filter((r) => r.group_id === sg.id)).toHaveLength(2);
    // A description change forces replacement of the group.
    expect((await aws.plan('aws_security_group', state, { ...config, description: 'other' })).replace).toEqual(['description']);
  });
});
