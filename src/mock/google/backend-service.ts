import { Cloud } from '../cloud/cloud';
import { ResourceType } from '../framework/types';
import { priorRecord } from '../framework/records';
import { block, computed, optional, optionalComputed, required } from '../schema/dsl';
import { oneOf } from '../schema/validators';
import { list, set } from '../values/cty-type';
import { UNKNOWN } from '../values/unknown';
import { ObjectValue } from '../values/value';
import {
  apiError, fingerprint, finish, inUse, invalidField, notFound, num, numericIdNumber, objects, orElse, planChanges, readStoredState,
  regionalRef, selfLink, str, strings, timeoutsBlock, timestamp,
} from './common';
import { findHealthCheck } from './health-check';
import {
  BackendServiceRecord, ForwardingRuleRecord, InstanceGroupManagerRecord, Kind, newRegional, putRecord, saveState, storedRecords, UrlMapRecord,
} from './model';
import { requireNetwork } from './network';
import { planLocation, PROJECT_ATTRIBUTE, REGION_ATTRIBUTE } from './provider-config';
import { googleQuota } from './quotas';
import { importable, regionalForms } from './resource-import';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - backends in the backend service's region: Load Balancing docs, Backend services overview (Backends: "regional backend services ... backends in the same region")
 * - protocol per scheme (EXTERNAL/INTERNAL passthrough: TCP, UDP, UNSPECIFIED...; *_MANAGED: HTTP, HTTPS, HTTP2...): Load Balancing docs, Backend services overview (Protocol to the backends)
 * - balancing mode per scheme (CONNECTION for passthrough; UTILIZATION or RATE for HTTP(S)): Load Balancing docs, Backend services overview (Balancing mode); Compute Engine API, regionBackendServices (backends[].balancingMode)
 * - one health check; deleting a backend service a URL map or forwarding rule uses: Compute Engine API, regionBackendServices (healthChecks), regionBackendServices.delete
 * - backend services per project (BACKEND_SERVICES): Load Balancing docs, Quotas and limits
 */

/**
 * `google_compute_region_backend_service`: the backends (managed instance groups) a regional
 * load balancer sends to, with its health check. Passthrough balancers (EXTERNAL, INTERNAL)
 * take L4 protocols and CONNECTION balancing; proxy balancers (EXTERNAL_MANAGED,
 * INTERNAL_MANAGED) take HTTP-family protocols, a named port and UTILIZATION or RATE.
 * Everything but name, region and scheme changes in place.
 */

const ACTION = {
  create: 'creating RegionBackendService', update: 'updating RegionBackendService', delete: 'deleting RegionBackendService',
};
const STORE = storedRecords<BackendServiceRecord>(Kind.backendService, ACTION);

const imports = importable({ ...regionalForms('backendServices'), configOnly: { timeouts: null } }, readStoredState(Kind.backendService));

const SCHEMES = ['EXTERNAL', 'EXTERNAL_MANAGED', 'INTERNAL', 'INTERNAL_MANAGED', 'INTERNAL_SELF_MANAGED'];
const L4_PROTOCOLS = ['TCP', 'UDP', 'UNSPECIFIED', 'SSL'];
const L7_PROTOCOLS = ['HTTP', 'HTTPS', 'HTTP2', 'H2C', 'GRPC', 'TCP', 'SSL'];
const duration = () => block('list', { attributes: { seconds: required('number'), nanos: optional('number') } }, { maxItems: 1 });
const cookie = () => block('list', { attributes: { name: optional('string'), path: optional('string') }, blocks: { ttl: duration() } }, { maxItems: 1 });

