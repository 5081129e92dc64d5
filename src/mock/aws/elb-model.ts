import { Cloud } from '../cloud/cloud';
import { isUnknown } from '../values/unknown';
import { isObjectValue, JsonObject, ObjectValue, Value } from '../values/value';
import { OperationContext } from '../framework/types';
import { RecordStore } from '../framework/records';
import { arn, awsError, hashHex, readTags, regionOf, str } from './common';
import { containsIp, parseCidr } from './cidr';
import { InstanceRecord, Kind, SecurityGroupRuleRecord, SubnetRecord, Tags } from './model';

/**
 * Sources of the facts and rules in this file:
 * - ARN formats (loadbalancer/app|net/<name>/<id>, targetgroup/<name>/<id>, listener/app/<name>/<lb id>/<id>):
 *   Service Authorization Reference, Elastic Load Balancing V2, resource types
 * - DNS names (`<name>-<id>.<region>.elb.amazonaws.com`, `internal-` for internal Application Load
 *   Balancers; `<name>-<id>.elb.<region>.amazonaws.com` for Network Load Balancers): Application and
 *   Network Load Balancers Guides, "DNS name"
 * - canonical hosted zone ids per region: AWS General Reference, "Elastic Load Balancing endpoints
 *   and quotas" (the provider's aws_lb_hosted_zone_id data source holds the same table)
 * - target health states and reason codes (healthy, unhealthy Target.Timeout, unused
 *   Target.NotInUse): Application Load Balancers Guide, "Health checks for your target groups"
 * - health checks come from the load balancer's nodes: the targets' security groups must admit
 *   the balancer's security groups (or, for a Network Load Balancer without security groups, its
 *   subnets' addresses) on the health check port, and the balancer's security groups must let the
 *   traffic out: Application Load Balancers Guide, "Security groups for your Application Load
 *   Balancer"; Network Load Balancers Guide, "Target security groups"
 */

/**
 * The Elastic Load Balancing (v2) side of the simulated AWS cloud: load balancers, target
 * groups, listeners, registered targets and their health, with ELB's ids, DNS names and errors.
 */

export const ElbKind = {
  loadBalancer: 'load_balancer',
  targetGroup: 'target_group',
  listener: 'listener',
  target: 'lb_target',
  scalingPolicy: 'autoscaling_policy',
} as const;

export type LoadBalancerType = 'application' | 'network';

/** A load balancer as ELB keeps it; `state` is the Terraform state as the provider reads it back. */
export interface LoadBalancerRecord extends JsonObject {
  id: string;
  arn: string;
  region: string;
  name: string;
  type: LoadBalancerType;
  internal: boolean;
  vpc_id: string;
  subnet_ids: string[];
  security_groups: string[];
  dns_name: string;
  deletion_protection: boolean;
  /** Everything else the provider reads back, as JSON. */
  state: JsonObject;
  tags: Tags;
}

/** The health check ELB runs for a target group (defaults filled in). */
export interface HealthCheck extends JsonObject {
  enabled: boolean;
  protocol: string;
  /** A port number as a string, or `traffic-port`. */
  port: string;
  path: string | null;
  interval: number;
  timeout: number;
  healthy_threshold: number;
  unhealthy_threshold: number;
  matcher: string | null;
}

export interface TargetGroupRecord extends JsonObject {
  id: string;
  arn: string;
  region: string;
  name: string;
  protocol: string;
  port: number;
  vpc_id: string;
  target_type: string;
  health: HealthCheck;
  state: JsonObject;
  tags: Tags;
}

export interface ListenerRecord extends JsonObject {
  id: string;
  arn: string;
  region: string;
  load_balancer_arn: string;
  port: number;
  protocol: string;
  /** The target groups the default actions forward to. */
  target_group_arns: string[];
  state: JsonObject;
  tags: Tags;
}

