/**
 * nunjucks tests (`x is defined`, `n is divisibleby(3)`) applied to deploy-time values, as
 * Terraform booleans. Semantics follow nunjucks/src/tests.js.
 */
import type { ExpressionCompiler } from './compile-expression';
import { Frame } from './compile-scope';
import { NjNode, symbolName } from './nunjucks-ast';
import { not, operand, tf, TfExpr, truthy } from './tf-expr';

/** Binary tests and the Terraform operator each one is. */
const COMPARISONS: Readonly<Record<string, string>> = {
  eq: '==',
  equalto: '==',
  sameas: '==',
  ne: '!=',
  lt: '<',
  lessthan: '<',
  gt: '>',
  greaterthan: '>',
  le: '<=',
  ge: '>=',
};

/** Compile `left is test(args...)` where something in it is only known at deploy time. */
export function compileTest(c: ExpressionCompiler, node: NjNode, frame: Frame): TfExpr {
  const call = node.right.typename === 'FunCall';
  const name = symbolName(call ? node.right.name : node.right);
  const args = call ? node.right.args.children : [];
  if (args.some((a) => a.typename === 'KeywordArgs')) throw c.unsupported(node, 'keyword arguments are not supported');
  const left = () => c.expr(node.left, frame);
  const arg = (i: number) => {
    if (!args[i]) throw c.unsupported(node, `it needs ${i + 1} argument(s)`);
    return c.expr(args[i], frame);
  };

  switch (name) {
    case 'defined':
    case 'undefined': {
      // A deploy-time variable always exists; a key looked up in one may not.
      const defined =
        node.left.typename === 'LookupVal' ? tf(`can(${left().code})`, 'bool', true) : tf('true', 'bool', true);
      return name === 'defined' ? defined : not(defined);
    }
    case 'null':
      return tf(`${operand(left())} == null`, 'bool');
    case 'odd':
      return tf(`${operand(left())} % 2 == 1`, 'bool');
    case 'even':
      return tf(`${operand(left())} % 2 == 0`, 'bool');
    case 'divisibleby':
      return tf(`${operand(left())} % ${operand(arg(0))} == 0`, 'bool');
    case 'truthy':
      return truthy(left());
    case 'falsy':
      return not(truthy(left()));
    case 'lower':
    case 'upper': {
      const v = left();
      return tf(`${operand(v)} == ${name}(${v.code})`, 'bool');
    }
    default: {
      const op = COMPARISONS[name];
      if (!op) throw c.unsupported(node, 'it has no Terraform equivalent');
      return tf(`${operand(left())} ${op} ${operand(arg(0))}`, 'bool');
    }
  }
}
