/**
 * The template sandbox, part 2: what rendering enforces, for what the parse cannot know (a key
 * computed at render time, the type of the value a method is called on, how long a loop runs).
 * See sandbox.ts for the rules checked before rendering.
 *
 * nunjucks' compiled templates do every lookup, name resolution and call through the `runtime`
 * object handed to the template's root function. Butter hands them a copy with those entries
 * replaced by guarded ones (nothing is patched in the nunjucks module itself, so other users of
 * nunjucks in the same process are unaffected):
 *
 * - `memberLookup` refuses forbidden keys (however they were computed), any property of a
 *   function, and any function-valued property except the safe methods of strings, arrays and
 *   numbers, the methods of `cycler()` objects, and functions the caller passed in;
 * - `callWrap` calls only functions on an allow-list: the globals, what they return, macros,
 *   bound safe methods and functions the caller passed in. `Function`, whatever the route to it,
 *   is never on it;
 * - `contextOrFrameLookup` reads only the variables' own properties (a plain object would answer
 *   `constructor` with `Object`) and Butter's globals;
 * - `fromIterator` counts loop iterations, and `suppressValue` printed characters, against the
 *   template's budget ({@link withTemplateBudget}).
 *
 * The template's AST is prepared for this ({@link sandboxedAst}): every lookup's key goes through
 * a guard (so the key is checked with nunjucks' line number set), `~` and `+` through one that
 * caps text length, and literal text is printed through `suppressValue` to be counted.
 *
 * The globals are Butter's own frozen `range` (capped), `cycler` and `joiner`, not nunjucks'.
 */
import * as nunjucks from 'nunjucks';
import {
  ATTRIBUTE_FILTERS,
  CYCLER_METHODS,
  forbiddenAttributeReason,
  SAFE_METHODS,
} from './sandbox';
import { isNode, makeNode, nj, NjNode } from './nunjucks-ast';
import { SANDBOX_VIOLATION } from './template-errors';
import { FORBIDDEN_NAMES, MAX_TEXT_LENGTH } from './sandbox-names';

/** Most items one `range()` call may produce. */
export const MAX_RANGE_LENGTH = 10_000;

/** Most loop iterations (items of every `{% for %}` summed) one render may run. */
export const MAX_LOOP_ITEMS = 100_000;

/** Widest `indent`/`center`, and most rows of `batch`/`slice`, a template may ask for. */
export const MAX_FILTER_WIDTH = 1_000;

/**
 * The name of the key guard that {@link sandboxedAst} inserts into every lookup. Templates cannot
 * use it themselves: names starting with `__` are refused (sandbox.ts), and the guarded
 * `contextOrFrameLookup` answers it before looking at any variable.
 */
const KEY_GUARD = '__butter_key__';

/** The concatenation guard {@link sandboxedAst} puts in place of `~` and `+` (same reservation). */
const CONCAT_GUARD = '__butter_concat__';

/** Thrown by the guards; template-errors.ts turns it into a `TEMPLATE_FORBIDDEN` ButterError. */
export class SandboxViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = SANDBOX_VIOLATION;
  }
}

/** Every function a template may call. A WeakSet: it keeps nothing alive. */
const callable = new WeakSet<object>();

/** Objects whose methods (by name) a template may look up and call. */
const methodsOf = new WeakMap<object, ReadonlySet<string>>();

/**
 * What the current template may still spend: loop items and printed characters. Renders are
 * synchronous, one at a time; a deploy-time compilation renders many fragments of one template,
 * all charged to the one budget (see {@link withTemplateBudget}).
 */
let loopBudget = MAX_LOOP_ITEMS;
let textBudget = MAX_TEXT_LENGTH;
let budgetDepth = 0;

/** Run `fn` (a render or a compilation) with a fresh budget, unless it is part of one already. */
export function withTemplateBudget<T>(fn: () => T): T {
  if (budgetDepth === 0) {
    loopBudget = MAX_LOOP_ITEMS;
    textBudget = MAX_TEXT_LENGTH;
  }
  budgetDepth++;
  try {
    return fn();
  } finally {
    budgetDepth--;
  }
}

/** Charge `n` loop iterations to the current template. @throws SandboxViolation past the budget. */
export function chargeLoopItems(n: number): void {
  loopBudget -= n;
  if (loopBudget < 0) throw new SandboxViolation(`the template's loops run more than ${MAX_LOOP_ITEMS} times in all`);
}

