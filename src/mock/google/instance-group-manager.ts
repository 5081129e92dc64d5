import { Cloud } from '../cloud/cloud';
import { ResourceType } from '../framework/types';
import { block, computed, optional, optionalComputed, required } from '../schema/dsl';
import { oneOf } from '../schema/validators';
import { list, map, object, set } from '../values/cty-type';
import { isUnknown, UNKNOWN } from '../values/unknown';
import { ObjectValue } from '../values/value';
import {
  alreadyExists, checkName, fingerprint, inUse, finish, first, globalRef, invalidField, notFound, num, numericIdNumber, objects, orElse,
  planChanges, regionalId, selfLink, str, stringMap, strings, timeoutsBlock, timestamp, toJson,
} from './common';
import {
  deleteInstance, generatedName, groupConfigs, groupInstances, groupStatus, launchInstance, pickZone, recreateInstance,
} from './instances';
import { findHealthCheck } from './health-check';
import {
  AutoscalerRecord, BackendServiceRecord, GroupVersion, InstanceGroupManagerRecord, InstanceTemplateRecord, Kind, SubnetworkRecord,
} from './model';
import { planLocation, PROJECT_ATTRIBUTE, REGION_ATTRIBUTE, regionalTarget } from './provider-config';
import { zoneName, zonesOf } from './regions';
import { regionalForms, importable } from './resource-import';
import { googleQuota } from './quotas';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - target size 0-2,000 for regional groups, update policy fields, stateful groups: Compute Engine docs, About regional MIGs, Automatically apply VM configuration updates, Stateful MIGs
 * - named ports (name an RFC 1035 label, port 1-65535), autohealing (an existing health check, initial delay 0-3600 s): Compute Engine docs, Set up an application health check and autohealing; Compute Engine API, instanceGroupManagers (namedPorts via instanceGroups.setNamedPorts, autoHealingPolicies)
 * - a group that a backend service uses cannot be deleted (resourceInUseByAnotherResource); its autoscaler is deleted with it: Compute Engine API, instanceGroupManagers.delete; gcloud compute instance-groups managed delete
 */

/**
 * `google_compute_region_instance_group_manager`: a regional managed instance group. The group
 * itself makes instances: `target_size` of them from its template, spread over
 * `distribution_policy_zones` (default: the region's first three zones) round-robin; resizing in
 * place adds or removes instances; a new template rolls out (PROACTIVE) by recreating every
 * instance. Per-instance configs (see per-instance-config.ts) add named instances on top, each
 * raising the live target size, which is why Butter creates the group with `target_size = 0`
 * and ignores later changes to it. Google's rules for regional groups are enforced: zones in the
 * group's region, a template whose subnetwork is in that region, fixed surge/unavailable of 0 or
 * at least the number of zones, no surge with RECREATE, and no proactive redistribution for
 * stateful groups.
 */

const ACTION = {
  create: 'creating RegionInstanceGroupManager', update: 'updating RegionInstanceGroupManager', delete: 'deleting RegionInstanceGroupManager',
};

/**
 * Import: the provider documents `{{name}}` and also accepts the longer forms. Its importer
 * sets the two waiting settings to their defaults (no waiting, STABLE).
 */
const imports = importable({
  ...regionalForms('instanceGroupManagers'),
  configOnly: { wait_for_instances: false, wait_for_instances_status: 'STABLE', timeouts: null },
}, (ctx) => {
  const group = ctx.cloud.get<InstanceGroupManagerRecord>(Kind.instanceGroupManager, str(ctx.state.id) ?? '');
  if (!group) return null;
  return { ...(group.attributes as ObjectValue), target_size: group.target_size, fingerprint: group.fingerprint, status: groupStatus(ctx.cloud, group) };
});

const STATUS_TYPE = list(object({
  is_stable: 'bool',
  version_target: list(object({ is_reached: 'bool' })),
  stateful: list(object({ has_stateful_config: 'bool', per_instance_configs: list(object({ all_effective: 'bool' })) })),
  all_instances_config: list(object({ effective: 'bool', current_revision: 'string' })),
}));

