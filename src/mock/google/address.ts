import { Cloud } from '../cloud/cloud';
import { ResourceType } from '../framework/types';
import { priorRecord } from '../framework/records';
import { computed, optional, optionalComputed, required } from '../schema/dsl';
import { oneOf } from '../schema/validators';
import { list } from '../values/cty-type';
import { ObjectValue } from '../values/value';
import {
  checkLabels, fingerprint, finish, inUse, invalidField, notFound, orElse, regionalRef,
  selfLink, str, stringMap, timeoutsBlock, timestamp, toJson,
} from './common';
import { containsIp, firstFree, ipToNumber, isIp, numberToIp, parseBlock, reservedAddresses } from './ipv4';
import { AddressRecord, ForwardingRuleRecord, InstanceRecord, Kind, newRegional, RouterNatRecord, saveState, storedRecords, SubnetworkRecord } from './model';
import {
  labelAttributes, planLabels, planLocation, PROJECT_ATTRIBUTE, REGION_ATTRIBUTE,
} from './provider-config';
import { REGIONS } from './regions';
import { regionalForms, importable } from './resource-import';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - internal addresses in their subnetwork and not reserved, external addresses without subnetwork, addresses in use: VPC docs, Reserve static internal / external IP addresses
 */

/**
 * `google_compute_address`: a reserved regional IP. Internal addresses live in a subnetwork and
 * must lie inside its primary range, off the four addresses Google reserves, and not be taken
 * (by another reservation or an instance); with no `address` Google picks the lowest free one.
 * External addresses come from the region's public pool. `users` lists what uses the address,
 * and an address in use cannot be released (resourceInUseByAnotherResource). Only labels change
 * in place.
 */

const ACTION = { create: 'creating Address', update: 'updating Address', delete: 'deleting Address' };
const STORE = storedRecords<AddressRecord>(Kind.address, ACTION);

const imports = importable({
  ...regionalForms('addresses'),
  configOnly: { timeouts: null },
  labels: true,
}, (ctx) => {
  const record = ctx.cloud.get<AddressRecord>(Kind.address, str(ctx.state.id) ?? '');
  return record ? { ...(record.attributes as ObjectValue), users: addressUsers(ctx.cloud, record.id) } : null;
});

