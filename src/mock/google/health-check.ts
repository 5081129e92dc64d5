import { ResourceType, ValidateContext } from '../framework/types';
import { claimId, priorRecord } from '../framework/records';
import { block, computed, optional, optionalComputed, required } from '../schema/dsl';
import { oneOf } from '../schema/validators';
import { list } from '../values/cty-type';
import { Cloud } from '../cloud/cloud';
import { isUnknown } from '../values/unknown';
import { ObjectValue } from '../values/value';
import {
  apiError, checkName, finish, first, globalId, inUse, invalidField, num, objects, readStoredState, regionalId, selfLink, str, timeoutsBlock,
  timestamp, numericIdNumber,
} from './common';
import { BackendServiceRecord, HealthCheckRecord, InstanceGroupManagerRecord, Kind, newRegional, putRecord, saveState, storedRecords } from './model';
import { planLocation, PROJECT_ATTRIBUTE, projectOf, REGION_ATTRIBUTE } from './provider-config';
import { googleQuota } from './quotas';
import { globalForms, importable, regionalForms } from './resource-import';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - exactly one protocol block: terraform-provider-google, google_compute_(region_)health_check (ExactlyOneOf)
 * - timeoutSec <= checkIntervalSec, thresholds 1-10, port 1-65535: Load Balancing docs, Health checks overview (Health check parameters); Compute Engine API, healthChecks
 * - deleting a health check a backend service or an autohealing policy uses (resourceInUseByAnotherResource): Compute Engine API, healthChecks.delete
 * - health checks per project (HEALTH_CHECKS): Load Balancing docs, Quotas and limits
 */

/**
 * `google_compute_region_health_check` and `google_compute_health_check`: what a load balancer
 * (and a group's autohealing) probes. One protocol block, checked as the API checks the
 * parameters; everything but the name (and region) changes in place. The probe itself is
 * simulated in backend-health.ts: it reaches an instance only through a firewall rule admitting
 * Google's probe ranges on the checked port.
 */

/** The protocol blocks, as the provider names them, and the API's `type` for each. */
const PROTOCOLS: Record<string, string> = {
  http_health_check: 'HTTP', https_health_check: 'HTTPS', http2_health_check: 'HTTP2', tcp_health_check: 'TCP',
  ssl_health_check: 'SSL', grpc_health_check: 'GRPC',
};
/** The port each protocol probes when none is given. */
const DEFAULT_PORT: Record<string, number> = { HTTP: 80, HTTPS: 443, HTTP2: 443, TCP: 80, SSL: 443, GRPC: 80 };

const PORT_SPEC = optional('string', { validate: oneOf('USE_FIXED_PORT', 'USE_NAMED_PORT', 'USE_SERVING_PORT') });
const PROXY_HEADER = optional('string', { default: 'NONE', validate: oneOf('NONE', 'PROXY_V1') });
const httpLike = () => block('list', {
  attributes: {
    host: optional('string'), port: optionalComputed('number'), port_name: optional('string'), port_specification: PORT_SPEC,
    proxy_header: PROXY_HEADER, request_path: optional('string', { default: '/' }), response: optional('string'),
  },
}, { maxItems: 1 });
const streamLike = () => block('list', {
  attributes: {
    port: optionalComputed('number'), port_name: optional('string'), port_specification: PORT_SPEC, proxy_header: PROXY_HEADER,
    request: optional('string'), response: optional('string'),
  },
}, { maxItems: 1 });