const statefulIp = () => block('list', {
  attributes: {
    interface_name: optional('string', { default: 'nic0' }),
    delete_rule: optional('string', { default: 'NEVER', validate: oneOf('NEVER', 'ON_PERMANENT_INSTANCE_DELETION') }),
  },
});

export const regionInstanceGroupManager: ResourceType = {
  name: 'google_compute_region_instance_group_manager',
  schema: {
    attributes: {
      name: required('string', { forceNew: true }),
      base_instance_name: required('string', { forceNew: true }),
      description: optional('string', { forceNew: true }),
      distribution_policy_zones: optionalComputed(set('string'), { forceNew: true }),
      distribution_policy_target_shape: optionalComputed('string', { validate: oneOf('EVEN', 'BALANCED', 'ANY', 'ANY_SINGLE_ZONE') }),
      target_size: optionalComputed('number'),
      target_stopped_size: optionalComputed('number'),
      target_suspended_size: optionalComputed('number'),
      target_pools: optional(set('string')),
      list_managed_instances_results: optional('string', { default: 'PAGELESS', validate: oneOf('PAGELESS', 'PAGINATED') }),
      wait_for_instances: optional('bool', { default: false }),
      wait_for_instances_status: optional('string', { default: 'STABLE', validate: oneOf('STABLE', 'UPDATED') }),
      region: REGION_ATTRIBUTE,
      project: PROJECT_ATTRIBUTE,
      id: optionalComputed('string'),
      creation_timestamp: computed('string'),
      fingerprint: computed('string'),
      instance_group: computed('string'),
      instance_group_manager_id: computed('number'),
      self_link: computed('string'),
      status: computed(STATUS_TYPE),
    },
    blocks: {
      version: block('list', {
        attributes: { instance_template: required('string'), name: optional('string') },
        blocks: { target_size: block('list', { attributes: { fixed: optional('number'), percent: optional('number') } }, { maxItems: 1 }) },
      }, { minItems: 1 }),
      update_policy: block('list', {
        attributes: {
          type: required('string', { validate: oneOf('PROACTIVE', 'OPPORTUNISTIC') }),
          minimal_action: required('string', { validate: oneOf('NONE', 'REFRESH', 'RESTART', 'REPLACE') }),
          most_disruptive_allowed_action: optional('string', { validate: oneOf('NONE', 'REFRESH', 'RESTART', 'REPLACE') }),
          replacement_method: optional('string', { validate: oneOf('RECREATE', 'SUBSTITUTE') }),
          instance_redistribution_type: optional('string', { validate: oneOf('PROACTIVE', 'NONE') }),
          max_surge_fixed: optionalComputed('number'),
          max_surge_percent: optional('number'),
          max_unavailable_fixed: optionalComputed('number'),
          max_unavailable_percent: optional('number'),
        },
      }, { maxItems: 1 }),
      named_port: block('set', { attributes: { name: required('string'), port: required('number') } }),
      auto_healing_policies: block('list', { attributes: { health_check: required('string'), initial_delay_sec: required('number') } }, { maxItems: 1 }),
      all_instances_config: block('list', { attributes: { metadata: optional(map('string')), labels: optional(map('string')) } }, { maxItems: 1 }),
      instance_lifecycle_policy: block('list', {
        attributes: { force_update_on_repair: optional('string'), default_action_on_failure: optional('string') },
      }, { maxItems: 1 }),
      instance_flexibility_policy: block('list', {
        blocks: {
          instance_selections: block('set', { attributes: { name: required('string'), machine_types: required(set('string')), rank: optional('number') } }),
        },
      }, { maxItems: 1 }),
      standby_policy: block('list', { attributes: { initial_delay_sec: optionalComputed('number'), mode: optionalComputed('string') } }, { maxItems: 1 }),
      stateful_disk: block('set', { attributes: { device_name: required('string'), delete_rule: optional('string', { default: 'NEVER' }) } }),
      stateful_internal_ip: statefulIp(),
      stateful_external_ip: statefulIp(),
      timeouts: timeoutsBlock('create', 'update', 'delete'),
    },
  },

  plan(ctx) {
    planLocation(ctx, true);
    if (ctx.prior && planChanges(ctx)) {
      ctx.planned.fingerprint = UNKNOWN;
      ctx.planned.status = UNKNOWN;
    }
  },

  create(ctx) {
    const p = ctx.planned;
    const { project, region } = regionalTarget(ctx, p, ACTION.create);
    const name = str(p.name) as string;
    checkName(ACTION.create, name);
    checkName(ACTION.create, str(p.base_instance_name) as string, 'resource.baseInstanceName', ['base_instance_name'], 58);
    const id = regionalId(project, region, 'instanceGroupManagers', name);
    if (ctx.cloud.get(Kind.instanceGroupManager, id)) throw alreadyExists(ACTION.create, id);

    const zones = groupZones(p, region);
    const versions = resolveVersions(ctx.cloud, p, project, region, ACTION.create);
    const policy = updatePolicy(p, zones.length, ACTION.create);
    const numericId = numericIdNumber(ctx.cloud);
    const group: InstanceGroupManagerRecord = {
      id, project, name, region, self_link: selfLink(id), creation_timestamp: timestamp(), attributes: {},
      numeric_id: numericId,
      base_instance_name: str(p.base_instance_name) as string,
      zones,
      target_size: 0,
      versions,
      ...policy.record,
      ...statefulPolicy(p),
      ...allInstances(p),
      ...groupServing(ctx.cloud, p, project, region, ACTION.create),
      fingerprint: '',
    };
    checkStateful(ctx.cloud, group, ACTION.create);
    ctx.cloud.put(Kind.instanceGroupManager, id, group);
    resize(ctx.cloud, group, num(p.target_size) ?? 0, ACTION.create);

    const state = finish(p, {
      ...p,
      id,
      project,
      region,
      self_link: selfLink(id),
      instance_group: selfLink(regionalId(project, region, 'instanceGroups', name)),
      instance_group_manager_id: numericId,
      creation_timestamp: group.creation_timestamp,
      distribution_policy_zones: zones,
      distribution_policy_target_shape: orElse(p.distribution_policy_target_shape, 'EVEN'),
      target_size: group.target_size,
      target_stopped_size: orElse(p.target_stopped_size, 0),
      target_suspended_size: orElse(p.target_suspended_size, 0),
      update_policy: policy.state,
      standby_policy: objects(p.standby_policy).map((s) => ({ ...s, initial_delay_sec: orElse(s.initial_delay_sec, 0), mode: orElse(s.mode, 'MANUAL') })),
      status: groupStatus(ctx.cloud, group),
    });
    return save(ctx.cloud, group, state);
  },

  import: imports.import,
  read: imports.read,

  update(ctx) {
    const id = str(ctx.prior.id) as string;
    const found = ctx.cloud.get<InstanceGroupManagerRecord>(Kind.instanceGroupManager, id);
    if (!found) throw notFound(ACTION.update, id);
    const p = ctx.planned;
    const versions = resolveVersions(ctx.cloud, p, found.project, found.region, ACTION.update);
    const policy = updatePolicy(p, found.zones.length, ACTION.update);
    const group: InstanceGroupManagerRecord = {
      ...found, versions, ...policy.record, ...statefulPolicy(p), ...allInstances(p), ...groupServing(ctx.cloud, p, found.project, found.region, ACTION.update),
    };
    checkStateful(ctx.cloud, group, ACTION.update);
    ctx.cloud.put(Kind.instanceGroupManager, id, group);

    // A new template or new instance-wide metadata reaches instances now only with PROACTIVE.
    const templateChanged = found.versions[0]?.instance_template !== versions[0]?.instance_template;
    const allChanged = JSON.stringify([found.all_metadata, found.all_labels]) !== JSON.stringify([group.all_metadata, group.all_labels]);
    if ((templateChanged || allChanged) && group.update_type === 'PROACTIVE' && group.minimal_action !== 'NONE') {
      const configs = groupConfigs(ctx.cloud, id);
      for (const instance of groupInstances(ctx.cloud, id)) {
        const config = configs.find((c) => c.name === instance.per_instance_config) ?? null;
        const renamed = group.replacement_method === 'SUBSTITUTE' && !config && !group.stateful_internal_ips.length;
        if (renamed) {
          deleteInstance(ctx.cloud, instance, false);
          launchInstance(ctx.cloud, group, { name: generatedName(ctx.cloud, group), zone: instance.zone }, ACTION.update);
        } else {
          recreateInstance(ctx.cloud, group, instance, ACTION.update, config);
        }
      }
    }
    const wanted = num(p.target_size);
    if (wanted !== null && wanted !== found.target_size) resize(ctx.cloud, group, wanted, ACTION.update);

    const state = finish(p, {
      ...p,
      update_policy: policy.state,
      target_size: group.target_size,
      status: groupStatus(ctx.cloud, group),
    });
    return save(ctx.cloud, group, state, isUnknown(p.fingerprint));
  },

  delete(ctx) {
    const id = str(ctx.state.id) as string;
    const group = ctx.cloud.get<InstanceGroupManagerRecord>(Kind.instanceGroupManager, id);
    const user = ctx.cloud.list<BackendServiceRecord>(Kind.backendService, (b) => b.groups.includes(id))[0];
    if (group && user) throw inUse(ACTION.delete, 'instance_group', regionalId(group.project, group.region, 'instanceGroups', group.name), user.self_link);
    for (const a of ctx.cloud.list<AutoscalerRecord>(Kind.autoscaler, (a) => a.target === id)) ctx.cloud.delete(Kind.autoscaler, a.id);
    for (const instance of groupInstances(ctx.cloud, id)) deleteInstance(ctx.cloud, instance, true);
    for (const config of groupConfigs(ctx.cloud, id)) ctx.cloud.delete(Kind.perInstanceConfig, config.id);
    ctx.cloud.delete(Kind.instanceGroupManager, id);
  },
};

