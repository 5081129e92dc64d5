import { Cloud } from '../cloud/cloud';
import { ResourceType } from '../framework/types';
import { priorRecord } from '../framework/records';
import { block, computed, optional, optionalComputed, required } from '../schema/dsl';
import { oneOf } from '../schema/validators';
import { set } from '../values/cty-type';
import { isUnknown, UNKNOWN } from '../values/unknown';
import { ObjectValue } from '../values/value';
import {
  apiError, fingerprint, finish, inUse, invalidField, notFound, numericIdNumber, objects, orElse, paramsBlock,
  planChanges, regionalRef, selfLink, str, timeoutsBlock, timestamp, toJson, validName,
} from './common';
import { cidrProblem, containsBlock, gatewayOf, overlaps, parseBlock } from './ipv4';
import { AddressRecord, ForwardingRuleRecord, InstanceRecord, Kind, newRegional, saveState, storedRecords, SubnetworkRecord } from './model';
import { requireNetwork } from './network';
import { planLocation, PROJECT_ATTRIBUTE, REGION_ATTRIBUTE } from './provider-config';
import { regionalForms, importable } from './resource-import';
import { googleQuota } from './quotas';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - ranges /8-/29, not overlapping in a network, not in prohibited ranges: VPC docs, Subnets (Valid IPv4 ranges, Prohibited IPv4 subnet ranges)
 * - region must exist: Compute Engine docs, Regions and zones
 * - flow logs (logConfig): sampling 0-1, aggregation intervals, metadata fields only with CUSTOM_METADATA: VPC docs, VPC Flow Logs; Compute Engine API, subnetworks
 * - subnets per project (Quota 'SUBNETWORKS' exceeded): VPC docs, Quotas and limits
 * - purpose and role: proxy-only subnets (REGIONAL_MANAGED_PROXY, GLOBAL_MANAGED_PROXY) take a role, one ACTIVE per network and region, a /26 or larger primary range, no secondary ranges, no Private Google Access and no flow logs, and host no VMs: Load Balancing docs, Proxy-only subnets for Envoy-based load balancers; Compute Engine API, subnetworks (purpose, role)
 */

/**
 * `google_compute_subnetwork`: a regional range of a VPC network. Rules, as Compute Engine
 * enforces them: the primary range is a network address with a prefix from /8 to /29; no range
 * (primary or secondary) may overlap another subnetwork's anywhere in the same network (a VPC
 * network is global); names are unique per project and region. The primary range may grow in
 * place (expansion), anything else replaces the subnetwork. A subnetwork that still holds
 * instances or reserved addresses cannot be deleted.
 */

const ACTION = { create: 'creating Subnetwork', update: 'updating Subnetwork', delete: 'deleting Subnetwork' };
const STORE = storedRecords<SubnetworkRecord>(Kind.subnetwork, ACTION);

/** Import: `send_secondary_ip_range_if_empty` is a virtual field without a default. */
const imports = importable({
  ...regionalForms('subnetworks'),
  configOnly: { send_secondary_ip_range_if_empty: null, params: null, timeouts: null },
}, (ctx) => {
  // An auto-mode network's subnetworks are Google's, not a google_compute_subnetwork's.
  const record = ctx.cloud.get<SubnetworkRecord>(Kind.subnetwork, str(ctx.state.id) ?? '');
  return record && !record.auto ? (record.attributes as ObjectValue) : null;
});

/** Ranges Google never accepts for subnetworks. */
const FORBIDDEN = ['0.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', '240.0.0.0/4'].map(parseBlock);

