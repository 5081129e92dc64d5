/**
 * Compiles a nunjucks template whose variables include deploy-time values into a Terraform
 * template with the same output.
 *
 * The template is parsed with nunjucks' own parser, so the literal text in the AST is already
 * exactly what nunjucks would print, whitespace control (`{%-`, `-%}`) included: nunjucks applies
 * trimming to the text nodes while parsing. The compiler therefore emits that text verbatim
 * (escaped) and its directives without `~`; adding `~` would trim a second time.
 *
 * Statements are handled by what they depend on:
 * - anything reading only static values is rendered by nunjucks now and becomes literal text;
 * - `{% if %}` with a static condition keeps only the branch taken;
 * - `{% for %}` over a static list is unrolled (its body may still use deploy-time values);
 * - `{{ }}`, `{% if %}` and `{% for %}` on deploy-time values become `${}`, `%{ if }`, `%{ for }`;
 * - `{% set %}` binds a name to a static value or to a Terraform expression.
 */
import { ButterError } from '../../errors';
import { ExpressionCompiler } from './compile-expression';
import { Binding, Frame } from './compile-scope';
import { containsDeployTimeValue, DeployTimeValue, isPlainObject } from './deploy-time';
import { isNode, makeNode, NjNode, setBody, setValue, symbolName, walkNodes } from './nunjucks-ast';
import { parseChecked, renderNodes } from './render';
import { sandboxError } from './sandbox';
import { chargeLoopItems, SandboxViolation, withTemplateBudget } from './sandbox-runtime';
import { MAX_TEXT_LENGTH } from './sandbox-names';
import { TemplateOrigin } from './template-errors';
import { asText, tf, TfExpr, tfVariable } from './tf-expr';
import { TerraformTemplate, TerraformTemplateBuilder } from './terraform-text';

/** Node kinds a deploy-time template may not contain at all. */
const NEVER_SUPPORTED: Readonly<Record<string, string>> = {
  Macro: 'macros are not supported in templates with deploy-time values',
  Caller: 'macros are not supported in templates with deploy-time values',
  Include: 'a startup script must be self-contained',
  Import: 'a startup script must be self-contained',
  FromImport: 'a startup script must be self-contained',
  Extends: 'template inheritance is not supported',
  Block: 'template inheritance is not supported',
  Super: 'template inheritance is not supported',
  CallExtension: 'custom tags are not supported',
  CallExtensionAsync: 'custom tags are not supported',
};

/** Names Terraform gives a meaning of its own; loop variables must not shadow them. */
const TERRAFORM_ROOT_NAMES = ['var', 'local', 'data', 'module', 'path', 'terraform', 'count', 'each', 'self'];

/** A template made ready for Terraform JSON. */
export interface CompiledTemplate {
  /** Terraform template text: escaped literal text, plus `${}` / `%{}` where Terraform computes. */
  readonly text: TerraformTemplate;
  /** True if Terraform has work to do (the text contains interpolations or directives). */
  readonly deployTime: boolean;
}

/**
 * Compile `source` into a Terraform template. `vars` may hold {@link DeployTimeValue}s (also
 * inside arrays and plain objects); other values are static.
 */
export function compileToTerraform(
  source: string,
  vars: Readonly<Record<string, unknown>>,
  origin: TemplateOrigin,
): CompiledTemplate {
  const ast = parseChecked(source, vars, origin);
  const exprs = new ExpressionCompiler(origin);
  walkNodes(ast, (n) => {
    const why = NEVER_SUPPORTED[n.typename];
    if (why) throw exprs.unsupported(n, why);
  });

  const context = new Map<string, Binding>();
  const reserved = new Set(TERRAFORM_ROOT_NAMES);
  for (const [name, value] of Object.entries(vars)) {
    if (!containsDeployTimeValue(value)) {
      context.set(name, { kind: 'static', value });
      continue;
    }
    const expr = tfVariable(value);
    if (!expr) {
      throw new ButterError(
        'TEMPLATE_VAR_INVALID',
        `template variable "${name}" mixes deploy-time values with values Terraform cannot represent`,
        {
          file: origin.file,
        },
      );
    }
    context.set(name, { kind: 'dynamic', expr });
    collectIdentifiers(value).forEach((id) => reserved.add(id));
  }

  const out = new TerraformTemplateBuilder();
  // The whole compilation shares one sandbox budget (loop items, text), static fragments too.
  withTemplateBudget(() =>
    new StatementCompiler(exprs, out, reserved).statement(ast, new Frame('root', undefined, context)));
  return { text: out.build(), deployTime: out.hasTemplateSyntax };
}

/** Walks statements, appending to the template being built. */
class StatementCompiler {
  constructor(
    private readonly exprs: ExpressionCompiler,
    private readonly out: TerraformTemplateBuilder,
    private readonly reserved: ReadonlySet<string>,
  ) {}

