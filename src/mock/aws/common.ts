import { createHash } from 'node:crypto';
import { CloudError } from '../framework/diagnostics';
import { OperationContext, PlanContext } from '../framework/types';
import { AttributeSpec, block, computed, NestedBlockSpec, optional, optionalComputed } from '../schema/dsl';
import { map } from '../values/cty-type';
import { canonicalKey } from '../values/compare';
import { isUnknown, isWhollyKnown, UNKNOWN } from '../values/unknown';
import { isObjectValue, JsonObject, ObjectValue, Value } from '../values/value';
import { providerRegion, tagPolicy } from './provider-config';

/**
 * What every simulated AWS resource shares: the account, ARNs, the `region` attribute provider
 * 6.x adds to every resource, `tags`/`tags_all`, and small readers for plain JS values.
 */

/** The account every mock resource belongs to (AWS's documentation account). */
export const ACCOUNT_ID = '123456789012';

/** The partition; the mock has no GovCloud or China regions. */
export const PARTITION = 'aws';

/** `arn:aws:<service>:<region>:<account>:<resource>`. */
export function arn(service: string, region: string, resource: string, account: string = ACCOUNT_ID): string {
  return `arn:${PARTITION}:${service}:${region}:${account}:${resource}`;
}

// --- reading values: shared with the other simulations
import { str, num, bool, strings, objects, first, stringMap } from '../values/read';
export { str, num, bool, strings, objects, first, stringMap };

/** AWS's string booleans (`"true"`, `"false"`) in launch templates. */
export function stringBool(v: Value | undefined): boolean | null {
  return v === 'true' ? true : v === 'false' ? false : null;
}

/** A value as JSON for the cloud store (unknowns must be resolved before). */
export function toJson(v: ObjectValue): JsonObject {
  return JSON.parse(JSON.stringify(v)) as JsonObject;
}

/** Deterministic hex derived from `seed`: for ids that must not consume the cloud's counter. */
export function hashHex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

/** A version 4 style UUID made from an id (ASG ARNs carry one). */
export function uuidFrom(seed: string): string {
  const h = hashHex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Shorthand for the errors AWS APIs return: `Code: message`. */
export function awsError(code: string, message: string, path?: (string | number)[], detail?: string): CloudError {
  return new CloudError(`${code}: ${message}`, { path, detail });
}

// --- region ----------------------------------------------------------------------------------

/** `region`: every resource and data source of provider 6.x may name its own region. */
export const REGION_ATTRIBUTE: AttributeSpec = optionalComputed('string', {
  forceNew: true,
  description: 'Region where this resource is managed; defaults to the provider\'s region.',
});

/** The region a resource lives in: its own `region`, else the provider's. */
export function regionOf(ctx: OperationContext, value?: ObjectValue | null): string {
  const own = value ? str(value.region) : null;
  return own ?? providerRegion(ctx.provider.config);
}

/**
 * Plan `region` as the real provider does: known at plan time (the provider's region when not
 * configured), and a change of the provider's region replaces resources that followed it.
 */
export function planRegion(ctx: PlanContext): void {
  const configured = ctx.config.region;
  if (isUnknown(configured)) return;
  const wanted = str(configured) ?? providerRegion(ctx.provider.config);
  if (ctx.prior && str(ctx.prior.region) !== wanted) ctx.requireReplace(['region']);
  ctx.planned.region = wanted;
}

// --- tags ----------------------------------------------------------------------------------

/** `tags` and `tags_all` as every taggable resource declares them. */
export function tagAttributes(): { tags: AttributeSpec; tags_all: AttributeSpec } {
  return {
    tags: optional(map('string')),
    tags_all: optionalComputed(map('string'), { description: 'tags merged with the provider\'s default_tags' }),
  };
}

/** The same for types whose `tags_all` is computed only (the plugin-framework resources). */
export function frameworkTagAttributes(): { tags: AttributeSpec; tags_all: AttributeSpec } {
  return { tags: optional(map('string')), tags_all: computed(map('string')) };
}

/**
 * Plan `tags_all`: the provider's `default_tags` overlaid with the resource's `tags`, minus
 * ignored keys; unknown while `tags` is.
 */
export function planTags(ctx: PlanContext): void {
  const tags = ctx.planned.tags;
  if (isUnknown(tags) || (isObjectValue(tags) && Object.values(tags).some(isUnknown))) {
    ctx.planned.tags_all = UNKNOWN;
    return;
  }
  ctx.planned.tags_all = effectiveTags(ctx, tags);
}

/** The tags a resource ends up with in the cloud (default_tags + tags − ignore_tags). */
export function effectiveTags(ctx: OperationContext, tags: Value | undefined): Record<string, string> {
  const policy = tagPolicy(ctx.provider.config);
  const merged: Record<string, string> = { ...policy.defaults, ...stringMap(tags) };
  for (const key of Object.keys(merged)) if (policy.ignored(key)) delete merged[key];
  return merged;
}

/** The usual `timeouts` block (operation names vary by type). */
export function timeoutsBlock(...operations: string[]): NestedBlockSpec {
  return block('single', { attributes: Object.fromEntries(operations.map((o) => [o, optional('string')])) });
}

/** Plan what every resource plans: region and tags_all. */
export function planCommon(ctx: PlanContext, taggable = true): void {
  planRegion(ctx);
  if (taggable) planTags(ctx);
}

/**
 * True when the planned value of `name` differs from the prior one (an unknown counts as a
 * change). `unordered` compares lists as sets.
 */
export function changed(ctx: PlanContext, name: string, unordered = false): boolean {
  if (!ctx.prior) return true;
  return !sameValue(ctx.prior[name], ctx.planned[name], unordered);
}

/** Deep equality of known values; `unordered` ignores the order of top-level array elements. */
export function sameValue(a: Value | undefined, b: Value | undefined, unordered = false): boolean {
  if (!isWhollyKnown(a ?? null) || !isWhollyKnown(b ?? null)) return false;
  if (unordered && Array.isArray(a) && Array.isArray(b)) {
    const keys = (v: Value[]): string => v.map((e) => canonicalKey(e)).sort().join('\n');
    return a.length === b.length && keys(a) === keys(b);
  }
  return canonicalKey(a ?? null) === canonicalKey(b ?? null);
}


/**
 * `tags` and `tags_all` as read back from the cloud. `tags_all` is what the object carries;
 * `tags` is that minus what default_tags contributed (unless the configuration names the key
 * itself), and stays null when the configuration had none, so a refresh never shows a diff that
 * is not there.
 */
export function readTags(ctx: OperationContext, cloudTags: Record<string, string>, state: ObjectValue | null): { tags: Value; tags_all: Value } {
  const policy = tagPolicy(ctx.provider.config);
  const own = stringMap(state?.tags);
  const all: Record<string, string> = {};
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(cloudTags)) {
    if (policy.ignored(k)) continue;
    all[k] = v;
    if (k in own || policy.defaults[k] !== v) tags[k] = v;
  }
  const stateHadTags = state !== null && isObjectValue(state.tags);
  return { tags: Object.keys(tags).length === 0 && !stateHadTags ? null : tags, tags_all: all };
}