export const subnetwork: ResourceType = {
  name: 'google_compute_subnetwork',
  schema: {
    attributes: {
      name: required('string', { forceNew: true }),
      network: required('string', { forceNew: true }),
      ip_cidr_range: optionalComputed('string'),
      description: optional('string', { forceNew: true }),
      private_ip_google_access: optionalComputed('bool'),
      private_ipv6_google_access: optionalComputed('string'),
      purpose: optionalComputed('string', {
        forceNew: true,
        validate: oneOf('PRIVATE', 'REGIONAL_MANAGED_PROXY', 'GLOBAL_MANAGED_PROXY', 'PRIVATE_SERVICE_CONNECT', 'PEER_MIGRATION', 'PRIVATE_NAT', 'INTERNAL_HTTPS_LOAD_BALANCER'),
      }),
      role: optional('string', { validate: oneOf('ACTIVE', 'BACKUP') }),
      stack_type: optionalComputed('string', { validate: oneOf('IPV4_ONLY', 'IPV4_IPV6', 'IPV6_ONLY') }),
      ipv6_access_type: optional('string', { validate: oneOf('EXTERNAL', 'INTERNAL') }),
      enable_flow_logs: optionalComputed('bool', { deprecated: true }),
      external_ipv6_prefix: optionalComputed('string'),
      ip_collection: optional('string', { forceNew: true }),
      reserved_internal_range: optional('string', { forceNew: true }),
      send_secondary_ip_range_if_empty: optional('bool'),
      region: REGION_ATTRIBUTE,
      project: PROJECT_ATTRIBUTE,
      id: optionalComputed('string'),
      creation_timestamp: computed('string'),
      fingerprint: computed('string'),
      gateway_address: computed('string'),
      internal_ipv6_prefix: computed('string'),
      ipv6_cidr_range: computed('string'),
      ipv6_gce_endpoint: computed('string'),
      self_link: computed('string'),
      state: computed('string'),
      subnetwork_id: computed('number'),
    },
    blocks: {
      secondary_ip_range: block('list', {
        attributes: {
          range_name: required('string'),
          ip_cidr_range: optionalComputed('string'),
          reserved_internal_range: optional('string'),
        },
      }),
      log_config: block('list', {
        attributes: {
          aggregation_interval: optional('string', {
            default: 'INTERVAL_5_SEC',
            validate: oneOf('INTERVAL_5_SEC', 'INTERVAL_30_SEC', 'INTERVAL_1_MIN', 'INTERVAL_5_MIN', 'INTERVAL_10_MIN', 'INTERVAL_15_MIN'),
          }),
          flow_sampling: optional('number', { default: 0.5 }),
          metadata: optional('string', { default: 'INCLUDE_ALL_METADATA', validate: oneOf('EXCLUDE_ALL_METADATA', 'INCLUDE_ALL_METADATA', 'CUSTOM_METADATA') }),
          metadata_fields: optional(set('string')),
          filter_expr: optional('string', { default: 'true' }),
        },
      }, { maxItems: 1 }),
      params: paramsBlock(),
      timeouts: timeoutsBlock('create', 'update', 'delete'),
    },
  },

  validate(ctx) {
    // Flow log settings the API refuses (logConfig): a sampling rate outside 0-1, and metadata
    // fields without CUSTOM_METADATA.
    for (const log of objects(ctx.config.log_config)) {
      const rate = log.flow_sampling;
      if (typeof rate === 'number' && (rate < 0 || rate > 1)) {
        ctx.error('Invalid value for field \'resource.logConfig.flowSampling\'', { detail: `${rate}: the sampling rate must be between 0 and 1`, path: ['log_config', 0, 'flow_sampling'] });
      }
      const fields = log.metadata_fields;
      if (Array.isArray(fields) && fields.length > 0 && log.metadata !== 'CUSTOM_METADATA') {
        ctx.error('Invalid value for field \'resource.logConfig.metadataFields\'', { detail: 'metadata fields may only be given with metadata = CUSTOM_METADATA', path: ['log_config', 0, 'metadata_fields'] });
      }
    }
  },

  plan(ctx) {
    planLocation(ctx, true);
    const before = ctx.prior ? str(ctx.prior.ip_cidr_range) : null;
    const after = ctx.planned.ip_cidr_range;
    // The provider's CustomizeDiff: a range may only grow in place (same network address, shorter prefix).
    if (before && typeof after === 'string' && after !== before) {
      if (cidrProblem(after) || !containsBlock(parseBlock(after), parseBlock(before))) ctx.requireReplace(['ip_cidr_range']);
    }
    if (ctx.prior && planChanges(ctx)) ctx.planned.fingerprint = UNKNOWN;
    // Deprecated: follows log_config unless set.
    if (ctx.config.enable_flow_logs === null) ctx.planned.enable_flow_logs = objects(ctx.planned.log_config).length > 0;
  },

  create(ctx) {
    const p = ctx.planned;
    const { project, region, name, id } = newRegional(ctx, STORE, 'subnetworks', ACTION.create);
    const networkId = requireNetwork(ctx.cloud, str(p.network) as string, project, ACTION.create);
    checkSubnetworkQuota(ctx.cloud, project);
    const range = str(p.ip_cidr_range);
    if (!range) throw invalidField(ACTION.create, 'resource.ipCidrRange', '', 'The primary IP range is required.', ['ip_cidr_range']);
    checkRanges(ctx.cloud, ACTION.create, id, networkId, p);
    const purpose = str(p.purpose) ?? 'PRIVATE';
    checkPurpose(ctx.cloud, ACTION.create, id, networkId, region, p);
    const block = parseBlock(range);
    const state = finish(p, {
      ...p,
      id,
      project,
      region,
      self_link: selfLink(id),
      creation_timestamp: timestamp(),
      gateway_address: gatewayOf(block),
      subnetwork_id: numericIdNumber(ctx.cloud),
      state: '',
      purpose,
      stack_type: orElse(p.stack_type, 'IPV4_ONLY'),
      private_ip_google_access: orElse(p.private_ip_google_access, false),
      private_ipv6_google_access: orElse(p.private_ipv6_google_access, 'DISABLE_GOOGLE_ACCESS'),
      external_ipv6_prefix: orElse(p.external_ipv6_prefix, ''),
      internal_ipv6_prefix: '',
      ipv6_cidr_range: '',
      ipv6_gce_endpoint: '',
      enable_flow_logs: objects(p.log_config).length > 0,
    });
    state.fingerprint = fingerprint(state);
    ctx.cloud.put<SubnetworkRecord>(Kind.subnetwork, id, {
      id, project, name, self_link: selfLink(id), creation_timestamp: str(state.creation_timestamp) as string, region,
      network: networkId, ip_cidr_range: range, secondary_ranges: secondaryRanges(p), auto: false,
      gateway_address: gatewayOf(block), purpose, role: str(p.role), attributes: toJson(state),
    });
    return state;
  },

  import: imports.import,
  read: imports.read,

  update(ctx) {
    const record = priorRecord(ctx, STORE);
    const id = record.id;
    checkRanges(ctx.cloud, ACTION.update, id, record.network, ctx.planned);
    checkPurpose(ctx.cloud, ACTION.update, id, record.network, record.region, ctx.planned);
    const range = str(ctx.planned.ip_cidr_range) as string;
    const state = finish(ctx.planned, ctx.planned);
    if (isUnknown(ctx.planned.fingerprint)) state.fingerprint = fingerprint(state);
    return saveState(ctx.cloud, STORE, record, state, { ip_cidr_range: range, secondary_ranges: secondaryRanges(ctx.planned), role: str(ctx.planned.role) });
  },

  delete(ctx) {
    const id = str(ctx.state.id) as string;
    if (!ctx.cloud.get(Kind.subnetwork, id)) return;
    const record = ctx.cloud.get<SubnetworkRecord>(Kind.subnetwork, id) as SubnetworkRecord;
    const user = [
      ...ctx.cloud.list<InstanceRecord>(Kind.instance, (i) => i.subnetwork === id),
      ...ctx.cloud.list<AddressRecord>(Kind.address, (a) => a.subnetwork === id),
      ...ctx.cloud.list<ForwardingRuleRecord>(Kind.forwardingRule, (f) => f.subnetwork === id),
      // The active proxy-only subnet serves every Envoy-based forwarding rule of its network and region.
      ...(isActiveProxySubnet(record) ? proxyUsers(ctx.cloud, record) : []),
    ][0];
    if (user) throw inUse(ACTION.delete, 'subnetwork', id, user.id);
    ctx.cloud.delete(Kind.subnetwork, id);
  },
};

