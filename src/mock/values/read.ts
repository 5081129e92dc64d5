import { isObjectValue, ObjectValue, Value } from './value';

/**
 * Typed readers for decoded values, for simulations: each returns the known value of the asked
 * type or an empty/null stand-in, so resource code reads configuration without casts.
 */
/** A known string, or null (unknown and null both read as null: callers check unknowns first). */
export function str(v: Value | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

/** A known number, or null. */
export function num(v: Value | undefined): number | null {
  return typeof v === 'number' ? v : null;
}

/** A known bool, or null. */
export function bool(v: Value | undefined): boolean | null {
  return typeof v === 'boolean' ? v : null;
}

/** The known strings of a list or set (empty for null). */
export function strings(v: Value | undefined): string[] {
  return Array.isArray(v) ? v.filter((e): e is string => typeof e === 'string') : [];
}

/** The objects of a list/set block or attribute (empty for null). */
export function objects(v: Value | undefined): ObjectValue[] {
  return Array.isArray(v) ? v.filter(isObjectValue) : isObjectValue(v) ? [v] : [];
}

/** The first element of a list block with `max_items = 1`, or null. */
export function first(v: Value | undefined): ObjectValue | null {
  return objects(v)[0] ?? null;
}

/** A map(string) value as a plain record (empty for null). */
export function stringMap(v: Value | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObjectValue(v)) for (const [k, e] of Object.entries(v)) if (typeof e === 'string') out[k] = e;
  return out;
}
