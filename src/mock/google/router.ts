import { Cloud } from '../cloud/cloud';
import { ResourceType } from '../framework/types';
import { priorRecord } from '../framework/records';
import { block, computed, optional, optionalComputed, required } from '../schema/dsl';
import { oneOf } from '../schema/validators';
import { list, set } from '../values/cty-type';
import { ObjectValue } from '../values/value';
import {
  apiError, checkName, finish, first, invalidField, notFound, num, objects, orElse, regionalRef, selfLink, str,
  strings, timeoutsBlock, timestamp, toJson, readStoredState,
} from './common';
import { AddressRecord, Kind, newRegional, RouterNatRecord, RouterRecord, saveState, storedRecords, SubnetworkRecord } from './model';
import { requireNetwork } from './network';
import { planLocation, PROJECT_ATTRIBUTE, REGION_ATTRIBUTE, regionalTarget } from './provider-config';
import { regionalForms, importable } from './resource-import';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - ASNs private or 16550: Cloud Router docs, Cloud Router overview (ASNs); Partner Interconnect docs
 * - NAT options and addresses: Cloud NAT docs, NAT IP addresses and ports
 */

/**
 * `google_compute_router` and `google_compute_router_nat`. A Cloud NAT gateway is part of its
 * router in the API (the router's `nats` list), so it needs the router to exist in its region,
 * its name is unique within the router, and deleting the router takes its NATs along. A router
 * with BGP needs a private ASN.
 */

const ROUTER = { create: 'creating Router', update: 'updating Router', delete: 'deleting Router' };
const ROUTERS = storedRecords<RouterRecord>(Kind.router, ROUTER);
const NAT = { create: 'creating RouterNat', update: 'updating RouterNat', delete: 'deleting RouterNat' };
const NATS = storedRecords<RouterNatRecord>(Kind.routerNat, NAT);

/** Import: the provider never reads the MD5 authentication keys back. */
const routerImports = importable({
  ...regionalForms('routers'),
  configOnly: { md5_authentication_keys: null, timeouts: null },
}, readStoredState(Kind.router));

/**
 * Import: a NAT is named within its router; the provider reads back neither `initial_nat_ips`
 * (creation-only) nor `auto_network_tier`.
 */
const natImports = importable({
  formats: [
    'projects/{{project}}/regions/{{region}}/routers/{{router}}/{{name}}', '{{project}}/{{region}}/{{router}}/{{name}}',
    '{{region}}/{{router}}/{{name}}', '{{router}}/{{name}}',
  ],
  id: (f) => `${f.project}/${f.region}/${f.router}/${f.name}`,
  configOnly: { initial_nat_ips: null, auto_network_tier: null, timeouts: null },
}, readStoredState(Kind.routerNat));

