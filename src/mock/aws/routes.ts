import { Cloud } from '../cloud/cloud';
import { ObjectValue, Value } from '../values/value';
import { isUnknown, UNKNOWN } from '../values/unknown';
import { canonicalKey } from '../values/compare';
import { CreateContext, ImportContext, OperationContext, ResourceType, ValidateContext } from '../framework/types';
import { priorRecord, readRecord } from '../framework/records';
import { computed, optional, optionalComputed, required } from '../schema/dsl';
import { object, set } from '../values/cty-type';
import {
  ACCOUNT_ID, arn, awsError, changed, effectiveTags, objects, planCommon, readTags, REGION_ATTRIBUTE, regionOf, str, strings,
  tagAttributes, timeoutsBlock,
} from './common';
import { contains, parseCidr } from './cidr';
import { importById, splitPair } from './resource-import';
import {
  find, InternetGatewayRecord, Kind, NatGatewayRecord, requireRouteTable, requireSubnet, requireVpc, RouteRecord,
  RouteTableAssociationRecord, RouteTableRecord, stores, SubnetRecord, Tags, VpcRecord,
} from './model';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - one route per destination (RouteAlreadyExists), targets in the table's VPC: Amazon EC2 API Reference, CreateRoute
 * - routes within the VPC's range: Amazon VPC User Guide, Routing for more specific routes (August 2021)
 * - associations (Resource.AlreadyAssociated) and DeleteRouteTable with associations (DependencyViolation): Amazon EC2 API Reference, AssociateRouteTable / DeleteRouteTable
 */

/**
 * Routing: `aws_route_table` (plus the main table every VPC has), `aws_route` and
 * `aws_route_table_association`. Routes are records of their own, so routes made by
 * `aws_route` show up in the table's `route` attribute on refresh, as in the real provider.
 * The mock routes to internet gateways and NAT gateways; other targets are reported as not
 * simulated.
 */

/** Route targets by attribute name; only the first two are simulated. */
const TARGETS = [
  'gateway_id', 'nat_gateway_id', 'carrier_gateway_id', 'core_network_arn', 'egress_only_gateway_id', 'local_gateway_id',
  'network_interface_id', 'transit_gateway_id', 'vpc_endpoint_id', 'vpc_peering_connection_id',
] as const;
const DESTINATIONS = ['destination_cidr_block', 'destination_ipv6_cidr_block', 'destination_prefix_list_id'] as const;

/** CRC-32 (IEEE), which the provider uses to make route ids. */
function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** `r-<table id><crc32 of the destination>`: the id the provider gives a route. */
export function routeId(tableId: string, destination: string): string {
  return `r-${tableId}${crc32(destination)}`;
}

/** Create the main route table of a new VPC. */
export function createMainRouteTable(cloud: Cloud, vpcId: string, region: string): RouteTableRecord {
  const id = cloud.nextId('rtb');
  return cloud.put<RouteTableRecord>(Kind.routeTable, id, { id, region, vpc_id: vpcId, main: true, propagating_vgws: [], tags: {} });
}

/** Remove a table with its routes (and associations, when its VPC goes). */
export function removeRouteTable(cloud: Cloud, id: string): void {
  for (const r of cloud.list<RouteRecord>(Kind.route, (r) => r.route_table_id === id)) cloud.delete(Kind.route, r.id);
  for (const a of cloud.list<RouteTableAssociationRecord>(Kind.routeTableAssociation, (a) => a.route_table_id === id)) {
    cloud.delete(Kind.routeTableAssociation, a.id);
  }
  cloud.delete(Kind.routeTable, id);
}

/** Routes whose target is gone become blackholes (the route stays, traffic is dropped). */
export function blackholeRoutesTo(cloud: Cloud, target: string): void {
  for (const r of cloud.list<RouteRecord>(Kind.route, (r) => Object.values(r.targets).includes(target))) {
    cloud.put(Kind.route, r.id, { ...r, state: 'blackhole' });
  }
}

// --- the checks CreateRoute makes -----------------------------------------------------------

interface RouteSpec {
  destination_cidr_block: string | null;
  destination_ipv6_cidr_block: string | null;
  destination_prefix_list_id: string | null;
  targets: { [target: string]: string };
}

