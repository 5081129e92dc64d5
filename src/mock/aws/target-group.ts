import { CloudError } from '../framework/diagnostics';
import { priorRecord, RecordStore } from '../framework/records';
import { CreateContext, ImportContext, OperationContext, PlanContext, ResourceType, ValidateContext } from '../framework/types';
import { block, computed, optional, optionalComputed, required } from '../schema/dsl';
import { intBetween, oneOf } from '../schema/validators';
import { set } from '../values/cty-type';
import { isUnknown } from '../values/unknown';
import { ObjectValue, Value } from '../values/value';
import { awsError, bool, effectiveTags, first, num, planCommon, REGION_ATTRIBUTE, regionOf, str, tagAttributes, toJson } from './common';
import {
  arnSuffix, deregisterTargets, elbId, ElbKind, elbStores, HealthCheck, ListenerRecord, loadBalancersOf, nameProblems, recordState, registerTarget,
  requireTargetGroup, targetGroupArn, TargetGroupRecord, TargetRecord, unknownsToNull,
} from './elb-model';
import { find, InstanceRecord, Kind, namePrefixFromName, Tags, uniqueName, VpcRecord } from './model';
import { awsQuota } from './quotas';
import { importById, splitRegion } from './resource-import';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - port, protocol and VPC required for instance targets; names; health check ranges (interval 5-300,
 *   timeout 2-120 and less than the interval, thresholds 2-10), health checks always enabled for
 *   instance targets, the defaults per protocol: Elastic Load Balancing API Reference, CreateTargetGroup /
 *   ModifyTargetGroup; Application Load Balancers Guide, "Health checks for your target groups"
 * - the provider's own checks (name, health check port `traffic-port` or 1-65535, deregistration_delay 0-3600):
 *   terraform-provider-aws, aws_lb_target_group schema
 * - a target group in use by a listener cannot be deleted (ResourceInUse): Elastic Load Balancing API
 *   Reference, DeleteTargetGroup
 * - targets of the group's VPC only (InvalidTarget), targets per target group (TooManyTargets):
 *   Elastic Load Balancing API Reference, RegisterTargets; Elastic Load Balancing quotas
 * The mock's own wording (documented rule, no published error text found): health checks cannot be disabled for
 * instance targets, UDP health checks, the VPC not found.
 */

const SIMULATED_TARGET_TYPES = ['instance'];

/** Whether a target group's protocol belongs to Application (HTTP/HTTPS) or Network Load Balancers. */
export function isHttpProtocol(protocol: string): boolean {
  return protocol === 'HTTP' || protocol === 'HTTPS';
}

/**
 * The health check ELB runs for a target group: the configured block with ELB's defaults for what
 * it leaves out (HTTP(S) groups check with their protocol, others with TCP; timeout 5 s for
 * HTTP(S) groups, 6 s for an HTTP check of a TCP/UDP group, else 10 s; thresholds 5 and 2 without
 * a block). Pure; throws ELB's errors for impossible combinations.
 */
export function effectiveHealthCheck(protocol: string, targetType: string, hc: ObjectValue | null): HealthCheck {
  const http = isHttpProtocol(protocol);
  const hcProtocol = (str(hc?.protocol) ?? (http ? protocol : 'TCP')).toUpperCase();
  const httpCheck = hcProtocol !== 'TCP';
  const timeout = num(hc?.timeout) ?? (http ? 5 : httpCheck && hcProtocol === 'HTTP' ? 6 : 10);
  const interval = num(hc?.interval) ?? 30;
  const enabled = bool(hc?.enabled) ?? true;
  if (!enabled && targetType !== 'lambda') {
    throw awsError('ValidationError', `Health checks cannot be disabled for target groups with target type '${targetType}'`, ['health_check', 0, 'enabled']);
  }
  if (timeout >= interval) {
    throw awsError('ValidationError', 'Health check interval must be greater than the timeout.', ['health_check', 0, 'timeout'],
      `timeout ${timeout} s, interval ${interval} s.`);
  }
  if (!http && hcProtocol === 'UDP') throw awsError('ValidationError', 'Health check protocol UDP is not supported', ['health_check', 0, 'protocol']);
  return {
    enabled,
    protocol: hcProtocol,
    port: str(hc?.port) ?? 'traffic-port',
    path: httpCheck ? str(hc?.path) ?? '/' : null,
    interval,
    timeout,
    healthy_threshold: num(hc?.healthy_threshold) ?? 5,
    unhealthy_threshold: num(hc?.unhealthy_threshold) ?? 2,
    matcher: httpCheck ? str(hc?.matcher) ?? (http ? '200' : '200-399') : null,
  };
}

