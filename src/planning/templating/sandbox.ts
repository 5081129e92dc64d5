/**
 * The template sandbox, part 1: rules checked on the parsed template, before anything runs.
 *
 * Templates come with blueprints, and blueprints come from other people. nunjucks compiles a
 * template to JavaScript whose lookups and calls reach real JavaScript objects, so without rules
 * `{{ range.constructor("...")() }}` is `Function("...")()`: any code, as the user running synth.
 * Every escape goes through one of three doors, and each rule below shuts one:
 *
 * 1. a *name* that is part of JavaScript's object machinery (`constructor`, `__proto__`,
 *    `prototype`, ...), read as a property, bound by `{% set %}`, passed as a keyword argument or
 *    written as a dict key. Reading one gives `Function` or `Object.prototype`; binding one
 *    replaces an object's prototype;
 * 2. a *call* of something the template was not given: only plain names (the globals, macros,
 *    `caller`, variables) and named methods (`ips.join(",")`) can be called, never the result of
 *    a call or of a computed lookup, whose value nobody can check here;
 * 3. a *filter* that reads attributes by name (`sort(attribute=...)`, `groupby`, `selectattr`,
 *    ...): the name must be written out and must not be one of those names either.
 *
 * What the parse cannot see (a key computed at render time: `x[k]`, the type of the value a
 * method is looked up on) is checked while rendering, by the guarded runtime in
 * sandbox-runtime.ts. Both layers refuse with a ButterError naming the file and line.
 */
import { ButterError } from '../../errors';
import { isNode, NjNode, setBody, setValue, symbolName } from './nunjucks-ast';
import { nodeLine, SANDBOX_ERROR, SANDBOX_HINT, templateError, TemplateOrigin } from './template-errors';
import { forbiddenNameReason } from './sandbox-names';

/**
 * Methods a template may call on strings (and safe strings), arrays and numbers. None of them
 * changes its receiver (a template must not edit the caller's data), takes a callback, builds a
 * regular expression, or allocates much more than its input (`repeat`, `padStart`, a string's
 * `concat` of many arguments could ask for gigabytes; `join` is checked in sandbox-runtime.ts).
 */
export const SAFE_METHODS: Readonly<Record<'string' | 'array' | 'number', ReadonlySet<string>>> = {
  string: new Set([
    'split', 'slice', 'substring', 'indexOf', 'lastIndexOf', 'includes', 'startsWith', 'endsWith',
    'toUpperCase', 'toLowerCase', 'trim', 'trimStart', 'trimEnd', 'charAt', 'at', 'toString',
  ]),
  array: new Set(['join', 'slice', 'concat', 'indexOf', 'lastIndexOf', 'includes', 'at']),
  number: new Set(['toFixed', 'toString']),
};

/** Methods of the objects `cycler()` returns. */
export const CYCLER_METHODS: ReadonlySet<string> = new Set(['next', 'reset']);

/**
 * Filters that read an attribute of each item by a name given as an argument, and where that
 * argument is (positional index counting the filter's input as 0, and keyword name).
 */
export const ATTRIBUTE_FILTERS: Readonly<Record<string, { readonly index: number; readonly keyword: string }>> = {
  sort: { index: 3, keyword: 'attribute' },
  groupby: { index: 1, keyword: 'attribute' },
  selectattr: { index: 1, keyword: 'attr' },
  rejectattr: { index: 1, keyword: 'attr' },
  join: { index: 2, keyword: 'attr' },
  sum: { index: 1, keyword: 'attr' },
};

/** Why an attribute path (`a.b`, as filters take it) is refused, or undefined. */
export function forbiddenAttributeReason(path: string): string | undefined {
  for (const part of path.split('.')) {
    const why = forbiddenNameReason(part);
    if (why) return why;
  }
  return undefined;
}

/** The error for a refused construct at a node. */
export function sandboxError(problem: string, origin: TemplateOrigin, node: NjNode | undefined): ButterError {
  return templateError(SANDBOX_ERROR, problem, origin, node ? nodeLine(node) : undefined, SANDBOX_HINT);
}

/**
 * Check a parsed template against the sandbox's rules.
 * @throws ButterError `TEMPLATE_FORBIDDEN` at the first construct that breaks one.
 */
export function checkSandbox(root: NjNode, origin: TemplateOrigin): void {
  // Children first: in `range.constructor("...")()` the error names `.constructor`, the actual
  // way out, rather than the call around it.
  const visit = (node: NjNode | null | undefined): void => {
    if (!node) return;
    for (const field of node.fields) {
      const v = (node as unknown as Record<string, unknown>)[field];
      if (Array.isArray(v)) v.forEach((c) => isNode(c) && visit(c));
      else if (isNode(v)) visit(v);
    }
    // A block `{% set %}` keeps its body outside its fields.
    if (node.typename === 'Set') visit(setBody(node));
    checkNode(node, origin);
  };
  visit(root);
}

