import { isUnknown } from '../values/unknown';
import { JsonObject, ObjectValue, Value } from '../values/value';
import { OperationContext, ResourceType } from '../framework/types';
import { priorRecord, readRecord } from '../framework/records';
import { loadBalancerDependents } from './load-balancer';
import { computed, optional, optionalComputed, required } from '../schema/dsl';
import { ipv4Cidr } from '../schema/validators';
import {
  ACCOUNT_ID, arn, awsError, bool, effectiveTags, planCommon, readTags, REGION_ATTRIBUTE, regionOf, str, tagAttributes,
  timeoutsBlock, toJson,
} from './common';
import { contains, overlaps, parseCidr } from './cidr';
import {
  find, InstanceRecord, Kind, NatGatewayRecord, requireVpc, RouteTableAssociationRecord, stores, SubnetRecord, Tags,
} from './model';
import { availabilityZones, Zone } from './regions';
import { importById } from './resource-import';
import { awsQuota } from './quotas';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - CIDR inside the VPC, /16-/28 (InvalidSubnet.Range), no overlap (InvalidSubnet.Conflict): Amazon VPC User Guide, Subnet CIDR blocks; Amazon EC2 API Reference, CreateSubnet
 * - zone of the region: Amazon EC2 API Reference, CreateSubnet (AvailabilityZone)
 * - subnets per VPC (SubnetLimitExceeded): Amazon VPC User Guide, Amazon VPC quotas
 * - DeleteSubnet with instances or NAT gateways (DependencyViolation): Amazon EC2 API Reference, DeleteSubnet
 */

/**
 * `aws_subnet`, with CreateSubnet's checks: the block must lie inside the VPC's, be between /16
 * and /28 and overlap no other subnet of the VPC; the zone must be one of the region's. A subnet
 * cannot be deleted while instances or NAT gateways have addresses in it.
 */

/**
 * Launch options and other settings EC2 keeps on a subnet but the mock's rules do not look at:
 * stored as configured and read back, so a refresh or an import reports what was set.
 */
const OPTIONS = [
  'assign_ipv6_address_on_creation', 'customer_owned_ipv4_pool', 'enable_dns64', 'enable_lni_at_device_index',
  'enable_resource_name_dns_a_record_on_launch', 'enable_resource_name_dns_aaaa_record_on_launch', 'ipv6_cidr_block', 'ipv6_native',
  'map_customer_owned_ip_on_launch', 'outpost_arn', 'private_dns_hostname_type_on_launch',
] as const;

/** What EC2 reports for options never set (subnets made before the mock stored them). */
const OPTION_DEFAULTS: ObjectValue = {
  assign_ipv6_address_on_creation: false,
  enable_dns64: false,
  enable_resource_name_dns_a_record_on_launch: false,
  enable_resource_name_dns_aaaa_record_on_launch: false,
  ipv6_native: false,
  private_dns_hostname_type_on_launch: 'ip-name',
};

/** A subnet record with its options. */
interface StoredSubnet extends SubnetRecord {
  options: JsonObject;
}

function optionsOf(planned: ObjectValue): JsonObject {
  const options: ObjectValue = {};
  for (const name of OPTIONS) options[name] = isUnknown(planned[name]) ? OPTION_DEFAULTS[name] ?? null : planned[name] ?? null;
  return toJson(options);
}

function subnetState(ctx: OperationContext, s: SubnetRecord, state: ObjectValue | null): ObjectValue {
  const stored = (s as Partial<StoredSubnet>).options ?? {};
  const options = Object.fromEntries(OPTIONS.map((name) => [name, (stored[name] as Value | undefined) ?? OPTION_DEFAULTS[name] ?? null]));
  return {
    ...options,
    id: s.id,
    arn: arn('ec2', s.region, `subnet/${s.id}`),
    owner_id: ACCOUNT_ID,
    region: s.region,
    vpc_id: s.vpc_id,
    cidr_block: s.cidr_block,
    availability_zone: s.availability_zone,
    availability_zone_id: s.availability_zone_id,
    map_public_ip_on_launch: s.map_public_ip_on_launch,
    ipv6_cidr_block_association_id: '',
    ...readTags(ctx, s.tags, state),
  };
}