function tgState(ctx: OperationContext, tg: TargetGroupRecord, state: ObjectValue | null): ObjectValue {
  return { ...recordState(ctx, tg, state), load_balancer_arns: loadBalancersOf(ctx.cloud, tg.arn) };
}

function applyTargetGroup(ctx: CreateContext, existing: TargetGroupRecord | null): ObjectValue {
  const p = ctx.planned;
  const region = existing?.region ?? regionOf(ctx, p);
  const targetType = str(p.target_type) ?? 'instance';
  if (!SIMULATED_TARGET_TYPES.includes(targetType)) {
    throw awsError('UnsupportedOperation', `the Butter mock cloud simulates instance target groups, not ${targetType}`, ['target_type']);
  }
  const protocol = str(p.protocol);
  const port = num(p.port);
  const vpcId = str(p.vpc_id);
  if (port === null) throw awsError('ValidationError', 'A port must be specified', ['port']);
  if (protocol === null) throw awsError('ValidationError', 'A protocol must be specified', ['protocol']);
  if (vpcId === null) throw awsError('ValidationError', 'A VPC ID must be specified', ['vpc_id']);
  if (!find<VpcRecord>(ctx.cloud, Kind.vpc, vpcId, region)) throw awsError('ValidationError', `The VPC ID '${vpcId}' is not found`, ['vpc_id']);
  const name = existing?.name ?? str(p.name) ?? uniqueName(ctx.cloud, str(p.name_prefix) ?? 'tf-');
  if (!existing && ctx.cloud.list<TargetGroupRecord>(ElbKind.targetGroup, (t) => t.region === region && t.name === name).length > 0) {
    // The provider looks the name up before calling the API.
    throw new CloudError(`ELBv2 Target Group (${name}) already exists`, { path: ['name'] });
  }
  const configured = first(p.health_check);
  const health = effectiveHealthCheck(protocol, targetType, configured);
  const id = existing?.id ?? targetGroupArn(region, name, elbId(ctx.cloud));
  const http = isHttpProtocol(protocol);
  const state: ObjectValue = {
    ...p,
    id,
    arn: id,
    arn_suffix: arnSuffix(id),
    name,
    name_prefix: namePrefixFromName(name),
    region,
    connection_termination: bool(p.connection_termination) ?? false,
    ip_address_type: str(p.ip_address_type) ?? 'ipv4',
    load_balancing_algorithm_type: str(p.load_balancing_algorithm_type) ?? (http ? 'round_robin' : null),
    load_balancing_anomaly_mitigation: str(p.load_balancing_anomaly_mitigation) ?? (http ? 'off' : null),
    load_balancing_cross_zone_enabled: str(p.load_balancing_cross_zone_enabled) ?? 'use_load_balancer_configuration',
    preserve_client_ip: str(p.preserve_client_ip) ?? (http ? null : 'true'),
    protocol_version: str(p.protocol_version)?.toUpperCase() ?? (http ? 'HTTP1' : null),
    health_check: configured ? [{ ...configured, matcher: health.matcher, path: health.path, timeout: health.timeout }] : [],
    load_balancer_arns: [],
  };
  delete state.tags;
  delete state.tags_all;
  const record = ctx.cloud.put<TargetGroupRecord>(ElbKind.targetGroup, id, {
    id, arn: id, region, name, protocol, port, vpc_id: vpcId, target_type: targetType, health, state: toJson(unknownsToNull(state)),
    tags: effectiveTags(ctx, p.tags) as Tags,
  });
  return tgState(ctx, record, p);
}