  public statement(node: NjNode, frame: Frame): void {
    if (node.typename !== 'Set' && this.isStaticSubtree(node, frame)) {
      this.out.text(this.render([node], frame));
      return;
    }
    switch (node.typename) {
      case 'Root':
      case 'NodeList':
        node.children.forEach((child) => this.statement(child, frame));
        return;
      case 'Output':
        node.children.forEach((child) => this.output(child, frame));
        return;
      case 'If':
        this.ifStatement(node, frame);
        return;
      case 'For':
        this.forStatement(node, frame);
        return;
      case 'Set':
        this.setStatement(node, frame);
        return;
      default:
        throw this.exprs.unsupported(node, 'it cannot depend on deploy-time values');
    }
  }

  /** One `{{ ... }}` (or a run of literal text). */
  private output(node: NjNode, frame: Frame): void {
    if (node.typename === 'TemplateData') {
      this.out.text(String(node.value));
      return;
    }
    if (this.exprs.isStatic(node, frame)) {
      this.out.text(this.render([makeNode('Output', node, [node])], frame));
      return;
    }
    const parts = this.exprs.concatenationParts(node, frame);
    if (parts) {
      parts.forEach((p) => ('text' in p ? this.out.text(p.text) : this.out.interpolation(p.code)));
      return;
    }
    const text = asText(this.exprs.expr(node, frame));
    if (text === undefined)
      throw this.exprs.unsupported(node, 'nunjucks would print a map as "[object Object]"', 'printing a map');
    this.out.interpolation(text);
  }

  private ifStatement(node: NjNode, frame: Frame): void {
    if (this.exprs.isStatic(node.cond, frame)) {
      // nunjucks' {% if %} opens no frame: a {% set %} in the branch taken stays visible after it.
      const branch = this.exprs.evaluate(node.cond, frame) ? node.body : node.else_;
      if (branch) this.statement(branch, frame);
      return;
    }
    this.out.directive(`if ${this.exprs.condition(node.cond, frame).code}`);
    this.statement(node.body, frame.child('dynamic-if'));
    if (node.else_) {
      this.out.directive('else');
      this.statement(node.else_, frame.child('dynamic-if'));
    }
    this.out.directive('endif');
  }

  private forStatement(node: NjNode, frame: Frame): void {
    const names = loopNames(node);
    if (this.exprs.isStatic(node.arr, frame)) this.unroll(node, names, frame);
    else this.terraformFor(node, names, frame);
  }

