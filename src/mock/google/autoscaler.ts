import { Cloud } from '../cloud/cloud';
import { ResourceType } from '../framework/types';
import { priorRecord } from '../framework/records';
import { block, computed, optional, optionalComputed, required } from '../schema/dsl';
import { oneOf } from '../schema/validators';
import { ObjectValue } from '../values/value';
import { finish, first, invalidField, notFound, num, objects, readStoredState, regionalRef, selfLink, str, timeoutsBlock, timestamp } from './common';
import { resize } from './instance-group-manager';
import { AutoscalerRecord, InstanceGroupManagerRecord, Kind, newRegional, putRecord, saveState, storedRecords } from './model';
import { planLocation, PROJECT_ATTRIBUTE, REGION_ATTRIBUTE } from './provider-config';
import { importable, regionalForms } from './resource-import';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - the target is a managed instance group of the autoscaler's region, one autoscaler per group: Compute Engine docs, Autoscaling groups of instances; Compute Engine API, regionAutoscalers (target)
 * - 0 <= minNumReplicas <= maxNumReplicas, maxNumReplicas <= 1000 (regional MIG autoscaling limit here): Compute Engine API, regionAutoscalers (autoscalingPolicy); Compute Engine docs, Autoscaler limitations
 * - CPU utilization target in (0, 1]: Compute Engine docs, Scaling based on CPU utilization
 * - the autoscaler keeps the group's size within [min, max] (a new group starts at min; load is not simulated): Compute Engine docs, Autoscaling groups of instances
 */

/**
 * `google_compute_region_autoscaler`: resizes a regional managed instance group between
 * `min_replicas` and `max_replicas`. With no load in the mock, the recommended size is the
 * minimum: creating the autoscaler resizes the group to `min_replicas`, and changing the bounds
 * moves the group into them (the group's `target_size` is then the autoscaler's, which is why a
 * group it manages leaves `target_size` unset).
 */

const ACTION = { create: 'creating RegionAutoscaler', update: 'updating RegionAutoscaler', delete: 'deleting RegionAutoscaler' };
const STORE = storedRecords<AutoscalerRecord>(Kind.autoscaler, ACTION);
const imports = importable({ ...regionalForms('autoscalers'), configOnly: { timeouts: null } }, readStoredState(Kind.autoscaler));

/** The most replicas an autoscaler may be given here (Google: 1,000 per autoscaled group). */
const MAX_REPLICAS = 1000;

export const regionAutoscaler: ResourceType = {
  name: 'google_compute_region_autoscaler',
  schema: {
    attributes: {
      name: required('string', { forceNew: true }),
      target: required('string'),
      description: optional('string'),
      region: REGION_ATTRIBUTE,
      project: PROJECT_ATTRIBUTE,
      id: optionalComputed('string'),
      creation_timestamp: computed('string'),
      self_link: computed('string'),
    },
    blocks: {
      autoscaling_policy: block('list', {
        attributes: {
          min_replicas: required('number'),
          max_replicas: required('number'),
          cooldown_period: optional('number', { default: 60 }),
          mode: optional('string', { default: 'ON', validate: oneOf('OFF', 'ONLY_UP', 'ON') }),
        },
        blocks: {
          cpu_utilization: block('list', {
            attributes: { target: required('number'), predictive_method: optional('string', { default: 'NONE', validate: oneOf('NONE', 'OPTIMIZE_AVAILABILITY') }) },
          }, { maxItems: 1 }),
          load_balancing_utilization: block('list', { attributes: { target: required('number') } }, { maxItems: 1 }),
          metric: block('list', {
            attributes: {
              name: required('string'), filter: optional('string'), single_instance_assignment: optional('number'), target: optional('number'),
              type: optional('string', { validate: oneOf('GAUGE', 'DELTA_PER_SECOND', 'DELTA_PER_MINUTE') }),
            },
          }),
          scale_in_control: block('list', {
            attributes: { time_window_sec: optional('number') },
            blocks: { max_scaled_in_replicas: block('list', { attributes: { fixed: optional('number'), percent: optional('number') } }, { maxItems: 1 }) },
          }, { maxItems: 1 }),
          scaling_schedules: block('set', {
            attributes: {
              name: required('string'), schedule: required('string'), duration_sec: required('number'), min_required_replicas: required('number'),
              description: optional('string'), disabled: optional('bool', { default: false }), time_zone: optional('string', { default: 'UTC' }),
            },
          }),
        },
      }, { minItems: 1, maxItems: 1 }),
      timeouts: timeoutsBlock('create', 'update', 'delete'),
    },
  },

  plan(ctx) {
    planLocation(ctx, true);
  },

  create(ctx) {
    const { project, region, name, id } = newRegional(ctx, STORE, 'autoscalers', ACTION.create);
    const checked = check(ctx.cloud, ctx.planned, project, region, ACTION.create, id);
    const state = finish(ctx.planned, { ...ctx.planned, id, project, region, self_link: selfLink(id), creation_timestamp: timestamp() });
    scale(ctx.cloud, checked, ACTION.create);
    return putRecord<AutoscalerRecord>(ctx.cloud, STORE, { id, project, name, region, target: checked.group.id, min: checked.min, max: checked.max }, state);
  },

  import: imports.import,
  read: imports.read,

  update(ctx) {
    const record = priorRecord(ctx, STORE);
    const checked = check(ctx.cloud, ctx.planned, record.project, record.region, ACTION.update, record.id);
    scale(ctx.cloud, checked, ACTION.update);
    return saveState(ctx.cloud, STORE, record, finish(ctx.planned, ctx.planned), { target: checked.group.id, min: checked.min, max: checked.max });
  },

  delete(ctx) {
    // The group keeps its size: without an autoscaler its target size is fixed again.
    ctx.cloud.delete(Kind.autoscaler, str(ctx.state.id) ?? '');
  },
};

