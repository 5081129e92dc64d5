import { AwsHarness, expectProblem, wholly } from './harness';
import { ObjectValue } from '../../../../src/mock/values/value';
import { arnSuffix, canonicalHostedZoneId, ElbKind, nameProblems, targetHealth, TargetRecord } from '../../../../src/mock/aws/elb-model';
import { REGIONS } from '../../../../src/mock/aws/regions';
import { effectiveHealthCheck } from '../../../../src/mock/aws/target-group';
import { certificateUsable, compatibleTargetProtocols } from '../../../../src/mock/aws/listener';
import { policyProblems } from '../../../../src/mock/aws/autoscaling-policy';

/**
 * Elastic Load Balancing in the simulated AWS cloud: load balancers, target groups, listeners,
 * target registration by Auto Scaling groups with health from the security groups, target
 * tracking policies; each rule with ELB's error.
 */

const JAMMY = 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*';
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000001';

describe('AWS mock cloud: load balancers, target groups, listeners', () => {
  let aws: AwsHarness;
  let vpc: ObjectValue;
  let subnets: ObjectValue[];
  let lbSg: ObjectValue;
  let webSg: ObjectValue;
  beforeEach(async () => {
    aws = new AwsHarness();
    await aws.configure({ region: 'us-east-1' });
    vpc = await aws.create('aws_vpc', { cidr_block: '10.0.0.0/16' });
    await aws.create('aws_internet_gateway', { vpc_id: vpc.id });
    subnets = [];
    for (const [i, zone] of ['us-east-1a', 'us-east-1b', 'us-east-1a'].entries()) {
      subnets.push(await aws.create('aws_subnet', { vpc_id: vpc.id, cidr_block: `10.0.${i}.0/24`, availability_zone: zone }));
    }
    lbSg = await aws.create('aws_security_group', { name: 'dev-lb', vpc_id: vpc.id });
    webSg = await aws.create('aws_security_group', { name: 'dev-web', vpc_id: vpc.id });
  });
  afterEach(() => aws.cleanup());

  const albConfig = (over: ObjectValue = {}): ObjectValue => ({
    name: 'dev-web-lb', load_balancer_type: 'application', internal: false, security_groups: [lbSg.id],
    subnets: [subnets[0].id, subnets[1].id], drop_invalid_header_fields: true, tags: { Name: 'dev-web-lb' }, ...over,
  });
  const alb = (over: ObjectValue = {}): Promise<ObjectValue> => aws.create('aws_lb', albConfig(over));
  const tgConfig = (over: ObjectValue = {}): ObjectValue => ({
    name: 'dev-web-80', port: 80, protocol: 'HTTP', vpc_id: vpc.id, target_type: 'instance', deregistration_delay: '30',
    health_check: [{ enabled: true, path: '/', port: '80', protocol: 'HTTP', interval: 30, timeout: 5, healthy_threshold: 3, unhealthy_threshold: 3, matcher: '200-399' }],
    ...over,
  });
  const tg = (over: ObjectValue = {}): Promise<ObjectValue> => aws.create('aws_lb_target_group', tgConfig(over));
  const listener = (lb: ObjectValue, group: ObjectValue, over: ObjectValue = {}): Promise<ObjectValue> => aws.create('aws_lb_listener', {
    load_balancer_arn: lb.arn, port: 80, protocol: 'HTTP', default_action: [{ type: 'forward', target_group_arn: group.arn }], ...over,
  });

  test('an ALB: ARN, DNS name, hosted zone, the default group when it has none; refreshes and plans clean', async () => {
    const lb = await alb();
    expect(wholly(lb)).toBe(true);
    expect(lb.arn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\/dev-web-lb\/[0-9a-f]{16}$/);
    expect(lb.id).toBe(lb.arn);
    expect(lb.arn_suffix).toBe(String(lb.arn).split(':loadbalancer/')[1]);
    expect(lb.dns_name).toMatch(/^dev-web-lb-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    expect(lb).toMatchObject({ zone_id: 'Z35SXDOTRQ7X7K', vpc_id: vpc.id, internal: false, ip_address_type: 'ipv4', security_groups: [lbSg.id] });
    expect(await aws.read('aws_lb', lb)).toEqual(lb);
    const again = await aws.plan('aws_lb', lb, albConfig());
    expect(again.replace).toEqual([]);
    expect(again.planned).toEqual(lb);
    const internal = await alb({ name: 'dev-in', internal: true, security_groups: null });
    expect(internal.dns_name).toMatch(/^internal-dev-in-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    expect(internal.security_groups).toEqual([vpc.default_security_group_id]);
    const nlb = await aws.create('aws_lb', { name: 'dev-nlb', load_balancer_type: 'network', internal: true, subnets: [subnets[0].id] });
    expect(nlb.arn).toMatch(/:loadbalancer\/net\/dev-nlb\/[0-9a-f]{16}$/);
    expect(nlb.dns_name).toMatch(/^dev-nlb-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/);
    expect(nlb).toMatchObject({ zone_id: 'Z26RNL4JYFTOTI', security_groups: [] });
  });

  test('ALB rules: two zones, one subnet per zone, one VPC, an internet gateway, names', async () => {
    await expectProblem(alb({ subnets: [subnets[0].id] }), /^ValidationError: At least two subnets in two different Availability Zones must be specified$/);
    await expectProblem(alb({ subnets: [subnets[0].id, subnets[1].id, subnets[2].id] }),
      /^InvalidConfigurationRequest: A load balancer cannot be attached to multiple subnets in the same Availability Zone$/);
    const other = await aws.create('aws_vpc', { cidr_block: '10.1.0.0/16' });
    const foreign = await aws.create('aws_subnet', { vpc_id: other.id, cidr_block: '10.1.0.0/24', availability_zone: 'us-east-1c' });
    await expectProblem(alb({ subnets: [subnets[0].id, foreign.id] }), /^InvalidConfigurationRequest: All subnets must belong to the same VPC$/);
    const foreignSg = await aws.create('aws_security_group', { name: 'x', vpc_id: other.id });
    await expectProblem(alb({ security_groups: [foreignSg.id] }), /^InvalidConfigurationRequest: Security group 'sg-[0-9a-f]+' does not belong to VPC 'vpc-/);
    const bare = await aws.create('aws_vpc', { cidr_block: '10.2.0.0/16' });
    const b1 = await aws.create('aws_subnet', { vpc_id: bare.id, cidr_block: '10.2.0.0/24', availability_zone: 'us-east-1a' });
    const b2 = await aws.create('aws_subnet', { vpc_id: bare.id, cidr_block: '10.2.1.0/24', availability_zone: 'us-east-1b' });
    await expectProblem(alb({ subnets: [b1.id, b2.id], security_groups: null }), /^InvalidSubnet: VPC vpc-[0-9a-f]+ has no internet gateway$/);
    await expect(alb({ name: 'bare-internal', subnets: [b1.id, b2.id], security_groups: null, internal: true })).resolves.toBeDefined();
    for (const [name, problem] of [
      ['a'.repeat(33), /cannot be longer than 32 characters/], ['dev_web', /only alphanumeric characters and hyphens allowed/],
      ['-dev', /cannot begin with a hyphen/], ['dev-', /cannot end with a hyphen/], ['internal-web', /cannot begin with "internal-"/],
    ] as const) {
      const p = await expectProblem(alb({ name }), /^Invalid value for "name"$/);
      expect(p.detail).toMatch(problem);
    }
    await alb();
    await expectProblem(alb(), /^ELBv2 Load Balancer \(dev-web-lb\) already exists$/);
  });

  test('target groups: ids, health check defaults and ranges', async () => {
    const group = await tg();
    expect(group.arn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/dev-web-80\/[0-9a-f]{16}$/);
    expect(group).toMatchObject({ arn_suffix: String(group.arn).split(':')[5], load_balancer_arns: [], protocol_version: 'HTTP1' });
    expect(await aws.read('aws_lb_target_group', group)).toEqual(group);
    const bare = await aws.create('aws_lb_target_group', { name: 'bare', port: 8080, protocol: 'TCP', vpc_id: vpc.id });
    expect(bare.health_check).toEqual([]);
    const computed = await aws.create('aws_lb_target_group', { name: 'hc', port: 80, protocol: 'HTTP', vpc_id: vpc.id, health_check: [{ path: '/up' }] });
    expect(computed.health_check).toEqual([expect.objectContaining({ path: '/up', timeout: 5, matcher: '200', interval: 30, port: 'traffic-port' })]);
    await expectProblem(tg({ name: 'slow', health_check: [{ interval: 5, timeout: 5 }] }), /^ValidationError: Health check interval must be greater than the timeout\.$/);
    await expectProblem(tg({ name: 'off', health_check: [{ enabled: false }] }), /^ValidationError: Health checks cannot be disabled for target groups with target type 'instance'/);
    await expectProblem(tg({ name: 'fast', health_check: [{ interval: 4 }] }), /^Invalid value for "interval"$/);
    await expectProblem(tg({ name: 'thr', health_check: [{ healthy_threshold: 11 }] }), /^Invalid value for "healthy_threshold"$/);
    await expectProblem(tg({ name: 'to', health_check: [{ timeout: 1 }] }), /^Invalid value for "timeout"$/);
    await expectProblem(tg({ name: 'noport', port: null }), /^ValidationError: A port must be specified$/);
    await expectProblem(tg({ name: 'novpc', vpc_id: null }), /^ValidationError: A VPC ID must be specified$/);
    await expectProblem(tg(), /^ELBv2 Target Group \(dev-web-80\) already exists$/);
    // In place: the health check changes, the group stays.
    const hc = (tgConfig().health_check as ObjectValue[])[0];
    const { state, replaced } = await aws.update('aws_lb_target_group', group, tgConfig({ health_check: [{ ...hc, path: '/healthz' }] }));
    expect(replaced).toBe(false);
    expect(state.arn).toBe(group.arn);
  });

  test('listeners: protocols per type, HTTPS certificate and policy, DuplicateListener, VPC and protocol of the target group', async () => {
    const lb = await alb();
    const group = await tg();
    const http = await listener(lb, group);
    expect(http.arn).toBe(`${String(lb.arn).replace(':loadbalancer/', ':listener/')}/${String(http.arn).split('/').pop()}`);
    expect(String(http.arn).split('/').pop()).toMatch(/^[0-9a-f]{16}$/);
    expect(await aws.read('aws_lb_listener', http)).toEqual(http);
    expect((await aws.read('aws_lb_target_group', group))?.load_balancer_arns).toEqual([lb.arn]);
    await expectProblem(listener(lb, group), /^DuplicateListener: A listener already exists on this port for this load balancer 'arn:aws:elasticloadbalancing:/);
    await expectProblem(listener(lb, group, { port: 443, protocol: 'HTTPS' }), /^ValidationError: A certificate must be specified for HTTPS listeners$/);
    await expectProblem(listener(lb, group, { port: 443, protocol: 'HTTPS', certificate_arn: CERT.replace('us-east-1', 'eu-west-1') }), /^CertificateNotFound/);
    const https = await listener(lb, group, { port: 443, protocol: 'HTTPS', certificate_arn: CERT });
    expect(https.ssl_policy).toBe('ELBSecurityPolicy-2016-08');
    await expectProblem(listener(lb, group, { port: 22, protocol: 'TCP' }), /^ValidationError: Listener protocol 'TCP' must be one of 'HTTPS, HTTP'$/);
    const tcp = await tg({ name: 'tcp', protocol: 'TCP', health_check: [] });
    await expectProblem(listener(lb, tcp, { port: 8080 }), /^IncompatibleProtocols: Listener protocol 'HTTP' is not compatible with target group protocol 'TCP'$/);
    const other = await aws.create('aws_vpc', { cidr_block: '10.1.0.0/16' });
    const foreign = await tg({ name: 'foreign', vpc_id: other.id });
    await expectProblem(listener(lb, foreign, { port: 8081 }), /^ValidationError: The target group '.*' is not in the same VPC as the load balancer/);
    const nlb = await aws.create('aws_lb', { name: 'dev-nlb', load_balancer_type: 'network', subnets: [subnets[0].id] });
    await expectProblem(listener(nlb, group), /^ValidationError: Listener protocol 'HTTP' must be one of 'TCP_UDP, UDP, TLS, TCP'$/);
    await expect(listener(nlb, tcp, { protocol: 'TCP' })).resolves.toBeDefined();
    // In use: neither the target group nor (with deletion protection) the balancer can go.
    await expectProblem(aws.destroy('aws_lb_target_group', group), /^ResourceInUse: Target group 'arn:.*' is currently in use by a listener or a rule$/);
    await expectProblem(aws.destroy('aws_security_group', lbSg), /^DependencyViolation/);
    await expectProblem(aws.destroy('aws_subnet', subnets[0]), /^DependencyViolation/);
    const { state: guarded } = await aws.update('aws_lb', lb, albConfig({ enable_deletion_protection: true }));
    await expectProblem(aws.destroy('aws_lb', guarded), /^OperationNotPermitted: Load balancer '.*' cannot be deleted because deletion protection is enabled$/);
    const { state: open } = await aws.update('aws_lb', guarded, albConfig({ enable_deletion_protection: false }));
    await aws.destroy('aws_lb', open);
    // Deleting the balancer deleted its listeners.
    expect(await aws.read('aws_lb_listener', http)).toBeNull();
    await aws.destroy('aws_lb_target_group', group);
  });

  test('quotas: listeners per balancer, load balancers per region, targets per group (BUTTER_MOCK_QUOTAS)', async () => {
    const saved = process.env.BUTTER_MOCK_QUOTAS;
    process.env.BUTTER_MOCK_QUOTAS = JSON.stringify({ aws: { listeners_per_load_balancer: 1, load_balancers_per_region: 1, targets_per_target_group: 1 } });
    try {
      const lb = await alb();
      const group = await tg();
      await listener(lb, group);
      await expectProblem(listener(lb, group, { port: 81 }), /^TooManyListeners: You've reached the limit on the number of listeners per load balancer\.$/);
      await expectProblem(alb({ name: 'second' }), /^TooManyLoadBalancers: You've reached the limit on the number of load balancers for your AWS account\.$/);
    } finally {
      if (saved === undefined) delete process.env.BUTTER_MOCK_QUOTAS;
      else process.env.BUTTER_MOCK_QUOTAS = saved;
    }
  });

  let templates = 0;
  /** A template and group of `size` instances in the web security group. */
  async function group(size: number, over: ObjectValue = {}): Promise<ObjectValue> {
    const image = await aws.data('aws_ami', { most_recent: true, owners: ['099720109477'], filter: [{ name: 'name', values: [JAMMY] }] });
    const template = await aws.create('aws_launch_template', { name: `web-${templates++}`, image_id: image.id, instance_type: 't3.micro', vpc_security_group_ids: [webSg.id] });
    return aws.create('aws_autoscaling_group', {
      name: 'dev-web', min_size: size, max_size: size + 2, vpc_zone_identifier: [subnets[0].id, subnets[1].id],
      launch_template: [{ id: template.id, version: '$Latest' }], health_check_type: 'ELB', health_check_grace_period: 120, ...over,
    });
  }
  const targets = (): TargetRecord[] => aws.objects<TargetRecord>(ElbKind.target);
  const health = (): string[] => aws.store.read((cloud) => targets().map((t) => {
    const h = targetHealth(cloud, t);
    return h.reason ? `${h.state} ${h.reason}` : h.state;
  }));

  test('a group registers its instances; health follows the security groups; scale-in and removal deregister', async () => {
    const lb = await alb();
    const web = await tg();
    const asg = await group(2, { target_group_arns: [web.arn] });
    expect(asg).toMatchObject({ desired_capacity: 2, health_check_type: 'ELB', health_check_grace_period: 120, target_group_arns: [web.arn] });
    expect(targets().map((t) => t.port)).toEqual([80, 80]);
    expect(health()).toEqual(['unused Target.NotInUse', 'unused Target.NotInUse']);
    await listener(lb, web);
    expect(health()).toEqual(['unhealthy Target.Timeout', 'unhealthy Target.Timeout']);
    // The instances' group admits the balancer's group on 80 ...
    const ingress = await aws.create('aws_vpc_security_group_ingress_rule', {
      security_group_id: webSg.id, ip_protocol: 'tcp', from_port: 80, to_port: 80, referenced_security_group_id: lbSg.id,
    });
    expect(health()).toEqual(['unhealthy Target.Timeout', 'unhealthy Target.Timeout']);
    // ... and the balancer's group lets it out to them.
    await aws.create('aws_vpc_security_group_egress_rule', {
      security_group_id: lbSg.id, ip_protocol: 'tcp', from_port: 80, to_port: 80, referenced_security_group_id: webSg.id,
    });
    expect(health()).toEqual(['healthy', 'healthy']);
    await aws.destroy('aws_vpc_security_group_ingress_rule', ingress);
    expect(health()).toEqual(['unhealthy Target.Timeout', 'unhealthy Target.Timeout']);
    // min/max change in place; desired follows min; scale-in deregisters.
    const up = await aws.update('aws_autoscaling_group', asg, { ...asgConfig(asg), min_size: 3, max_size: 6 });
    expect(up.replaced).toBe(false);
    expect(up.state.desired_capacity).toBe(3);
    expect(targets()).toHaveLength(3);
    const down = await aws.update('aws_autoscaling_group', up.state, { ...asgConfig(up.state), min_size: 1, max_size: 1 });
    expect(down.state.desired_capacity).toBe(1);
    expect(targets()).toHaveLength(1);
    const detached = await aws.update('aws_autoscaling_group', down.state, { ...asgConfig(down.state), target_group_arns: [] });
    expect(detached.state.target_group_arns).toEqual([]);
    expect(targets()).toEqual([]);
  });

  test('an NLB without security groups: health from its subnets\' blocks; attachments; quotas on targets and target groups', async () => {
    const nlb = await aws.create('aws_lb', { name: 'dev-nlb', load_balancer_type: 'network', internal: true, subnets: [subnets[0].id, subnets[1].id] });
    const tcp = await tg({ name: 'tcp-80', protocol: 'TCP', health_check: [] });
    await listener(nlb, tcp, { protocol: 'TCP' });
    await group(1);
    const [instance] = aws.objects<{ id: string }>('instance');
    const attachment = await aws.create('aws_lb_target_group_attachment', { target_group_arn: tcp.arn, target_id: instance.id });
    expect(targets().map((t) => t.port)).toEqual([80]);
    expect(await aws.read('aws_lb_target_group_attachment', attachment)).toEqual(attachment);
    expect(attachment).toMatchObject({ port: null, id: expect.stringMatching(/^arn:aws:elasticloadbalancing:.*targetgroup\/tcp-80\/[0-9a-f]{16}-\d+/) });
    expect(health()).toEqual(['unhealthy Target.Timeout']);
    // A rule from 10.0.0.0/23 covers both balancer subnets (10.0.0.0/24, 10.0.1.0/24); one from 10.0.0.0/24 alone would not.
    const narrow = await aws.create('aws_vpc_security_group_ingress_rule', { security_group_id: webSg.id, ip_protocol: 'tcp', from_port: 80, to_port: 80, cidr_ipv4: '10.0.0.0/24' });
    expect(health()).toEqual(['unhealthy Target.Timeout']);
    await aws.create('aws_vpc_security_group_ingress_rule', { security_group_id: webSg.id, ip_protocol: 'tcp', from_port: 80, to_port: 80, cidr_ipv4: '10.0.0.0/23' });
    expect(health()).toEqual(['healthy']);
    await aws.destroy('aws_vpc_security_group_ingress_rule', narrow);
    const other = await aws.create('aws_vpc', { cidr_block: '10.1.0.0/16' });
    const foreign = await tg({ name: 'foreign', vpc_id: other.id });
    await expectProblem(aws.create('aws_lb_target_group_attachment', { target_group_arn: foreign.arn, target_id: instance.id }),
      /^InvalidTarget: The specified target does not exist, is not in the same VPC as the target group, or has an unsupported instance type\.$/);
    const saved = process.env.BUTTER_MOCK_QUOTAS;
    process.env.BUTTER_MOCK_QUOTAS = JSON.stringify({ aws: { targets_per_target_group: 1, target_groups_per_load_balancer: 1 } });
    try {
      await expectProblem(aws.create('aws_lb_target_group_attachment', { target_group_arn: tcp.arn, target_id: instance.id, port: 81 }),
        /^TooManyTargets: You've reached the limit on the number of targets\.$/);
      const second = await tg({ name: 'tcp-81', protocol: 'TCP', port: 81, health_check: [] });
      await expectProblem(listener(nlb, second, { protocol: 'TCP', port: 81 }), /^TooManyUniqueTargetGroupsPerLoadBalancer: /);
    } finally {
      if (saved === undefined) delete process.env.BUTTER_MOCK_QUOTAS;
      else process.env.BUTTER_MOCK_QUOTAS = saved;
    }
    await aws.destroy('aws_lb_target_group_attachment', attachment);
    expect(targets()).toEqual([]);
  });

  test('a new target port, as Butter renders it (create before destroy): new group, listener and group switch in place, old group deleted', async () => {
    const lb = await alb();
    const old = await tg();
    const web = await group(2, { target_group_arns: [old.arn] });
    const http = await listener(lb, old);
    const next = await tg({ name: 'dev-web-8080', port: 8080 });
    const switched = await aws.update('aws_lb_listener', http, {
      load_balancer_arn: lb.arn, port: 80, protocol: 'HTTP', default_action: [{ type: 'forward', target_group_arn: next.arn }],
    });
    expect(switched).toMatchObject({ replaced: false, state: { arn: http.arn } });
    const moved = await aws.update('aws_autoscaling_group', web, { ...asgConfig(web), target_group_arns: [next.arn] });
    expect(moved.replaced).toBe(false);
    expect(targets().map((t) => `${t.target_group_arn === next.arn ? 'new' : 'old'}:${t.port}`)).toEqual(['new:8080', 'new:8080']);
    await aws.destroy('aws_lb_target_group', old);
    expect((await aws.read('aws_lb_target_group', next))?.load_balancer_arns).toEqual([lb.arn]);
  });

  test('target groups of another VPC or type are refused; policies need their group and the right arguments', async () => {
    const other = await aws.create('aws_vpc', { cidr_block: '10.1.0.0/16' });
    const foreign = await tg({ name: 'foreign', vpc_id: other.id });
    await expectProblem(group(1, { target_group_arns: [foreign.arn] }), /^ValidationError: Provided Target Group '.*' is not in the same VPC as the Auto Scaling group$/);
    await expectProblem(group(1, { target_group_arns: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/0123456789abcdef'] }),
      /^ValidationError: Provided Target Groups may not be valid\. Please ensure they exist and try again\.$/);
    await expectProblem(group(1, { health_check_type: 'HTTP' }), /^ValidationError: Health check type 'HTTP' is not valid/);
    const policy = (over: ObjectValue = {}) => aws.create('aws_autoscaling_policy', {
      name: 'dev-web-cpu', autoscaling_group_name: 'dev-web', policy_type: 'TargetTrackingScaling',
      target_tracking_configuration: [{ target_value: 60, predefined_metric_specification: [{ predefined_metric_type: 'ASGAverageCPUUtilization' }] }], ...over,
    });
    await expectProblem(policy(), /^ValidationError: AutoScalingGroup name not found - null$/);
    const asg = await group(1);
    expect(asg.desired_capacity).toBe(1);
    const made = await policy();
    expect(made.arn).toMatch(/^arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:[0-9a-f-]{36}:autoScalingGroupName\/dev-web:policyName\/dev-web-cpu$/);
    expect(made.id).toBe('dev-web-cpu');
    expect(await aws.read('aws_autoscaling_policy', made)).toEqual(made);
    await expectProblem(policy({ name: 'p2', scaling_adjustment: 1 }), /^ValidationError: scaling_adjustment is only supported for policy type SimpleScaling$/);
    await expectProblem(policy({ name: 'p3', target_tracking_configuration: [] }), /^ValidationError: TargetTrackingConfiguration is required for policy type TargetTrackingScaling$/);
    await expectProblem(policy({ name: 'p4', target_tracking_configuration: [{ target_value: 60, predefined_metric_specification: [{ predefined_metric_type: 'ASGAverageCPU' }] }] }),
      /^Invalid value for "predefined_metric_type"$/);
    await aws.destroy('aws_autoscaling_group', asg);
    expect(await aws.read('aws_autoscaling_policy', made)).toBeNull();
  });
});

/** The configuration of a group as Terraform would hold it (computed parts left to the plan). */
function asgConfig(state: ObjectValue): ObjectValue {
  const { arn, id, predicted_capacity, warm_pool_size, desired_capacity, availability_zones, ...rest } = state;
  void arn; void id; void predicted_capacity; void warm_pool_size; void desired_capacity; void availability_zones;
  return rest;
}

describe('pure rules', () => {
  test('health check defaults per protocol, and ELB\'s refusals', () => {
    expect(effectiveHealthCheck('HTTP', 'instance', null)).toMatchObject({ protocol: 'HTTP', path: '/', timeout: 5, interval: 30, matcher: '200', healthy_threshold: 5, unhealthy_threshold: 2 });
    expect(effectiveHealthCheck('TCP', 'instance', null)).toMatchObject({ protocol: 'TCP', path: null, timeout: 10, matcher: null });
    expect(effectiveHealthCheck('TCP', 'instance', { protocol: 'HTTP' })).toMatchObject({ protocol: 'HTTP', timeout: 6, path: '/', matcher: '200-399' });
    expect(() => effectiveHealthCheck('HTTP', 'instance', { interval: 10, timeout: 10 })).toThrow(/interval must be greater than the timeout/);
    expect(() => effectiveHealthCheck('HTTP', 'instance', { enabled: false })).toThrow(/cannot be disabled/);
  });

  test('hosted zone ids for every region the mock knows; names; ARN suffixes', () => {
    expect(['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1'].map((r) => canonicalHostedZoneId('application', r)))
      .toEqual(['Z35SXDOTRQ7X7K', 'Z3AADJGX6KTTL2', 'Z1H1FL5HABSF5', 'Z32O12XQLNTSW2']);
    expect(['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1'].map((r) => canonicalHostedZoneId('network', r)))
      .toEqual(['Z26RNL4JYFTOTI', 'ZLMOA37VPKANP', 'Z18D5FSROUN65G', 'Z2IFOLAFXWLO4F']);
    for (const region of REGIONS) {
      expect(canonicalHostedZoneId('application', region.name)).toMatch(/^Z[0-9A-Z]{8,}$/);
      expect(canonicalHostedZoneId('network', region.name)).toMatch(/^Z[0-9A-Z]{8,}$/);
    }
    expect(nameProblems('name', 'dev-web-lb', true)).toEqual([]);
    expect(nameProblems('name', 'internal-web', false)).toEqual([]);
    expect(nameProblems('name', '-a_b-', true)).toHaveLength(3);
    expect(arnSuffix('arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/0123456789abcdef')).toBe('app/web/0123456789abcdef');
    expect(arnSuffix('arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef')).toBe('targetgroup/web/0123456789abcdef');
  });

  test('listener protocols, certificates, policy arguments', () => {
    expect(compatibleTargetProtocols('HTTPS')).toEqual(['HTTP', 'HTTPS']);
    expect(compatibleTargetProtocols('UDP')).toEqual(['UDP', 'TCP_UDP']);
    expect(certificateUsable(CERT, 'us-east-1')).toBe(true);
    expect(certificateUsable(CERT, 'us-west-2')).toBe(false);
    expect(certificateUsable('arn:aws:iam::123456789012:server-certificate/web', 'us-west-2')).toBe(true);
    expect(certificateUsable('my-cert', 'us-east-1')).toBe(false);
    expect(policyProblems({ policy_type: 'TargetTrackingScaling', target_tracking_configuration: [{ target_value: 50, predefined_metric_specification: [{ predefined_metric_type: 'ALBRequestCountPerTarget', resource_label: null }] }] })
      .map((p) => p.message)).toEqual([expect.stringContaining('ResourceLabel is required for ALBRequestCountPerTarget')]);
    expect(policyProblems({ policy_type: 'SimpleScaling', scaling_adjustment: null })).toHaveLength(1);
    expect(policyProblems({ policy_type: 'StepScaling', step_adjustment: [{ scaling_adjustment: 1 }], cooldown: 60 }).map((p) => p.message))
      .toEqual(['cooldown is only supported for policy type SimpleScaling']);
  });
});
