import { Cloud } from '../cloud/cloud';
import { JsonObject, ObjectValue } from '../values/value';
import { AwsInstanceFacts } from '../../planning/catalog/types';
import { awsError, first, num, objects, str, stringBool, stringMap, strings } from './common';
import { allocatePrivateIp } from './addresses';
import { findImage, RegionalImage } from './images';
import { Ec2InstanceType, isStandardFamily, requireInstanceType, requireOfferedIn, typesMatching, vcpusOf, zonesOffering } from './instance-types';
import {
  allocatePublicIp, find, InstanceRecord, Kind, LaunchTemplateRecord, nextCounter, SecurityGroupRecord, SubnetRecord, Tags, VpcRecord,
} from './model';
import { awsQuota } from './quotas';
import { deregisterTargets } from './elb-model';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - architecture of type and image, security groups of the subnet's VPC, user data up to 16 KB: Amazon EC2 API Reference, RunInstances; Amazon EC2 User Guide, user data input
 * - security groups per interface (SecurityGroupsPerInterfaceLimitExceeded): Amazon VPC User Guide, Amazon VPC quotas
 * - the five reserved addresses of a subnet: Amazon VPC User Guide, Subnet CIDR blocks
 * - Standard On-Demand vCPUs per region (VcpuLimitExceeded): Amazon EC2 User Guide, On-Demand Instance quotas
 * - instance types offered only in some zones (Unsupported): Amazon EC2 API Reference, DescribeInstanceTypeOfferings; data in data/ec2-type-offerings.ts
 * - an Auto Scaling group launching in another of its zones when one does not offer the type: Amazon EC2 Auto Scaling User Guide, Availability Zones (rebalancing)
 */

/**
 * Instances: what RunInstances does with a launch template version (image, type, network
 * interface, user data, disks, tags), and the Auto Scaling side of placing them: spread over the
 * group's zones, taken away from the fullest zone first.
 */

/** Everything needed to launch one more instance of a group. */
export interface LaunchSpec {
  readonly region: string;
  readonly template: LaunchTemplateRecord;
  readonly version: number;
  /** The version's data (launch template attributes). */
  readonly data: ObjectValue;
  /** Overrides of a mixed instances policy (instance_type or instance_requirements each). */
  readonly overrides: readonly ObjectValue[];
  /** The group's name, for the aws:autoscaling:groupName tag; null for plain RunInstances. */
  readonly groupName: string | null;
  /** The group's tags with propagate_at_launch. */
  readonly propagatedTags: Tags;
}

/** The instance type a launch gets: the override's, the template's, or the cheapest match. */
function chooseType(spec: LaunchSpec, image: RegionalImage): Ec2InstanceType {
  const templateType = str(spec.data.instance_type);
  for (const o of spec.overrides) {
    const t = str(o.instance_type);
    if (t) return requireInstanceType(t, ['mixed_instances_policy', 0, 'launch_template', 0, 'override']);
    const req = first(o.instance_requirements);
    if (req) return cheapestMatch(req, image);
  }
  if (templateType) return requireInstanceType(templateType);
  const req = first(spec.data.instance_requirements);
  if (req) return cheapestMatch(req, image);
  throw awsError('ValidationError', 'You must use a valid fully-formed launch template. The launch template specifies no instance type.', undefined,
    `Launch template ${spec.template.id} version ${spec.version} has neither instance_type nor instance_requirements, and the group has no override.`);
}

function cheapestMatch(req: ObjectValue, image: RegionalImage): AwsInstanceFacts {
  const [cheapest] = typesMatching(req, image.architecture);
  if (!cheapest) {
    throw awsError('ValidationError', `No instance type satisfies the instance requirements for an ${image.architecture} image`, undefined,
      'None of the instance types the mock cloud offers (Butter\'s catalog) matches vcpu_count, memory_mib, accelerators, manufacturers and generations together.');
  }
  return cheapest;
}

