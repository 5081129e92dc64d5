/**
 * The names no template may use (sandbox rule 1, see sandbox.ts) and the longest text one may
 * print, on their own: variable declarations are checked against the names when a blueprint is
 * loaded, and plain-text scripts against the length (templating.ts), before (and often without)
 * any template being parsed, so this file must not load the template engine.
 */

/**
 * Property names that lead out of the data into JavaScript itself: the constructor (and through
 * it `Function`), the prototype chain, and the legacy accessors that define properties on it.
 */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set([
  'constructor',
  '__proto__',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** Why a name is refused, or undefined if it may be used. */
export function forbiddenNameReason(name: string): string | undefined {
  if (FORBIDDEN_NAMES.has(name)) return `"${name}" leads from template data into JavaScript itself`;
  // Names starting with two underscores are reserved: the sandbox uses one, and JavaScript's
  // own hidden properties look like that.
  if (name.startsWith('__')) return `names starting with "__" are reserved`;
  return undefined;
}

/**
 * Most characters a template may print in all, and the longest text it may build with `~` or
 * `+`. Far above any cloud's user data limit (AWS 16 KB, Google metadata 256 KB), far below what
 * would strain memory: `{% set s = s ~ s %}` in a loop would otherwise double to gigabytes.
 */
export const MAX_TEXT_LENGTH = 1_000_000;