/** Charge `n` printed characters to the current template. @throws SandboxViolation past the budget. */
export function chargeText(n: number): void {
  textBudget -= n;
  if (textBudget < 0) throw new SandboxViolation(`the template prints more than ${MAX_TEXT_LENGTH} characters`);
}

function allow<F extends (...args: never[]) => unknown>(fn: F): F {
  callable.add(fn);
  return fn;
}

/** `range(stop)`, `range(start, stop, step)` as in jinja2, refusing more than MAX_RANGE_LENGTH items. */
const range = allow(function range(start: unknown, stop?: unknown, step?: unknown): number[] {
  const [from, to, by] =
    stop === undefined ? [0, Number(start), 1] : [Number(start), Number(stop), Number(step ?? 1) || 1];
  if (![from, to, by].every(Number.isFinite)) throw new SandboxViolation('range() takes finite numbers');
  const length = Math.max(0, Math.ceil((to - from) / by));
  if (length > MAX_RANGE_LENGTH) {
    throw new SandboxViolation(`range() would make ${length} items; templates may make at most ${MAX_RANGE_LENGTH}`);
  }
  return Array.from({ length }, (_, i) => from + i * by);
});

/** `cycler(a, b, ...)`: an object whose `next()` returns a, b, ..., a, ... and `current` the last. */
const cycler = allow(function cycler(...items: unknown[]): object {
  let index = -1;
  const state: { current: unknown; next(): unknown; reset(): void } = {
    current: null,
    next: allow(() => {
      index = items.length ? (index + 1) % items.length : 0;
      state.current = items[index];
      return state.current;
    }),
    reset: allow(() => {
      index = -1;
      state.current = null;
    }),
  };
  methodsOf.set(state, CYCLER_METHODS);
  return state;
});

/** `joiner(sep)`: a function returning '' the first time and `sep` (default ',') after. */
const joiner = allow(function joiner(sep?: unknown): () => unknown {
  const separator = sep || ',';
  let first = true;
  return allow(() => {
    const out = first ? '' : separator;
    first = false;
    return out;
  });
});

/**
 * Refuse a forbidden key; return it as the primitive JavaScript will use. Called by every guarded
 * lookup.
 */
const keyGuard = allow(function keyGuard(key: unknown): unknown {
  // A safe string (`k | safe`) is text: check the text.
  const k = key instanceof String ? String(key) : key;
  if (typeof k === 'object' || typeof k === 'function' || typeof k === 'symbol') {
    // JavaScript would turn the object into a key with its own toString(), which can be anything,
    // `['constructor']` included: refuse rather than guess.
    throw new SandboxViolation(`a key must be a name or a number, not ${describe(k)}`);
  }
  if (typeof k === 'string' && (FORBIDDEN_NAMES.has(k) || k.startsWith('__'))) {
    throw new SandboxViolation(`the template reads ".${k}", which leads from template data into JavaScript itself`);
  }
  return k;
});

const globals: Readonly<Record<string, unknown>> = Object.freeze({ range, cycler, joiner });
for (const fn of [range, cycler, joiner, keyGuard]) Object.freeze(fn);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : typeof value;
}

/** The safe methods for a value's type. */
function methodsFor(obj: unknown): ReadonlySet<string> | undefined {
  if (typeof obj === 'string' || obj instanceof String) return SAFE_METHODS.string;
  if (Array.isArray(obj)) return SAFE_METHODS.array;
  if (typeof obj === 'number') return SAFE_METHODS.number;
  return typeof obj === 'object' && obj !== null ? methodsOf.get(obj) : undefined;
}

function memberLookup(obj: unknown, key: unknown): unknown {
  if (obj === undefined || obj === null) return undefined;
  key = keyGuard(key);
  if (typeof obj === 'function') {
    // Macros, `caller`, the globals: none has a property a template needs, and a function's
    // properties (`call`, `bind`, `caller`, `arguments`) lead back into JavaScript.
    throw new SandboxViolation(`the template reads ".${String(key)}" of a function`);
  }
  const value = (obj as Record<string, unknown>)[key as string];
  if (typeof value !== 'function') return value;
  if (callable.has(value)) return value;
  const name = String(key);
  if (!methodsFor(obj)?.has(name)) {
    throw new SandboxViolation(`".${name}" is a JavaScript function the template was not given`);
  }
  // Bound to its receiver, as nunjucks' own lookup does, and callable from then on.
  return allow((...args: unknown[]) => {
    if (name === 'join' && Array.isArray(obj)) checkJoin(obj, args[0] ?? ',');
    return (value as (...a: unknown[]) => unknown).apply(obj, args);
  });
}

