/**
 * Turns zod's validation issues into one ButterError a person can act on.
 *
 * zod's own messages ("Invalid input: expected int, received number") are never shown: each
 * issue is reworded from its structured fields, the value actually found in the YAML, and the
 * `KeyDoc` attached to the schema node (schema.ts). Unknown keys get the most specific advice
 * available: a key of the other blueprint kind, a near spelling, or the section it belongs in.
 */
import type { $ZodIssue, $ZodIssueTooBig, $ZodIssueTooSmall, $ZodType } from '../util/zod';
import { ButterError, cut } from '../errors';
import { CustomProblem, KeyDoc, keyDocs } from './schema';
import { describeValue, INVALID_SIZE } from './sizes';
import { editDistance } from '../util/edit-distance';

/** Stable error codes of blueprint loading. */
export const BlueprintCodes = {
  /** Several problems at once: each is in the error's `issues`, with its own code. */
  INVALID: 'BLUEPRINT_INVALID',
  NOT_FOUND: 'BLUEPRINT_NOT_FOUND',
  UNREADABLE: 'BLUEPRINT_UNREADABLE',
  YAML: 'BLUEPRINT_YAML',
  /** YAML nesting too deep, or aliases expanding past the limits (yaml.ts). */
  TOO_COMPLEX: 'BLUEPRINT_TOO_COMPLEX',
  EMPTY: 'BLUEPRINT_EMPTY',
  NOT_MAPPING: 'BLUEPRINT_NOT_MAPPING',
  UNKNOWN_KEY: 'BLUEPRINT_UNKNOWN_KEY',
  MISSING_KEY: 'BLUEPRINT_MISSING_KEY',
  INVALID_VALUE: 'BLUEPRINT_INVALID_VALUE',
  INVALID_SIZE,
  SCRIPT_NOT_FOUND: 'BLUEPRINT_SCRIPT_NOT_FOUND',
  /** A startup script that is not a regular UTF-8 file, or is too large. */
  SCRIPT_UNREADABLE: 'BLUEPRINT_SCRIPT_UNREADABLE',
  /** A startup script outside the blueprint's folder (absolute, `..`, or a symlink leading out). */
  SCRIPT_OUTSIDE: 'BLUEPRINT_SCRIPT_OUTSIDE',
} as const;

export type BlueprintKind = 'service' | 'network';

type Issue = $ZodIssue;
type Schema = $ZodType;
type Path = readonly PropertyKey[];

/** What the mapping needs besides the issues. */
export interface IssueContext {
  readonly file?: string;
  readonly input: unknown;
  readonly kind: BlueprintKind;
  readonly schema: Schema;
  /** The other kind's schema: a key valid there gets a "wrong kind of blueprint" message. */
  readonly otherSchema: Schema;
}

/** A problem and the key path it is about, so problems can be put in document order. */
export interface LocatedError {
  readonly path: Path;
  readonly error: ButterError;
}

/**
 * Every problem as a ButterError with its key path. A key missing beside an unknown one is left
 * out: it is almost always the same mistake (`sise:` for `size:`), and the unknown key's hint
 * names the right spelling.
 */
export function issuesToErrors(issues: readonly Issue[], ctx: IssueContext): LocatedError[] {
  const flat = issues.flatMap((i) => flattenUnion(i, []));
  const unknownIn = new Set(flat.filter((i) => i.code === 'unrecognized_keys').map((i) => formatKey(i.path)));
  const out: LocatedError[] = [];
  for (const issue of flat) {
    if (issue.code === 'unrecognized_keys') {
      // One issue per unknown key, each at its own path.
      for (const key of issue.keys) out.push({ path: [...issue.path, key], error: unknownKey(issue.path, key, ctx) });
      continue;
    }
    const error = issueToError(issue, ctx);
    if (error.code === BlueprintCodes.MISSING_KEY && unknownIn.has(formatKey(issue.path.slice(0, -1)))) continue;
    out.push({ path: issue.path, error });
  }
  return out;
}

/** All problems as one ButterError (see {@link ButterError.combine}), in document order. */
export function issuesToError(issues: readonly Issue[], ctx: IssueContext): ButterError {
  return combineLocated(issuesToErrors(issues, ctx), ctx.input, { file: ctx.file });
}

