import { Cloud } from '../cloud/cloud';
import { ResourceType } from '../framework/types';
import { priorRecord } from '../framework/records';
import { computed, optional, optionalComputed, required } from '../schema/dsl';
import { list } from '../values/cty-type';
import { ObjectValue } from '../values/value';
import {
  apiError, finish, inUse, invalidField, notFound, num, numericIdNumber, readStoredState, regionalRef, selfLink, str, strings, timeoutsBlock,
  timestamp,
} from './common';
import { ForwardingRuleRecord, Kind, newRegional, putRecord, saveState, storedRecords, TargetProxyRecord } from './model';
import { planLocation, PROJECT_ATTRIBUTE, REGION_ATTRIBUTE } from './provider-config';
import { importable, regionalForms } from './resource-import';
import { findUrlMap } from './url-map';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - a URL map of the proxy's region: Compute Engine API, regionTargetHttpProxies / regionTargetHttpsProxies (urlMap)
 * - HTTPS: 1 to 15 SSL certificates (or Certificate Manager certificates), regional: Load Balancing docs, Quotas and limits ("SSL certificates per target HTTPS proxy: 15"); SSL certificates overview
 * - HTTP keepalive timeout 5-1200 s: Load Balancing docs, Application Load Balancer timeouts (HTTP keepalive timeout)
 * - deleting a proxy a forwarding rule uses: Compute Engine API, regionTargetHttpProxies.delete
 */

/**
 * `google_compute_region_target_http_proxy` and `google_compute_region_target_https_proxy`:
 * the proxies a regional Application Load Balancer's forwarding rule targets, each routing by a
 * URL map of its region. The mock has no SSL certificate type: an HTTPS proxy takes any
 * well-formed reference to a regional certificate (the user's own, made outside the stack).
 */

function proxyType(https: boolean): ResourceType {
  const collection = https ? 'targetHttpsProxies' : 'targetHttpProxies';
  const kind = https ? 'RegionTargetHttpsProxy' : 'RegionTargetHttpProxy';
  const action = { create: `creating ${kind}`, update: `updating ${kind}`, delete: `deleting ${kind}` };
  const store = storedRecords<TargetProxyRecord>(Kind.targetProxy, action);
  const imports = importable({ ...regionalForms(collection), configOnly: { timeouts: null } }, readStoredState(Kind.targetProxy));
  const check = (cloud: Cloud, p: ObjectValue, project: string, region: string, act: string): string => {
    const ref = str(p.url_map) as string;
    const map = findUrlMap(cloud, ref, project, region);
    if (!map) throw notFound(act, regionalRef(ref, 'urlMaps', project, region)?.id ?? ref, ['url_map']);
    const keepalive = num(p.http_keep_alive_timeout_sec);
    if (keepalive !== null && (keepalive < 5 || keepalive > 1200)) {
      throw invalidField(act, 'resource.httpKeepAliveTimeoutSec', String(keepalive), 'Must be greater than or equal to 5 and less than or equal to 1200.', ['http_keep_alive_timeout_sec']);
    }
    if (https) {
      const certs = strings(p.ssl_certificates);
      const managed = strings(p.certificate_manager_certificates);
      if (certs.length === 0 && managed.length === 0) {
        throw apiError(act, 400, 'At least one SSL certificate must be specified for a target HTTPS proxy.', 'invalid', ['ssl_certificates']);
      }
      if (certs.length > 15) {
        throw invalidField(act, 'resource.sslCertificates', String(certs.length), 'At most 15 SSL certificates can be specified.', ['ssl_certificates']);
      }
      certs.forEach((c, i) => {
        const r = regionalRef(c, 'sslCertificates', project, region);
        if (!r || r.region !== region) {
          throw invalidField(act, `resource.sslCertificates[${i}]`, c, `A regional target HTTPS proxy needs regional SSL certificates of region '${region}'.`, ['ssl_certificates']);
        }
      });
    }
    return map.id;
  };
  return {
    name: https ? 'google_compute_region_target_https_proxy' : 'google_compute_region_target_http_proxy',
    schema: {
      attributes: {
        name: required('string', { forceNew: true }),
        url_map: required('string'),
        description: optional('string', { forceNew: true }),
        http_keep_alive_timeout_sec: optional('number', { forceNew: true }),
        ...(https ? {
          ssl_certificates: optional(list('string')),
          certificate_manager_certificates: optional(list('string')),
          ssl_policy: optional('string'),
          server_tls_policy: optional('string'),
        } : {}),
        region: REGION_ATTRIBUTE,
        project: PROJECT_ATTRIBUTE,
        id: optionalComputed('string'),
        creation_timestamp: computed('string'),
        proxy_id: computed('number'),
        self_link: computed('string'),
      },
      blocks: { timeouts: timeoutsBlock('create', 'update', 'delete') },
    },

    plan(ctx) {
      planLocation(ctx, true);
    },

    create(ctx) {
      const { project, region, name, id } = newRegional(ctx, store, collection, action.create);
      const urlMap = check(ctx.cloud, ctx.planned, project, region, action.create);
      const state = finish(ctx.planned, {
        ...ctx.planned, id, project, region, self_link: selfLink(id), creation_timestamp: timestamp(), proxy_id: numericIdNumber(ctx.cloud),
      });
      return putRecord<TargetProxyRecord>(ctx.cloud, store, { id, project, name, region, collection, url_map: urlMap }, state);
    },

    import: imports.import,
    read: imports.read,

    update(ctx) {
      const record = priorRecord(ctx, store);
      const urlMap = check(ctx.cloud, ctx.planned, record.project, record.region, action.update);
      return saveState(ctx.cloud, store, record, finish(ctx.planned, ctx.planned), { url_map: urlMap });
    },

    delete(ctx) {
      const id = str(ctx.state.id) as string;
      const user = ctx.cloud.list<ForwardingRuleRecord>(Kind.forwardingRule, (f) => f.target === id)[0];
      if (user) throw inUse(action.delete, collection === 'targetHttpsProxies' ? 'targetHttpsProxy' : 'targetHttpProxy', id, user.self_link);
      ctx.cloud.delete(Kind.targetProxy, id);
    },
  };
}

export const regionTargetHttpProxy = proxyType(false);
export const regionTargetHttpsProxy = proxyType(true);
