import { FidelityCase, r, rs } from './corpus';

/** The AWS side of the fidelity corpus (provider hashicorp/aws 6.25.0, region us-east-1). */

const vpc = (id: string, cidr = '10.0.0.0/16') => r('aws_vpc', id, { cidr_block: cidr });
const subnet = (id: string, vpcId: string, cidr: string, zone = 'us-east-1a', extra: object = {}) =>
  r('aws_subnet', id, { vpc_id: `\${aws_vpc.${vpcId}.id}`, cidr_block: cidr, availability_zone: zone, ...extra });
const sg = (id: string, vpcId: string, extra: object = {}) => r('aws_security_group', id, { name: id, vpc_id: `\${aws_vpc.${vpcId}.id}`, ...extra });
const ingress = (id: string, group: string, extra: object) =>
  r('aws_vpc_security_group_ingress_rule', id, { security_group_id: `\${aws_security_group.${group}.id}`, ...extra });
const UBUNTU = { data: r('aws_ami', 'fid_ubuntu', {
  most_recent: true, owners: ['099720109477'],
  filter: [{ name: 'name', values: ['ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*'] }],
}) };
const lt = (id: string, type: string, extra: object = {}) =>
  r('aws_launch_template', id, { name: id, image_id: '${data.aws_ami.fid_ubuntu.id}', instance_type: type, ...extra });
const asg = (id: string, template: string, subnets: string[], extra: object = {}) => r('aws_autoscaling_group', id, {
  name: id, min_size: 1, max_size: 1, desired_capacity: 1, vpc_zone_identifier: subnets.map((s) => `\${aws_subnet.${s}.id}`),
  launch_template: [{ id: `\${aws_launch_template.${template}.id}`, version: '$Latest' }], ...extra,
});
const igw = (id: string, vpcId: string) => r('aws_internet_gateway', id, { vpc_id: `\${aws_vpc.${vpcId}.id}` });
/** One inline ingress entry of `count` rules: tcp/`port` from `count` /32 CIDRs (each CIDR is one EC2 rule). */
const inline = (port: number, count: number) => ({
  protocol: 'tcp', from_port: port, to_port: port, cidr_blocks: Array.from({ length: count }, (_, i) => `10.9.${i}.1/32`),
  description: '', ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false,
});
const b64 = (s: string) => Buffer.from(s).toString('base64');

const VPC_GUIDE = 'Amazon VPC User Guide';
const EC2_API = 'Amazon EC2 API Reference';

// --- Elastic Load Balancing ---
const ELB_API = 'Elastic Load Balancing API Reference';
const ALB_GUIDE = 'Application Load Balancers Guide';
const dashed = (id: string) => id.replace(/_/g, '-');
/** A VPC with two subnets in two zones (and an internet gateway when `igwToo`). */
const lbNet = (id: string, igwToo = false) => rs(vpc(id), subnet(`${id}_a`, id, '10.0.0.0/24', 'us-east-1a'), subnet(`${id}_b`, id, '10.0.1.0/24', 'us-east-1b'),
  ...(igwToo ? [igw(id, id)] : []));
const alb = (id: string, extra: object = {}) => r('aws_lb', id, {
  name: dashed(id), internal: true, load_balancer_type: 'application', subnets: [`\${aws_subnet.${id}_a.id}`, `\${aws_subnet.${id}_b.id}`], ...extra,
});
const tgroup = (id: string, extra: object = {}) => r('aws_lb_target_group', id, {
  name: dashed(id), port: 80, protocol: 'HTTP', vpc_id: `\${aws_vpc.${id}.id}`, ...extra,
});
const forward = (id: string, lb: string, tg: string, extra: object = {}) => r('aws_lb_listener', id, {
  load_balancer_arn: `\${aws_lb.${lb}.arn}`, port: 80, protocol: 'HTTP', default_action: [{ type: 'forward', target_group_arn: `\${aws_lb_target_group.${tg}.arn}` }], ...extra,
});

