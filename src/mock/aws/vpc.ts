import { Cloud } from '../cloud/cloud';
import { ObjectValue } from '../values/value';
import { UNKNOWN } from '../values/unknown';
import { OperationContext, ResourceType } from '../framework/types';
import { priorRecord, readRecord } from '../framework/records';
import { computed, optional, optionalComputed } from '../schema/dsl';
import { ipv4Cidr, oneOf } from '../schema/validators';
import {
  ACCOUNT_ID, arn, awsError, bool, changed, effectiveTags, hashHex, planCommon, readTags, REGION_ATTRIBUTE, regionOf, str,
  tagAttributes,
} from './common';
import { parseCidr } from './cidr';
import {
  find, InternetGatewayRecord, Kind, RouteTableRecord, SecurityGroupRecord, stores, SubnetRecord, Tags, VpcRecord,
} from './model';
import { importById } from './resource-import';
import { createMainRouteTable, removeRouteTable } from './routes';
import { createDefaultSecurityGroup, removeGroup } from './security-groups';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - CIDR /16-/28 (InvalidVpc.Range): Amazon VPC User Guide, VPC CIDR blocks
 * - DeleteVpc with dependents (DependencyViolation): Amazon EC2 API Reference, DeleteVpc
 */

/**
 * `aws_vpc`. Like CreateVpc, a new VPC comes with a main route table, a default security group
 * (members may talk to each other, anything may go out), a default network ACL and the region's
 * default DHCP options; they go when the VPC goes. A VPC cannot be deleted while anything else
 * is still in it.
 */

/**
 * The id of the region's default DHCP option set, which every VPC of the region shares. It is
 * AWS's, not the account's creation, so the mock derives it rather than storing an object that
 * would outlive every VPC.
 */
function defaultDhcpOptions(region: string): string {
  return `dopt-${hashHex(`dopt:${region}`, 17)}`;
}

function vpcState(ctx: OperationContext, v: VpcRecord, state: ObjectValue | null): ObjectValue {
  return {
    id: v.id,
    arn: arn('ec2', v.region, `vpc/${v.id}`),
    owner_id: ACCOUNT_ID,
    region: v.region,
    cidr_block: v.cidr_block,
    instance_tenancy: v.instance_tenancy,
    enable_dns_support: v.enable_dns_support,
    enable_dns_hostnames: v.enable_dns_hostnames,
    enable_network_address_usage_metrics: v.enable_network_address_usage_metrics,
    // Configuration-only unless the VPC has Amazon's IPv6 block (how an import learns it).
    assign_generated_ipv6_cidr_block: state?.assign_generated_ipv6_cidr_block ?? (v.ipv6_cidr_block ? true : null),
    ipv6_cidr_block: v.ipv6_cidr_block ?? '',
    ipv6_association_id: v.ipv6_association_id ?? '',
    ipv6_cidr_block_network_border_group: v.ipv6_cidr_block ? v.region : '',
    default_security_group_id: v.default_security_group_id,
    default_route_table_id: v.main_route_table_id,
    main_route_table_id: v.main_route_table_id,
    default_network_acl_id: v.default_network_acl_id,
    dhcp_options_id: v.dhcp_options_id,
    ...readTags(ctx, v.tags, state),
  };
}

/** An Amazon-provided /56 (2600:1f18::/32 is one of EC2's real IPv6 pools). */
function ipv6Block(vpcId: string): string {
  const h = hashHex(`ipv6:${vpcId}`, 6);
  return `2600:1f18:${h.slice(0, 4)}:${h.slice(4, 6)}00::/56`;
}

/** What still lives in a VPC (its own default group, main table and ACL excepted). */
export function vpcDependents(cloud: Cloud, vpcId: string): string[] {
  return [
    ...cloud.list<SubnetRecord>(Kind.subnet, (s) => s.vpc_id === vpcId).map((s) => `subnet ${s.id}`),
    ...cloud.list<InternetGatewayRecord>(Kind.internetGateway, (g) => g.vpc_id === vpcId).map((g) => `internet gateway ${g.id}`),
    ...cloud.list<SecurityGroupRecord>(Kind.securityGroup, (g) => g.vpc_id === vpcId && !g.is_default).map((g) => `security group ${g.id}`),
    ...cloud.list<RouteTableRecord>(Kind.routeTable, (t) => t.vpc_id === vpcId && !t.main).map((t) => `route table ${t.id}`),
  ];
}

