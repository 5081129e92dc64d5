import { priorRecord, readRecord } from '../framework/records';
import { CreateContext, OperationContext, ResourceType, ValidateContext } from '../framework/types';
import { AttributeSpec, block, computed, NestedBlockSpec, optional, optionalComputed, required } from '../schema/dsl';
import { intBetween, oneOf } from '../schema/validators';
import { map, set } from '../values/cty-type';
import { isUnknown } from '../values/unknown';
import { ObjectValue } from '../values/value';
import { awsError, effectiveTags, first, num, objects, planCommon, REGION_ATTRIBUTE, regionOf, str, tagAttributes, toJson } from './common';
import {
  elbId, ElbKind, unknownsToNull, elbStores, listenerArn, ListenerRecord, listenersOf, LoadBalancerRecord, recordState, requireLoadBalancer, requireTargetGroup,
  TargetGroupRecord,
} from './elb-model';
import { Tags } from './model';
import { awsQuota } from './quotas';
import { importById } from './resource-import';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - protocols per balancer type (HTTP/HTTPS for Application, TCP/TLS/UDP/TCP_UDP for Network Load Balancers),
 *   a certificate for HTTPS/TLS listeners, the default security policy, one listener per port (DuplicateListener),
 *   target groups of the balancer's VPC with a protocol the listener can forward to:
 *   Elastic Load Balancing API Reference, CreateListener / ModifyListener and their errors
 * - listeners per load balancer 50 (TooManyListeners), target groups per load balancer 100
 *   (TooManyUniqueTargetGroupsPerLoadBalancer): Elastic Load Balancing quotas
 * - certificates come from ACM (or IAM server certificates) in the balancer's region (CertificateNotFound):
 *   Application Load Balancers Guide, "SSL certificates"
 * The mock's own wording (documented rule, no published error text found): IncompatibleProtocols, a target group
 * of another VPC than the balancer's, a missing listener port, the NLB protocol list.
 */

const ALB_PROTOCOLS = ['HTTP', 'HTTPS'];
const NLB_PROTOCOLS = ['TCP', 'TLS', 'UDP', 'TCP_UDP'];

/** The security policy ELB gives an HTTPS or TLS listener created without one. */
export const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-2016-08';

/** Target group protocols a listener protocol can forward to. */
export function compatibleTargetProtocols(listenerProtocol: string): string[] {
  switch (listenerProtocol) {
    case 'HTTP': case 'HTTPS': return ['HTTP', 'HTTPS'];
    case 'TCP': return ['TCP', 'TCP_UDP'];
    case 'UDP': return ['UDP', 'TCP_UDP'];
    case 'TCP_UDP': return ['TCP_UDP'];
    case 'TLS': return ['TCP', 'TLS'];
    default: return [];
  }
}

/** An ACM certificate or IAM server certificate ARN, in `region` for ACM. */
export function certificateUsable(certificate: string, region: string): boolean {
  const acm = /^arn:aws:acm:([a-z0-9-]+):\d{12}:certificate\/[A-Za-z0-9-]+$/.exec(certificate);
  if (acm) return acm[1] === region;
  return /^arn:aws:iam::\d{12}:server-certificate\/.+$/.test(certificate);
}

/** The target groups the default actions send traffic to (forward, directly or weighted). */
function forwardedGroups(actions: ObjectValue[]): { arn: string; path: (string | number)[] }[] {
  const out: { arn: string; path: (string | number)[] }[] = [];
  actions.forEach((a, i) => {
    const direct = str(a.target_group_arn);
    if (direct) out.push({ arn: direct, path: ['default_action', i, 'target_group_arn'] });
    for (const tg of objects(first(a.forward)?.target_group)) {
      const arn = str(tg.arn);
      if (arn) out.push({ arn, path: ['default_action', i, 'forward'] });
    }
  });
  return out;
}

function listenerState(ctx: OperationContext, l: ListenerRecord, state: ObjectValue | null): ObjectValue {
  return { ...recordState(ctx, l, state), timeouts: state?.timeouts ?? null };
}

