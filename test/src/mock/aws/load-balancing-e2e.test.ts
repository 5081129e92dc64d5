import * as fs from 'node:fs';
import * as path from 'node:path';
import { CloudStore } from '../../../../src/mock/cloud/store';
import { targetHealthReport } from '../../../../src/mock/aws/elb-model';
import { inProcessCloud, tf } from '../helpers/terraform';
import { inventoryOf } from '../../../../src/cli/show';
import { formatInventory } from '../../../../src/inventory/format';
import { readStateFile } from '../../../../src/state/resources';
import { StackState } from '../../../../src/deploy/state-sources';

/**
 * The real Terraform CLI against the simulated AWS cloud with what Butter's AWS rendering emits
 * for a service behind an Application Load Balancer (design of issue 19): balancer subnets, the
 * balancer's security group and rules, target group, listener, an Auto Scaling group with
 * target_group_arns, ELB health checks and min/max without desired capacity, a target tracking
 * policy, and data aws_lb. One configuration through apply, a clean plan, an in-place scaling
 * change, and destroy.
 */

const TAGS = { 'butter:network': 'e2e' };

function config(scaling: { min: number; max: number }, ingressPort = 80): object {
  const subnet = (cidr: string, zone: number, isPublic: boolean): object => ({
    vpc_id: '${aws_vpc.vpc.id}', cidr_block: cidr, availability_zone: `\${data.aws_availability_zones.zones.names[${zone}]}`,
    map_public_ip_on_launch: isPublic, tags: TAGS,
  });
  return {
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '6.25.0' } } },
    provider: { aws: [{ region: 'us-east-1' }] },
    data: {
      aws_availability_zones: { zones: { state: 'available' } },
      aws_ami: { image: { most_recent: true, owners: ['099720109477'], filter: [{ name: 'name', values: ['ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*'] }] } },
      aws_lb: { front: { name: '${aws_lb.web.name}' } },
      aws_instances: {
        web: { instance_tags: { 'aws:autoscaling:groupName': '${aws_autoscaling_group.web.name}' }, depends_on: ['aws_autoscaling_group.web'] },
      },
    },
    resource: {
      aws_vpc: { vpc: { cidr_block: '10.0.0.0/16', tags: TAGS } },
      aws_internet_gateway: { igw: { vpc_id: '${aws_vpc.vpc.id}' } },
      aws_subnet: {
        lb_0: subnet('10.0.0.0/27', 0, true), lb_1: subnet('10.0.0.32/27', 1, true),
        web_0: subnet('10.0.1.0/24', 0, false), web_1: subnet('10.0.2.0/24', 1, false),
      },
      aws_security_group: {
        lb: { name: 'e2e-web-lb', description: 'load balancer of web', vpc_id: '${aws_vpc.vpc.id}', tags: TAGS },
        web: { name: 'e2e-web', description: 'web', vpc_id: '${aws_vpc.vpc.id}', tags: TAGS },
      },
      aws_vpc_security_group_ingress_rule: {
        lb_http: { security_group_id: '${aws_security_group.lb.id}', ip_protocol: 'tcp', from_port: 80, to_port: 80, cidr_ipv4: '0.0.0.0/0' },
        web_from_lb: {
          security_group_id: '${aws_security_group.web.id}', ip_protocol: 'tcp', from_port: ingressPort, to_port: ingressPort,
          referenced_security_group_id: '${aws_security_group.lb.id}',
        },
      },
      aws_vpc_security_group_egress_rule: {
        lb_to_web: {
          security_group_id: '${aws_security_group.lb.id}', ip_protocol: 'tcp', from_port: 80, to_port: 80,
          referenced_security_group_id: '${aws_security_group.web.id}',
        },
      },
      aws_lb: {
        web: {
          name: 'e2e-web-lb', internal: false, load_balancer_type: 'application', security_groups: ['${aws_security_group.lb.id}'],
          subnets: ['${aws_subnet.lb_0.id}', '${aws_subnet.lb_1.id}'], drop_invalid_header_fields: true, tags: TAGS,
        },
      },
      aws_lb_target_group: {
        web: {
          name: 'e2e-web-80', port: 80, protocol: 'HTTP', target_type: 'instance', vpc_id: '${aws_vpc.vpc.id}', deregistration_delay: '30',
          health_check: {
            enabled: true, path: '/', port: '80', protocol: 'HTTP', interval: 30, timeout: 5, healthy_threshold: 3, unhealthy_threshold: 3, matcher: '200-399',
          },
          tags: TAGS,
        },
      },
      aws_lb_listener: {
        http: {
          load_balancer_arn: '${aws_lb.web.arn}', port: 80, protocol: 'HTTP',
          default_action: [{ type: 'forward', target_group_arn: '${aws_lb_target_group.web.arn}' }], tags: TAGS,
        },
      },
      aws_launch_template: {
        web: { name: 'e2e-web', image_id: '${data.aws_ami.image.id}', instance_type: 't3.micro', vpc_security_group_ids: ['${aws_security_group.web.id}'] },
      },
      aws_autoscaling_group: {
        web: {
          name: 'e2e-web', min_size: scaling.min, max_size: scaling.max, vpc_zone_identifier: ['${aws_subnet.web_0.id}', '${aws_subnet.web_1.id}'],
          launch_template: { id: '${aws_launch_template.web.id}', version: '${aws_launch_template.web.latest_version}' },
          target_group_arns: ['${aws_lb_target_group.web.arn}'], health_check_type: 'ELB', health_check_grace_period: 300,
          tag: [{ key: 'butter:service', value: 'web', propagate_at_launch: true }, { key: 'butter:network', value: 'e2e', propagate_at_launch: true }],
        },
      },
      aws_autoscaling_policy: {
        cpu: {
          name: 'e2e-web-cpu', autoscaling_group_name: '${aws_autoscaling_group.web.name}', policy_type: 'TargetTrackingScaling',
          target_tracking_configuration: { predefined_metric_specification: { predefined_metric_type: 'ASGAverageCPUUtilization' }, target_value: 60 },
        },
      },
    },
    output: {
      dns: { value: '${aws_lb.web.dns_name}' },
      zone: { value: '${aws_lb.web.zone_id}' },
      arn: { value: '${aws_lb.web.arn}' },
      listener: { value: '${aws_lb_listener.http.arn}' },
      data_dns: { value: '${data.aws_lb.front.dns_name}' },
      desired: { value: '${aws_autoscaling_group.web.desired_capacity}' },
    },
  };
}

