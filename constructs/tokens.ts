import { IConstruct } from 'constructs';
import { Token } from 'cdktf';
// cdktf exposes no public "resolve this token to its expression" call; this internal one is what
// every resource uses at synth time. Kept in this one file so a switch to cdktn stays local.
import { resolve } from 'cdktf/lib/_tokens';
import { DeployTimeValue } from '../src/planning/templating';

/** True if `value` is (or contains) a cdktf token: something only Terraform can know. */
export function isDeployTime(value: unknown): boolean {
  return Token.isUnresolved(value);
}

/**
 * Turn a template variable that holds cdktf tokens (e.g. another service's `privateIps`) into a
 * DeployTimeValue carrying the Terraform expression, so templating can compile the startup script
 * into a Terraform template instead of rendering it now.
 */
export function toDeployTimeValue(scope: IConstruct, value: unknown): DeployTimeValue {
  return new DeployTimeValue(hclOf(resolve(scope, value)), typeOf(value));
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