/** Purposes whose subnetworks are proxy-only (and take a role). */
export const PROXY_PURPOSES = ['REGIONAL_MANAGED_PROXY', 'GLOBAL_MANAGED_PROXY', 'INTERNAL_HTTPS_LOAD_BALANCER'];

function isActiveProxySubnet(s: SubnetworkRecord): boolean {
  return PROXY_PURPOSES.includes(s.purpose ?? 'PRIVATE') && s.role === 'ACTIVE';
}

/** Forwarding rules of Envoy-based (managed) load balancers in the subnetwork's network and region. */
function proxyUsers(cloud: Cloud, s: SubnetworkRecord): ForwardingRuleRecord[] {
  return cloud.list<ForwardingRuleRecord>(Kind.forwardingRule,
    (f) => f.region === s.region && f.network === s.network && /_MANAGED$/.test(f.scheme));
}

/** The network's ACTIVE REGIONAL_MANAGED_PROXY subnetwork in `region`, if any. */
export function activeProxySubnet(cloud: Cloud, networkId: string, region: string): SubnetworkRecord | undefined {
  return cloud.list<SubnetworkRecord>(Kind.subnetwork, (s) => s.network === networkId && s.region === region
    && (s.purpose === 'REGIONAL_MANAGED_PROXY' || s.purpose === 'INTERNAL_HTTPS_LOAD_BALANCER') && s.role === 'ACTIVE')[0];
}

