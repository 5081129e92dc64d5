import { Cloud } from '../cloud/cloud';
import { CloudError } from '../framework/diagnostics';
import { priorRecord, readRecord } from '../framework/records';
import { CreateContext, DataSourceType, OperationContext, PlanContext, ResourceType, ValidateContext } from '../framework/types';
import { block, computed, optional, optionalComputed, required } from '../schema/dsl';
import { oneOf } from '../schema/validators';
import { list, map, object, set } from '../values/cty-type';
import { isUnknown, UNKNOWN } from '../values/unknown';
import { JsonObject, ObjectValue, Value } from '../values/value';
import {
  awsError, bool, effectiveTags, num, objects, planCommon, REGION_ATTRIBUTE, regionOf, str, strings, tagAttributes, timeoutsBlock,
  toJson,
} from './common';
import {
  arnSuffix, canonicalHostedZoneId, elbId, ElbKind, elbStores, listenersOf, LoadBalancerRecord, LoadBalancerType, loadBalancerArn,
  loadBalancerDnsName, nameProblems, recordState, unknownsToNull,
} from './elb-model';
import { find, InternetGatewayRecord, Kind, namePrefixFromName, SecurityGroupRecord, SubnetRecord, Tags, uniqueName, VpcRecord } from './model';
import { awsQuota } from './quotas';
import { importById } from './resource-import';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - an Application Load Balancer needs subnets in at least two Availability Zones, at most one subnet per zone:
 *   Elastic Load Balancing API Reference, CreateLoadBalancer (Subnets); Application Load Balancers Guide, "Availability Zones and subnets"
 * - subnets and security groups of one VPC; an internet-facing balancer needs the VPC's internet gateway (InvalidSubnet):
 *   Elastic Load Balancing API Reference, CreateLoadBalancer, SetSubnets, SetSecurityGroups and their errors
 * - an Application Load Balancer created without security groups gets the VPC's default group:
 *   Application Load Balancers Guide, "Security groups for your Application Load Balancer"
 * - names (32 alphanumerics and hyphens, not starting with internal-): the provider's validName, and
 *   CreateLoadBalancer (Name); unique per region and type (the provider checks before calling the API)
 * - deletion protection (OperationNotPermitted): Application Load Balancers Guide, "Deletion protection"
 * - load balancers per Region (TooManyLoadBalancers): Elastic Load Balancing quotas
 * - a Network Load Balancer's subnets can only be added to and its security groups cannot go from none to some
 *   or back (the provider then replaces it): terraform-provider-aws, aws_lb customizeDiffLoadBalancerNLB
 * The mock's own wording (the rule is documented, no published error text was found): subnets of two VPCs,
 * a security group of another VPC, more than 5 security groups, "At least one subnet must be specified".
 */

const TYPES: LoadBalancerType[] = ['application', 'network'];

function logBlock(): ReturnType<typeof block> {
  return block('list', {
    attributes: { bucket: required('string'), enabled: optional('bool', { default: false }), prefix: optional('string') },
  }, { maxItems: 1 });
}

/** The balancer's subnets as configured: `subnets` or the subnet ids of `subnet_mapping`. */
function configuredSubnets(p: ObjectValue): string[] {
  const direct = strings(p.subnets);
  return direct.length > 0 ? direct : objects(p.subnet_mapping).map((m) => str(m.subnet_id)).filter((s): s is string => s !== null);
}