function destinationOf(r: RouteSpec): string {
  return r.destination_cidr_block ?? r.destination_ipv6_cidr_block ?? r.destination_prefix_list_id ?? '';
}

function checkRoute(cloud: Cloud, table: RouteTableRecord, spec: RouteSpec, path: (string | number)[], replacing?: string): void {
  const vpc = requireVpc(cloud, table.vpc_id, table.region);
  const destination = destinationOf(spec);
  const dest = spec.destination_cidr_block ? parseCidr(spec.destination_cidr_block) : null;
  const vpcCidr = parseCidr(vpc.cidr_block);
  const targetNames = Object.keys(spec.targets);
  if (dest && vpcCidr && contains(vpcCidr, dest)) checkMoreSpecific(cloud, vpc.id, spec, targetNames, path);
  for (const [target, id] of Object.entries(spec.targets)) {
    if (target === 'gateway_id') {
      if (id === 'local') continue;
      const igw = find<InternetGatewayRecord>(cloud, Kind.internetGateway, id, table.region);
      if (!igw) throw awsError('InvalidGatewayID.NotFound', `The gateway ID '${id}' does not exist`, [...path, target]);
      if (igw.vpc_id !== table.vpc_id) {
        throw awsError('InvalidParameterValue', `route table ${table.id} and network gateway ${id} belong to different networks`, [...path, target],
          igw.vpc_id ? `${id} is attached to ${igw.vpc_id}; the table is in ${table.vpc_id}.` : `${id} is not attached to any VPC.`);
      }
    } else if (target === 'nat_gateway_id') {
      const nat = find<NatGatewayRecord>(cloud, Kind.natGateway, id, table.region);
      if (!nat) throw awsError('InvalidNatGatewayID.NotFound', `The natGateway ID '${id}' does not exist`, [...path, target]);
      if (nat.vpc_id !== table.vpc_id) {
        throw awsError('InvalidParameterValue', `route table ${table.id} and network gateway ${id} belong to different networks`, [...path, target]);
      }
    } else {
      throw awsError('UnsupportedOperation', `the Butter mock cloud does not simulate routes with ${target} yet`, [...path, target],
        'Simulated route targets: gateway_id (internet gateways) and nat_gateway_id.');
    }
  }
  const clash = cloud.list<RouteRecord>(Kind.route, (r) => r.route_table_id === table.id && r.id !== replacing && destinationOf(r) === destination);
  if (clash.length > 0) throw awsError('RouteAlreadyExists', `The route identified by ${destination} already exists.`, path);
}

/**
 * Routes inside the VPC's range. Amazon VPC User Guide, "Route tables > Routing for more specific
 * routes" (since August 2021): a route more specific than the local route must match the whole
 * CIDR of one of the VPC's subnets and target a NAT gateway, a network interface or a Gateway Load
 * Balancer endpoint (the mock simulates the first two); a route for the VPC's whole range targets
 * only an interface (it replaces the local route's target).
 */
function checkMoreSpecific(cloud: Cloud, vpcId: string, spec: RouteSpec, targetNames: string[], path: (string | number)[]): void {
  const destination = destinationOf(spec);
  const vpc = cloud.get<VpcRecord>(Kind.vpc, vpcId);
  const whole = vpc !== undefined && destination === vpc.cidr_block;
  const allowed = whole
    ? targetNames.length > 0 && targetNames.every((t) => t === 'network_interface_id')
    : targetNames.length > 0 && targetNames.every((t) => t === 'network_interface_id' || t === 'nat_gateway_id');
  if (!allowed) {
    // EC2's text for a route over the VPC's range to an unsupported target (hashicorp/terraform issue
    // 26018, a peering route to the VPC's CIDR: "InvalidParameterValue: Route target is not supported.
    // This route only supports interface and instance targets."). No public record of the text for a
    // subnet-sized route to, say, an internet gateway was found; the mock gives it the same.
    throw awsError('InvalidParameterValue', 'Route target is not supported. This route only supports interface and instance targets.', path,
      `${destination} is ${whole ? 'the VPC\'s own range' : 'inside the VPC\'s range'}: routes there may target a network interface${whole ? '' : ' or a NAT gateway (Gateway Load Balancer endpoints too, which the mock does not simulate)'}.`);
  }
  if (vpc && !whole && !cloud.list<SubnetRecord>(Kind.subnet, (s) => s.vpc_id === vpcId).some((s) => s.cidr_block === destination)) {
    // EC2's text, as users quote it (e.g. "api error InvalidParameterValue: Route destination doesn't
    // match any subnet CIDR blocks." for a /24 inside a VPC's /24 range to an interface).
    throw awsError('InvalidParameterValue', "Route destination doesn't match any subnet CIDR blocks.", path,
      `A route more specific than ${vpc.cidr_block} must name exactly one subnet's CIDR block of ${vpcId}.`);
  }
}