function applyListener(ctx: CreateContext, existing: ListenerRecord | null): ObjectValue {
  const p = ctx.planned;
  const region = existing?.region ?? regionOf(ctx, p);
  const lb: LoadBalancerRecord = requireLoadBalancer(ctx.cloud, str(p.load_balancer_arn) ?? '', region, ['load_balancer_arn']);
  const allowed = lb.type === 'application' ? ALB_PROTOCOLS : NLB_PROTOCOLS;
  const protocol = (str(p.protocol) ?? (lb.type === 'application' ? 'HTTP' : 'TCP')).toUpperCase();
  if (!allowed.includes(protocol)) {
    throw awsError('ValidationError', `Listener protocol '${protocol}' must be one of '${[...allowed].reverse().join(', ')}'`, ['protocol'],
      `${lb.name} is ${lb.type === 'application' ? 'an Application' : 'a Network'} Load Balancer.`);
  }
  const port = num(p.port);
  if (port === null) throw awsError('ValidationError', 'A listener port must be specified', ['port']);
  const others = listenersOf(ctx.cloud, lb.arn).filter((l) => l.id !== existing?.id);
  if (others.some((l) => l.port === port)) {
    throw awsError('DuplicateListener', `A listener already exists on this port for this load balancer '${lb.arn}'`, ['port'], `Port ${port} is taken.`);
  }
  if (!existing && others.length >= awsQuota('listeners_per_load_balancer')) {
    throw awsError('TooManyListeners', 'You\'ve reached the limit on the number of listeners per load balancer.', undefined,
      `${lb.name} has ${others.length} listeners, the quota (AWS's default is 50; BUTTER_MOCK_QUOTAS raises it).`);
  }
  const secure = protocol === 'HTTPS' || protocol === 'TLS';
  const certificate = str(p.certificate_arn);
  if (secure && !certificate) throw awsError('ValidationError', `A certificate must be specified for ${protocol} listeners`, ['certificate_arn']);
  if (certificate && !certificateUsable(certificate, region)) {
    throw awsError('CertificateNotFound', `Certificate '${certificate}' not found`, ['certificate_arn'],
      `The mock cloud takes ACM certificate ARNs of ${region} (arn:aws:acm:${region}:<account>:certificate/<id>) and IAM server certificate ARNs.`);
  }
  const actions = objects(p.default_action);
  const groups: TargetGroupRecord[] = [];
  for (const { arn, path } of forwardedGroups(actions)) {
    const tg = requireTargetGroup(ctx.cloud, arn, region, path);
    if (tg.vpc_id !== lb.vpc_id) {
      throw awsError('ValidationError', `The target group '${tg.arn}' is not in the same VPC as the load balancer '${lb.arn}'`, path,
        `${tg.name} is in ${tg.vpc_id}; ${lb.name} is in ${lb.vpc_id}.`);
    }
    if (!compatibleTargetProtocols(protocol).includes(tg.protocol)) {
      throw awsError('IncompatibleProtocols', `Listener protocol '${protocol}' is not compatible with target group protocol '${tg.protocol}'`, path,
        `${tg.name} uses ${tg.protocol}; a ${protocol} listener forwards to ${compatibleTargetProtocols(protocol).join(' or ')} target groups.`);
    }
    if (!groups.some((g) => g.arn === tg.arn)) groups.push(tg);
  }
  const unique = new Set([...others.flatMap((l) => l.target_group_arns), ...groups.map((g) => g.arn)]);
  const tgLimit = awsQuota('target_groups_per_load_balancer');
  if (unique.size > tgLimit) {
    throw awsError('TooManyUniqueTargetGroupsPerLoadBalancer', 'You\'ve reached the limit on the number of unique target groups per load balancer across all listeners.', undefined,
      `${lb.name} would forward to ${unique.size} target groups, over the quota of ${tgLimit} (AWS's default is 100; BUTTER_MOCK_QUOTAS raises it).`);
  }
  const id = existing?.id ?? listenerArn(lb, elbId(ctx.cloud));
  const state: ObjectValue = {
    ...p,
    id,
    arn: id,
    protocol,
    ssl_policy: secure ? str(p.ssl_policy) ?? DEFAULT_SSL_POLICY : str(p.ssl_policy) ?? '',
    default_action: actions.map((a, i) => ({ ...a, order: num(a.order) ?? i + 1 })),
    tcp_idle_timeout_seconds: num(p.tcp_idle_timeout_seconds) ?? (lb.type === 'network' && (protocol === 'TCP' || protocol === 'TLS') ? 350 : null),
  };
  for (const [k, v] of Object.entries(ROUTING_DEFAULTS)) if (state[k] === null || isUnknown(state[k])) state[k] = lb.type === 'application' ? v : null;
  delete state.tags;
  delete state.tags_all;
  delete state.timeouts;
  const record = ctx.cloud.put<ListenerRecord>(ElbKind.listener, id, {
    id, arn: id, region, load_balancer_arn: lb.arn, port, protocol, target_group_arns: groups.map((g) => g.arn), state: toJson(unknownsToNull(state)),
    tags: effectiveTags(ctx, p.tags) as Tags,
  });
  return listenerState(ctx, record, p);
}