function validateTargetGroup(ctx: ValidateContext): void {
  const name = ctx.config.name;
  if (typeof name === 'string') for (const detail of nameProblems('name', name, false)) ctx.error('Invalid value for "name"', { detail, path: ['name'] });
  const prefix = ctx.config.name_prefix;
  if (typeof prefix === 'string' && prefix.length > 6) {
    ctx.error('Invalid value for "name_prefix"', { detail: `"name_prefix" cannot be longer than 6 characters: ${JSON.stringify(prefix)}`, path: ['name_prefix'] });
  }
  if (typeof name === 'string' && typeof prefix === 'string') ctx.error('Conflicting configuration arguments', { detail: '"name": conflicts with name_prefix', path: ['name'] });
  const hc = first(ctx.config.health_check);
  const port = hc?.port;
  if (typeof port === 'string' && port !== 'traffic-port' && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    ctx.error('Invalid value for "port"', { detail: `expected "health_check.0.port" to be "traffic-port" or a port number from 1 to 65535, got ${JSON.stringify(port)}`, path: ['health_check', 0, 'port'] });
  }
  const delay = ctx.config.deregistration_delay;
  if (typeof delay === 'string' && !(/^\d+$/.test(delay) && Number(delay) <= 3600)) {
    ctx.error('Invalid value for "deregistration_delay"', { detail: `expected deregistration_delay to be in the range (0 - 3600), got ${delay}`, path: ['deregistration_delay'] });
  }
}

function planTargetGroup(ctx: PlanContext): void {
  planCommon(ctx);
}