function putRoute(cloud: Cloud, table: RouteTableRecord, spec: RouteSpec): RouteRecord {
  const id = routeId(table.id, destinationOf(spec));
  return cloud.put<RouteRecord>(Kind.route, id, { id, region: table.region, route_table_id: table.id, ...spec, state: 'active' });
}

function specFrom(v: ObjectValue, inline: boolean): RouteSpec {
  const targets: { [t: string]: string } = {};
  for (const t of TARGETS) {
    const value = str(v[t]);
    if (value) targets[t] = value;
  }
  return {
    destination_cidr_block: str(inline ? v.cidr_block : v.destination_cidr_block) || null,
    destination_ipv6_cidr_block: str(inline ? v.ipv6_cidr_block : v.destination_ipv6_cidr_block) || null,
    destination_prefix_list_id: str(v.destination_prefix_list_id) || null,
    targets,
  };
}

function exactlyOne(ctx: ValidateContext, names: readonly string[], what: string): void {
  const configured = names.filter((n) => ctx.config[n] !== null && ctx.config[n] !== undefined);
  if (configured.some((n) => isUnknown(ctx.config[n]))) return;
  if (configured.length !== 1) {
    ctx.error('Invalid combination of arguments', { detail: `exactly one of ${what} must be specified: ${names.join(', ')}` });
  }
}

// --- aws_route_table ---------------------------------------------------------------------------

const INLINE_ROUTE = object({
  carrier_gateway_id: 'string',
  cidr_block: 'string',
  core_network_arn: 'string',
  destination_prefix_list_id: 'string',
  egress_only_gateway_id: 'string',
  gateway_id: 'string',
  ipv6_cidr_block: 'string',
  local_gateway_id: 'string',
  nat_gateway_id: 'string',
  network_interface_id: 'string',
  transit_gateway_id: 'string',
  vpc_endpoint_id: 'string',
  vpc_peering_connection_id: 'string',
});

function inlineRoutes(cloud: Cloud, tableId: string, previous: Value): ObjectValue[] {
  const prior = objects(previous);
  return cloud.list<RouteRecord>(Kind.route, (r) => r.route_table_id === tableId).map((r) => {
    const view: ObjectValue = {
      cidr_block: r.destination_cidr_block,
      ipv6_cidr_block: r.destination_ipv6_cidr_block,
      destination_prefix_list_id: r.destination_prefix_list_id,
      ...r.targets,
    };
    const key = canonicalKey(specFrom(view, true) as unknown as ObjectValue);
    return prior.find((p) => canonicalKey(specFrom(p, true) as unknown as ObjectValue) === key) ?? view;
  });
}

function tableState(ctx: OperationContext, t: RouteTableRecord, state: ObjectValue | null): ObjectValue {
  return {
    id: t.id,
    arn: arn('ec2', t.region, `route-table/${t.id}`),
    owner_id: ACCOUNT_ID,
    region: t.region,
    vpc_id: t.vpc_id,
    propagating_vgws: t.propagating_vgws,
    route: inlineRoutes(ctx.cloud, t.id, state?.route ?? null),
    ...readTags(ctx, t.tags, state),
  };
}

