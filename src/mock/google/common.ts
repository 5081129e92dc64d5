import { createHash } from 'node:crypto';
import { Cloud } from '../cloud/cloud';
import { AttributePath, CloudError } from '../framework/diagnostics';
import { PlanContext, ReadContext } from '../framework/types';
import { block, NestedBlockSpec, optional } from '../schema/dsl';
import { canonicalKey } from '../values/compare';
import { map } from '../values/cty-type';
import { isUnknown, isWhollyKnown } from '../values/unknown';
import { isObjectValue, JsonObject, ObjectValue, Value } from '../values/value';

/**
 * What every simulated Google resource shares: URLs and ids in Compute Engine's formats, the
 * errors the Compute API returns (as the provider prints them), name rules, timestamps and
 * fingerprints, and small readers for plain JS values.
 */

/** The prefix of every Compute Engine self link. */
export const COMPUTE_URL = 'https://www.googleapis.com/compute/v1/';

/** `projects/p/global/networks/n` → its self link. */
export function selfLink(id: string): string {
  return `${COMPUTE_URL}${id}`;
}

/**
 * The relative resource path of a reference: Google and the provider accept a full URL (any API
 * version, optionally with a `?uniqueId=` query) wherever they accept a path.
 */
export function relativePath(ref: string): string {
  return ref.replace(/^https:\/\/(www|compute)\.googleapis\.com\/compute\/(v1|beta|alpha)\//, '').replace(/\?.*$/, '');
}

export function globalId(project: string, collection: string, name: string): string {
  return `projects/${project}/global/${collection}/${name}`;
}

export function regionalId(project: string, region: string, collection: string, name: string): string {
  return `projects/${project}/regions/${region}/${collection}/${name}`;
}

export function zonalId(project: string, zone: string, collection: string, name: string): string {
  return `projects/${project}/zones/${zone}/${collection}/${name}`;
}

/** A reference to a Compute Engine resource, resolved against the defaults it may omit. */
export interface Reference {
  readonly project: string;
  /** Set for regional references. */
  readonly region?: string;
  readonly name: string;
  /** The canonical relative path, the id the mock keys records by. */
  readonly id: string;
}

/**
 * Resolve a reference to a global resource (`networks`, `instanceTemplates`, ...) in any form
 * the provider takes: URL, `projects/p/global/<collection>/n`, `global/<collection>/n`, `p/n` or `n`.
 * Undefined when the reference names another kind of resource.
 */
export function globalRef(value: string, collection: string, project: string): Reference | undefined {
  const path = relativePath(value);
  const make = (p: string, n: string): Reference => ({ project: p, name: n, id: globalId(p, collection, n) });
  let m = /^projects\/([^/]+)\/global\/([^/]+)\/([^/]+)$/.exec(path);
  if (m) return m[2] === collection ? make(m[1], m[3]) : undefined;
  m = /^global\/([^/]+)\/([^/]+)$/.exec(path);
  if (m) return m[1] === collection ? make(project, m[2]) : undefined;
  const parts = path.split('/');
  if (parts.length === 2 && !path.includes('regions') && !path.includes('zones')) return make(parts[0], parts[1]);
  if (parts.length === 1 && parts[0] !== '') return make(project, parts[0]);
  return undefined;
}

/**
 * Resolve a reference to a regional resource (`subnetworks`, `addresses`, ...): URL,
 * `projects/p/regions/r/<collection>/n`, `regions/r/<collection>/n`, `p/r/n`, `r/n` or `n`.
 */
export function regionalRef(value: string, collection: string, project: string, region: string): Reference | undefined {
  const path = relativePath(value);
  const make = (p: string, r: string, n: string): Reference => ({ project: p, region: r, name: n, id: regionalId(p, r, collection, n) });
  let m = /^projects\/([^/]+)\/regions\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
  if (m) return m[3] === collection ? make(m[1], m[2], m[4]) : undefined;
  m = /^regions\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
  if (m) return m[2] === collection ? make(project, m[1], m[3]) : undefined;
  const parts = path.split('/');
  if (parts.length === 3 && !path.includes('global')) return make(parts[0], parts[1], parts[2]);
  if (parts.length === 2 && !path.includes('global')) return make(project, parts[0], parts[1]);
  if (parts.length === 1 && parts[0] !== '') return make(project, region, parts[0]);
  return undefined;
}

// --- errors ----------------------------------------------------------------------------------

/**
 * A Compute API error as the provider reports it:
 * `Error creating Network: googleapi: Error 409: The resource '…' already exists, alreadyExists`.
 */
export function apiError(action: string, code: number, message: string, reason: string, path?: AttributePath, detail?: string): CloudError {
  return new CloudError(`Error ${action}: googleapi: Error ${code}: ${message}, ${reason}`, { path, detail });
}

/** `Invalid value for field '<field>': '<value>'. <why>` (400 invalid). */
export function invalidField(action: string, field: string, value: string, why: string, path?: AttributePath): CloudError {
  return apiError(action, 400, `Invalid value for field '${field}': '${value}'. ${why}`, 'invalid', path);
}

/** 404 notFound for a resource path. */
export function notFound(action: string, id: string, path?: AttributePath): CloudError {
  return apiError(action, 404, `The resource '${id}' was not found`, 'notFound', path);
}

/** 409 alreadyExists: names are unique per project (per region for regional kinds). */
export function alreadyExists(action: string, id: string, path: AttributePath = ['name']): CloudError {
  return apiError(action, 409, `The resource '${id}' already exists`, 'alreadyExists', path);
}

/** 400 resourceInUseByAnotherResource: Google refuses to delete what something still uses. */
export function inUse(action: string, kind: string, id: string, user: string): CloudError {
  return apiError(action, 400, `The ${kind} resource '${id}' is already being used by '${user}'`, 'resourceInUseByAnotherResource');
}

// --- names -----------------------------------------------------------------------------------

/** RFC 1035 labels: what Compute Engine accepts as resource names and network tags. */
export const NAME_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** The regular expression Google quotes in its error messages. */
export const NAME_REGEX_TEXT = '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)';

/** True for a valid name of at most `max` characters. */
export function validName(name: string, max = 63): boolean {
  return name.length <= max && NAME_PATTERN.test(name);
}

/** Google's answer to an invalid name. */
export function checkName(action: string, name: string, field = 'resource.name', path: AttributePath = ['name'], max = 63): void {
  if (!validName(name, max)) {
    throw invalidField(action, field, name, `Must be a match of regex '${NAME_REGEX_TEXT}'`, path);
  }
}

// --- time, ids, fingerprints -----------------------------------------------------------------

/** An RFC 3339 timestamp in Pacific time, as Compute Engine writes `creationTimestamp`. */
export function timestamp(now: Date = new Date()): string {
  const pacific = new Date(now.getTime() - 8 * 3600_000);
  return pacific.toISOString().replace('Z', '-08:00');
}

/** A fingerprint (8 bytes, base64) of `content`: changes whenever the content does. */
export function fingerprint(content: unknown): string {
  return createHash('sha256').update(JSON.stringify(content) ?? '').digest().subarray(0, 8).toString('base64');
}

/**
 * A numeric id for attributes the provider types as numbers (`subnetwork_id`,
 * `instance_group_manager_id`): Google's ids are 19 digits, more than a double holds exactly, so
 * the mock keeps 15 of them.
 */
export function numericIdNumber(cloud: Cloud): number {
  return Number(cloud.nextNumericId().slice(0, 15));
}

/** Deterministic hex from `seed`, for values that must not use the cloud's counter. */
export function hashHex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

/** The project number Google shows for a project id (stable per id). */
export function projectNumber(project: string): string {
  return String(100_000_000_000 + (parseInt(hashHex(project, 10), 16) % 900_000_000_000));
}

// --- reading values: shared with the other simulations
import { str, num, bool, strings, objects, first, stringMap } from '../values/read';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - resource names (RFC 1035, 63 characters), labels (keys and values, 63 characters, lowercase): Compute Engine docs, Naming resources; Resource Manager docs, Labels requirements
 */
export { str, num, bool, strings, objects, first, stringMap };

/** `v`, or `fallback` where the plan left it to the cloud. */
export function orElse(v: Value | undefined, fallback: Value): Value {
  return v === undefined || isUnknown(v) ? fallback : v;
}

/**
 * `value` with whatever is still unknown set to null: the last step of create and update, so an
 * optional+computed attribute the simulation has no opinion on ends up null rather than an error.
 */
export function settle(value: Value): Value {
  if (isUnknown(value)) return null;
  if (Array.isArray(value)) return value.map(settle);
  if (isObjectValue(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, settle(v)]));
  return value;
}