/**
 * Load Balancing docs, "Proxy-only subnets for Envoy-based load balancers": a proxy-only subnet
 * has a role (ACTIVE or BACKUP), only one ACTIVE per purpose, network and region, a primary range
 * of /26 or larger, no secondary ranges; Private Google Access and flow logs do not apply to it.
 * Other purposes take no role.
 */
function checkPurpose(cloud: Cloud, action: string, id: string, networkId: string, region: string, p: ObjectValue): void {
  const purpose = str(p.purpose) ?? 'PRIVATE';
  const role = str(p.role);
  if (!PROXY_PURPOSES.includes(purpose)) {
    if (role !== null) {
      throw invalidField(action, 'resource.role', role,
        'Role can only be set for subnetworks with purpose REGIONAL_MANAGED_PROXY, GLOBAL_MANAGED_PROXY or INTERNAL_HTTPS_LOAD_BALANCER.', ['role']);
    }
    return;
  }
  if (role === null) throw invalidField(action, 'resource.role', '', `Role must be set (ACTIVE or BACKUP) for a subnetwork with purpose ${purpose}.`, ['role']);
  const range = str(p.ip_cidr_range) ?? '';
  if (parseBlock(range).prefix > 26) {
    throw invalidField(action, 'resource.ipCidrRange', range, 'The primary range of a proxy-only subnetwork must be /26 or larger.', ['ip_cidr_range']);
  }
  if (objects(p.secondary_ip_range).length > 0) {
    throw invalidField(action, 'resource.secondaryIpRanges', purpose, `Secondary ranges are not supported for subnetworks with purpose ${purpose}.`, ['secondary_ip_range']);
  }
  if (p.private_ip_google_access === true) {
    throw invalidField(action, 'resource.privateIpGoogleAccess', 'true', `Private Google Access is not supported for subnetworks with purpose ${purpose}.`, ['private_ip_google_access']);
  }
  if (objects(p.log_config).length > 0) {
    throw invalidField(action, 'resource.logConfig', purpose, `Flow logs are not supported for subnetworks with purpose ${purpose}.`, ['log_config']);
  }
  if (role === 'ACTIVE') {
    const other = cloud.list<SubnetworkRecord>(Kind.subnetwork, (s) => s.id !== id && s.network === networkId && s.region === region
      && (s.purpose ?? 'PRIVATE') === purpose && s.role === 'ACTIVE')[0];
    if (other) {
      throw invalidField(action, 'resource.role', 'ACTIVE',
        `An ACTIVE subnetwork with purpose ${purpose} already exists in region '${region}' of this network: '${other.id}'. Only one is allowed; make this one BACKUP.`, ['role']);
    }
  }
}

function secondaryRanges(p: ObjectValue): string[] {
  return objects(p.secondary_ip_range).map((r) => str(r.ip_cidr_range)).filter((r): r is string => r !== null);
}

/**
 * The range rules: valid network addresses, /8 to /29 for the primary range, nothing Google
 * reserves, and no overlap with the subnetwork's own other ranges or any other subnetwork's
 * ranges in the network.
 */
