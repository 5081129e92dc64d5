import { IConstruct } from 'constructs';
import { Token } from 'cdktf';
// cdktf exposes no public "resolve this token to its expression" call; this internal one is what
// every resource uses at synth time. Kept in this one file so a switch to cdktn stays local.
import { resolve } from 'cdktf/lib/_tokens';
import { ButterError } from '../src/errors';
import { DeployTimeValue, isPlainObject } from '../src/planning/templating';

/** True if `value` is (or contains) a cdktf token: something only Terraform can know. */
export function isDeployTime(value: unknown): boolean {
  return Token.isUnresolved(value);
}

/**
 * A template variable's value with every cdktf token in it, at any depth of arrays and plain
 * objects (`[Fn.element(web.privateIps, 0), 'x']`, `{ lb: lb.dnsName }`), replaced by a
 * DeployTimeValue. Templating finds DeployTimeValues at any depth and compiles the script into a
 * Terraform template; a token it did not find would reach the instance as literal `${...}` text.
 */
export function withDeployTimeValues(scope: IConstruct, value: unknown, depth = 0): unknown {
  if (isDeployTime(value)) return toDeployTimeValue(scope, value);
  // Deeper than any template reads; a cycle would otherwise never end.
  if (depth > 32) return value;
  if (Array.isArray(value)) return value.map((v) => withDeployTimeValues(scope, v, depth + 1));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDeployTimeValues(scope, v, depth + 1)]));
  }
  return value;
}

/**
 * Turn a template variable that holds cdktf tokens (e.g. another service's `privateIps`) into a
 * DeployTimeValue carrying the Terraform expression, so templating can compile the startup script
 * into a Terraform template instead of rendering it now.
 */
export function toDeployTimeValue(scope: IConstruct, value: unknown): DeployTimeValue {
  let resolved: unknown;
  try {
    resolved = resolve(scope, value);
  } catch (e) {
    // Text that merely looks like a token (`${TfToken[TOKEN.99]}` typed into a variable) names
    // no token cdktf knows.
    throw new ButterError('TEMPLATE_VAR_INVALID', `a template variable holds text that looks like a cdktf token but is none (${(e as Error).message})`, {
      hint: 'pass plain text, or a token of this app (another service\'s privateIps, Fn.element(...))',
    });
  }
  return new DeployTimeValue(hclOf(resolved), typeOf(value));
}

/** The HCL expression for a resolved value: `${x}` becomes `x`, strings with `${}` stay templates. */
function hclOf(resolved: unknown): string {
  if (typeof resolved === 'string') {
    const whole = /^\$\{([^]*)\}$/.exec(resolved);
    // A single interpolation and nothing else is the bare expression (keeps lists as lists).
    if (whole && !whole[1].includes('${')) return whole[1];
    return JSON.stringify(resolved); // an HCL quoted template: JSON string escapes are valid HCL
  }
  if (Array.isArray(resolved)) return `[${resolved.map(hclOf).join(', ')}]`;
  if (resolved !== null && typeof resolved === 'object') {
    return `{${Object.entries(resolved).map(([k, v]) => `${JSON.stringify(k)} = ${hclOf(v)}`).join(', ')}}`;
  }
  return JSON.stringify(resolved);
}

function typeOf(value: unknown): DeployTimeValue['type'] {
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  return 'any';
}
