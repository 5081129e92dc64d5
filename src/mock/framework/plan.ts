import { Block } from '../schema/compile';
import { Nesting } from '../schema/dsl';
import { cloneValue, canonicalKey, valuesEqual } from '../values/compare';
import { conform } from '../values/codec';
import { isUnknown, UNKNOWN } from '../values/unknown';
import { isObjectValue, ObjectValue, Value } from '../values/value';
import { AttributePath, PathStep } from './diagnostics';
import { sameKeys } from './merge';

/**
 * The generic part of PlanResourceChange, as the Terraform SDKs do it:
 *
 * - start from Terraform's proposed value (configuration merged with prior computed values, so
 *   computed attributes keep their values across updates);
 * - plan `default`s where the configuration leaves an attribute null;
 * - on create, mark computed attributes that are still null "known after apply", also inside new
 *   nested block elements on update;
 * - on update, ask for replacement wherever a forceNew attribute (or block) changes or becomes
 *   unknown.
 *
 * When replacement is needed Terraform plans again with no prior state, so the computed values of
 * the replacement are marked unknown by the create rule.
 */

/** The generic plan for a change to a resource. */
export interface GenericPlan {
  readonly planned: ObjectValue;
  readonly requiresReplace: AttributePath[];
}

/** Plan a create (`prior` null) or update of a resource with schema `block`. */
export function planChange(block: Block, prior: ObjectValue | null, proposed: ObjectValue, config: ObjectValue): GenericPlan {
  const planned = cloneValue(proposed);
  fillDefaults(block, planned, config);
  if (prior === null) {
    markComputedUnknown(block, planned);
    return { planned, requiresReplace: [] };
  }
  markNewElementsUnknown(block, prior, planned);
  const requiresReplace: AttributePath[] = [];
  findForceNewChanges(block, prior, planned, [], requiresReplace);
  return { planned, requiresReplace };
}

/** The element objects of a nested block's value: list/set elements, map values, or the one object. */
function blockElements(nesting: Nesting, value: Value): ObjectValue[] {
  if (Array.isArray(value)) return value.filter(isObjectValue);
  if (!isObjectValue(value)) return [];
  return nesting === 'map' ? Object.values(value).filter(isObjectValue) : [value];
}

/**
 * Where the configuration leaves an attribute with a default null, plan the default, also when the
 * prior state has another value (removing the setting reverts to the default, as in the SDKs).
 * Nested blocks pair configuration and plan by position (lists), key (maps) or as the one object;
 * set elements cannot be paired, so there the planned value itself must be null.
 */
function fillDefaults(block: Block, planned: ObjectValue, config: ObjectValue | null): void {
  for (const a of block.attributes) {
    const configured = (config ? config[a.name] : planned[a.name]) ?? null;
    if (a.default !== undefined && configured === null) planned[a.name] = conform(a.default, a.shape);
  }
  for (const b of block.blocks) {
    const inPlan = planned[b.name];
    const inConfig = config ? config[b.name] : null;
    if (b.nesting === 'single' || b.nesting === 'group') {
      if (isObjectValue(inPlan)) fillDefaults(b.block, inPlan, isObjectValue(inConfig) ? inConfig : null);
    } else if (b.nesting === 'list' && Array.isArray(inPlan)) {
      inPlan.forEach((e, i) => {
        const c = Array.isArray(inConfig) ? inConfig[i] : null;
        if (isObjectValue(e)) fillDefaults(b.block, e, isObjectValue(c) ? c : null);
      });
    } else if (b.nesting === 'map' && isObjectValue(inPlan)) {
      for (const [k, e] of Object.entries(inPlan)) {
        const c = isObjectValue(inConfig) ? inConfig[k] : null;
        if (isObjectValue(e)) fillDefaults(b.block, e, isObjectValue(c) ? c : null);
      }
    } else {
      for (const e of blockElements(b.nesting, inPlan)) fillDefaults(b.block, e, null);
    }
  }
}

function markComputedUnknown(block: Block, value: ObjectValue): void {
  for (const a of block.attributes) {
    if (a.computed && value[a.name] === null) value[a.name] = UNKNOWN;
  }
  for (const b of block.blocks) {
    for (const element of blockElements(b.nesting, value[b.name])) markComputedUnknown(b.block, element);
  }
}

/**
 * On update, nested block elements that match no prior element exactly are new: their computed
 * attributes get decided by the cloud, like on create. (Terraform already copied prior computed
 * values into elements it could match, so only genuinely new nulls are touched.)
 */
function markNewElementsUnknown(block: Block, prior: ObjectValue, planned: ObjectValue): void {
  for (const b of block.blocks) {
    const before = blockElements(b.nesting, prior[b.name]);
    const after = blockElements(b.nesting, planned[b.name]);
    if (b.nesting === 'single' || b.nesting === 'group') {
      if (after.length === 1 && before.length === 1) markNewElementsUnknown(b.block, before[0], after[0]);
      else if (after.length === 1) markComputedUnknown(b.block, after[0]);
      continue;
    }
    const known = new Set(before.map((e) => canonicalKey(e, b.block.shape)));
    for (const element of after) {
      if (!known.has(canonicalKey(element, b.block.shape))) markComputedUnknown(b.block, element);
    }
  }
}

function findForceNewChanges(block: Block, prior: ObjectValue, planned: ObjectValue, path: PathStep[], out: AttributePath[]): void {
  for (const a of block.attributes) {
    if (a.forceNew && !valuesEqual(prior[a.name], planned[a.name], a.shape)) out.push([...path, a.name]);
  }
  for (const b of block.blocks) {
    const before = prior[b.name];
    const after = planned[b.name];
    const here = [...path, b.name];
    if (valuesEqual(before, after, b.shape) || !(b.forceNew || b.block.hasForceNew)) continue;
    if (b.forceNew || isUnknown(before) || isUnknown(after)) {
      out.push(here);
    } else if ((b.nesting === 'single' || b.nesting === 'group') && isObjectValue(before) && isObjectValue(after)) {
      findForceNewChanges(b.block, before, after, here, out);
    } else if (b.nesting === 'list' && Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
      before.forEach((e, i) => {
        if (isObjectValue(e) && isObjectValue(after[i])) findForceNewChanges(b.block, e, after[i] as ObjectValue, [...here, i], out);
      });
    } else if (b.nesting === 'map' && isObjectValue(before) && isObjectValue(after) && sameKeys(before, after)) {
      for (const k of Object.keys(after)) {
        const [e, f] = [before[k], after[k]];
        if (isObjectValue(e) && isObjectValue(f)) findForceNewChanges(b.block, e, f, [...here, { key: k }], out);
      }
    } else {
      // Elements added or removed (or a set, whose elements cannot be paired): a forceNew value
      // inside appears or disappears, so the resource is replaced, as the SDKs do.
      out.push(here);
    }
  }
}