export const address: ResourceType = {
  name: 'google_compute_address',
  schema: {
    attributes: {
      name: required('string', { forceNew: true }),
      address: optionalComputed('string', { forceNew: true }),
      address_type: optional('string', { forceNew: true, default: 'EXTERNAL', validate: oneOf('INTERNAL', 'EXTERNAL') }),
      description: optional('string', { forceNew: true }),
      ip_version: optional('string', { forceNew: true, validate: oneOf('IPV4', 'IPV6') }),
      ipv6_endpoint_type: optional('string', { forceNew: true, validate: oneOf('VM', 'NETLB') }),
      network: optional('string', { forceNew: true }),
      network_tier: optionalComputed('string', { forceNew: true, validate: oneOf('PREMIUM', 'STANDARD') }),
      prefix_length: optionalComputed('number', { forceNew: true }),
      purpose: optionalComputed('string', { forceNew: true }),
      subnetwork: optionalComputed('string', { forceNew: true }),
      region: REGION_ATTRIBUTE,
      project: PROJECT_ATTRIBUTE,
      ...labelAttributes(),
      id: optionalComputed('string'),
      creation_timestamp: computed('string'),
      label_fingerprint: computed('string'),
      self_link: computed('string'),
      users: computed(list('string')),
    },
    blocks: { timeouts: timeoutsBlock('create', 'update', 'delete') },
  },

  plan(ctx) {
    planLocation(ctx, true);
    planLabels(ctx);
  },

  create(ctx) {
    const p = ctx.planned;
    const { project, region, name, id } = newRegional(ctx, STORE, 'addresses', ACTION.create);
    checkLabels(ACTION.create, stringMap(p.labels));
    const type = (str(p.address_type) ?? 'EXTERNAL') as 'INTERNAL' | 'EXTERNAL';
    const wanted = str(p.address);
    let ip: string;
    let subnet: SubnetworkRecord | null = null;
    let promoted: InstanceRecord | null = null;
    if (type === 'INTERNAL') {
      subnet = internalSubnetwork(ctx.cloud, p, project, region);
      ip = wanted === null ? allocateInternal(ctx.cloud, subnet) : checkInternal(ctx.cloud, subnet, wanted, ACTION.create);
    } else {
      if (str(p.subnetwork)) throw invalidField(ACTION.create, 'resource.subnetwork', str(p.subnetwork) as string, 'A subnetwork may only be set for INTERNAL addresses.', ['subnetwork']);
      if (wanted !== null) promoted = ephemeralOwner(ctx.cloud, project, region, wanted);
      ip = wanted ?? allocateExternal(ctx.cloud, region);
    }
    const purpose = str(p.purpose) ?? (type === 'INTERNAL' ? 'GCE_ENDPOINT' : '');
    const state = finish(p, {
      ...p,
      id,
      project,
      region,
      address: ip,
      self_link: selfLink(id),
      creation_timestamp: timestamp(),
      label_fingerprint: fingerprint(stringMap(p.effective_labels)),
      network_tier: orElse(p.network_tier, 'PREMIUM'),
      prefix_length: orElse(p.prefix_length, 0),
      purpose,
      subnetwork: orElse(p.subnetwork, ''),
      users: [],
    });
    ctx.cloud.put<AddressRecord>(Kind.address, id, {
      id, project, name, region, self_link: selfLink(id), creation_timestamp: str(state.creation_timestamp) as string,
      address: ip, address_type: type, purpose, network_tier: str(state.network_tier) as string,
      subnetwork: subnet?.id ?? null, network: subnet?.network ?? null, attributes: toJson(state),
    });
    // Promoting an ephemeral IP: the instance now uses the reservation.
    if (promoted) ctx.cloud.put<InstanceRecord>(Kind.instance, promoted.id, { ...promoted, external_address: id });
    return state;
  },

  import: imports.import,
  read: imports.read,

  update(ctx) {
    const record = priorRecord(ctx, STORE);
    checkLabels(ACTION.update, stringMap(ctx.planned.labels));
    const state = finish(ctx.planned, { ...ctx.planned, label_fingerprint: fingerprint(stringMap(ctx.planned.effective_labels)) });
    return saveState(ctx.cloud, STORE, record, state);
  },

  delete(ctx) {
    const id = str(ctx.state.id) as string;
    if (!ctx.cloud.get(Kind.address, id)) return;
    const users = addressUsers(ctx.cloud, id);
    if (users.length > 0) throw inUse(ACTION.delete, 'address', id, users[0]);
    ctx.cloud.delete(Kind.address, id);
  },
};

/** Self links of what uses a reserved address: instances and Cloud NAT gateways. */
export function addressUsers(cloud: Cloud, id: string): string[] {
  return [
    ...cloud.list<InstanceRecord>(Kind.instance, (i) => i.internal_address === id || i.external_address === id).map((i) => i.self_link),
    ...cloud.list<RouterNatRecord>(Kind.routerNat, (n) => n.nat_ips.includes(id)).map((n) => selfLink(n.router)),
    ...usingForwardingRules(cloud, id),
  ];
}

/** Forwarding rules on the reserved address `id` (by its IP, in its region and project). */
function usingForwardingRules(cloud: Cloud, id: string): string[] {
  const address = cloud.get<AddressRecord>(Kind.address, id);
  if (!address) return [];
  return cloud.list<ForwardingRuleRecord>(Kind.forwardingRule,
    (f) => f.ip_address === address.address && f.region === address.region && f.project === address.project).map((f) => f.self_link);
}

/** The subnetwork of an internal address (in the address's region), or Google's error. */
function internalSubnetwork(cloud: Cloud, p: ObjectValue, project: string, region: string): SubnetworkRecord {
  const ref = str(p.subnetwork) ?? 'default';
  const r = regionalRef(ref, 'subnetworks', project, region);
  if (!r) throw invalidField(ACTION.create, 'resource.subnetwork', ref, 'Must be a subnetwork URL or name.', ['subnetwork']);
  if (r.region !== region) {
    throw invalidField(ACTION.create, 'resource.subnetwork', ref, `The subnetwork must be in the address's region, '${region}'.`, ['subnetwork']);
  }
  const subnet = cloud.get<SubnetworkRecord>(Kind.subnetwork, r.id);
  if (!subnet) throw notFound(ACTION.create, r.id, ['subnetwork']);
  return subnet;
}

