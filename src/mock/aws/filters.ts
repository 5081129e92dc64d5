import { Value } from '../values/value';
import { awsError, objects, strings } from './common';

/**
 * EC2's `Filter.N.Name` / `Filter.N.Values` semantics, shared by the Describe* data sources:
 * a filter matches when any of its values matches (values may use the wildcards `*` and `?`),
 * and an item must match every filter. An unknown filter name is an error, as in EC2.
 */

/** One `filter { name = ..., values = [...] }` block. */
export interface Filter {
  readonly name: string;
  readonly values: readonly string[];
}

/** The `filter` blocks of a data source configuration. */
export function filtersOf(v: Value | undefined): Filter[] {
  return objects(v).map((f) => ({ name: typeof f.name === 'string' ? f.name : '', values: strings(f.values) }));
}

/** An EC2 wildcard pattern (`*` any run, `?` one character, `\` escapes) as a RegExp. */
export function wildcard(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) re += escape(pattern[++i]);
    else if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else re += escape(c);
  }
  return new RegExp(`^${re}$`);
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** True when `value` (or any of several values) matches any of `patterns`. */
export function matchesAny(value: string | readonly string[] | null | undefined, patterns: readonly string[]): boolean {
  const values = value === null || value === undefined ? [] : typeof value === 'string' ? [value] : value;
  return patterns.some((p) => {
    const re = wildcard(p);
    return values.some((v) => re.test(v));
  });
}

/** How to read each filterable field of an item; `tags` serves `tag:<key>` and `tag-key`. */
export interface FilterFields<T> {
  readonly fields: { readonly [name: string]: (item: T) => string | readonly string[] | null };
  readonly tags?: (item: T) => { readonly [key: string]: string };
}

/** The items matching every filter; throws `InvalidParameterValue` for a filter EC2 lacks. */
export function applyFilters<T>(items: readonly T[], filters: readonly Filter[], spec: FilterFields<T>): T[] {
  for (const f of filters) {
    const known = f.name in spec.fields || (spec.tags && (f.name.startsWith('tag:') || f.name === 'tag-key' || f.name === 'tag-value'));
    if (!known) {
      throw awsError('InvalidParameterValue', `The filter '${f.name}' is invalid`, ['filter'],
        `Filters the Butter mock cloud understands here: ${Object.keys(spec.fields).join(', ')}${spec.tags ? ', tag:<key>, tag-key, tag-value' : ''}.`);
    }
  }
  return items.filter((item) => filters.every((f) => {
    if (f.name in spec.fields) return matchesAny(spec.fields[f.name](item), f.values);
    const tags = spec.tags?.(item) ?? {};
    if (f.name === 'tag-key') return matchesAny(Object.keys(tags), f.values);
    if (f.name === 'tag-value') return matchesAny(Object.values(tags), f.values);
    const key = f.name.slice('tag:'.length);
    return key in tags && matchesAny(tags[key], f.values);
  }));
}