/** Resolve and check subnets and security groups as CreateLoadBalancer/SetSubnets/SetSecurityGroups do. */
function resolveNetwork(cloud: Cloud, region: string, type: LoadBalancerType, internal: boolean, p: ObjectValue): { vpc: VpcRecord; subnets: SubnetRecord[]; groups: string[] } {
  const subnetPath = p.subnets !== null && !isUnknown(p.subnets) && strings(p.subnets).length > 0 ? ['subnets'] : ['subnet_mapping'];
  const subnets = configuredSubnets(p).map((id) => {
    const s = find<SubnetRecord>(cloud, Kind.subnet, id, region);
    if (!s) throw awsError('SubnetNotFound', 'The specified subnet does not exist.', subnetPath, `${id} is not a subnet of ${region}.`);
    return s;
  });
  if (subnets.length === 0) throw awsError('ValidationError', 'At least one subnet must be specified', subnetPath);
  const vpcs = [...new Set(subnets.map((s) => s.vpc_id))];
  if (vpcs.length > 1) {
    throw awsError('InvalidConfigurationRequest', 'All subnets must belong to the same VPC', subnetPath, subnets.map((s) => `${s.id} is in ${s.vpc_id}`).join('; '));
  }
  const zones = new Map<string, string>();
  for (const s of subnets) {
    const other = zones.get(s.availability_zone);
    if (other) {
      throw awsError('InvalidConfigurationRequest', 'A load balancer cannot be attached to multiple subnets in the same Availability Zone', subnetPath,
        `${other} and ${s.id} are both in ${s.availability_zone}.`);
    }
    zones.set(s.availability_zone, s.id);
  }
  if (type === 'application' && zones.size < 2) {
    throw awsError('ValidationError', 'At least two subnets in two different Availability Zones must be specified', subnetPath,
      `The subnets given are all in ${[...zones.keys()].join(', ')}; an Application Load Balancer needs two zones or more.`);
  }
  const vpc = find<VpcRecord>(cloud, Kind.vpc, vpcs[0], region)!;
  if (!internal && cloud.list<InternetGatewayRecord>(Kind.internetGateway, (g) => g.vpc_id === vpc.id).length === 0) {
    throw awsError('InvalidSubnet', `VPC ${vpc.id} has no internet gateway`, subnetPath,
      'An internet-facing load balancer needs an internet gateway attached to its VPC; make it internal, or attach one.');
  }
  let groups = strings(p.security_groups);
  for (const id of groups) {
    const g = find<SecurityGroupRecord>(cloud, Kind.securityGroup, id, region);
    if (!g) throw awsError('InvalidSecurityGroup', `The security group '${id}' does not exist`, ['security_groups']);
    if (g.vpc_id !== vpc.id) {
      throw awsError('InvalidConfigurationRequest', `Security group '${id}' does not belong to VPC '${vpc.id}'`, ['security_groups'],
        `${id} is in ${g.vpc_id}; the balancer's subnets are in ${vpc.id}.`);
    }
  }
  if (groups.length > 5) {
    throw awsError('InvalidConfigurationRequest', 'You cannot specify more than 5 security groups for a load balancer', ['security_groups']);
  }
  // An Application Load Balancer always has a security group: without one, the VPC's default.
  if (type === 'application' && groups.length === 0) groups = [vpc.default_security_group_id];
  return { vpc, subnets, groups };
}

/** Attributes stored as configured (the load balancer attributes and log settings). */
const CONFIGURED = [
  'access_logs', 'client_keep_alive', 'connection_logs', 'customer_owned_ipv4_pool', 'desync_mitigation_mode', 'dns_record_client_routing_policy',
  'drop_invalid_header_fields', 'enable_cross_zone_load_balancing', 'enable_deletion_protection', 'enable_http2',
  'enable_tls_version_and_cipher_suite_headers', 'enable_waf_fail_open', 'enable_xff_client_port', 'enable_zonal_shift', 'health_check_logs',
  'idle_timeout', 'ipam_pools', 'minimum_load_balancer_capacity', 'preserve_host_header', 'subnet_mapping', 'xff_header_processing_mode',
];

function lbState(ctx: OperationContext, lb: LoadBalancerRecord, state: ObjectValue | null): ObjectValue {
  return { ...recordState(ctx, lb, state), timeouts: state?.timeouts ?? null };
}