function checkNode(node: NjNode, origin: TemplateOrigin): void {
  const refuse = (problem: string, at: NjNode = node): never => {
    throw sandboxError(problem, origin, at);
  };
  switch (node.typename) {
    case 'Symbol': {
      // Rule 1: every name, whether read (`{{ constructor }}`) or bound (`{% set __proto__ %}`,
      // a loop variable, a macro or its parameter, a keyword argument): all are Symbols.
      const why = forbiddenNameReason(symbolName(node));
      if (why) refuse(`the name "${symbolName(node)}" cannot be used in a template: ${why}`);
      return;
    }
    case 'LookupVal': {
      // Rule 1 for `a.name` and `a["name"]`. Computed keys (`a[k]`) are checked when rendering.
      const key = node.val;
      if (key.typename === 'Literal' && typeof key.value === 'string') {
        const why = forbiddenNameReason(key.value);
        if (why) refuse(`the template reads ".${key.value}": ${why}`);
      }
      return;
    }
    case 'Pair': {
      // Rule 1 for dict keys: `{"__proto__": x}` compiles to a JavaScript object literal, where
      // that key sets the object's prototype.
      const key = node.key;
      const name = key.typename === 'Literal' || key.typename === 'Symbol' ? String(key.value) : undefined;
      if (name !== undefined) {
        const why = forbiddenNameReason(name);
        if (why) refuse(`the key "${name}" cannot be used in a template: ${why}`);
      }
      return;
    }
    case 'Set': {
      // `{% set a.b = 1 %}` is a syntax error in nunjucks, but say it plainly if a target is
      // ever anything but a name.
      node.targets.forEach((t) => t.typename !== 'Symbol' && refuse('{% set %} can only assign to names', t));
      if (setValue(node) === null && setBody(node) === null) refuse('{% set %} needs a value');
      return;
    }
    case 'FunCall':
      // Rule 2.
      checkCallee(node.name, refuse);
      return;
    case 'Filter':
      // Rule 3.
      checkAttributeFilter(node, refuse);
      return;
    case 'Literal':
      // Regular expressions (a nunjucks extension to jinja2: r/.../) feed `replace` and string
      // methods, and a pathological one backtracks for hours on a short input.
      if (node.value instanceof RegExp) refuse('regular expression literals (r/.../) are not supported in templates');
      return;
    default:
      return;
  }
}

/**
 * Rule 2: a call's callee is a plain name, or a method named in the source on some value. The
 * runtime then checks that the name holds something callable the template was given, and that
 * the method is one of the safe ones for that value's type.
 */
function checkCallee(callee: NjNode, refuse: (problem: string, at?: NjNode) => never): void {
  if (callee.typename === 'Symbol') return;
  if (callee.typename === 'LookupVal' && callee.val.typename === 'Literal' && typeof callee.val.value === 'string') {
    const method = callee.val.value;
    const known = [...SAFE_METHODS.string, ...SAFE_METHODS.array, ...SAFE_METHODS.number, ...CYCLER_METHODS];
    if (!known.includes(method)) {
      refuse(`the template calls ".${method}()", which is not a method templates may call (they may call: ${[...new Set(known)].join(', ')})`, callee);
    }
    return;
  }
  if (callee.typename === 'FunCall') refuse('the template calls the result of a call', callee);
  if (callee.typename === 'LookupVal') refuse('the template calls something looked up by a computed key', callee);
  refuse('the template calls something that is not a name or a method', callee);
}

/** Rule 3: attribute names given to filters are written out, and allowed. */
function checkAttributeFilter(node: NjNode, refuse: (problem: string, at?: NjNode) => never): void {
  const name = symbolName(node.name);
  const spec = ATTRIBUTE_FILTERS[name];
  const args = node.args.children;
  const kwargs = args.find((a) => a.typename === 'KeywordArgs');
  const positional = args.filter((a) => a.typename !== 'KeywordArgs');
  const attributes: NjNode[] = [];
  if (spec) {
    if (positional[spec.index]) attributes.push(positional[spec.index]);
    // `sort(attribute="x")`; other filters take keywords as a trailing object, but a keyword
    // spelling of their attribute is checked all the same.
    kwargs?.children.forEach((p) => {
      if (['attribute', 'attr', spec.keyword].includes(symbolName(p.key))) attributes.push(p.value as NjNode);
    });
  }
  for (const attr of attributes) {
    if (attr.typename !== 'Literal' || typeof attr.value !== 'string') {
      refuse(`the "${name}" filter's attribute must be written out as a quoted name`, attr);
    }
    const why = forbiddenAttributeReason(String(attr.value));
    if (why) refuse(`the "${name}" filter reads attribute "${String(attr.value)}": ${why}`, attr);
  }
}