export const router: ResourceType = {
  name: 'google_compute_router',
  schema: {
    attributes: {
      name: required('string', { forceNew: true }),
      network: required('string', { forceNew: true }),
      description: optional('string'),
      encrypted_interconnect_router: optional('bool', { forceNew: true }),
      region: REGION_ATTRIBUTE,
      project: PROJECT_ATTRIBUTE,
      id: optionalComputed('string'),
      creation_timestamp: computed('string'),
      self_link: computed('string'),
    },
    blocks: {
      bgp: block('list', {
        attributes: {
          asn: required('number'),
          advertise_mode: optional('string', { default: 'DEFAULT', validate: oneOf('DEFAULT', 'CUSTOM') }),
          advertised_groups: optional(list('string')),
          identifier_range: optionalComputed('string'),
          keepalive_interval: optional('number', { default: 20 }),
        },
        blocks: {
          advertised_ip_ranges: block('list', { attributes: { range: required('string'), description: optional('string') } }),
        },
      }, { maxItems: 1 }),
      md5_authentication_keys: block('list', { attributes: { name: required('string'), key: required('string', { sensitive: true }) } }, { maxItems: 1 }),
      timeouts: timeoutsBlock('create', 'update', 'delete'),
    },
  },

  plan(ctx) {
    planLocation(ctx, true);
  },

  create(ctx) {
    const p = ctx.planned;
    const { project, region, name, id } = newRegional(ctx, ROUTERS, 'routers', ROUTER.create);
    const networkId = requireNetwork(ctx.cloud, str(p.network) as string, project, ROUTER.create);
    checkBgp(p, ROUTER.create);
    const state = finish(p, {
      ...p,
      id,
      project,
      region,
      self_link: selfLink(id),
      creation_timestamp: timestamp(),
      bgp: withIdentifierRange(p),
    });
    ctx.cloud.put<RouterRecord>(Kind.router, id, {
      id, project, name, region, self_link: selfLink(id), creation_timestamp: str(state.creation_timestamp) as string,
      network: networkId, attributes: toJson(state),
    });
    return state;
  },

  import: routerImports.import,
  read: routerImports.read,

  update(ctx) {
    const record = priorRecord(ctx, ROUTERS);
    checkBgp(ctx.planned, ROUTER.update);
    const state = finish(ctx.planned, {
      ...ctx.planned,
      bgp: withIdentifierRange(ctx.planned),
    });
    return saveState(ctx.cloud, ROUTERS, record, state);
  },

  delete(ctx) {
    const id = str(ctx.state.id) as string;
    // The router's NATs are part of it.
    for (const nat of ctx.cloud.list<RouterNatRecord>(Kind.routerNat, (n) => n.router === id)) ctx.cloud.delete(Kind.routerNat, nat.id);
    ctx.cloud.delete(Kind.router, id);
  },
};

function withIdentifierRange(p: ObjectValue): ObjectValue['bgp'] {
  return Array.isArray(p.bgp) ? objects(p.bgp).map((b) => ({ ...b, identifier_range: orElse(b.identifier_range, '') })) : p.bgp;
}

/**
 * Cloud Router docs, "Cloud Router overview > ASNs": the router's ASN is a private ASN (16-bit
 * 64512-65534 or 32-bit 4200000000-4294967294), or 16550, the ASN Partner Interconnect requires
 * ("Partner Interconnect: Cloud Router ASN must be 16550"). Google's own ASNs are reserved.
 */
function checkBgp(p: ObjectValue, action: string): void {
  const bgp = first(p.bgp);
  if (!bgp) return;
  const asn = num(bgp.asn) ?? -1;
  const isPrivate = (asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294);
  if (!isPrivate && asn !== PARTNER_INTERCONNECT_ASN) {
    throw invalidField(action, 'resource.bgp.asn', String(asn),
      'Must be a private ASN (64512-65534 or 4200000000-4294967294), or 16550 for Partner Interconnect.', ['bgp', 0, 'asn']);
  }
}

/** The ASN Google's Partner Interconnect documentation asks Cloud Routers to use. */
const PARTNER_INTERCONNECT_ASN = 16550;