function zoneError(param: string, value: string, zones: readonly Zone[]): Error {
  return awsError('InvalidParameterValue',
    `Value (${value}) for parameter ${param} is invalid. Subnets can currently only be created in the following availability zones: ${zones.map((z) => z.name).join(', ')}.`,
    [param === 'availabilityZone' ? 'availability_zone' : 'availability_zone_id']);
}

/** The zone a new subnet goes to: the one asked for, else the VPC's least used one. */
function pickZone(ctx: OperationContext, planned: ObjectValue, region: string, vpcId: string): Zone {
  const zones = availabilityZones(region);
  const name = str(planned.availability_zone);
  const zoneId = str(planned.availability_zone_id);
  let zone: Zone | undefined;
  if (name !== null) {
    zone = zones.find((z) => z.name === name);
    if (!zone) throw zoneError('availabilityZone', name, zones);
  }
  if (zoneId !== null) {
    const byId = zones.find((z) => z.zoneId === zoneId);
    if (!byId) throw zoneError('availabilityZoneId', zoneId, zones);
    if (zone && zone !== byId) {
      throw awsError('InvalidParameterCombination', `The parameters availabilityZone (${name}) and availabilityZoneId (${zoneId}) name different zones.`);
    }
    zone = byId;
  }
  if (zone) return zone;
  const used = ctx.cloud.list<SubnetRecord>(Kind.subnet, (s) => s.vpc_id === vpcId).map((s) => s.availability_zone);
  return [...zones].sort((a, b) => used.filter((u) => u === a.name).length - used.filter((u) => u === b.name).length)[0];
}

