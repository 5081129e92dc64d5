import { AwsHarness, expectProblem, wholly } from './harness';
import { ObjectValue } from '../../../../src/mock/values/value';
import { isUnknown, unsimulatedTypes } from '../../../../src/mock';

/**
 * The simulated AWS network (VPCs, subnets, gateways, routes), driven like Terraform would but
 * without it: one test per cloud rule, each checking the real API's error code.
 */
describe('AWS mock cloud: networking', () => {
  let aws: AwsHarness;
  beforeEach(async () => {
    aws = new AwsHarness();
    expect(await aws.configure({ region: 'us-east-1' })).toEqual([]);
  });
  afterEach(() => aws.cleanup());

  const newVpc = (cidr = '10.0.0.0/16', extra: ObjectValue = {}): Promise<ObjectValue> =>
    aws.create('aws_vpc', { cidr_block: cidr, enable_dns_support: true, enable_dns_hostnames: true, tags: { Name: 'dev' }, ...extra });
  const newSubnet = (vpcId: string, cidr: string, zone: string | null = 'us-east-1a', extra: ObjectValue = {}): Promise<ObjectValue> =>
    aws.create('aws_subnet', { vpc_id: vpcId, cidr_block: cidr, availability_zone: zone, ...extra });

  test('a VPC has real-format ids and ARN, and comes with a default security group and main route table', async () => {
    const vpc = await newVpc();
    expect(wholly(vpc)).toBe(true);
    expect(vpc.id).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(vpc).toMatchObject({
      arn: `arn:aws:ec2:us-east-1:123456789012:vpc/${vpc.id}`,
      owner_id: '123456789012',
      region: 'us-east-1',
      cidr_block: '10.0.0.0/16',
      enable_dns_hostnames: true,
      instance_tenancy: 'default',
      tags_all: { Name: 'dev' },
    });
    expect(vpc.default_security_group_id).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(vpc.main_route_table_id).toMatch(/^rtb-[0-9a-f]{17}$/);
    expect(vpc.default_route_table_id).toEqual(vpc.main_route_table_id);
    expect(vpc.default_network_acl_id).toMatch(/^acl-/);
    expect(vpc.dhcp_options_id).toMatch(/^dopt-/);
    // The default group lets members talk to each other and anything out.
    const rules = aws.objects<{ group_id: string; is_egress: boolean }>('security_group_rule').filter((r) => r.group_id === vpc.default_security_group_id);
    expect(rules.map((r) => r.is_egress).sort()).toEqual([false, true]);
    expect(await aws.read('aws_vpc', vpc)).toEqual(vpc);
  });

  test('VPC blocks must be /16 to /28 (InvalidVpc.Range)', async () => {
    await expectProblem(newVpc('10.0.0.0/8'), /^InvalidVpc\.Range: The CIDR '10\.0\.0\.0\/8' is invalid\./);
    await expectProblem(newVpc('10.0.0.0/29'), /^InvalidVpc\.Range/);
    await expect(newVpc('10.0.0.0/28')).resolves.toBeDefined();
  });

  test('a subnet must lie inside its VPC (InvalidSubnet.Range)', async () => {
    const vpc = await newVpc();
    const p = await expectProblem(newSubnet(vpc.id as string, '10.1.0.0/24'), /^InvalidSubnet\.Range: The CIDR '10\.1\.0\.0\/24' is invalid\./);
    expect(p.detail).toContain('10.0.0.0/16');
  });

  test('subnets must be /16 to /28 (InvalidSubnet.Range)', async () => {
    const vpc = await newVpc('10.0.0.0/16');
    await expectProblem(newSubnet(vpc.id as string, '10.0.0.0/29'), /^InvalidSubnet\.Range/);
    const big = await newVpc('172.16.0.0/16');
    await expect(newSubnet(big.id as string, '172.16.0.0/16')).resolves.toBeDefined();
  });

  test('subnets of a VPC must not overlap (InvalidSubnet.Conflict)', async () => {
    const vpc = await newVpc();
    const first = await newSubnet(vpc.id as string, '10.0.0.0/23');
    const p = await expectProblem(newSubnet(vpc.id as string, '10.0.1.0/24', 'us-east-1b'), /^InvalidSubnet\.Conflict: The CIDR '10\.0\.1\.0\/24' conflicts with another subnet/);
    expect(p.detail).toContain(first.id as string);
    // Another VPC may use the same block.
    const other = await newVpc();
    await expect(newSubnet(other.id as string, '10.0.1.0/24')).resolves.toBeDefined();
  });

  test("a subnet's zone must belong to the provider's region (InvalidParameterValue)", async () => {
    const vpc = await newVpc();
    await expectProblem(newSubnet(vpc.id as string, '10.0.0.0/24', 'us-west-2a'),
      /^InvalidParameterValue: Value \(us-west-2a\) for parameter availabilityZone is invalid\. Subnets can currently only be created in the following availability zones: us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f\./);
    const byId = await newSubnet(vpc.id as string, '10.0.0.0/24', null, { availability_zone_id: 'use1-az2' });
    expect(byId.availability_zone).toBe('us-east-1b');
    const picked = await newSubnet(vpc.id as string, '10.0.1.0/24', null);
    expect(picked.availability_zone).toBe('us-east-1a');
  });

  test('references to unknown VPCs, subnets and route tables fail as in EC2', async () => {
    await expectProblem(newSubnet('vpc-00000000000000000', '10.0.0.0/24'), /^InvalidVpcID\.NotFound: The vpc ID 'vpc-00000000000000000' does not exist/);
    await expectProblem(aws.create('aws_route_table_association', { subnet_id: 'subnet-0123', route_table_id: 'rtb-0123' }),
      /^InvalidRouteTableID\.NotFound: The routeTable ID 'rtb-0123' does not exist/);
    const vpc = await newVpc();
    const table = await aws.create('aws_route_table', { vpc_id: vpc.id });
    await expectProblem(aws.create('aws_route_table_association', { subnet_id: 'subnet-0123', route_table_id: table.id }),
      /^InvalidSubnetID\.NotFound: The subnet ID 'subnet-0123' does not exist/);
    // A VPC of another region is as unknown as one that never existed.
    await aws.configure({ region: 'eu-west-1' });
    await expectProblem(newSubnet(vpc.id as string, '10.0.0.0/24', 'eu-west-1a'), /^InvalidVpcID\.NotFound/);
  });

  test('cidr_block and vpc_id replace a subnet; tags and map_public_ip_on_launch change in place', async () => {
    const vpc = await newVpc();
    const subnet = await newSubnet(vpc.id as string, '10.0.0.0/24', 'us-east-1a', { tags: { Name: 'a' } });
    const config = { vpc_id: vpc.id, cidr_block: '10.0.0.0/24', availability_zone: 'us-east-1a', tags: { Name: 'b' }, map_public_ip_on_launch: true };
    const { planned, replace } = await aws.plan('aws_subnet', subnet, config);
    expect(replace).toEqual([]);
    expect(planned.tags_all).toEqual({ Name: 'b' });
    const updated = await aws.update('aws_subnet', subnet, config);
    expect(updated.replaced).toBe(false);
    expect(updated.state.id).toEqual(subnet.id);
    expect(aws.objects('subnet')[0])
      .toMatchObject({ tags: { Name: 'b' }, map_public_ip_on_launch: true });

    expect((await aws.plan('aws_subnet', updated.state, { ...config, cidr_block: '10.0.1.0/24' })).replace).toEqual(['cidr_block']);
    const other = await newVpc('10.1.0.0/16');
    expect((await aws.plan('aws_subnet', updated.state, { ...config, vpc_id: other.id })).replace).toEqual(['vpc_id']);
  });

  test('a VPC with subnets cannot be deleted (DependencyViolation); a subnet with a NAT gateway neither', async () => {
    const vpc = await newVpc();
    const subnet = await newSubnet(vpc.id as string, '10.0.0.0/24');
    const p = await expectProblem(aws.destroy('aws_vpc', vpc), /^DependencyViolation: The vpc '.*' has dependencies and cannot be deleted\./);
    expect(p.detail).toContain(subnet.id as string);

    const igw = await aws.create('aws_internet_gateway', { vpc_id: vpc.id });
    const eip = await aws.create('aws_eip', { domain: 'vpc' });
    const nat = await aws.create('aws_nat_gateway', { subnet_id: subnet.id, allocation_id: eip.allocation_id });
    await expectProblem(aws.destroy('aws_subnet', subnet), /^DependencyViolation: The subnet '.*' has dependencies and cannot be deleted\./);
    await aws.destroy('aws_nat_gateway', nat);
    await aws.destroy('aws_eip', eip);
    await aws.destroy('aws_internet_gateway', igw);
    await aws.destroy('aws_subnet', subnet);
    await aws.destroy('aws_vpc', vpc);
    // The VPC took its default group, main route table and ACL with it.
    for (const kind of ['vpc', 'subnet', 'security_group', 'security_group_rule', 'route_table', 'network_acl', 'nat_gateway', 'eip', 'internet_gateway']) {
      expect([kind, aws.objects(kind)]).toEqual([kind, []]);
    }
  });

  test('gateways: one internet gateway per VPC; NAT gateways need an unused Elastic IP and an internet gateway', async () => {
    const vpc = await newVpc();
    const subnet = await newSubnet(vpc.id as string, '10.0.0.0/28');
    const eip = await aws.create('aws_eip', { domain: 'vpc', tags: { Name: 'nat' } });
    expect(eip.id).toMatch(/^eipalloc-[0-9a-f]{17}$/);
    expect(eip.allocation_id).toEqual(eip.id);
    expect(eip.public_ip).toMatch(/^3\.(8[0-9]|9[0-5])\.\d+\.\d+$/);
    expect(eip.public_dns).toBe(`ec2-${(eip.public_ip as string).replace(/\./g, '-')}.compute-1.amazonaws.com`);

    await expectProblem(aws.create('aws_nat_gateway', { subnet_id: subnet.id, allocation_id: eip.allocation_id }),
      /^Gateway\.NotAttached: Network vpc-.* has no Internet gateway attached/);
    const igw = await aws.create('aws_internet_gateway', { vpc_id: vpc.id });
    expect(igw.id).toMatch(/^igw-[0-9a-f]{17}$/);
    await expectProblem(aws.create('aws_internet_gateway', { vpc_id: vpc.id }), /^Resource\.AlreadyAssociated: resource vpc-.* is already attached to network gateway igw-/);

    await expectProblem(aws.create('aws_nat_gateway', { subnet_id: subnet.id, allocation_id: 'eipalloc-0000' }),
      /^InvalidAllocationID\.NotFound: The allocation ID 'eipalloc-0000' does not exist/);
    const nat = await aws.create('aws_nat_gateway', { subnet_id: subnet.id, allocation_id: eip.allocation_id });
    expect(nat.id).toMatch(/^nat-[0-9a-f]{17}$/);
    // The NAT gateway holds the subnet's first usable address (.0-.3 are AWS's).
    expect(nat).toMatchObject({ public_ip: eip.public_ip, private_ip: '10.0.0.4', connectivity_type: 'public' });
    expect(nat.network_interface_id).toMatch(/^eni-/);
    await expectProblem(aws.create('aws_nat_gateway', { subnet_id: subnet.id, allocation_id: eip.allocation_id }),
      /^Resource\.AlreadyAssociated: Elastic IP address \[eipalloc-.*\] is already associated/);
    // The Elastic IP now shows its association.
    expect(await aws.read('aws_eip', eip)).toMatchObject({ network_interface: nat.network_interface_id, private_ip: '10.0.0.4' });
    await expectProblem(aws.destroy('aws_eip', eip), /^InvalidIPAddress\.InUse/);
    await expectProblem(aws.destroy('aws_internet_gateway', igw), /^DependencyViolation: Network vpc-.* has some mapped public address\(es\)/);
  });

  test('routes: targets must exist in the same VPC, destinations are unique, ids are r-<table><crc32>', async () => {
    const vpc = await newVpc();
    const igw = await aws.create('aws_internet_gateway', { vpc_id: vpc.id });
    const table = await aws.create('aws_route_table', { vpc_id: vpc.id, tags: { Name: 'public' } });
    expect(table.arn).toBe(`arn:aws:ec2:us-east-1:123456789012:route-table/${table.id}`);
    const route = await aws.create('aws_route', { route_table_id: table.id, destination_cidr_block: '0.0.0.0/0', gateway_id: igw.id });
    expect(route.id).toMatch(new RegExp(`^r-${table.id}\\d+$`));
    expect(route).toMatchObject({ state: 'active', origin: 'CreateRoute' });
    // 1080289494 is crc32("0.0.0.0/0"), the suffix real route ids end with.
    expect(route.id).toBe(`r-${table.id}1080289494`);
    await expectProblem(aws.create('aws_route', { route_table_id: table.id, destination_cidr_block: '0.0.0.0/0', gateway_id: igw.id }),
      /^RouteAlreadyExists: The route identified by 0\.0\.0\.0\/0 already exists\./);
    await expectProblem(aws.create('aws_route', { route_table_id: table.id, destination_cidr_block: '10.0.1.0/24', gateway_id: igw.id }),
      /^InvalidParameterValue: Route target is not supported\. This route only supports interface and instance targets\./);
    await expectProblem(aws.create('aws_route', { route_table_id: table.id, destination_cidr_block: '1.2.3.0/24', gateway_id: 'igw-0000' }),
      /^InvalidGatewayID\.NotFound/);
    await expectProblem(aws.create('aws_route', { route_table_id: table.id, destination_cidr_block: '1.2.3.0/24', nat_gateway_id: 'nat-0000' }),
      /^InvalidNatGatewayID\.NotFound/);
    const other = await newVpc('10.9.0.0/16');
    const otherIgw = await aws.create('aws_internet_gateway', { vpc_id: other.id });
    await expectProblem(aws.create('aws_route', { route_table_id: table.id, destination_cidr_block: '1.2.3.0/24', gateway_id: otherIgw.id }),
      /^InvalidParameterValue: route table rtb-.* and network gateway igw-.* belong to different networks/);
    // The table's refresh shows routes made by aws_route, as the real provider does.
    const refreshed = await aws.read('aws_route_table', table);
    expect(refreshed?.route).toEqual([expect.objectContaining({ cidr_block: '0.0.0.0/0', gateway_id: igw.id })]);
  });

  test('route table associations: same VPC, one per subnet; a table in use cannot be deleted', async () => {
    const vpc = await newVpc();
    const subnet = await newSubnet(vpc.id as string, '10.0.0.0/24');
    const table = await aws.create('aws_route_table', { vpc_id: vpc.id });
    const association = await aws.create('aws_route_table_association', { subnet_id: subnet.id, route_table_id: table.id });
    expect(association.id).toMatch(/^rtbassoc-[0-9a-f]{17}$/);
    const second = await aws.create('aws_route_table', { vpc_id: vpc.id });
    await expectProblem(aws.create('aws_route_table_association', { subnet_id: subnet.id, route_table_id: second.id }),
      /^Resource\.AlreadyAssociated: the specified association for route table rtb-.* conflicts with an existing association/);
    const other = await newVpc('10.9.0.0/16');
    const foreign = await aws.create('aws_route_table', { vpc_id: other.id });
    const subnet2 = await newSubnet(vpc.id as string, '10.0.1.0/24');
    await expectProblem(aws.create('aws_route_table_association', { subnet_id: subnet2.id, route_table_id: foreign.id }),
      /^InvalidParameterValue: route table rtb-.* and subnet subnet-.* belong to different networks/);
    await expectProblem(aws.destroy('aws_route_table', table), /^DependencyViolation: The routeTable '.*' has dependencies and cannot be deleted\./);
    // Moving the association to another table gives it a new id (ReplaceRouteTableAssociation).
    const moved = await aws.update('aws_route_table_association', association, { subnet_id: subnet.id, route_table_id: second.id });
    expect(isUnknown(moved.planned.id)).toBe(true);
    expect(moved.state.id).not.toEqual(association.id);
    await aws.destroy('aws_route_table', table);
  });

  test("tags_all merges the provider's default_tags; ignore_tags hides keys", async () => {
    await aws.configure({ region: 'us-east-1', default_tags: [{ tags: { team: 'core', Name: 'default' } }], ignore_tags: [{ keys: ['secret'] }] });
    const vpc = await newVpc('10.0.0.0/16', { tags: { Name: 'dev', secret: 'x' } });
    expect(vpc.tags_all).toEqual({ team: 'core', Name: 'dev' });
    expect(vpc.tags).toEqual({ Name: 'dev', secret: 'x' });
    expect(await aws.read('aws_vpc', vpc)).toMatchObject({ tags: { Name: 'dev' }, tags_all: { team: 'core', Name: 'dev' } });
  });

  test('availability zones: the real zone lists, local zones only with all_availability_zones, filters', async () => {
    const zones = await aws.data('aws_availability_zones', { state: 'available', filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }] });
    expect(zones.names).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f']);
    expect((zones.zone_ids as string[]).every((z) => /^use1-az[1-6]$/.test(z))).toBe(true);
    expect(zones).toMatchObject({ id: 'us-east-1', group_names: ['us-east-1'] });
    const all = await aws.data('aws_availability_zones', { all_availability_zones: true });
    expect(all.names).toContain('us-east-1-bos-1a');
    const optedOut = await aws.data('aws_availability_zones', { all_availability_zones: true, filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }] });
    expect(optedOut.names).toHaveLength(6);
    const excluded = await aws.data('aws_availability_zones', { exclude_names: ['us-east-1e'], filter: [{ name: 'zone-name', values: ['us-east-1?'] }] });
    expect(excluded.names).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1f']);
    for (const [region, names] of [['us-west-1', ['us-west-1a', 'us-west-1c']], ['ap-northeast-1', ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d']],
      ['eu-central-1', ['eu-central-1a', 'eu-central-1b', 'eu-central-1c']], ['us-west-2', ['us-west-2a', 'us-west-2b', 'us-west-2c', 'us-west-2d']]] as const) {
      expect((await aws.data('aws_availability_zones', { region })).names).toEqual(names);
    }
    await expectProblem(aws.data('aws_availability_zones', { filter: [{ name: 'colour', values: ['x'] }] }), /^InvalidParameterValue: The filter 'colour' is invalid/);
  });

  test('provider configuration: the region is required and must exist (unless skip_region_validation)', async () => {
    const saved = { AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    try {
      expect((await aws.configure({})).map((p) => p.summary)).toEqual(['Missing required argument']);
      expect((await aws.configure({ region: 'us-moon-1' })).map((p) => p.summary)).toEqual(['invalid AWS Region: us-moon-1']);
      expect(await aws.configure({ region: 'us-moon-1', skip_region_validation: true, profile: 'dev', access_key: 'a', secret_key: 's',
        skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: 'true' })).toEqual([]);
      expect((await aws.data('aws_availability_zones', {})).names).toEqual(['us-moon-1a', 'us-moon-1b', 'us-moon-1c']);
      expect((await aws.configure({ region: 'us-east-1', allowed_account_ids: ['111111111111'] })).map((p) => p.summary))
        .toEqual(['AWS account ID not allowed: 123456789012']);
    } finally {
      Object.assign(process.env, Object.fromEntries(Object.entries(saved).filter(([, v]) => v !== undefined)));
    }
  });

  test('a resource type the mock does not simulate is named in the diagnostic', async () => {
    const response = await aws.service.ValidateResourceConfig({ type_name: 'aws_lb_listener_rule', config: { msgpack: Buffer.from([0xc0]) } });
    const [d] = response.diagnostics as { summary: string; detail: string }[];
    expect(d.summary).toBe('the Butter mock cloud does not simulate aws_lb_listener_rule yet');
    expect(d.detail).toContain('aws_autoscaling_group');
    expect(unsimulatedTypes({ resource: { aws_vpc: {}, aws_lb_listener_rule: {} }, data: { aws_ami: {}, aws_caller_identity: {} } }))
      .toEqual([{ provider: 'aws', kind: 'resource', type: 'aws_lb_listener_rule' }, { provider: 'aws', kind: 'data', type: 'aws_caller_identity' }]);
  });
});
