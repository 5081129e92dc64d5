import { Cloud } from '../cloud/cloud';
import { block, computed, optional, optionalComputed, required } from '../schema/dsl';
import { list, set } from '../values/cty-type';
import { cloneValue } from '../values/compare';
import { isUnknown, UNKNOWN } from '../values/unknown';
import { isObjectValue, JsonObject, ObjectValue, Value } from '../values/value';
import { CreateContext, OperationContext, PlanContext, ResourceType, UpdateContext } from '../framework/types';
import {
  ACCOUNT_ID, arn, awsError, bool, changed, first, num, objects, planCommon, REGION_ATTRIBUTE, regionOf, sameValue, str, strings, timeoutsBlock,
  toJson, uuidFrom,
} from './common';
import { instanceRequirementsBlock } from './instance-types';
import { groupInstances, launchInstance, LaunchSpec, nextSubnet, nextToTerminate, terminateInstance } from './instances';
import { templateVersion } from './launch-template';
import { find, Kind, LaunchTemplateRecord, namePrefixFromName, SecurityGroupRecord, SubnetRecord, Tags, uniqueName } from './model';
import { importById } from './resource-import';
import { deleteGroupPolicies } from './autoscaling-policy';
import { deregisterTargets, ElbKind, registerTarget, TargetGroupRecord } from './elb-model';
import { awsQuota } from './quotas';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - sizes, subnets of one VPC, launch template and its security groups (ValidationError), names unique per region (AlreadyExists): Amazon EC2 Auto Scaling API Reference, CreateAutoScalingGroup / UpdateAutoScalingGroup
 * - balancing over zones and scale-in order: Amazon EC2 Auto Scaling User Guide, Rebalancing activities and Default termination policy
 * - target groups (instance targets, the group's VPC; instances registered and deregistered with the group), health check
 *   types and grace period: Amazon EC2 Auto Scaling API Reference, CreateAutoScalingGroup (TargetGroupARNs, HealthCheckType,
 *   HealthCheckGracePeriod); Amazon EC2 Auto Scaling User Guide, "Use Elastic Load Balancing to distribute incoming application traffic"
 * - desired capacity defaults to the minimum size when not given: CreateAutoScalingGroup (DesiredCapacity)
 * - Auto Scaling groups per Region (LimitExceeded): Amazon EC2 Auto Scaling User Guide, Quotas for Amazon EC2 Auto Scaling
 * The mock's own wording (documented rule, no published error text found): a target group of another VPC, an
 * unknown health check type, a negative grace period.
 */

/**
 * `aws_autoscaling_group`, which really runs instances: on create it launches `desired_capacity`
 * instances spread over its subnets' zones; capacity changes launch or terminate; a new launch
 * template version (or subnet list) with `instance_refresh` replaces the instances; deleting the
 * group terminates them. Launches happen at once (Terraform would wait for capacity anyway), and
 * a launch EC2 would refuse (unknown image or type, security groups of another VPC, a full
 * subnet) fails the apply with EC2's error.
 */

/** What the cloud keeps about a group. */
interface GroupRecord extends JsonObject {
  id: string;
  name: string;
  region: string;
  arn: string;
  vpc_id: string;
  subnet_ids: string[];
  min_size: number;
  max_size: number;
  desired_capacity: number;
  /** The launch source as configured: template id, version string, overrides. */
  launch: { template_id: string; version: string | null; overrides: JsonObject[] };
  tags: { key: string; value: string; propagate_at_launch: boolean }[];
  /** The rest of the group's configuration, returned as it was set. */
  settings: JsonObject;
}

const SPEC_ATTRIBUTES = {
  launch_template_id: optionalComputed('string'),
  launch_template_name: optionalComputed('string'),
  version: optionalComputed('string'),
};

/**
 * Settings Auto Scaling does not keep, which only steer what the provider does (wait, force,
 * refresh): the provider never reads them back, so `read` leaves them as the state has them and
 * an import starts without them (see `importGroup`).
 */
const CONFIG_ONLY = [
  'force_delete', 'force_delete_warm_pool', 'ignore_failed_scaling_activities', 'instance_refresh', 'min_elb_capacity',
  'timeouts', 'wait_for_capacity_timeout', 'wait_for_elb_capacity',
];

/** Attributes that live in the cloud's record rather than in `settings`. */
const LIVE = ['id', 'name', 'arn', 'region', 'min_size', 'max_size', 'desired_capacity', 'vpc_zone_identifier', 'availability_zones'];

/** Values Auto Scaling reports for settings the configuration leaves to it. */
const CLOUD_DEFAULTS: Record<string, Value> = {
  default_cooldown: 300,
  health_check_type: 'EC2',
  load_balancers: [],
  target_group_arns: [],
  predicted_capacity: 0,
  warm_pool_size: 0,
  name_prefix: '',
  service_linked_role_arn: `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
  on_demand_allocation_strategy: 'prioritized',
  on_demand_base_capacity: 0,
  on_demand_percentage_above_base_capacity: 100,
  spot_allocation_strategy: 'lowest-price',
  spot_instance_pools: 2,
  version: '$Default',
};

function fillDefaults(v: Value, name = ''): Value {
  if (isUnknown(v)) return CLOUD_DEFAULTS[name] ?? null;
  if (Array.isArray(v)) return v.map((e) => fillDefaults(e, name));
  if (isObjectValue(v)) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, fillDefaults(e, k)]));
  return v;
}

// --- resolving the configuration against the cloud --------------------------------------------

interface TemplateRef {
  readonly id: string | null;
  readonly name: string | null;
  readonly version: string | null;
}

function findTemplate(cloud: Cloud, region: string, ref: TemplateRef, path: (string | number)[]): LaunchTemplateRecord {
  const t = ref.id
    ? find<LaunchTemplateRecord>(cloud, Kind.launchTemplate, ref.id, region)
    : cloud.list<LaunchTemplateRecord>(Kind.launchTemplate, (l) => l.region === region && l.name === ref.name)[0];
  if (!t) {
    const which = ref.id ? `template ID ${ref.id}` : `template name ${ref.name}`;
    throw awsError('ValidationError', `You must use a valid fully-formed launch template. The specified launch template, with ${which}, does not exist.`, path);
  }
  return t;
}

/** The launch template a group uses (directly or through its mixed instances policy). */
function templateRefOf(planned: ObjectValue): { ref: TemplateRef; overrides: ObjectValue[]; path: (string | number)[] } | null {
  const direct = first(planned.launch_template);
  if (direct) return { ref: { id: str(direct.id), name: str(direct.name), version: str(direct.version) }, overrides: [], path: ['launch_template', 0] };
  const mixed = first(first(planned.mixed_instances_policy)?.launch_template);
  const spec = first(mixed?.launch_template_specification);
  if (!mixed || !spec) return null;
  return {
    ref: { id: str(spec.launch_template_id), name: str(spec.launch_template_name), version: str(spec.version) },
    overrides: objects(mixed.override),
    path: ['mixed_instances_policy', 0, 'launch_template', 0, 'launch_template_specification', 0],
  };
}

/** The subnets of a group: they must exist and share one VPC. */
function resolveSubnets(cloud: Cloud, region: string, planned: ObjectValue): SubnetRecord[] {
  const ids = strings(planned.vpc_zone_identifier);
  if (ids.length === 0) {
    const zones = strings(planned.availability_zones);
    if (zones.length > 0) {
      throw awsError('ValidationError', `No default subnet for availability zone: '${zones[0]}'`, ['availability_zones'],
        'The mock account has no default VPC: give the group subnets with vpc_zone_identifier.');
    }
    throw awsError('ValidationError', 'At least one Availability Zone or VPC Subnet is required.', ['vpc_zone_identifier']);
  }
  const subnets = ids.map((id) => {
    const s = find<SubnetRecord>(cloud, Kind.subnet, id, region);
    if (!s) throw awsError('ValidationError', `The subnet ID '${id}' does not exist`, ['vpc_zone_identifier']);
    return s;
  });
  const vpcs = [...new Set(subnets.map((s) => s.vpc_id))];
  if (vpcs.length > 1) {
    throw awsError('ValidationError', 'The subnets of an Auto Scaling group must all belong to the same VPC', ['vpc_zone_identifier'],
      subnets.map((s) => `${s.id} is in ${s.vpc_id}`).join('; '));
  }
  // Keep the configured order of a list; sets arrive sorted, which is as good an order as any.
  return subnets;
}

/** Build the launch spec of a group and check its security groups belong to the group's VPC. */
function resolveLaunch(ctx: OperationContext, planned: ObjectValue, region: string, groupName: string, vpcId: string): { spec: LaunchSpec; ref: TemplateRef } {
  const source = templateRefOf(planned);
  if (!source) {
    throw awsError('ValidationError', 'Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.');
  }
  const template = findTemplate(ctx.cloud, region, source.ref, source.path);
  const { version, data } = templateVersion(template, source.ref.version, [...source.path, 'version']);
  const ni = first(data.network_interfaces);
  const groups = ni && strings(ni.security_groups).length > 0 ? strings(ni.security_groups) : strings(data.vpc_security_group_ids);
  for (const id of groups) {
    const g = find<SecurityGroupRecord>(ctx.cloud, Kind.securityGroup, id, region);
    if (!g) {
      throw awsError('ValidationError', `You must use a valid fully-formed launch template. The security group '${id}' does not exist in VPC '${vpcId}'`, source.path);
    }
    if (g.vpc_id !== vpcId) {
      throw awsError('ValidationError', 'One or more security groups in the launch template are not linked to the VPCs configured in the Auto Scaling group', source.path,
        `${id} belongs to ${g.vpc_id}; the group's subnets are in ${vpcId}.`);
    }
  }
  const propagatedTags: Tags = {};
  for (const t of objects(planned.tag)) if (bool(t.propagate_at_launch) === true) propagatedTags[str(t.key) ?? ''] = str(t.value) ?? '';
  return {
    spec: { region, template, version, data, overrides: source.overrides, groupName, propagatedTags },
    ref: { id: template.id, name: template.name, version: source.ref.version },
  };
}

