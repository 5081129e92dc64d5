/**
 * cty types in their JSON form — exactly what Terraform expects in `Schema.Attribute.type`, so a
 * type written in a resource schema goes onto the wire as `JSON.stringify(type)`.
 */

/** The three primitive types. */
export type PrimitiveType = 'string' | 'number' | 'bool';

/** Attribute types: primitives, `dynamic` ("any"), and the collection/structural types. */
export type CtyType =
  | PrimitiveType
  | 'dynamic'
  | readonly ['list', CtyType]
  | readonly ['set', CtyType]
  | readonly ['map', CtyType]
  | readonly ['object', { readonly [attribute: string]: CtyType }]
  | readonly ['object', { readonly [attribute: string]: CtyType }, readonly string[]]
  | readonly ['tuple', readonly CtyType[]];

/** Builders, so schemas read `list('string')` rather than `['list', 'string'] as const`. */
export function list(element: CtyType): CtyType {
  return ['list', element];
}

/** A set of `element`: unordered, no duplicates. */
export function set(element: CtyType): CtyType {
  return ['set', element];
}

/** A map from string keys to `element`. */
export function map(element: CtyType): CtyType {
  return ['map', element];
}

/** An object type; `optional` names attributes that may be left out (Terraform 1.3+). */
export function object(attributes: { readonly [name: string]: CtyType }, optional?: readonly string[]): CtyType {
  return optional && optional.length > 0 ? ['object', attributes, optional] : ['object', attributes];
}

/** A fixed-length sequence of differently typed elements. */
export function tuple(...elements: CtyType[]): CtyType {
  return ['tuple', elements];
}

/**
 * The type cty would give a plain JS value, used to label values placed in `dynamic` attributes
 * (msgpack carries the type next to such values).
 */
export function inferType(value: unknown): CtyType {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number' || typeof value === 'bigint') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return ['tuple', value.map(inferType)];
  if (value !== null && typeof value === 'object') {
    const attributes: Record<string, CtyType> = {};
    for (const [k, v] of Object.entries(value)) attributes[k] = inferType(v);
    return ['object', attributes];
  }
  return 'dynamic';
}

/** Parse a JSON-encoded cty type (as found next to dynamic values), rejecting anything else. */
export function parseType(json: string): CtyType {
  const t: unknown = JSON.parse(json);
  if (!isCtyType(t)) throw new Error(`not a cty type: ${json}`);
  return t;
}

function isCtyType(t: unknown): t is CtyType {
  if (t === 'string' || t === 'number' || t === 'bool' || t === 'dynamic') return true;
  if (!Array.isArray(t)) return false;
  switch (t[0]) {
    case 'list':
    case 'set':
    case 'map':
      return t.length === 2 && isCtyType(t[1]);
    case 'object':
      return (t.length === 2 || t.length === 3) && t[1] !== null && typeof t[1] === 'object'
        && Object.values(t[1] as object).every(isCtyType);
    case 'tuple':
      return t.length === 2 && Array.isArray(t[1]) && (t[1] as unknown[]).every(isCtyType);
    default:
      return false;
  }
}