/** Make a table's routes exactly the configured inline ones. */
function reconcileRoutes(ctx: CreateContext, table: RouteTableRecord): void {
  if (ctx.config.route === null || isUnknown(ctx.planned.route)) return;
  const wanted = objects(ctx.planned.route).map((r) => specFrom(r, true));
  const wantedIds = new Set(wanted.map((s) => routeId(table.id, destinationOf(s))));
  for (const r of ctx.cloud.list<RouteRecord>(Kind.route, (r) => r.route_table_id === table.id)) {
    if (!wantedIds.has(r.id)) ctx.cloud.delete(Kind.route, r.id);
  }
  for (const spec of wanted) {
    const id = routeId(table.id, destinationOf(spec));
    const existing = ctx.cloud.get<RouteRecord>(Kind.route, id);
    if (existing && canonicalKey(existing.targets) === canonicalKey(spec.targets)) continue;
    checkRoute(ctx.cloud, table, spec, ['route'], existing?.id);
    putRoute(ctx.cloud, table, spec);
  }
}

export const routeTable: ResourceType = {
  name: 'aws_route_table',
  schema: {
    attributes: {
      arn: computed('string'),
      id: computed('string'),
      owner_id: computed('string'),
      propagating_vgws: optionalComputed(set('string')),
      region: REGION_ATTRIBUTE,
      route: optionalComputed(set(INLINE_ROUTE)),
      vpc_id: required('string', { forceNew: true }),
      ...tagAttributes(),
    },
    blocks: { timeouts: timeoutsBlock('create', 'update', 'delete') },
  },
  plan: planCommon,
  create(ctx) {
    const region = regionOf(ctx, ctx.planned);
    const vpc = requireVpc(ctx.cloud, str(ctx.planned.vpc_id) ?? '', region);
    const id = ctx.cloud.nextId('rtb');
    const table = ctx.cloud.put<RouteTableRecord>(Kind.routeTable, id, {
      id, region, vpc_id: vpc.id, main: false, propagating_vgws: strings(ctx.planned.propagating_vgws),
      tags: effectiveTags(ctx, ctx.planned.tags) as Tags,
    });
    reconcileRoutes(ctx, table);
    return tableState(ctx, table, ctx.planned);
  },
  import: importById({ format: 'rtb-<id>', prefix: 'rtb', malformedCode: 'InvalidRouteTableID.Malformed' }),
  read: readRecord(stores.routeTable, tableState),
  update(ctx) {
    const t = priorRecord(ctx, stores.routeTable);
    const updated = ctx.cloud.put(Kind.routeTable, t.id, { ...t, tags: effectiveTags(ctx, ctx.planned.tags) as Tags });
    reconcileRoutes(ctx, updated);
    return tableState(ctx, updated, ctx.planned);
  },
  delete(ctx) {
    const id = str(ctx.state.id) ?? '';
    const t = find<RouteTableRecord>(ctx.cloud, Kind.routeTable, id, regionOf(ctx, ctx.state));
    if (!t) return;
    const associations = ctx.cloud.list<RouteTableAssociationRecord>(Kind.routeTableAssociation, (a) => a.route_table_id === id);
    if (associations.length > 0 || t.main) {
      throw awsError('DependencyViolation', `The routeTable '${id}' has dependencies and cannot be deleted.`, undefined,
        t.main ? 'It is its VPC\'s main route table.' : `Associated with: ${associations.map((a) => a.subnet_id ?? a.gateway_id).join(', ')}.`);
    }
    removeRouteTable(ctx.cloud, id);
  },
};

// --- aws_route --------------------------------------------------------------------------------

function routeState(r: RouteRecord): ObjectValue {
  const out: ObjectValue = {
    id: r.id,
    region: r.region,
    route_table_id: r.route_table_id,
    destination_cidr_block: r.destination_cidr_block,
    destination_ipv6_cidr_block: r.destination_ipv6_cidr_block,
    destination_prefix_list_id: r.destination_prefix_list_id,
    instance_id: '',
    instance_owner_id: '',
    network_interface_id: r.targets.network_interface_id ?? '',
    origin: 'CreateRoute',
    state: r.state,
  };
  for (const t of TARGETS) if (t !== 'network_interface_id') out[t] = r.targets[t] ?? null;
  return out;
}