/** EC2's fixed user data limit: 16 KB, counted before base64 encoding. */
const USER_DATA_LIMIT = 16384;

/** The security groups a launch uses, checked against the subnet's VPC. */
function securityGroups(cloud: Cloud, spec: LaunchSpec, subnet: SubnetRecord): string[] {
  const ni = first(spec.data.network_interfaces);
  const ids = ni && strings(ni.security_groups).length > 0 ? strings(ni.security_groups) : strings(spec.data.vpc_security_group_ids);
  if (ids.length === 0) {
    const vpc = cloud.get<VpcRecord>(Kind.vpc, subnet.vpc_id);
    return vpc ? [vpc.default_security_group_id] : [];
  }
  // Amazon VPC quotas, "Security groups per network interface" (L-2AFB9258, default 5).
  const limit = awsQuota('security_groups_per_network_interface');
  if (ids.length > limit) {
    throw awsError('SecurityGroupsPerInterfaceLimitExceeded', 'The maximum number of security groups per interface has been reached.', undefined,
      `The launch names ${ids.length} security groups; the quota is ${limit} (AWS's default is 5; BUTTER_MOCK_QUOTAS raises it).`);
  }
  for (const id of ids) {
    const group = find<SecurityGroupRecord>(cloud, Kind.securityGroup, id, spec.region);
    if (!group) throw awsError('InvalidGroup.NotFound', `The security group '${id}' does not exist in VPC '${subnet.vpc_id}'`);
    if (group.vpc_id !== subnet.vpc_id) {
      throw awsError('InvalidParameter', `Security group ${id} and subnet ${subnet.id} belong to different networks.`);
    }
  }
  return ids;
}

/** Block devices: the image's root volume, resized or changed by the template's mappings. */
function blockDevices(spec: LaunchSpec, image: RegionalImage): JsonObject[] {
  const devices: JsonObject[] = [{
    device_name: image.rootDeviceName, volume_size: image.rootVolumeSize, volume_type: image.rootVolumeType, encrypted: false,
    delete_on_termination: true, snapshot_id: image.rootSnapshotId,
  }];
  for (const m of objects(spec.data.block_device_mappings)) {
    const ebs = first(m.ebs);
    const device = str(m.device_name);
    if (!ebs || !device) continue;
    const size = num(ebs.volume_size) || null;
    const existing = devices.find((d) => d.device_name === device);
    if (existing) {
      if (size !== null && size < image.rootVolumeSize) {
        throw awsError('InvalidBlockDeviceMapping', `Volume of size ${size}GB is smaller than snapshot '${image.rootSnapshotId}', expect size >= ${image.rootVolumeSize}GB`);
      }
      Object.assign(existing, {
        volume_size: size ?? existing.volume_size,
        volume_type: str(ebs.volume_type) || existing.volume_type,
        encrypted: stringBool(ebs.encrypted) ?? false,
        delete_on_termination: stringBool(ebs.delete_on_termination) ?? true,
      });
    } else {
      if (size === null && !str(ebs.snapshot_id)) {
        throw awsError('InvalidBlockDeviceMapping', `The request must contain the parameter size or snapshotId for ${device}`);
      }
      devices.push({
        device_name: device, volume_size: size, volume_type: str(ebs.volume_type) || 'gp2', encrypted: stringBool(ebs.encrypted) ?? false,
        delete_on_termination: stringBool(ebs.delete_on_termination) ?? true, snapshot_id: str(ebs.snapshot_id),
      });
    }
  }
  return devices;
}

/** Tags of a new instance: the template's instance tag specification, then the group's. */
function instanceTags(spec: LaunchSpec): Tags {
  const fromTemplate = objects(spec.data.tag_specifications).filter((t) => str(t.resource_type) === 'instance');
  const tags: Tags = {};
  for (const t of fromTemplate) Object.assign(tags, stringMap(t.tags));
  Object.assign(tags, spec.propagatedTags);
  if (spec.groupName) tags['aws:autoscaling:groupName'] = spec.groupName;
  return tags;
}

