import { Cloud } from '../cloud/cloud';
import { ObjectValue } from '../values/value';
import { isUnknown } from '../values/unknown';
import { OperationContext, ResourceType } from '../framework/types';
import { priorRecord, readRecord } from '../framework/records';
import { computed, optional, optionalComputed } from '../schema/dsl';
import { oneOf } from '../schema/validators';
import { set } from '../values/cty-type';
import {
  ACCOUNT_ID, arn, awsError, effectiveTags, hashHex, planCommon, readTags, REGION_ATTRIBUTE, regionOf, str, strings, tagAttributes,
  timeoutsBlock,
} from './common';
import { allocatePrivateIp, claimPrivateIp } from './addresses';
import {
  allocatePublicIp, EipRecord, find, InternetGatewayRecord, Kind, NatGatewayRecord, privateDnsName, publicDnsName, requireEip,
  requireSubnet, requireVpc, stores, Tags, updateTags,
} from './model';
import { importById } from './resource-import';
import { blackholeRoutesTo } from './routes';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - one internet gateway per VPC (Resource.AlreadyAssociated): Amazon EC2 API Reference, AttachInternetGateway
 * - public NAT gateways need an Elastic IP and an attached internet gateway (Gateway.NotAttached): Amazon VPC User Guide, NAT gateways and their troubleshooting page
 * - Elastic IPs in the VPC domain only: Amazon EC2 User Guide, EC2-Classic retirement
 * - releasing an associated address (InvalidIPAddress.InUse): Amazon EC2 API Reference, ReleaseAddress
 */

/**
 * The ways out of a VPC: `aws_internet_gateway`, `aws_eip` and `aws_nat_gateway`.
 *
 * Rules as in EC2: one internet gateway per VPC; a gateway cannot be detached while the VPC has
 * public addresses mapped through it (NAT gateways' Elastic IPs); a public NAT gateway needs an
 * unused Elastic IP and fails unless the VPC has an internet gateway; an Elastic IP in use
 * cannot be released. Routes to a deleted gateway stay behind as blackholes.
 */

// --- aws_internet_gateway ---------------------------------------------------------------------

function igwState(ctx: OperationContext, g: InternetGatewayRecord, state: ObjectValue | null): ObjectValue {
  return {
    id: g.id,
    arn: arn('ec2', g.region, `internet-gateway/${g.id}`),
    owner_id: ACCOUNT_ID,
    region: g.region,
    vpc_id: g.vpc_id,
    ...readTags(ctx, g.tags, state),
  };
}

function attach(cloud: Cloud, g: InternetGatewayRecord, vpcId: string): void {
  const vpc = requireVpc(cloud, vpcId, g.region);
  const other = cloud.list<InternetGatewayRecord>(Kind.internetGateway, (o) => o.vpc_id === vpc.id && o.id !== g.id)[0];
  if (other) {
    throw awsError('Resource.AlreadyAssociated', `resource ${vpc.id} is already attached to network gateway ${other.id}`, ['vpc_id']);
  }
  cloud.put(Kind.internetGateway, g.id, { ...g, vpc_id: vpc.id });
}

/**
 * DetachInternetGateway refuses while NAT gateways' Elastic IPs are mapped in the VPC. (EC2 also
 * counts instances' public addresses; the real provider retries the detach for up to 15 minutes
 * while Terraform deletes the instances in parallel, so the mock does not count those.)
 */
function detach(cloud: Cloud, g: InternetGatewayRecord): void {
  if (!g.vpc_id) return;
  const vpcId = g.vpc_id;
  const mapped = cloud.list<NatGatewayRecord>(Kind.natGateway, (n) => n.vpc_id === vpcId && n.public_ip !== null);
  if (mapped.length > 0) {
    throw awsError('DependencyViolation', `Network ${vpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`,
      undefined, `Mapped through: ${mapped.map((n) => `${n.id} (${n.public_ip})`).join(', ')}.`);
  }
  cloud.put(Kind.internetGateway, g.id, { ...g, vpc_id: null });
  blackholeRoutesTo(cloud, g.id);
}

