/**
 * Values only Terraform knows, at deploy time: the private IPs of instances that do not exist yet,
 * a load balancer's DNS name, ... A template variable holding one cannot be rendered at synth
 * time; the template is compiled to Terraform template syntax instead (see compile-terraform.ts).
 */
import { ButterError } from '../../errors';

/** The Terraform type of a {@link DeployTimeValue}, as far as the template compiler cares. */
export type DeployTimeType = 'string' | 'number' | 'bool' | 'list' | 'map' | 'any';

/**
 * A template variable value that Terraform computes at deploy time.
 *
 * The type steers how templates use it: a `list` printed with `{{ x }}` is joined with commas (as
 * nunjucks prints arrays), `{% if x %}` tests a `string` for emptiness, and so on. With `any` the
 * compiler emits type-agnostic Terraform, which is longer but still correct for scalars.
 *
 * @example new DeployTimeValue('data.aws_instances.web.private_ips', 'list')
 */
export class DeployTimeValue {
  /**
   * @param expression A Terraform expression *without* the surrounding `${}`, e.g.
   *   `data.aws_instances.web.private_ips` or `aws_lb.front.dns_name`.
   * @param type The expression's type. @default 'any'
   */
  constructor(readonly expression: string, readonly type: DeployTimeType = 'any') {
    const trimmed = expression.trim();
    if (!trimmed) {
      throw new ButterError(
        'TEMPLATE_VAR_INVALID',
        'a deploy-time value needs a Terraform expression, got an empty one',
      );
    }
    if (trimmed.includes('TfToken[')) {
      // cdktf tokens only resolve where cdktf renders them, not inside our `${...}`.
      throw new ButterError('TEMPLATE_VAR_INVALID', `deploy-time value "${expression}" is a cdktf token`, {
        hint:
          'pass the Terraform expression the token stands for, e.g. ' +
          '`${resource.terraformResourceType}.${resource.friendlyUniqueId}.private_ip`',
      });
    }
    if (trimmed.startsWith('${')) {
      const single = /^\$\{([^]*)\}$/.exec(trimmed);
      const bare = single && !single[1].includes('${') ? single[1].trim() : undefined;
      throw new ButterError('TEMPLATE_VAR_INVALID', `deploy-time value "${expression}" is wrapped in \${...}`, {
        hint: bare
          ? `pass the bare expression: ${bare}`
          : 'pass a Terraform expression; to combine values write a quoted template, e.g. "${a}-${b}"',
      });
    }
  }

  /** For debugging and accidental string conversion: the expression as a Terraform reference. */
  public toString(): string {
    return `\${${this.expression}}`;
  }
}

/** True if `value` is, or (inside arrays and plain objects) contains, a {@link DeployTimeValue}. */
export function containsDeployTimeValue(value: unknown): boolean {
  if (value instanceof DeployTimeValue) return true;
  if (Array.isArray(value)) return value.some(containsDeployTimeValue);
  if (isPlainObject(value)) return Object.values(value).some(containsDeployTimeValue);
  return false;
}

/** Object literals and `Object.create(null)` maps, as opposed to class instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
