import { Unknown } from './unknown';

/**
 * A Terraform value as Butter's resource code sees it: plain JS data plus {@link Unknown}.
 *
 * - string, number, bool → string, number, boolean
 * - list, set, tuple → array (a set's order means nothing)
 * - map, object, nested block → plain object
 * - null → null; not yet known → an `Unknown`
 */
export type Value = null | Unknown | string | number | boolean | Value[] | ObjectValue;

/** An object, map or block value: every attribute of the schema is present (missing = null). */
export interface ObjectValue {
  [name: string]: Value;
}

/** JSON-compatible data, as stored in the mock cloud's state file. */
export type Json = null | string | number | boolean | Json[] | JsonObject;

/** A JSON object. */
export interface JsonObject {
  [key: string]: Json;
}

/** True for plain objects (not arrays, not null, not Unknown). */
export function isObjectValue(v: unknown): v is ObjectValue {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Unknown)
    && !(v instanceof Uint8Array);
}

/**
 * Set `obj[key] = value` even for keys like `__proto__`, which plain assignment would turn into a
 * prototype change (map keys come from user configuration).
 */
export function setKey<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}
