import { Cloud } from '../cloud/cloud';
import { priorRecord, RecordStore } from '../framework/records';
import { UpdateContext } from '../framework/types';
import { JsonObject, ObjectValue } from '../values/value';
import { awsError, effectiveTags, regionOf, str } from './common';

/**
 * The records of the simulated AWS cloud, as EC2 and Auto Scaling would keep them, and lookups
 * that fail with the real API's "not found" errors. Every record carries its region: EC2 is a
 * regional API, so an id from another region is as unknown as one that never existed.
 *
 * Kinds (the `kind` argument of the Cloud API): see {@link Kind}.
 */

export const Kind = {
  vpc: 'vpc',
  subnet: 'subnet',
  securityGroup: 'security_group',
  securityGroupRule: 'security_group_rule',
  routeTable: 'route_table',
  route: 'route',
  routeTableAssociation: 'route_table_association',
  internetGateway: 'internet_gateway',
  eip: 'eip',
  natGateway: 'nat_gateway',
  networkAcl: 'network_acl',
  launchTemplate: 'launch_template',
  autoscalingGroup: 'autoscaling_group',
  instance: 'instance',
  meta: 'meta',
} as const;

export type Tags = { [key: string]: string };

export interface VpcRecord extends JsonObject {
  id: string;
  region: string;
  cidr_block: string;
  instance_tenancy: string;
  enable_dns_support: boolean;
  enable_dns_hostnames: boolean;
  enable_network_address_usage_metrics: boolean;
  ipv6_cidr_block: string | null;
  ipv6_association_id: string | null;
  default_security_group_id: string;
  main_route_table_id: string;
  default_network_acl_id: string;
  dhcp_options_id: string;
  tags: Tags;
}

export interface SubnetRecord extends JsonObject {
  id: string;
  region: string;
  vpc_id: string;
  cidr_block: string;
  availability_zone: string;
  availability_zone_id: string;
  map_public_ip_on_launch: boolean;
  tags: Tags;
}

export interface SecurityGroupRecord extends JsonObject {
  id: string;
  region: string;
  vpc_id: string;
  name: string;
  description: string;
  /** The VPC's default group: created and deleted with the VPC. */
  is_default: boolean;
  tags: Tags;
}

/** One rule: one source or destination, as EC2 stores them (`sgr-…`). */
export interface SecurityGroupRuleRecord extends JsonObject {
  id: string;
  region: string;
  group_id: string;
  is_egress: boolean;
  /** `-1`, `tcp`, `udp`, `icmp`, `icmpv6` or a protocol number. */
  ip_protocol: string;
  from_port: number | null;
  to_port: number | null;
  cidr_ipv4: string | null;
  cidr_ipv6: string | null;
  prefix_list_id: string | null;
  referenced_group_id: string | null;
  description: string | null;
  tags: Tags;
}

export interface RouteTableRecord extends JsonObject {
  id: string;
  region: string;
  vpc_id: string;
  /** The VPC's main table: created and deleted with the VPC. */
  main: boolean;
  propagating_vgws: string[];
  tags: Tags;
}

/** A route's destination and target fields, by their Terraform names. */
export interface RouteRecord extends JsonObject {
  id: string;
  region: string;
  route_table_id: string;
  destination_cidr_block: string | null;
  destination_ipv6_cidr_block: string | null;
  destination_prefix_list_id: string | null;
  targets: { [target: string]: string };
  /** `active`, or `blackhole` once the target is gone. */
  state: string;
}

export interface RouteTableAssociationRecord extends JsonObject {
  id: string;
  region: string;
  route_table_id: string;
  subnet_id: string | null;
  gateway_id: string | null;
}

export interface InternetGatewayRecord extends JsonObject {
  id: string;
  region: string;
  vpc_id: string | null;
  tags: Tags;
}

export interface EipRecord extends JsonObject {
  id: string;
  region: string;
  public_ip: string;
  domain: string;
  network_border_group: string;
  public_ipv4_pool: string;
  /** What the address is associated with, if anything. */
  association_id: string | null;
  network_interface_id: string | null;
  private_ip: string | null;
  instance_id: string | null;
  tags: Tags;
}