export const routerNat: ResourceType = {
  name: 'google_compute_router_nat',
  schema: {
    attributes: {
      name: required('string', { forceNew: true }),
      router: required('string', { forceNew: true }),
      source_subnetwork_ip_ranges_to_nat: required('string', {
        validate: oneOf('ALL_SUBNETWORKS_ALL_IP_RANGES', 'ALL_SUBNETWORKS_ALL_PRIMARY_IP_RANGES', 'LIST_OF_SUBNETWORKS'),
      }),
      source_subnetwork_ip_ranges_to_nat64: optional('string'),
      nat_ip_allocate_option: optional('string', { validate: oneOf('AUTO_ONLY', 'MANUAL_ONLY') }),
      nat_ips: optionalComputed(set('string')),
      initial_nat_ips: optional(set('string'), { forceNew: true }),
      drain_nat_ips: optionalComputed(set('string')),
      auto_network_tier: optionalComputed('string', { validate: oneOf('PREMIUM', 'STANDARD') }),
      min_ports_per_vm: optionalComputed('number'),
      max_ports_per_vm: optional('number'),
      enable_dynamic_port_allocation: optionalComputed('bool'),
      enable_endpoint_independent_mapping: optionalComputed('bool'),
      endpoint_types: optionalComputed(list('string'), { forceNew: true }),
      icmp_idle_timeout_sec: optional('number', { default: 30 }),
      tcp_established_idle_timeout_sec: optional('number', { default: 1200 }),
      tcp_transitory_idle_timeout_sec: optional('number', { default: 30 }),
      tcp_time_wait_timeout_sec: optional('number', { default: 120 }),
      udp_idle_timeout_sec: optional('number', { default: 30 }),
      type: optional('string', { forceNew: true, default: 'PUBLIC', validate: oneOf('PUBLIC', 'PRIVATE') }),
      region: REGION_ATTRIBUTE,
      project: PROJECT_ATTRIBUTE,
      id: optionalComputed('string'),
    },
    blocks: {
      log_config: block('list', {
        attributes: {
          enable: required('bool'),
          filter: required('string', { validate: oneOf('ERRORS_ONLY', 'TRANSLATIONS_ONLY', 'ALL') }),
        },
      }, { maxItems: 1 }),
      subnetwork: block('set', {
        attributes: {
          name: required('string'),
          source_ip_ranges_to_nat: required(set('string')),
          secondary_ip_range_names: optional(set('string')),
        },
      }),
      nat64_subnetwork: block('set', { attributes: { name: required('string') } }),
      rules: block('set', {
        attributes: { rule_number: required('number'), match: required('string'), description: optional('string') },
        blocks: {
          action: block('list', {
            attributes: {
              source_nat_active_ips: optional(set('string')),
              source_nat_drain_ips: optional(set('string')),
              source_nat_active_ranges: optional(set('string')),
              source_nat_drain_ranges: optional(set('string')),
            },
          }, { maxItems: 1 }),
        },
      }),
      timeouts: timeoutsBlock('create', 'update', 'delete'),
    },
  },

  plan(ctx) {
    planLocation(ctx, true);
  },

  create(ctx) {
    const p = ctx.planned;
    const { project, region } = regionalTarget(ctx, p, NAT.create);
    const routerRecord = requireRouter(ctx.cloud, str(p.router) as string, project, region, NAT.create);
    const name = str(p.name) as string;
    checkName(NAT.create, name, 'resource.nats[0].name');
    const id = `${project}/${region}/${routerRecord.name}/${name}`;
    if (ctx.cloud.get(Kind.routerNat, id)) {
      throw apiError(NAT.create, 409, `Router '${routerRecord.id}' already has a NAT named '${name}'`, 'alreadyExists', ['name']);
    }
    const natIps = checkNat(ctx.cloud, p, project, region, routerRecord, NAT.create);
    const state = complete(p, id, project, region);
    ctx.cloud.put<RouterNatRecord>(Kind.routerNat, id, {
      id, project, name, region, self_link: selfLink(routerRecord.id), creation_timestamp: timestamp(),
      router: routerRecord.id, nat_ips: natIps, attributes: toJson(state),
    });
    return state;
  },

  import: natImports.import,
  read: natImports.read,

  update(ctx) {
    const record = priorRecord(ctx, NATS);
    const id = record.id;
    const routerRecord = ctx.cloud.get<RouterRecord>(Kind.router, record.router);
    if (!routerRecord) throw notFound(NAT.update, record.router, ['router']);
    const natIps = checkNat(ctx.cloud, ctx.planned, record.project, record.region, routerRecord, NAT.update);
    const state = complete(ctx.planned, id, record.project, record.region);
    return saveState(ctx.cloud, NATS, record, state, { nat_ips: natIps });
  },

  delete(ctx) {
    ctx.cloud.delete(Kind.routerNat, str(ctx.state.id) ?? '');
  },
};

