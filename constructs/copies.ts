import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ButterError } from '../src/errors';

/**
 * One copy of cdktf and of constructs. They are Butter's peer dependencies, but a project can
 * still end up with two (a linked checkout, an install with `--legacy-peer-deps` beside an
 * older cdktf, a nested node_modules). Constructs from two copies do not mix: cdktf crashes deep
 * inside with `scope.node._scopes is not iterable` or silently drops resources. Both libraries
 * mark their objects with `Symbol.for` brands, which every copy shares, so "a construct that is
 * not an instance of *our* class" identifies a second copy exactly.
 *
 * Returns `scope`, for use in a constructor's `super(...)` call, before the scope is touched.
 */
export function sameCopies(scope: Construct, what: string): Construct {
  if (!(scope instanceof Construct) && Construct.isConstruct(scope)) {
    throw duplicate('constructs', scope, what);
  }
  if (scope instanceof Construct) {
    const stack = scope.node.scopes.find((s) => TerraformStack.isStack(s));
    if (stack !== undefined && !(stack instanceof TerraformStack)) throw duplicate('cdktf', scope, what);
  }
  return scope;
}

function duplicate(pkg: 'cdktf' | 'constructs', scope: Construct, what: string): ButterError {
  const ours = where(pkg);
  return new ButterError('DUPLICATE_PACKAGE',
    `${what} was given a scope made with a different copy of ${pkg} than butter-cdktf uses (${ours}); two copies cannot share a construct tree`, {
      constructPath: pathOf(scope),
      hint: `keep one copy: \`npm ls ${pkg}\` lists them; install the version butter-cdktf's peer range asks for (\`npm install ${pkg}@<version>\`) and remove nested copies (\`npm dedupe\`)`,
    });
}

/** `cdktf 0.21.0 at /path/node_modules/cdktf`, as well as it can be told. */
function where(pkg: string): string {
  try {
    const file = require.resolve(`${pkg}/package.json`);
    const version = (require(file) as { version?: string }).version;
    return `${pkg} ${version ?? '?'} at ${file.slice(0, -'/package.json'.length)}`;
  } catch {
    return pkg;
  }
}

function pathOf(scope: Construct): string | undefined {
  try {
    return (scope as { node?: { path?: string } }).node?.path || undefined;
  } catch {
    return undefined;
  }
}