function checkRanges(cloud: Cloud, action: string, id: string, networkId: string, p: ObjectValue): void {
  const primary = str(p.ip_cidr_range) as string;
  const ranges: { cidr: string; field: string; path: (string | number)[] }[] = [
    { cidr: primary, field: 'resource.ipCidrRange', path: ['ip_cidr_range'] },
    ...objects(p.secondary_ip_range).map((r, i) => ({
      cidr: str(r.ip_cidr_range) ?? '', field: `resource.secondaryIpRanges[${i}].ipCidrRange`, path: ['secondary_ip_range', i, 'ip_cidr_range'],
    })),
  ];
  objects(p.secondary_ip_range).forEach((r, i) => {
    const rangeName = str(r.range_name) ?? '';
    if (!validName(rangeName)) {
      throw invalidField(action, `resource.secondaryIpRanges[${i}].rangeName`, rangeName, "Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'", ['secondary_ip_range', i, 'range_name']);
    }
  });
  for (const [i, r] of ranges.entries()) {
    const problem = cidrProblem(r.cidr);
    if (problem) throw invalidField(action, r.field, r.cidr, `Invalid IPCidrRange: ${problem}`, r.path);
    const b = parseBlock(r.cidr);
    if (i === 0 && (b.prefix < 8 || b.prefix > 29)) {
      throw invalidField(action, r.field, r.cidr, `Invalid IPCidrRange: ${r.cidr}. The prefix length of a subnetwork's primary range must be from /8 to /29.`, r.path);
    }
    if (FORBIDDEN.some((f) => overlaps(f, b))) {
      throw invalidField(action, r.field, r.cidr, `Invalid IPCidrRange: ${r.cidr} overlaps a range Google reserves and cannot be used for subnetworks.`, r.path);
    }
    const clash = ranges.slice(0, i).find((o) => overlaps(parseBlock(o.cidr), b));
    if (clash) throw apiError(action, 400, `Invalid IPCidrRange: ${r.cidr} conflicts with ${clash.cidr} of the same subnetwork.`, 'invalid', r.path);
    for (const other of cloud.list<SubnetworkRecord>(Kind.subnetwork, (s) => s.network === networkId && s.id !== id)) {
      if ([other.ip_cidr_range, ...other.secondary_ranges].some((o) => overlaps(parseBlock(o), b))) {
        throw apiError(action, 400,
          `Invalid IPCidrRange: ${r.cidr} conflicts with existing subnetwork '${other.name}' in region '${other.region}'.`, 'invalid', r.path);
      }
    }
  }
}

/** A subnetwork's record from any reference form, or Google's 404. */
export function requireSubnetwork(cloud: Cloud, ref: string, project: string, region: string, action: string,
  path: (string | number)[] = ['subnetwork']): SubnetworkRecord {
  const r = regionalRef(ref, 'subnetworks', project, region);
  if (!r) throw invalidField(action, 'resource.subnetwork', ref, 'Must be a subnetwork URL or name.', path);
  const record = cloud.get<SubnetworkRecord>(Kind.subnetwork, r.id);
  if (!record) throw notFound(action, r.id, path);
  return record;
}

/**
 * VPC docs, "Quotas and limits": subnets per project (quota SUBNETWORKS), every network's counted.
 * Compute Engine refuses the insert with 403 quotaExceeded, in the form the FIREWALLS quota uses
 * ("Quota 'SUBNETWORKS' exceeded.  Limit: 175.0 globally.", quoted in pulumi/pulumi-gcp pull 415).
 */
function checkSubnetworkQuota(cloud: Cloud, project: string): void {
  const limit = googleQuota('subnetworks_per_project');
  if (cloud.list<SubnetworkRecord>(Kind.subnetwork, (s) => s.project === project).length >= limit) {
    throw apiError(ACTION.create, 403, `Quota 'SUBNETWORKS' exceeded.  Limit: ${limit.toFixed(1)} globally.`, 'quotaExceeded', ['name'],
      'Every subnet of every network of the project counts, auto-mode ones too; BUTTER_MOCK_QUOTAS {"google": {"subnetworks_per_project": N}} '
      + 'raises the quota as Google would.');
  }
}