/** Fill the template ids and names a group's configuration left to the cloud. */
function resolveTemplateRefs(ctx: OperationContext, planned: ObjectValue, region: string): ObjectValue {
  const value = cloneValue(planned);
  const lt = first(value.launch_template);
  if (lt) {
    const t = findTemplate(ctx.cloud, region, { id: str(lt.id), name: str(lt.name), version: null }, ['launch_template', 0]);
    lt.id = t.id;
    lt.name = t.name;
  }
  const mixed = first(first(value.mixed_instances_policy)?.launch_template);
  const specs = [first(mixed?.launch_template_specification), ...objects(mixed?.override).map((o) => first(o.launch_template_specification))];
  for (const spec of specs) {
    if (!spec) continue;
    const t = findTemplate(ctx.cloud, region, { id: str(spec.launch_template_id), name: str(spec.launch_template_name), version: null }, ['mixed_instances_policy']);
    spec.launch_template_id = t.id;
    spec.launch_template_name = t.name;
  }
  return value;
}

// --- capacity -------------------------------------------------------------------------------------

/** Launch or terminate until the group has `desired` instances, keeping zones balanced. */
function scaleTo(cloud: Cloud, group: GroupRecord, spec: LaunchSpec, subnets: SubnetRecord[]): void {
  let instances = groupInstances(cloud, group.region, group.name);
  while (instances.length > group.desired_capacity) {
    terminateInstance(cloud, nextToTerminate(instances).id);
    instances = groupInstances(cloud, group.region, group.name);
  }
  while (instances.length < group.desired_capacity) {
    instances.push(launchInstance(cloud, spec, nextSubnet(subnets, instances, spec)));
  }
}