/** What an Application Load Balancer's listener reports for its routing.http headers when unset. */
const ROUTING_DEFAULTS: Record<string, string | boolean | null> = {
  routing_http_request_x_amzn_mtls_clientcert_header_name: null,
  routing_http_request_x_amzn_mtls_clientcert_issuer_header_name: null,
  routing_http_request_x_amzn_mtls_clientcert_leaf_header_name: null,
  routing_http_request_x_amzn_mtls_clientcert_serial_number_header_name: null,
  routing_http_request_x_amzn_mtls_clientcert_subject_header_name: null,
  routing_http_request_x_amzn_mtls_clientcert_validity_header_name: null,
  routing_http_request_x_amzn_tls_cipher_suite_header_name: null,
  routing_http_request_x_amzn_tls_version_header_name: null,
  routing_http_response_server_enabled: true,
};

const ROUTING: Record<string, AttributeSpec> = Object.fromEntries([
  'routing_http_request_x_amzn_mtls_clientcert_header_name', 'routing_http_request_x_amzn_mtls_clientcert_issuer_header_name',
  'routing_http_request_x_amzn_mtls_clientcert_leaf_header_name', 'routing_http_request_x_amzn_mtls_clientcert_serial_number_header_name',
  'routing_http_request_x_amzn_mtls_clientcert_subject_header_name', 'routing_http_request_x_amzn_mtls_clientcert_validity_header_name',
  'routing_http_request_x_amzn_tls_cipher_suite_header_name', 'routing_http_request_x_amzn_tls_version_header_name',
  'routing_http_response_access_control_allow_credentials_header_value', 'routing_http_response_access_control_allow_headers_header_value',
  'routing_http_response_access_control_allow_methods_header_value', 'routing_http_response_access_control_allow_origin_header_value',
  'routing_http_response_access_control_expose_headers_header_value', 'routing_http_response_access_control_max_age_header_value',
  'routing_http_response_content_security_policy_header_value', 'routing_http_response_strict_transport_security_header_value',
  'routing_http_response_x_content_type_options_header_value', 'routing_http_response_x_frame_options_header_value',
].map((k) => [k, optionalComputed('string')]));

const authExtra = { authentication_request_extra_params: optional(map('string')), on_unauthenticated_request: optionalComputed('string'),
  scope: optionalComputed('string'), session_cookie_name: optionalComputed('string'), session_timeout: optionalComputed('number') };