export const AWS_CASES: FidelityCase[] = [
  // --- the five AWS disagreements of issue 17 (accepted, but the real cloud refuses / drifts) ---
  {
    id: 'a_rules_61', issue17: true,
    rule: 'A security group has at most 60 inbound rules (per IP family); the 61st is refused.',
    source: `${VPC_GUIDE}, Amazon VPC quotas: Inbound or outbound rules per security group (L-0EA8095F, default 60)`,
    expect: { refused: 'apply', at: 'aws_vpc_security_group_ingress_rule.a_rules_61_extra', error: /RulesPerSecurityGroupLimitExceeded: The maximum number of rules per security group has been reached\./ },
    // Sixty inline rules (one CIDR each counts as one rule), then a 61st as its own resource.
    config: { resource: rs(vpc('a_rules_61'), sg('a_rules_61', 'a_rules_61', { ingress: [inline(1000, 60)] }),
      ingress('a_rules_61_extra', 'a_rules_61', { ip_protocol: 'tcp', from_port: 2000, to_port: 2000, cidr_ipv4: '10.0.0.0/8' })) },
  },
  {
    id: 'a_userdata_20k', issue17: true,
    rule: 'User data is limited to 16 KB in raw form, before base64 encoding: the launch fails.',
    source: 'Amazon EC2 User Guide, Run commands when you launch an EC2 instance with user data input',
    expect: { refused: 'apply', at: 'aws_autoscaling_group.a_userdata_20k', error: /InvalidParameterValue: User data is limited to 16384 bytes/ },
    config: { ...UBUNTU, resource: rs(vpc('a_userdata_20k'), subnet('a_userdata_20k', 'a_userdata_20k', '10.0.1.0/24'),
      lt('a_userdata_20k', 't3.micro', { user_data: b64(`#!/bin/sh\n# ${'x'.repeat(20 * 1024)}\n`) }),
      asg('a_userdata_20k', 'a_userdata_20k', ['a_userdata_20k'])) },
  },
  {
    id: 'a_inline_all_ports', issue17: true,
    rule: 'Inline rules with protocol "-1" (all) must have from_port and to_port 0.',
    source: 'terraform-provider-aws, aws_security_group: the provider refuses "-1" with ports before calling EC2',
    expect: { refused: 'apply', at: 'aws_security_group.a_inline_all_ports', error: /from_port \(80\) and to_port \(80\) must both be 0 to use the 'ALL' "-1" protocol!/ },
    config: { resource: rs(vpc('a_inline_all_ports'), sg('a_inline_all_ports', 'a_inline_all_ports', {
      ingress: [{ protocol: '-1', from_port: 80, to_port: 80, cidr_blocks: ['10.0.0.0/8'], description: '', ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false }],
    })) },
  },
  {
    id: 'a_bogus_protocol', issue17: true,
    rule: 'IpProtocol is tcp, udp, icmp, icmpv6, a protocol number, or -1.',
    source: `${EC2_API}, IpPermission.IpProtocol`,
    expect: { refused: 'apply', at: 'aws_vpc_security_group_ingress_rule.a_bogus_protocol', error: /InvalidParameterValue: Invalid value 'bogus' for IP protocol/ },
    config: { resource: rs(vpc('a_bogus_protocol'), sg('a_bogus_protocol', 'a_bogus_protocol'),
      ingress('a_bogus_protocol', 'a_bogus_protocol', { ip_protocol: 'bogus', from_port: 80, to_port: 80, cidr_ipv4: '10.0.0.0/8' })) },
  },
  {
    id: 'a_all_with_ports', issue17: true,
    rule: 'A "-1" (all traffic) rule has no ports: EC2 drops them and describes the rule with -1, so configured ports show as a change.',
    source: `${EC2_API}, IpPermission (FromPort/ToPort: -1 for all protocols); the provider reads FromPort/ToPort back`,
    expect: { drifts: 'aws_vpc_security_group_ingress_rule.a_all_with_ports' },
    config: { resource: rs(vpc('a_all_with_ports'), sg('a_all_with_ports', 'a_all_with_ports'),
      ingress('a_all_with_ports', 'a_all_with_ports', { ip_protocol: '-1', from_port: 80, to_port: 80, cidr_ipv4: '10.0.0.0/8' })) },
  },
  // --- refused by the mock before, accepted by AWS ---
  {
    id: 'a_types', issue17: true,
    rule: 'Any instance type EC2 offers can be used, not only Butter\'s fitting catalog.',
    source: `${EC2_API}, InstanceType (the EC2 service model's enumeration)`,
    expect: { accepted: true },
    config: { ...UBUNTU, resource: rs(vpc('a_types'), subnet('a_types', 'a_types', '10.0.1.0/24'),
      lt('a_types_c5', 'c5.large'), lt('a_types_m5', 'm5.xlarge'), lt('a_types_t2', 't2.small'), lt('a_types_c6i', 'c6i.2xlarge'),
      asg('a_types', 'a_types_c5', ['a_types'])) },
  },
  {
    id: 'a_more_specific', issue17: true,
    rule: 'A route to a subnet\'s whole CIDR (more specific than the local route) may target a NAT gateway (since August 2021).',
    source: `${VPC_GUIDE}, Route tables: Routing for more specific routes ("Middlebox routing", August 2021)`,
    expect: { accepted: true },
    config: { resource: rs(vpc('a_more_specific'), subnet('a_more_specific_pub', 'a_more_specific', '10.0.0.0/24'),
      subnet('a_more_specific_app', 'a_more_specific', '10.0.1.0/24'), igw('a_more_specific', 'a_more_specific'),
      r('aws_eip', 'a_more_specific', { domain: 'vpc' }),
      r('aws_nat_gateway', 'a_more_specific', { allocation_id: '${aws_eip.a_more_specific.id}', subnet_id: '${aws_subnet.a_more_specific_pub.id}', depends_on: ['aws_internet_gateway.a_more_specific'] }),
      r('aws_route_table', 'a_more_specific', { vpc_id: '${aws_vpc.a_more_specific.id}' }),
      r('aws_route', 'a_more_specific', { route_table_id: '${aws_route_table.a_more_specific.id}', destination_cidr_block: '10.0.1.0/24', nat_gateway_id: '${aws_nat_gateway.a_more_specific.id}' })) },
  },
  // --- rules added with the quotas and more-specific routing ---
  {
    id: 'a_specific_not_subnet',
    rule: 'A route more specific than the local route must match a subnet\'s whole CIDR.',
    source: `${VPC_GUIDE}, Route tables: Routing for more specific routes`,
    expect: { refused: 'apply', at: 'aws_route.a_specific_not_subnet', error: /InvalidParameterValue: Route destination doesn't match any subnet CIDR blocks\./ },
    config: { resource: rs(vpc('a_specific_not_subnet'), subnet('a_specific_not_subnet', 'a_specific_not_subnet', '10.0.0.0/24'),
      igw('a_specific_not_subnet', 'a_specific_not_subnet'), r('aws_eip', 'a_specific_not_subnet', { domain: 'vpc' }),
      r('aws_nat_gateway', 'a_specific_not_subnet', { allocation_id: '${aws_eip.a_specific_not_subnet.id}', subnet_id: '${aws_subnet.a_specific_not_subnet.id}', depends_on: ['aws_internet_gateway.a_specific_not_subnet'] }),
      r('aws_route_table', 'a_specific_not_subnet', { vpc_id: '${aws_vpc.a_specific_not_subnet.id}' }),
      r('aws_route', 'a_specific_not_subnet', { route_table_id: '${aws_route_table.a_specific_not_subnet.id}', destination_cidr_block: '10.0.9.0/25', nat_gateway_id: '${aws_nat_gateway.a_specific_not_subnet.id}' })) },
  },
  {
    id: 'a_specific_igw',
    rule: 'A route more specific than the local route cannot target an internet gateway.',
    source: `${VPC_GUIDE}, Route tables: Routing for more specific routes (targets: NAT gateway, network interface, Gateway Load Balancer endpoint)`,
    expect: { refused: 'apply', at: 'aws_route.a_specific_igw', error: /InvalidParameterValue: Route target is not supported\. This route only supports interface and instance targets\./ },
    config: { resource: rs(vpc('a_specific_igw'), subnet('a_specific_igw', 'a_specific_igw', '10.0.0.0/24'), igw('a_specific_igw', 'a_specific_igw'),
      r('aws_route_table', 'a_specific_igw', { vpc_id: '${aws_vpc.a_specific_igw.id}' }),
      r('aws_route', 'a_specific_igw', { route_table_id: '${aws_route_table.a_specific_igw.id}', destination_cidr_block: '10.0.0.0/24', gateway_id: '${aws_internet_gateway.a_specific_igw.id}' })) },
  },
  {
    id: 'a_sg_per_eni',
    rule: 'A network interface has at most 5 security groups.',
    source: `${VPC_GUIDE}, Amazon VPC quotas: Security groups per network interface (L-2AFB9258, default 5)`,
    expect: { refused: 'apply', at: 'aws_autoscaling_group.a_sg_per_eni', error: /SecurityGroupsPerInterfaceLimitExceeded: The maximum number of security groups per interface has been reached\./ },
    config: { ...UBUNTU, resource: rs(vpc('a_sg_per_eni'), subnet('a_sg_per_eni', 'a_sg_per_eni', '10.0.1.0/24'),
      ...[0, 1, 2, 3, 4, 5].map((i) => sg(`a_sg_per_eni_${i}`, 'a_sg_per_eni')),
      lt('a_sg_per_eni', 't3.micro', { vpc_security_group_ids: [0, 1, 2, 3, 4, 5].map((i) => `\${aws_security_group.a_sg_per_eni_${i}.id}`) }),
      asg('a_sg_per_eni', 'a_sg_per_eni', ['a_sg_per_eni'])) },
  },
  {
    id: 'a_subnets_quota',
    rule: 'A VPC has at most as many subnets as the Subnets per VPC quota (200 by default; users raise it): one more is refused. The corpus runs with the quota at 4 (BUTTER_MOCK_QUOTAS).',
    source: `${VPC_GUIDE}, Amazon VPC quotas: Subnets per VPC (L-407747CB, default 200)`,
    expect: { refused: 'apply', at: 'aws_subnet.a_subnets_quota_', error: /SubnetLimitExceeded: The maximum number of subnets has been reached\./ },
    config: { resource: rs(vpc('a_subnets_quota'), ...Array.from({ length: 5 }, (_, i) => subnet(`a_subnets_quota_${i}`, 'a_subnets_quota', `10.0.${i}.0/24`))) },
  },
  // --- what the mock already enforced as AWS does (refused with the real error) ---
  {
    id: 'a_overlap', rule: 'Subnets of a VPC cannot overlap.', source: `${EC2_API}, CreateSubnet (InvalidSubnet.Conflict)`,
    expect: { refused: 'apply', at: 'aws_subnet.a_overlap_', error: /InvalidSubnet\.Conflict: The CIDR '10\.0\.1\.\d+\/2[45]' conflicts with another subnet/ },
    config: { resource: rs(vpc('a_overlap'), subnet('a_overlap_1', 'a_overlap', '10.0.1.0/24'), subnet('a_overlap_2', 'a_overlap', '10.0.1.128/25')) },
  },
  {
    id: 'a_outside', rule: 'A subnet\'s CIDR lies inside its VPC\'s.', source: `${EC2_API}, CreateSubnet (InvalidSubnet.Range)`,
    expect: { refused: 'apply', at: 'aws_subnet.a_outside', error: /InvalidSubnet\.Range: The CIDR '10\.9\.0\.0\/24' is invalid\./ },
    config: { resource: rs(vpc('a_outside'), subnet('a_outside', 'a_outside', '10.9.0.0/24')) },
  },
  {
    id: 'a_subnet_29', rule: 'Subnet blocks are /16 to /28.', source: `${VPC_GUIDE}, Subnet CIDR blocks`,
    expect: { refused: 'apply', at: 'aws_subnet.a_subnet_29', error: /InvalidSubnet\.Range: The CIDR '10\.0\.0\.0\/29' is invalid\./ },
    config: { resource: rs(vpc('a_subnet_29'), subnet('a_subnet_29', 'a_subnet_29', '10.0.0.0/29')) },
  },
  {
    id: 'a_vpc_8', rule: 'VPC blocks are /16 to /28.', source: `${VPC_GUIDE}, VPC CIDR blocks`,
    expect: { refused: 'apply', at: 'aws_vpc.a_vpc_8', error: /InvalidVpc\.Range: The CIDR '10\.0\.0\.0\/8' is invalid\./ },
    config: { resource: vpc('a_vpc_8', '10.0.0.0/8') },
  },
  {
    id: 'a_zone_region', rule: 'A subnet\'s zone is one of its region\'s.', source: `${EC2_API}, CreateSubnet (AvailabilityZone)`,
    expect: { refused: 'apply', at: 'aws_subnet.a_zone_region', error: /InvalidParameterValue: Value \(us-west-2a\) for parameter availabilityZone is invalid/ },
    config: { resource: rs(vpc('a_zone_region'), subnet('a_zone_region', 'a_zone_region', '10.0.0.0/24', 'us-west-2a')) },
  },
  {
    id: 'a_sg_duplicate', rule: 'Security group names are unique in a VPC.', source: `${EC2_API}, CreateSecurityGroup (InvalidGroup.Duplicate)`,
    expect: { refused: 'apply', at: 'aws_security_group.a_sg_duplicate_', error: /InvalidGroup\.Duplicate: The security group 'a-sg-dup' already exists for VPC/ },
    config: { resource: rs(vpc('a_sg_duplicate'), r('aws_security_group', 'a_sg_duplicate_1', { name: 'a-sg-dup', vpc_id: '${aws_vpc.a_sg_duplicate.id}' }),
      r('aws_security_group', 'a_sg_duplicate_2', { name: 'a-sg-dup', vpc_id: '${aws_vpc.a_sg_duplicate.id}' })) },
  },
  {
    id: 'a_sg_default', rule: '"default" is a reserved security group name.', source: `${EC2_API}, CreateSecurityGroup (InvalidGroup.Reserved)`,
    expect: { refused: 'apply', at: 'aws_security_group.a_sg_default', error: /InvalidGroup\.Reserved: The security group 'default' is reserved/ },
    config: { resource: rs(vpc('a_sg_default'), r('aws_security_group', 'a_sg_default', { name: 'default', vpc_id: '${aws_vpc.a_sg_default.id}' })) },
  },
  {
    id: 'a_sg_prefix', rule: 'Security group names cannot start with sg-.', source: `${EC2_API}, CreateSecurityGroup (GroupName)`,
    expect: { refused: 'apply', at: 'aws_security_group.a_sg_prefix', error: /InvalidParameterValue: Invalid value 'sg-web' for groupName/ },
    config: { resource: rs(vpc('a_sg_prefix'), r('aws_security_group', 'a_sg_prefix', { name: 'sg-web', vpc_id: '${aws_vpc.a_sg_prefix.id}' })) },
  },
  {
    id: 'a_sg_ascii', rule: 'Security group descriptions are ASCII.', source: `${EC2_API}, CreateSecurityGroup (GroupDescription)`,
    expect: { refused: 'apply', at: 'aws_security_group.a_sg_ascii', error: /InvalidParameterValue: Value \(caf\u00e9\) for parameter GroupDescription is invalid/ },
    config: { resource: rs(vpc('a_sg_ascii'), sg('a_sg_ascii', 'a_sg_ascii', { description: 'caf\u00e9' })) },
  },
  {
    id: 'a_rule_duplicate', rule: 'A rule that exists cannot be added again.', source: `${EC2_API}, AuthorizeSecurityGroupIngress (InvalidPermission.Duplicate)`,
    expect: { refused: 'apply', at: 'aws_vpc_security_group_ingress_rule.a_rule_duplicate_', error: /InvalidPermission\.Duplicate: the specified rule "peer: 10\.0\.0\.0\/8, TCP, from port: 22, to port: 22, ALLOW" already exists/ },
    config: { resource: rs(vpc('a_rule_duplicate'), sg('a_rule_duplicate', 'a_rule_duplicate'),
      ingress('a_rule_duplicate_1', 'a_rule_duplicate', { ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv4: '10.0.0.0/8' }),
      ingress('a_rule_duplicate_2', 'a_rule_duplicate', { ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv4: '10.0.0.0/8' })) },
  },
  {
    id: 'a_tcp_no_ports', rule: 'TCP and UDP rules need both ports.', source: `${EC2_API}, IpPermission (FromPort/ToPort)`,
    expect: { refused: 'apply', at: 'aws_vpc_security_group_ingress_rule.a_tcp_no_ports', error: /Must specify both from and to ports with TCP\/UDP/ },
    config: { resource: rs(vpc('a_tcp_no_ports'), sg('a_tcp_no_ports', 'a_tcp_no_ports'), ingress('a_tcp_no_ports', 'a_tcp_no_ports', { ip_protocol: 'tcp', cidr_ipv4: '10.0.0.0/8' })) },
  },
  {
    id: 'a_port_range', rule: 'A port range runs from low to high, within 0-65535.', source: `${EC2_API}, IpPermission (FromPort/ToPort)`,
    expect: { refused: 'apply', at: 'aws_vpc_security_group_ingress_rule.a_port_range', error: /InvalidParameterValue: Invalid TCP\/UDP port range 90-80/ },
    config: { resource: rs(vpc('a_port_range'), sg('a_port_range', 'a_port_range'), ingress('a_port_range', 'a_port_range', { ip_protocol: 'tcp', from_port: 90, to_port: 80, cidr_ipv4: '10.0.0.0/8' })) },
  },
  {
    id: 'a_rule_other_vpc', rule: 'A rule references groups of its own VPC (or a peered one).', source: `${VPC_GUIDE}, Security group rules: Security group referencing`,
    expect: { refused: 'apply', at: 'aws_vpc_security_group_ingress_rule.a_rule_other_vpc', error: /You have specified two resources that belong to different networks/ },
    config: { resource: rs(vpc('a_rule_other_vpc_1'), vpc('a_rule_other_vpc_2', '10.1.0.0/16'), sg('a_rule_other_vpc_1', 'a_rule_other_vpc_1'), sg('a_rule_other_vpc_2', 'a_rule_other_vpc_2'),
      ingress('a_rule_other_vpc', 'a_rule_other_vpc_1', { ip_protocol: 'tcp', from_port: 80, to_port: 80, referenced_security_group_id: '${aws_security_group.a_rule_other_vpc_2.id}' })) },
  },
  {
    id: 'a_route_duplicate', rule: 'A route table has one route per destination.', source: `${EC2_API}, CreateRoute (RouteAlreadyExists)`,
    expect: { refused: 'apply', at: 'aws_route.a_route_duplicate_', error: /RouteAlreadyExists: The route identified by 0\.0\.0\.0\/0 already exists\./ },
    config: { resource: rs(vpc('a_route_duplicate'), igw('a_route_duplicate', 'a_route_duplicate'), r('aws_route_table', 'a_route_duplicate', { vpc_id: '${aws_vpc.a_route_duplicate.id}' }),
      r('aws_route', 'a_route_duplicate_1', { route_table_id: '${aws_route_table.a_route_duplicate.id}', destination_cidr_block: '0.0.0.0/0', gateway_id: '${aws_internet_gateway.a_route_duplicate.id}' }),
      r('aws_route', 'a_route_duplicate_2', { route_table_id: '${aws_route_table.a_route_duplicate.id}', destination_cidr_block: '0.0.0.0/0', gateway_id: '${aws_internet_gateway.a_route_duplicate.id}' })) },
  },
  {
    id: 'a_route_other_igw', rule: 'A route\'s gateway is attached to the table\'s VPC.', source: `${EC2_API}, CreateRoute`,
    expect: { refused: 'apply', at: 'aws_route.a_route_other_igw', error: /InvalidParameterValue: route table rtb-[0-9a-f]+ and network gateway igw-[0-9a-f]+ belong to different networks/ },
    config: { resource: rs(vpc('a_route_other_igw_1'), vpc('a_route_other_igw_2', '10.1.0.0/16'), igw('a_route_other_igw', 'a_route_other_igw_2'),
      r('aws_route_table', 'a_route_other_igw', { vpc_id: '${aws_vpc.a_route_other_igw_1.id}' }),
      r('aws_route', 'a_route_other_igw', { route_table_id: '${aws_route_table.a_route_other_igw.id}', destination_cidr_block: '0.0.0.0/0', gateway_id: '${aws_internet_gateway.a_route_other_igw.id}' })) },
  },
  {
    id: 'a_nat_no_igw', rule: 'A public NAT gateway needs an internet gateway attached to its VPC.', source: `${VPC_GUIDE}, NAT gateways: Troubleshooting (Gateway.NotAttached)`,
    expect: { refused: 'apply', at: 'aws_nat_gateway.a_nat_no_igw', error: /Gateway\.NotAttached: Network vpc-[0-9a-f]+ has no Internet gateway attached/ },
    config: { resource: rs(vpc('a_nat_no_igw'), subnet('a_nat_no_igw', 'a_nat_no_igw', '10.0.0.0/24'), r('aws_eip', 'a_nat_no_igw', { domain: 'vpc' }),
      r('aws_nat_gateway', 'a_nat_no_igw', { allocation_id: '${aws_eip.a_nat_no_igw.id}', subnet_id: '${aws_subnet.a_nat_no_igw.id}' })) },
  },
  {
    id: 'a_nat_no_eip', rule: 'A public NAT gateway needs an Elastic IP allocation.', source: `${EC2_API}, CreateNatGateway (AllocationId)`,
    expect: { refused: 'apply', at: 'aws_nat_gateway.a_nat_no_eip', error: /MissingParameter: A public NAT gateway needs an Elastic IP/ },
    config: { resource: rs(vpc('a_nat_no_eip'), subnet('a_nat_no_eip', 'a_nat_no_eip', '10.0.0.0/24'),
      r('aws_nat_gateway', 'a_nat_no_eip', { subnet_id: '${aws_subnet.a_nat_no_eip.id}' })) },
  },
  {
    id: 'a_eip_standard', rule: 'EC2-Classic is retired: Elastic IPs are VPC addresses.', source: 'Amazon EC2 User Guide, EC2-Classic retirement (2023)',
    expect: { refused: 'apply', at: 'aws_eip.a_eip_standard', error: /InvalidParameterValue: EC2-Classic is retired/ },
    config: { resource: r('aws_eip', 'a_eip_standard', { domain: 'standard' }) },
  },
  {
    id: 'a_unknown_type', rule: 'An instance type EC2 does not have is refused.', source: `${EC2_API}, InstanceType`,
    expect: { refused: 'apply', at: 'aws_launch_template.a_unknown_type', error: /InvalidParameterValue: Invalid value 'm5\.huge' for InstanceType/ },
    config: { ...UBUNTU, resource: lt('a_unknown_type', 'm5.huge') },
  },
  {
    id: 'a_userdata_base64', rule: 'Launch template user data is base64-encoded.', source: `${EC2_API}, RequestLaunchTemplateData.UserData`,
    expect: { refused: 'apply', at: 'aws_launch_template.a_userdata_base64', error: /InvalidUserData\.Malformed: Invalid BASE64 encoding of user data\./ },
    config: { ...UBUNTU, resource: lt('a_userdata_base64', 't3.micro', { user_data: '#!/bin/sh\necho hi' }) },
  },
  {
    id: 'a_lt_duplicate', rule: 'Launch template names are unique in a region.', source: `${EC2_API}, CreateLaunchTemplate (InvalidLaunchTemplateName.AlreadyExistsException)`,
    expect: { refused: 'apply', at: 'aws_launch_template.a_lt_duplicate_', error: /InvalidLaunchTemplateName\.AlreadyExistsException/ },
    config: { ...UBUNTU, resource: rs(
      r('aws_launch_template', 'a_lt_duplicate_1', { name: 'a-lt-dup', image_id: '${data.aws_ami.fid_ubuntu.id}', instance_type: 't3.micro' }),
      r('aws_launch_template', 'a_lt_duplicate_2', { name: 'a-lt-dup', image_id: '${data.aws_ami.fid_ubuntu.id}', instance_type: 't3.micro' })) },
  },
  {
    id: 'a_arch', rule: 'An instance type boots only images of its architecture.', source: `${EC2_API}, RunInstances (InvalidParameterValue: architecture)`,
    expect: { refused: 'apply', at: 'aws_autoscaling_group.a_arch', error: /The architecture 'arm64' of the specified instance type does not match the architecture 'x86_64' of the specified AMI/ },
    config: { ...UBUNTU, resource: rs(vpc('a_arch'), subnet('a_arch', 'a_arch', '10.0.1.0/24'), lt('a_arch', 'm7g.large'), asg('a_arch', 'a_arch', ['a_arch'])) },
  },
  {
    id: 'a_asg_vpcs', rule: 'An Auto Scaling group\'s subnets belong to one VPC.', source: 'Amazon EC2 Auto Scaling API Reference, CreateAutoScalingGroup (VPCZoneIdentifier)',
    expect: { refused: 'apply', at: 'aws_autoscaling_group.a_asg_vpcs', error: /ValidationError: The subnets of an Auto Scaling group must all belong to the same VPC/ },
    config: { ...UBUNTU, resource: rs(vpc('a_asg_vpcs_1'), vpc('a_asg_vpcs_2', '10.1.0.0/16'), subnet('a_asg_vpcs_1', 'a_asg_vpcs_1', '10.0.1.0/24'),
      subnet('a_asg_vpcs_2', 'a_asg_vpcs_2', '10.1.1.0/24', 'us-east-1b'), lt('a_asg_vpcs', 't3.micro'), asg('a_asg_vpcs', 'a_asg_vpcs', ['a_asg_vpcs_1', 'a_asg_vpcs_2'])) },
  },
  {
    id: 'a_asg_bounds', rule: 'Desired capacity lies between min and max size.', source: 'Amazon EC2 Auto Scaling API Reference, CreateAutoScalingGroup',
    expect: { refused: 'apply', at: 'aws_autoscaling_group.a_asg_bounds', error: /ValidationError: Desired capacity:5 must be between the specified min size:1 and max size:2/ },
    config: { ...UBUNTU, resource: rs(vpc('a_asg_bounds'), subnet('a_asg_bounds', 'a_asg_bounds', '10.0.1.0/24'), lt('a_asg_bounds', 't3.micro'),
      asg('a_asg_bounds', 'a_asg_bounds', ['a_asg_bounds'], { min_size: 1, max_size: 2, desired_capacity: 5 })) },
  },
  {
    id: 'a_asg_sg_vpc', rule: 'A launch template\'s security groups belong to the group\'s VPC.', source: 'Amazon EC2 Auto Scaling User Guide, Troubleshooting: security group not linked to the VPC',
    expect: { refused: 'apply', at: 'aws_autoscaling_group.a_asg_sg_vpc', error: /ValidationError: One or more security groups in the launch template are not linked to the VPCs configured in the Auto Scaling group/ },
    config: { ...UBUNTU, resource: rs(vpc('a_asg_sg_vpc_1'), vpc('a_asg_sg_vpc_2', '10.1.0.0/16'), subnet('a_asg_sg_vpc', 'a_asg_sg_vpc_1', '10.0.1.0/24'),
      sg('a_asg_sg_vpc', 'a_asg_sg_vpc_2'), lt('a_asg_sg_vpc', 't3.micro', { vpc_security_group_ids: ['${aws_security_group.a_asg_sg_vpc.id}'] }),
      asg('a_asg_sg_vpc', 'a_asg_sg_vpc', ['a_asg_sg_vpc'])) },
  },
  {
    id: 'a_no_ami', rule: 'An image search that matches nothing fails the data source.', source: 'terraform-provider-aws, data aws_ami ("Your query returned no results")',
    expect: { refused: 'plan', at: 'data.aws_ami.a_no_ami', error: /Your query returned no results/ },
    config: { data: r('aws_ami', 'a_no_ami', { owners: ['099720109477'], filter: [{ name: 'name', values: ['no-such-image-*'] }] }) },
  },
  {
    id: 'a_sg_no_vpc', rule: 'Without a default VPC a security group needs vpc_id.', source: `${EC2_API}, CreateSecurityGroup (VPCIdNotSpecified)`,
    expect: { refused: 'apply', at: 'aws_security_group.a_sg_no_vpc', error: /VPCIdNotSpecified: No default VPC for this user/ },
    config: { resource: r('aws_security_group', 'a_sg_no_vpc', { name: 'a-sg-no-vpc' }) },
  },
  {
    id: 'a_rule_peers', rule: 'A VPC security group rule has exactly one peer.', source: 'terraform-provider-aws, aws_vpc_security_group_ingress_rule (ExactlyOneOf)',
    expect: { refused: 'validate', at: 'aws_vpc_security_group_ingress_rule.a_rule_peers', error: /Exactly one of these attributes must be configured: \[cidr_ipv4,cidr_ipv6,prefix_list_id,referenced_security_group_id\]/ },
    config: { resource: rs(vpc('a_rule_peers'), sg('a_rule_peers', 'a_rule_peers'), ingress('a_rule_peers', 'a_rule_peers', { ip_protocol: 'tcp', from_port: 1, to_port: 1, cidr_ipv4: '10.0.0.0/8', cidr_ipv6: '::/0' })) },
  },
  // --- accepted as AWS accepts them, planning clean afterwards ---
  {
    id: 'a_rules_60', rule: 'Sixty inbound rules fit one security group.', source: `${VPC_GUIDE}, Amazon VPC quotas (L-0EA8095F, default 60)`,
    expect: { accepted: true },
    config: { resource: rs(vpc('a_rules_60'), sg('a_rules_60', 'a_rules_60', { ingress: [inline(1000, 60)] })) },
  },
  {
    id: 'a_protocols', rule: 'tcp, udp, icmp, icmpv6, protocol numbers and -1 (ports left out) are valid rule protocols.', source: `${EC2_API}, IpPermission.IpProtocol`,
    expect: { accepted: true },
    config: { resource: rs(vpc('a_protocols'), sg('a_protocols', 'a_protocols'),
      ingress('a_protocols_udp', 'a_protocols', { ip_protocol: 'udp', from_port: 53, to_port: 53, cidr_ipv4: '10.0.0.0/8' }),
      ingress('a_protocols_icmp', 'a_protocols', { ip_protocol: 'icmp', from_port: -1, to_port: -1, cidr_ipv4: '10.0.0.0/8' }),
      ingress('a_protocols_gre', 'a_protocols', { ip_protocol: '47', cidr_ipv4: '10.0.0.0/8' }),
      ingress('a_protocols_all', 'a_protocols', { ip_protocol: '-1', cidr_ipv4: '10.1.0.0/16' })) },
  },
  {
    id: 'a_sg_per_eni_5', rule: 'Five security groups fit one network interface.', source: `${VPC_GUIDE}, Amazon VPC quotas (L-2AFB9258, default 5)`,
    expect: { accepted: true },
    config: { ...UBUNTU, resource: rs(vpc('a_sg_per_eni_5'), subnet('a_sg_per_eni_5', 'a_sg_per_eni_5', '10.0.1.0/24'),
      ...[0, 1, 2, 3, 4].map((i) => sg(`a_sg_per_eni_5_${i}`, 'a_sg_per_eni_5')),
      lt('a_sg_per_eni_5', 't3.micro', { vpc_security_group_ids: [0, 1, 2, 3, 4].map((i) => `\${aws_security_group.a_sg_per_eni_5_${i}.id}`) }),
      asg('a_sg_per_eni_5', 'a_sg_per_eni_5', ['a_sg_per_eni_5'])) },
  },
  {
    id: 'a_userdata_16k', rule: 'User data of up to 16 KB launches.', source: 'Amazon EC2 User Guide, user data input (16 KB)',
    expect: { accepted: true },
    config: { ...UBUNTU, resource: rs(vpc('a_userdata_16k'), subnet('a_userdata_16k', 'a_userdata_16k', '10.0.1.0/24'),
      lt('a_userdata_16k', 't3.micro', { user_data: b64(`#!/bin/sh\n# ${'x'.repeat(16 * 1024 - 20)}\n`) }), asg('a_userdata_16k', 'a_userdata_16k', ['a_userdata_16k'])) },
  },
  {
    id: 'a_arm', rule: 'Graviton types launch arm64 images.', source: 'Amazon EC2 User Guide, AWS Graviton instances',
    expect: { accepted: true },
    config: {
      data: r('aws_ami', 'fid_ubuntu_arm', { most_recent: true, owners: ['099720109477'], filter: [{ name: 'name', values: ['ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-*'] }] }),
      resource: rs(vpc('a_arm'), subnet('a_arm', 'a_arm', '10.0.1.0/24'),
        r('aws_launch_template', 'a_arm', { name: 'a_arm', image_id: '${data.aws_ami.fid_ubuntu_arm.id}', instance_type: 'm7g.large' }), asg('a_arm', 'a_arm', ['a_arm'])),
    },
  },
  // --- Elastic Load Balancing and target tracking (issue 19) ---
  {
    id: 'a_alb_one_zone',
    rule: 'An Application Load Balancer needs subnets in at least two Availability Zones.',
    source: `${ELB_API}, CreateLoadBalancer (Subnets: "[Application Load Balancers] You must specify subnets from at least two Availability Zones")`,
    expect: { refused: 'apply', at: 'aws_lb.a_alb_one_zone', error: /ValidationError: At least two subnets in two different Availability Zones must be specified/ },
    config: { resource: rs(lbNet('a_alb_one_zone'), alb('a_alb_one_zone', { subnets: ['${aws_subnet.a_alb_one_zone_a.id}'] })) },
  },
  {
    id: 'a_alb_same_zone',
    rule: 'A load balancer takes at most one subnet per Availability Zone.',
    source: `${ELB_API}, CreateLoadBalancer (Subnets: "You can specify only one subnet per Availability Zone")`,
    expect: { refused: 'apply', at: 'aws_lb.a_alb_same_zone', error: /InvalidConfigurationRequest: A load balancer cannot be attached to multiple subnets in the same Availability Zone/ },
    config: { resource: rs(lbNet('a_alb_same_zone'), subnet('a_alb_same_zone_c', 'a_alb_same_zone', '10.0.2.0/24', 'us-east-1a'),
      alb('a_alb_same_zone', { subnets: ['${aws_subnet.a_alb_same_zone_a.id}', '${aws_subnet.a_alb_same_zone_b.id}', '${aws_subnet.a_alb_same_zone_c.id}'] })) },
  },
  {
    id: 'a_alb_no_igw',
    rule: 'An internet-facing load balancer needs an internet gateway in its VPC.',
    source: `${ELB_API}, CreateLoadBalancer errors (InvalidSubnet); ${ALB_GUIDE}, "Availability Zones and subnets"`,
    expect: { refused: 'apply', at: 'aws_lb.a_alb_no_igw', error: /InvalidSubnet: VPC vpc-[0-9a-f]+ has no internet gateway/ },
    config: { resource: rs(lbNet('a_alb_no_igw'), alb('a_alb_no_igw', { internal: false })) },
  },
  {
    id: 'a_lb_sg_vpc',
    rule: 'A load balancer\'s security groups belong to its VPC.',
    source: `${ELB_API}, CreateLoadBalancer / SetSecurityGroups (InvalidConfigurationRequest)`,
    expect: { refused: 'apply', at: 'aws_lb.a_lb_sg_vpc', error: /InvalidConfigurationRequest: Security group 'sg-[0-9a-f]+' does not belong to VPC/ },
    config: { resource: rs(lbNet('a_lb_sg_vpc'), vpc('a_lb_sg_vpc_other', '10.1.0.0/16'), sg('a_lb_sg_vpc', 'a_lb_sg_vpc_other'),
      alb('a_lb_sg_vpc', { security_groups: ['${aws_security_group.a_lb_sg_vpc.id}'] })) },
  },
  {
    id: 'a_lb_name',
    rule: 'A load balancer name has at most 32 alphanumerics and hyphens and cannot begin with "internal-".',
    source: `${ELB_API}, CreateLoadBalancer (Name); terraform-provider-aws, aws_lb name validation`,
    expect: { refused: 'validate', at: 'aws_lb.a_lb_name', error: /Invalid value for "name".*cannot begin with "internal-"/ },
    config: { resource: rs(lbNet('a_lb_name'), alb('a_lb_name', { name: 'internal-web' })) },
  },
  {
    id: 'a_tg_interval',
    rule: 'A health check interval is 5 to 300 seconds.',
    source: `${ELB_API}, CreateTargetGroup (HealthCheckIntervalSeconds: 5-300)`,
    expect: { refused: 'validate', at: 'aws_lb_target_group.a_tg_interval', error: /Invalid value for "interval"/ },
    config: { resource: rs(vpc('a_tg_interval'), tgroup('a_tg_interval', { health_check: [{ interval: 3 }] })) },
  },
  {
    id: 'a_tg_timeout',
    rule: 'A health check timeout is shorter than its interval.',
    source: `${ELB_API}, CreateTargetGroup / ModifyTargetGroup (HealthCheckTimeoutSeconds)`,
    expect: { refused: 'apply', at: 'aws_lb_target_group.a_tg_timeout', error: /ValidationError: Health check interval must be greater than the timeout\./ },
    config: { resource: rs(vpc('a_tg_timeout'), tgroup('a_tg_timeout', { health_check: [{ interval: 10, timeout: 10 }] })) },
  },
  {
    id: 'a_listener_duplicate',
    rule: 'A load balancer has one listener per port.',
    source: `${ELB_API}, CreateListener errors (DuplicateListener)`,
    expect: { refused: 'apply', at: 'aws_lb_listener.a_listener_duplicate_2', error: /DuplicateListener: A listener already exists on this port for this load balancer/ },
    config: { resource: rs(lbNet('a_listener_duplicate'), alb('a_listener_duplicate'), tgroup('a_listener_duplicate'),
      forward('a_listener_duplicate', 'a_listener_duplicate', 'a_listener_duplicate'),
      forward('a_listener_duplicate_2', 'a_listener_duplicate', 'a_listener_duplicate', { depends_on: ['aws_lb_listener.a_listener_duplicate'] })) },
  },
  {
    id: 'a_listener_https',
    rule: 'An HTTPS listener needs a certificate.',
    source: `${ELB_API}, CreateListener (Certificates: "[HTTPS and TLS listeners] The default certificate for the listener. You must provide exactly one certificate")`,
    expect: { refused: 'apply', at: 'aws_lb_listener.a_listener_https', error: /ValidationError: A certificate must be specified for HTTPS listeners/ },
    config: { resource: rs(lbNet('a_listener_https'), alb('a_listener_https'), tgroup('a_listener_https'),
      forward('a_listener_https', 'a_listener_https', 'a_listener_https', { port: 443, protocol: 'HTTPS' })) },
  },
  {
    id: 'a_listener_protocol',
    rule: 'An Application Load Balancer listens with HTTP or HTTPS only.',
    source: `${ELB_API}, CreateListener (Protocol: "For Application Load Balancers, the supported protocols are HTTP and HTTPS")`,
    expect: { refused: 'apply', at: 'aws_lb_listener.a_listener_protocol', error: /ValidationError: Listener protocol 'TCP' must be one of 'HTTPS, HTTP'/ },
    config: { resource: rs(lbNet('a_listener_protocol'), alb('a_listener_protocol'), tgroup('a_listener_protocol'),
      forward('a_listener_protocol', 'a_listener_protocol', 'a_listener_protocol', { protocol: 'TCP' })) },
  },
  {
    id: 'a_asg_tg_vpc',
    rule: 'An Auto Scaling group\'s target groups take its instances, so they are in the group\'s VPC.',
    source: 'Amazon EC2 Auto Scaling API Reference, CreateAutoScalingGroup (TargetGroupARNs); Elastic Load Balancing API Reference, RegisterTargets (InvalidTarget)',
    expect: { refused: 'apply', at: 'aws_autoscaling_group.a_asg_tg_vpc', error: /ValidationError: Provided Target Group '.*' is not in the same VPC as the Auto Scaling group/ },
    config: { ...UBUNTU, resource: rs(vpc('a_asg_tg_vpc'), subnet('a_asg_tg_vpc', 'a_asg_tg_vpc', '10.0.1.0/24'), vpc('a_asg_tg_vpc_other', '10.1.0.0/16'),
      r('aws_lb_target_group', 'a_asg_tg_vpc', { name: 'a-asg-tg-vpc', port: 80, protocol: 'HTTP', vpc_id: '${aws_vpc.a_asg_tg_vpc_other.id}' }),
      lt('a_asg_tg_vpc', 't3.micro'), asg('a_asg_tg_vpc', 'a_asg_tg_vpc', ['a_asg_tg_vpc'], { target_group_arns: ['${aws_lb_target_group.a_asg_tg_vpc.arn}'] })) },
  },
  {
    id: 'a_policy_tt_adjustment',
    rule: 'A target tracking policy takes no scaling adjustment.',
    source: 'Amazon EC2 Auto Scaling API Reference, PutScalingPolicy (ScalingAdjustment: "Required if the policy type is SimpleScaling. (Not used with any other policy type.)"); terraform-provider-aws, aws_autoscaling_policy',
    expect: { refused: 'apply', at: 'aws_autoscaling_policy.a_policy_tt_adjustment', error: /ValidationError: scaling_adjustment is only supported for policy type SimpleScaling/ },
    config: { ...UBUNTU, resource: rs(vpc('a_policy_tt_adjustment'), subnet('a_policy_tt_adjustment', 'a_policy_tt_adjustment', '10.0.1.0/24'),
      lt('a_policy_tt_adjustment', 't3.micro'), asg('a_policy_tt_adjustment', 'a_policy_tt_adjustment', ['a_policy_tt_adjustment']),
      r('aws_autoscaling_policy', 'a_policy_tt_adjustment', {
        name: 'cpu', autoscaling_group_name: '${aws_autoscaling_group.a_policy_tt_adjustment.name}', policy_type: 'TargetTrackingScaling', scaling_adjustment: 1,
        target_tracking_configuration: [{ target_value: 60, predefined_metric_specification: [{ predefined_metric_type: 'ASGAverageCPUUtilization' }] }],
      })) },
  },
  {
    id: 'a_alb_default_sg',
    rule: 'An Application Load Balancer created without security groups gets its VPC\'s default security group.',
    source: `${ALB_GUIDE}, "Security groups for your Application Load Balancer"`,
    expect: { accepted: true },
    config: { resource: rs(lbNet('a_alb_default_sg'), alb('a_alb_default_sg')) },
  },
  {
    id: 'a_nlb_one_zone',
    rule: 'A Network Load Balancer may use a single Availability Zone, and forwards TCP to TCP target groups.',
    source: `${ELB_API}, CreateLoadBalancer (Subnets: "[Network Load Balancers] You can specify subnets from one or more Availability Zones")`,
    expect: { accepted: true },
    config: { resource: rs(lbNet('a_nlb_one_zone'), alb('a_nlb_one_zone', { load_balancer_type: 'network', subnets: ['${aws_subnet.a_nlb_one_zone_a.id}'] }),
      tgroup('a_nlb_one_zone', { protocol: 'TCP' }), forward('a_nlb_one_zone', 'a_nlb_one_zone', 'a_nlb_one_zone', { protocol: 'TCP' })) },
  },
  {
    id: 'a_alb_service',
    rule: 'An ALB with an HTTPS listener, a target group with an HTTP health check, and a group registered in it with ELB health checks and a target tracking policy; min/max without desired capacity.',
    source: `${ALB_GUIDE}, "Tutorial: Create an Application Load Balancer"; Amazon EC2 Auto Scaling User Guide, "Target tracking scaling policies"`,
    expect: { accepted: true },
    config: { ...UBUNTU, resource: rs(lbNet('a_alb_service', true), alb('a_alb_service', { internal: false }),
      tgroup('a_alb_service', { health_check: [{ path: '/healthz', matcher: '200-399', timeout: 5, interval: 15 }] }),
      forward('a_alb_service', 'a_alb_service', 'a_alb_service', { port: 443, protocol: 'HTTPS', certificate_arn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-4333-8444-555555555555', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }),
      lt('a_alb_service', 't3.micro'),
      r('aws_autoscaling_group', 'a_alb_service', {
        name: 'a_alb_service', min_size: 2, max_size: 4, vpc_zone_identifier: ['${aws_subnet.a_alb_service_a.id}', '${aws_subnet.a_alb_service_b.id}'],
        launch_template: [{ id: '${aws_launch_template.a_alb_service.id}', version: '$Latest' }],
        target_group_arns: ['${aws_lb_target_group.a_alb_service.arn}'], health_check_type: 'ELB', health_check_grace_period: 120,
      }),
      r('aws_autoscaling_policy', 'a_alb_service', {
        name: 'cpu', autoscaling_group_name: '${aws_autoscaling_group.a_alb_service.name}', policy_type: 'TargetTrackingScaling',
        target_tracking_configuration: [{ target_value: 60, predefined_metric_specification: [{ predefined_metric_type: 'ASGAverageCPUUtilization' }] }],
      })) },
  },
  // --- issue 17, second part (fidelity2): zone/region offerings, region-wide quotas, catalog additions ---
  ...FIDELITY2_CASES(),
];

/**
 * In another region: every resource of the case names it with the provider's per-resource `region`
 * argument (hashicorp/aws 6). Provider aliases would not do: Terraform attaches every alias to the
 * one reattached mock provider, whose configuration the last alias configured wins.
 */
function inRegion(region: string, parts: Record<string, Record<string, object>>): Record<string, Record<string, object>> {
  return Object.fromEntries(Object.entries(parts).map(([type, named]) =>
    [type, Object.fromEntries(Object.entries(named).map(([n, body]) => [n, { ...body, region }]))]));
}
// Function declarations, not constants: AWS_CASES above calls FIDELITY2_CASES while this module loads.
function ubuntuIn(region: string): Record<string, Record<string, object>> {
  return inRegion(region, r('aws_ami', `fid_ubuntu_${region.replace(/-/g, '_')}`, {
    most_recent: true, owners: ['099720109477'], filter: [{ name: 'name', values: ['ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*'] }],
  }));
}
function ltIn(region: string, id: string, type: string, extra: object = {}): Record<string, Record<string, object>> {
  return r('aws_launch_template', id, { name: id, image_id: `\${data.aws_ami.fid_ubuntu_${region.replace(/-/g, '_')}.id}`, instance_type: type, ...extra });
}

function FIDELITY2_CASES(): FidelityCase[] {
  const OFFERINGS = 'Amazon EC2 API Reference, DescribeInstanceTypeOfferings (offerings from the API, src/mock/aws/data/ec2-type-offerings.ts)';
  return [
    {
      id: 'a_type_zone',
      rule: 'An instance type launches only in zones that offer it: p4d.24xlarge is in use1-az1, az2 and az6 (the mock account\'s us-east-1a, b, d), not in us-east-1c.',
      source: `${OFFERINGS}; error text as users quote it (Unsupported: Your requested instance type (...) is not supported in your requested Availability Zone (...))`,
      expect: { refused: 'apply', at: 'aws_autoscaling_group.a_type_zone',
        error: /Unsupported: Your requested instance type \(p4d\.24xlarge\) is not supported in your requested Availability Zone \(us-east-1c\)\. Please retry your request by not specifying an Availability Zone or choosing us-east-1a, us-east-1b, us-east-1d\./ },
      config: { ...UBUNTU, resource: rs(vpc('a_type_zone'), subnet('a_type_zone', 'a_type_zone', '10.0.1.0/24', 'us-east-1c'),
        lt('a_type_zone', 'p4d.24xlarge'), asg('a_type_zone', 'a_type_zone', ['a_type_zone'])) },
    },
    {
      id: 'a_type_zone_other',
      rule: 'An Auto Scaling group whose zones include one that offers the type launches there (Auto Scaling tries its other zones when a launch fails).',
      source: `${OFFERINGS}; Amazon EC2 Auto Scaling User Guide, Availability Zones`,
      expect: { accepted: true },
      config: { ...UBUNTU, resource: rs(vpc('a_type_zone_other'), subnet('a_type_zone_other_c', 'a_type_zone_other', '10.0.1.0/24', 'us-east-1c'),
        subnet('a_type_zone_other_a', 'a_type_zone_other', '10.0.2.0/24', 'us-east-1a'), lt('a_type_zone_other', 'p4d.24xlarge'),
        asg('a_type_zone_other', 'a_type_zone_other', ['a_type_zone_other_c', 'a_type_zone_other_a'])) },
    },
    {
      id: 'a_type_region',
      rule: 'g5 is not offered in af-south-1: the launch fails there.',
      source: 'describe-instance-type-offerings --location-type region over every region (validatedpatterns/rag-llm-gitops pull 52); '
        + 'error text: hashicorp/terraform-provider-aws issue 9113',
      expect: { refused: 'apply', at: 'aws_autoscaling_group.a_type_region',
        error: /Unsupported: The requested configuration is currently not supported\. Please check the documentation for supported configurations\./ },
      config: { data: ubuntuIn('af-south-1'), resource: rs(inRegion('af-south-1', rs(r('aws_vpc', 'a_type_region', { cidr_block: '10.0.0.0/16' }),
        r('aws_subnet', 'a_type_region', { vpc_id: '${aws_vpc.a_type_region.id}', cidr_block: '10.0.1.0/24', availability_zone: 'af-south-1a' }),
        ltIn('af-south-1', 'a_type_region', 'g5.xlarge'),
        r('aws_autoscaling_group', 'a_type_region', { name: 'a_type_region', min_size: 1, max_size: 1, desired_capacity: 1,
          vpc_zone_identifier: ['${aws_subnet.a_type_region.id}'], launch_template: [{ id: '${aws_launch_template.a_type_region.id}', version: '$Latest' }] })))) },
    },
    {
      id: 'a_types_new',
      rule: 'Types the EC2 API enumerates since botocore 1.42 (c8id, m8id, r8id) launch.',
      source: `${EC2_API}, InstanceType (botocore 1.43.11's EC2 service model)`,
      expect: { accepted: true },
      config: { ...UBUNTU, resource: rs(vpc('a_types_new'), subnet('a_types_new', 'a_types_new', '10.0.1.0/24'),
        lt('a_types_new_c8id', 'c8id.large'), lt('a_types_new_r8id', 'r8id.96xlarge'), asg('a_types_new', 'a_types_new_c8id', ['a_types_new'])) },
    },
    {
      id: 'a_asg_quota', workspace: 'quota',
      rule: 'Auto Scaling groups per Region are a quota (500 by default); the group past it is refused with LimitExceeded.',
      source: 'Amazon EC2 Auto Scaling User Guide, Quotas for Amazon EC2 Auto Scaling (L-CDE20ADC); Auto Scaling API model, LimitExceededFault',
      expect: { refused: 'apply', at: 'aws_autoscaling_group.a_asg_quota_3', error: /LimitExceeded: You have reached the limit of 2 Auto Scaling groups in us-east-1\./ },
      config: { ...UBUNTU, resource: rs(vpc('a_asg_quota'), subnet('a_asg_quota', 'a_asg_quota', '10.0.1.0/24'), lt('a_asg_quota', 't3.micro'),
        asg('a_asg_quota_1', 'a_asg_quota', ['a_asg_quota'], { min_size: 0, max_size: 0, desired_capacity: 0 }),
        asg('a_asg_quota_2', 'a_asg_quota', ['a_asg_quota'], { min_size: 0, max_size: 0, desired_capacity: 0, depends_on: ['aws_autoscaling_group.a_asg_quota_1'] }),
        asg('a_asg_quota_3', 'a_asg_quota', ['a_asg_quota'], { min_size: 0, max_size: 0, desired_capacity: 0, depends_on: ['aws_autoscaling_group.a_asg_quota_2'] })) },
    },
    {
      id: 'a_lt_quota', workspace: 'quota',
      rule: 'Launch templates per Region are limited (5,000 by default); the template past it is refused.',
      source: 'Amazon EC2 User Guide, launch template restrictions; error text: aws/karpenter-provider-aws issue 8686',
      expect: { refused: 'apply', at: 'aws_launch_template.a_lt_quota_4', error: /MaxTemplateLimitExceeded: Account has already reached max permitted templates/ },
      config: { data: ubuntuIn('us-west-2'), resource: inRegion('us-west-2', rs(
        ltIn('us-west-2', 'a_lt_quota_1', 't3.micro'),
        ltIn('us-west-2', 'a_lt_quota_2', 't3.micro', { depends_on: ['aws_launch_template.a_lt_quota_1'] }),
        ltIn('us-west-2', 'a_lt_quota_3', 't3.micro', { depends_on: ['aws_launch_template.a_lt_quota_2'] }),
        ltIn('us-west-2', 'a_lt_quota_4', 't3.micro', { depends_on: ['aws_launch_template.a_lt_quota_3'] }))) },
    },
    {
      id: 'a_vcpu_quota', workspace: 'quota',
      rule: 'Running On-Demand Standard instances are limited in vCPUs per Region; the launch past the limit fails with VcpuLimitExceeded.',
      source: 'Amazon EC2 User Guide, On-Demand Instance quotas (L-1216C47A); error text: scrapoxy/scrapoxy issue 202',
      expect: { refused: 'apply', at: 'aws_autoscaling_group.a_vcpu_quota',
        error: /VcpuLimitExceeded: You have requested more vCPU capacity than your current vCPU limit of 4 allows for the instance bucket that the specified instance type belongs to\./ },
      config: { data: ubuntuIn('eu-west-1'), resource: inRegion('eu-west-1', rs(r('aws_vpc', 'a_vcpu_quota', { cidr_block: '10.0.0.0/16' }),
        r('aws_subnet', 'a_vcpu_quota', { vpc_id: '${aws_vpc.a_vcpu_quota.id}', cidr_block: '10.0.1.0/24', availability_zone: 'eu-west-1a' }),
        ltIn('eu-west-1', 'a_vcpu_quota', 't3.medium'),
        r('aws_autoscaling_group', 'a_vcpu_quota', { name: 'a_vcpu_quota', min_size: 3, max_size: 3, desired_capacity: 3,
          vpc_zone_identifier: ['${aws_subnet.a_vcpu_quota.id}'], launch_template: [{ id: '${aws_launch_template.a_vcpu_quota.id}', version: '$Latest' }] }))) },
    },
  ];
}
