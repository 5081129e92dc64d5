import { Cloud } from '../cloud/cloud';
import { CloudError } from '../framework/diagnostics';
import { RecordStore } from '../framework/records';
import { CreateContext, OperationContext, ResourceType } from '../framework/types';
import { block, computed, NestedBlockSpec, optional, optionalComputed, required } from '../schema/dsl';
import { oneOf } from '../schema/validators';
import { isUnknown } from '../values/unknown';
import { JsonObject, ObjectValue } from '../values/value';
import { arn, awsError, first, num, objects, planCommon, REGION_ATTRIBUTE, regionOf, str, toJson, uuidFrom } from './common';
import { ElbKind, unknownsToNull } from './elb-model';
import { Kind } from './model';
import { splitPair } from './resource-import';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - policy types and what each takes, predefined metric types, ALBRequestCountPerTarget's resource label, a group that
 *   must exist: Amazon EC2 Auto Scaling API Reference, PutScalingPolicy; Amazon EC2 Auto Scaling User Guide,
 *   "Target tracking scaling policies"
 * - the provider's own checks of which arguments go with which policy type: terraform-provider-aws,
 *   aws_autoscaling_policy (getPutScalingPolicyInput)
 * - policies go with their group (DeleteAutoScalingGroup deletes them): Amazon EC2 Auto Scaling User Guide
 * The mock's own wording (documented rule, no published error text found): every message of policyProblems.
 */

const PREDEFINED = ['ASGAverageCPUUtilization', 'ASGAverageNetworkIn', 'ASGAverageNetworkOut', 'ALBRequestCountPerTarget'];

interface PolicyRecord extends JsonObject {
  id: string;
  region: string;
  group: string;
  name: string;
  arn: string;
  state: JsonObject;
}

const key = (region: string, group: string, name: string): string => `${region}/${group}/${name}`;

const policies: RecordStore<PolicyRecord> = {
  kind: ElbKind.scalingPolicy,
  find: (ctx, state) => ctx.cloud.get<PolicyRecord>(ElbKind.scalingPolicy, key(regionOf(ctx, state), str(state.autoscaling_group_name) ?? '', str(state.name) ?? '')),
  notFound: (id) => awsError('ValidationError', `Scaling policy ${id} not found`),
};

/** Delete a group's policies (DeleteAutoScalingGroup does). */
export function deleteGroupPolicies(cloud: Cloud, region: string, group: string): void {
  for (const p of cloud.list<PolicyRecord>(ElbKind.scalingPolicy, (r) => r.region === region && r.group === group)) cloud.delete(ElbKind.scalingPolicy, p.id);
}

/**
 * Which arguments go with which policy type, as the provider checks them before calling the
 * API, and what PutScalingPolicy itself requires. Pure: returns the problems.
 */