export const internetGateway: ResourceType = {
  name: 'aws_internet_gateway',
  schema: {
    attributes: {
      arn: computed('string'),
      id: computed('string'),
      owner_id: computed('string'),
      region: REGION_ATTRIBUTE,
      vpc_id: optional('string'),
      ...tagAttributes(),
    },
    blocks: { timeouts: timeoutsBlock('create', 'update', 'delete') },
  },
  plan: planCommon,
  create(ctx) {
    const region = regionOf(ctx, ctx.planned);
    const id = ctx.cloud.nextId('igw');
    const g = ctx.cloud.put<InternetGatewayRecord>(Kind.internetGateway, id, {
      id, region, vpc_id: null, tags: effectiveTags(ctx, ctx.planned.tags) as Tags,
    });
    const vpcId = str(ctx.planned.vpc_id);
    if (vpcId) attach(ctx.cloud, g, vpcId);
    return igwState(ctx, ctx.cloud.get<InternetGatewayRecord>(Kind.internetGateway, id) ?? g, ctx.planned);
  },
  import: importById({ format: 'igw-<id>', prefix: 'igw', malformedCode: 'InvalidInternetGatewayID.Malformed' }),
  read: readRecord(stores.internetGateway, igwState),
  update(ctx) {
    const g = priorRecord(ctx, stores.internetGateway);
    const id = g.id;
    const vpcId = str(ctx.planned.vpc_id);
    if (g.vpc_id !== vpcId) {
      detach(ctx.cloud, g);
      if (vpcId) attach(ctx.cloud, ctx.cloud.get<InternetGatewayRecord>(Kind.internetGateway, id) ?? g, vpcId);
    }
    const current = ctx.cloud.get<InternetGatewayRecord>(Kind.internetGateway, id) ?? g;
    const updated = ctx.cloud.put(Kind.internetGateway, id, { ...current, tags: effectiveTags(ctx, ctx.planned.tags) as Tags });
    return igwState(ctx, updated, ctx.planned);
  },
  delete(ctx) {
    const id = str(ctx.state.id) ?? '';
    const g = find<InternetGatewayRecord>(ctx.cloud, Kind.internetGateway, id, regionOf(ctx, ctx.state));
    if (!g) return;
    detach(ctx.cloud, g);
    ctx.cloud.delete(Kind.internetGateway, id);
  },
};

// --- aws_eip ------------------------------------------------------------------------------------

function eipState(ctx: OperationContext, e: EipRecord, state: ObjectValue | null): ObjectValue {
  return {
    id: e.id,
    allocation_id: e.id,
    arn: arn('ec2', e.region, `elastic-ip/${e.id}`),
    region: e.region,
    domain: e.domain,
    public_ip: e.public_ip,
    public_dns: publicDnsName(e.public_ip, e.region),
    public_ipv4_pool: e.public_ipv4_pool,
    network_border_group: e.network_border_group,
    association_id: e.association_id ?? '',
    network_interface: e.network_interface_id ?? '',
    instance: e.instance_id ?? '',
    private_ip: e.private_ip ?? '',
    private_dns: e.private_ip ? privateDnsName(e.private_ip, e.region) : null,
    carrier_ip: '',
    customer_owned_ip: '',
    ptr_record: '',
    ...readTags(ctx, e.tags, state),
  };
}