  /** A loop over a static value: compile the body once per item, as nunjucks would run it. */
  private unroll(node: NjNode, names: NjNode[], frame: Frame): void {
    const value = this.exprs.evaluate(node.arr, frame);
    const loopFrame = frame.child('static-loop');
    const items: unknown[][] = [];
    if (Array.isArray(value) || typeof value === 'string') {
      // nunjucks indexes into arrays (and strings); with several names it destructures items.
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        items.push(names.length > 1 ? names.map((_, j) => (item as unknown[] | undefined)?.[j]) : [item]);
      }
    } else if (names.length === 2 && value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) items.push([k, v]);
    } else if (value && typeof value === 'object' && !isPlainObject(value)) {
      throw this.exprs.unsupported(node.arr, 'only lists, strings and objects can be iterated', 'this loop');
    }
    // Unrolling is a loop the sandbox's budget must see, as nunjucks' own loops are: nested
    // static loops around a deploy-time value would otherwise multiply without bound.
    this.charge(node, () => chargeLoopItems(items.length));
    items.forEach((item, i) => {
      this.charge(node, () => {
        if (this.out.length > MAX_TEXT_LENGTH) {
          throw new SandboxViolation(`the template prints more than ${MAX_TEXT_LENGTH} characters`);
        }
      });
      names.forEach((n, j) => loopFrame.bind(symbolName(n), { kind: 'static', value: item[j] }));
      const length = items.length;
      loopFrame.bind('loop', {
        kind: 'static',
        value: {
          index: i + 1,
          index0: i,
          revindex: length - i,
          revindex0: length - i - 1,
          first: i === 0,
          last: i === length - 1,
          length,
        },
      });
      this.statement(node.body, loopFrame);
    });
    if (items.length === 0 && node.else_) this.statement(node.else_, loopFrame);
  }

  /** A loop over a deploy-time value: a Terraform `%{ for }`. */
  private terraformFor(node: NjNode, names: NjNode[], frame: Frame): void {
    const arr = this.exprs.expr(node.arr, frame);
    const needsIndex = readsLoop(node.body);
    const taken = frame.terraformNamesInScope();
    const declared: string[] = [];
    const pick = (preferred: string) => {
      const name = this.freshName(preferred, taken);
      taken.add(name);
      declared.push(name);
      return name;
    };
    let header: string;
    const bindings: Array<[string, TfExpr]> = [];
    let index: string | undefined;
    if (names.length === 1) {
      if (arr.type === 'map') {
        throw this.exprs.unsupported(
          node,
          'nunjucks iterates nothing with one loop variable over a map; write {% for key, value in ... %}',
          '{% for %}',
        );
      }
      if (arr.type === 'string')
        throw this.exprs.unsupported(
          node,
          'iterating over the characters of a string has no Terraform equivalent',
          '{% for %}',
        );
      const item = pick(symbolName(names[0]));
      index = needsIndex ? pick('i') : undefined;
      header = index ? `for ${index}, ${item} in ${arr.code}` : `for ${item} in ${arr.code}`;
      bindings.push([symbolName(names[0]), tf(item, arr.elementType ?? 'any', true)]);
    } else if (names.length === 2 && arr.type === 'list') {
      // A list of pairs, destructured as nunjucks does: item[0], item[1].
      const pair = pick('pair');
      index = needsIndex ? pick('i') : undefined;
      header = index ? `for ${index}, ${pair} in ${arr.code}` : `for ${pair} in ${arr.code}`;
      names.forEach((n, j) => bindings.push([symbolName(n), tf(`${pair}[${j}]`, 'any', true)]));
    } else if (names.length === 2) {
      // Terraform iterates maps in key order; nunjucks in insertion order. They agree for maps
      // Terraform built, whose keys come back sorted.
      const key = pick(symbolName(names[0]));
      const value = pick(symbolName(names[1]));
      header = `for ${key}, ${value} in ${arr.code}`;
      bindings.push([symbolName(names[0]), tf(key, 'string', true)], [symbolName(names[1]), tf(value, 'any', true)]);
      if (needsIndex) index = `index(keys(${arr.code}), ${key})`;
    } else {
      throw this.exprs.unsupported(node, 'a deploy-time loop takes one or two loop variables', '{% for %}');
    }

    if (node.else_) {
      this.out.directive(`if length(${arr.code}) == 0`);
      this.statement(node.else_, frame.child('dynamic-if'));
      this.out.directive('else');
    }
    const body = frame.child('dynamic-loop', declared);
    bindings.forEach(([name, expr]) => body.bind(name, { kind: 'dynamic', expr }));
    if (index) body.bind('loop', { kind: 'loop', index, length: `length(${arr.code})` });
    this.out.directive(header);
    this.statement(node.body, body);
    this.out.directive('endfor');
    if (node.else_) this.out.directive('endif');
  }

  private setStatement(node: NjNode, frame: Frame): void {
    const value = setValue(node);
    let binding: Binding;
    if (value) {
      binding = this.exprs.isStatic(value, frame)
        ? { kind: 'static', value: this.exprs.evaluate(value, frame) }
        : { kind: 'dynamic', expr: this.exprs.expr(value, frame) };
    } else {
      const capture = setBody(node);
      if (!capture || !this.isStaticSubtree(capture.body, frame)) {
        throw this.exprs.unsupported(
          node,
          'its text would depend on deploy-time values; use {% set x = ... %}',
          '{% set %}...{% endset %}',
        );
      }
      binding = { kind: 'static', value: this.render(capture.body.children, frame) };
    }
    for (const target of node.targets) {
      const why = frame.assign(symbolName(target), binding);
      if (why) throw this.exprs.unsupported(node, why);
    }
  }

  /** True if nunjucks can render `node` now: it reads no deploy-time value and assigns nothing. */
  private isStaticSubtree(node: NjNode, frame: Frame): boolean {
    let assigns = false;
    walkNodes(node, (n) => {
      if (n.typename === 'Set') assigns = true;
    });
    return !assigns && this.exprs.isStatic(node, frame);
  }

  private render(nodes: readonly NjNode[], frame: Frame): string {
    return renderNodes(nodes, frame.staticValues(), this.exprs.origin);
  }

  /** Run a sandbox budget charge, reporting an overrun as the template's error at `node`. */
  private charge(node: NjNode, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof SandboxViolation) throw sandboxError(e.message, this.exprs.origin, node);
      throw e;
    }
  }

  /** A Terraform identifier based on `preferred` that shadows nothing in scope. */
  private freshName(preferred: string, taken: ReadonlySet<string>): string {
    const base = /^[A-Za-z_][A-Za-z0-9_]*$/.test(preferred) ? preferred : 'item';
    let name = base;
    for (let n = 2; taken.has(name) || this.reserved.has(name); n++) name = `${base}${n}`;
    return name;
  }
}

/** A For node's loop variables. */
function loopNames(node: NjNode): NjNode[] {
  return node.name.typename === 'Array' ? node.name.children : [node.name];
}

/** True if a loop body reads `loop` (of this loop: nested loops' own `loop`s do not count). */
function readsLoop(node: NjNode | null): boolean {
  if (!node) return false;
  if (node.typename === 'Symbol') return symbolName(node) === 'loop';
  if (node.typename === 'For') return readsLoop(node.arr);
  for (const field of node.fields) {
    const v = (node as unknown as Record<string, unknown>)[field];
    if (Array.isArray(v) ? v.some((c) => isNode(c) && readsLoop(c)) : isNode(v) && readsLoop(v)) return true;
  }
  return node.typename === 'Set' && readsLoop(setBody(node));
}

/** Identifiers appearing in the deploy-time expressions of a variable's value. */
function collectIdentifiers(value: unknown): string[] {
  if (value instanceof DeployTimeValue) return value.expression.match(/[A-Za-z_][\w-]*/g) ?? [];
  if (Array.isArray(value)) return value.flatMap(collectIdentifiers);
  if (isPlainObject(value)) return Object.values(value).flatMap(collectIdentifiers);
  return [];
}