export const targetGroup: ResourceType = {
  name: 'aws_lb_target_group',
  schema: {
    attributes: {
      arn: computed('string'),
      arn_suffix: computed('string'),
      connection_termination: optionalComputed('bool'),
      deregistration_delay: optional('string', { default: '300' }),
      id: computed('string'),
      ip_address_type: optionalComputed('string', { forceNew: true, validate: oneOf('ipv4', 'ipv6') }),
      lambda_multi_value_headers_enabled: optional('bool', { default: false }),
      load_balancer_arns: computed(set('string')),
      load_balancing_algorithm_type: optionalComputed('string', { validate: oneOf('round_robin', 'least_outstanding_requests', 'weighted_random') }),
      load_balancing_anomaly_mitigation: optionalComputed('string', { validate: oneOf('on', 'off') }),
      load_balancing_cross_zone_enabled: optionalComputed('string', { validate: oneOf('true', 'false', 'use_load_balancer_configuration') }),
      name: optionalComputed('string', { forceNew: true }),
      name_prefix: optionalComputed('string', { forceNew: true }),
      port: optional('number', { forceNew: true, validate: intBetween(1, 65535) }),
      preserve_client_ip: optionalComputed('string'),
      protocol: optional('string', { forceNew: true, validate: oneOf('GENEVE', 'HTTP', 'HTTPS', 'TCP', 'TCP_UDP', 'TLS', 'UDP', 'QUIC', 'TCP_QUIC') }),
      protocol_version: optionalComputed('string', { forceNew: true }),
      proxy_protocol_v2: optional('bool', { default: false }),
      region: REGION_ATTRIBUTE,
      slow_start: optional('number', { default: 0, validate: (v) => (v === 0 || (typeof v === 'number' && v >= 30 && v <= 900) ? undefined : `expected slow_start to be 0 or in the range (30 - 900), got ${String(v)}`) }),
      target_control_port: optional('number'),
      target_type: optional('string', { default: 'instance', forceNew: true, validate: oneOf('instance', 'ip', 'lambda', 'alb') }),
      vpc_id: optional('string', { forceNew: true }),
      ...tagAttributes(),
    },
    blocks: {
      health_check: block('list', {
        attributes: {
          enabled: optional('bool', { default: true }),
          healthy_threshold: optional('number', { default: 3, validate: intBetween(2, 10) }),
          interval: optional('number', { default: 30, validate: intBetween(5, 300) }),
          matcher: optionalComputed('string'),
          path: optionalComputed('string', { validate: (v) => (typeof v === 'string' && v.startsWith('/') && v.length <= 1024 ? undefined : `expected path to start with "/" and be at most 1024 characters, got ${JSON.stringify(v)}`) }),
          port: optional('string', { default: 'traffic-port' }),
          protocol: optional('string', { default: 'HTTP', validate: oneOf('HTTP', 'HTTPS', 'TCP', 'http', 'https', 'tcp') }),
          timeout: optionalComputed('number', { validate: intBetween(2, 120) }),
          unhealthy_threshold: optional('number', { default: 3, validate: intBetween(2, 10) }),
        },
      }, { maxItems: 1 }),
      stickiness: block('list', {
        attributes: {
          cookie_duration: optional('number', { default: 86400, validate: intBetween(0, 604800) }),
          cookie_name: optional('string'),
          enabled: optional('bool', { default: true }),
          type: required('string', { validate: oneOf('lb_cookie', 'app_cookie', 'source_ip', 'source_ip_dest_ip', 'source_ip_dest_ip_proto') }),
        },
      }, { maxItems: 1 }),
      target_failover: block('list', {
        attributes: { on_deregistration: required('string', { validate: oneOf('rebalance', 'no_rebalance') }), on_unhealthy: required('string', { validate: oneOf('rebalance', 'no_rebalance') }) },
      }),
      target_group_health: block('list', {
        blocks: {
          dns_failover: block('list', {
            attributes: { minimum_healthy_targets_count: optional('string', { default: 'off' }), minimum_healthy_targets_percentage: optional('string', { default: 'off' }) },
          }, { maxItems: 1 }),
          unhealthy_state_routing: block('list', {
            attributes: { minimum_healthy_targets_count: optional('number', { default: 1 }), minimum_healthy_targets_percentage: optional('string', { default: 'off' }) },
          }, { maxItems: 1 }),
        },
      }, { maxItems: 1 }),
      target_health_state: block('list', {
        attributes: { enable_unhealthy_connection_termination: required('bool'), unhealthy_draining_interval: optional('number', { default: 0, validate: intBetween(0, 360000) }) },
      }),
    },
  },
  validate: validateTargetGroup,
  plan: planTargetGroup,
  create(ctx) {
    return applyTargetGroup(ctx, null);
  },
  import: importById({ format: 'the target group ARN (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>)' }),
  read(ctx) {
    const tg = elbStores.targetGroup.find(ctx, ctx.state);
    return tg ? tgState(ctx, tg, ctx.state) : null;
  },
  update(ctx) {
    const existing = priorRecord(ctx, elbStores.targetGroup);
    return applyTargetGroup(ctx, existing);
  },
  delete(ctx) {
    const tg = elbStores.targetGroup.find(ctx, ctx.state);
    if (!tg) return;
    const users = ctx.cloud.list<ListenerRecord>(ElbKind.listener, (l) => l.target_group_arns.includes(tg.arn));
    if (users.length > 0) {
      throw awsError('ResourceInUse', `Target group '${tg.arn}' is currently in use by a listener or a rule`, undefined,
        `Listeners forwarding to it: ${users.map((l) => l.arn).join(', ')}.`);
    }
    deregisterTargets(ctx.cloud, (t) => t.target_group_arn === tg.arn);
    ctx.cloud.delete(ElbKind.targetGroup, tg.id);
  },
};

// --- aws_lb_target_group_attachment -------------------------------------------------------------