export const regionBackendService: ResourceType = {
  name: 'google_compute_region_backend_service',
  schema: {
    attributes: {
      name: required('string', { forceNew: true }),
      description: optional('string'),
      affinity_cookie_ttl_sec: optional('number'),
      connection_draining_timeout_sec: optional('number', { default: 300 }),
      enable_cdn: optional('bool'),
      health_checks: optional(set('string')),
      ip_address_selection_policy: optional('string', { validate: oneOf('IPV4_ONLY', 'PREFER_IPV6', 'IPV6_ONLY') }),
      load_balancing_scheme: optional('string', { forceNew: true, default: 'INTERNAL', validate: oneOf(...SCHEMES) }),
      locality_lb_policy: optional('string'),
      network: optional('string', { forceNew: true }),
      port_name: optionalComputed('string'),
      protocol: optionalComputed('string', { validate: oneOf('HTTP', 'HTTPS', 'HTTP2', 'SSL', 'TCP', 'UDP', 'GRPC', 'UNSPECIFIED', 'H2C') }),
      session_affinity: optionalComputed('string'),
      timeout_sec: optionalComputed('number'),
      region: REGION_ATTRIBUTE,
      project: PROJECT_ATTRIBUTE,
      id: optionalComputed('string'),
      creation_timestamp: computed('string'),
      fingerprint: computed('string'),
      generated_id: computed('number'),
      self_link: computed('string'),
    },
    blocks: {
      backend: block('set', {
        attributes: {
          group: required('string'),
          balancing_mode: optional('string', { default: 'CONNECTION', validate: oneOf('UTILIZATION', 'RATE', 'CONNECTION', 'CUSTOM_METRICS') }),
          capacity_scaler: optional('number'),
          description: optional('string'),
          failover: optionalComputed('bool'),
          max_connections: optional('number'),
          max_connections_per_endpoint: optional('number'),
          max_connections_per_instance: optional('number'),
          max_rate: optional('number'),
          max_rate_per_endpoint: optional('number'),
          max_rate_per_instance: optional('number'),
          max_utilization: optional('number'),
        },
        blocks: {
          custom_metrics: block('list', { attributes: { name: required('string'), dry_run: required('bool'), max_utilization: optional('number') } }),
        },
      }),
      cdn_policy: block('list', {
        attributes: {
          cache_mode: optionalComputed('string'), client_ttl: optionalComputed('number'), default_ttl: optionalComputed('number'),
          max_ttl: optionalComputed('number'), negative_caching: optionalComputed('bool'), serve_while_stale: optionalComputed('number'),
          signed_url_cache_max_age_sec: optional('number'),
        },
        blocks: {
          cache_key_policy: block('list', {
            attributes: {
              include_host: optional('bool'), include_named_cookies: optional(list('string')), include_protocol: optional('bool'),
              include_query_string: optional('bool'), query_string_blacklist: optional(set('string')), query_string_whitelist: optional(set('string')),
            },
          }, { maxItems: 1 }),
          negative_caching_policy: block('list', { attributes: { code: optional('number') } }),
        },
      }, { maxItems: 1 }),
      circuit_breakers: block('list', {
        attributes: {
          max_connections: optional('number'), max_pending_requests: optional('number'), max_requests: optional('number'),
          max_requests_per_connection: optional('number'), max_retries: optional('number'),
        },
      }, { maxItems: 1 }),
      consistent_hash: block('list', {
        attributes: { http_header_name: optional('string'), minimum_ring_size: optional('number') },
        blocks: { http_cookie: cookie() },
      }, { maxItems: 1 }),
      custom_metrics: block('list', { attributes: { name: required('string'), dry_run: required('bool') } }),
      failover_policy: block('list', {
        attributes: {
          disable_connection_drain_on_failover: optionalComputed('bool'), drop_traffic_if_unhealthy: optionalComputed('bool'),
          failover_ratio: optional('number'),
        },
      }, { maxItems: 1 }),
      ha_policy: block('list', {
        attributes: { fast_ip_move: optional('string') },
        blocks: {
          leader: block('list', {
            attributes: { backend_group: optional('string') },
            blocks: { network_endpoint: block('list', { attributes: { instance: optional('string') } }, { maxItems: 1 }) },
          }, { maxItems: 1 }),
        },
      }, { maxItems: 1 }),
      iap: block('list', {
        attributes: {
          enabled: required('bool'), oauth2_client_id: optional('string'), oauth2_client_secret: optional('string', { sensitive: true }),
          oauth2_client_secret_sha256: computed('string', { sensitive: true }),
        },
      }, { maxItems: 1 }),
      log_config: block('list', {
        attributes: {
          enable: optional('bool'), optional_fields: optional(list('string')), optional_mode: optionalComputed('string'), sample_rate: optionalComputed('number'),
        },
      }, { maxItems: 1 }),
      outlier_detection: block('list', {
        attributes: Object.fromEntries(['consecutive_errors', 'consecutive_gateway_failure', 'enforcing_consecutive_errors',
          'enforcing_consecutive_gateway_failure', 'enforcing_success_rate', 'max_ejection_percent', 'success_rate_minimum_hosts',
          'success_rate_request_volume', 'success_rate_stdev_factor'].map((n) => [n, optional('number')])),
        blocks: { base_ejection_time: duration(), interval: duration() },
      }, { maxItems: 1 }),
      strong_session_affinity_cookie: cookie(),
      timeouts: timeoutsBlock('create', 'update', 'delete'),
    },
  },

  plan(ctx) {
    planLocation(ctx, true);
    if (ctx.prior && planChanges(ctx)) ctx.planned.fingerprint = UNKNOWN;
  },

  create(ctx) {
    const p = ctx.planned;
    const { project, region, name, id } = newRegional(ctx, STORE, 'backendServices', ACTION.create);
    const limit = googleQuota('backend_services_per_project');
    if (ctx.cloud.list<BackendServiceRecord>(Kind.backendService, (b) => b.project === project).length >= limit) {
      throw apiError(ACTION.create, 403, `Quota 'BACKEND_SERVICES' exceeded.  Limit: ${limit.toFixed(1)} globally.`, 'quotaExceeded', ['name'],
        'BUTTER_MOCK_QUOTAS {"google": {"backend_services_per_project": N}} raises it.');
    }
    const facts = checkService(ctx.cloud, p, project, region, ACTION.create);
    const state = finish(p, {
      ...p, id, project, region, self_link: selfLink(id), creation_timestamp: timestamp(), generated_id: numericIdNumber(ctx.cloud),
      ...computedDefaults(p, facts.protocol),
    });
    state.fingerprint = fingerprint(state);
    return putRecord<BackendServiceRecord>(ctx.cloud, STORE, { id, project, name, region, ...facts }, state);
  },

  import: imports.import,
  read: imports.read,

  update(ctx) {
    const record = priorRecord(ctx, STORE);
    const facts = checkService(ctx.cloud, ctx.planned, record.project, record.region, ACTION.update);
    const state = finish(ctx.planned, { ...ctx.planned, ...computedDefaults(ctx.planned, facts.protocol) });
    state.fingerprint = fingerprint(state);
    return saveState(ctx.cloud, STORE, record, state, facts);
  },

  delete(ctx) {
    const id = str(ctx.state.id) as string;
    const user = [
      ...ctx.cloud.list<UrlMapRecord>(Kind.urlMap, (m) => m.services.includes(id)).map((m) => m.self_link),
      ...ctx.cloud.list<ForwardingRuleRecord>(Kind.forwardingRule, (f) => f.backend_service === id).map((f) => f.self_link),
    ][0];
    if (user) throw inUse(ACTION.delete, 'backendService', id, user);
    ctx.cloud.delete(Kind.backendService, id);
  },
};