/** Store the group with its Terraform view and a fresh fingerprint. */
function save(cloud: Cloud, group: InstanceGroupManagerRecord, state: ObjectValue, refreshFingerprint = true): ObjectValue {
  const current = cloud.get<InstanceGroupManagerRecord>(Kind.instanceGroupManager, group.id) ?? group;
  const print = refreshFingerprint ? fingerprint({ ...current, attributes: null, fingerprint: null, state }) : (str(state.fingerprint) ?? current.fingerprint);
  const final = { ...state, fingerprint: print };
  cloud.put<InstanceGroupManagerRecord>(Kind.instanceGroupManager, group.id, { ...current, fingerprint: print, attributes: toJson(final) });
  return final;
}

/** The zones instances go to: each must be a zone of the group's region. */
function groupZones(p: ObjectValue, region: string): string[] {
  const inRegion = zonesOf(region);
  const configured = strings(p.distribution_policy_zones);
  if (configured.length === 0) return inRegion.slice(0, 3);
  configured.forEach((z, i) => {
    if (!inRegion.includes(zoneName(z))) {
      throw invalidField(ACTION.create, `resource.distributionPolicy.zones[${i}].zone`, z,
        `Zone '${zoneName(z)}' is not in region '${region}': the zones of a regional instance group must belong to its region (${inRegion.join(', ')}).`,
        ['distribution_policy_zones']);
    }
  });
  return configured.map(zoneName).sort((a, b) => inRegion.indexOf(a) - inRegion.indexOf(b));
}

