import { Cloud } from '../cloud/cloud';
import { ResourceType, ValidateContext } from '../framework/types';
import { claimId, priorRecord } from '../framework/records';
import { block, computed, optional, optionalComputed, required } from '../schema/dsl';
import { intBetween, oneOf } from '../schema/validators';
import { list, set } from '../values/cty-type';
import { isUnknown } from '../values/unknown';
import { ObjectValue, Value } from '../values/value';
import {
  apiError, checkName, finish, globalId, invalidField, objects, orElse, paramsBlock, selfLink, str, strings, timeoutsBlock, timestamp,
  toJson, validName, readStoredState,
} from './common';
import { cidrProblem } from './ipv4';
import { FirewallRecord, Kind, saveState, storedRecords } from './model';
import { requireNetwork } from './network';
import { planLocation, PROJECT_ATTRIBUTE, projectOf } from './provider-config';
import { globalForms, importable } from './resource-import';
import { googleQuota } from './quotas';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - protocols and ports, source tags only for ingress, ranges: VPC docs, VPC firewall rules (Components of firewall rules)
 * - allow xor deny, tags xor service accounts: terraform-provider-google, google_compute_firewall (ExactlyOneOf / ConflictsWith)
 * - firewall rules per project (Quota 'FIREWALLS' exceeded): VPC docs, Quotas and limits
 */

/**
 * `google_compute_firewall`: a VPC firewall rule. Everything but its name, network and
 * direction (and deny rules, which Google cannot patch) changes in place, as with the real API.
 * Checked as Compute Engine checks them: protocols, port specifications (only TCP, UDP and SCTP
 * take ports), network tags (RFC 1035 names), CIDR ranges, tags vs service accounts, and that
 * the network exists.
 */

const ACTION = { create: 'creating Firewall', update: 'updating Firewall', delete: 'deleting Firewall' };
const STORE = storedRecords<FirewallRecord>(Kind.firewall, ACTION);

const imports = importable({
  ...globalForms('firewalls'),
  configOnly: { params: null, timeouts: null },
}, readStoredState(Kind.firewall));

const RULE = {
  attributes: {
    protocol: required('string'),
    ports: optional(list('string')),
  },
};

/** Protocols Google names; any other must be an IP protocol number. */
const PROTOCOLS = ['tcp', 'udp', 'icmp', 'esp', 'ah', 'sctp', 'ipip', 'all'];
/** Protocols that take ports (by name or number). */
const PORT_PROTOCOLS = ['tcp', 'udp', 'sctp', '6', '17', '132'];

export const firewall: ResourceType = {
  name: 'google_compute_firewall',
  schema: {
    attributes: {
      name: required('string', { forceNew: true }),
      network: required('string', { forceNew: true }),
      description: optional('string'),
      direction: optionalComputed('string', { forceNew: true, validate: oneOf('INGRESS', 'EGRESS') }),
      disabled: optional('bool'),
      enable_logging: optionalComputed('bool', { deprecated: true }),
      priority: optional('number', { default: 1000, validate: intBetween(0, 65535) }),
      source_ranges: optional(set('string')),
      destination_ranges: optionalComputed(set('string')),
      source_tags: optional(set('string')),
      target_tags: optional(set('string')),
      source_service_accounts: optional(set('string')),
      target_service_accounts: optional(set('string')),
      project: PROJECT_ATTRIBUTE,
      id: optionalComputed('string'),
      creation_timestamp: computed('string'),
      self_link: computed('string'),
    },
    blocks: {
      allow: block('set', RULE),
      deny: block('set', RULE, { forceNew: true }),
      log_config: block('list', { attributes: { metadata: required('string', { validate: oneOf('EXCLUDE_ALL_METADATA', 'INCLUDE_ALL_METADATA') }) } }, { maxItems: 1 }),
      params: paramsBlock(),
      timeouts: timeoutsBlock('create', 'update', 'delete'),
    },
  },

  validate(ctx) {
    validateShape(ctx);
  },

  plan(ctx) {
    planLocation(ctx, false);
    // Deprecated: follows log_config unless set.
    if (ctx.config.enable_logging === null) ctx.planned.enable_logging = objects(ctx.planned.log_config).length > 0;
  },

  create(ctx) {
    const p = ctx.planned;
    const project = projectOf(ctx, p, ACTION.create);
    const name = str(p.name) as string;
    checkName(ACTION.create, name);
    const id = globalId(project, 'firewalls', name);
    claimId(ctx, STORE, id);
    checkFirewallQuota(ctx.cloud, project, ACTION.create);
    const networkId = requireNetwork(ctx.cloud, str(p.network) as string, project, ACTION.create);
    checkRule(p, ACTION.create);
    const state = complete(p, id, project);
    ctx.cloud.put<FirewallRecord>(Kind.firewall, id, {
      id, project, name, self_link: selfLink(id), creation_timestamp: str(state.creation_timestamp) as string,
      network: networkId, direction: str(state.direction) as string, priority: state.priority as number, attributes: toJson(state),
    });
    return state;
  },

  import: imports.import,
  read: imports.read,

  update(ctx) {
    const record = priorRecord(ctx, STORE);
    checkRule(ctx.planned, ACTION.update);
    const state = finish(ctx.planned, ctx.planned);
    return saveState(ctx.cloud, STORE, record, state, { priority: state.priority as number });
  },

  delete(ctx) {
    ctx.cloud.delete(Kind.firewall, str(ctx.state.id) ?? '');
  },
};