/** The type a launch of `spec` would get, or null when the launch would fail before choosing one. */
function launchTypeName(spec: LaunchSpec): string | null {
  const imageId = str(spec.data.image_id);
  const image = imageId ? findImage(spec.region, imageId) : undefined;
  if (!image) return null;
  try {
    return chooseType(spec, image).name;
  } catch {
    return null;
  }
}

/**
 * The Standard On-Demand vCPU quota of the region (Amazon EC2 User Guide, On-Demand Instance
 * quotas): running instances of the standard families plus the new one. EC2's text, as
 * scrapoxy/scrapoxy issue 202 and bentoml/bentoctl issue 202 quote it.
 */
function checkVcpuQuota(cloud: Cloud, region: string, type: string): void {
  if (!isStandardFamily(type)) return;
  const limit = awsQuota('on_demand_standard_vcpus');
  const running = cloud.list<InstanceRecord>(Kind.instance, (i) => i.region === region && i.state !== 'terminated' && isStandardFamily(i.instance_type))
    .reduce((sum, i) => sum + vcpusOf(i.instance_type), 0);
  if (running + vcpusOf(type) > limit) {
    throw awsError('VcpuLimitExceeded', `You have requested more vCPU capacity than your current vCPU limit of ${limit} allows for the instance bucket `
      + 'that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.',
    undefined, `${running} vCPUs of standard instances already run in ${region}; ${type} needs ${vcpusOf(type)} more. `
      + 'BUTTER_MOCK_QUOTAS {"aws": {"on_demand_standard_vcpus": N}} sets the quota.');
  }
}

/** RunInstances for one instance of `spec` in `subnet`. */
export function launchInstance(cloud: Cloud, spec: LaunchSpec, subnet: SubnetRecord): InstanceRecord {
  const imageId = str(spec.data.image_id);
  if (!imageId) {
    throw awsError('ValidationError', 'You must use a valid fully-formed launch template. The request must contain the parameter ImageId');
  }
  const image = findImage(spec.region, imageId);
  if (!image) {
    throw awsError('InvalidAMIID.NotFound', `The image id '[${imageId}]' does not exist`, undefined,
      'The mock cloud has the public images its aws_ami data source finds (Ubuntu, Debian, Amazon Linux); look the id up with it.');
  }
  const type = chooseType(spec, image);
  if (type.architecture !== image.architecture) {
    throw awsError('InvalidParameterValue',
      `The architecture '${type.architecture}' of the specified instance type does not match the architecture '${image.architecture}' of the specified AMI. `
      + 'Specify an instance type and an AMI that have matching architectures, and try again.', undefined,
      `${type.name} is ${type.architecture}; ${image.id} (${image.name}) is ${image.architecture}.`);
  }
  requireOfferedIn(type.name, spec.region, subnet.availability_zone);
  checkVcpuQuota(cloud, spec.region, type.name);
  const groups = securityGroups(cloud, spec, subnet);
  const ni = first(spec.data.network_interfaces);
  const wantsPublic = stringBool(ni?.associate_public_ip_address) ?? subnet.map_public_ip_on_launch;
  const userData = str(spec.data.user_data);
  // Amazon EC2 User Guide, "Run commands when you launch an EC2 instance with user data input":
  // user data is limited to 16 KB in raw form, before base64 encoding (a fixed limit, no quota).
  // EC2's text, as kubermatic/kubermatic issue 144 and runs-on/runs-on issue 9 quote it:
  // "InvalidParameterValue: User data is limited to 16384 bytes".
  if (userData !== null && Buffer.from(userData, 'base64').length > USER_DATA_LIMIT) {
    throw awsError('InvalidParameterValue', `User data is limited to ${USER_DATA_LIMIT} bytes`, ['user_data'],
      `The launch template's user data is ${Buffer.from(userData, 'base64').length} bytes once decoded.`);
  }
  const metadata = first(spec.data.metadata_options);
  const devices = blockDevices(spec, image);
  const id = cloud.nextId('i');
  return cloud.put<InstanceRecord>(Kind.instance, id, {
    id,
    region: spec.region,
    state: 'running',
    launch_sequence: nextCounter(cloud, 'launch'),
    instance_type: type.name,
    image_id: image.id,
    architecture: image.architecture,
    vpc_id: subnet.vpc_id,
    subnet_id: subnet.id,
    availability_zone: subnet.availability_zone,
    private_ip: allocatePrivateIp(cloud, subnet),
    public_ip: wantsPublic ? allocatePublicIp(cloud) : null,
    security_groups: groups,
    launch_template: { id: spec.template.id, name: spec.template.name, version: String(spec.version) },
    autoscaling_group: spec.groupName,
    user_data: userData === null ? null : Buffer.from(userData, 'base64').toString('utf8'),
    metadata_http_tokens: str(metadata?.http_tokens) ?? 'optional',
    block_devices: devices,
    tags: instanceTags(spec),
  });
}