function groupState(g: GroupRecord): ObjectValue {
  const settings = Object.fromEntries(Object.entries(g.settings).filter(([k]) => !CONFIG_ONLY.includes(k))) as ObjectValue;
  return {
    ...settings,
    id: g.name,
    name: g.name,
    arn: g.arn,
    region: g.region,
    min_size: g.min_size,
    max_size: g.max_size,
    desired_capacity: g.desired_capacity,
    vpc_zone_identifier: g.subnet_ids,
  };
}

function zonesOf(subnets: readonly SubnetRecord[]): string[] {
  return [...new Set(subnets.map((s) => s.availability_zone))].sort();
}

function checkSizes(min: number, max: number, desired: number): void {
  if (max < min) throw awsError('ValidationError', `Max bound, ${max}, must be greater than or equal to min bound, ${min}`, ['max_size']);
  if (desired < min || desired > max) {
    throw awsError('ValidationError', `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`, ['desired_capacity']);
  }
}

/** Create or update: resolve, check, store, and bring the instances in line. */
function apply(ctx: CreateContext, existing: GroupRecord | null, prior: ObjectValue | null): ObjectValue {
  const region = existing?.region ?? regionOf(ctx, ctx.planned);
  const name = existing?.name ?? str(ctx.planned.name) ?? uniqueName(ctx.cloud, str(ctx.planned.name_prefix));
  if (!existing && ctx.cloud.list<GroupRecord>(Kind.autoscalingGroup, (g) => g.region === region && g.name === name).length > 0) {
    throw awsError('AlreadyExists', `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`, ['name']);
  }
  if (!existing) checkGroupQuota(ctx.cloud, region);
  if (ctx.planned.launch_configuration !== null) {
    throw awsError('ValidationError', 'Launch configurations are not available for new accounts; use a launch template', ['launch_configuration'],
      'The Butter mock cloud, like AWS accounts created since 2023, has no launch configurations.');
  }
  const min = num(ctx.planned.min_size) ?? 0;
  const max = num(ctx.planned.max_size) ?? 0;
  const desired = isUnknown(ctx.planned.desired_capacity) ? Math.min(Math.max(existing?.desired_capacity ?? min, min), max)
    : num(ctx.planned.desired_capacity) ?? min;
  checkSizes(min, max, desired);
  const subnets = resolveSubnets(ctx.cloud, region, ctx.planned);
  const { spec } = resolveLaunch(ctx, ctx.planned, region, name, subnets[0].vpc_id);
  checkHealthCheckType(ctx.planned);
  const targetGroups = resolveTargetGroups(ctx.cloud, region, ctx.planned, subnets[0].vpc_id);
  const resolved = resolveTemplateRefs(ctx, ctx.planned, region);
  const settings: ObjectValue = {};
  for (const [k, v] of Object.entries(resolved)) if (!LIVE.includes(k)) settings[k] = fillDefaults(v, k);
  settings.name_prefix = namePrefixFromName(name);
  const group: GroupRecord = {
    id: name,
    name,
    region,
    arn: existing?.arn ?? arn('autoscaling', region, `autoScalingGroup:${uuidFrom(ctx.cloud.nextId('asg'))}:autoScalingGroupName/${name}`),
    vpc_id: subnets[0].vpc_id,
    subnet_ids: subnets.map((s) => s.id),
    min_size: min,
    max_size: max,
    desired_capacity: desired,
    launch: { template_id: spec.template.id, version: templateRefOf(ctx.planned)?.ref.version ?? null, overrides: spec.overrides.map(toJson) },
    tags: objects(ctx.planned.tag).map((t) => ({ key: str(t.key) ?? '', value: str(t.value) ?? '', propagate_at_launch: bool(t.propagate_at_launch) === true })),
    settings: toJson(settings),
  };
  ctx.cloud.put(Kind.autoscalingGroup, groupKey(region, name), group);

  if (existing && prior) {
    // Instances in subnets the group no longer uses are replaced in the remaining ones.
    for (const i of groupInstances(ctx.cloud, region, name)) if (!group.subnet_ids.includes(i.subnet_id)) terminateInstance(ctx.cloud, i.id);
    if (refreshNeeded(prior, ctx.planned)) {
      const preferences = first(first(ctx.planned.instance_refresh)?.preferences);
      const skipMatching = bool(preferences?.skip_matching) === true;
      for (const i of groupInstances(ctx.cloud, region, name)) {
        const matches = i.launch_template.id === spec.template.id && i.launch_template.version === String(spec.version);
        if (!(skipMatching && matches)) terminateInstance(ctx.cloud, i.id);
      }
    }
  }
  scaleTo(ctx.cloud, group, spec, subnets);
  syncTargets(ctx.cloud, group, targetGroups);
  return { ...groupState(group), availability_zones: zonesOf(subnets) };
}

