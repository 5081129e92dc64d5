import { Cloud } from '../cloud/cloud';
import { ResourceType } from '../framework/types';
import { priorRecord } from '../framework/records';
import { block, optional, optionalComputed, required } from '../schema/dsl';
import { oneOf } from '../schema/validators';
import { map } from '../values/cty-type';
import { ObjectValue } from '../values/value';
import {
  apiError, checkName, finish, first, invalidField, notFound, objects, regionalRef, selfLink, str, stringMap, timeoutsBlock,
  timestamp, readStoredState,
} from './common';
import { adjustTargetSize, checkStateful } from './instance-group-manager';
import { deleteInstance, groupInstances, groupTemplate, launchInstance, pickZone, recreateInstance } from './instances';
import { isIp } from './ipv4';
import {
  AddressRecord, InstanceGroupManagerRecord, InstanceRecord, Kind, PerInstanceConfigRecord, PreservedIp, saveState,
  storedRecords,
} from './model';
import { planLocation, PROJECT_ATTRIBUTE, projectOf, REGION_ATTRIBUTE, regionOf } from './provider-config';
import { importable } from './resource-import';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - preserved addresses of the right type and subnetwork, stateful groups cannot redistribute: Compute Engine docs, Configuring stateful IP addresses in MIGs
 */

/**
 * `google_compute_region_per_instance_config`: a stateful config for one named instance of a
 * regional group. Creating one creates its instance (Google's `createInstances`): in the group's
 * least-populated zone, from the group's template, with the preserved internal and external
 * addresses, and one more in the group's target size. Deleting it with
 * `remove_instance_on_destroy` deletes the instance and shrinks the group again; without, the
 * instance stays and only loses its pinned state. A changed preserved state is applied by
 * recreating the instance unless `minimal_action` is NONE.
 */

const ACTION = {
  create: 'creating RegionPerInstanceConfig', update: 'updating RegionPerInstanceConfig', delete: 'deleting RegionPerInstanceConfig',
};
const STORE = storedRecords<PerInstanceConfigRecord>(Kind.perInstanceConfig, ACTION);

const preservedIp = () => block('set', {
  attributes: {
    interface_name: required('string'),
    auto_delete: optional('string', { default: 'NEVER', validate: oneOf('NEVER', 'ON_PERMANENT_INSTANCE_DELETION') }),
  },
  blocks: { ip_address: block('list', { attributes: { address: optional('string') } }, { maxItems: 1 }) },
});

const ACTIONS = ['NONE', 'REFRESH', 'RESTART', 'REPLACE'];

/**
 * Import: a config is named within its group. What to do on update and destroy is not Google's
 * to keep; the importer sets those virtual fields to their defaults, so a configuration with
 * other values plans an in-place update after the import.
 */
const imports = importable({
  formats: [
    'projects/{{project}}/regions/{{region}}/instanceGroupManagers/{{region_instance_group_manager}}/{{name}}',
    '{{project}}/{{region}}/{{region_instance_group_manager}}/{{name}}', '{{region}}/{{region_instance_group_manager}}/{{name}}',
    '{{region_instance_group_manager}}/{{name}}',
  ],
  id: (f) => `${f.project}/${f.region}/${f.region_instance_group_manager}/${f.name}`,
  configOnly: {
    minimal_action: 'NONE', most_disruptive_allowed_action: 'REPLACE', remove_instance_on_destroy: false, remove_instance_state_on_destroy: false,
    timeouts: null,
  },
}, readStoredState(Kind.perInstanceConfig));

