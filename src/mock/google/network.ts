import { Cloud } from '../cloud/cloud';
import { ResourceType } from '../framework/types';
import { claimId, priorRecord } from '../framework/records';
import { computed, optional, optionalComputed, required } from '../schema/dsl';
import { intBetween, oneOf } from '../schema/validators';
import {
  bool, checkName, finish, globalId, globalRef, inUse, invalidField, notFound, num, orElse, paramsBlock, selfLink, str,
  timeoutsBlock, timestamp, toJson, readStoredState,
} from './common';
import {
  AddressRecord, FirewallRecord, InstanceRecord, Kind, NetworkRecord, RouterRecord, saveState, storedRecords, SubnetworkRecord,
} from './model';
import { planLocation, PROJECT_ATTRIBUTE, projectOf } from './provider-config';
import { REGIONS } from './regions';
import { globalForms, importable } from './resource-import';
import { gatewayOf, parseBlock } from './ipv4';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - names (RFC 1035), MTU 1300-8896, deleting a network in use: Compute Engine API reference, networks.insert / networks.delete; VPC docs, Maximum transmission unit
 */

/**
 * `google_compute_network`: a global VPC network. Custom mode (auto_create_subnetworks = false)
 * starts empty; auto mode gets a /20 in every region from 10.128.0.0/9, which Google deletes
 * with the network. A network still holding subnetworks, firewall rules, routers or addresses
 * cannot be deleted (resourceInUseByAnotherResource).
 */

const ACTION = { create: 'creating Network', update: 'updating Network', delete: 'deleting Network' };
const STORE = storedRecords<NetworkRecord>(Kind.network, ACTION);

/** Import: `delete_default_routes_on_create` is the importer's one virtual field (false). */
const imports = importable({
  ...globalForms('networks'),
  configOnly: { delete_default_routes_on_create: false, params: null, timeouts: null },
}, readStoredState(Kind.network));

export const network: ResourceType = {
  name: 'google_compute_network',
  schema: {
    attributes: {
      name: required('string', { forceNew: true }),
      description: optional('string', { forceNew: true }),
      auto_create_subnetworks: optional('bool', { forceNew: true, default: true }),
      routing_mode: optionalComputed('string', { validate: oneOf('REGIONAL', 'GLOBAL') }),
      mtu: optionalComputed('number', { forceNew: true, validate: intBetween(1300, 8896) }),
      delete_default_routes_on_create: optional('bool', { default: false }),
      enable_ula_internal_ipv6: optional('bool', { forceNew: true }),
      internal_ipv6_range: optionalComputed('string', { forceNew: true }),
      network_firewall_policy_enforcement_order: optional('string', {
        default: 'AFTER_CLASSIC_FIREWALL', validate: oneOf('BEFORE_CLASSIC_FIREWALL', 'AFTER_CLASSIC_FIREWALL'),
      }),
      network_profile: optional('string', { forceNew: true }),
      bgp_always_compare_med: optionalComputed('bool'),
      bgp_best_path_selection_mode: optionalComputed('string', { validate: oneOf('LEGACY', 'STANDARD') }),
      bgp_inter_region_cost: optionalComputed('string'),
      project: PROJECT_ATTRIBUTE,
      id: optionalComputed('string'),
      self_link: computed('string'),
      gateway_ipv4: computed('string'),
      network_id: computed('string'),
      numeric_id: computed('string', { deprecated: true }),
    },
    blocks: { params: paramsBlock(), timeouts: timeoutsBlock('create', 'update', 'delete') },
  },

  plan(ctx) {
    planLocation(ctx, false);
  },

  create(ctx) {
    const p = ctx.planned;
    const project = projectOf(ctx, p, ACTION.create);
    const name = str(p.name) as string;
    checkName(ACTION.create, name);
    const id = globalId(project, 'networks', name);
    claimId(ctx, STORE, id);
    const numericId = ctx.cloud.nextNumericId();
    const auto = bool(p.auto_create_subnetworks) !== false;
    const now = timestamp();
    const state = finish(p, {
      ...p,
      id,
      project,
      self_link: selfLink(id),
      // Only legacy networks have a gateway address; VPC networks report none.
      gateway_ipv4: '',
      network_id: numericId,
      numeric_id: numericId,
      mtu: orElse(p.mtu, 1460),
      routing_mode: orElse(p.routing_mode, 'REGIONAL'),
      bgp_best_path_selection_mode: orElse(p.bgp_best_path_selection_mode, 'LEGACY'),
      bgp_always_compare_med: orElse(p.bgp_always_compare_med, false),
      bgp_inter_region_cost: orElse(p.bgp_inter_region_cost, ''),
      internal_ipv6_range: orElse(p.internal_ipv6_range, ''),
    });
    ctx.cloud.put<NetworkRecord>(Kind.network, id, {
      id, project, name, self_link: selfLink(id), creation_timestamp: now, numeric_id: numericId,
      auto_create_subnetworks: auto, mtu: num(state.mtu) ?? 1460, attributes: toJson(state),
    });
    if (auto) createAutoSubnetworks(ctx.cloud, project, name, id, now);
    return state;
  },

  import: imports.import,
  read: imports.read,

  update(ctx) {
    const record = priorRecord(ctx, STORE);
    const state = finish(ctx.planned, ctx.planned);
    return saveState(ctx.cloud, STORE, record, state);
  },

  delete(ctx) {
    const id = str(ctx.state.id) as string;
    if (!ctx.cloud.get(Kind.network, id)) return;
    // What still lives in the network: Google names the first one it finds.
    const user = [
      ...ctx.cloud.list<SubnetworkRecord>(Kind.subnetwork, (s) => s.network === id && !s.auto),
      ...ctx.cloud.list<FirewallRecord>(Kind.firewall, (f) => f.network === id),
      ...ctx.cloud.list<RouterRecord>(Kind.router, (r) => r.network === id),
      ...ctx.cloud.list<AddressRecord>(Kind.address, (a) => a.network === id),
    ][0];
    if (user) throw inUse(ACTION.delete, 'network', id, user.id);
    for (const s of ctx.cloud.list<SubnetworkRecord>(Kind.subnetwork, (s) => s.network === id && s.auto)) {
      const instance = ctx.cloud.list<InstanceRecord>(Kind.instance, (i) => i.subnetwork === s.id)[0];
      if (instance) throw inUse(ACTION.delete, 'network', id, instance.id);
      ctx.cloud.delete(Kind.subnetwork, s.id);
    }
    ctx.cloud.delete(Kind.network, id);
  },
};

/** Auto mode: one subnetwork per region, named like the network, in the region's fixed range. */
function createAutoSubnetworks(cloud: Cloud, project: string, name: string, networkId: string, now: string): void {
  for (const region of REGIONS) {
    const id = `projects/${project}/regions/${region.name}/subnetworks/${name}`;
    cloud.put<SubnetworkRecord>(Kind.subnetwork, id, {
      id, project, name, self_link: selfLink(id), creation_timestamp: now, attributes: {},
      region: region.name, network: networkId, ip_cidr_range: region.autoRange, secondary_ranges: [], auto: true,
      gateway_address: gatewayOf(parseBlock(region.autoRange)),
    });
  }
}

/** The network's id, or Google's 404. */
export function requireNetwork(cloud: Cloud, ref: string, project: string, action: string): string {
  const network = globalRef(ref, 'networks', project);
  if (!network) throw invalidField(action, 'resource.network', ref, 'Must be a network URL or name.', ['network']);
  if (!cloud.get(Kind.network, network.id)) throw notFound(action, network.id, ['network']);
  return network.id;
}