export function policyProblems(p: ObjectValue): { message: string; path: (string | number)[] }[] {
  const type = str(p.policy_type) ?? 'SimpleScaling';
  const out: { message: string; path: (string | number)[] }[] = [];
  const given = (name: string): boolean => {
    const v = p[name];
    return v !== null && v !== undefined && !isUnknown(v) && !(Array.isArray(v) && v.length === 0);
  };
  const only = (name: string, types: string[]): void => {
    if (given(name) && !types.includes(type)) out.push({ message: `${name} is only supported for policy type ${types.join(', ')}`, path: [name] });
  };
  only('adjustment_type', ['SimpleScaling', 'StepScaling']);
  only('cooldown', ['SimpleScaling']);
  only('scaling_adjustment', ['SimpleScaling']);
  only('min_adjustment_magnitude', ['SimpleScaling', 'StepScaling']);
  only('metric_aggregation_type', ['StepScaling']);
  only('step_adjustment', ['StepScaling']);
  only('target_tracking_configuration', ['TargetTrackingScaling']);
  only('predictive_scaling_configuration', ['PredictiveScaling']);
  if (type === 'SimpleScaling' && p.scaling_adjustment === null) out.push({ message: 'ScalingAdjustment is required for policy type SimpleScaling', path: ['scaling_adjustment'] });
  if (type === 'StepScaling' && objects(p.step_adjustment).length === 0) out.push({ message: 'StepAdjustments is required for policy type StepScaling', path: ['step_adjustment'] });
  if (type === 'PredictiveScaling' && !first(p.predictive_scaling_configuration)) {
    out.push({ message: 'PredictiveScalingConfiguration is required for policy type PredictiveScaling', path: ['predictive_scaling_configuration'] });
  }
  if (type === 'TargetTrackingScaling') {
    const tt = first(p.target_tracking_configuration);
    if (!tt) out.push({ message: 'TargetTrackingConfiguration is required for policy type TargetTrackingScaling', path: ['target_tracking_configuration'] });
    else {
      const predefined = first(tt.predefined_metric_specification);
      const custom = first(tt.customized_metric_specification);
      const path = ['target_tracking_configuration', 0];
      if (!predefined === !custom) out.push({ message: 'Exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification must be specified', path });
      const metric = str(predefined?.predefined_metric_type);
      if (metric === 'ALBRequestCountPerTarget'
        && !/^app\/[^/]+\/[0-9a-f]+\/targetgroup\/[^/]+\/[0-9a-f]+$/.test(str(predefined?.resource_label) ?? '')) {
        out.push({ message: 'ResourceLabel is required for ALBRequestCountPerTarget: app/<load balancer name>/<id>/targetgroup/<target group name>/<id>', path: [...path, 'predefined_metric_specification', 0, 'resource_label'] });
      }
      const target = num(tt.target_value);
      if (target !== null && target <= 0) out.push({ message: `TargetValue must be greater than 0, got ${target}`, path: [...path, 'target_value'] });
    }
  }
  return out;
}

function policyState(ctx: OperationContext, r: PolicyRecord): ObjectValue {
  void ctx;
  return r.state as ObjectValue;
}

function applyPolicy(ctx: CreateContext): ObjectValue {
  const p = ctx.planned;
  const region = regionOf(ctx, p);
  const group = str(p.autoscaling_group_name) ?? '';
  const name = str(p.name) ?? '';
  if (!ctx.cloud.get(Kind.autoscalingGroup, `${region}/${group}`)) throw awsError('ValidationError', 'AutoScalingGroup name not found - null', ['autoscaling_group_name'], `No Auto Scaling group ${group} in ${region}.`);
  const problems = policyProblems(p);
  if (problems.length > 0) throw new CloudError(`ValidationError: ${problems[0].message}`, { path: problems[0].path });
  const id = key(region, group, name);
  const existing = ctx.cloud.get<PolicyRecord>(ElbKind.scalingPolicy, id);
  const policyArn = existing?.arn ?? arn('autoscaling', region, `scalingPolicy:${uuidFrom(ctx.cloud.nextId('pol'))}:autoScalingGroupName/${group}:policyName/${name}`);
  const state = unknownsToNull({
    ...p, id: name, arn: policyArn, region,
    metric_aggregation_type: str(p.metric_aggregation_type) ?? (str(p.policy_type) === 'StepScaling' ? 'Average' : null),
  });
  ctx.cloud.put<PolicyRecord>(ElbKind.scalingPolicy, id, { id, region, group, name, arn: policyArn, state: toJson(state) });
  return state;
}

function metricStat(): NestedBlockSpec {
  return block('list', {
    attributes: { stat: required('string'), unit: optional('string') },
    blocks: {
      metric: block('list', {
        attributes: { metric_name: required('string'), namespace: required('string') },
        blocks: { dimensions: block('set', { attributes: { name: required('string'), value: required('string') } }) },
      }, { minItems: 1, maxItems: 1 }),
    },
  }, { maxItems: 1 });
}

function dataQueries(): NestedBlockSpec {
  return block('list', {
    attributes: { expression: optional('string'), id: required('string'), label: optional('string'), return_data: optional('bool', { default: true }) },
    blocks: { metric_stat: metricStat() },
  }, { minItems: 1 });
}

const predefinedPair = (): NestedBlockSpec => block('list', {
  attributes: { predefined_metric_type: required('string'), resource_label: optional('string') },
}, { maxItems: 1 });

const customized = (): NestedBlockSpec => block('list', { blocks: { metric_data_queries: dataQueries() } }, { maxItems: 1 });