/** A registered target: an instance (and port) in a target group. */
export interface TargetRecord extends JsonObject {
  id: string;
  region: string;
  target_group_arn: string;
  target_id: string;
  port: number;
  availability_zone: string | null;
  /** `autoscaling:<group>` when an Auto Scaling group registered it, else `attachment`. */
  registered_by: string;
}

// --- names, ids and addresses -------------------------------------------------------------------

/** A 16-digit hex id, unique in the cloud (ELB's resource ids in ARNs). */
export function elbId(cloud: Cloud): string {
  return hashHex(cloud.nextId('elb'), 16);
}

/** `app` or `net`: the balancer type as ARNs and listener ARNs spell it. */
export function typeSegment(type: LoadBalancerType): string {
  return type === 'application' ? 'app' : 'net';
}

export function loadBalancerArn(region: string, type: LoadBalancerType, name: string, id: string): string {
  return arn('elasticloadbalancing', region, `loadbalancer/${typeSegment(type)}/${name}/${id}`);
}

export function targetGroupArn(region: string, name: string, id: string): string {
  return arn('elasticloadbalancing', region, `targetgroup/${name}/${id}`);
}

/** `listener/app/<lb name>/<lb id>/<listener id>`. */
export function listenerArn(lb: LoadBalancerRecord, id: string): string {
  return lb.arn.replace(':loadbalancer/', ':listener/') + `/${id}`;
}

/** What follows `loadbalancer/` (or the resource type) in an ARN: the provider's `arn_suffix`. */
export function arnSuffix(value: string): string {
  return value.replace(/^arn:[^:]+:elasticloadbalancing:[^:]*:\d*:(loadbalancer\/)?/, '');
}

/**
 * DNS names. Application Load Balancers: `<name>-<digits>.<region>.elb.amazonaws.com`, internal
 * ones prefixed `internal-`; Network Load Balancers: `<name>-<hex>.elb.<region>.amazonaws.com`
 * (internal ones carry no prefix).
 */
export function loadBalancerDnsName(cloud: Cloud, type: LoadBalancerType, name: string, internal: boolean, region: string): string {
  const seed = cloud.nextId('dns');
  if (type === 'network') return `${name}-${hashHex(seed, 16)}.elb.${region}.amazonaws.com`;
  const digits = String(parseInt(hashHex(seed, 8), 16) % 9e9 + 1e9);
  return `${internal ? 'internal-' : ''}${name}-${digits}.${region}.elb.amazonaws.com`;
}

/** Canonical hosted zone ids (Route 53 alias targets) of Application Load Balancers, by region. */
const ALB_ZONE_IDS: Record<string, string> = {
  'af-south-1': 'Z268VQBMOI5EKX', 'ap-east-1': 'Z3DQVH9N71FHZ0', 'ap-northeast-1': 'Z14GRHDCWA56QT', 'ap-northeast-2': 'ZWKZPGTI48KDX',
  'ap-northeast-3': 'Z5LXEXXYW11ES', 'ap-south-1': 'ZP97RAFLXTNZK', 'ap-south-2': 'Z0173938T07WNTVAEPZN', 'ap-southeast-1': 'Z1LMS91P8CMLE5',
  'ap-southeast-2': 'Z1GM3OXH4ZPM65', 'ap-southeast-3': 'Z08888821HLRG5A9ZRTER', 'ap-southeast-4': 'Z09517862IB2WZLPXG76F',
  'ca-central-1': 'ZQSVJUPU6J1EY', 'ca-west-1': 'Z06473681N0SF6OS049SD', 'eu-central-1': 'Z215JYRZR1TBD5', 'eu-central-2': 'Z06391101F2ZOEP8P5EB3',
  'eu-north-1': 'Z23TAZ6LKFMNIO', 'eu-south-1': 'Z3ULH7SSC9OV64', 'eu-south-2': 'Z0956581394HF5D5LXGAP', 'eu-west-1': 'Z32O12XQLNTSW2',
  'eu-west-2': 'ZHURV8PSTC4K8', 'eu-west-3': 'Z3Q77PNBQS71R4', 'il-central-1': 'Z09170902867EHPV2DABU', 'me-central-1': 'Z08230872XQRWHG2XF6I',
  'me-south-1': 'ZS929ML54UICD', 'sa-east-1': 'Z2P70J7HTTTPLU', 'us-east-1': 'Z35SXDOTRQ7X7K', 'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-1': 'Z368ELLRRE2KJ0', 'us-west-2': 'Z1H1FL5HABSF5',
};