describe('AWS mock cloud: a service behind an Application Load Balancer, with the real Terraform CLI', () => {
  const ws = inProcessCloud('aws-lb-e2e', ['aws']);
  const { stateDir, work } = ws;

  const write = (c: object): void => fs.writeFileSync(path.join(work, 'main.tf.json'), JSON.stringify(c, null, 2));
  const apply = (): Promise<unknown> => tf(work, ws.env, 0, 'apply', '-input=false', '-auto-approve');
  const clean = (): Promise<unknown> => tf(work, ws.env, 0, 'plan', '-input=false', '-detailed-exitcode');
  const outputs = async (): Promise<Record<string, { value: unknown }>> => JSON.parse((await tf(work, ws.env, 0, 'output', '-json')).stdout);
  /** The inventory `butter show` prints for this state and mock cloud. */
  const inventory = (): string => formatInventory(inventoryOf([{
    stack: 'e2e', kind: 'cdktf-local', location: 'terraform.tfstate', cloud: 'mock', resources: readStateFile(path.join(work, 'terraform.tfstate')), mockCloudDir: stateDir,
  } satisfies StackState]));
  const health = (): string[] => CloudStore.forProvider('aws', stateDir).read((c) => targetHealthReport(c).map((t) => `${t.targetGroup} ${t.health.state}`));

  test('deploy, plan clean, scale min/max in place, fix a security group, destroy; the inventory shows target health', async () => {
    // The instances' group admits the balancer on 8080 only: the health check on 80 times out.
    write(config({ min: 2, max: 4 }, 8080));
    await tf(work, ws.env, 0, 'init', '-input=false');
    await apply();
    const out = await outputs();
    expect(out.dns.value).toMatch(/^e2e-web-lb-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    expect(out.data_dns.value).toBe(out.dns.value);
    expect(out.zone.value).toBe('Z35SXDOTRQ7X7K');
    expect(out.arn.value).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\/e2e-web-lb\/[0-9a-f]{16}$/);
    expect(out.listener.value).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:listener\/app\/e2e-web-lb\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
    // Desired capacity left unset: the group starts at min_size.
    expect(out.desired.value).toBe(2);
    expect(health()).toEqual(['e2e-web-80 unhealthy', 'e2e-web-80 unhealthy']);
    expect(inventory()).toMatch(/INSTANCE\s+ZONE\s+PRIVATE IP\s+PUBLIC IP\s+STATE\s+HEALTH\n(\s+i-[0-9a-f]+\s+us-east-1[ab]\s+10\.0\.[12]\.\d+\s+-\s+running\s+unhealthy \(Target\.Timeout\)\n){2}/);

    // The next plan changes only what the configuration changes (so the first apply left no drift):
    // min/max in place (no replacement), the targets follow; the right port makes them healthy.
    write(config({ min: 3, max: 6 }));
    const planned = (await tf(work, ws.env, 2, 'plan', '-input=false', '-detailed-exitcode')).stdout;
    expect(planned).toMatch(/aws_autoscaling_group\.web will be updated in-place/);
    expect(planned).toMatch(/Plan: 0 to add, 2 to change, 0 to destroy\./);
    await apply();
    expect((await outputs()).desired.value).toBe(3);
    expect(health()).toEqual(['e2e-web-80 healthy', 'e2e-web-80 healthy', 'e2e-web-80 healthy']);
    expect(inventory().match(/running\s+healthy\n/g)).toHaveLength(3);
    await clean();

    const destroyed = await tf(work, ws.env, 0, 'destroy', '-input=false', '-auto-approve');
    expect(destroyed.stdout).toMatch(/Destroy complete! Resources: \d+ destroyed\./);
    const doc = JSON.parse(fs.readFileSync(path.join(stateDir, 'aws.json'), 'utf8')) as { objects: Record<string, object> };
    expect(Object.entries(doc.objects).filter(([kind, o]) => kind !== 'meta' && Object.keys(o).length > 0)).toEqual([]);
  });
});