/**
 * VPC docs, "Quotas and limits": firewall rules per project (quota FIREWALLS, 100 on a new project).
 * Compute Engine refuses the insert with 403 QUOTA_EXCEEDED.
 */
function checkFirewallQuota(cloud: Cloud, project: string, action: string): void {
  const limit = googleQuota('firewall_rules_per_project');
  if (cloud.list<FirewallRecord>(Kind.firewall, (f) => f.project === project).length >= limit) {
    throw apiError(action, 403, `Quota 'FIREWALLS' exceeded.  Limit: ${limit.toFixed(1)} globally.`, 'quotaExceeded', ['name'],
      'Google\'s default is 100 per project; BUTTER_MOCK_QUOTAS {"google": {"firewall_rules_per_project": N}} raises it.');
  }
}

/** The state with the values Google fills in. */
function complete(p: ObjectValue, id: string, project: string): ObjectValue {
  return finish(p, {
    ...p,
    id,
    project,
    self_link: selfLink(id),
    creation_timestamp: timestamp(),
    direction: orElse(p.direction, 'INGRESS'),
    destination_ranges: orElse(p.destination_ranges, []),
    enable_logging: objects(p.log_config).length > 0,
  });
}

/** Configuration rules the provider checks before calling the API. */
function validateShape(ctx: ValidateContext): void {
  const c = ctx.config;
  const has = (v: Value) => isUnknown(v) || (Array.isArray(v) && v.length > 0);
  // The provider's schema: ExactlyOneOf allow/deny (terraform-plugin-sdk's two messages).
  if (!isUnknown(c.allow) && !isUnknown(c.deny) && has(c.allow) === has(c.deny)) {
    const detail = has(c.allow)
      ? '"allow": only one of `allow,deny` can be specified, but `allow,deny` were specified.'
      : '"allow": one of `allow,deny` must be specified';
    ctx.error('Invalid combination of arguments', { detail, path: ['allow'] });
  }
  for (const [a, b] of [['source_tags', 'source_service_accounts'], ['target_tags', 'target_service_accounts']]) {
    if (has(c[a]) && has(c[b]) && !isUnknown(c[a]) && !isUnknown(c[b])) {
      ctx.error('Conflicting configuration arguments', { detail: `"${a}": conflicts with ${b}`, path: [a] });
    }
  }
}

/** What Compute Engine checks in a rule's body. */
function checkRule(p: ObjectValue, action: string): void {
  const direction = str(p.direction) ?? 'INGRESS';
  for (const kind of ['allow', 'deny'] as const) {
    const field = kind === 'allow' ? 'allowed' : 'denied';
    objects(p[kind]).forEach((rule, i) => {
      const protocol = (str(rule.protocol) ?? '').toLowerCase();
      const number = /^\d+$/.test(protocol) ? Number(protocol) : NaN;
      if (!PROTOCOLS.includes(protocol) && !(number >= 0 && number <= 255)) {
        throw invalidField(action, `resource.${field}[${i}].IPProtocol`, protocol, 'Invalid IP protocol specification.', [kind]);
      }
      const ports = strings(rule.ports);
      if (ports.length > 0 && !PORT_PROTOCOLS.includes(protocol)) {
        throw invalidField(action, `resource.${field}[${i}].ports[0]`, ports[0],
          'Ports may only be specified on rules whose protocol is one of [TCP, UDP, SCTP].', [kind]);
      }
      ports.forEach((port, j) => {
        const problem = portProblem(port);
        if (problem) throw invalidField(action, `resource.${field}[${i}].ports[${j}]`, port, problem, [kind]);
      });
    });
  }
  const tagFields: [string, string][] = [['source_tags', 'sourceTags'], ['target_tags', 'targetTags']];
  for (const [attr, field] of tagFields) {
    strings(p[attr]).forEach((tag, i) => {
      if (!validName(tag)) {
        throw invalidField(action, `resource.${field}[${i}]`, tag, "Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'", [attr]);
      }
    });
  }
  if (direction === 'EGRESS' && strings(p.source_tags).length > 0) {
    throw invalidField(action, 'resource.sourceTags', strings(p.source_tags)[0], 'Source tags cannot be set for EGRESS firewall rules.', ['source_tags']);
  }
  const rangeFields: [string, string][] = [['source_ranges', 'sourceRanges'], ['destination_ranges', 'destinationRanges']];
  for (const [attr, field] of rangeFields) {
    strings(p[attr]).forEach((range, i) => {
      const cidr = range.includes('/') ? range : `${range}/32`;
      if (cidrProblem(cidr) && !/^[0-9a-f:]+\/\d+$/i.test(range)) {
        throw invalidField(action, `resource.${field}[${i}]`, range, 'Must be a valid IPv4 or IPv6 CIDR range or address.', [attr]);
      }
    });
  }
}

/** Why a port specification (`80`, `8000-8080`) is invalid, or undefined. */
function portProblem(port: string): string | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(port);
  if (!m) return 'Invalid port specification: expected a port or a range like 8000-8080.';
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from > 65535 || to > 65535) return 'Invalid port range, port must be between 0 and 65535.';
  if (from > to) return 'Invalid port range: the start of the range is greater than its end.';
  return undefined;
}