/**
 * Problems sorted in document order (the order of keys in `input`, which js-yaml builds in file
 * order; a missing key sorts after its section's present keys), each with its line when
 * `lineOf` knows it, combined into one error.
 */
export function combineLocated(found: readonly LocatedError[], input: unknown,
  where: { file?: string; lineOf?: (path: Path) => number | undefined }): ButterError {
  const keyed = found.map((f, n) => ({ ...f, n, order: documentOrder(input, f.path) }));
  keyed.sort((a, b) => compareOrder(a.order, b.order) || a.n - b.n);
  const errors = keyed.map(({ path, error }) => {
    const line = where.lineOf?.(path);
    return line && !error.line ? error.withLocation({ line }) : error;
  });
  return ButterError.combine(BlueprintCodes.INVALID, errors, {
    file: where.file,
    hint: 'fix each problem listed',
  });
}

/** The index of each segment of `path` among its parent's keys (Infinity once it is missing). */
function documentOrder(input: unknown, path: Path): number[] {
  const order: number[] = [];
  let v = input;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') {
      order.push(Infinity);
      continue;
    }
    const keys = Array.isArray(v) ? undefined : Object.keys(v);
    const index = keys ? keys.indexOf(String(seg)) : typeof seg === 'number' ? seg : -1;
    order.push(index < 0 ? Infinity : index);
    v = index < 0 ? undefined : (v as Record<PropertyKey, unknown>)[seg];
  }
  return order;
}