/** What Google fills in: the protocol (HTTP for proxies, TCP for passthrough), the named port, affinity and timeout. */
function computedDefaults(p: ObjectValue, protocol: string): ObjectValue {
  const managed = /_MANAGED$/.test(str(p.load_balancing_scheme) ?? 'INTERNAL');
  return {
    protocol,
    port_name: orElse(p.port_name, managed ? 'http' : ''),
    session_affinity: orElse(p.session_affinity, 'NONE'),
    timeout_sec: orElse(p.timeout_sec, 30),
    backend: objects(p.backend).map((b) => ({ ...b, failover: orElse(b.failover, false) })),
  };
}

/**
 * The backend service's rules: protocol and balancing mode for the scheme, backends that are
 * managed instance groups of its region, at most one existing health check.
 */
function checkService(cloud: Cloud, p: ObjectValue, project: string, region: string, action: string):
  Pick<BackendServiceRecord, 'scheme' | 'protocol' | 'port_name' | 'health_checks' | 'groups' | 'network'> {
  const scheme = str(p.load_balancing_scheme) ?? 'INTERNAL';
  const managed = /_MANAGED$/.test(scheme) || scheme === 'INTERNAL_SELF_MANAGED';
  const protocol = str(p.protocol) ?? (managed ? 'HTTP' : 'TCP');
  const allowed = managed ? L7_PROTOCOLS : L4_PROTOCOLS;
  if (!allowed.includes(protocol)) {
    throw invalidField(action, 'resource.protocol', protocol,
      `Protocol ${protocol} is not supported for load balancing scheme ${scheme}; it supports ${allowed.join(', ')}.`, ['protocol']);
  }
  const checks = strings(p.health_checks);
  if (checks.length > 1) throw invalidField(action, 'resource.healthChecks', checks.join(','), 'At most one health check can be specified.', ['health_checks']);
  const healthChecks = checks.map((ref) => {
    const found = findHealthCheck(cloud, ref, project, region);
    if (!found) throw notFound(action, ref, ['health_checks']);
    return found.id;
  });
  const groups = objects(p.backend).map((b, i) => {
    const ref = str(b.group) as string;
    const path = ['backend'];
    const r = regionalRef(ref, 'instanceGroups', project, region);
    if (!r) throw invalidField(action, `resource.backends[${i}].group`, ref, 'Must be the URL of an instance group.', path);
    if (r.region !== region) {
      throw invalidField(action, `resource.backends[${i}].group`, ref,
        `Backend group must be in the same region as the backend service: the group is in '${r.region}', the backend service in '${region}'.`, path);
    }
    const groupId = r.id.replace('/instanceGroups/', '/instanceGroupManagers/');
    if (!cloud.get<InstanceGroupManagerRecord>(Kind.instanceGroupManager, groupId)) throw notFound(action, r.id, path);
    const mode = str(b.balancing_mode) ?? 'CONNECTION';
    const field = `resource.backends[${i}].balancingMode`;
    if (!managed && mode !== 'CONNECTION') {
      throw invalidField(action, field, mode, `Balancing mode must be CONNECTION for an ${scheme} backend service.`, path);
    }
    if (managed && ['HTTP', 'HTTPS', 'HTTP2', 'H2C', 'GRPC'].includes(protocol) && !['UTILIZATION', 'RATE', 'CUSTOM_METRICS'].includes(mode)) {
      throw invalidField(action, field, mode, `Balancing mode must be UTILIZATION or RATE for a backend service with protocol ${protocol}.`, path);
    }
    if (mode === 'RATE' && num(b.max_rate) === null && num(b.max_rate_per_instance) === null) {
      throw invalidField(action, `resource.backends[${i}].maxRate`, '', 'Balancing mode RATE needs maxRate or maxRatePerInstance.', path);
    }
    return groupId;
  });
  if (objects(p.backend).length > 0 && healthChecks.length === 0 && scheme !== 'INTERNAL_SELF_MANAGED') {
    throw invalidField(action, 'resource.healthChecks', '', 'A backend service with backends must have a health check.', ['health_checks']);
  }
  const net = str(p.network);
  const network = net ? requireNetwork(cloud, net, project, action) : null;
  return { scheme, protocol, port_name: str(p.port_name) ?? (managed ? 'http' : null), health_checks: healthChecks, groups, network };
}

/** A regional backend service's record from any reference form, or Google's 404. */
export function requireBackendService(cloud: Cloud, ref: string, project: string, region: string, action: string, path: (string | number)[]): BackendServiceRecord {
  const r = regionalRef(ref, 'backendServices', project, region);
  const found = r ? cloud.get<BackendServiceRecord>(Kind.backendService, r.id) : undefined;
  if (!found) throw notFound(action, r?.id ?? ref, path);
  return found;
}