const DEFAULT_ACTION: NestedBlockSpec = block('list', {
  attributes: {
    order: optionalComputed('number', { validate: intBetween(1, 50000) }),
    target_group_arn: optional('string'),
    type: required('string', { validate: oneOf('forward', 'redirect', 'fixed-response', 'authenticate-cognito', 'authenticate-oidc', 'jwt-validation') }),
  },
  blocks: {
    authenticate_cognito: block('list', {
      attributes: { ...authExtra, user_pool_arn: required('string'), user_pool_client_id: required('string'), user_pool_domain: required('string') },
    }, { maxItems: 1 }),
    authenticate_oidc: block('list', {
      attributes: {
        ...authExtra, authorization_endpoint: required('string'), client_id: required('string'), client_secret: required('string', { sensitive: true }),
        issuer: required('string'), token_endpoint: required('string'), user_info_endpoint: required('string'),
      },
    }, { maxItems: 1 }),
    fixed_response: block('list', {
      attributes: { content_type: required('string'), message_body: optional('string'), status_code: optionalComputed('string') },
    }, { maxItems: 1 }),
    forward: block('list', {
      blocks: {
        stickiness: block('list', { attributes: { duration: required('number'), enabled: optional('bool', { default: false }) } }, { maxItems: 1 }),
        target_group: block('set', { attributes: { arn: required('string'), weight: optional('number', { default: 1 }) } }, { minItems: 1, maxItems: 5 }),
      },
    }, { maxItems: 1 }),
    jwt_validation: block('list', {
      attributes: { issuer: required('string'), jwks_endpoint: required('string') },
      blocks: {
        additional_claim: block('set', { attributes: { format: required('string'), name: required('string'), values: required(set('string')) } }),
      },
    }, { maxItems: 1 }),
    redirect: block('list', {
      attributes: {
        host: optional('string', { default: '#{host}' }), path: optional('string', { default: '/#{path}' }), port: optional('string', { default: '#{port}' }),
        protocol: optional('string', { default: '#{protocol}' }), query: optional('string', { default: '#{query}' }), status_code: required('string'),
      },
    }, { maxItems: 1 }),
  },
}, { minItems: 1 });

function validateListener(ctx: ValidateContext): void {
  objects(ctx.config.default_action).forEach((a, i) => {
    if (a.type === 'forward' && a.target_group_arn === null && objects(a.forward).length === 0) {
      ctx.error('Invalid Attribute Combination', { detail: 'either "default_action.0.target_group_arn" or "default_action.0.forward" must be specified when "type" is "forward"', path: ['default_action', i] });
    }
  });
}

export const listener: ResourceType = {
  name: 'aws_lb_listener',
  schema: {
    attributes: {
      alpn_policy: optional('string', { validate: oneOf('HTTP1Only', 'HTTP2Only', 'HTTP2Optional', 'HTTP2Preferred', 'None') }),
      arn: computed('string'),
      certificate_arn: optional('string'),
      id: computed('string'),
      load_balancer_arn: required('string', { forceNew: true }),
      port: optional('number', { validate: intBetween(1, 65535) }),
      protocol: optionalComputed('string', { validate: oneOf('GENEVE', 'HTTP', 'HTTPS', 'TCP', 'TCP_UDP', 'TLS', 'UDP', 'QUIC', 'TCP_QUIC', 'http', 'https', 'tcp', 'tls', 'udp', 'tcp_udp') }),
      region: REGION_ATTRIBUTE,
      ...ROUTING,
      routing_http_response_server_enabled: optionalComputed('bool'),
      ssl_policy: optionalComputed('string'),
      tcp_idle_timeout_seconds: optionalComputed('number', { validate: intBetween(60, 6000) }),
      ...tagAttributes(),
    },
    blocks: {
      default_action: DEFAULT_ACTION,
      mutual_authentication: block('list', {
        attributes: {
          advertise_trust_store_ca_names: optionalComputed('string'), ignore_client_certificate_expiry: optionalComputed('bool'),
          mode: required('string', { validate: oneOf('off', 'passthrough', 'verify') }), trust_store_arn: optionalComputed('string'),
        },
      }, { maxItems: 1 }),
      timeouts: block('single', { attributes: { create: optional('string'), update: optional('string') } }),
    },
  },
  validate: validateListener,
  plan(ctx) {
    planCommon(ctx);
  },
  create(ctx) {
    return applyListener(ctx, null);
  },
  import: importById({ format: 'the listener ARN (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<lb name>/<lb id>/<id>)' }),
  read: readRecord(elbStores.listener, listenerState),
  update(ctx) {
    return applyListener(ctx, priorRecord(ctx, elbStores.listener));
  },
  delete(ctx) {
    const l = elbStores.listener.find(ctx, ctx.state);
    if (l) ctx.cloud.delete(ElbKind.listener, l.id);
  },
};