/** The simulated type, regional (`google_compute_region_health_check`) or global. */
function healthCheckType(regional: boolean): ResourceType {
  const name = regional ? 'google_compute_region_health_check' : 'google_compute_health_check';
  const collection = 'healthChecks';
  const action = regional
    ? { create: 'creating RegionHealthCheck', update: 'updating RegionHealthCheck', delete: 'deleting RegionHealthCheck' }
    : { create: 'creating HealthCheck', update: 'updating HealthCheck', delete: 'deleting HealthCheck' };
  const store = storedRecords<HealthCheckRecord>(Kind.healthCheck, action);
  const imports = importable({ ...(regional ? regionalForms(collection) : globalForms(collection)), configOnly: { timeouts: null } },
    readStoredState(Kind.healthCheck));
  return {
    name,
    schema: {
      attributes: {
        name: required('string', { forceNew: true }),
        description: optional('string'),
        check_interval_sec: optional('number', { default: 5 }),
        timeout_sec: optional('number', { default: 5 }),
        healthy_threshold: optional('number', { default: 2 }),
        unhealthy_threshold: optional('number', { default: 2 }),
        ...(regional ? { region: REGION_ATTRIBUTE } : { source_regions: optional(list('string')) }),
        project: PROJECT_ATTRIBUTE,
        id: optionalComputed('string'),
        creation_timestamp: computed('string'),
        health_check_id: computed('number'),
        self_link: computed('string'),
        type: computed('string'),
      },
      blocks: {
        http_health_check: httpLike(),
        https_health_check: httpLike(),
        http2_health_check: httpLike(),
        tcp_health_check: streamLike(),
        ssl_health_check: streamLike(),
        grpc_health_check: block('list', {
          attributes: { grpc_service_name: optional('string'), port: optionalComputed('number'), port_name: optional('string'), port_specification: PORT_SPEC },
        }, { maxItems: 1 }),
        log_config: block('list', { attributes: { enable: optional('bool', { default: false }) } }, { maxItems: 1 }),
        timeouts: timeoutsBlock('create', 'update', 'delete'),
      },
    },

    validate(ctx) {
      exactlyOneProtocol(ctx);
    },

    plan(ctx) {
      planLocation(ctx, regional);
    },

    create(ctx) {
      const p = ctx.planned;
      let where: { project: string; region: string | null; id: string; name: string };
      if (regional) {
        where = newRegional(ctx, store, collection, action.create);
      } else {
        const project = projectOf(ctx, p, action.create);
        const hcName = str(p.name) as string;
        checkName(action.create, hcName);
        where = { project, region: null, name: hcName, id: claimId(ctx, store, globalId(project, collection, hcName)) };
      }
      checkQuota(ctx.cloud, where.project, action.create);
      const probe = checkParameters(p, action.create);
      const state = finish(p, {
        ...p, id: where.id, project: where.project, ...(regional ? { region: where.region } : {}),
        self_link: selfLink(where.id), creation_timestamp: timestamp(), health_check_id: numericIdNumber(ctx.cloud), type: probe.type,
        ...withPorts(p),
      });
      return putRecord<HealthCheckRecord>(ctx.cloud, store, {
        id: where.id, project: where.project, name: where.name, region: where.region, ...probe,
      }, state);
    },

    import: imports.import,
    read: imports.read,

    update(ctx) {
      const record = priorRecord(ctx, store);
      const probe = checkParameters(ctx.planned, action.update);
      const state = finish(ctx.planned, { ...ctx.planned, type: probe.type, ...withPorts(ctx.planned) });
      return saveState(ctx.cloud, store, record, state, probe);
    },

    delete(ctx) {
      const id = str(ctx.state.id) as string;
      const user = [
        ...ctx.cloud.list<BackendServiceRecord>(Kind.backendService, (b) => b.health_checks.includes(id)).map((b) => b.self_link),
        ...ctx.cloud.list<InstanceGroupManagerRecord>(Kind.instanceGroupManager, (g) => (g.autohealing ?? null) === id).map((g) => g.self_link),
      ][0];
      if (user) throw inUse(action.delete, 'healthCheck', id, user);
      ctx.cloud.delete(Kind.healthCheck, id);
    },
  };
}

export const regionHealthCheck = healthCheckType(true);
export const healthCheck = healthCheckType(false);

/** terraform-provider-google: ExactlyOneOf the protocol blocks (terraform-plugin-sdk's messages). */
function exactlyOneProtocol(ctx: ValidateContext): void {
  const names = Object.keys(PROTOCOLS);
  if (names.some((n) => isUnknown(ctx.config[n]))) return;
  const set = names.filter((n) => objects(ctx.config[n]).length > 0);
  const list = names.join(',');
  if (set.length === 0) ctx.error('Invalid combination of arguments', { detail: `"${names[0]}": one of \`${list}\` must be specified`, path: [names[0]] });
  if (set.length > 1) {
    ctx.error('Invalid combination of arguments', { detail: `"${set[0]}": only one of \`${list}\` can be specified, but \`${set.join(',')}\` were specified.`, path: [set[0]] });
  }
}