export const route: ResourceType = {
  name: 'aws_route',
  schema: {
    attributes: {
      carrier_gateway_id: optional('string'),
      core_network_arn: optional('string'),
      destination_cidr_block: optional('string', { forceNew: true }),
      destination_ipv6_cidr_block: optional('string', { forceNew: true }),
      destination_prefix_list_id: optional('string', { forceNew: true }),
      egress_only_gateway_id: optional('string'),
      gateway_id: optional('string'),
      id: computed('string'),
      instance_id: computed('string'),
      instance_owner_id: computed('string'),
      local_gateway_id: optional('string'),
      nat_gateway_id: optional('string'),
      network_interface_id: optionalComputed('string'),
      origin: computed('string'),
      region: REGION_ATTRIBUTE,
      route_table_id: required('string', { forceNew: true }),
      state: computed('string'),
      transit_gateway_id: optional('string'),
      vpc_endpoint_id: optional('string'),
      vpc_peering_connection_id: optional('string'),
    },
    blocks: { timeouts: timeoutsBlock('create', 'update', 'delete') },
  },
  validate(ctx) {
    exactlyOne(ctx, DESTINATIONS, 'a destination');
    exactlyOne(ctx, TARGETS, 'a target');
  },
  plan(ctx) {
    planCommon(ctx, false);
  },
  create(ctx) {
    const region = regionOf(ctx, ctx.planned);
    const table = requireRouteTable(ctx.cloud, str(ctx.planned.route_table_id) ?? '', region);
    const spec = specFrom(ctx.planned, false);
    checkRoute(ctx.cloud, table, spec, []);
    return routeState(putRoute(ctx.cloud, table, spec));
  },
  import: importRoute,
  read: readRecord(stores.route, (_ctx, r) => routeState(r)),
  update(ctx) {
    // ReplaceRoute: a new target for the same destination.
    const region = regionOf(ctx, ctx.prior);
    const table = requireRouteTable(ctx.cloud, str(ctx.prior.route_table_id) ?? '', region);
    const spec = specFrom(ctx.planned, false);
    checkRoute(ctx.cloud, table, spec, [], str(ctx.prior.id) ?? undefined);
    return routeState(putRoute(ctx.cloud, table, spec));
  },
  delete(ctx) {
    ctx.cloud.delete(Kind.route, str(ctx.state.id) ?? '');
  },
};

const ROUTE_IMPORT_FORMAT = 'ROUTETABLEID_DESTINATION (rtb-<id>_<IPv4 CIDR>, rtb-<id>_<IPv6 CIDR> or rtb-<id>_pl-<id>)';

/**
 * A route is imported as `ROUTETABLEID_DESTINATION`, its table and destination (CIDR block,
 * IPv6 block or prefix list): the provider derives the route's `r-…` state id from both.
 */
function importRoute(ctx: ImportContext): ObjectValue | null {
  const { parts: [tableId, destination], region } = splitPair(ctx, '_',
    (id) => `unexpected format of ID ("${id}"), expected ROUTETABLEID_DESTINATION`, ROUTE_IMPORT_FORMAT);
  const r = find<RouteRecord>(ctx.cloud, Kind.route, routeId(tableId, destination), region);
  return r ? routeState(r) : null;
}

// --- aws_route_table_association ---------------------------------------------------------------

function checkAssociation(ctx: CreateContext, table: RouteTableRecord, replacing: string | null): void {
  const subnetId = str(ctx.planned.subnet_id);
  const gatewayId = str(ctx.planned.gateway_id);
  if (subnetId) {
    const subnet = requireSubnet(ctx.cloud, subnetId, table.region);
    if (subnet.vpc_id !== table.vpc_id) {
      throw awsError('InvalidParameterValue', `route table ${table.id} and subnet ${subnet.id} belong to different networks`, ['subnet_id']);
    }
    const other = ctx.cloud.list<RouteTableAssociationRecord>(Kind.routeTableAssociation, (a) => a.subnet_id === subnetId && a.id !== replacing);
    if (other.length > 0) {
      throw awsError('Resource.AlreadyAssociated', `the specified association for route table ${table.id} conflicts with an existing association`, ['subnet_id'],
        `${subnetId} is already associated with ${other[0].route_table_id} (${other[0].id}).`);
    }
  } else if (gatewayId) {
    const igw = find<InternetGatewayRecord>(ctx.cloud, Kind.internetGateway, gatewayId, table.region);
    if (!igw) throw awsError('InvalidGatewayID.NotFound', `The gateway ID '${gatewayId}' does not exist`, ['gateway_id']);
    if (igw.vpc_id !== table.vpc_id) {
      throw awsError('InvalidParameterValue', `route table ${table.id} and network gateway ${gatewayId} belong to different networks`, ['gateway_id']);
    }
  }
}