export const autoscalingPolicy: ResourceType = {
  name: 'aws_autoscaling_policy',
  schema: {
    attributes: {
      adjustment_type: optional('string', { validate: oneOf('ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity') }),
      arn: computed('string'),
      autoscaling_group_name: required('string', { forceNew: true }),
      cooldown: optional('number'),
      enabled: optional('bool', { default: true }),
      estimated_instance_warmup: optional('number'),
      id: computed('string'),
      metric_aggregation_type: optionalComputed('string', { validate: oneOf('Minimum', 'Maximum', 'Average') }),
      min_adjustment_magnitude: optional('number'),
      name: required('string', { forceNew: true }),
      policy_type: optional('string', { default: 'SimpleScaling', validate: oneOf('SimpleScaling', 'StepScaling', 'TargetTrackingScaling', 'PredictiveScaling') }),
      region: REGION_ATTRIBUTE,
      scaling_adjustment: optional('number'),
    },
    blocks: {
      predictive_scaling_configuration: block('list', {
        attributes: {
          max_capacity_breach_behavior: optional('string', { default: 'HonorMaxCapacity', validate: oneOf('HonorMaxCapacity', 'IncreaseMaxCapacity') }),
          max_capacity_buffer: optional('string'),
          mode: optional('string', { default: 'ForecastOnly', validate: oneOf('ForecastAndScale', 'ForecastOnly') }),
          scheduling_buffer_time: optional('string'),
        },
        blocks: {
          metric_specification: block('list', {
            attributes: { target_value: required('number') },
            blocks: {
              customized_capacity_metric_specification: customized(),
              customized_load_metric_specification: customized(),
              customized_scaling_metric_specification: customized(),
              predefined_load_metric_specification: predefinedPair(),
              predefined_metric_pair_specification: predefinedPair(),
              predefined_scaling_metric_specification: predefinedPair(),
            },
          }, { minItems: 1, maxItems: 1 }),
        },
      }, { maxItems: 1 }),
      step_adjustment: block('set', {
        attributes: { metric_interval_lower_bound: optional('string'), metric_interval_upper_bound: optional('string'), scaling_adjustment: required('number') },
      }),
      target_tracking_configuration: block('list', {
        attributes: { disable_scale_in: optional('bool', { default: false }), target_value: required('number') },
        blocks: {
          customized_metric_specification: block('list', {
            attributes: { metric_name: optional('string'), namespace: optional('string'), period: optional('number'), statistic: optional('string'), unit: optional('string') },
            blocks: {
              metric_dimension: block('list', { attributes: { name: required('string'), value: required('string') } }),
              metrics: block('set', {
                attributes: { expression: optional('string'), id: required('string'), label: optional('string'), return_data: optional('bool', { default: true }) },
                blocks: {
                  metric_stat: block('list', {
                    attributes: { period: optional('number'), stat: required('string'), unit: optional('string') },
                    blocks: {
                      metric: block('list', {
                        attributes: { metric_name: required('string'), namespace: required('string') },
                        blocks: { dimensions: block('set', { attributes: { name: required('string'), value: required('string') } }) },
                      }, { minItems: 1, maxItems: 1 }),
                    },
                  }, { maxItems: 1 }),
                },
              }),
            },
          }, { maxItems: 1 }),
          predefined_metric_specification: block('list', {
            attributes: { predefined_metric_type: required('string', { validate: oneOf(...PREDEFINED) }), resource_label: optional('string') },
          }, { maxItems: 1 }),
        },
      }, { maxItems: 1 }),
    },
  },
  plan(ctx) {
    planCommon(ctx, false);
  },
  create: applyPolicy,
  update: applyPolicy,
  import(ctx) {
    const { parts: [group, name], region } = splitPair(ctx, '/', (id) => `unexpected format (${id}), expected <asg-name>/<policy-name>`, 'ASGNAME/POLICYNAME');
    return { id: name, name, autoscaling_group_name: group, region };
  },
  read(ctx) {
    const r = policies.find(ctx, ctx.state);
    return r ? policyState(ctx, r) : null;
  },
  delete(ctx) {
    const r = policies.find(ctx, ctx.state);
    if (r) ctx.cloud.delete(ElbKind.scalingPolicy, r.id);
  },
};