export const vpc: ResourceType = {
  name: 'aws_vpc',
  schema: {
    version: 1,
    attributes: {
      arn: computed('string'),
      assign_generated_ipv6_cidr_block: optional('bool'),
      cidr_block: optionalComputed('string', { forceNew: true, validate: ipv4Cidr() }),
      default_network_acl_id: computed('string'),
      default_route_table_id: computed('string'),
      default_security_group_id: computed('string'),
      dhcp_options_id: computed('string'),
      enable_dns_hostnames: optionalComputed('bool'),
      enable_dns_support: optional('bool', { default: true }),
      enable_network_address_usage_metrics: optionalComputed('bool'),
      id: computed('string'),
      instance_tenancy: optional('string', { default: 'default', validate: oneOf('default', 'dedicated') }),
      ipv4_ipam_pool_id: optional('string', { forceNew: true }),
      ipv4_netmask_length: optional('number', { forceNew: true }),
      ipv6_association_id: computed('string'),
      ipv6_cidr_block: optionalComputed('string'),
      ipv6_cidr_block_network_border_group: optionalComputed('string'),
      ipv6_ipam_pool_id: optional('string'),
      ipv6_netmask_length: optional('number'),
      main_route_table_id: computed('string'),
      owner_id: computed('string'),
      region: REGION_ATTRIBUTE,
      ...tagAttributes(),
    },
  },
  validate(ctx) {
    if (ctx.config.cidr_block === null && ctx.config.ipv4_ipam_pool_id === null) {
      ctx.error('Missing required argument', { detail: '"cidr_block": one of `cidr_block,ipv4_ipam_pool_id` must be specified' });
    }
  },
  plan(ctx) {
    planCommon(ctx);
    if (ctx.prior && changed(ctx, 'assign_generated_ipv6_cidr_block')) {
      ctx.planned.ipv6_cidr_block = UNKNOWN;
      ctx.planned.ipv6_association_id = UNKNOWN;
      ctx.planned.ipv6_cidr_block_network_border_group = UNKNOWN;
    }
  },
  create(ctx) {
    const region = regionOf(ctx, ctx.planned);
    if (ctx.planned.ipv4_ipam_pool_id !== null || ctx.planned.ipv6_ipam_pool_id !== null) {
      throw awsError('UnsupportedOperation', 'the Butter mock cloud does not simulate IPAM pools yet', ['ipv4_ipam_pool_id']);
    }
    const text = str(ctx.planned.cidr_block) ?? '';
    const cidr = parseCidr(text);
    if (!cidr || cidr.prefix < 16 || cidr.prefix > 28) {
      throw awsError('InvalidVpc.Range', `The CIDR '${text}' is invalid.`, ['cidr_block'],
        'A VPC\'s IPv4 block must be between /16 (65,536 addresses) and /28 (16 addresses).');
    }
    const id = ctx.cloud.nextId('vpc');
    const group = createDefaultSecurityGroup(ctx.cloud, id, region);
    const table = createMainRouteTable(ctx.cloud, id, region);
    const acl = ctx.cloud.nextId('acl');
    ctx.cloud.put(Kind.networkAcl, acl, { id: acl, region, vpc_id: id, is_default: true });
    const ipv6 = bool(ctx.planned.assign_generated_ipv6_cidr_block) === true;
    const record = ctx.cloud.put<VpcRecord>(Kind.vpc, id, {
      id,
      region,
      cidr_block: text,
      instance_tenancy: str(ctx.planned.instance_tenancy) ?? 'default',
      enable_dns_support: bool(ctx.planned.enable_dns_support) ?? true,
      enable_dns_hostnames: bool(ctx.planned.enable_dns_hostnames) ?? false,
      enable_network_address_usage_metrics: bool(ctx.planned.enable_network_address_usage_metrics) ?? false,
      ipv6_cidr_block: ipv6 ? ipv6Block(id) : null,
      ipv6_association_id: ipv6 ? `vpc-cidr-assoc-${hashHex(`assoc:${id}`, 17)}` : null,
      default_security_group_id: group.id,
      main_route_table_id: table.id,
      default_network_acl_id: acl,
      dhcp_options_id: defaultDhcpOptions(region),
      tags: effectiveTags(ctx, ctx.planned.tags) as Tags,
    });
    return vpcState(ctx, record, ctx.planned);
  },
  import: importById({ format: 'vpc-<id>', prefix: 'vpc', malformedCode: 'InvalidVpcID.Malformed' }),
  read: readRecord(stores.vpc, vpcState),
  update(ctx) {
    const v = priorRecord(ctx, stores.vpc);
    const ipv6 = bool(ctx.planned.assign_generated_ipv6_cidr_block) === true;
    const updated = ctx.cloud.put<VpcRecord>(Kind.vpc, v.id, {
      ...v,
      instance_tenancy: str(ctx.planned.instance_tenancy) ?? v.instance_tenancy,
      enable_dns_support: bool(ctx.planned.enable_dns_support) ?? v.enable_dns_support,
      enable_dns_hostnames: bool(ctx.planned.enable_dns_hostnames) ?? v.enable_dns_hostnames,
      enable_network_address_usage_metrics: bool(ctx.planned.enable_network_address_usage_metrics) ?? v.enable_network_address_usage_metrics,
      ipv6_cidr_block: ipv6 ? v.ipv6_cidr_block ?? ipv6Block(v.id) : null,
      ipv6_association_id: ipv6 ? v.ipv6_association_id ?? `vpc-cidr-assoc-${hashHex(`assoc:${v.id}`, 17)}` : null,
      tags: effectiveTags(ctx, ctx.planned.tags) as Tags,
    });
    return vpcState(ctx, updated, ctx.planned);
  },
  delete(ctx) {
    const id = str(ctx.state.id) ?? '';
    const v = find<VpcRecord>(ctx.cloud, Kind.vpc, id, regionOf(ctx, ctx.state));
    if (!v) return;
    const dependents = vpcDependents(ctx.cloud, id);
    if (dependents.length > 0) {
      throw awsError('DependencyViolation', `The vpc '${id}' has dependencies and cannot be deleted.`, undefined,
        `Still in it: ${dependents.join(', ')}.`);
    }
    removeGroup(ctx.cloud, v.default_security_group_id);
    removeRouteTable(ctx.cloud, v.main_route_table_id);
    ctx.cloud.delete(Kind.networkAcl, v.default_network_acl_id);
    ctx.cloud.delete(Kind.vpc, id);
  },
};