function compareOrder(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

/** `instance.disks[0].size` → `['instance', 'disks', 0, 'size']` (the inverse of formatKey). */
export function parseKey(key: string): PropertyKey[] {
  const out: PropertyKey[] = [];
  for (const m of key.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

/** `['instance', 'disks', 0, 'size']` → `instance.disks[0].size`. */
export function formatKey(path: Path): string {
  return path
    .map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : `${i === 0 ? '' : '.'}${cut(String(seg))}`))
    .join('');
}

/**
 * The closest candidate to `word`, if close enough to be a plausible typo: same letters ignoring
 * case, `_` and `-` (`publicIp`, `public-ip`), or a small edit distance.
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
  const squashed = squash(word);
  const same = candidates.find((c) => squash(c) === squashed);
  if (same) return same;
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  const lower = word.toLowerCase();
  for (const c of candidates) {
    const other = c.toLowerCase();
    // The distance is at least the difference in length: a long untrusted value is never
    // compared letter by letter with a short name it cannot be a typo of.
    if (Math.abs(lower.length - other.length) >= bestDistance) continue;
    const d = editDistance(lower, other);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}


// ---------------------------------------------------------------- one issue

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (`key: value` lines)',
  record: 'a mapping (`key: value` lines)',
  array: 'a list (`- item` lines)',
};

function issueToError(issue: Issue, ctx: IssueContext): ButterError {
  const { file, input, schema } = ctx;
  const path = issue.path;
  const value = valueAt(input, path);
  // A bad mapping key (`vars: {1a: ...}`) is documented by its mapping, not by its value.
  const d = docAt(schema, issue.code === 'invalid_key' ? path.slice(0, -1) : path);
  const example = d.example ? `write it like \`${d.example}\`` : undefined;
  const withAdvice = (hint?: string) => [hint, d.advice].filter(Boolean).join('; ') || undefined;
  const err = (code: string, problem: string, hint?: string, at: Path = path) =>
    new ButterError(code, problem, { file, key: at.length ? formatKey(at) : undefined, hint: withAdvice(hint) });

  switch (issue.code) {
    case 'unrecognized_keys':
      return unknownKey(path, issue.keys[0], ctx);
    case 'invalid_type': {
      const leaf = String(path[path.length - 1] ?? 'value');
      if (value === undefined) {
        return err(BlueprintCodes.MISSING_KEY, `missing required key \`${leaf}\``, d.example ? `add \`${d.example}\`` : `add \`${leaf}:\``);
      }
      const expects = d.expects ?? EXPECTED[issue.expected] ?? String(issue.expected);
      if (typeof value === 'number' && !Number.isFinite(value)) {
        return err(BlueprintCodes.INVALID_VALUE, `expected ${expects}, got ${value} (YAML's .inf or .nan)`, example);
      }
      if (value === null) {
        const fill = example ?? (issue.expected === 'object' ? `put its keys under it, indented, or delete the empty \`${leaf}:\` line` : undefined);
        return err(BlueprintCodes.INVALID_VALUE, `has no value; expected ${expects}`, fill);
      }
      const yesNo = issue.expected === 'boolean' && typeof value === 'string' && /^(y|n|yes|no|on|off)$/i.test(value);
      const hint = yesNo ? `write \`true\` or \`false\` (\`${value}\` is text in YAML 1.2, not a boolean)` : example;
      return err(BlueprintCodes.INVALID_VALUE, `expected ${expects}, got ${describeValue(value)}`, hint);
    }
    case 'invalid_union':
      return err(BlueprintCodes.INVALID_VALUE, `expected ${d.expects ?? 'a different kind of value'}, got ${describeValue(value)}`, example);
    case 'invalid_value': {
      const options = issue.values.map(String);
      const close = typeof value === 'string' ? suggest(value, options) : undefined;
      return err(
        BlueprintCodes.INVALID_VALUE,
        `${describeValue(value)} is not one of: ${options.join(', ')}`,
        close ? `did you mean \`${close}\`?` : `use one of: ${options.join(', ')}`,
      );
    }
    case 'too_small':
    case 'too_big':
      return err(BlueprintCodes.INVALID_VALUE, rangeProblem(issue, value), example);
    case 'invalid_key': {
      const name = String(path[path.length - 1]);
      return err(BlueprintCodes.INVALID_VALUE, `\`${cut(name)}\` is not a valid ${d.keyName ?? 'name'}`);
    }
    case 'custom': {
      const p = issue.params as CustomProblem | undefined;
      if (p?.code) {
        return new ButterError(p.code, p.problem, { file, key: path.length ? formatKey(path) : undefined, hint: p.hint });
      }
      return err(BlueprintCodes.INVALID_VALUE, `${describeValue(value)} is not valid here`, example);
    }
    default:
      return err(BlueprintCodes.INVALID_VALUE, `${describeValue(value)} is not valid here`, example);
  }
}

function rangeProblem(issue: $ZodIssueTooSmall | $ZodIssueTooBig, value: unknown): string {
  const small = issue.code === 'too_small';
  const limit = small ? (issue as $ZodIssueTooSmall).minimum : (issue as $ZodIssueTooBig).maximum;
  if (issue.origin === 'string') return small ? 'must not be empty' : `must be at most ${limit} characters`;
  if (issue.origin === 'array') return `needs ${small ? 'at least' : 'at most'} ${limit} entries`;
  const bound = small ? (issue.inclusive ? 'at least' : 'more than') : issue.inclusive ? 'at most' : 'less than';
  return `must be ${bound} ${limit}, got ${describeValue(value)}`;
}

// ---------------------------------------------------------------- unknown keys

function unknownKey(parent: Path, fullKey: string, ctx: IssueContext): ButterError {
  const { file, schema, otherSchema, kind } = ctx;
  const key = cut(fullKey);
  const at = [...parent, key];
  const where = { file, key: formatKey(at) };
  const known = keysAt(schema, parent) ?? [];
  const section = parent.length ? `\`${formatKey(parent)}\`` : `a ${kind} blueprint`;

  if (schemaAt(otherSchema, at)) {
    const [self, other] = kind === 'service' ? ['Service', 'Network'] : ['Network', 'Service'];
    const hint =
      kind === 'service'
        ? 'network-wide settings go in the blueprint given to the Network; a Service blueprint\'s `network` section only takes subnetwork_max_instance_count'
        : 'this file is read as a Network blueprint, which only has network.legacy_network_size_bits, network.allowed_private_cidr and network.nat; give service settings to a Service';
    return new ButterError(BlueprintCodes.UNKNOWN_KEY, `\`${formatKey(at)}\` is a ${other} blueprint setting, not a ${self} one`, { ...where, hint });
  }
  const close = suggest(key, known);
  if (close) {
    return new ButterError(BlueprintCodes.UNKNOWN_KEY, `unknown key \`${key}\``, { ...where, hint: `did you mean \`${close}\`?` });
  }
  const elsewhere = keyPaths(schema).filter((p) => p[p.length - 1] === key);
  if (elsewhere.length) {
    const places = elsewhere.slice(0, 3).map((p) => `\`${p.join('.')}\``).join(' or ');
    return new ButterError(BlueprintCodes.UNKNOWN_KEY, `\`${key}\` does not belong in ${section}`, { ...where, hint: `move it: it is ${places}` });
  }
  const accepts = known.length ? `${section} accepts: ${known.join(', ')}` : `remove \`${key}\``;
  return new ButterError(BlueprintCodes.UNKNOWN_KEY, `unknown key \`${key}\``, { ...where, hint: accepts });
}

// ---------------------------------------------------------------- unions

/**
 * A union that failed because the value matched one branch's *type* but broke a rule inside it
 * (e.g. a per-cloud `type:` mapping with an unknown cloud) is reported as that branch's issues.
 * Only when no branch matched the type is the union itself reported ("expected X or Y").
 */
function flattenUnion(issue: Issue, prefix: Path): Issue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length) {
    const typeMatched = issue.errors.filter((branch) => !branch.every((i) => i.code === 'invalid_type' && i.path.length === 0));
    if (typeMatched.length === 1) return typeMatched[0].flatMap((i) => flattenUnion(i, path));
  }
  return [{ ...issue, path } as Issue];
}

