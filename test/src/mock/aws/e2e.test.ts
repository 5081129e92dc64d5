import * as fs from 'node:fs';
import * as path from 'node:path';
import { inProcessCloud, tf } from '../helpers/terraform';

/**
 * The real Terraform CLI against the simulated AWS cloud (reattached, served from this process):
 * a small cdk.tf.json-style configuration shaped like Butter's (VPC, two subnets, security group,
 * launch template, autoscaling group of 3, aws_instances), through its whole life.
 */

interface Instance {
  id: string;
  subnet_id: string;
  availability_zone: string;
  private_ip: string;
  public_ip: string | null;
  user_data: string | null;
  launch_template: { version: string };
  launch_sequence: number;
}

type CloudDoc = { objects: Record<string, Record<string, Record<string, unknown>>> };

const USER_DATA = '#cloud-config\npackages:\n  - nginx\n';

/** The configuration; `over` tweaks parts of it between applies. */
function config(over: { vpcTags?: object; subnetB?: string; capacity?: number; userData?: string } = {}): object {
  const tags = { Name: 'e2e', 'butter:network': 'e2e' };
  const subnet = (cidr: string, zone: number, cbd = false): object => ({
    vpc_id: '${aws_vpc.vpc.id}',
    cidr_block: cidr,
    availability_zone: `\${data.aws_availability_zones.zones.names[${zone}]}`,
    tags: { ...tags, Name: `e2e-${zone}` },
    ...(cbd ? { lifecycle: { create_before_destroy: true } } : {}),
  });
  const capacity = over.capacity ?? 3;
  return {
    terraform: { required_providers: { aws: { source: 'aws', version: '6.25.0' } } },
    provider: { aws: [{ region: 'us-east-1', default_tags: [{ tags: { owner: 'butter-tests' } }] }] },
    locals: { user_data: over.userData ?? USER_DATA },
    data: {
      aws_availability_zones: { zones: { state: 'available', filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }] } },
      aws_ami: {
        image: {
          most_recent: true,
          owners: ['099720109477'],
          filter: [
            { name: 'name', values: ['ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*'] },
            { name: 'architecture', values: ['x86_64'] },
            { name: 'state', values: ['available'] },
          ],
        },
      },
      aws_instances: {
        web: {
          instance_tags: { 'aws:autoscaling:groupName': '${aws_autoscaling_group.web.name}' },
          instance_state_names: ['pending', 'running'],
          depends_on: ['aws_autoscaling_group.web'],
        },
      },
    },
    resource: {
      aws_vpc: { vpc: { cidr_block: '10.0.0.0/16', enable_dns_support: true, enable_dns_hostnames: true, tags: { ...tags, ...over.vpcTags } } },
      aws_default_security_group: { default: { vpc_id: '${aws_vpc.vpc.id}', tags } },
      aws_internet_gateway: { igw: { vpc_id: '${aws_vpc.vpc.id}', tags } },
      aws_subnet: { a: subnet('10.0.0.0/24', 0), b: subnet(over.subnetB ?? '10.0.1.0/24', 1, true) },
      aws_security_group: { web: { name: 'e2e-web', description: 'web', vpc_id: '${aws_vpc.vpc.id}', tags } },
      aws_vpc_security_group_egress_rule: {
        out: { security_group_id: '${aws_security_group.web.id}', ip_protocol: '-1', cidr_ipv4: '0.0.0.0/0', tags },
      },
      aws_vpc_security_group_ingress_rule: {
        http: { security_group_id: '${aws_security_group.web.id}', ip_protocol: 'tcp', from_port: 80, to_port: 80, cidr_ipv4: '0.0.0.0/0', tags },
      },
      aws_launch_template: {
        web: {
          name: 'e2e-web',
          image_id: '${data.aws_ami.image.id}',
          instance_type: 't3.micro',
          user_data: '${base64encode(local.user_data)}',
          update_default_version: true,
          metadata_options: { http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 },
          network_interfaces: [{ associate_public_ip_address: 'true', security_groups: ['${aws_security_group.web.id}'], delete_on_termination: 'true' }],
          block_device_mappings: [{
            device_name: '${data.aws_ami.image.root_device_name}',
            ebs: { volume_type: 'gp3', volume_size: 8, encrypted: 'true', delete_on_termination: 'true' },
          }],
          tag_specifications: [{ resource_type: 'instance', tags }, { resource_type: 'volume', tags }],
          tags,
        },
      },
      aws_autoscaling_group: {
        web: {
          name: 'e2e-web',
          min_size: capacity,
          max_size: capacity,
          desired_capacity: capacity,
          health_check_type: 'EC2',
          vpc_zone_identifier: ['${aws_subnet.a.id}', '${aws_subnet.b.id}'],
          launch_template: { id: '${aws_launch_template.web.id}', version: '${aws_launch_template.web.latest_version}' },
          instance_refresh: { strategy: 'Rolling', preferences: { min_healthy_percentage: 50 } },
          tag: Object.entries(tags).map(([key, value]) => ({ key, value, propagate_at_launch: true })),
        },
      },
    },
    output: {
      private_ips: { value: '${data.aws_instances.web.private_ips}' },
      public_ips: { value: '${data.aws_instances.web.public_ips}' },
      subnets: { value: { a: '${aws_subnet.a.cidr_block}', b: '${aws_subnet.b.cidr_block}' } },
    },
  };
}

