import { Cloud } from '../cloud/cloud';
import { ResourceType } from '../framework/types';
import { priorRecord } from '../framework/records';
import { block, computed, optional, optionalComputed, required } from '../schema/dsl';
import { set } from '../values/cty-type';
import { UNKNOWN } from '../values/unknown';
import { ObjectValue } from '../values/value';
import {
  fingerprint, finish, inUse, invalidField, numericIdNumber, objects, planChanges, readStoredState, regionalRef, selfLink, str,
  timeoutsBlock, timestamp,
} from './common';
import { requireBackendService } from './backend-service';
import { Kind, newRegional, putRecord, saveState, storedRecords, TargetProxyRecord, UrlMapRecord } from './model';
import { planLocation, PROJECT_ATTRIBUTE, REGION_ATTRIBUTE } from './provider-config';
import { importable, regionalForms } from './resource-import';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - services of a regional URL map: regional backend services of its region with a managed (Envoy) scheme: Load Balancing docs, URL maps overview; Compute Engine API, regionUrlMaps
 * - a default service or a default redirect, not both; host rules naming existing path matchers: Compute Engine API, regionUrlMaps (defaultService, defaultUrlRedirect, hostRules)
 * - deleting a URL map a target proxy uses: Compute Engine API, regionUrlMaps.delete
 */

/**
 * `google_compute_region_url_map`: how a regional Application Load Balancer routes requests to
 * backend services. The simulation keeps the routing that names services (default service, host
 * rules, path matchers and their path rules, a default redirect); advanced route actions
 * (header rewrites, retries, mirroring, fault injection, route rules) are not simulated and are
 * refused by Terraform as unknown blocks.
 */

const ACTION = { create: 'creating RegionUrlMap', update: 'updating RegionUrlMap', delete: 'deleting RegionUrlMap' };
const STORE = storedRecords<UrlMapRecord>(Kind.urlMap, ACTION);
const imports = importable({ ...regionalForms('urlMaps'), configOnly: { timeouts: null } }, readStoredState(Kind.urlMap));

const redirect = () => block('list', {
  attributes: {
    host_redirect: optional('string'), https_redirect: optional('bool'), path_redirect: optional('string'), prefix_redirect: optional('string'),
    redirect_response_code: optional('string'), strip_query: required('bool'),
  },
}, { maxItems: 1 });

export const regionUrlMap: ResourceType = {
  name: 'google_compute_region_url_map',
  schema: {
    attributes: {
      name: required('string', { forceNew: true }),
      default_service: optional('string'),
      description: optional('string'),
      region: REGION_ATTRIBUTE,
      project: PROJECT_ATTRIBUTE,
      id: optionalComputed('string'),
      creation_timestamp: computed('string'),
      fingerprint: computed('string'),
      map_id: computed('number'),
      self_link: computed('string'),
    },
    blocks: {
      default_url_redirect: redirect(),
      host_rule: block('set', { attributes: { description: optional('string'), hosts: required(set('string')), path_matcher: required('string') } }),
      path_matcher: block('list', {
        attributes: { name: required('string'), default_service: optional('string'), description: optional('string') },
        blocks: {
          default_url_redirect: redirect(),
          path_rule: block('list', { attributes: { paths: required(set('string')), service: optional('string') } }),
        },
      }),
      test: block('list', { attributes: { description: optional('string'), host: required('string'), path: required('string'), service: required('string') } }),
      timeouts: timeoutsBlock('create', 'update', 'delete'),
    },
  },

  plan(ctx) {
    planLocation(ctx, true);
    if (ctx.prior && planChanges(ctx)) ctx.planned.fingerprint = UNKNOWN;
  },

  create(ctx) {
    const { project, region, name, id } = newRegional(ctx, STORE, 'urlMaps', ACTION.create);
    const services = checkRoutes(ctx.cloud, ctx.planned, project, region, ACTION.create);
    const state = finish(ctx.planned, {
      ...ctx.planned, id, project, region, self_link: selfLink(id), creation_timestamp: timestamp(), map_id: numericIdNumber(ctx.cloud),
    });
    state.fingerprint = fingerprint(state);
    return putRecord<UrlMapRecord>(ctx.cloud, STORE, { id, project, name, region, services }, state);
  },

  import: imports.import,
  read: imports.read,

  update(ctx) {
    const record = priorRecord(ctx, STORE);
    const services = checkRoutes(ctx.cloud, ctx.planned, record.project, record.region, ACTION.update);
    const state = finish(ctx.planned, ctx.planned);
    state.fingerprint = fingerprint(state);
    return saveState(ctx.cloud, STORE, record, state, { services });
  },

  delete(ctx) {
    const id = str(ctx.state.id) as string;
    const user = ctx.cloud.list<TargetProxyRecord>(Kind.targetProxy, (t) => t.url_map === id)[0];
    if (user) throw inUse(ACTION.delete, 'urlMap', id, user.self_link);
    ctx.cloud.delete(Kind.urlMap, id);
  },
};

