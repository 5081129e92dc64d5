import { Shape } from './shape';
import { isUnknown, isWhollyKnown } from './unknown';
import { ObjectValue, setKey, Value } from './value';

/**
 * A string that is equal for equal values: object keys sorted, set elements sorted (a set's order
 * means nothing), numbers in one spelling. Used to compare values and to match set elements.
 */
export function canonicalKey(value: Value, shape?: Shape): string {
  if (value === null || value === undefined) return 'null';
  if (isUnknown(value)) return '?';
  if (typeof value === 'number') return Object.is(value, -0) ? '0' : String(value);
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    const element = (i: number): Shape | undefined =>
      shape?.kind === 'list' || shape?.kind === 'set' ? shape.element : shape?.kind === 'tuple' ? shape.elements[i] : undefined;
    const keys = value.map((v, i) => canonicalKey(v, element(i)));
    if (shape?.kind === 'set') keys.sort();
    return `[${keys.join(',')}]`;
  }
  const entries = Object.keys(value).sort().map((k) => {
    const inner = shape?.kind === 'object' ? shape.attributes.get(k) : shape?.kind === 'map' ? shape.element : undefined;
    return `${JSON.stringify(k)}:${canonicalKey(value[k], inner)}`;
  });
  return `{${entries.join(',')}}`;
}

/**
 * True when `a` and `b` are the same known value. A value containing an unknown is never equal to
 * anything: it may still turn out different.
 */
export function valuesEqual(a: Value, b: Value, shape?: Shape): boolean {
  if (!isWhollyKnown(a) || !isWhollyKnown(b)) return false;
  return canonicalKey(a, shape) === canonicalKey(b, shape);
}

/** A deep copy (Unknown markers are immutable and shared). */
export function cloneValue<T extends Value>(value: T): T {
  if (value === null || typeof value !== 'object' || isUnknown(value)) return value;
  if (Array.isArray(value)) return value.map(cloneValue) as T;
  const out: ObjectValue = {};
  for (const [k, v] of Object.entries(value)) setKey(out, k, cloneValue(v));
  return out as T;
}