export const eip: ResourceType = {
  name: 'aws_eip',
  schema: {
    attributes: {
      address: optional('string', { forceNew: true }),
      allocation_id: computed('string'),
      arn: computed('string'),
      associate_with_private_ip: optional('string'),
      association_id: computed('string'),
      carrier_ip: computed('string'),
      customer_owned_ip: computed('string'),
      customer_owned_ipv4_pool: optional('string', { forceNew: true }),
      domain: optionalComputed('string', { forceNew: true, validate: oneOf('vpc', 'standard') }),
      id: computed('string'),
      instance: optionalComputed('string'),
      ipam_pool_id: optional('string', { forceNew: true }),
      network_border_group: optionalComputed('string', { forceNew: true }),
      network_interface: optionalComputed('string'),
      private_dns: computed('string'),
      private_ip: computed('string'),
      ptr_record: computed('string'),
      public_dns: computed('string'),
      public_ip: computed('string'),
      public_ipv4_pool: optionalComputed('string', { forceNew: true }),
      region: REGION_ATTRIBUTE,
      ...tagAttributes(),
    },
    blocks: { timeouts: timeoutsBlock('read', 'update', 'delete') },
  },
  plan: planCommon,
  create(ctx) {
    const region = regionOf(ctx, ctx.planned);
    for (const a of ['instance', 'network_interface', 'address', 'ipam_pool_id', 'customer_owned_ipv4_pool'] as const) {
      if (ctx.config[a] !== null && !isUnknown(ctx.planned[a])) {
        throw awsError('UnsupportedOperation', `the Butter mock cloud does not simulate aws_eip's ${a} yet`, [a],
          'The mock allocates Elastic IPs from Amazon\'s pool and associates them with NAT gateways.');
      }
    }
    if (str(ctx.planned.domain) === 'standard') {
      throw awsError('InvalidParameterValue', 'EC2-Classic is retired: Elastic IPs are only available in the VPC domain', ['domain']);
    }
    const id = ctx.cloud.nextId('eipalloc');
    const record = ctx.cloud.put<EipRecord>(Kind.eip, id, {
      id,
      region,
      public_ip: allocatePublicIp(ctx.cloud),
      domain: 'vpc',
      network_border_group: str(ctx.planned.network_border_group) ?? region,
      public_ipv4_pool: str(ctx.planned.public_ipv4_pool) ?? 'amazon',
      association_id: null,
      network_interface_id: null,
      private_ip: null,
      instance_id: null,
      tags: effectiveTags(ctx, ctx.planned.tags) as Tags,
    });
    return eipState(ctx, record, ctx.planned);
  },
  // By allocation id, the provider's only import id for VPC addresses.
  import: importById({ format: 'eipalloc-<id> (the allocation id)', prefix: 'eipalloc', malformedCode: 'InvalidAllocationID.Malformed' }),
  read: readRecord(stores.eip, eipState),
  // Only the tags can change in place (ModifyTags).
  update: updateTags(stores.eip, eipState),
  delete(ctx) {
    const e = find<EipRecord>(ctx.cloud, Kind.eip, str(ctx.state.id) ?? '', regionOf(ctx, ctx.state));
    if (!e) return;
    if (e.association_id) {
      throw awsError('InvalidIPAddress.InUse', `Address ${e.public_ip} is in use.`, undefined,
        `It is associated with ${e.network_interface_id ?? e.instance_id}; delete what uses it first.`);
    }
    ctx.cloud.delete(Kind.eip, e.id);
  },
};

// --- aws_nat_gateway ------------------------------------------------------------------------

function natState(ctx: OperationContext, n: NatGatewayRecord, state: ObjectValue | null): ObjectValue {
  return {
    id: n.id,
    region: n.region,
    allocation_id: n.allocation_id,
    association_id: n.association_id ?? '',
    availability_mode: 'zonal',
    connectivity_type: n.connectivity_type,
    network_interface_id: n.network_interface_id,
    private_ip: n.private_ip,
    public_ip: n.public_ip ?? '',
    secondary_allocation_ids: state?.secondary_allocation_ids ?? null,
    secondary_private_ip_address_count: 0,
    secondary_private_ip_addresses: [],
    subnet_id: n.subnet_id,
    vpc_id: n.vpc_id,
    ...readTags(ctx, n.tags, state),
  };
}

