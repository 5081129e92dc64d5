/**
 * Rendering templates with nunjucks at synth time, when every variable has a value.
 *
 * Also home of the checks both rendering and deploy-time compilation run first (every variable a
 * template reads must be declared, every filter must exist), and of the helpers the compiler uses
 * to evaluate the *static* parts of a mixed template with nunjucks itself, so those parts behave
 * exactly as they would in a plain render.
 */
import * as nunjucks from 'nunjucks';
import { ButterError } from '../../errors';
import { containsDeployTimeValue } from './deploy-time';
import {
  forEachReference,
  makeNode,
  namesBoundByTemplate,
  nj,
  NjNode,
  NUNJUCKS_GLOBALS,
  parseTemplate,
  symbolName,
  walkNodes,
} from './nunjucks-ast';
import { checkSandbox } from './sandbox';
import { beginRender, sandboxedAst, installSandbox, sandboxRuntime, withTemplateBudget } from './sandbox-runtime';
import { didYouMean } from './suggest';
import { fromNunjucksError, nodeLine, templateError, TemplateOrigin } from './template-errors';

/** A compiled template's root function, as nunjucks' compiler emits it. */
type RootRenderFunction = (env: unknown, context: unknown, frame: unknown, runtime: unknown, cb: unknown) => void;

/** Filter name used internally to pull a JavaScript value out of a nunjucks evaluation. */
const CAPTURE_FILTER = '__butter_capture__';
let captured: { value: unknown } | undefined;

/**
 * The one nunjucks environment: jinja2 defaults except that nothing is HTML-escaped (these are
 * scripts, not web pages) and printing an undefined value is an error rather than an empty string,
 * so a misspelt or missing variable cannot silently produce a broken config file. No loaders, so
 * `{% include %}` and friends fail: a startup script must be self-contained. Sandboxed (see
 * sandbox.ts): templates come with blueprints, and blueprints are other people's data.
 */
// `dev` keeps nunjucks' error objects, with their line numbers (template-errors.ts).
const env = new nunjucks.Environment([], { autoescape: false, throwOnUndefined: true, dev: true });
installSandbox(env);
env.addFilter(CAPTURE_FILTER, (value: unknown) => {
  captured = { value };
  return '';
});

/**
 * Render a template whose variables all have values known now. Returns the rendered text *as is*:
 * before putting it into Terraform JSON, escape it with `escapeTerraformTemplate` (or use
 * `compileTemplate`, which does).
 *
 * @param source Template text (jinja2 syntax).
 * @param vars Variable values. A key whose value is `undefined` counts as declared but unset:
 *   `{{ x }}` fails, while `{{ x | default('a') }}` and `{% if x is defined %}` work.
 * @param origin The template's file, for error messages.
 * @throws ButterError `TEMPLATE_SYNTAX_ERROR`, `TEMPLATE_VAR_UNDECLARED` (a variable used but not
 *   in `vars`), `TEMPLATE_UNKNOWN_FILTER`, `TEMPLATE_RENDER_FAILED` (e.g. printing an undefined
 *   value), `TEMPLATE_VAR_INVALID` (a deploy-time value: use `compileTemplate`).
 */
export function renderTemplate(
  source: string,
  vars: Readonly<Record<string, unknown>>,
  origin: TemplateOrigin,
): string {
  const deployTime = Object.keys(vars).find((k) => containsDeployTimeValue(vars[k]));
  if (deployTime !== undefined) {
    throw new ButterError('TEMPLATE_VAR_INVALID', `template variable "${deployTime}" is only known at deploy time`, {
      file: origin.file,
      hint: 'use compileTemplate, which turns the template into a Terraform template, instead of renderTemplate',
    });
  }
  // Rendered from the checked AST, so what runs is exactly what the checks saw.
  return renderNodes([parseChecked(source, vars, origin)], { ...vars }, origin);
}

/**
 * Parse a template and check it against the variables it will get: every variable it reads must
 * be in `vars` (or bound by the template itself), every filter and test must exist.
 */