const ASSOCIATION_IMPORT_FORMAT = 'SUBNETID/ROUTETABLEID or GATEWAYID/ROUTETABLEID (subnet-<id>/rtb-<id>, igw-<id>/rtb-<id>)';

/**
 * An association is imported by what it joins, `subnet-…/rtb-…` or `igw-…/rtb-…`: the
 * provider looks the association up among the table's (its `rtbassoc-…` id is EC2's).
 */
function importAssociation(ctx: ImportContext): ObjectValue | null {
  const { parts: [target, tableId], region } = splitPair(ctx, '/',
    (id) => `unexpected format for ID ("${id}"), expected SUBNETID/ROUTETABLEID or GATEWAYID/ROUTETABLEID`, ASSOCIATION_IMPORT_FORMAT);
  const a = ctx.cloud.list<RouteTableAssociationRecord>(Kind.routeTableAssociation,
    (r) => r.region === region && r.route_table_id === tableId && (r.subnet_id === target || r.gateway_id === target))[0];
  return a ? associationState(a) : null;
}

function associationState(a: RouteTableAssociationRecord): ObjectValue {
  return { id: a.id, region: a.region, route_table_id: a.route_table_id, subnet_id: a.subnet_id, gateway_id: a.gateway_id };
}

export const routeTableAssociation: ResourceType = {
  name: 'aws_route_table_association',
  schema: {
    attributes: {
      gateway_id: optional('string', { forceNew: true }),
      id: computed('string'),
      region: REGION_ATTRIBUTE,
      route_table_id: required('string'),
      subnet_id: optional('string', { forceNew: true }),
    },
    blocks: { timeouts: timeoutsBlock('create', 'update', 'delete') },
  },
  validate(ctx) {
    exactlyOne(ctx, ['subnet_id', 'gateway_id'], 'subnet_id or gateway_id');
  },
  plan(ctx) {
    planCommon(ctx, false);
    // ReplaceRouteTableAssociation hands out a new association id.
    if (ctx.prior && changed(ctx, 'route_table_id')) ctx.planned.id = UNKNOWN;
  },
  create(ctx) {
    const region = regionOf(ctx, ctx.planned);
    const table = requireRouteTable(ctx.cloud, str(ctx.planned.route_table_id) ?? '', region);
    checkAssociation(ctx, table, null);
    const id = ctx.cloud.nextId('rtbassoc');
    return associationState(ctx.cloud.put<RouteTableAssociationRecord>(Kind.routeTableAssociation, id, {
      id, region, route_table_id: table.id, subnet_id: str(ctx.planned.subnet_id), gateway_id: str(ctx.planned.gateway_id),
    }));
  },
  import: importAssociation,
  read: readRecord(stores.routeTableAssociation, (_ctx, a) => associationState(a)),
  update(ctx) {
    const region = regionOf(ctx, ctx.prior);
    const table = requireRouteTable(ctx.cloud, str(ctx.planned.route_table_id) ?? '', region);
    const oldId = str(ctx.prior.id) ?? '';
    checkAssociation(ctx, table, oldId);
    ctx.cloud.delete(Kind.routeTableAssociation, oldId);
    const id = ctx.cloud.nextId('rtbassoc');
    return associationState(ctx.cloud.put<RouteTableAssociationRecord>(Kind.routeTableAssociation, id, {
      id, region, route_table_id: table.id, subnet_id: str(ctx.planned.subnet_id), gateway_id: str(ctx.planned.gateway_id),
    }));
  },
  delete(ctx) {
    ctx.cloud.delete(Kind.routeTableAssociation, str(ctx.state.id) ?? '');
  },
};