export const natGateway: ResourceType = {
  name: 'aws_nat_gateway',
  schema: {
    attributes: {
      allocation_id: optional('string', { forceNew: true }),
      association_id: computed('string'),
      availability_mode: optionalComputed('string', { forceNew: true, validate: oneOf('zonal', 'regional') }),
      connectivity_type: optional('string', { default: 'public', forceNew: true, validate: oneOf('public', 'private') }),
      id: computed('string'),
      network_interface_id: computed('string'),
      private_ip: optionalComputed('string', { forceNew: true }),
      public_ip: computed('string'),
      region: REGION_ATTRIBUTE,
      secondary_allocation_ids: optional(set('string')),
      secondary_private_ip_address_count: optionalComputed('number'),
      secondary_private_ip_addresses: optionalComputed(set('string')),
      subnet_id: optional('string', { forceNew: true }),
      vpc_id: optionalComputed('string', { forceNew: true }),
      ...tagAttributes(),
    },
    blocks: { timeouts: timeoutsBlock('create', 'update', 'delete') },
  },
  plan: planCommon,
  create(ctx) {
    const region = regionOf(ctx, ctx.planned);
    if (str(ctx.planned.availability_mode) === 'regional') {
      throw awsError('UnsupportedOperation', 'the Butter mock cloud does not simulate regional NAT gateways yet', ['availability_mode']);
    }
    if (strings(ctx.planned.secondary_allocation_ids).length > 0) {
      throw awsError('UnsupportedOperation', 'the Butter mock cloud does not simulate secondary NAT gateway addresses yet', ['secondary_allocation_ids']);
    }
    const subnetId = str(ctx.planned.subnet_id);
    if (!subnetId) throw awsError('MissingParameter', 'The request must contain the parameter SubnetId', ['subnet_id']);
    const subnet = requireSubnet(ctx.cloud, subnetId, region);
    const publicNat = str(ctx.planned.connectivity_type) !== 'private';
    let allocation: EipRecord | null = null;
    if (publicNat) {
      const allocationId = str(ctx.planned.allocation_id);
      if (!allocationId) {
        throw awsError('MissingParameter', 'A public NAT gateway needs an Elastic IP: the request must contain the parameter AllocationId', ['allocation_id']);
      }
      allocation = requireEip(ctx.cloud, allocationId, region);
      if (allocation.association_id) {
        throw awsError('Resource.AlreadyAssociated', `Elastic IP address [${allocationId}] is already associated`, ['allocation_id']);
      }
      const igw = ctx.cloud.list<InternetGatewayRecord>(Kind.internetGateway, (g) => g.vpc_id === subnet.vpc_id)[0];
      if (!igw) {
        throw awsError('Gateway.NotAttached', `Network ${subnet.vpc_id} has no Internet gateway attached`, undefined,
          'The NAT gateway went to state "failed": a public NAT gateway needs an internet gateway attached to its VPC first (depends_on it).');
      }
    } else if (ctx.planned.allocation_id !== null) {
      throw awsError('InvalidParameterCombination', 'A private NAT gateway cannot have an Elastic IP', ['allocation_id']);
    }
    const wantedIp = str(ctx.planned.private_ip);
    const privateIp = wantedIp ? claimPrivateIp(ctx.cloud, subnet, wantedIp, ['private_ip']) : allocatePrivateIp(ctx.cloud, subnet);
    const id = ctx.cloud.nextId('nat');
    const eni = `eni-${hashHex(`eni:${id}`, 17)}`;
    const association = allocation ? `eipassoc-${hashHex(`eipassoc:${id}`, 17)}` : null;
    const record = ctx.cloud.put<NatGatewayRecord>(Kind.natGateway, id, {
      id,
      region,
      vpc_id: subnet.vpc_id,
      subnet_id: subnet.id,
      connectivity_type: publicNat ? 'public' : 'private',
      allocation_id: allocation?.id ?? null,
      association_id: association,
      network_interface_id: eni,
      private_ip: privateIp,
      public_ip: allocation?.public_ip ?? null,
      tags: effectiveTags(ctx, ctx.planned.tags) as Tags,
    });
    if (allocation) {
      ctx.cloud.put(Kind.eip, allocation.id, { ...allocation, association_id: association, network_interface_id: eni, private_ip: privateIp });
    }
    return natState(ctx, record, ctx.planned);
  },
  import: importById({ format: 'nat-<id>', prefix: 'nat', malformedCode: 'NatGatewayMalformed' }),
  read: readRecord(stores.natGateway, natState),
  // Only the tags can change in place (ModifyTags).
  update: updateTags(stores.natGateway, natState),
  delete(ctx) {
    const id = str(ctx.state.id) ?? '';
    const n = find<NatGatewayRecord>(ctx.cloud, Kind.natGateway, id, regionOf(ctx, ctx.state));
    if (!n) return;
    if (n.allocation_id) {
      const e = ctx.cloud.get<EipRecord>(Kind.eip, n.allocation_id);
      if (e) ctx.cloud.put(Kind.eip, e.id, { ...e, association_id: null, network_interface_id: null, private_ip: null });
    }
    blackholeRoutesTo(ctx.cloud, id);
    ctx.cloud.delete(Kind.natGateway, id);
  },
};