/** Versions with their templates resolved; each template must exist and fit the region. */
function resolveVersions(cloud: Cloud, p: ObjectValue, project: string, region: string, action: string): GroupVersion[] {
  return objects(p.version).map((v, i) => {
    const ref = str(v.instance_template) as string;
    const r = globalRef(ref, 'instanceTemplates', project);
    const template = r ? cloud.get<InstanceTemplateRecord>(Kind.instanceTemplate, r.id) : undefined;
    const uniqueId = /[?&]uniqueId=(\d+)/.exec(ref)?.[1];
    // self_link_unique names one exact template: an older one under the same name is not it.
    if (!r || !template || (uniqueId !== undefined && uniqueId !== template.numeric_id)) {
      throw notFound(action, r?.id ?? ref, ['version', i, 'instance_template']);
    }
    const subnet = template.properties.subnetwork ? cloud.get<SubnetworkRecord>(Kind.subnetwork, template.properties.subnetwork) : undefined;
    if (subnet && subnet.region !== region) {
      throw invalidField(action, `resource.versions[${i}].instanceTemplate`, ref,
        `The instance template's subnetwork is in region '${subnet.region}', not in the group's region '${region}'.`, ['version', i, 'instance_template']);
    }
    return { name: str(v.name), instance_template: template.id };
  });
}