/** Health check types Auto Scaling takes (EC2 always applies; the others add to it). */
const HEALTH_CHECK_TYPES = ['EC2', 'ELB', 'VPC_LATTICE', 'EBS'];

function checkHealthCheckType(planned: ObjectValue): void {
  const types = (str(planned.health_check_type) ?? 'EC2').split(',').map((t) => t.trim());
  const bad = types.find((t) => !HEALTH_CHECK_TYPES.includes(t));
  if (bad !== undefined) {
    throw awsError('ValidationError', `Health check type '${bad}' is not valid; valid types are ${HEALTH_CHECK_TYPES.join(', ')}`, ['health_check_type']);
  }
  const grace = num(planned.health_check_grace_period);
  if (grace !== null && grace < 0) throw awsError('ValidationError', 'HealthCheckGracePeriod must be at least 0', ['health_check_grace_period']);
}

/**
 * The target groups of `target_group_arns`: they must exist in the group's region, take instance
 * targets, and be in the group's VPC (Auto Scaling registers the group's instances in them).
 */
function resolveTargetGroups(cloud: Cloud, region: string, planned: ObjectValue, vpcId: string): TargetGroupRecord[] {
  return strings(planned.target_group_arns).map((tgArn) => {
    const tg = cloud.get<TargetGroupRecord>(ElbKind.targetGroup, tgArn);
    if (!tg || tg.region !== region) {
      throw awsError('ValidationError', 'Provided Target Groups may not be valid. Please ensure they exist and try again.', ['target_group_arns'], `${tgArn} is not a target group of ${region}.`);
    }
    if (tg.target_type !== 'instance') {
      throw awsError('ValidationError', `Provided Target Group '${tgArn}' has invalid target type. Please ensure all provided Target Groups have target type of instance.`, ['target_group_arns']);
    }
    if (tg.vpc_id !== vpcId) {
      throw awsError('ValidationError', `Provided Target Group '${tgArn}' is not in the same VPC as the Auto Scaling group`, ['target_group_arns'],
        `Target group ${tg.name} is in ${tg.vpc_id}; the group's subnets are in ${vpcId}. Instances can only be registered in target groups of their own VPC.`);
    }
    return tg;
  });
}