interface Checked {
  group: InstanceGroupManagerRecord;
  min: number;
  max: number;
  mode: string;
}

function check(cloud: Cloud, p: ObjectValue, project: string, region: string, action: string, id: string): Checked {
  const ref = str(p.target) as string;
  const r = regionalRef(ref, 'instanceGroupManagers', project, region);
  if (!r) throw invalidField(action, 'resource.target', ref, 'Must be the URL of a regional managed instance group.', ['target']);
  if (r.region !== region) {
    throw invalidField(action, 'resource.target', ref, `The target managed instance group must be in the autoscaler's region '${region}', not '${r.region}'.`, ['target']);
  }
  const group = cloud.get<InstanceGroupManagerRecord>(Kind.instanceGroupManager, r.id);
  if (!group) throw notFound(action, r.id, ['target']);
  const other = cloud.list<AutoscalerRecord>(Kind.autoscaler, (a) => a.target === group.id && a.id !== id)[0];
  if (other) {
    throw invalidField(action, 'resource.target', ref, `The managed instance group already has an autoscaler: '${other.id}'.`, ['target']);
  }
  const policy = first(p.autoscaling_policy) ?? {};
  const min = num(policy.min_replicas) ?? 0;
  const max = num(policy.max_replicas) ?? 0;
  const path = ['autoscaling_policy', 0];
  if (min < 0) throw invalidField(action, 'resource.autoscalingPolicy.minNumReplicas', String(min), 'Must be greater than or equal to 0.', [...path, 'min_replicas']);
  if (max < 1 || max > MAX_REPLICAS) {
    throw invalidField(action, 'resource.autoscalingPolicy.maxNumReplicas', String(max),
      `Must be greater than or equal to 1 and less than or equal to ${MAX_REPLICAS}.`, [...path, 'max_replicas']);
  }
  if (min > max) {
    throw invalidField(action, 'resource.autoscalingPolicy.minNumReplicas', String(min),
      `minNumReplicas (${min}) must be less than or equal to maxNumReplicas (${max}).`, [...path, 'min_replicas']);
  }
  for (const cpu of objects(policy.cpu_utilization)) {
    const target = num(cpu.target) ?? 0;
    if (!(target > 0 && target <= 1)) {
      throw invalidField(action, 'resource.autoscalingPolicy.cpuUtilization.utilizationTarget', String(target),
        'Must be greater than 0.0 and less than or equal to 1.0.', [...path, 'cpu_utilization', 0, 'target']);
    }
  }
  return { group, min, max, mode: str(policy.mode) ?? 'ON' };
}

/** With no load, the recommended size is the minimum; an OFF autoscaler leaves the group alone, ONLY_UP never shrinks it. */
function scale(cloud: Cloud, { group, min, max, mode }: Checked, action: string): void {
  if (mode === 'OFF') return;
  const current = cloud.get<InstanceGroupManagerRecord>(Kind.instanceGroupManager, group.id) ?? group;
  const size = mode === 'ONLY_UP' ? Math.min(max, Math.max(min, current.target_size)) : min;
  if (size !== current.target_size) resize(cloud, current, size, action);
}