describe('AWS mock cloud with the real Terraform CLI', () => {
  const ws = inProcessCloud('aws-e2e', ['aws']);
  const { stateDir, work } = ws;

  const write = (c: object): void => fs.writeFileSync(path.join(work, 'main.tf.json'), JSON.stringify(c, null, 2));
  const cloudDoc = (): CloudDoc => JSON.parse(fs.readFileSync(path.join(stateDir, 'aws.json'), 'utf8')) as CloudDoc;
  const instances = (): Instance[] => Object.values(cloudDoc().objects.instance ?? {})
    .map((i) => i as unknown as Instance).sort((a, b) => a.launch_sequence - b.launch_sequence);
  const subnets = (): Record<string, { cidr_block: string; availability_zone: string }> =>
    cloudDoc().objects.subnet as unknown as Record<string, { cidr_block: string; availability_zone: string }>;
  const outputs = async (): Promise<Record<string, { value: unknown }>> => JSON.parse((await tf(work, ws.env, 0, 'output', '-json')).stdout);
  const apply = (): Promise<unknown> => tf(work, ws.env, 0, 'apply', '-input=false', '-auto-approve');
  const clean = (): Promise<unknown> => tf(work, ws.env, 0, 'plan', '-input=false', '-detailed-exitcode');
  const plan = async (): Promise<string> => (await tf(work, ws.env, 2, 'plan', '-input=false', '-detailed-exitcode')).stdout;

  test('create, refresh, update in place, scale, replace a subnet, refresh instances, destroy', async () => {
    write(config());
    await tf(work, ws.env, 0, 'init', '-input=false');
    await apply();

    // Three instances, round-robin over the two zones, addresses inside their subnets.
    const first = instances();
    expect(first).toHaveLength(3);
    expect(first.map((i) => i.availability_zone)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1a']);
    const bySubnet = subnets();
    for (const i of first) {
      const prefix = bySubnet[i.subnet_id].cidr_block.split('.').slice(0, 3).join('.');
      expect(i.private_ip.startsWith(`${prefix}.`)).toBe(true);
      expect(Number(i.private_ip.split('.')[3])).toBeGreaterThanOrEqual(4);
      expect(i.user_data).toBe(USER_DATA);
      expect(i.public_ip).toMatch(/^3\./);
    }
    expect((await outputs()).private_ips.value).toEqual(first.map((i) => i.private_ip));
    expect((await outputs()).public_ips.value).toEqual(first.map((i) => i.public_ip));
    await clean();

    // Tags change in place.
    write(config({ vpcTags: { stage: 'test' } }));
    expect(await plan()).toMatch(/aws_vpc\.vpc will be updated in-place[\s\S]*Plan: 0 to add, 1 to change, 0 to destroy\./);
    await apply();
    expect(Object.values(cloudDoc().objects.vpc)[0].tags).toEqual({ Name: 'e2e', 'butter:network': 'e2e', stage: 'test', owner: 'butter-tests' });
    await clean();

    // One more instance: launched in the emptier zone, the others untouched.
    write(config({ vpcTags: { stage: 'test' }, capacity: 4 }));
    await apply();
    const scaled = instances();
    expect(scaled.map((i) => i.id).slice(0, 3)).toEqual(first.map((i) => i.id));
    expect(scaled[3].availability_zone).toBe('us-east-1b');
    expect((await outputs()).private_ips.value).toHaveLength(4);
    await clean();

    // A new block for subnet b replaces it (create before destroy), moving its instances over.
    write(config({ vpcTags: { stage: 'test' }, capacity: 4, subnetB: '10.0.2.0/24' }));
    expect(await plan()).toMatch(/aws_subnet\.b must be replaced[\s\S]*cidr_block\s+= "10\.0\.1\.0\/24" -> "10\.0\.2\.0\/24" # forces replacement/);
    await apply();
    const moved = instances();
    expect(Object.values(subnets()).map((s) => s.cidr_block).sort()).toEqual(['10.0.0.0/24', '10.0.2.0/24']);
    expect(moved.filter((i) => i.availability_zone === 'us-east-1b').every((i) => i.private_ip.startsWith('10.0.2.'))).toBe(true);
    await clean();

    // New user data: a new template version, and the instance refresh replaces every instance.
    write(config({ vpcTags: { stage: 'test' }, capacity: 4, subnetB: '10.0.2.0/24', userData: '#cloud-config\npackages:\n  - apache2\n' }));
    const refreshPlan = await plan();
    expect(refreshPlan).toContain('aws_launch_template.web will be updated in-place');
    expect(refreshPlan).toMatch(/aws_autoscaling_group\.web will be updated in-place[\s\S]*version = "1" -> \(known after apply\)/);
    await apply();
    const refreshed = instances();
    expect(refreshed).toHaveLength(4);
    expect(refreshed.some((i) => moved.some((m) => m.id === i.id))).toBe(false);
    expect(refreshed.every((i) => i.user_data === '#cloud-config\npackages:\n  - apache2\n' && i.launch_template.version === '2')).toBe(true);
    await clean();

    const destroyed = await tf(work, ws.env, 0, 'destroy', '-input=false', '-auto-approve');
    expect(destroyed.stdout).toMatch(/Destroy complete! Resources: \d+ destroyed\./);
    // Nothing is left but the counters that keep ids and addresses from being reused.
    const left = Object.entries(cloudDoc().objects).filter(([kind, objects]) => kind !== 'meta' && Object.keys(objects).length > 0);
    expect(left).toEqual([]);
  });
});