function applyLoadBalancer(ctx: CreateContext, existing: LoadBalancerRecord | null): ObjectValue {
  const p = ctx.planned;
  const region = existing?.region ?? regionOf(ctx, p);
  const type = (existing?.type ?? str(p.load_balancer_type) ?? 'application') as LoadBalancerType;
  const internal = existing ? existing.internal : bool(p.internal) ?? false;
  const name = existing?.name ?? str(p.name) ?? uniqueName(ctx.cloud, str(p.name_prefix) ?? 'tf-lb-');
  if (!existing) {
    const same = ctx.cloud.list<LoadBalancerRecord>(ElbKind.loadBalancer, (l) => l.region === region && l.name === name);
    // The provider looks the name up first and refuses a balancer of the same type itself.
    if (same.some((l) => l.type === type)) throw new CloudError(`ELBv2 Load Balancer (${name}) already exists`, { path: ['name'] });
    if (same.length > 0) throw awsError('DuplicateLoadBalancerName', `A load balancer with the same name '${name}' exists, but with different settings`, ['name']);
    const limit = awsQuota('load_balancers_per_region');
    if (ctx.cloud.list<LoadBalancerRecord>(ElbKind.loadBalancer, (l) => l.region === region && l.type === type).length >= limit) {
      throw awsError('TooManyLoadBalancers', 'You\'ve reached the limit on the number of load balancers for your AWS account.', undefined,
        `${region} has ${limit} ${type} load balancers, the quota (AWS's default is 50; BUTTER_MOCK_QUOTAS raises it).`);
    }
  }
  const { vpc, subnets, groups } = resolveNetwork(ctx.cloud, region, type, internal, p);
  const id = existing?.id ?? loadBalancerArn(region, type, name, elbId(ctx.cloud));
  const dns = existing?.dns_name ?? loadBalancerDnsName(ctx.cloud, type, name, internal, region);
  const state: ObjectValue = {
    ...Object.fromEntries(CONFIGURED.map((k) => [k, p[k] ?? null])),
    id,
    arn: id,
    arn_suffix: arnSuffix(id),
    dns_name: dns,
    enforce_security_group_inbound_rules_on_private_link_traffic: type === 'network' && groups.length > 0
      ? str(p.enforce_security_group_inbound_rules_on_private_link_traffic) ?? 'on' : '',
    internal,
    ip_address_type: str(p.ip_address_type) ?? 'ipv4',
    load_balancer_type: type,
    name,
    name_prefix: namePrefixFromName(name),
    region,
    secondary_ips_auto_assigned_per_subnet: num(p.secondary_ips_auto_assigned_per_subnet) ?? 0,
    security_groups: groups,
    subnets: subnets.map((s) => s.id),
    vpc_id: vpc.id,
    zone_id: canonicalHostedZoneId(type, region),
  };
  const record = ctx.cloud.put<LoadBalancerRecord>(ElbKind.loadBalancer, id, {
    id, arn: id, region, name, type, internal, vpc_id: vpc.id, subnet_ids: subnets.map((s) => s.id), security_groups: groups, dns_name: dns,
    deletion_protection: bool(p.enable_deletion_protection) === true,
    state: toJson(unknownsToNull(state)), tags: effectiveTags(ctx, p.tags) as Tags,
  });
  return lbState(ctx, record, p);
}

function planLoadBalancer(ctx: PlanContext): void {
  planCommon(ctx);
  const prior = ctx.prior;
  if (!prior) return;
  const subnetsChanged = !sameSet(prior.subnets, ctx.planned.subnets);
  if (subnetsChanged && ctx.config.subnets === null) ctx.planned.subnets = UNKNOWN;
  if (str(prior.load_balancer_type) === 'network') {
    // Network Load Balancers: subnets can only be added, and security groups cannot go from none to some or back.
    const before = strings(prior.subnets);
    const after = strings(ctx.planned.subnets);
    if (!isUnknown(ctx.planned.subnets) && subnetsChanged && !(after.length > before.length && before.every((s) => after.includes(s)))) ctx.requireReplace(['subnets']);
    const g0 = strings(prior.security_groups).length;
    const g1 = strings(ctx.planned.security_groups).length;
    if (!isUnknown(ctx.planned.security_groups) && (g0 === 0) !== (g1 === 0)) ctx.requireReplace(['security_groups']);
  }
}