function callWrap(fn: unknown, name: string, context: unknown, args: unknown[]): unknown {
  if (typeof fn !== 'function') {
    throw new Error(`Unable to call \`${name}\`, which is ${fn ? 'not a function' : 'undefined or falsey'}`);
  }
  if (!callable.has(fn)) throw new SandboxViolation(`\`${name}\` is not a function the template may call`);
  return (fn as (...a: unknown[]) => unknown).apply(context, args);
}

function makeMacro(...args: Parameters<typeof nj.runtime.makeMacro>): unknown {
  return allow(nj.runtime.makeMacro(...args) as (...a: never[]) => unknown);
}

interface NjContext {
  ctx: Record<string, unknown>;
}
interface NjFrame {
  lookup(name: string): unknown;
}

function contextOrFrameLookup(context: NjContext, frame: NjFrame, name: string): unknown {
  if (name === KEY_GUARD) return keyGuard;
  if (name === CONCAT_GUARD) return concatGuard;
  const local = frame.lookup(name);
  if (local !== undefined) return local;
  if (Object.prototype.hasOwnProperty.call(context.ctx, name)) return context.ctx[name];
  return Object.prototype.hasOwnProperty.call(globals, name) ? globals[name] : undefined;
}

function fromIterator(value: unknown): unknown {
  const out = nj.runtime.fromIterator(value);
  if (typeof out === 'object' && out !== null) chargeLoopItems(Array.isArray(out) ? out.length : Object.keys(out).length);
  else if (typeof out === 'string') chargeLoopItems(out.length);
  return out;
}

/** Every printed value (and, after {@link sandboxedAst}, every run of literal text) passes here. */
function suppressValue(value: unknown, autoescape: boolean): string {
  const text = String(nj.runtime.suppressValue(value, autoescape));
  chargeText(text.length);
  return text;
}

/** Refuse to join `items` with `separator` when the result would pass MAX_TEXT_LENGTH. */
function checkJoin(items: readonly unknown[], separator: unknown): void {
  let size = Math.max(0, items.length - 1) * String(separator ?? '').length;
  for (const item of items) size += typeof item === 'string' ? item.length : 16;
  if (size > MAX_TEXT_LENGTH) throw new SandboxViolation(`joining would make a text longer than ${MAX_TEXT_LENGTH} characters`);
}

/** Refuse a `replace` whose result would pass MAX_TEXT_LENGTH (`replace("", big)` inserts `big` everywhere). */
function checkReplace(subject: unknown, old: unknown, replacement: unknown): void {
  const text = String(subject ?? '');
  const find = String(old ?? '');
  const count = find === '' ? text.length + 1 : text.split(find).length - 1;
  if (text.length + count * String(replacement ?? '').length > MAX_TEXT_LENGTH) {
    throw new SandboxViolation(`the "replace" filter would make a text longer than ${MAX_TEXT_LENGTH} characters`);
  }
}

/** `a ~ b` and `a + b`, as JavaScript evaluates them, refusing text longer than MAX_TEXT_LENGTH. */
const concatGuard = allow(function concatGuard(a: unknown, b: unknown, concat: boolean): unknown {
  // Exactly what nunjucks compiles them to: `a + "" + b` and `a + b`.
  const out: unknown = concat ? (a as string) + '' + (b as string) : (a as number) + (b as number);
  if (typeof out === 'string' && out.length > MAX_TEXT_LENGTH) {
    throw new SandboxViolation(`the template builds a text longer than ${MAX_TEXT_LENGTH} characters`);
  }
  return out;
});
Object.freeze(concatGuard);

/** The runtime object compiled templates get instead of nunjucks' own. */
export const sandboxRuntime: object = Object.freeze({
  ...(nj.runtime as unknown as Record<string, unknown>),
  memberLookup,
  callWrap,
  makeMacro,
  contextOrFrameLookup,
  fromIterator,
  suppressValue,
});

/** Start a render: allow calling the functions in `vars`. */
export function beginRender(vars: Readonly<Record<string, unknown>>): void {
  allowGivenFunctions(vars, new Set(), 0);
}

/**
 * Functions the caller passed in (a library user's templateVars, never a blueprint's: YAML has
 * none) may be called, also inside arrays and plain objects. Their methods and constructors may
 * not: only the functions themselves were given.
 */
