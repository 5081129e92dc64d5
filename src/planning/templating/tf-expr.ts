/**
 * Terraform expressions as the template compiler builds them: code plus just enough type
 * information to translate jinja semantics (truthiness, printing, `+`) faithfully.
 */
import { DeployTimeValue, isPlainObject } from './deploy-time';
import { isSafeString } from './render';
import { hclString } from './terraform-text';

/** What the compiler knows about an expression's Terraform type (`null`: the literal null). */
export type TfType = 'string' | 'number' | 'bool' | 'list' | 'map' | 'any' | 'null';

/** A compiled Terraform expression. */
export interface TfExpr {
  /** HCL expression source, without `${}`. */
  readonly code: string;
  readonly type: TfType;
  /** True if `code` can be used as an operand without parentheses. */
  readonly atomic: boolean;
  /** For lists: the elements' type, when known (`range()` gives numbers). */
  readonly elementType?: TfType;
}

/** Build a TfExpr. */
export function tf(code: string, type: TfType, atomic = false, elementType?: TfType): TfExpr {
  return { code, type, atomic, elementType };
}

/** `code`, parenthesised unless it is atomic, for use as an operand. */
export function operand(e: TfExpr): string {
  return e.atomic ? e.code : `(${e.code})`;
}

/** The type of two expressions that may each be the result (of a conditional, of `or`). */
export function unify(a: TfType, b: TfType): TfType {
  if (a === b) return a;
  if (a === 'null') return b;
  if (b === 'null') return a;
  return 'any';
}

/**
 * A Terraform boolean that is true exactly when nunjucks would consider the value true. nunjucks
 * uses JavaScript truthiness: `""`, `0`, `null` and `false` are false, and *every* list and map,
 * even an empty one, is true (unlike Python jinja2).
 */
export function truthy(e: TfExpr): TfExpr {
  const x = operand(e);
  switch (e.type) {
    case 'bool':
      return e;
    case 'string':
      return tf(`${x} != ""`, 'bool');
    case 'number':
      return tf(`${x} != 0`, 'bool');
    case 'list':
    case 'map':
      return tf(`${x} != null`, 'bool');
    case 'null':
      return tf('false', 'bool', true);
    case 'any':
      // Terraform's == and != never convert types (1 != "1"), so each comparison is only
      // "active" for a value of the matching type: this is false for false, "", 0 and null only.
      return tf(`${x} == true || (${x} != false && ${x} != "" && ${x} != 0 && ${x} != null)`, 'bool');
  }
}

/** Negation of a boolean expression. */
export function not(e: TfExpr): TfExpr {
  if (e.code === 'true') return tf('false', 'bool', true);
  if (e.code === 'false') return tf('true', 'bool', true);
  return tf(`!${operand(e)}`, 'bool');
}

/**
 * `e` as text the way nunjucks prints it: lists are joined with commas (JavaScript's
 * Array#toString). Returns undefined for maps, which nunjucks prints as `[object Object]`.
 */
export function asText(e: TfExpr): string | undefined {
  if (e.type === 'map') return undefined;
  if (e.type === 'list') return `join(",", ${e.code})`;
  return e.code;
}

/** True for expressions that are a plain reference (`var.x`, `data.a.b[0]`), i.e. atomic. */
export function isReference(code: string): boolean {
  return /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*|\.\d+|\[[^\[\]]*\])*$/.test(code.trim());
}

/**
 * A static JavaScript value as a Terraform literal (strings quoted and escaped, arrays as tuples,
 * plain objects as objects, undefined as null), or undefined if it has no Terraform form
 * (functions, NaN, class instances).
 */
export function tfLiteral(value: unknown): TfExpr | undefined {
  return toTf(value, () => undefined);
}

/**
 * A template variable's value as a Terraform expression: like {@link tfLiteral}, except that
 * {@link DeployTimeValue}s (also inside arrays and objects) become their expressions.
 */
export function tfVariable(value: unknown): TfExpr | undefined {
  return toTf(value, (v) =>
    v instanceof DeployTimeValue ? tf(v.expression.trim(), v.type, isReference(v.expression)) : undefined,
  );
}

function toTf(value: unknown, special: (v: unknown) => TfExpr | undefined): TfExpr | undefined {
  const s = special(value);
  if (s) return s;
  if (value === undefined || value === null) return tf('null', 'null', true);
  if (typeof value === 'string') return tf(hclString(value), 'string', true);
  if (isSafeString(value)) return tf(hclString(String(value)), 'string', true);
  if (typeof value === 'boolean') return tf(String(value), 'bool', true);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    return tf(String(value), 'number', value >= 0);
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => toTf(v, special));
    if (items.some((i) => i === undefined)) return undefined;
    const defined = items as TfExpr[];
    const element = defined.reduce<TfType | undefined>(
      (t, i) => (t === undefined ? i.type : unify(t, i.type)),
      undefined,
    );
    return tf(`[${defined.map((i) => i.code).join(', ')}]`, 'list', true, element);
  }
  if (isPlainObject(value)) {
    const entries: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      const item = toTf(v, special);
      if (!item) return undefined;
      entries.push(`${hclString(k)} = ${item.code}`);
    }
    return tf(entries.length ? `{ ${entries.join(', ')} }` : '{}', 'map', true);
  }
  return undefined;
}

/**
 * An HCL quoted template (`"web-${i}"`) from literal text and expressions. Used for string
 * concatenation, which Terraform's `+` does not do.
 */
export function quotedTemplate(parts: ReadonlyArray<{ text: string } | { code: string }>): TfExpr {
  let out = '';
  let pending = '';
  const flush = (beforeCode: boolean) => {
    // As in TerraformTemplateBuilder: text ending in `$`/`%` must not fuse with a following `${`.
    const run = beforeCode ? /[$%]+$/.exec(pending) : null;
    const head = run ? pending.slice(0, run.index) : pending;
    out += escapeQuoted(head);
    if (run) out += `\${${hclString(run[0])}}`;
    pending = '';
  };
  for (const p of parts) {
    if ('text' in p) pending += p.text;
    else {
      flush(true);
      out += `\${${p.code}}`;
    }
  }
  flush(false);
  return tf(`"${out}"`, 'string', true);
}

/** Text escaped for the inside of an HCL quoted string. */
function escapeQuoted(text: string): string {
  return text ? hclString(text).slice(1, -1) : '';
}
