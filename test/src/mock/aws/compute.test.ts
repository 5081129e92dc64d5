import { AwsHarness, expectProblem } from './harness';
import { isUnknown } from '../../../../src/mock/values/unknown';
import { JsonObject, ObjectValue } from '../../../../src/mock/values/value';

/** Images, launch templates, Auto Scaling groups and the instances they run. */

interface Instance extends JsonObject {
  id: string;
  subnet_id: string;
  availability_zone: string;
  private_ip: string;
  public_ip: string | null;
  instance_type: string;
  image_id: string;
  user_data: string | null;
  security_groups: string[];
  launch_template: { id: string; name: string; version: string };
  tags: { [k: string]: string };
  launch_sequence: number;
}

const JAMMY = 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('AWS mock cloud: images, launch templates, autoscaling groups', () => {
  let aws: AwsHarness;
  beforeEach(async () => {
    aws = new AwsHarness();
    await aws.configure({ region: 'us-east-1' });
  });
  afterEach(() => aws.cleanup());

  const ami = (pattern: string, owners: string[], architecture = 'x86_64', extra: ObjectValue = {}): Promise<ObjectValue> =>
    aws.data('aws_ami', {
      most_recent: true, owners,
      filter: [{ name: 'name', values: [pattern] }, { name: 'architecture', values: [architecture] }, { name: 'state', values: ['available'] }],
      ...extra,
    });

  /** A VPC with an internet gateway, two subnets in two zones, and a security group. */
  async function network(): Promise<{ vpc: ObjectValue; subnets: ObjectValue[]; sg: ObjectValue }> {
    const vpc = await aws.create('aws_vpc', { cidr_block: '10.0.0.0/16' });
    await aws.create('aws_internet_gateway', { vpc_id: vpc.id });
    const subnets = [
      await aws.create('aws_subnet', { vpc_id: vpc.id, cidr_block: '10.0.0.0/24', availability_zone: 'us-east-1a' }),
      await aws.create('aws_subnet', { vpc_id: vpc.id, cidr_block: '10.0.1.0/24', availability_zone: 'us-east-1b' }),
    ];
    const sg = await aws.create('aws_security_group', { name: 'dev-web', vpc_id: vpc.id });
    return { vpc, subnets, sg };
  }

  const templateConfig = (imageId: string, sgId: string, over: ObjectValue = {}): ObjectValue => ({
    name: 'dev-web',
    image_id: imageId,
    instance_type: 't3.micro',
    user_data: b64('#cloud-config\npackages: [nginx]\n'),
    update_default_version: true,
    metadata_options: [{ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 }],
    network_interfaces: [{ associate_public_ip_address: 'true', security_groups: [sgId], delete_on_termination: 'true' }],
    block_device_mappings: [{ device_name: '/dev/sda1', ebs: [{ volume_type: 'gp3', volume_size: 10, encrypted: 'true', delete_on_termination: 'true' }] }],
    tag_specifications: [{ resource_type: 'instance', tags: { Name: 'dev-web', 'butter:service': 'web' } }],
    tags: { Name: 'dev-web' },
    ...over,
  });

  const groupConfig = (template: ObjectValue, subnets: ObjectValue[], count: number, over: ObjectValue = {}): ObjectValue => ({
    name: 'dev-web',
    min_size: count,
    max_size: count,
    desired_capacity: count,
    health_check_type: 'EC2',
    vpc_zone_identifier: subnets.map((s) => s.id),
    launch_template: [{ id: template.id, version: String(template.latest_version) }],
    instance_refresh: [{ strategy: 'Rolling', preferences: [{ min_healthy_percentage: 50 }] }],
    tag: [{ key: 'Name', value: 'dev-web', propagate_at_launch: true }, { key: 'team', value: 'core', propagate_at_launch: false }],
    ...over,
  });

  const instances = (): Instance[] => aws.objects<Instance>('instance').sort((a, b) => a.launch_sequence - b.launch_sequence);

  test('aws_ami finds the newest image matching name pattern, owner and architecture', async () => {
    const jammy = await ami(JAMMY, ['099720109477']);
    expect(jammy).toMatchObject({
      name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240701',
      owner_id: '099720109477', architecture: 'x86_64', root_device_name: '/dev/sda1', root_device_type: 'ebs',
      virtualization_type: 'hvm', state: 'available', creation_date: '2024-07-01T12:01:40.000Z', image_owner_alias: '',
    });
    expect(jammy.id).toMatch(/^ami-[0-9a-f]{17}$/);
    expect(jammy.image_id).toEqual(jammy.id);
    expect(jammy.arn).toBe(`arn:aws:ec2:us-east-1::image/${jammy.id}`);
    const arm = await ami('ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-*', ['099720109477'], 'arm64');
    expect(arm).toMatchObject({ name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20250115', architecture: 'arm64' });
    const al = await ami('al2023-ami-2023.*-kernel-6.1-x86_64', ['amazon']);
    expect(al).toMatchObject({ name: 'al2023-ami-2023.6.20250115.0-kernel-6.1-x86_64', root_device_name: '/dev/xvda', owner_id: '137112412989', image_owner_alias: 'amazon' });
    expect((await ami('debian-12-arm64-*', ['136693071363'], 'arm64')).name).toBe('debian-12-arm64-20250112-1993');
    expect((await ami('ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-2025011?', ['099720109477'])).name).toMatch(/20250115$/);
    // Older builds are found once deprecated only with include_deprecated (the newest build never is).
    const old = await ami('ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240207.1', ['099720109477'], 'x86_64', { include_deprecated: true });
    expect(old.deprecation_time).toBe('2026-02-07T07:09:33.000Z');
    // Images differ by region, as copies do.
    expect((await ami(JAMMY, ['099720109477'], 'x86_64', { region: 'eu-west-1' })).id).not.toEqual(jammy.id);
  });

  test('aws_ami: no match, several matches, and an unowned most_recent lookup are errors', async () => {
    await expectProblem(ami(JAMMY, ['137112412989']), /^Your query returned no results\. Please change your search criteria and try again\./);
    await expectProblem(ami(JAMMY, ['099720109477'], 'arm64'), /^Your query returned no results/);
    await expectProblem(ami(JAMMY, ['099720109477'], 'x86_64', { most_recent: false, include_deprecated: true }), /^Your query returned more than one result/);
    await expectProblem(ami(JAMMY, []), /^Most Recent Image Not Filtered/);
    const unsafe = await aws.readData('aws_ami', {
      most_recent: true, allow_unsafe_filter: true, filter: [{ name: 'name', values: [JAMMY] }, { name: 'architecture', values: ['x86_64'] }],
    });
    expect(unsafe.warnings.map((w) => w.summary)).toEqual(['Most Recent Image Not Filtered']);
    expect(unsafe.state.owner_id).toBe('099720109477');
  });

  test('launch templates: versions, real ids, name unique per region, instance types and user data checked', async () => {
    const { sg } = await network();
    const image = await ami(JAMMY, ['099720109477']);
    const config = templateConfig(image.id as string, sg.id as string);
    const lt = await aws.create('aws_launch_template', config);
    expect(lt.id).toMatch(/^lt-[0-9a-f]{17}$/);
    expect(lt).toMatchObject({ arn: `arn:aws:ec2:us-east-1:123456789012:launch-template/${lt.id}`, latest_version: 1, default_version: 1, name: 'dev-web' });
    expect(lt.metadata_options).toEqual([{ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1, http_protocol_ipv6: 'disabled', instance_metadata_tags: 'disabled' }]);
    expect(await aws.read('aws_launch_template', lt)).toEqual(lt);

    // Tags change the template, not its versions.
    const retagged = await aws.update('aws_launch_template', lt, { ...config, tags: { Name: 'web' } });
    expect(retagged.planned.latest_version).toBe(1);
    expect(retagged.state).toMatchObject({ latest_version: 1, tags_all: { Name: 'web' } });
    // New user data: a new version, which becomes the default.
    const config2 = { ...config, tags: { Name: 'web' }, user_data: b64('#cloud-config\npackages: [apache2]\n') };
    const v2 = await aws.update('aws_launch_template', retagged.state, config2);
    expect(v2.replaced).toBe(false);
    expect(isUnknown(v2.planned.latest_version)).toBe(true);
    expect(v2.state).toMatchObject({ id: lt.id, latest_version: 2, default_version: 2 });

    await expectProblem(aws.create('aws_launch_template', config), /^InvalidLaunchTemplateName\.AlreadyExistsException: Launch template name already in use\./);
    await expect(aws.create('aws_launch_template', { ...config, region: 'us-west-2' })).resolves.toMatchObject({ region: 'us-west-2' });
    await expectProblem(aws.create('aws_launch_template', { ...config, name: 'other', instance_type: 't9.huge' }),
      /^InvalidParameterValue: Invalid value 't9\.huge' for InstanceType \(invalid instance type\)/);
    await expectProblem(aws.update('aws_launch_template', v2.state, { ...config2, instance_type: 'm1.fake' }), /^InvalidParameterValue: Invalid value 'm1\.fake'/);
    await expectProblem(aws.create('aws_launch_template', { ...config, name: 'raw', user_data: '#!/bin/sh\necho hi' }), /^InvalidUserData\.Malformed/);
  });

  test('a group launches its instances round-robin over its zones, inside its subnets, with the template\'s settings', async () => {
    const { subnets, sg } = await network();
    const image = await ami(JAMMY, ['099720109477']);
    const lt = await aws.create('aws_launch_template', templateConfig(image.id as string, sg.id as string));
    const asg = await aws.create('aws_autoscaling_group', groupConfig(lt, subnets, 4));
    expect(asg.arn).toMatch(/^arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:autoScalingGroupName\/dev-web$/);
    expect(asg).toMatchObject({ id: 'dev-web', desired_capacity: 4, availability_zones: ['us-east-1a', 'us-east-1b'], launch_template: [{ id: lt.id, name: 'dev-web', version: '1' }] });
    expect(await aws.read('aws_autoscaling_group', asg)).toEqual(asg);

    const all = instances();
    expect(all.map((i) => i.availability_zone)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1a', 'us-east-1b']);
    expect(all.map((i) => i.subnet_id)).toEqual([subnets[0].id, subnets[1].id, subnets[0].id, subnets[1].id]);
    // The first four addresses of a subnet are AWS's: instances start at .4.
    expect(all.map((i) => i.private_ip)).toEqual(['10.0.0.4', '10.0.1.4', '10.0.0.5', '10.0.1.5']);
    expect(new Set(all.map((i) => i.public_ip)).size).toBe(4);
    for (const i of all) {
      expect(i.id).toMatch(/^i-[0-9a-f]{17}$/);
      expect(i).toMatchObject({
        state: 'running', instance_type: 't3.micro', image_id: image.id, security_groups: [sg.id],
        user_data: '#cloud-config\npackages: [nginx]\n', metadata_http_tokens: 'required',
        launch_template: { id: lt.id, name: 'dev-web', version: '1' },
        tags: { Name: 'dev-web', 'butter:service': 'web', 'aws:autoscaling:groupName': 'dev-web' },
      });
      expect(i.public_ip).toMatch(/^3\.\d+\.\d+\.\d+$/);
      expect(i.block_devices).toEqual([expect.objectContaining({ device_name: '/dev/sda1', volume_size: 10, volume_type: 'gp3', encrypted: true })]);
    }

    const found = await aws.data('aws_instances', { instance_tags: { 'aws:autoscaling:groupName': 'dev-web' }, instance_state_names: ['pending', 'running'] });
    expect(found).toMatchObject({ ids: all.map((i) => i.id), private_ips: all.map((i) => i.private_ip), public_ips: all.map((i) => i.public_ip), id: 'us-east-1' });
    const inA = await aws.data('aws_instances', { filter: [{ name: 'subnet-id', values: [subnets[0].id] }] });
    expect(inA.private_ips).toEqual(['10.0.0.4', '10.0.0.5']);
    expect((await aws.data('aws_instances', { instance_tags: { 'aws:autoscaling:groupName': 'nope' } })).ids).toEqual([]);

    // A subnet with instances cannot go; deleting the group terminates them.
    await expectProblem(aws.destroy('aws_subnet', subnets[0]), /^DependencyViolation: The subnet '.*' has dependencies and cannot be deleted\./);
    await aws.destroy('aws_autoscaling_group', asg);
    expect(instances()).toEqual([]);
    await aws.destroy('aws_subnet', subnets[0]);
  });

  test('capacity changes launch and terminate; a new template version with instance_refresh replaces the instances', async () => {
    const { subnets, sg } = await network();
    const image = await ami(JAMMY, ['099720109477']);
    const ltConfig = templateConfig(image.id as string, sg.id as string, { network_interfaces: [{ associate_public_ip_address: 'false', security_groups: [sg.id] }] });
    const lt = await aws.create('aws_launch_template', ltConfig);
    let asg = await aws.create('aws_autoscaling_group', groupConfig(lt, subnets, 2));
    expect(instances().map((i) => i.public_ip)).toEqual([null, null]);

    asg = (await aws.update('aws_autoscaling_group', asg, groupConfig(lt, subnets, 5))).state;
    expect(instances().map((i) => i.private_ip)).toEqual(['10.0.0.4', '10.0.1.4', '10.0.0.5', '10.0.1.5', '10.0.0.6']);
    asg = (await aws.update('aws_autoscaling_group', asg, groupConfig(lt, subnets, 3))).state;
    // Scale-in takes from the fullest zone first, keeping the zones balanced.
    const zones = instances().map((i) => i.availability_zone).sort();
    expect(zones).toEqual(['us-east-1a', 'us-east-1a', 'us-east-1b']);
    const before = instances().map((i) => i.id);

    const lt2 = (await aws.update('aws_launch_template', lt, { ...ltConfig, user_data: b64('#cloud-config\npackages: [apache2]\n') })).state;
    const planned = await aws.plan('aws_autoscaling_group', asg, groupConfig(lt2, subnets, 3));
    expect(planned.replace).toEqual([]);
    asg = (await aws.update('aws_autoscaling_group', asg, groupConfig(lt2, subnets, 3))).state;
    const after = instances();
    expect(after).toHaveLength(3);
    expect(after.some((i) => before.includes(i.id))).toBe(false);
    expect(after.every((i) => i.user_data === '#cloud-config\npackages: [apache2]\n' && i.launch_template.version === '2')).toBe(true);
    // Freed addresses are handed out again, lowest first; none is used twice.
    expect(new Set(after.map((i) => i.private_ip)).size).toBe(3);
  });

  test('attribute-based instance selection picks the cheapest matching type for the image', async () => {
    const { subnets, sg } = await network();
    const image = await ami(JAMMY, ['099720109477']);
    const lt = await aws.create('aws_launch_template', templateConfig(image.id as string, sg.id as string, { instance_type: null }));
    const requirements = {
      vcpu_count: [{ min: 2 }], memory_mib: [{ min: 4096 }], accelerator_count: [{ max: 0 }],
      cpu_manufacturers: ['intel', 'amd'], instance_generations: ['current'], burstable_performance: 'excluded',
    };
    await aws.create('aws_autoscaling_group', groupConfig(lt, subnets, 1, {
      launch_template: [],
      mixed_instances_policy: [{ launch_template: [{ launch_template_specification: [{ launch_template_id: lt.id, version: '$Latest' }], override: [{ instance_requirements: [requirements] }] }] }],
    }));
    // c7i.large (2 vCPUs, 4 GiB, $0.08925/h) is the cheapest current, non-burstable Intel/AMD type that fits.
    expect(instances().map((i) => i.instance_type)).toEqual(['c7i.large']);
  });

  test('groups refuse what Auto Scaling and EC2 refuse', async () => {
    const { vpc, subnets, sg } = await network();
    const image = await ami(JAMMY, ['099720109477']);
    const lt = await aws.create('aws_launch_template', templateConfig(image.id as string, sg.id as string));
    await aws.create('aws_autoscaling_group', groupConfig(lt, subnets, 1));
    await expectProblem(aws.create('aws_autoscaling_group', groupConfig(lt, subnets, 1)),
      /^AlreadyExists: AutoScalingGroup by this name already exists - A group with the name dev-web already exists/);
    // Names are unique per region: another region's group may have the same one.
    await aws.configure({ region: 'us-west-2' });
    const westVpc = await aws.create('aws_vpc', { cidr_block: '10.0.0.0/16' });
    const westSubnet = await aws.create('aws_subnet', { vpc_id: westVpc.id, cidr_block: '10.0.0.0/24' });
    const westImage = await ami(JAMMY, ['099720109477']);
    const westLt = await aws.create('aws_launch_template', templateConfig(westImage.id as string, westVpc.default_security_group_id as string));
    const west = await aws.create('aws_autoscaling_group', groupConfig(westLt, [westSubnet], 1));
    expect(west.arn).toMatch(/^arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:.*:autoScalingGroupName\/dev-web$/);
    await aws.configure({ region: 'us-east-1' });
    await expectProblem(aws.create('aws_autoscaling_group', groupConfig(lt, subnets, 1, { name: 'big', desired_capacity: 5 })),
      /^ValidationError: Desired capacity:5 must be between the specified min size:1 and max size:1/);
    await expectProblem(aws.create('aws_autoscaling_group', groupConfig(lt, [{ id: 'subnet-0000' }], 1, { name: 'nowhere' })),
      /^ValidationError: The subnet ID 'subnet-0000' does not exist/);

    // Subnets of two VPCs; a template whose security group is in another VPC than the subnets.
    const other = await aws.create('aws_vpc', { cidr_block: '10.1.0.0/16' });
    const foreign = await aws.create('aws_subnet', { vpc_id: other.id, cidr_block: '10.1.0.0/24', availability_zone: 'us-east-1c' });
    await expectProblem(aws.create('aws_autoscaling_group', groupConfig(lt, [subnets[0], foreign], 1, { name: 'split' })),
      /^ValidationError: The subnets of an Auto Scaling group must all belong to the same VPC/);
    await expectProblem(aws.create('aws_autoscaling_group', groupConfig(lt, [foreign], 1, { name: 'elsewhere' })),
      /^ValidationError: One or more security groups in the launch template are not linked to the VPCs configured in the Auto Scaling group/);

    // EC2's launch errors fail the apply: unknown image, architecture mismatch, full subnet.
    const ghost = await aws.create('aws_launch_template', templateConfig('ami-00000000000000000', sg.id as string, { name: 'ghost' }));
    await expectProblem(aws.create('aws_autoscaling_group', groupConfig(ghost, subnets, 1, { name: 'ghost' })),
      /^InvalidAMIID\.NotFound: The image id '\[ami-00000000000000000\]' does not exist/);
    const arm = await aws.create('aws_launch_template', templateConfig(image.id as string, sg.id as string, { name: 'arm', instance_type: 't4g.micro' }));
    await expectProblem(aws.create('aws_autoscaling_group', groupConfig(arm, subnets, 1, { name: 'arm' })),
      /^InvalidParameterValue: The architecture 'arm64' of the specified instance type does not match the architecture 'x86_64' of the specified AMI/);
    const tiny = await aws.create('aws_subnet', { vpc_id: vpc.id, cidr_block: '10.0.9.0/28', availability_zone: 'us-east-1c' });
    // A /28 has 16 addresses, 11 of them usable.
    await aws.create('aws_autoscaling_group', groupConfig(lt, [tiny], 11, { name: 'fits' }));
    await expectProblem(aws.create('aws_autoscaling_group', groupConfig(lt, [tiny], 1, { name: 'full' })),
      /^InsufficientFreeAddressesInSubnet: There are not enough free addresses in subnet/);
    expect(aws.objects<Instance>('instance').filter((i) => i.subnet_id === tiny.id).map((i) => i.private_ip.split('.')[3]).map(Number).sort((a, b) => a - b))
      .toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });
});