/** The same for Network Load Balancers. */
const NLB_ZONE_IDS: Record<string, string> = {
  'af-south-1': 'Z203XCE67M25HM', 'ap-east-1': 'Z12Y7K3UBGUAD1', 'ap-northeast-1': 'Z31USIVHYNEOWT', 'ap-northeast-2': 'ZIBE1TIR4HY56',
  'ap-northeast-3': 'Z1GWIQ4HH19I5X', 'ap-south-1': 'ZVDDRBQ08TROA', 'ap-south-2': 'Z0711778386UTO08407HT', 'ap-southeast-1': 'ZKVM4W9LS7TM',
  'ap-southeast-2': 'ZCT6FZBF4DROD', 'ap-southeast-3': 'Z01971771FYVNCOVWJU1G', 'ap-southeast-4': 'Z01156963G8MIIL7X90IV',
  'ca-central-1': 'Z2EPGBW3API2WT', 'ca-west-1': 'Z02754302KBB00W2LKWZ9', 'eu-central-1': 'Z3F0SRJ5LGBH90', 'eu-central-2': 'Z02239872DOALSIDCX66S',
  'eu-north-1': 'Z1UDT6IFJ4EJM', 'eu-south-1': 'Z23146JA1KNAFP', 'eu-south-2': 'Z1011216NVTVYADP1SSV', 'eu-west-1': 'Z2IFOLAFXWLO4F',
  'eu-west-2': 'ZD4D7Y8KGAS4G', 'eu-west-3': 'Z1CMS0P5QUZ6D5', 'il-central-1': 'Z0313266YDI6ZRHTGQY4', 'me-central-1': 'Z00282643NTTLPANJJG2P',
  'me-south-1': 'Z3QSRYVP46NYYV', 'sa-east-1': 'ZTK26PT1VY4CU', 'us-east-1': 'Z26RNL4JYFTOTI', 'us-east-2': 'ZLMOA37VPKANP',
  'us-west-1': 'Z24FKFUX50B4VW', 'us-west-2': 'Z18D5FSROUN65G',
};

/** The canonical hosted zone id of a balancer type in a region. */
export function canonicalHostedZoneId(type: LoadBalancerType, region: string): string {
  const id = (type === 'application' ? ALB_ZONE_IDS : NLB_ZONE_IDS)[region];
  if (!id) throw awsError('UnsupportedOperation', `the Butter mock cloud has no Elastic Load Balancing hosted zone for ${region}`);
  return id;
}

/**
 * The provider's name check for load balancers and target groups (validName /
 * validTargetGroupName): at most 32 alphanumerics and hyphens, no hyphen first or last; a load
 * balancer's may not begin with `internal-`. Returns the problems, as the provider words them.
 */
