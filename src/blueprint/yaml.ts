/**
 * YAML from untrusted files, read with bounded time and memory, and with the line of every key.
 *
 * js-yaml caps syntactic nesting (`maxDepth`) but not aliases: `*a` is the anchored value
 * itself, not a copy, so an 890-byte "billion laughs" file parses instantly and explodes only
 * when something walks it (validation, rendering, JSON output). So after parsing, the value is
 * walked once as its consumers would see it, aliases expanded, and refused when it holds too
 * many values, too much text or nests too deep. The walk stops at the first limit, so it costs
 * at most the limits themselves.
 *
 * Lines come from js-yaml's `listener` events: each node opens and closes, a mapping's children
 * are its keys and values in document order and a sequence's children its items, so the line
 * of any key path can be found by walking that tree beside the value.
 */
import * as yaml from '../util/js-yaml';

/** Limits of one parsed YAML document. */
export const YAML_LIMITS = {
  /** Nesting of mappings and lists, as written or through aliases. Blueprints nest about 6 deep. */
  maxDepth: 32,
  /** Values (mappings, lists and scalars), counting an alias as a copy of what it names. */
  maxValues: 100_000,
  /** Characters of text (keys and strings), counting an alias as a copy. */
  maxChars: 4 * 1024 * 1024,
} as const;

/** Why a document could not be used, for the caller to word as its own error code. */
export interface YamlProblem {
  readonly problem: string;
  readonly hint: string;
  /** 1-based line, when known. */
  readonly line?: number;
}

/** A parsed document and where its keys are. */
export interface ParsedYaml {
  readonly value: unknown;
  /** 1-based line of the deepest node of `path` that exists, undefined when unknown. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

export type YamlSchema = yaml.Schema;

interface Frame {
  readonly line: number;
  result?: unknown;
  kind?: string | null;
  readonly children: Frame[];
}

const SYNTAX_HINT = 'indent with spaces (not tabs), put a space after `:`, and quote values containing `: ` or ` #`';

/** Parse `text`, or return the problem (never throws for bad input). */
export function parseYaml(text: string, options: { filename?: string; schema?: YamlSchema } = {}): ParsedYaml | YamlProblem {
  const root: Frame = { line: 0, children: [] };
  const stack: Frame[] = [root];
  let value: unknown;
  try {
    // `maxDepth` (js-yaml 4.1.1+) is missing from @types/js-yaml.
    value = yaml.load(text, <yaml.LoadOptions>{
      filename: options.filename,
      ...(options.schema && { schema: options.schema }),
      maxDepth: YAML_LIMITS.maxDepth,
      listener(event, state) {
        if (event === 'open') {
          const frame: Frame = { line: state.line, children: [] };
          stack[stack.length - 1].children.push(frame);
          stack.push(frame);
        } else {
          const frame = stack.pop()!;
          frame.result = state.result;
          frame.kind = state.kind;
        }
      },
    });
  } catch (e) {
    if (!(e instanceof yaml.YAMLException)) throw e;
    const line = e.mark ? e.mark.line + 1 : undefined;
    const at = e.mark ? ` at line ${line}, column ${e.mark.column + 1}` : '';
    if (/maxDepth/.test(e.reason)) {
      return { problem: `nests deeper than ${YAML_LIMITS.maxDepth} levels${line ? ` (line ${line})` : ''}`, hint: 'blueprints nest a few levels; flatten the structure', line };
    }
    return { problem: `YAML syntax error${at}: ${e.reason}`, hint: `fix the YAML${line ? ` around line ${line}` : ''}: ${SYNTAX_HINT}`, line };
  }
  const tooBig = checkExpandedSize(value);
  if (tooBig) return tooBig;
  const top = collapse(root.children[0]);
  return { value, lineOf: (path) => (top ? lineOf(top, path) : undefined) };
}

/** True when `parsed` is a problem rather than a document. */
export function isYamlProblem(parsed: ParsedYaml | YamlProblem): parsed is YamlProblem {
  return 'problem' in parsed;
}

// ---------------------------------------------------------------- expansion

function checkExpandedSize(value: unknown): YamlProblem | undefined {
  const aliasHint = 'aliases (`*name`) repeat what their anchor (`&name`) holds; do not nest them, and write the values out';
  let values = 0;
  let chars = 0;
  const work: Array<[unknown, number]> = [[value, 0]];
  while (work.length) {
    const [v, depth] = work.pop()!;
    if (++values > YAML_LIMITS.maxValues) return { problem: `expands to more than ${YAML_LIMITS.maxValues} values`, hint: aliasHint };
    if (depth > YAML_LIMITS.maxDepth) return { problem: `nests deeper than ${YAML_LIMITS.maxDepth} levels (through aliases)`, hint: aliasHint };
    if (typeof v === 'string') chars += v.length;
    else if (Array.isArray(v)) for (const item of v) work.push([item, depth + 1]);
    else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        chars += k.length;
        work.push([item, depth + 1]);
      }
    }
    if (chars > YAML_LIMITS.maxChars) return { problem: `expands to more than ${YAML_LIMITS.maxChars / 1024 / 1024} MiB of text`, hint: aliasHint };
  }
  return undefined;
}

// ---------------------------------------------------------------- lines

/** A node read through a wrapper (js-yaml composes list items and flow collections twice). */
function collapse(frame: Frame | undefined): Frame | undefined {
  let f = frame;
  while (f && f.children.length === 1 && Object.is(f.children[0].result, f.result)) f = f.children[0];
  return f;
}

function lineOf(top: Frame, path: readonly PropertyKey[]): number | undefined {
  let frame = top;
  let line = top.line;
  for (const seg of path) {
    const next = childFor(frame, seg);
    if (!next) break;
    line = next.keyLine;
    if (!next.value) break;
    frame = next.value;
  }
  return line + 1;
}

function childFor(frame: Frame, seg: PropertyKey): { keyLine: number; value?: Frame } | undefined {
  const children = frame.children.map((c) => collapse(c)!);
  if (frame.kind === 'sequence') {
    const item = typeof seg === 'number' ? children[seg] : undefined;
    return item && { keyLine: item.line, value: item };
  }
  if (frame.kind !== 'mapping' || frame.result === null || typeof frame.result !== 'object') return undefined;
  const result = frame.result as Record<string, unknown>;
  // Children alternate key and value, except a flow-mapping key without a value (`{a, b: 1}`).
  for (let i = 0; i < children.length; ) {
    const key = children[i];
    const value = children[i + 1];
    const paired = value !== undefined && Object.is(result[String(key.result)], value.result);
    if (String(key.result) === String(seg)) return { keyLine: key.line, value: paired ? value : undefined };
    i += paired ? 2 : 1;
  }
  return undefined;
}