/** The backend services the map routes to (ids), each checked: existing, in the region, Envoy-based. */
function checkRoutes(cloud: Cloud, p: ObjectValue, project: string, region: string, action: string): string[] {
  const hasDefault = str(p.default_service) !== null;
  const hasRedirect = objects(p.default_url_redirect).length > 0;
  if (hasDefault === hasRedirect) {
    throw invalidField(action, 'resource.defaultService', str(p.default_service) ?? '',
      'Exactly one of defaultService and defaultUrlRedirect must be set.', ['default_service']);
  }
  const refs: { ref: string; field: string; path: (string | number)[] }[] = [];
  if (hasDefault) refs.push({ ref: str(p.default_service) as string, field: 'resource.defaultService', path: ['default_service'] });
  const matchers = objects(p.path_matcher);
  matchers.forEach((m, i) => {
    const d = str(m.default_service);
    if (d) refs.push({ ref: d, field: `resource.pathMatchers[${i}].defaultService`, path: ['path_matcher', i, 'default_service'] });
    objects(m.path_rule).forEach((rule, j) => {
      const s = str(rule.service);
      if (s) refs.push({ ref: s, field: `resource.pathMatchers[${i}].pathRules[${j}].service`, path: ['path_matcher', i, 'path_rule', j, 'service'] });
    });
  });
  const names = new Set(matchers.map((m) => str(m.name)));
  objects(p.host_rule).forEach((h, i) => {
    const matcher = str(h.path_matcher) ?? '';
    if (!names.has(matcher)) {
      throw invalidField(action, `resource.hostRules[${i}].pathMatcher`, matcher, `Path matcher '${matcher}' is not defined in the URL map.`, ['host_rule']);
    }
  });
  const ids = refs.map(({ ref, field, path }) => {
    const r = regionalRef(ref, 'backendServices', project, region);
    if (r && r.region !== region) {
      throw invalidField(action, field, ref, `A regional URL map can only use backend services of its region '${region}'.`, path);
    }
    const service = requireBackendService(cloud, ref, project, region, action, path);
    if (!/_MANAGED$/.test(service.scheme)) {
      throw invalidField(action, field, ref,
        `Backend service with load balancing scheme ${service.scheme} cannot be used by a URL map; it needs EXTERNAL_MANAGED or INTERNAL_MANAGED.`, path);
    }
    return service.id;
  });
  return [...new Set(ids)];
}

/** A regional URL map's record from any reference form, or undefined. */
export function findUrlMap(cloud: Cloud, ref: string, project: string, region: string): UrlMapRecord | undefined {
  const r = regionalRef(ref, 'urlMaps', project, region);
  return r ? cloud.get<UrlMapRecord>(Kind.urlMap, r.id) : undefined;
}