// ---------------------------------------------------------------- walking the schema

interface Def {
  readonly type: string;
  readonly innerType?: Schema;
  readonly in?: Schema;
  readonly element?: Schema;
  readonly shape?: Readonly<Record<string, Schema>>;
  readonly valueType?: Schema;
  readonly options?: readonly Schema[];
}

const def = (s: Schema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** `s` and every schema it wraps (optional, nullable, default, transform...), outermost first. */
function layers(s: Schema): Schema[] {
  const out = [s];
  for (let d = def(s); ; d = def(out[out.length - 1])) {
    const inner = d.innerType ?? (d.type === 'pipe' ? d.in : undefined);
    if (!inner) return out;
    out.push(inner);
  }
}

function child(s: Schema, seg: PropertyKey): Schema | undefined {
  for (const layer of layers(s)) {
    const d = def(layer);
    if (d.type === 'object' && typeof seg === 'string') return Object.hasOwn(d.shape!, seg) ? d.shape![seg] : undefined;
    if (d.type === 'array' && typeof seg === 'number') return d.element;
    if (d.type === 'record') return d.valueType;
    if (d.type === 'union') {
      for (const o of d.options!) {
        const c = child(o, seg);
        if (c) return c;
      }
    }
  }
  return undefined;
}

function schemaAt(root: Schema, path: Path): Schema | undefined {
  let s: Schema | undefined = root;
  for (const seg of path) s = s && child(s, seg);
  return s;
}

function docAt(root: Schema, path: Path): KeyDoc {
  const s = schemaAt(root, path);
  if (!s) return {};
  return Object.assign({}, ...layers(s).map((l) => keyDocs.get(l) ?? {}).reverse());
}

/** Keys of the mapping at `path` (through unions: the first mapping branch). */
function keysAt(root: Schema, path: Path): string[] | undefined {
  const s = schemaAt(root, path);
  if (!s) return undefined;
  const objectIn = (x: Schema): string[] | undefined => {
    for (const layer of layers(x)) {
      const d = def(layer);
      if (d.type === 'object') return Object.keys(d.shape!);
      if (d.type === 'union') return d.options!.map(objectIn).find(Boolean);
    }
    return undefined;
  };
  return objectIn(s);
}

/** Every key path in the schema, lists as `[]` and free-form names as `<NAME>`. */
function keyPaths(root: Schema, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const layer of layers(root)) {
    const d = def(layer);
    if (d.type === 'object') {
      for (const [k, v] of Object.entries(d.shape!)) {
        out.push([...prefix, k], ...keyPaths(v, [...prefix, k]));
      }
    } else if (d.type === 'array') {
      const last = prefix.length - 1;
      out.push(...keyPaths(d.element!, [...prefix.slice(0, last), `${prefix[last]}[]`]));
    } else if (d.type === 'record') {
      out.push(...keyPaths(d.valueType!, [...prefix, '<NAME>']));
    } else if (d.type === 'union') {
      d.options!.forEach((o) => out.push(...keyPaths(o, prefix)));
    }
  }
  return out;
}

function valueAt(input: unknown, path: Path): unknown {
  let v = input;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}
