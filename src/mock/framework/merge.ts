import { Shape } from '../values/shape';
import { conform } from '../values/codec';
import { isUnknown, isWhollyKnown } from '../values/unknown';
import { isObjectValue, ObjectValue, setKey, Value } from '../values/value';
import { PathStep } from './diagnostics';

/**
 * Combining what resource code returns with what Terraform already knows.
 */

/**
 * The planned value with its unknowns replaced by what create/update returned. Known planned values
 * are kept whatever the code returned: Terraform rejects a result that differs from a known plan
 * ("Provider produced inconsistent result after apply"), so the framework guarantees it.
 */
export function resolveUnknowns(planned: Value, result: Value | undefined, shape: Shape): Value {
  if (isUnknown(planned)) return conform(result ?? null, shape);
  if (planned === null || typeof planned !== 'object' || isWhollyKnown(planned)) return planned;
  switch (shape.kind) {
    case 'object': {
      const from = isObjectValue(result) ? result : {};
      const out: ObjectValue = {};
      for (const [name, s] of shape.attributes) out[name] = resolveUnknowns((planned as ObjectValue)[name], from[name], s);
      return out;
    }
    case 'list':
    case 'tuple':
      if (Array.isArray(planned) && Array.isArray(result) && result.length === planned.length) {
        const element = (i: number): Shape => (shape.kind === 'tuple' ? shape.elements[i] : shape.element);
        return planned.map((p, i) => resolveUnknowns(p, result[i], element(i)));
      }
      return conform(result ?? null, shape);
    case 'map':
      if (isObjectValue(planned) && isObjectValue(result) && sameKeys(planned, result)) {
        const out: ObjectValue = {};
        for (const [k, p] of Object.entries(planned)) out[k] = resolveUnknowns(p, result[k], shape.element);
        return out;
      }
      return conform(result ?? null, shape);
    default:
      // A set (elements cannot be paired with the result's) or dynamic: take the result as a whole.
      return conform(result ?? null, shape);
  }
}

/**
 * The inverse of {@link resolveUnknowns}: of a resolved value, only what was unknown in the plan
 * (with the structure around it), so that `resolveUnknowns(planned, unknownParts(planned, resolved))`
 * gives `resolved` back, for this or any equal plan. Undefined when nothing was unknown.
 */
export function unknownParts(planned: Value, resolved: Value | undefined, shape: Shape): Value | undefined {
  if (isUnknown(planned)) return resolved ?? null;
  if (planned === null || typeof planned !== 'object' || isWhollyKnown(planned)) return undefined;
  switch (shape.kind) {
    case 'object': {
      const from = isObjectValue(resolved) ? resolved : {};
      const out: ObjectValue = {};
      for (const [name, s] of shape.attributes) {
        const part = unknownParts((planned as ObjectValue)[name], from[name], s);
        if (part !== undefined) setKey(out, name, part);
      }
      return out;
    }
    case 'list':
    case 'tuple':
      if (Array.isArray(planned) && Array.isArray(resolved) && resolved.length === planned.length) {
        const element = (i: number): Shape => (shape.kind === 'tuple' ? shape.elements[i] : shape.element);
        return planned.map((p, i) => unknownParts(p, resolved[i], element(i)) ?? null);
      }
      return resolved ?? null;
    case 'map':
      if (isObjectValue(planned) && isObjectValue(resolved) && sameKeys(planned, resolved)) {
        const out: ObjectValue = {};
        for (const [k, p] of Object.entries(planned)) setKey(out, k, unknownParts(p, resolved[k], shape.element) ?? null);
        return out;
      }
      return resolved ?? null;
    default:
      return resolved ?? null;
  }
}

/** `base` with the attributes `overlay` sets replaced, conformed to `shape`. */
export function overlay(base: ObjectValue, over: ObjectValue, shape: Shape): ObjectValue {
  return conform({ ...base, ...over }, shape) as ObjectValue;
}

/** The path of the first unknown inside `value`, or undefined when it is wholly known. */
export function firstUnknown(value: Value, path: PathStep[] = []): PathStep[] | undefined {
  if (isUnknown(value)) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = firstUnknown(value[i], [...path, i]);
      if (found) return found;
    }
  } else if (isObjectValue(value)) {
    for (const [k, v] of Object.entries(value)) {
      const found = firstUnknown(v, [...path, k]);
      if (found) return found;
    }
  }
  return undefined;
}

/** True when both objects have exactly the same keys. */
export function sameKeys(a: ObjectValue, b: ObjectValue): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k));
}
