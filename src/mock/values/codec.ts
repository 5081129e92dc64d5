import { decode, encode, ExtData, ExtensionCodec } from '@msgpack/msgpack';
import { inferType, parseType } from './cty-type';
import { Shape, shapeOf } from './shape';
import { isUnknown, Unknown, UNKNOWN } from './unknown';
import { isObjectValue, ObjectValue, setKey, Value } from './value';

/**
 * The cty wire codec: Terraform values as msgpack (or JSON) ⇄ JS {@link Value}s, driven by shapes.
 *
 * Everything goes through {@link normalize}, which makes a value conform to a shape: every object
 * attribute present (missing = null, unknown names dropped), absent nested blocks as empty
 * collections, numbers as JS numbers whatever their wire form (int, float or decimal string). Only
 * `dynamic` differs by direction, because msgpack and JSON carry a dynamic value's type with it.
 */

/** A value that does not fit its schema; `path` says where (attribute names and indexes). */
export class ValueError extends Error {
  public readonly path: readonly (string | number)[];
  constructor(message: string, path: readonly (string | number)[]) {
    super(path.length > 0 ? `${formatPath(path)}: ${message}` : message);
    this.name = 'ValueError';
    this.path = path;
  }
}

function formatPath(path: readonly (string | number)[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

// cty writes an unknown as fixext1 type 0 with a zero byte, and a refined unknown as ext type 12
// whose payload is a msgpack map of refinements. Any other extension type (left as ExtData by the
// decoder) is also read as unknown: it can only be a newer kind of unknown, never a known value.
const extensions = new ExtensionCodec();
extensions.register({
  type: 0,
  encode: (v: unknown) => (v instanceof Unknown && !v.refinements ? new Uint8Array([0]) : null),
  decode: () => UNKNOWN,
});
extensions.register({
  type: 12,
  encode: (v: unknown) => (v instanceof Unknown && v.refinements ? v.refinements : null),
  decode: (data: Uint8Array) => new Unknown(Uint8Array.from(data)),
});

/** msgpack bytes → raw JS (unknowns become {@link Unknown}); not yet conformed to a schema. */
export function unpack(bytes: Uint8Array): unknown {
  return decode(bytes, { extensionCodec: extensions });
}

/** Raw JS (already shaped by {@link toWire}) → msgpack bytes. */
export function pack(raw: unknown): Buffer {
  return Buffer.from(encode(raw, { extensionCodec: extensions }));
}

/** How `dynamic` values are read or written in one walk. */
type Direction = 'msgpack-in' | 'json-in' | 'value' | 'msgpack-out';

/** A value decoded from msgpack → a {@link Value} conforming to `shape`. */
export function fromMsgpack(raw: unknown, shape: Shape): Value {
  return normalize(raw, shape, [], 'msgpack-in');
}

/** A value decoded from JSON (Terraform state, `DynamicValue.json`) → a conforming {@link Value}. */
export function fromJson(raw: unknown, shape: Shape): Value {
  return normalize(raw, shape, [], 'json-in');
}

/** Make a JS value (e.g. returned by resource code) conform to `shape`. */
export function conform(value: unknown, shape: Shape): Value {
  return normalize(value, shape, [], 'value');
}

/** A {@link Value} → raw JS ready for {@link pack}, conforming to `shape`. */
export function toWire(value: unknown, shape: Shape): unknown {
  return normalize(value, shape, [], 'msgpack-out');
}

function normalize(raw: unknown, shape: Shape, path: (string | number)[], dir: Direction): Value {
  if (isUnknown(raw)) return raw;
  if (raw instanceof ExtData) return UNKNOWN;
  if (raw === undefined) raw = null;
  switch (shape.kind) {
    case 'string':
      if (raw === null || typeof raw === 'string') return raw;
      // cty converts numbers and bools to strings where a string is expected; so do we.
      if (typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint') return String(raw);
      if (raw instanceof Uint8Array) return Buffer.from(raw).toString('utf8');
      throw new ValueError(`expected a string, got ${describe(raw)}`, path);
    case 'number':
      return toNumber(raw, path);
    case 'bool':
      if (raw === null || typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw new ValueError(`expected a bool, got ${describe(raw)}`, path);
    case 'dynamic':
      return normalizeDynamic(raw, path, dir);
    case 'list':
    case 'set':
      if (raw === null) return shape.nullAsEmpty ? [] : null;
      if (!Array.isArray(raw)) throw new ValueError(`expected a ${shape.kind}, got ${describe(raw)}`, path);
      return raw.map((e, i) => normalize(e, shape.element, [...path, i], dir));
    case 'map': {
      if (raw === null) return shape.nullAsEmpty ? {} : null;
      if (!isObjectValue(raw)) throw new ValueError(`expected a map, got ${describe(raw)}`, path);
      const out: ObjectValue = {};
      for (const [k, v] of Object.entries(raw)) setKey(out, k, normalize(v, shape.element, [...path, k], dir));
      return out;
    }
    case 'object': {
      if (raw === null) {
        if (!shape.nullAsEmpty) return null;
        raw = {};
      }
      if (!isObjectValue(raw)) throw new ValueError(`expected an object, got ${describe(raw)}`, path);
      const source = raw as Record<string, unknown>;
      const out: ObjectValue = {};
      for (const [name, attributeShape] of shape.attributes) {
        const v = Object.prototype.hasOwnProperty.call(source, name) ? source[name] : null;
        setKey(out, name, normalize(v, attributeShape, [...path, name], dir));
      }
      return out;
    }
    case 'tuple':
      if (raw === null) return null;
      if (!Array.isArray(raw) || raw.length !== shape.elements.length) {
        throw new ValueError(`expected a tuple of ${shape.elements.length}, got ${describe(raw)}`, path);
      }
      return shape.elements.map((s, i) => normalize((raw as unknown[])[i], s, [...path, i], dir));
  }
}

function toNumber(raw: unknown, path: (string | number)[]): Value {
  if (raw === null) return null;
  // cty sends integers as msgpack ints, other numbers as float64, and numbers a float64 cannot
  // hold as decimal strings. JS numbers are doubles anyway, so all three collapse to a number.
  const n = typeof raw === 'number' ? raw : typeof raw === 'bigint' ? Number(raw)
    : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (Number.isNaN(n)) throw new ValueError(`expected a number, got ${describe(raw)}`, path);
  return n;
}

function normalizeDynamic(raw: unknown, path: (string | number)[], dir: Direction): Value {
  if (raw === null) return null;
  switch (dir) {
    case 'msgpack-in': {
      // cty msgpack: a dynamic value is [JSON of its type (bytes), the value in that type].
      if (Array.isArray(raw) && raw.length === 2 && (raw[0] instanceof Uint8Array || typeof raw[0] === 'string')) {
        const typeJson = typeof raw[0] === 'string' ? raw[0] : Buffer.from(raw[0]).toString('utf8');
        return normalize(raw[1], shapeOf(parseType(typeJson)), path, dir);
      }
      throw new ValueError(`expected a dynamic value ([type, value]), got ${describe(raw)}`, path);
    }
    case 'json-in':
      // cty JSON: {"value": ..., "type": ...}; anything else is taken as plain JSON data.
      if (isObjectValue(raw) && 'value' in raw && 'type' in raw && Object.keys(raw).length === 2) {
        return normalize(raw.value, shapeOf(parseType(JSON.stringify(raw.type))), path, dir);
      }
      return normalize(raw, shapeOf(inferType(raw)), path, 'value');
    case 'value':
      return normalize(raw, shapeOf(inferType(raw)), path, dir);
    case 'msgpack-out': {
      const type = inferType(raw);
      return [Buffer.from(JSON.stringify(type)) as unknown as Value, normalize(raw, shapeOf(type), path, dir)];
    }
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Uint8Array) return 'bytes';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(typeof v === 'bigint' ? String(v) : v)}`;
}
