/**
 * Compiles nunjucks *expressions* to Terraform expressions.
 *
 * Any sub-expression that reads only static values is evaluated by nunjucks itself and inlined as
 * a Terraform literal, so static parts keep nunjucks' exact semantics (and may use any filter).
 * Only the parts touching deploy-time values are translated, operator by operator, into the
 * Terraform expression with the same result.
 */
import { ButterError } from '../../errors';
import { Frame } from './compile-scope';
import { sandboxError } from './sandbox';
import { forbiddenNameReason } from './sandbox-names';
import { compileFilter } from './compile-filters';
import { compileTest } from './compile-tests';
import { forEachReference, NjNode, symbolName, walkNodes } from './nunjucks-ast';
import { evaluateExpression } from './render';
import { TemplateOrigin, unsupportedForDeployTime } from './template-errors';
import { asText, not, operand, quotedTemplate, tf, TfExpr, tfLiteral, truthy, unify } from './tf-expr';
import { hclString } from './terraform-text';

const COMPARE_OPS: Readonly<Record<string, string>> = {
  '==': '==',
  '===': '==',
  '!=': '!=',
  '!==': '!=',
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
};

/** Translates expressions; one per template compilation. */
export class ExpressionCompiler {
  constructor(readonly origin: TemplateOrigin) {}

  /** True if `node` reads no deploy-time value (so nunjucks can evaluate it now). */
  public isStatic(node: NjNode, frame: Frame): boolean {
    let dynamic = false;
    forEachReference(node, (sym) => {
      const b = frame.lookup(symbolName(sym));
      if (b && b.kind !== 'static') dynamic = true;
    });
    return !dynamic;
  }

  /** Evaluate a static expression with nunjucks. */
  public evaluate(node: NjNode, frame: Frame): unknown {
    return evaluateExpression(node, frame.staticValues(), this.origin);
  }

  /** The error for something the compiler cannot translate. */
  public unsupported(node: NjNode, why: string, what?: string): ButterError {
    return unsupportedForDeployTime(node, this.origin, why, what);
  }

  /** A static value as a Terraform literal. */
  public literal(value: unknown, node: NjNode): TfExpr {
    const lit = tfLiteral(value);
    if (!lit) throw this.unsupported(node, `its value (${String(value)}) has no Terraform literal form`);
    return lit;
  }

  /** Compile an expression used as a value. */
  public expr(node: NjNode, frame: Frame): TfExpr {
    if (this.isStatic(node, frame)) return this.literal(this.evaluate(node, frame), node);
    switch (node.typename) {
      case 'Symbol': {
        const b = frame.lookup(symbolName(node));
        if (b?.kind === 'dynamic') return b.expr;
        throw this.unsupported(
          node,
          'inside a loop Terraform runs, only loop.index, loop.index0, loop.revindex, loop.revindex0, loop.first, loop.last and loop.length are available',
          '`loop`',
        );
      }
      case 'LookupVal':
        return this.lookup(node, frame);
      case 'Group':
        if (node.children.length !== 1)
          throw this.unsupported(node, 'only single parenthesised expressions are supported');
        return this.expr(node.children[0], frame);
      case 'Array': {
        const items = node.children.map((c) => this.expr(c, frame));
        const element = items.reduce<TfExpr['type'] | undefined>((t, i) => (t ? unify(t, i.type) : i.type), undefined);
        return tf(`[${items.map((i) => i.code).join(', ')}]`, 'list', true, element);
      }
      case 'Dict':
        return this.dict(node, frame);
      case 'InlineIf': {
        const cond = this.condition(node.cond, frame);
        const yes = this.expr(node.body, frame);
        // `a if c` without else yields undefined in nunjucks, which fails when printed, like null.
        const no = node.else_ ? this.expr(node.else_, frame) : tf('null', 'null', true);
        return tf(`${operand(cond)} ? ${operand(yes)} : ${operand(no)}`, unify(yes.type, no.type));
      }
      case 'Or':
      case 'And':
        return this.logicValue(node, frame);
      case 'Not':
      case 'Compare':
      case 'In':
      case 'Is':
        return this.condition(node, frame);
      case 'Add': {
        // JavaScript's + concatenates as soon as one side is a string; Terraform's only adds.
        if (this.isStringAddition(node, frame)) return this.concat(node, frame);
        return tf(`${operand(this.expr(node.left, frame))} + ${operand(this.expr(node.right, frame))}`, 'number');
      }
      case 'Concat':
        return this.concat(node, frame);
      case 'Sub':
      case 'Mul':
      case 'Div':
      case 'Mod': {
        const op = { Sub: '-', Mul: '*', Div: '/', Mod: '%' }[node.typename as 'Sub' | 'Mul' | 'Div' | 'Mod'];
        return tf(`${operand(this.expr(node.left, frame))} ${op} ${operand(this.expr(node.right, frame))}`, 'number');
      }
      case 'FloorDiv':
        return tf(
          `floor(${this.expr(node.left, frame).code} / ${operand(this.expr(node.right, frame))})`,
          'number',
          true,
        );
      case 'Pow':
        return tf(`pow(${this.expr(node.left, frame).code}, ${this.expr(node.right, frame).code})`, 'number', true);
      case 'Neg':
        return tf(`-${operand(this.expr(node.target, frame))}`, 'number');
      case 'Pos':
        return this.expr(node.target, frame);
      case 'Filter':
        return compileFilter(this, node, frame);
      case 'FunCall':
        return this.call(node, frame);
      default:
        throw this.unsupported(node, 'it has no Terraform equivalent');
    }
  }