/**
 * Registration: every instance of the group is a target of each of its target groups (on the
 * group's port), and nothing the group registered stays in a group it no longer lists.
 */
function syncTargets(cloud: Cloud, group: GroupRecord, targetGroups: TargetGroupRecord[]): void {
  const by = `autoscaling:${group.name}`;
  const instances = groupInstances(cloud, group.region, group.name);
  const ids = new Set(instances.map((i) => i.id));
  const arns = new Set(targetGroups.map((t) => t.arn));
  deregisterTargets(cloud, (t) => t.region === group.region && t.registered_by === by && (!arns.has(t.target_group_arn) || !ids.has(t.target_id)));
  const limit = awsQuota('targets_per_target_group');
  for (const tg of targetGroups) for (const i of instances) registerTarget(cloud, tg, i, null, by, limit);
}

/**
 * An instance refresh starts when the group has `instance_refresh` and its launch template
 * (or mixed instances policy), or an attribute named in `triggers`, changes.
 */
function refreshNeeded(prior: ObjectValue, planned: ObjectValue): boolean {
  const refresh = first(planned.instance_refresh);
  if (!refresh) return false;
  const watched = ['launch_template', 'mixed_instances_policy', ...strings(refresh.triggers)];
  return watched.some((a) => !sameValue(prior[a], planned[a], true));
}

function planGroup(ctx: PlanContext): void {
  planCommon(ctx, false);
  const prior = ctx.prior;
  if (!prior) return;
  const min = num(ctx.planned.min_size);
  const max = num(ctx.planned.max_size);
  const before = num(prior.desired_capacity);
  if (ctx.config.desired_capacity === null && min !== null && max !== null && before !== null) {
    ctx.planned.desired_capacity = Math.min(Math.max(before, min), max);
  }
  if (ctx.config.availability_zones === null && changed(ctx, 'vpc_zone_identifier', true)) ctx.planned.availability_zones = UNKNOWN;
  // A template named differently: the computed half of its reference is decided anew.
  const lt = first(ctx.planned.launch_template);
  const priorLt = first(prior.launch_template);
  const configLt = first(ctx.config.launch_template);
  if (lt && priorLt && configLt) {
    if (configLt.id === null && !sameValue(lt.name, priorLt.name)) lt.id = UNKNOWN;
    if (configLt.name === null && !sameValue(lt.id, priorLt.id)) lt.name = UNKNOWN;
  }
  const spec = first(first(first(ctx.planned.mixed_instances_policy)?.launch_template)?.launch_template_specification);
  const priorSpec = first(first(first(prior.mixed_instances_policy)?.launch_template)?.launch_template_specification);
  const configSpec = first(first(first(ctx.config.mixed_instances_policy)?.launch_template)?.launch_template_specification);
  if (spec && priorSpec && configSpec) {
    if (configSpec.launch_template_id === null && !sameValue(spec.launch_template_name, priorSpec.launch_template_name)) spec.launch_template_id = UNKNOWN;
    if (configSpec.launch_template_name === null && !sameValue(spec.launch_template_id, priorSpec.launch_template_id)) spec.launch_template_name = UNKNOWN;
  }
}