export const regionPerInstanceConfig: ResourceType = {
  name: 'google_compute_region_per_instance_config',
  schema: {
    attributes: {
      name: required('string', { forceNew: true }),
      region_instance_group_manager: required('string', { forceNew: true }),
      minimal_action: optional('string', { default: 'NONE', validate: oneOf(...ACTIONS) }),
      most_disruptive_allowed_action: optional('string', { default: 'REPLACE', validate: oneOf(...ACTIONS) }),
      remove_instance_on_destroy: optional('bool', { default: false }),
      remove_instance_state_on_destroy: optional('bool', { default: false }),
      region: REGION_ATTRIBUTE,
      project: PROJECT_ATTRIBUTE,
      id: optionalComputed('string'),
    },
    blocks: {
      preserved_state: block('list', {
        attributes: { metadata: optional(map('string')) },
        blocks: {
          disk: block('set', {
            attributes: {
              device_name: required('string'),
              source: required('string'),
              mode: optional('string', { default: 'READ_WRITE', validate: oneOf('READ_WRITE', 'READ_ONLY') }),
              delete_rule: optional('string', { default: 'NEVER', validate: oneOf('NEVER', 'ON_PERMANENT_INSTANCE_DELETION') }),
            },
          }),
          internal_ip: preservedIp(),
          external_ip: preservedIp(),
        },
      }, { maxItems: 1 }),
      timeouts: timeoutsBlock('create', 'update', 'delete'),
    },
  },

  plan(ctx) {
    planLocation(ctx, true);
  },

  create(ctx) {
    const p = ctx.planned;
    const project = projectOf(ctx, p, ACTION.create);
    const region = regionOf(ctx, p, ACTION.create);
    const group = requireGroup(ctx.cloud, str(p.region_instance_group_manager) as string, project, region, ACTION.create);
    const name = str(p.name) as string;
    checkName(ACTION.create, name, 'resource.instances[0].name');
    const id = `${project}/${region}/${group.name}/${name}`;
    if (ctx.cloud.get(Kind.perInstanceConfig, id)) {
      throw apiError(ACTION.create, 409, `The per-instance config '${name}' already exists in '${group.id}'`, 'alreadyExists', ['name']);
    }
    const record: PerInstanceConfigRecord = {
      id, project, name, region, group: group.id, self_link: selfLink(group.id), creation_timestamp: timestamp(),
      ...preservedState(ctx.cloud, p, project, region, group, ACTION.create),
      attributes: {},
    };
    ctx.cloud.put(Kind.perInstanceConfig, id, record);
    // Stateful regional groups must not redistribute; Google refuses the config otherwise.
    checkStateful(ctx.cloud, group, ACTION.create);

    const existing = groupInstances(ctx.cloud, group.id).find((i) => i.name === name);
    if (existing) {
      // The config adopts the group's instance of that name and applies its state.
      recreateInstance(ctx.cloud, group, existing, ACTION.create, record);
    } else {
      launchInstance(ctx.cloud, group, { name, zone: pickZone(ctx.cloud, group), config: record }, ACTION.create);
      adjustTargetSize(ctx.cloud, group.id, +1);
    }
    const state = finish(p, { ...p, id, project, region });
    return saveState(ctx.cloud, STORE, record, state);
  },

  import: imports.import,
  read: imports.read,

  update(ctx) {
    const found = priorRecord(ctx, STORE);
    const id = found.id;
    const group = ctx.cloud.get<InstanceGroupManagerRecord>(Kind.instanceGroupManager, found.group);
    if (!group) throw notFound(ACTION.update, found.group, ['region_instance_group_manager']);
    const record: PerInstanceConfigRecord = { ...found, ...preservedState(ctx.cloud, ctx.planned, found.project, found.region, group, ACTION.update) };
    ctx.cloud.put(Kind.perInstanceConfig, id, record);
    const changed = JSON.stringify([found.internal_ips, found.external_ips, found.metadata]) !== JSON.stringify([record.internal_ips, record.external_ips, record.metadata]);
    const instance = groupInstances(ctx.cloud, group.id).find((i) => i.name === found.name);
    if (changed && instance && str(ctx.planned.minimal_action) !== 'NONE') recreateInstance(ctx.cloud, group, instance, ACTION.update, record);
    const state = finish(ctx.planned, ctx.planned);
    return saveState(ctx.cloud, STORE, record, state);
  },

  delete(ctx) {
    const id = str(ctx.state.id) as string;
    const record = ctx.cloud.get<PerInstanceConfigRecord>(Kind.perInstanceConfig, id);
    if (!record) return;
    const instance = groupInstances(ctx.cloud, record.group).find((i) => i.name === record.name);
    if (instance && ctx.state.remove_instance_on_destroy === true) {
      deleteInstance(ctx.cloud, instance, true);
      adjustTargetSize(ctx.cloud, record.group, -1);
    } else if (instance) {
      // The instance stays in the group, no longer pinned to its addresses.
      ctx.cloud.put<InstanceRecord>(Kind.instance, instance.id, { ...instance, per_instance_config: null, internal_address: null, external_address: null });
    }
    ctx.cloud.delete(Kind.perInstanceConfig, id);
  },
};

/** The group a config names (by name or URL), in the config's region, or Google's 404. */
function requireGroup(cloud: Cloud, ref: string, project: string, region: string, action: string): InstanceGroupManagerRecord {
  const r = regionalRef(ref, 'instanceGroupManagers', project, region);
  if (!r) throw invalidField(action, 'instanceGroupManager', ref, 'Must be an instance group manager name or URL.', ['region_instance_group_manager']);
  const group = cloud.get<InstanceGroupManagerRecord>(Kind.instanceGroupManager, r.id);
  if (!group) throw notFound(action, r.id, ['region_instance_group_manager']);
  return group;
}

/**
 * The preserved state, resolved: each IP names a reserved address (URL, path or name, in the
 * config's region) or a literal IP, on an interface the group's template has.
 */
function preservedState(cloud: Cloud, p: ObjectValue, project: string, region: string, group: InstanceGroupManagerRecord, action: string):
  Pick<PerInstanceConfigRecord, 'internal_ips' | 'external_ips' | 'metadata'> {
  const state = first(p.preserved_state);
  const template = groupTemplate(cloud, group, action);
  const nics = template.properties.subnetwork ? ['nic0'] : [];
  const resolve = (attr: 'internal_ip' | 'external_ip'): PreservedIp[] => objects(state?.[attr]).map((ip) => {
    const nic = str(ip.interface_name) as string;
    const field = attr === 'internal_ip' ? 'internalIPs' : 'externalIPs';
    if (!nics.includes(nic)) {
      throw invalidField(action, `resource.preservedState.${field}`, nic, `The instance template has no network interface '${nic}'.`, ['preserved_state']);
    }
    const ref = str(first(ip.ip_address)?.address);
    const base = { interface_name: nic, auto_delete: str(ip.auto_delete) ?? 'NEVER' };
    if (!ref) return { ...base, address_id: null, ip: null };
    if (isIp(ref)) return { ...base, address_id: null, ip: ref };
    const r = regionalRef(ref, 'addresses', project, region);
    const address = r ? cloud.get<AddressRecord>(Kind.address, r.id) : undefined;
    if (!r || !address) throw notFound(action, r?.id ?? ref, ['preserved_state']);
    if (address.region !== group.region) {
      throw invalidField(action, `resource.preservedState.${field}['${nic}'].ipAddress.address`, ref,
        `The address is in region '${address.region}', not in the group's region '${group.region}'.`, ['preserved_state']);
    }
    return { ...base, address_id: address.id, ip: address.address };
  });
  return { internal_ips: resolve('internal_ip'), external_ips: resolve('external_ip'), metadata: stringMap(state?.metadata) };
}