  /**
   * Compile an expression used as a condition (`{% if %}`, `and`, `not`): a Terraform bool that
   * is true exactly when nunjucks' JavaScript truthiness says so.
   */
  public condition(node: NjNode, frame: Frame): TfExpr {
    if (this.isStatic(node, frame)) return tf(this.evaluate(node, frame) ? 'true' : 'false', 'bool', true);
    switch (node.typename) {
      case 'And':
      case 'Or': {
        const a = this.condition(node.left, frame);
        const b = this.condition(node.right, frame);
        const and = node.typename === 'And';
        // A static side decides or drops out: `x and true` is `x`, `x or true` is `true`.
        if (a.code === 'true' || a.code === 'false') return (a.code === 'true') === and ? b : a;
        if (b.code === 'true' || b.code === 'false') return (b.code === 'true') === and ? a : b;
        // Terraform evaluates both sides of && and ||; nunjucks stops early. When the right side
        // could fail (a lookup or a filter on a missing value), use a conditional, which only
        // evaluates the branch it picks.
        if (mayFail(node.right)) {
          return node.typename === 'And'
            ? tf(`${operand(a)} ? ${operand(b)} : false`, 'bool')
            : tf(`${operand(a)} ? true : ${operand(b)}`, 'bool');
        }
        return tf(`${operand(a)} ${node.typename === 'And' ? '&&' : '||'} ${operand(b)}`, 'bool');
      }
      case 'Not':
        return not(this.condition(node.target, frame));
      case 'Compare': {
        if (node.ops.length !== 1) {
          throw this.unsupported(node, 'nunjucks evaluates `a < b < c` as `(a < b) < c`; write `a < b and b < c`');
        }
        const op = COMPARE_OPS[node.ops[0].type];
        if (!op) throw this.unsupported(node, `unknown operator ${node.ops[0].type}`);
        const a = this.expr(node.expr, frame);
        const b = this.expr(node.ops[0].expr, frame);
        return tf(`${operand(a)} ${op} ${operand(b)}`, 'bool');
      }
      case 'In': {
        const needle = this.expr(node.left, frame);
        const haystack = this.expr(node.right, frame);
        if (haystack.type === 'string') return tf(`strcontains(${haystack.code}, ${needle.code})`, 'bool', true);
        if (haystack.type === 'map') return tf(`contains(keys(${haystack.code}), ${needle.code})`, 'bool', true);
        return tf(`contains(${haystack.code}, ${needle.code})`, 'bool', true);
      }
      case 'Is':
        return compileTest(this, node, frame);
      default:
        return truthy(this.expr(node, frame));
    }
  }

  /** `a ~ b` (or `+` with a string): a quoted Terraform template of both, as text. */
  private concat(node: NjNode, frame: Frame): TfExpr {
    return quotedTemplate(this.textParts(node, frame));
  }

  /**
   * A string concatenation as literal text and Terraform expressions (in order), or undefined if
   * `node` is not one. Lets `{{ "web-" ~ ip }}` become `web-${ip}` rather than `${"web-${ip}"}`.
   */
  public concatenationParts(node: NjNode, frame: Frame): Array<{ text: string } | { code: string }> | undefined {
    const concatenates = node.typename === 'Concat' || (node.typename === 'Add' && this.isStringAddition(node, frame));
    return concatenates && !this.isStatic(node, frame) ? this.textParts(node, frame) : undefined;
  }

  private textParts(node: NjNode, frame: Frame): Array<{ text: string } | { code: string }> {
    const parts: Array<{ text: string } | { code: string }> = [];
    const add = (n: NjNode) => {
      if (this.isStatic(n, frame)) {
        // JavaScript string conversion, as nunjucks does it: null -> "null", [1,2] -> "1,2".
        parts.push({ text: String(this.evaluate(n, frame)) });
      } else if (n.typename === 'Concat' || (n.typename === 'Add' && this.isStringAddition(n, frame))) {
        // Flatten `a ~ b ~ c` into one template rather than nesting quoted templates.
        add(n.left);
        add(n.right);
      } else {
        const text = asText(this.expr(n, frame));
        if (text === undefined) {
          throw this.unsupported(n, 'nunjucks would print a map as "[object Object]"', 'joining a map into text');
        }
        parts.push({ code: text });
      }
    };
    add(node.left);
    add(node.right);
    return parts;
  }