/**
 * A group imports by name. Of the settings never read back, those whose default is the zero
 * value (false) plan no change, as the SDK does not tell them from unset; the others
 * (`wait_for_capacity_timeout`'s "10m", `instance_refresh`) stay null, so a configuration that
 * has them plans an in-place update after the import, as with the real provider
 * (hashicorp/terraform-provider-aws#10334).
 */
const importGroup = importById({
  format: 'the group name',
  zeroDefaults: { force_delete: false, force_delete_warm_pool: false, ignore_failed_scaling_activities: false },
});

/** Group names are unique per region, so the cloud keys groups by both. */
function groupKey(region: string, name: string): string {
  return `${region}/${name}`;
}

function findGroup(ctx: OperationContext, state: ObjectValue): GroupRecord | undefined {
  return ctx.cloud.get<GroupRecord>(Kind.autoscalingGroup, groupKey(regionOf(ctx, state), str(state.id) ?? str(state.name) ?? ''));
}

// --- schema -----------------------------------------------------------------------------------------

export const autoscalingGroup: ResourceType = {
  name: 'aws_autoscaling_group',
  schema: {
    version: 1,
    attributes: {
      arn: computed('string'),
      availability_zones: optionalComputed(set('string')),
      capacity_rebalance: optional('bool'),
      context: optional('string'),
      default_cooldown: optionalComputed('number'),
      default_instance_warmup: optional('number'),
      desired_capacity: optionalComputed('number'),
      desired_capacity_type: optional('string'),
      enabled_metrics: optional(set('string')),
      force_delete: optional('bool', { default: false }),
      force_delete_warm_pool: optional('bool', { default: false }),
      health_check_grace_period: optional('number', { default: 300 }),
      health_check_type: optionalComputed('string'),
      id: computed('string'),
      ignore_failed_scaling_activities: optional('bool', { default: false }),
      launch_configuration: optional('string'),
      load_balancers: optionalComputed(set('string')),
      max_instance_lifetime: optional('number'),
      max_size: required('number'),
      metrics_granularity: optional('string', { default: '1Minute' }),
      min_elb_capacity: optional('number'),
      min_size: required('number'),
      name: optionalComputed('string', { forceNew: true }),
      name_prefix: optionalComputed('string', { forceNew: true }),
      placement_group: optional('string'),
      predicted_capacity: computed('number'),
      protect_from_scale_in: optional('bool', { default: false }),
      region: REGION_ATTRIBUTE,
      service_linked_role_arn: optionalComputed('string'),
      suspended_processes: optional(set('string')),
      target_group_arns: optionalComputed(set('string')),
      termination_policies: optional(list('string')),
      vpc_zone_identifier: optionalComputed(set('string')),
      wait_for_capacity_timeout: optional('string', { default: '10m' }),
      wait_for_elb_capacity: optional('number'),
      warm_pool_size: computed('number'),
    },
    blocks: {
      instance_maintenance_policy: block('list', {
        attributes: { max_healthy_percentage: required('number'), min_healthy_percentage: required('number') },
      }, { maxItems: 1 }),
      instance_refresh: block('list', {
        attributes: { strategy: required('string'), triggers: optional(set('string')) },
        blocks: {
          preferences: block('list', {
            attributes: {
              auto_rollback: optional('bool'),
              checkpoint_delay: optional('string'),
              checkpoint_percentages: optional(list('number')),
              instance_warmup: optional('string'),
              max_healthy_percentage: optional('number', { default: 100 }),
              min_healthy_percentage: optional('number', { default: 90 }),
              scale_in_protected_instances: optional('string', { default: 'Ignore' }),
              skip_matching: optional('bool', { default: false }),
              standby_instances: optional('string', { default: 'Ignore' }),
            },
            blocks: { alarm_specification: block('list', { attributes: { alarms: optional(list('string')) } }, { maxItems: 1 }) },
          }, { maxItems: 1 }),
        },
      }, { maxItems: 1 }),
      launch_template: block('list', {
        attributes: { id: optionalComputed('string'), name: optionalComputed('string'), version: optional('string') },
      }, { maxItems: 1 }),
      mixed_instances_policy: block('list', {
        blocks: {
          instances_distribution: block('list', {
            attributes: {
              on_demand_allocation_strategy: optionalComputed('string'),
              on_demand_base_capacity: optionalComputed('number'),
              on_demand_percentage_above_base_capacity: optionalComputed('number'),
              spot_allocation_strategy: optionalComputed('string'),
              spot_instance_pools: optionalComputed('number'),
              spot_max_price: optional('string'),
            },
          }, { maxItems: 1 }),
          launch_template: block('list', {
            blocks: {
              launch_template_specification: block('list', { attributes: SPEC_ATTRIBUTES }, { minItems: 1, maxItems: 1 }),
              override: block('list', {
                attributes: { instance_type: optional('string'), weighted_capacity: optional('string') },
                blocks: {
                  instance_requirements: instanceRequirementsBlock(),
                  launch_template_specification: block('list', { attributes: SPEC_ATTRIBUTES }, { maxItems: 1 }),
                },
              }),
            },
          }, { minItems: 1, maxItems: 1 }),
        },
      }, { maxItems: 1 }),
      tag: block('set', {
        attributes: { key: required('string'), propagate_at_launch: required('bool'), value: required('string') },
      }),
      traffic_source: block('set', { attributes: { identifier: required('string'), type: optional('string') } }),
      timeouts: timeoutsBlock('delete', 'update'),
    },
  },
  validate(ctx) {
    const sources = ['launch_configuration', 'launch_template', 'mixed_instances_policy']
      .filter((n) => ctx.config[n] !== null && !(Array.isArray(ctx.config[n]) && (ctx.config[n] as Value[]).length === 0));
    if (sources.length !== 1) {
      ctx.error('Invalid combination of arguments', {
        detail: `exactly one of \`launch_configuration,launch_template,mixed_instances_policy\` must be specified${sources.length > 1 ? ` (got ${sources.join(', ')})` : ''}`,
      });
    }
    const lt = first(ctx.config.launch_template);
    if (lt && lt.id === null && lt.name === null) {
      ctx.error('Invalid combination of arguments', { detail: 'launch_template: one of `id,name` must be specified', path: ['launch_template', 0] });
    }
  },
  plan: planGroup,
  create(ctx) {
    return apply(ctx, null, null);
  },
  import: importGroup,
  read(ctx) {
    const g = findGroup(ctx, ctx.state);
    if (!g) return null;
    const subnets = g.subnet_ids.map((id) => ctx.cloud.get<SubnetRecord>(Kind.subnet, id)).filter((s): s is SubnetRecord => s !== undefined);
    return { ...groupState(g), availability_zones: zonesOf(subnets) };
  },
  update(ctx: UpdateContext) {
    const g = findGroup(ctx, ctx.prior);
    if (!g) throw awsError('ValidationError', `AutoScalingGroup name not found - AutoScalingGroup '${str(ctx.prior.name)}' not found`);
    return apply(ctx, g, ctx.prior);
  },
  delete(ctx) {
    const g = findGroup(ctx, ctx.state);
    if (!g) return;
    for (const i of groupInstances(ctx.cloud, g.region, g.name)) terminateInstance(ctx.cloud, i.id);
    deleteGroupPolicies(ctx.cloud, g.region, g.name);
    ctx.cloud.delete(Kind.autoscalingGroup, groupKey(g.region, g.name));
  },
};

/**
 * Amazon EC2 Auto Scaling User Guide, "Quotas for Amazon EC2 Auto Scaling": Auto Scaling groups per
 * Region (500 by default). CreateAutoScalingGroup fails with LimitExceeded (the fault the Auto
 * Scaling API model declares: "You have already reached a limit for your Amazon EC2 Auto Scaling
 * resources"); the wording of the message itself is the mock's.
 */
function checkGroupQuota(cloud: Cloud, region: string): void {
  const limit = awsQuota('auto_scaling_groups_per_region');
  if (cloud.list<GroupRecord>(Kind.autoscalingGroup, (g) => g.region === region).length >= limit) {
    throw awsError('LimitExceeded', `You have reached the limit of ${limit} Auto Scaling groups in ${region}.`, ['name'],
      'AWS\'s default is 500 per Region; BUTTER_MOCK_QUOTAS {"aws": {"auto_scaling_groups_per_region": N}} raises it.');
  }
}