/**
 * The state after create or update: `planned` where it is known (Terraform insists on it),
 * `computed` where the plan left it to the cloud, settled. What the mock stores as a resource's
 * Terraform view is therefore exactly what Terraform records.
 */
export function finish(planned: ObjectValue, computed: ObjectValue): ObjectValue {
  return settle(resolve(planned, computed)) as ObjectValue;
}

function resolve(planned: Value, computed: Value | undefined): Value {
  if (isUnknown(planned)) return computed ?? null;
  if (isWhollyKnown(planned)) return planned;
  if (Array.isArray(planned)) {
    if (Array.isArray(computed) && computed.length === planned.length) return planned.map((p, i) => resolve(p, computed[i]));
    return computed ?? null;
  }
  if (isObjectValue(planned)) {
    const from = isObjectValue(computed) ? computed : {};
    return Object.fromEntries(Object.entries(planned).map(([k, v]) => [k, resolve(v, from[k])]));
  }
  return planned;
}

/** A settled value as JSON for the cloud store. */
export function toJson(value: ObjectValue): JsonObject {
  return JSON.parse(JSON.stringify(settle(value))) as JsonObject;
}

/** Deep equality of two values (unknown counts as different). */
export function same(a: Value | undefined, b: Value | undefined): boolean {
  if (!isWhollyKnown(a ?? null) || !isWhollyKnown(b ?? null)) return false;
  return canonicalKey(a ?? null) === canonicalKey(b ?? null);
}

