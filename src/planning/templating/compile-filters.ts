/**
 * nunjucks filters applied to deploy-time values, as Terraform function calls. Each mapping
 * reproduces the nunjucks filter's behaviour (see nunjucks/src/filters.js), not Python jinja2's.
 */
import type { ExpressionCompiler } from './compile-expression';
import { Frame } from './compile-scope';
import { NjNode, symbolName } from './nunjucks-ast';
import { operand, quotedTemplate, tf, TfExpr, truthy, unify } from './tf-expr';
import { DEPLOY_TIME_FILTERS } from './supported';
import { hclString } from './terraform-text';

/** Compile `input | name(args...)` where something in it is only known at deploy time. */
export function compileFilter(c: ExpressionCompiler, node: NjNode, frame: Frame): TfExpr {
  const name = symbolName(node.name);
  const [input, ...args] = node.args.children;
  if (args.some((a) => a.typename === 'KeywordArgs')) {
    throw c.unsupported(node, 'keyword arguments to filters are not supported with deploy-time values');
  }
  const value = () => c.expr(input, frame);
  /** A filter argument that must be static (it changes which Terraform we emit). */
  const staticArg = (i: number, role: string): unknown => {
    const arg = args[i];
    if (!arg) return undefined;
    if (!c.isStatic(arg, frame))
      throw c.unsupported(node, `its ${role} argument must not depend on deploy-time values`);
    return c.evaluate(arg, frame);
  };

  switch (name) {
    case 'safe':
      // With autoescaping off, "safe" changes nothing.
      return value();
    case 'join': {
      const attr = staticArg(1, 'attribute');
      // nunjucks: del = del || ''
      let sep = '""';
      if (args[0] && c.isStatic(args[0], frame)) sep = hclString(String(c.evaluate(args[0], frame) || ''));
      else if (args[0]) sep = c.expr(args[0], frame).code;
      let list = value().code;
      if (attr) list = `[for item in ${list} : item[${hclString(String(attr))}]]`;
      return tf(`join(${sep}, ${list})`, 'string', true);
    }
    case 'length':
      return tf(`length(${value().code})`, 'number', true);
    case 'upper':
    case 'lower':
      return tf(`${name}(${value().code})`, 'string', true);
    case 'trim':
      return tf(`trimspace(${value().code})`, 'string', true);
    case 'default':
    case 'd':
      return compileDefault(c, node, frame, input, args);
    case 'replace':
      return compileReplace(c, node, frame, value(), args, staticArg);
    case 'first': {
      const v = value();
      return v.type === 'string'
        ? tf(`substr(${v.code}, 0, 1)`, 'string', true)
        : tf(`${operand(v)}[0]`, v.elementType ?? 'any', true);
    }
    case 'last': {
      const v = value();
      return v.type === 'string'
        ? tf(`substr(${v.code}, -1, 1)`, 'string', true)
        : tf(`${operand(v)}[length(${v.code}) - 1]`, v.elementType ?? 'any', true);
    }
    case 'indent':
      return compileIndent(c, node, frame, value(), args, staticArg);
    case 'reverse': {
      const v = value();
      if (v.type === 'string') throw c.unsupported(node, 'reversing a string has no Terraform equivalent');
      return tf(`reverse(${v.code})`, 'list', true, v.elementType);
    }
    case 'abs':
      return tf(`abs(${value().code})`, 'number', true);
    default:
      throw c.unsupported(node, `it has no Terraform equivalent (supported: ${DEPLOY_TIME_FILTERS.join(', ')})`);
  }
}

/**
 * `x | default(d)` is `d` only when `x` is undefined; `x | default(d, true)` when `x` is falsy.
 * A deploy-time variable is never undefined, but a key looked up in one may be missing.
 */
function compileDefault(c: ExpressionCompiler, node: NjNode, frame: Frame, input: NjNode, args: NjNode[]): TfExpr {
  const fallback = args[0] ? c.expr(args[0], frame) : tf('null', 'null', true);
  const boolean = args[1] ? (c.isStatic(args[1], frame) ? !!c.evaluate(args[1], frame) : undefined) : false;
  if (boolean === undefined) throw c.unsupported(node, 'its second argument must not depend on deploy-time values');
  if (c.isStatic(input, frame)) {
    const v = c.evaluate(input, frame);
    const useFallback = boolean ? !v : v === undefined;
    return useFallback ? fallback : c.literal(v, input);
  }
  const v = c.expr(input, frame);
  if (boolean) return tf(`${operand(truthy(v))} ? ${operand(v)} : ${operand(fallback)}`, unify(v.type, fallback.type));
  if (input.typename === 'LookupVal') return tf(`try(${v.code}, ${fallback.code})`, unify(v.type, fallback.type), true);
  return v;
}

/** `s | replace(old, new)`: every occurrence, literally (nunjucks never treats `old` as a regex). */
function compileReplace(
  c: ExpressionCompiler,
  node: NjNode,
  frame: Frame,
  subject: TfExpr,
  args: NjNode[],
  staticArg: (i: number, role: string) => unknown,
): TfExpr {
  const count = staticArg(2, 'count');
  if (count !== undefined && count !== -1) {
    throw c.unsupported(node, 'a replacement count has no Terraform equivalent');
  }
  if (!args[0] || !args[1]) throw c.unsupported(node, 'replace needs the text to find and its replacement');
  let replacement = c.expr(args[1], frame).code;
  let search: string;
  if (c.isStatic(args[0], frame)) {
    const old = c.evaluate(args[0], frame);
    if (typeof old !== 'string' && typeof old !== 'number') {
      throw c.unsupported(node, 'only plain text can be searched for');
    }
    const text = String(old);
    if (text === '') throw c.unsupported(node, 'replacing the empty string has no Terraform equivalent');
    if (text.length >= 2 && text.startsWith('/') && text.endsWith('/')) {
      // Terraform's replace() treats "/.../" as a regular expression; keep it literal by
      // escaping it as one, and escape `$` in the replacement, which a regex replacement expands.
      search = hclString(`/${text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')}/`);
      replacement = `replace(${replacement}, "$", "$$")`;
    } else {
      search = hclString(text);
    }
  } else {
    search = c.expr(args[0], frame).code;
  }
  return tf(`replace(${subject.code}, ${search}, ${replacement})`, 'string', true);
}

/** `s | indent(width, first)`: Terraform's indent() indents all lines but the first, as nunjucks. */
function compileIndent(
  c: ExpressionCompiler,
  node: NjNode,
  frame: Frame,
  subject: TfExpr,
  args: NjNode[],
  staticArg: (i: number, role: string) => unknown,
): TfExpr {
  const indentFirst = !!staticArg(1, 'indent-first');
  let width: string;
  let pad: string | undefined;
  if (!args[0] || c.isStatic(args[0], frame)) {
    // nunjucks: width = width || 4
    const w = Number((args[0] && c.evaluate(args[0], frame)) || 4);
    width = String(w);
    pad = ' '.repeat(Math.max(0, w));
  } else {
    if (indentFirst) throw c.unsupported(node, 'with indent-first, the width must not depend on deploy-time values');
    width = c.expr(args[0], frame).code;
  }
  const indented = `indent(${width}, ${subject.code})`;
  if (!indentFirst) return tf(indented, 'string', true);
  // nunjucks returns "" for "" even when indenting the first line.
  const padded = quotedTemplate([{ text: pad ?? '' }, { code: indented }]);
  return tf(`${operand(subject)} == "" ? "" : ${padded.code}`, 'string');
}