export function nameProblems(key: string, value: string, loadBalancer: boolean): string[] {
  const out: string[] = [];
  if (value.length > 32) out.push(`${JSON.stringify(key)} cannot be longer than 32 characters: ${JSON.stringify(value)}`);
  if (!/^[0-9A-Za-z-]+$/.test(value)) out.push(`only alphanumeric characters and hyphens allowed in ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  if (value.startsWith('-')) out.push(`${JSON.stringify(key)} cannot begin with a hyphen: ${JSON.stringify(value)}`);
  if (value.endsWith('-')) out.push(`${JSON.stringify(key)} cannot end with a hyphen: ${JSON.stringify(value)}`);
  if (loadBalancer && value.startsWith('internal-')) out.push(`${JSON.stringify(key)} cannot begin with "internal-": ${JSON.stringify(value)}`);
  return out;
}

// --- stores --------------------------------------------------------------------------------------

type Regional = JsonObject & { region: string };

/** Records keyed by ARN, found by the state's id (the ARN) in the state's region. */
function arnStore<R extends Regional>(kind: string, notFound: (id: string) => Error): RecordStore<R> {
  return {
    kind,
    find: (ctx, state) => {
      const record = ctx.cloud.get<R>(kind, str(state.id) ?? str(state.arn) ?? '');
      return record && record.region === regionOf(ctx, state) ? record : undefined;
    },
    notFound,
  };
}

export const elbStores = {
  loadBalancer: arnStore<LoadBalancerRecord>(ElbKind.loadBalancer,
    (id) => awsError('LoadBalancerNotFound', `One or more load balancers not found`, undefined, id)),
  targetGroup: arnStore<TargetGroupRecord>(ElbKind.targetGroup,
    (id) => awsError('TargetGroupNotFound', 'One or more target groups not found', undefined, id)),
  listener: arnStore<ListenerRecord>(ElbKind.listener,
    (id) => awsError('ListenerNotFound', 'One or more listeners not found', undefined, id)),
};

/** A target group by ARN in a region, or ELB's TargetGroupNotFound. */
export function requireTargetGroup(cloud: Cloud, tgArn: string, region: string, path?: (string | number)[]): TargetGroupRecord {
  const tg = cloud.get<TargetGroupRecord>(ElbKind.targetGroup, tgArn);
  if (!tg || tg.region !== region) throw awsError('TargetGroupNotFound', `One or more target groups not found`, path, `${tgArn} is not a target group of ${region}.`);
  return tg;
}

/** A load balancer by ARN in a region, or LoadBalancerNotFound. */
export function requireLoadBalancer(cloud: Cloud, lbArn: string, region: string, path?: (string | number)[]): LoadBalancerRecord {
  const lb = cloud.get<LoadBalancerRecord>(ElbKind.loadBalancer, lbArn);
  if (!lb || lb.region !== region) throw awsError('LoadBalancerNotFound', `One or more load balancers not found`, path, `${lbArn} is not a load balancer of ${region}.`);
  return lb;
}

/** `v` with every value still unknown at apply time made null (what the API left unset). */
export function unknownsToNull<T extends Value>(v: T): T {
  if (isUnknown(v)) return null as T;
  if (Array.isArray(v)) return v.map(unknownsToNull) as T;
  if (isObjectValue(v)) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, unknownsToNull(e)])) as T;
  return v;
}

/** The state of a record: what the provider reads back, with its tags. */
export function recordState(ctx: OperationContext, record: { state: JsonObject; tags: Tags }, state: ObjectValue | null): ObjectValue {
  return { ...(record.state as ObjectValue), ...readTags(ctx, record.tags, state) };
}

// --- targets --------------------------------------------------------------------------------------

function targetKey(tgArn: string, targetId: string, port: number): string {
  return `${tgArn}#${targetId}#${port}`;
}

/** The targets registered in a target group. */
export function targetsOf(cloud: Cloud, tgArn: string): TargetRecord[] {
  return cloud.list<TargetRecord>(ElbKind.target, (t) => t.target_group_arn === tgArn);
}

/**
 * RegisterTargets for one target: an instance of the target group's VPC, running; the port
 * defaults to the group's. Registering again is a no-op, as in ELB. Over the targets-per-group
 * quota it fails with TooManyTargets.
 */
export function registerTarget(cloud: Cloud, tg: TargetGroupRecord, instance: InstanceRecord, port: number | null, registeredBy: string,
  limit: number, availabilityZone: string | null = null): TargetRecord {
  if (instance.vpc_id !== tg.vpc_id) {
    throw awsError('InvalidTarget', 'The specified target does not exist, is not in the same VPC as the target group, or has an unsupported instance type.',
      undefined, `${instance.id} is in ${instance.vpc_id}; target group ${tg.name} is in ${tg.vpc_id}.`);
  }
  const p = port ?? tg.port;
  const id = targetKey(tg.arn, instance.id, p);
  const existing = cloud.get<TargetRecord>(ElbKind.target, id);
  if (existing) return existing;
  if (targetsOf(cloud, tg.arn).length >= limit) {
    throw awsError('TooManyTargets', 'You\'ve reached the limit on the number of targets.', undefined,
      `${tg.name} has ${limit} targets, the quota (AWS's default is 1000 per target group; BUTTER_MOCK_QUOTAS raises it).`);
  }
  return cloud.put<TargetRecord>(ElbKind.target, id, {
    id, region: tg.region, target_group_arn: tg.arn, target_id: instance.id, port: p, availability_zone: availabilityZone, registered_by: registeredBy,
  });
}

/** DeregisterTargets for everything matching. */
export function deregisterTargets(cloud: Cloud, match: (t: TargetRecord) => boolean): void {
  for (const t of cloud.list<TargetRecord>(ElbKind.target, match)) cloud.delete(ElbKind.target, t.id);
}

/** The target groups a load balancer's listeners forward to. */
export function listenersOf(cloud: Cloud, lbArn: string): ListenerRecord[] {
  return cloud.list<ListenerRecord>(ElbKind.listener, (l) => l.load_balancer_arn === lbArn);
}

/** The load balancers whose listeners forward to a target group. */
export function loadBalancersOf(cloud: Cloud, tgArn: string): string[] {
  return [...new Set(cloud.list<ListenerRecord>(ElbKind.listener, (l) => l.target_group_arns.includes(tgArn)).map((l) => l.load_balancer_arn))].sort();
}

/** A target's health, as DescribeTargetHealth reports it. */
export interface TargetHealth {
  readonly state: 'healthy' | 'unhealthy' | 'unused' | 'unavailable';
  /** ELB's reason code, e.g. `Target.Timeout`; undefined when healthy. */
  readonly reason?: string;
  readonly description?: string;
}

/** Whether a rule of the given direction lets tcp `port` through from/to `peer`. */
function ruleAdmits(rule: SecurityGroupRuleRecord, port: number, peer: (r: SecurityGroupRuleRecord) => boolean): boolean {
  const protocolOk = rule.ip_protocol === '-1' || rule.ip_protocol === 'tcp';
  const portOk = rule.ip_protocol === '-1' || (rule.from_port !== null && rule.to_port !== null && rule.from_port <= port && port <= rule.to_port);
  return protocolOk && portOk && peer(rule);
}

/** True when `cidr` (a rule's block) holds the whole of `inner` (a subnet's block). */
function cidrCovers(cidr: string | null, inner: string): boolean {
  const outer = cidr ? parseCidr(cidr) : null;
  const sub = parseCidr(inner);
  return outer !== null && sub !== null && outer.base <= sub.base && sub.base + sub.size <= outer.base + outer.size;
}

/**
 * Whether a health check from `lb` reaches `instance` on tcp `port`: one of the instance's
 * security groups admits the balancer (its security groups, or, without any, every one of its
 * subnets' blocks), and the balancer's security groups (if any) let the traffic out to it.
 * Pure over the cloud's records.
 */
export function healthCheckReaches(cloud: Cloud, lb: LoadBalancerRecord, instance: InstanceRecord, port: number): boolean {
  const rules = (group: string, egress: boolean) => cloud.list<SecurityGroupRuleRecord>(Kind.securityGroupRule,
    (r) => r.group_id === group && r.is_egress === egress);
  const subnets = lb.subnet_ids.map((id) => cloud.get<SubnetRecord>(Kind.subnet, id)?.cidr_block).filter((c): c is string => !!c);
  const fromBalancer = (r: SecurityGroupRuleRecord): boolean => (lb.security_groups.length > 0
    ? (r.referenced_group_id !== null && lb.security_groups.includes(r.referenced_group_id))
      || (subnets.length > 0 && subnets.every((s) => cidrCovers(r.cidr_ipv4, s)))
    : subnets.length > 0 && subnets.every((s) => cidrCovers(r.cidr_ipv4, s)));
  const admitted = instance.security_groups.some((g) => rules(g, false).some((r) => ruleAdmits(r, port, fromBalancer)));
  if (!admitted) return false;
  if (lb.security_groups.length === 0) return true;
  const toInstance = (r: SecurityGroupRuleRecord): boolean => (r.referenced_group_id !== null && instance.security_groups.includes(r.referenced_group_id))
    || (r.cidr_ipv4 !== null && parseCidr(r.cidr_ipv4) !== null && containsIp(parseCidr(r.cidr_ipv4)!, instance.private_ip));
  return lb.security_groups.some((g) => rules(g, true).some((r) => ruleAdmits(r, port, toInstance)));
}

/**
 * DescribeTargetHealth for one target: `unused` (Target.NotInUse) while no listener of a load
 * balancer forwards to the group; `unused` (Target.InvalidState) for an instance that is not
 * running; `healthy` when a health check from every balancer using the group reaches the target
 * on the health check port, else `unhealthy` (Target.Timeout). The mock runs no application, so a
 * reachable target is taken to answer its health check.
 */
export function targetHealth(cloud: Cloud, target: TargetRecord): TargetHealth {
  const tg = cloud.get<TargetGroupRecord>(ElbKind.targetGroup, target.target_group_arn);
  const instance = cloud.get<InstanceRecord>(Kind.instance, target.target_id);
  if (!tg || !instance) return { state: 'unavailable', reason: 'Elb.InternalError', description: 'The target or its group is gone' };
  const balancers = loadBalancersOf(cloud, tg.arn).map((a) => cloud.get<LoadBalancerRecord>(ElbKind.loadBalancer, a)).filter((l): l is LoadBalancerRecord => !!l);
  if (balancers.length === 0) return { state: 'unused', reason: 'Target.NotInUse', description: 'Target group is not configured to receive traffic from the load balancer' };
  if (instance.state !== 'running') return { state: 'unused', reason: 'Target.InvalidState', description: 'Target is in the stopped state' };
  const port = tg.health.port === 'traffic-port' ? target.port : Number(tg.health.port);
  if (balancers.every((lb) => healthCheckReaches(cloud, lb, instance, port))) return { state: 'healthy' };
  return { state: 'unhealthy', reason: 'Target.Timeout', description: 'Request timed out' };
}

/** Every registered target of a region (or all) with its health: what `butter mock status` shows. */
export function targetHealthReport(cloud: Cloud): { targetGroup: string; target: string; port: number; health: TargetHealth }[] {
  return cloud.list<TargetRecord>(ElbKind.target)
    .map((t) => ({ targetGroup: cloud.get<TargetGroupRecord>(ElbKind.targetGroup, t.target_group_arn)?.name ?? t.target_group_arn, target: t.target_id, port: t.port, health: targetHealth(cloud, t) }))
    .sort((a, b) => a.targetGroup.localeCompare(b.targetGroup) || a.target.localeCompare(b.target) || a.port - b.port);
}


/**
 * Each registered instance's target health in words, for inventories: `healthy`, or the state
 * and reason (`unhealthy (Target.Timeout)`) of its least healthy registration.
 */
export function instanceTargetHealth(cloud: Cloud): Map<string, string> {
  const rank = { healthy: 0, unused: 1, unavailable: 2, unhealthy: 3 } as const;
  const worst = new Map<string, TargetHealth>();
  for (const t of cloud.list<TargetRecord>(ElbKind.target)) {
    const h = targetHealth(cloud, t);
    const before = worst.get(t.target_id);
    if (!before || rank[h.state] > rank[before.state]) worst.set(t.target_id, h);
  }
  return new Map([...worst].map(([id, h]) => [id, h.reason ? `${h.state} (${h.reason})` : h.state]));
}