/** True when the plan changes any of `names` (all attributes when none are given). */
export function planChanges(ctx: PlanContext, ...names: string[]): boolean {
  if (!ctx.prior) return true;
  const keys = names.length > 0 ? names : Object.keys(ctx.planned);
  return keys.some((k) => !same(ctx.prior?.[k], ctx.planned[k]));
}

// --- shared schema pieces --------------------------------------------------------------------

/** The `timeouts` block (operation names vary by type). */
export function timeoutsBlock(...operations: string[]): NestedBlockSpec {
  return block('single', { attributes: Object.fromEntries(operations.map((o) => [o, optional('string')])) });
}

/** `params { resource_manager_tags = {...} }`, which some types take at creation. */
export function paramsBlock(): NestedBlockSpec {
  return block('list', { attributes: { resource_manager_tags: optional(map('string'), { forceNew: true }) } }, { maxItems: 1, forceNew: true });
}

/** A label key or value check: lowercase letters, digits, `_` and `-`, at most 63 characters. */
export function checkLabels(action: string, labels: Record<string, string>, field = 'resource.labels', path: AttributePath = ['labels']): void {
  for (const [k, v] of Object.entries(labels)) {
    if (!/^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u.test(k)) {
      throw invalidField(action, field, k, 'Label keys must start with a lowercase letter and contain only lowercase letters, digits, underscores and dashes (at most 63 characters).', path);
    }
    if (!/^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u.test(v)) {
      throw invalidField(action, field, v, 'Label values may contain only lowercase letters, digits, underscores and dashes (at most 63 characters).', path);
    }
  }
}

/**
 * `read` for types whose record keeps the Terraform state it was created with (`attributes`):
 * the state as the cloud holds it, or null once the object is gone (Terraform then recreates it).
 */
export function readStoredState(kind: string): (ctx: ReadContext) => ObjectValue | null {
  return (ctx) => {
    const record = ctx.cloud.get<JsonObject & { attributes?: JsonObject }>(kind, str(ctx.state.id) ?? '');
    return record?.attributes ? (record.attributes as ObjectValue) : null;
  };
}
