import { CtyType } from '../values/cty-type';
import { Json, Value } from '../values/value';

/**
 * The small language simulated resources declare their schema in. It mirrors Terraform's own
 * schema model (attributes with a cty type and required/optional/computed flags, nested blocks
 * with a nesting mode) plus what the mock needs to plan on its own: `forceNew`, `default` and
 * validators. Write it as object literals, or with the builders below:
 *
 * ```ts
 * attributes: {
 *   cidr_block: required('string', { forceNew: true, validate: cidr() }),
 *   instance_tenancy: optional('string', { default: 'default' }),
 *   tags: optional(map('string')),
 *   arn: computed('string'),
 * }
 * ```
 */

/** Checks one known, non-null value; returns a message when the value is not acceptable. */
export type Validator = (value: Value) => string | undefined;

/** One attribute of a resource, data source, provider or nested block. */
export interface AttributeSpec {
  /** The attribute's type, e.g. `'string'`, `list('string')`, `map('number')`. */
  readonly type: CtyType;
  /** The configuration must set it. */
  readonly required?: boolean;
  /** The configuration may set it. */
  readonly optional?: boolean;
  /** The provider fills it in (when the configuration leaves it null, if also optional). */
  readonly computed?: boolean;
  /** Terraform hides it in plan output. */
  readonly sensitive?: boolean;
  /** Changing it replaces the resource instead of updating it in place. */
  readonly forceNew?: boolean;
  /**
   * The value planned when the configuration leaves the attribute null. An attribute with a
   * default is published as optional+computed, which is how Terraform lets a provider fill it.
   */
  readonly default?: Json;
  /** Shown by `terraform providers schema`. */
  readonly description?: string;
  /** Terraform warns when the configuration sets it. */
  readonly deprecated?: boolean;
  /** Checks run by ValidateResourceConfig on a known, non-null configured value. */
  readonly validate?: Validator | readonly Validator[];
}

/** Attributes and nested blocks: the body of a resource, data source, provider or nested block. */
export interface BlockSpec {
  /** @default - none */
  readonly attributes?: { readonly [name: string]: AttributeSpec };
  /** @default - none */
  readonly blocks?: { readonly [name: string]: NestedBlockSpec };
  /** @default - none */
  readonly description?: string;
}

/**
 * How a nested block may repeat: `single` (at most one, null when absent), `list`, `set`, `map`
 * (labelled), or `group` (exactly one, all attributes null when absent).
 */
export type Nesting = 'single' | 'list' | 'set' | 'map' | 'group';

/** A nested block type, e.g. `ingress { ... }`. */
export interface NestedBlockSpec extends BlockSpec {
  readonly nesting: Nesting;
  /** @default 0 */
  readonly minItems?: number;
  /** @default - no limit */
  readonly maxItems?: number;
  /** Any change inside the block replaces the resource. */
  readonly forceNew?: boolean;
}

/** A resource's or data source's schema: its top-level block and version. */
export interface SchemaSpec extends BlockSpec {
  /**
   * Bump when the stored shape changes; old state then goes through the resource's `upgrade`.
   * @default 0
   */
  readonly version?: number;
}

/** Everything in an attribute but its type and required/optional/computed. */
export type AttributeOptions = Omit<AttributeSpec, 'type' | 'required' | 'optional' | 'computed'>;

/** An attribute the configuration must set. */
export function required(type: CtyType, options: AttributeOptions = {}): AttributeSpec {
  return { ...options, type, required: true };
}

/** An attribute the configuration may set (null when it does not, unless it has a `default`). */
export function optional(type: CtyType, options: AttributeOptions = {}): AttributeSpec {
  return { ...options, type, optional: true };
}

/** An attribute only the provider sets (ids, ARNs, addresses). */
export function computed(type: CtyType, options: AttributeOptions = {}): AttributeSpec {
  return { ...options, type, computed: true };
}

/** An attribute the configuration may set and the provider fills in when it does not. */
export function optionalComputed(type: CtyType, options: AttributeOptions = {}): AttributeSpec {
  return { ...options, type, optional: true, computed: true };
}

/** A nested block type. */
export function block(nesting: Nesting, body: BlockSpec, options: Omit<NestedBlockSpec, 'nesting' | keyof BlockSpec> = {}): NestedBlockSpec {
  return { ...body, ...options, nesting };
}
