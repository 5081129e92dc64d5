/**
 * A typed window onto the parts of nunjucks that its type definitions leave out: the parser, the
 * AST node classes and the compiler. Butter reads templates with nunjucks' *own* parser so that
 * the deploy-time compiler sees exactly the syntax (and the whitespace trimming) nunjucks
 * renders, and it compiles small AST fragments back to JavaScript with nunjucks' own compiler to
 * evaluate the static parts of a mixed template with nunjucks' exact semantics.
 *
 * Everything here is internal to the templating module.
 */
import * as nunjucks from 'nunjucks';

/**
 * One nunjucks AST node. nunjucks nodes are loosely shaped objects; which of the fields below is
 * present depends on `typename` (see nunjucks/src/nodes.js). Only the fields Butter reads are
 * listed, and each is typed as it appears on the node kinds that carry it.
 */
export interface NjNode {
  /** Node kind: `Output`, `Symbol`, `For`, `If`, `Filter`, ... */
  readonly typename: string;
  /** 0-based line of the node's first token. */
  readonly lineno: number;
  /** 0-based column of the node's first token. */
  readonly colno: number;
  /** Names of the node's child fields, in order. */
  readonly fields: readonly string[];
  /** NodeList / Root / Output / Array / Dict / Group / KeywordArgs: the children. */
  readonly children: NjNode[];
  /** Literal / Symbol / TemplateData: the value (a Symbol's value is its name). */
  readonly value: unknown;
  /** LookupVal: the object looked into; UnaryOp: the operand. */
  readonly target: NjNode;
  /** LookupVal: the key. */
  readonly val: NjNode;
  /** BinOp (And, Or, Add, In, Is, ...): operands. */
  readonly left: NjNode;
  readonly right: NjNode;
  /** If / InlineIf: condition. */
  readonly cond: NjNode;
  /** If / InlineIf / For / Macro / Block / Set (block form, a Capture) / Capture: the body. */
  readonly body: NjNode;
  /** If / InlineIf / For: the else branch (an If for `elif`), or null. */
  readonly else_: NjNode | null;
  /** For: the iterable. */
  readonly arr: NjNode;
  /** For: the loop variable (a Symbol, or an Array of Symbols); Filter / FunCall: the callee. */
  readonly name: NjNode;
  /** Filter / FunCall: the arguments (a NodeList; a Filter's first argument is its input). */
  readonly args: NjNode;
  /** Compare: first operand; CompareOperand: the operand. */
  readonly expr: NjNode;
  /** Compare: the operators and following operands. */
  readonly ops: NjNode[];
  /** CompareOperand: the operator (`==`, `<`, ...). */
  readonly type: string;
  /** Set: the assigned names (Symbols). */
  readonly targets: NjNode[];
  /** Pair: key. */
  readonly key: NjNode;
}

/** Constructor of a nunjucks node class: `new Cls(lineno, colno, ...fields)`. */
type NodeClass = new (lineno: number, colno: number, ...fields: unknown[]) => NjNode;