/**
 * The update policy, checked as Google checks regional groups. Fixed surge and unavailable
 * default to the number of zones (no surge when replacing by RECREATE).
 */
function updatePolicy(p: ObjectValue, zones: number, action: string): {
  record: Pick<InstanceGroupManagerRecord, 'update_type' | 'minimal_action' | 'replacement_method' | 'redistribution'>;
  state: ObjectValue['update_policy'];
} {
  const u = first(p.update_policy);
  const replacement = str(u?.replacement_method) ?? 'SUBSTITUTE';
  const surgeFixed = u ? num(u.max_surge_fixed) ?? (u.max_surge_percent !== null && !isUnknown(u.max_surge_percent) ? null : (replacement === 'RECREATE' ? 0 : zones)) : null;
  const unavailableFixed = u ? num(u.max_unavailable_fixed) ?? (u.max_unavailable_percent !== null && !isUnknown(u.max_unavailable_percent) ? null : zones) : null;
  const check = (field: string, value: number | null, attr: string) => {
    if (value !== null && value !== 0 && value < zones) {
      throw invalidField(action, `resource.updatePolicy.${field}.fixed`, String(value),
        `Fixed updatePolicy.${field} for regional managed instance group has to be either 0 or at least equal to the number of zones (${zones}).`, ['update_policy', 0, attr]);
    }
  };
  if (u) {
    check('maxSurge', surgeFixed, 'max_surge_fixed');
    check('maxUnavailable', unavailableFixed, 'max_unavailable_fixed');
    if (replacement === 'RECREATE' && (surgeFixed ?? 0) > 0) {
      throw invalidField(action, 'resource.updatePolicy.maxSurge.fixed', String(surgeFixed),
        'maxSurge must be 0 when the replacement method is RECREATE.', ['update_policy', 0, 'max_surge_fixed']);
    }
    if (replacement === 'RECREATE' && unavailableFixed === 0) {
      throw invalidField(action, 'resource.updatePolicy.maxUnavailable.fixed', '0',
        'maxUnavailable must be greater than 0 when the replacement method is RECREATE.', ['update_policy', 0, 'max_unavailable_fixed']);
    }
  }
  return {
    record: {
      // Without an update policy Google applies its defaults: proactive replacement.
      update_type: str(u?.type) ?? 'PROACTIVE',
      minimal_action: str(u?.minimal_action) ?? 'REPLACE',
      replacement_method: replacement,
      redistribution: str(u?.instance_redistribution_type) ?? 'PROACTIVE',
    },
    state: u ? [{ ...u, max_surge_fixed: surgeFixed, max_unavailable_fixed: unavailableFixed }] : p.update_policy,
  };
}

function statefulPolicy(p: ObjectValue): Pick<InstanceGroupManagerRecord, 'stateful_internal_ips' | 'stateful_external_ips'> {
  const nics = (v: ObjectValue['stateful_internal_ip']) => objects(v).map((s) => str(s.interface_name) ?? 'nic0');
  return { stateful_internal_ips: nics(p.stateful_internal_ip), stateful_external_ips: nics(p.stateful_external_ip) };
}