/** The protocol block that is set, and its body. */
function protocolOf(p: ObjectValue): { block: string; body: ObjectValue } {
  for (const b of Object.keys(PROTOCOLS)) {
    const body = first(p[b]);
    if (body) return { block: b, body };
  }
  return { block: 'tcp_health_check', body: {} };
}

/** The state's protocol block with the port Google fills in (the protocol's default unless a named or serving port is used). */
function withPorts(p: ObjectValue): ObjectValue {
  const { block: b, body } = protocolOf(p);
  const type = PROTOCOLS[b];
  const named = str(body.port_specification) === 'USE_NAMED_PORT' || str(body.port_specification) === 'USE_SERVING_PORT'
    || (str(body.port_name) !== null && num(body.port) === null);
  return { [b]: [{ ...body, port: num(body.port) ?? (named ? null : DEFAULT_PORT[type]) }] };
}

/**
 * The API's checks of the parameters (healthChecks.insert / patch): timeoutSec no greater than
 * checkIntervalSec, thresholds from 1 to 10, a port from 1 to 65535. The probe the record keeps.
 */
function checkParameters(p: ObjectValue, action: string): Pick<HealthCheckRecord, 'type' | 'port' | 'port_name'> {
  const interval = num(p.check_interval_sec) ?? 5;
  const timeout = num(p.timeout_sec) ?? 5;
  if (timeout > interval) {
    throw invalidField(action, 'resource.timeoutSec', String(timeout), 'TimeoutSec should be less than checkIntervalSec.', ['timeout_sec']);
  }
  if (interval < 1 || interval > 300) {
    throw invalidField(action, 'resource.checkIntervalSec', String(interval), 'Must be greater than or equal to 1 and less than or equal to 300.', ['check_interval_sec']);
  }
  for (const [attr, field] of [['healthy_threshold', 'healthyThreshold'], ['unhealthy_threshold', 'unhealthyThreshold']] as const) {
    const n = num(p[attr]) ?? 2;
    if (n < 1 || n > 10) {
      throw invalidField(action, `resource.${field}`, String(n), 'Must be greater than or equal to 1 and less than or equal to 10.', [attr]);
    }
  }
  const { block: b, body } = protocolOf(p);
  const type = PROTOCOLS[b];
  const port = num(body.port);
  if (port !== null && (port < 1 || port > 65535)) {
    throw invalidField(action, `resource.${b.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())}.port`, String(port),
      'Must be greater than or equal to 1 and less than or equal to 65535.', [b, 0, 'port']);
  }
  const named = str(body.port_specification) === 'USE_NAMED_PORT' || str(body.port_specification) === 'USE_SERVING_PORT';
  return { type, port: named ? null : (port ?? (str(body.port_name) ? null : DEFAULT_PORT[type])), port_name: str(body.port_name) };
}

/** Load Balancing docs, "Quotas and limits": health checks per project (HEALTH_CHECKS, regional and global together here). */
function checkQuota(cloud: Cloud, project: string, action: string): void {
  const limit = googleQuota('health_checks_per_project');
  if (cloud.list<HealthCheckRecord>(Kind.healthCheck, (h) => h.project === project).length >= limit) {
    throw apiError(action, 403, `Quota 'HEALTH_CHECKS' exceeded.  Limit: ${limit.toFixed(1)} globally.`, 'quotaExceeded', ['name'],
      'BUTTER_MOCK_QUOTAS {"google": {"health_checks_per_project": N}} raises it.');
  }
}

/** A health check's record from any reference form (regional or global), or undefined. */
export function findHealthCheck(cloud: Cloud, ref: string, project: string, region: string): HealthCheckRecord | undefined {
  const path = ref.replace(/^https:\/\/(www|compute)\.googleapis\.com\/compute\/(v1|beta)\//, '');
  const candidates = /\/global\//.test(path) || /^global\//.test(path)
    ? [globalId(project, 'healthChecks', path.split('/').pop() as string)]
    : [/^projects\//.test(path) ? path : regionalId(project, region, 'healthChecks', path.split('/').pop() as string), globalId(project, 'healthChecks', path.split('/').pop() as string)];
  if (/^projects\/[^/]+\/global\//.test(path)) candidates.unshift(path);
  for (const id of candidates) {
    const found = cloud.get<HealthCheckRecord>(Kind.healthCheck, id);
    if (found) return found;
  }
  return undefined;
}