function sameSet(a: Value | undefined, b: Value | undefined): boolean {
  if (isUnknown(a) || isUnknown(b)) return false;
  const x = strings(a).sort();
  const y = strings(b).sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function validateLoadBalancer(ctx: ValidateContext): void {
  for (const key of ['name', 'name_prefix'] as const) {
    const v = ctx.config[key];
    if (typeof v !== 'string') continue;
    const problems = key === 'name' ? nameProblems(key, v, true) : nameProblems(key, v, true).filter((m) => !m.includes('end with a hyphen'));
    if (key === 'name_prefix' && v.length > 6) problems.push(`${JSON.stringify(key)} cannot be longer than 6 characters: ${JSON.stringify(v)}`);
    for (const detail of problems.filter((m) => key === 'name' || !m.includes('longer than 32'))) ctx.error(`Invalid value for "${key}"`, { detail, path: [key] });
  }
  if (typeof ctx.config.name === 'string' && typeof ctx.config.name_prefix === 'string') {
    ctx.error('Conflicting configuration arguments', { detail: '"name": conflicts with name_prefix', path: ['name'] });
  }
  const hasSubnets = ctx.config.subnets !== null;
  const hasMappings = Array.isArray(ctx.config.subnet_mapping) ? ctx.config.subnet_mapping.length > 0 : isUnknown(ctx.config.subnet_mapping);
  if (hasSubnets === hasMappings) {
    ctx.error('Invalid combination of arguments', { detail: '"subnets": one of `subnet_mapping,subnets` must be specified' });
  }
}

export const loadBalancer: ResourceType = {
  name: 'aws_lb',
  schema: {
    attributes: {
      arn: computed('string'),
      arn_suffix: computed('string'),
      client_keep_alive: optional('number', { default: 3600 }),
      customer_owned_ipv4_pool: optional('string', { forceNew: true }),
      desync_mitigation_mode: optional('string', { default: 'defensive', validate: oneOf('monitor', 'defensive', 'strictest') }),
      dns_name: computed('string'),
      dns_record_client_routing_policy: optional('string', {
        default: 'any_availability_zone', validate: oneOf('availability_zone_affinity', 'partial_availability_zone_affinity', 'any_availability_zone'),
      }),
      drop_invalid_header_fields: optional('bool', { default: false }),
      enable_cross_zone_load_balancing: optional('bool', { default: false }),
      enable_deletion_protection: optional('bool', { default: false }),
      enable_http2: optional('bool', { default: true }),
      enable_tls_version_and_cipher_suite_headers: optional('bool', { default: false }),
      enable_waf_fail_open: optional('bool', { default: false }),
      enable_xff_client_port: optional('bool', { default: false }),
      enable_zonal_shift: optional('bool', { default: false }),
      enforce_security_group_inbound_rules_on_private_link_traffic: optionalComputed('string', { validate: oneOf('on', 'off') }),
      id: computed('string'),
      idle_timeout: optional('number', { default: 60 }),
      internal: optionalComputed('bool', { forceNew: true }),
      ip_address_type: optionalComputed('string', { validate: oneOf('ipv4', 'dualstack', 'dualstack-without-public-ipv4') }),
      load_balancer_type: optional('string', { default: 'application', forceNew: true, validate: oneOf('application', 'gateway', 'network') }),
      name: optionalComputed('string', { forceNew: true }),
      name_prefix: optionalComputed('string', { forceNew: true }),
      preserve_host_header: optional('bool', { default: false }),
      region: REGION_ATTRIBUTE,
      secondary_ips_auto_assigned_per_subnet: optionalComputed('number'),
      security_groups: optionalComputed(set('string')),
      subnets: optionalComputed(set('string')),
      vpc_id: computed('string'),
      xff_header_processing_mode: optional('string', { default: 'append', validate: oneOf('append', 'preserve', 'remove') }),
      zone_id: computed('string'),
      ...tagAttributes(),
    },
    blocks: {
      access_logs: logBlock(),
      connection_logs: logBlock(),
      health_check_logs: logBlock(),
      ipam_pools: block('list', { attributes: { ipv4_ipam_pool_id: required('string') } }, { maxItems: 1 }),
      minimum_load_balancer_capacity: block('list', { attributes: { capacity_units: required('number') } }, { maxItems: 1 }),
      subnet_mapping: block('set', {
        attributes: {
          allocation_id: optional('string'),
          ipv6_address: optional('string'),
          outpost_id: computed('string'),
          private_ipv4_address: optional('string'),
          subnet_id: required('string'),
        },
      }),
      timeouts: timeoutsBlock('create', 'delete', 'update'),
    },
  },
  validate: validateLoadBalancer,
  plan: planLoadBalancer,
  create(ctx) {
    const type = str(ctx.planned.load_balancer_type);
    if (type !== null && !TYPES.includes(type as LoadBalancerType)) {
      throw awsError('UnsupportedOperation', `the Butter mock cloud does not simulate ${type} load balancers`, ['load_balancer_type']);
    }
    return applyLoadBalancer(ctx, null);
  },
  import: importById({ format: 'the load balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/...)' }),
  read: readRecord(elbStores.loadBalancer, lbState),
  update(ctx) {
    return applyLoadBalancer(ctx, priorRecord(ctx, elbStores.loadBalancer));
  },
  delete(ctx) {
    const lb = elbStores.loadBalancer.find(ctx, ctx.state);
    if (!lb) return;
    if (lb.deletion_protection) {
      throw awsError('OperationNotPermitted', `Load balancer '${lb.arn}' cannot be deleted because deletion protection is enabled`, undefined,
        'Set enable_deletion_protection = false and apply first.');
    }
    // DeleteLoadBalancer deletes its listeners too; targets stay registered in their groups.
    for (const l of listenersOf(ctx.cloud, lb.arn)) ctx.cloud.delete(ElbKind.listener, l.id);
    ctx.cloud.delete(ElbKind.loadBalancer, lb.id);
  },
};

/** What still uses a subnet or security group: load balancers (their network interfaces). */
export function loadBalancerDependents(cloud: Cloud, match: (lb: LoadBalancerRecord) => boolean): string[] {
  return cloud.list<LoadBalancerRecord>(ElbKind.loadBalancer, match).map((lb) => `load balancer ${lb.name} (${lb.arn})`);
}

const LOG = list(object({ bucket: 'string', enabled: 'bool', prefix: 'string' }));

/** `data "aws_lb"`: a load balancer by ARN or name (and tags), every attribute computed. */
export const loadBalancerData: DataSourceType = {
  name: 'aws_lb',
  schema: {
    attributes: {
      access_logs: computed(LOG),
      arn: optionalComputed('string'),
      arn_suffix: computed('string'),
      client_keep_alive: computed('number'),
      connection_logs: computed(LOG),
      customer_owned_ipv4_pool: computed('string'),
      desync_mitigation_mode: computed('string'),
      dns_name: computed('string'),
      dns_record_client_routing_policy: computed('string'),
      drop_invalid_header_fields: computed('bool'),
      enable_cross_zone_load_balancing: computed('bool'),
      enable_deletion_protection: computed('bool'),
      enable_http2: computed('bool'),
      enable_tls_version_and_cipher_suite_headers: computed('bool'),
      enable_waf_fail_open: computed('bool'),
      enable_xff_client_port: computed('bool'),
      enable_zonal_shift: computed('bool'),
      enforce_security_group_inbound_rules_on_private_link_traffic: computed('string'),
      health_check_logs: computed(LOG),
      id: computed('string'),
      idle_timeout: computed('number'),
      internal: computed('bool'),
      ip_address_type: computed('string'),
      ipam_pools: computed(list(object({ ipv4_ipam_pool_id: 'string' }))),
      load_balancer_type: computed('string'),
      name: optionalComputed('string'),
      preserve_host_header: computed('bool'),
      region: REGION_ATTRIBUTE,
      secondary_ips_auto_assigned_per_subnet: computed('number'),
      security_groups: computed(set('string')),
      subnet_mapping: computed(set(object({
        allocation_id: 'string', ipv6_address: 'string', outpost_id: 'string', private_ipv4_address: 'string', subnet_id: 'string',
      }))),
      subnets: computed(set('string')),
      tags: optionalComputed(map('string')),
      vpc_id: computed('string'),
      xff_header_processing_mode: computed('string'),
      zone_id: computed('string'),
    },
    blocks: { timeouts: timeoutsBlock('read') },
  },
  read(ctx) {
    const region = regionOf(ctx, ctx.config);
    const wantedArn = str(ctx.config.arn);
    const wantedName = str(ctx.config.name);
    const wantedTags = Object.entries(ctx.config.tags && typeof ctx.config.tags === 'object' ? ctx.config.tags as Record<string, string> : {});
    const found = ctx.cloud.list<LoadBalancerRecord>(ElbKind.loadBalancer, (l) => l.region === region
      && (wantedArn === null || l.arn === wantedArn) && (wantedName === null || l.name === wantedName)
      && wantedTags.every(([k, v]) => l.tags[k] === v));
    if (found.length === 0) throw awsError('LoadBalancerNotFound', 'no matching ELBv2 Load Balancer found', undefined, 'Search returned 0 results, please revise so only one is returned');
    if (found.length > 1) throw awsError('ValidationError', `Search returned ${found.length} results, please revise so only one is returned`);
    const lb = found[0];
    const s = lb.state as ObjectValue;
    const logs = (v: Value | undefined): JsonObject[] => {
      const o = objects(v)[0];
      return [{ bucket: str(o?.bucket) ?? '', enabled: bool(o?.enabled) ?? false, prefix: str(o?.prefix) ?? '' }];
    };
    return {
      ...Object.fromEntries(Object.entries(s).filter(([k]) => k in (loadBalancerData.schema.attributes ?? {}))),
      access_logs: logs(s.access_logs),
      connection_logs: logs(s.connection_logs),
      health_check_logs: logs(s.health_check_logs),
      ipam_pools: [],
      subnet_mapping: lb.subnet_ids.map((subnet_id) => ({ allocation_id: '', ipv6_address: '', outpost_id: '', private_ipv4_address: '', subnet_id })),
      customer_owned_ipv4_pool: str(s.customer_owned_ipv4_pool) ?? '',
      tags: lb.tags,
    };
  },
};