/** The attachment's record is the registered target itself; its Terraform id is kept with it. */
interface AttachmentTarget extends TargetRecord {
  attachment_id: string | null;
}

const attachments: RecordStore<AttachmentTarget> = {
  kind: ElbKind.target,
  find: (ctx, state) => ctx.cloud.list<AttachmentTarget>(ElbKind.target, (t) => t.region === regionOf(ctx, state)
    && t.target_group_arn === str(state.target_group_arn) && t.target_id === str(state.target_id)
    && (num(state.port) === null || isUnknown(state.port as Value) || t.port === num(state.port)))[0],
  notFound: () => awsError('TargetNotFound', 'The target is not registered'),
};

function attachmentState(t: AttachmentTarget, state: ObjectValue | null): ObjectValue {
  return {
    id: t.attachment_id ?? str(state?.id) ?? `${t.target_group_arn}-${t.target_id}`,
    target_group_arn: t.target_group_arn,
    target_id: t.target_id,
    // Optional and not computed: the registered port shows only where the configuration set one.
    port: state ? num(state.port) : t.port,
    availability_zone: t.availability_zone,
    region: t.region,
  };
}

export const targetGroupAttachment: ResourceType = {
  name: 'aws_lb_target_group_attachment',
  schema: {
    attributes: {
      availability_zone: optional('string', { forceNew: true }),
      id: computed('string'),
      port: optional('number', { forceNew: true, validate: intBetween(1, 65535) }),
      region: REGION_ATTRIBUTE,
      target_group_arn: required('string', { forceNew: true }),
      target_id: required('string', { forceNew: true }),
    },
  },
  plan(ctx) {
    planCommon(ctx, false);
  },
  create(ctx) {
    const p = ctx.planned;
    const region = regionOf(ctx, p);
    const tg = requireTargetGroup(ctx.cloud, str(p.target_group_arn) ?? '', region, ['target_group_arn']);
    const targetId = str(p.target_id) ?? '';
    const instance = find<InstanceRecord>(ctx.cloud, Kind.instance, targetId, region);
    if (!instance || instance.vpc_id !== tg.vpc_id) {
      throw awsError('InvalidTarget', 'The specified target does not exist, is not in the same VPC as the target group, or has an unsupported instance type.', ['target_id'],
        instance ? `${targetId} is in ${instance.vpc_id}; the target group is in ${tg.vpc_id}.` : `${targetId} is not an instance of ${region}.`);
    }
    const target = registerTarget(ctx.cloud, tg, instance, num(p.port), 'attachment', awsQuota('targets_per_target_group'), str(p.availability_zone));
    // The provider's id: the target group ARN, a hyphen and a generated suffix.
    const id = `${tg.arn}-${String(Date.now()).padEnd(20, '0')}${String(ctx.cloud.nextId('att').slice(-6))}`;
    ctx.cloud.put<AttachmentTarget>(ElbKind.target, target.id, { ...target, attachment_id: id });
    return attachmentState({ ...target, attachment_id: id }, p);
  },
  import(ctx: ImportContext) {
    // TARGETGROUPARN,TARGETID[,PORT]; the target group ARN holds no comma.
    const { id, region } = splitRegion(ctx, 'TARGETGROUPARN,TARGETID[,PORT]');
    const [tgArn, targetId, port] = id.split(',');
    if (!tgArn || !targetId || (port !== undefined && !/^\d+$/.test(port))) {
      throw awsError('ValidationError', `unexpected format for ID (${id}), expected TARGETGROUPARN,TARGETID[,PORT]`);
    }
    return { id: null, target_group_arn: tgArn, target_id: targetId, port: port === undefined ? null : Number(port), region };
  },
  read(ctx) {
    const t = attachments.find(ctx, ctx.state);
    return t ? attachmentState(t, ctx.state) : null;
  },
  delete(ctx) {
    const t = attachments.find(ctx, ctx.state);
    if (t) ctx.cloud.delete(ElbKind.target, t.id);
  },
};