/** Internal IPs taken in a subnetwork: reservations, instances and internal forwarding rules. */
export function usedInternalIps(cloud: Cloud, subnetId: string): Set<string> {
  return new Set([
    ...cloud.list<AddressRecord>(Kind.address, (a) => a.subnetwork === subnetId).map((a) => a.address),
    ...cloud.list<InstanceRecord>(Kind.instance, (i) => i.subnetwork === subnetId).map((i) => i.private_ip),
    ...cloud.list<ForwardingRuleRecord>(Kind.forwardingRule, (f) => f.subnetwork === subnetId).map((f) => f.ip_address),
  ]);
}

/** The lowest free internal IP of a subnetwork, or Google's "exhausted" error. */
export function allocateInternal(cloud: Cloud, subnet: SubnetworkRecord, action = ACTION.create): string {
  const ip = firstFree(parseBlock(subnet.ip_cidr_range), usedInternalIps(cloud, subnet.id));
  if (!ip) {
    throw invalidField(action, 'resource.subnetwork', subnet.id, `IP space of '${subnet.id}' is exhausted.`, ['subnetwork']);
  }
  return ip;
}

/** A requested internal IP: in the primary range, not reserved by Google, not taken. */
export function checkInternal(cloud: Cloud, subnet: SubnetworkRecord, ip: string, action: string, field = 'resource.address',
  path: (string | number)[] = ['address']): string {
  if (!isIp(ip)) throw invalidField(action, field, ip, 'Must be a valid IPv4 address.', path);
  const block = parseBlock(subnet.ip_cidr_range);
  if (!containsIp(block, ip)) {
    throw invalidField(action, field, ip, `Requested internal IP is outside the subnetwork CIDR range (${subnet.ip_cidr_range}).`, path);
  }
  if (reservedAddresses(block).includes(ipToNumber(ip))) {
    throw invalidField(action, field, ip,
      `Requested internal IP is reserved: Google keeps the network, gateway, second-to-last and broadcast addresses of ${subnet.ip_cidr_range}.`, path);
  }
  if (usedInternalIps(cloud, subnet.id).has(ip)) {
    throw invalidField(action, field, ip, `IP_IN_USE_BY_ANOTHER_RESOURCE - IP '${ip}' is already being used by another resource.`, path);
  }
  return ip;
}

/** External IPs taken in the cloud: reservations, instances' ephemeral IPs and external forwarding rules. */
function usedExternalIps(cloud: Cloud): Set<string> {
  return new Set([
    ...cloud.list<ForwardingRuleRecord>(Kind.forwardingRule, (f) => f.subnetwork === null).map((f) => f.ip_address),
    ...cloud.list<AddressRecord>(Kind.address, (a) => a.address_type === 'EXTERNAL').map((a) => a.address),
    ...cloud.list<InstanceRecord>(Kind.instance, (i) => i.public_ip !== null).map((i) => i.public_ip as string),
  ]);
}

/**
 * A public IP from the region's pool (a /16 per region): the mock walks it in a scattered but
 * fixed order, so addresses look like Google's yet a fresh cloud always hands out the same ones.
 */
export function allocateExternal(cloud: Cloud, region: string): string {
  const index = Math.max(0, REGIONS.findIndex((r) => r.name === region));
  const base = ipToNumber(`34.${100 + index}.0.0`);
  const used = usedExternalIps(cloud);
  for (let k = 0; k < 65536; k++) {
    const host = 256 + ((k * 40503) % 65024);
    if (host % 256 === 0 || host % 256 === 255) continue;
    const ip = numberToIp(base + host);
    if (!used.has(ip)) return ip;
  }
  throw invalidField(ACTION.create, 'resource.address', region, 'The region has no external IP addresses left.');
}

/**
 * A requested external IP can only be reserved when it is already the project's: an ephemeral IP
 * of an instance in the region (promotion to static).
 */
function ephemeralOwner(cloud: Cloud, project: string, region: string, ip: string): InstanceRecord {
  const owner = cloud.list<InstanceRecord>(Kind.instance, (i) => i.public_ip === ip && i.project === project && i.region === region)[0];
  if (!owner || owner.external_address !== null) {
    throw invalidField(ACTION.create, 'resource.address', ip,
      'The specified external IP address is not available: only an ephemeral IP of one of the project\'s instances in the region can be reserved.', ['address']);
  }
  return owner;
}