/** TerminateInstances: the instance and its addresses are gone at once, and it leaves every target group. */
export function terminateInstance(cloud: Cloud, id: string): void {
  deregisterTargets(cloud, (t) => t.target_id === id);
  cloud.delete(Kind.instance, id);
}

/** A group's instances, oldest first. */
export function groupInstances(cloud: Cloud, region: string, groupName: string): InstanceRecord[] {
  return cloud.list<InstanceRecord>(Kind.instance, (i) => i.region === region && i.autoscaling_group === groupName)
    .sort((a, b) => a.launch_sequence - b.launch_sequence);
}

/**
 * The subnet for the next instance: Auto Scaling keeps zones balanced, so the zone with the
 * fewest instances, then the subnet with the fewest. Auto Scaling breaks ties at random; the mock
 * takes zones in name order (then subnets in the group's order), so a new group of N over N zones
 * gets one instance per zone, round-robin a, b, c, a, b, c.
 */
export function nextSubnet(subnets: readonly SubnetRecord[], instances: readonly InstanceRecord[], spec?: LaunchSpec): SubnetRecord {
  // Auto Scaling launches in another of the group's zones when one fails: a zone that does not offer
  // the type is passed over while another one does (with none, the launch fails with EC2's error).
  const type = spec ? launchTypeName(spec) : null;
  const offered = type ? zonesOffering(type, spec!.region) : undefined;
  if (offered !== undefined && subnets.some((s) => offered.includes(s.availability_zone))) {
    subnets = subnets.filter((s) => offered.includes(s.availability_zone));
  }
  const perZone = (zone: string): number => instances.filter((i) => i.availability_zone === zone).length;
  const perSubnet = (id: string): number => instances.filter((i) => i.subnet_id === id).length;
  return [...subnets].sort((a, b) => perZone(a.availability_zone) - perZone(b.availability_zone)
    || a.availability_zone.localeCompare(b.availability_zone)
    || perSubnet(a.id) - perSubnet(b.id)
    || subnets.indexOf(a) - subnets.indexOf(b))[0];
}

/**
 * The instance to take away when scaling in (the default termination policy): from the zone
 * with the most instances, the one launched from the oldest template version, then the oldest.
 */
export function nextToTerminate(instances: readonly InstanceRecord[]): InstanceRecord {
  const perZone = (zone: string): number => instances.filter((i) => i.availability_zone === zone).length;
  return [...instances].sort((a, b) => perZone(b.availability_zone) - perZone(a.availability_zone)
    || Number(a.launch_template.version) - Number(b.launch_template.version)
    || a.launch_sequence - b.launch_sequence)[0];
}