export function parseChecked(source: string, vars: Readonly<Record<string, unknown>>, origin: TemplateOrigin): NjNode {
  let ast: NjNode;
  try {
    ast = parseTemplate(source);
  } catch (e) {
    throw fromNunjucksError(e, origin, 'parse');
  }
  checkSandbox(ast, origin);
  const given = Object.keys(vars);
  const known = new Set([...given, ...namesBoundByTemplate(ast), ...NUNJUCKS_GLOBALS]);
  forEachReference(ast, (sym) => {
    const name = symbolName(sym);
    if (known.has(name)) return;
    throw templateError(
      'TEMPLATE_VAR_UNDECLARED',
      `template uses variable "${name}", which is neither declared nor given${didYouMean(name, given)}`,
      origin,
      nodeLine(sym),
      `declare it in the blueprint (initialization[].vars.${name}) and pass it with templateVars: { ${name}: ... }; ` +
        'if the braces are meant literally, wrap them in {% raw %}...{% endraw %}',
    );
  });
  walkNodes(ast, (n) => {
    if (n.typename === 'Filter' && !hasFilter(symbolName(n.name))) {
      throw templateError('TEMPLATE_UNKNOWN_FILTER', `unknown filter "${symbolName(n.name)}"`, origin, nodeLine(n));
    }
    if (n.typename === 'Is') {
      const test = n.right.typename === 'FunCall' ? n.right.name : n.right;
      if (test.typename === 'Symbol' && !hasTest(symbolName(test))) {
        throw templateError('TEMPLATE_UNKNOWN_FILTER', `unknown test "is ${symbolName(test)}"`, origin, nodeLine(n));
      }
    }
  });
  return ast;
}

/**
 * Render AST statements (nodes of a parsed template) with nunjucks, as if they were a template of
 * their own. Used for the parts of a deploy-time template that only read static values.
 */
export function renderNodes(
  nodes: readonly NjNode[],
  context: Record<string, unknown>,
  origin: TemplateOrigin,
): string {
  // A whole template arrives as its Root; nunjucks cannot nest one Root in another.
  const statements = nodes.flatMap((n) => (n.typename === 'Root' ? n.children : [n]));
  if (statements.length === 0) return '';
  // Prepared for the guarded runtime (sandbox-runtime.ts), on a copy: callers keep their AST.
  const root = sandboxedAst(makeNode('Root', statements[0], statements));
  try {
    const compiler = new nj.compiler.Compiler(origin.file ?? 'template', true);
    compiler.compile(root);
    // This is how nunjucks itself instantiates compiled templates (Template#_compile), except
    // that the root function gets the sandbox's guarded runtime instead of nunjucks' own. The
    // code is nunjucks' compiler output for a checked AST: template text only ever appears in
    // it as escaped string literals.
    const props = new Function(compiler.getCode())() as { root: RootRenderFunction };
    const sandboxed = {
      ...props,
      root: (e: unknown, ctx: unknown, frame: unknown, _runtime: unknown, cb: unknown) =>
        props.root(e, ctx, frame, sandboxRuntime, cb),
    };
    beginRender(context);
    // One budget of loop items and printed text per template (a deploy-time compilation renders
    // many fragments of one template: they share its budget).
    return withTemplateBudget(() =>
      new nunjucks.Template({ type: 'code', obj: sandboxed } as unknown as string, env, origin.file ?? 'template').render(
        context,
      ),
    );
  } catch (e) {
    throw fromNunjucksError(e, origin, 'render');
  }
}

/**
 * Evaluate one expression with nunjucks and return its JavaScript value (not its printed form):
 * `[1, 2]` for `PrivateIps | reverse`, `undefined` for an unset variable.
 */
export function evaluateExpression(expr: NjNode, context: Record<string, unknown>, origin: TemplateOrigin): unknown {
  const capture = makeNode(
    'Filter',
    expr,
    makeNode('Symbol', expr, CAPTURE_FILTER),
    makeNode('NodeList', expr, [expr]),
  );
  captured = undefined;
  renderNodes([makeNode('Output', expr, [capture])], context, origin);
  const result = captured as { value: unknown } | undefined;
  captured = undefined;
  if (!result) throw new Error('internal: static evaluation produced no value');
  return result.value;
}

/** True if `value` is a nunjucks "safe" string (what the `safe` filter returns). */
export function isSafeString(value: unknown): boolean {
  return value instanceof nj.runtime.SafeString;
}

/**
 * Own entries only: nunjucks keeps filters and tests in plain objects, where `valueOf`,
 * `toString` and friends are inherited, and `x | valueOf` would hand the template nunjucks'
 * own context object (and through it the environment).
 */
function hasFilter(name: string): boolean {
  return Object.prototype.hasOwnProperty.call((env as unknown as { filters: object }).filters, name);
}

function hasTest(name: string): boolean {
  return Object.prototype.hasOwnProperty.call((env as unknown as { tests: object }).tests, name);
}