function requireRouter(cloud: Cloud, ref: string, project: string, region: string, action: string): RouterRecord {
  const r = regionalRef(ref, 'routers', project, region);
  if (!r) throw invalidField(action, 'router', ref, 'Must be a router name or URL.', ['router']);
  const record = cloud.get<RouterRecord>(Kind.router, r.id);
  if (!record) throw notFound(action, r.id, ['router']);
  return record;
}

function complete(p: ObjectValue, id: string, project: string, region: string): ObjectValue {
  const dynamic = orElse(p.enable_dynamic_port_allocation, false);
  return finish(p, {
    ...p,
    id,
    project,
    region,
    nat_ips: orElse(p.nat_ips, []),
    drain_nat_ips: orElse(p.drain_nat_ips, []),
    auto_network_tier: orElse(p.auto_network_tier, 'PREMIUM'),
    min_ports_per_vm: orElse(p.min_ports_per_vm, dynamic ? 32 : 64),
    enable_dynamic_port_allocation: dynamic,
    enable_endpoint_independent_mapping: orElse(p.enable_endpoint_independent_mapping, false),
    endpoint_types: orElse(p.endpoint_types, ['ENDPOINT_TYPE_VM']),
  });
}

/**
 * Cloud NAT's rules: MANUAL_ONLY needs reserved external addresses of the region (AUTO_ONLY takes
 * none), LIST_OF_SUBNETWORKS needs subnetworks of the router's network and region. Returns the
 * ids of the addresses used.
 */
function checkNat(cloud: Cloud, p: ObjectValue, project: string, region: string,
  routerRecord: RouterRecord, action: string): string[] {
  const option = str(p.nat_ip_allocate_option) ?? 'AUTO_ONLY';
  const ips = strings(p.nat_ips);
  if (option === 'AUTO_ONLY' && ips.length > 0) {
    throw invalidField(action, 'resource.nats[0].natIps', ips[0], 'NAT IPs may only be specified when natIpAllocateOption is MANUAL_ONLY.', ['nat_ips']);
  }
  if (option === 'MANUAL_ONLY' && ips.length === 0) {
    throw invalidField(action, 'resource.nats[0].natIps', '', 'At least one NAT IP is required when natIpAllocateOption is MANUAL_ONLY.', ['nat_ips']);
  }
  const used = ips.map((ref) => {
    const r = regionalRef(ref, 'addresses', project, region);
    const record = r ? cloud.get<AddressRecord>(Kind.address, r.id) : undefined;
    if (!r || !record) throw notFound(action, r?.id ?? ref, ['nat_ips']);
    if (record.address_type !== 'EXTERNAL' || record.region !== region) {
      throw invalidField(action, 'resource.nats[0].natIps', ref, `NAT IPs must be external addresses in region '${region}'.`, ['nat_ips']);
    }
    return record.id;
  });
  const ranges = str(p.source_subnetwork_ip_ranges_to_nat);
  const subnets = objects(p.subnetwork);
  if (ranges === 'LIST_OF_SUBNETWORKS' && subnets.length === 0) {
    throw invalidField(action, 'resource.nats[0].subnetworks', '', 'At least one subnetwork is required with LIST_OF_SUBNETWORKS.', ['subnetwork']);
  }
  if (ranges !== 'LIST_OF_SUBNETWORKS' && subnets.length > 0) {
    throw invalidField(action, 'resource.nats[0].subnetworks', '', `Subnetworks may only be listed with LIST_OF_SUBNETWORKS, not ${ranges}.`, ['subnetwork']);
  }
  for (const s of subnets) {
    const ref = str(s.name) as string;
    const r = regionalRef(ref, 'subnetworks', project, region);
    const subnet = r ? cloud.get<SubnetworkRecord>(Kind.subnetwork, r.id) : undefined;
    if (!r || !subnet) throw notFound(action, r?.id ?? ref, ['subnetwork']);
    if (subnet.network !== routerRecord.network || subnet.region !== region) {
      throw invalidField(action, 'resource.nats[0].subnetworks', ref, "The subnetwork must be in the router's network and region.", ['subnetwork']);
    }
  }
  return used;
}