  /** True if `a + b` concatenates (one side is a string), as JavaScript's + does. */
  private isStringAddition(node: NjNode, frame: Frame): boolean {
    return this.expr(node.left, frame).type === 'string' || this.expr(node.right, frame).type === 'string';
  }

  /** `a or b` / `a and b` used as a value: nunjucks returns one of the operands, not a bool. */
  private logicValue(node: NjNode, frame: Frame): TfExpr {
    const a = this.expr(node.left, frame);
    const b = this.expr(node.right, frame);
    if (a.type === 'bool' && b.type === 'bool') return this.condition(node, frame);
    const test = truthy(a);
    return node.typename === 'Or'
      ? tf(`${operand(test)} ? ${operand(a)} : ${operand(b)}`, unify(a.type, b.type))
      : tf(`${operand(test)} ? ${operand(b)} : ${operand(a)}`, unify(a.type, b.type));
  }

  /** `x.key`, `x[i]`, and `loop.index` & co inside a Terraform loop. */
  private lookup(node: NjNode, frame: Frame): TfExpr {
    if (node.target.typename === 'Symbol') {
      const b = frame.lookup(symbolName(node.target));
      if (b?.kind === 'loop') {
        const key = this.isStatic(node.val, frame) ? this.evaluate(node.val, frame) : undefined;
        const len = b.length;
        const i = b.index;
        switch (key) {
          case 'index':
            return tf(`${i} + 1`, 'number');
          case 'index0':
            return tf(i, 'number', true);
          case 'revindex':
            return tf(`${len} - ${i}`, 'number');
          case 'revindex0':
            return tf(`${len} - ${i} - 1`, 'number');
          case 'first':
            return tf(`${i} == 0`, 'bool');
          case 'last':
            return tf(`${i} == ${len} - 1`, 'bool');
          case 'length':
            return tf(len, 'number', true);
          default:
            throw this.unsupported(
              node,
              'inside a loop Terraform runs, only loop.index, loop.index0, loop.revindex, loop.revindex0, loop.first, loop.last and loop.length are available',
              `loop.${String(key ?? '[...]')}`,
            );
        }
      }
    }
    const target = operand(this.expr(node.target, frame));
    if (this.isStatic(node.val, frame)) {
      const key = this.evaluate(node.val, frame);
      // The sandbox's rule holds here too, although Terraform has no prototype to reach: a
      // template must not depend on which of the two paths it takes.
      const why = typeof key === 'string' ? forbiddenNameReason(key) : undefined;
      if (why) throw sandboxError(`the template reads ".${String(key)}": ${why}`, this.origin, node);
      if (typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return tf(`${target}.${key}`, 'any', true);
      if (typeof key === 'number' && Number.isInteger(key) && key >= 0) return tf(`${target}[${key}]`, 'any', true);
      return tf(`${target}[${this.literal(key, node.val).code}]`, 'any', true);
    }
    return tf(`${target}[${this.expr(node.val, frame).code}]`, 'any', true);
  }

  /** `{ a: x, "b": y }` as a Terraform object. */
  private dict(node: NjNode, frame: Frame): TfExpr {
    const entries = node.children.map((pair) => {
      let key: string;
      if (pair.key.typename === 'Symbol') key = hclString(symbolName(pair.key));
      else if (this.isStatic(pair.key, frame)) key = hclString(String(this.evaluate(pair.key, frame)));
      else key = `(${this.expr(pair.key, frame).code})`;
      return `${key} = ${this.expr(pair.value as NjNode, frame).code}`;
    });
    return tf(entries.length ? `{ ${entries.join(', ')} }` : '{}', 'map', true);
  }

  /** Function calls: only the `range()` global has a Terraform twin. */
  private call(node: NjNode, frame: Frame): TfExpr {
    const isRange =
      node.name.typename === 'Symbol' && symbolName(node.name) === 'range' && frame.lookup('range') === undefined;
    if (!isRange) throw this.unsupported(node, 'only range() can be called in a template with deploy-time values');
    const args = node.args.children;
    if (args.length < 1 || args.length > 3 || args.some((a) => a.typename === 'KeywordArgs')) {
      throw this.unsupported(node, 'range() takes one to three positional arguments');
    }
    // Terraform's range(start, limit, step) matches nunjucks' (and Python's) range.
    return tf(`range(${args.map((a) => this.expr(a, frame).code).join(', ')})`, 'list', true, 'number');
  }
}

/** True if evaluating `node` in Terraform could fail where nunjucks would give undefined. */
function mayFail(node: NjNode): boolean {
  let risky = false;
  walkNodes(node, (n) => {
    if (n.typename === 'LookupVal' || n.typename === 'Filter' || n.typename === 'FunCall') risky = true;
  });
  return risky;
}