interface NunjucksInternals {
  parser: { parse(src: string, extensions?: unknown[], opts?: object): NjNode };
  nodes: Record<'Root' | 'Output' | 'Filter' | 'FunCall' | 'Symbol' | 'NodeList' | 'Literal', NodeClass>;
  compiler: {
    Compiler: new (templateName: string, throwOnUndefined: boolean) => {
      compile(node: NjNode): void;
      getCode(): string;
    };
  };
  runtime: {
    SafeString: new (s: string) => object;
    makeMacro(argNames: string[], kwargNames: string[], func: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown;
    fromIterator(value: unknown): unknown;
    suppressValue(value: unknown, autoescape: boolean): unknown;
  };
}

/** nunjucks, with the internals its type definitions omit. */
export const nj = nunjucks as unknown as NunjucksInternals & typeof nunjucks;

/** Names nunjucks provides to every template without them being passed in. */
export const NUNJUCKS_GLOBALS: readonly string[] = ['range', 'cycler', 'joiner'];

/** Parse template source into an AST. Throws nunjucks' own error on bad syntax. */
export function parseTemplate(source: string): NjNode {
  return nj.parser.parse(source, [], {});
}

/** Build a node of the given class. */
export function makeNode(kind: keyof NunjucksInternals['nodes'], at: NjNode, ...fields: unknown[]): NjNode {
  return new nj.nodes[kind](at.lineno, at.colno, ...fields);
}

/** True for nodes (as opposed to null, arrays or plain values). */
export function isNode(x: unknown): x is NjNode {
  return typeof x === 'object' && x !== null && typeof (x as NjNode).typename === 'string';
}

/** A Set node's assigned expression (`{% set x = <expr> %}`), or null for the block form. */
export function setValue(node: NjNode): NjNode | null {
  return (node as unknown as { value: NjNode | null }).value;
}

/** A Set node's captured body (`{% set x %}...{% endset %}`), or null for the `=` form. */
export function setBody(node: NjNode): NjNode | null {
  return (node as unknown as { body?: NjNode | null }).body ?? null;
}

/** A Symbol's name. */
export function symbolName(node: NjNode): string {
  return String(node.value);
}

/**
 * Visit every node of a subtree, depth first. Unlike walking `fields`, this also enters the body
 * of a block `{% set %}`, which nunjucks keeps outside the node's declared fields.
 */
export function walkNodes(node: NjNode | null | undefined, visit: (n: NjNode) => void): void {
  if (!node) return;
  visit(node);
  for (const field of node.fields) {
    const v = (node as unknown as Record<string, unknown>)[field];
    if (Array.isArray(v)) v.forEach((c) => isNode(c) && walkNodes(c, visit));
    else if (isNode(v)) walkNodes(v, visit);
  }
  if (node.typename === 'Set') walkNodes(setBody(node), visit);
}

/**
 * Visit every Symbol in a subtree that *reads* a variable. Symbols that name things rather than
 * read them are skipped: filter and test names, loop and `set` targets, macro parameters,
 * keyword-argument names and bare `{key: ...}` dict keys.
 */
export function forEachReference(node: NjNode | null | undefined, visit: (sym: NjNode) => void): void {
  if (!node) return;
  const walk = (n: NjNode | null | undefined) => forEachReference(n, visit);
  switch (node.typename) {
    case 'Symbol':
      visit(node);
      return;
    case 'Filter':
    case 'FilterAsync':
      walk(node.args);
      return;
    case 'Is':
      walk(node.left);
      if (node.right.typename === 'FunCall') walk(node.right.args);
      else if (node.right.typename !== 'Symbol') walk(node.right);
      return;
    case 'KeywordArgs':
      node.children.forEach((p) => walk(p.value as NjNode));
      return;
    case 'Dict':
      node.children.forEach((p) => {
        if (p.key.typename !== 'Symbol') walk(p.key);
        walk(p.value as NjNode);
      });
      return;
    case 'For':
    case 'AsyncEach':
    case 'AsyncAll':
      walk(node.arr);
      walk(node.body);
      walk(node.else_);
      return;
    case 'Set':
      walk(setValue(node));
      walk(setBody(node));
      return;
    case 'Macro':
    case 'Caller':
      node.args.children.forEach((a) => a.typename === 'KeywordArgs' && walk(a));
      walk(node.body);
      return;
    case 'Block':
      walk(node.body);
      return;
    case 'Import':
    case 'FromImport':
      walk((node as unknown as { template: NjNode }).template);
      return;
    default:
      for (const field of node.fields) {
        const v = (node as unknown as Record<string, unknown>)[field];
        if (Array.isArray(v)) v.forEach((c) => isNode(c) && walk(c));
        else if (isNode(v)) walk(v);
      }
  }
}

/**
 * Names a template binds itself (loop variables, `set` targets, macros and their parameters,
 * imports) plus the ones nunjucks binds implicitly (`loop`, `caller`). Used to tell a template's
 * own names from the variables it expects to be given.
 */
export function namesBoundByTemplate(root: NjNode): Set<string> {
  const bound = new Set<string>(['loop', 'caller']);
  const addTarget = (t: unknown) => {
    if (!isNode(t)) {
      if (typeof t === 'string') bound.add(t);
      return;
    }
    if (t.typename === 'Symbol') bound.add(symbolName(t));
    else if (t.typename === 'Array' || t.typename === 'NodeList') t.children.forEach(addTarget);
    else if (t.typename === 'Pair') addTarget(t.value ?? t.key);
    else if (t.typename === 'KeywordArgs') t.children.forEach((p) => addTarget(p.key));
  };
  walkNodes(root, (n) => {
    switch (n.typename) {
      case 'For':
      case 'AsyncEach':
      case 'AsyncAll':
        addTarget(n.name);
        break;
      case 'Set':
        n.targets.forEach(addTarget);
        break;
      case 'Macro':
      case 'Caller':
        addTarget(n.name);
        addTarget(n.args);
        break;
      case 'Import':
        addTarget((n as unknown as { target: unknown }).target);
        break;
      case 'FromImport':
        addTarget((n as unknown as { names: unknown }).names);
        break;
    }
  });
  return bound;
}

/** How a node reads in template source, for error messages: `{% macro %}`, `the "title" filter`. */
export function describeNode(node: NjNode): string {
  switch (node.typename) {
    case 'Macro':
      return '{% macro %}';
    case 'Caller':
      return '{% call %}';
    case 'Include':
      return '{% include %}';
    case 'Import':
    case 'FromImport':
      return '{% import %}';
    case 'Extends':
      return '{% extends %}';
    case 'Block':
      return '{% block %}';
    case 'Super':
      return 'super()';
    case 'Switch':
      return '{% switch %}';
    case 'Set':
      return '{% set %}';
    case 'Capture':
      return '{% set %}...{% endset %}';
    case 'CallExtension':
    case 'CallExtensionAsync':
      return 'a custom tag';
    case 'Filter':
    case 'FilterAsync':
      return `the "${symbolName(node.name)}" filter`;
    case 'FunCall': {
      const callee = dottedName(node.name);
      return callee ? `${callee}()` : 'a function call';
    }
    case 'Is':
      return `the "is ${
        node.right.typename === 'FunCall' ? symbolName(node.right.name) : symbolName(node.right)
      }" test`;
    case 'Compare':
      return 'a chained comparison';
    case 'Group':
      return 'a parenthesised list';
    case 'Literal':
      return node.value instanceof RegExp ? 'a regular expression literal' : 'a literal';
    default:
      return `a ${node.typename} expression`;
  }
}

/** `a.b.c` for a Symbol or a chain of `.name` lookups on one, else undefined. */
function dottedName(node: NjNode): string | undefined {
  if (node.typename === 'Symbol') return symbolName(node);
  if (node.typename === 'LookupVal' && node.val.typename === 'Literal' && typeof node.val.value === 'string') {
    const target = dottedName(node.target);
    return target === undefined ? undefined : `${target}.${node.val.value}`;
  }
  return undefined;
}