function allowGivenFunctions(value: unknown, seen: Set<unknown>, depth: number): void {
  if (depth > 32 || seen.has(value)) return;
  if (typeof value === 'function') {
    callable.add(value);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  seen.add(value);
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return;
  for (const v of Object.values(value)) allowGivenFunctions(v, seen, depth + 1);
}

/**
 * Make `env` a sandboxed environment: Butter's globals instead of nunjucks', and the filters that
 * read attributes or pad text checked at run time too (sandbox.ts checks their literal arguments).
 */
export function installSandbox(env: nunjucks.Environment): void {
  const e = env as unknown as { globals: Record<string, unknown> };
  e.globals = Object.create(null) as Record<string, unknown>;
  for (const [name, fn] of Object.entries(globals)) env.addGlobal(name, fn);
  for (const [name, spec] of Object.entries(ATTRIBUTE_FILTERS)) {
    const original = env.getFilter(name) as (...a: unknown[]) => unknown;
    env.addFilter(name, function attributeFilter(this: unknown, ...args: unknown[]) {
      const attr = args[spec.index];
      if (typeof attr === 'string') {
        const why = forbiddenAttributeReason(attr);
        if (why) throw new SandboxViolation(`the "${name}" filter reads attribute "${attr}": ${why}`);
      }
      return original.apply(this, args);
    });
  }
  // The two filters whose output can be far larger than their input.
  const join = env.getFilter('join') as (...a: unknown[]) => unknown;
  env.addFilter('join', function boundedJoin(this: unknown, ...args: unknown[]) {
    if (Array.isArray(args[0])) checkJoin(args[0] as unknown[], args[1] ?? '');
    return join.apply(this, args);
  });
  const replace = env.getFilter('replace') as (...a: unknown[]) => unknown;
  env.addFilter('replace', function boundedReplace(this: unknown, ...args: unknown[]) {
    if (!(args[1] instanceof RegExp)) checkReplace(args[0], args[1], args[2]);
    return replace.apply(this, args);
  });
  // Sizes that become loops or padding inside the filter: `slice(1e9)` makes a billion lists.
  for (const [name, widthArg] of [['indent', 1], ['center', 1], ['batch', 1], ['slice', 1]] as const) {
    const original = env.getFilter(name) as (...a: unknown[]) => unknown;
    env.addFilter(name, function widthFilter(this: unknown, ...args: unknown[]) {
      const width = Number(args[widthArg]);
      if (width > MAX_FILTER_WIDTH) {
        throw new SandboxViolation(`the "${name}" filter was asked for ${width}; templates may ask for at most ${MAX_FILTER_WIDTH}`);
      }
      return original.apply(this, args);
    });
  }
}

/**
 * A copy of a template's AST made ready for the guarded runtime (the original is left as is: the
 * deploy-time compiler reads it):
 *
 * - every lookup's key goes through the key guard: `a[k]` becomes `a[__butter_key__(k)]`. The
 *   guard refuses forbidden keys however they were computed (`x['constru' ~ 'ctor']`), and
 *   because it is a call, nunjucks records its line just before the lookup runs, so a refusal
 *   names the right line;
 * - `a ~ b` and `a + b` become `__butter_concat__(a, b, ...)`, which refuses to build huge text;
 * - literal text becomes a literal printed like any value, so it is counted against the output
 *   budget (nunjucks would append it to the output directly).
 */
export function sandboxedAst(node: NjNode): NjNode {
  const copy = cloneNode(node);
  const set = (field: string, value: unknown) => ((copy as unknown as Record<string, unknown>)[field] = value);
  if (copy.typename === 'LookupVal') {
    set('val', makeNode('FunCall', copy.val, makeNode('Symbol', copy.val, KEY_GUARD), makeNode('NodeList', copy.val, [copy.val])));
  }
  if (copy.typename === 'Output') {
    set('children', copy.children.map((c) => (c.typename === 'TemplateData' ? makeNode('Literal', c, c.value) : c)));
  }
  if (copy.typename === 'Concat' || copy.typename === 'Add') {
    const args = [copy.left, copy.right, makeNode('Literal', copy, copy.typename === 'Concat')];
    return makeNode('FunCall', copy, makeNode('Symbol', copy, CONCAT_GUARD), makeNode('NodeList', copy, args));
  }
  return copy;
}

/** A deep copy of a node, its children guarded too. */
function cloneNode(node: NjNode): NjNode {
  const copy = Object.create(Object.getPrototypeOf(node) as object) as Record<string, unknown>;
  for (const [k, v] of Object.entries(node)) {
    if (Array.isArray(v)) copy[k] = v.map((c) => (isNode(c) ? sandboxedAst(c) : c));
    else if (isNode(v)) copy[k] = sandboxedAst(v);
    else copy[k] = v;
  }
  return copy as unknown as NjNode;
}