export interface NatGatewayRecord extends JsonObject {
  id: string;
  region: string;
  vpc_id: string;
  subnet_id: string;
  connectivity_type: string;
  allocation_id: string | null;
  association_id: string | null;
  network_interface_id: string;
  private_ip: string;
  public_ip: string | null;
  tags: Tags;
}

export interface LaunchTemplateRecord extends JsonObject {
  id: string;
  region: string;
  name: string;
  default_version: number;
  latest_version: number;
  /** Version number → launch template data (the resource's version attributes, as JSON). */
  versions: { [version: string]: JsonObject };
  tags: Tags;
}

/** An instance as Auto Scaling launched it. Terminated instances are removed. */
export interface InstanceRecord extends JsonObject {
  id: string;
  region: string;
  state: 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';
  /** Launch order in the whole cloud, for stable listings. */
  launch_sequence: number;
  instance_type: string;
  image_id: string;
  architecture: string;
  vpc_id: string;
  subnet_id: string;
  availability_zone: string;
  private_ip: string;
  public_ip: string | null;
  security_groups: string[];
  launch_template: { id: string; name: string; version: string };
  autoscaling_group: string | null;
  /** The user data as the instance sees it (decoded from base64). */
  user_data: string | null;
  metadata_http_tokens: string | null;
  block_devices: JsonObject[];
  tags: Tags;
}

// --- lookups ----------------------------------------------------------------------------------

/** Find a record of `kind` in `region`, or undefined. */
export function find<T extends JsonObject & { region: string }>(cloud: Cloud, kind: string, id: string, region: string): T | undefined {
  const record = cloud.get<T>(kind, id);
  return record && record.region === region ? record : undefined;
}

type Path = (string | number)[];

/**
 * A {@link RecordStore} of EC2 objects: found by the state's id in the state's region (the
 * provider's `region` argument, else its own), with EC2's NotFound error for that kind.
 */
export function regionalStore<R extends JsonObject & { region: string }>(
  kind: string, notFound: (id: string) => Error,
): RecordStore<R> {
  return {
    kind,
    find: (ctx, state) => find<R>(ctx.cloud, kind, str(state.id) ?? '', regionOf(ctx, state)),
    notFound,
  };
}

/**
 * `update` for types whose only in-place change is their tags (everything else forces
 * replacement): the record with the planned tags, rendered.
 */
export function updateTags<R extends JsonObject & { id: string; region: string; tags: Tags }>(
  store: RecordStore<R>, render: (ctx: UpdateContext, record: R, state: ObjectValue) => ObjectValue,
): (ctx: UpdateContext) => ObjectValue {
  return (ctx) => {
    const record = priorRecord(ctx, store);
    const updated = ctx.cloud.put<R>(store.kind, record.id, { ...record, tags: effectiveTags(ctx, ctx.planned.tags) as Tags });
    return render(ctx, updated, ctx.planned);
  };
}