export const subnet: ResourceType = {
  name: 'aws_subnet',
  schema: {
    version: 1,
    attributes: {
      arn: computed('string'),
      assign_ipv6_address_on_creation: optional('bool', { default: false }),
      availability_zone: optionalComputed('string', { forceNew: true }),
      availability_zone_id: optionalComputed('string', { forceNew: true }),
      cidr_block: optional('string', { forceNew: true, validate: ipv4Cidr() }),
      customer_owned_ipv4_pool: optional('string'),
      enable_dns64: optional('bool', { default: false }),
      enable_lni_at_device_index: optional('number'),
      enable_resource_name_dns_a_record_on_launch: optional('bool', { default: false }),
      enable_resource_name_dns_aaaa_record_on_launch: optional('bool', { default: false }),
      id: computed('string'),
      ipv6_cidr_block: optional('string'),
      ipv6_cidr_block_association_id: computed('string'),
      ipv6_native: optional('bool', { default: false, forceNew: true }),
      map_customer_owned_ip_on_launch: optional('bool'),
      map_public_ip_on_launch: optional('bool', { default: false }),
      outpost_arn: optional('string', { forceNew: true }),
      owner_id: computed('string'),
      private_dns_hostname_type_on_launch: optionalComputed('string'),
      region: REGION_ATTRIBUTE,
      vpc_id: required('string', { forceNew: true }),
      ...tagAttributes(),
    },
    blocks: { timeouts: timeoutsBlock('create', 'delete') },
  },
  plan: planCommon,
  create(ctx) {
    const region = regionOf(ctx, ctx.planned);
    const vpc = requireVpc(ctx.cloud, str(ctx.planned.vpc_id) ?? '', region);
    if (ctx.planned.ipv6_cidr_block !== null || ctx.planned.ipv6_native === true) {
      throw awsError('UnsupportedOperation', 'the Butter mock cloud does not simulate IPv6 subnets yet', ['ipv6_cidr_block']);
    }
    const text = str(ctx.planned.cidr_block);
    if (text === null) throw awsError('MissingParameter', 'The request must contain the parameter cidrBlock', ['cidr_block']);
    const cidr = parseCidr(text);
    const vpcCidr = parseCidr(vpc.cidr_block);
    if (!cidr || !vpcCidr || cidr.prefix < 16 || cidr.prefix > 28) {
      throw awsError('InvalidSubnet.Range', `The CIDR '${text}' is invalid.`, ['cidr_block'],
        'A subnet\'s block must be between /16 and /28.');
    }
    if (!contains(vpcCidr, cidr)) {
      throw awsError('InvalidSubnet.Range', `The CIDR '${text}' is invalid.`, ['cidr_block'],
        `It is not inside ${vpc.id}'s block ${vpc.cidr_block}.`);
    }
    const siblings = ctx.cloud.list<SubnetRecord>(Kind.subnet, (s) => s.vpc_id === vpc.id);
    // Amazon VPC quotas, "Subnets per VPC" (L-407747CB, default 200): CreateSubnet fails with SubnetLimitExceeded.
    if (siblings.length >= awsQuota('subnets_per_vpc')) {
      throw awsError('SubnetLimitExceeded', 'The maximum number of subnets has been reached.', ['vpc_id'],
        `${vpc.id} has ${siblings.length} subnets, the quota (AWS's default is 200; BUTTER_MOCK_QUOTAS raises it).`);
    }
    const clash = siblings
      .find((s) => { const other = parseCidr(s.cidr_block); return other !== null && overlaps(other, cidr); });
    if (clash) {
      throw awsError('InvalidSubnet.Conflict', `The CIDR '${text}' conflicts with another subnet`, ['cidr_block'],
        `${clash.id} has ${clash.cidr_block}.`);
    }
    const zone = pickZone(ctx, ctx.planned, region, vpc.id);
    const id = ctx.cloud.nextId('subnet');
    const record = ctx.cloud.put<StoredSubnet>(Kind.subnet, id, {
      id,
      region,
      vpc_id: vpc.id,
      cidr_block: text,
      availability_zone: zone.name,
      availability_zone_id: zone.zoneId,
      map_public_ip_on_launch: bool(ctx.planned.map_public_ip_on_launch) ?? false,
      tags: effectiveTags(ctx, ctx.planned.tags) as Tags,
      options: optionsOf(ctx.planned),
    });
    return subnetState(ctx, record, ctx.planned);
  },
  import: importById({ format: 'subnet-<id>', prefix: 'subnet', malformedCode: 'InvalidSubnetID.Malformed' }),
  read: readRecord(stores.subnet, subnetState),
  update(ctx) {
    const s = priorRecord(ctx, stores.subnet);
    const updated = ctx.cloud.put<StoredSubnet>(Kind.subnet, s.id, {
      ...s,
      map_public_ip_on_launch: bool(ctx.planned.map_public_ip_on_launch) ?? false,
      tags: effectiveTags(ctx, ctx.planned.tags) as Tags,
      options: optionsOf(ctx.planned),
    });
    return subnetState(ctx, updated, ctx.planned);
  },
  delete(ctx) {
    const id = str(ctx.state.id) ?? '';
    if (!find<SubnetRecord>(ctx.cloud, Kind.subnet, id, regionOf(ctx, ctx.state))) return;
    const dependents = [
      ...ctx.cloud.list<InstanceRecord>(Kind.instance, (i) => i.subnet_id === id).map((i) => `instance ${i.id} (${i.private_ip})`),
      ...ctx.cloud.list<NatGatewayRecord>(Kind.natGateway, (n) => n.subnet_id === id).map((n) => `NAT gateway ${n.id} (${n.private_ip})`),
      ...loadBalancerDependents(ctx.cloud, (lb) => lb.subnet_ids.includes(id)),
    ];
    if (dependents.length > 0) {
      throw awsError('DependencyViolation', `The subnet '${id}' has dependencies and cannot be deleted.`, undefined,
        `Network interfaces still in it: ${dependents.join(', ')}.`);
    }
    for (const a of ctx.cloud.list<RouteTableAssociationRecord>(Kind.routeTableAssociation, (a) => a.subnet_id === id)) {
      ctx.cloud.delete(Kind.routeTableAssociation, a.id);
    }
    ctx.cloud.delete(Kind.subnet, id);
  },
};