/** Named ports and the autohealing policy, checked as Compute Engine checks them. */
function groupServing(cloud: Cloud, p: ObjectValue, project: string, region: string, action: string): Pick<InstanceGroupManagerRecord, 'named_ports' | 'autohealing'> {
  const namedPorts = objects(p.named_port).map((n) => ({ name: str(n.name) as string, port: num(n.port) as number }));
  namedPorts.forEach((n, i) => {
    checkName(action, n.name, `resource.namedPorts[${i}].name`, ['named_port']);
    if (!Number.isInteger(n.port) || n.port < 1 || n.port > 65535) {
      throw invalidField(action, `resource.namedPorts[${i}].port`, String(n.port), 'Must be greater than or equal to 1 and less than or equal to 65535.', ['named_port']);
    }
  });
  const healing = first(p.auto_healing_policies);
  let autohealing: string | null = null;
  if (healing) {
    const ref = str(healing.health_check) as string;
    const check = findHealthCheck(cloud, ref, project, region);
    if (!check) throw notFound(action, ref, ['auto_healing_policies', 0, 'health_check']);
    const delay = num(healing.initial_delay_sec) ?? 0;
    if (delay < 0 || delay > 3600) {
      throw invalidField(action, 'resource.autoHealingPolicies[0].initialDelaySec', String(delay),
        'Must be greater than or equal to 0 and less than or equal to 3600.', ['auto_healing_policies', 0, 'initial_delay_sec']);
    }
    autohealing = check.id;
  }
  return { named_ports: namedPorts, autohealing };
}

function allInstances(p: ObjectValue): Pick<InstanceGroupManagerRecord, 'all_metadata' | 'all_labels'> {
  const all = first(p.all_instances_config);
  return { all_metadata: stringMap(all?.metadata), all_labels: stringMap(all?.labels) };
}

/** Stateful regional groups (a stateful policy or per-instance configs) must not redistribute proactively. */
export function checkStateful(cloud: Cloud, group: InstanceGroupManagerRecord, action: string): void {
  const stateful = group.stateful_internal_ips.length > 0 || group.stateful_external_ips.length > 0 || groupConfigs(cloud, group.id).length > 0;
  if (stateful && group.redistribution === 'PROACTIVE') {
    throw invalidField(action, 'resource.updatePolicy.instanceRedistributionType', 'PROACTIVE',
      'Proactive instance redistribution is not supported for stateful regional managed instance groups; set instance_redistribution_type to NONE.',
      ['update_policy']);
  }
}

/**
 * Resize to `size`: new instances get generated names in the least-populated zone; shrinking
 * removes instances the group made itself (newest first) before pinned ones.
 */
export function resize(cloud: Cloud, group: InstanceGroupManagerRecord, size: number, action: string): void {
  if (size < 0) throw invalidField(action, 'resource.targetSize', String(size), 'Must be greater than or equal to 0.', ['target_size']);
  // Compute Engine docs, "About regional MIGs" (https://cloud.google.com/compute/docs/instance-groups/regional-migs):
  // a regional managed instance group holds up to 2,000 VMs (a zonal one 1,000; the mock has regional groups only).
  // The error follows the API's "Invalid value for field ..." form; no public record of its exact text was found.
  const limit = googleQuota('instances_per_regional_group');
  if (size > limit) {
    throw invalidField(action, 'resource.targetSize', String(size), `Must be less than or equal to ${limit}.`, ['target_size']);
  }
  let instances = groupInstances(cloud, group.id);
  while (instances.length < size) {
    launchInstance(cloud, group, { name: generatedName(cloud, group), zone: pickZone(cloud, group) }, action);
    instances = groupInstances(cloud, group.id);
  }
  const removable = [...instances].sort((a, b) => Number(a.per_instance_config !== null) - Number(b.per_instance_config !== null)
    || b.creation_timestamp.localeCompare(a.creation_timestamp) || b.name.localeCompare(a.name));
  while (instances.length > size) {
    deleteInstance(cloud, removable.shift()!, true);
    instances = groupInstances(cloud, group.id);
  }
  group.target_size = size;
  const current = cloud.get<InstanceGroupManagerRecord>(Kind.instanceGroupManager, group.id);
  if (current) cloud.put(Kind.instanceGroupManager, group.id, { ...current, target_size: size });
}

/** Change the live target size by `delta` (per-instance configs add and remove instances). */
export function adjustTargetSize(cloud: Cloud, groupId: string, delta: number): void {
  const group = cloud.get<InstanceGroupManagerRecord>(Kind.instanceGroupManager, groupId);
  if (group) cloud.put(Kind.instanceGroupManager, groupId, { ...group, target_size: Math.max(0, group.target_size + delta) });
}