export const stores = {
  vpc: regionalStore<VpcRecord>(Kind.vpc, (id) => awsError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`)),
  subnet: regionalStore<SubnetRecord>(Kind.subnet,
    (id) => awsError('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`)),
  internetGateway: regionalStore<InternetGatewayRecord>(Kind.internetGateway,
    (id) => awsError('InvalidInternetGatewayID.NotFound', `The internetGateway ID '${id}' does not exist`)),
  eip: regionalStore<EipRecord>(Kind.eip,
    (id) => awsError('InvalidAllocationID.NotFound', `The allocation ID '${id}' does not exist`)),
  natGateway: regionalStore<NatGatewayRecord>(Kind.natGateway,
    (id) => awsError('NatGatewayNotFound', `The Nat Gateway ${id} was not found`)),
  routeTable: regionalStore<RouteTableRecord>(Kind.routeTable,
    (id) => awsError('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`)),
  route: regionalStore<RouteRecord>(Kind.route, (id) => awsError('InvalidRoute.NotFound', `no route ${id}`)),
  routeTableAssociation: regionalStore<RouteTableAssociationRecord>(Kind.routeTableAssociation,
    (id) => awsError('InvalidAssociationID.NotFound', `The association ID '${id}' does not exist`)),
  launchTemplate: regionalStore<LaunchTemplateRecord>(Kind.launchTemplate,
    (id) => awsError('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`)),
};

export function requireVpc(cloud: Cloud, id: string, region: string, path: Path = ['vpc_id']): VpcRecord {
  const vpc = find<VpcRecord>(cloud, Kind.vpc, id, region);
  if (!vpc) throw awsError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`, path);
  return vpc;
}

export function requireSubnet(cloud: Cloud, id: string, region: string, path: Path = ['subnet_id']): SubnetRecord {
  const subnet = find<SubnetRecord>(cloud, Kind.subnet, id, region);
  if (!subnet) throw awsError('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`, path);
  return subnet;
}

export function requireSecurityGroup(cloud: Cloud, id: string, region: string, path: Path = ['security_group_id']): SecurityGroupRecord {
  const group = find<SecurityGroupRecord>(cloud, Kind.securityGroup, id, region);
  if (!group) throw awsError('InvalidGroup.NotFound', `The security group '${id}' does not exist`, path);
  return group;
}

export function requireRouteTable(cloud: Cloud, id: string, region: string, path: Path = ['route_table_id']): RouteTableRecord {
  const table = find<RouteTableRecord>(cloud, Kind.routeTable, id, region);
  if (!table) throw awsError('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`, path);
  return table;
}

export function requireEip(cloud: Cloud, id: string, region: string, path: Path = ['allocation_id']): EipRecord {
  const eip = find<EipRecord>(cloud, Kind.eip, id, region);
  if (!eip) throw awsError('InvalidAllocationID.NotFound', `The allocation ID '${id}' does not exist`, path);
  return eip;
}

// --- counters ---------------------------------------------------------------------------------

/** The next value of a named counter kept in the cloud (starts at 1; never reused). */
export function nextCounter(cloud: Cloud, name: string): number {
  const counters = cloud.get<{ [k: string]: number }>(Kind.meta, 'counters') ?? {};
  const value = (counters[name] ?? 0) + 1;
  cloud.put(Kind.meta, 'counters', { ...counters, [name]: value });
  return value;
}

/**
 * A new public IPv4 address. The mock hands them out in order from 3.80.0.0/12 (a block EC2
 * really uses in us-east-1) and never reuses one, so every address it ever gave is unique.
 */
export function allocatePublicIp(cloud: Cloud): string {
  const n = nextCounter(cloud, 'public_ip');
  const base = 3 * 2 ** 24 + 80 * 2 ** 16; // 3.80.0.0
  // 254 addresses per /24 (.1 to .254), so none ends in .0 or .255.
  const value = base + Math.floor((n - 1) / 254) * 256 + ((n - 1) % 254) + 1;
  return [24, 16, 8, 0].map((s) => Math.floor(value / 2 ** s) % 256).join('.');
}

/** `ec2-3-80-0-1.compute-1.amazonaws.com` (us-east-1) or `ec2-….<region>.compute.amazonaws.com`. */
export function publicDnsName(ip: string, region: string): string {
  const host = `ec2-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.compute-1.amazonaws.com` : `${host}.${region}.compute.amazonaws.com`;
}

/** `ip-10-0-1-4.ec2.internal` (us-east-1) or `ip-….<region>.compute.internal`. */
export function privateDnsName(ip: string, region: string): string {
  const host = `ip-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/**
 * A unique generated name, as the provider makes them for resources without `name`:
 * `terraform-` (or the given prefix), a UTC timestamp and a counter, 26 digits in all.
 */
export function uniqueName(cloud: Cloud, prefix: string | null): string {
  const stamp = new Date().toISOString().replace(/[-:TZ.]/g, '').slice(0, 14);
  const counter = String(nextCounter(cloud, 'unique_name')).padStart(8, '0');
  return `${prefix ?? 'terraform-'}${stamp}0000${counter}`;
}

/**
 * The name prefix the provider reports for a name (`uniqueName` read backwards): the part before
 * the generated 26 digits, or "" for a name given in full.
 */
export function namePrefixFromName(name: string): string {
  return /^(.*)\d{26}$/.exec(name)?.[1] ?? '';
}
