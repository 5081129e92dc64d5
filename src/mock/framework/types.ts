import { Cloud } from '../cloud/cloud';
import { BlockSpec, SchemaSpec } from '../schema/dsl';
import { JsonObject, ObjectValue } from '../values/value';
import { AttributePath, DiagnosticOptions } from './diagnostics';

/**
 * The API simulated clouds implement: a {@link ProviderDefinition} listing {@link ResourceType}s
 * and {@link DataSourceType}s. The framework does all the protocol work (decoding values by
 * schema, planning, unknowns, diagnostics, state files); a resource type only says what the cloud
 * does on create, read, update and delete.
 *
 * Values are plain JS ({@link ObjectValue}: every schema attribute present, null when unset) with
 * `UNKNOWN` where Terraform does not know a value yet. Throw {@link CloudError} for errors the real
 * cloud would return; any other exception is reported as a bug in the simulation.
 */

/** A value or a promise of it: callbacks may be synchronous or async. */
export type Awaitable<T> = T | Promise<T>;

/** The provider block as configured (`provider "aws" { region = ... }`). */
export interface ProviderConfiguration {
  /** `aws`, `google`. */
  readonly name: string;
  /** The provider block's value (empty object until ConfigureProvider). */
  readonly config: ObjectValue;
  /** The version of the Terraform CLI talking to us. */
  readonly terraformVersion: string;
}

/** What every resource and data source callback gets. */
export interface OperationContext {
  /** The resource or data source type, e.g. `aws_vpc`. */
  readonly typeName: string;
  /** The simulated cloud (read-only except in create, update and delete). */
  readonly cloud: Cloud;
  /** The configured provider (region, project, default tags…). */
  readonly provider: ProviderConfiguration;
  /** Show Terraform a warning. */
  warn(summary: string, options?: DiagnosticOptions): void;
}

/** For `plan`: adjust the generic plan. */
export interface PlanContext extends OperationContext {
  /** The current state; null when the resource is being created. */
  readonly prior: ObjectValue | null;
  /** The resource's configuration (unknown where it depends on values not known yet). */
  readonly config: ObjectValue;
  /** Terraform's proposal: configuration merged with prior computed values. */
  readonly proposed: ObjectValue;
  /**
   * The plan so far: `proposed` with defaults filled in and, on create, computed attributes left
   * null marked unknown. Change it in place, e.g. `ctx.planned.arn = UNKNOWN`.
   */
  readonly planned: ObjectValue;
  /** Ask for replacement because of a change at `path` (on top of forceNew attributes). */
  requireReplace(path: AttributePath): void;
}

/** For `create`. */
export interface CreateContext extends OperationContext {
  /** What was planned: known values to honour, `UNKNOWN` where the cloud must decide. */
  readonly planned: ObjectValue;
  /** The configuration as written. */
  readonly config: ObjectValue;
  /** Aborted when Terraform gives up on the request; the cloud's changes are then discarded. */
  readonly signal: AbortSignal;
}

/** For `update`. */
export interface UpdateContext extends CreateContext {
  /** The state before the update. */
  readonly prior: ObjectValue;
}

/** For `delete`. */
export interface DeleteContext extends OperationContext {
  /** The state of the resource being deleted. */
  readonly state: ObjectValue;
  readonly signal: AbortSignal;
}

/** For `read` (refresh). */
export interface ReadContext extends OperationContext {
  /** The state Terraform has; look the object up in the cloud by its id. */
  readonly state: ObjectValue;
}

/** For `import`. */
export interface ImportContext extends OperationContext {
  /** The id given to `terraform import` / an import block. */
  readonly id: string;
}

/** For data source `read`. */
export interface DataSourceReadContext extends OperationContext {
  /** The data block's configuration (always wholly known here). */
  readonly config: ObjectValue;
}

/** For `validate`: checks on configuration before anything is planned. */
export interface ValidateContext {
  readonly typeName: string;
  /** The configuration; may contain `UNKNOWN` values (not yet known), skip those. */
  readonly config: ObjectValue;
  /** Report a problem. */
  error(summary: string, options?: DiagnosticOptions): void;
  /** Report a warning. */
  warn(summary: string, options?: DiagnosticOptions): void;
}

/**
 * A simulated managed resource type, e.g. `aws_vpc`.
 *
 * The framework plans generically (see `plan`), then dispatches apply to `create`, `update` or
 * `delete`. What `create` and `update` return is merged into the planned value: only attributes
 * planned as unknown are taken from it (known planned values always win, as Terraform demands);
 * one it leaves out becomes null, and returning `UNKNOWN` is an error.
 */
export interface ResourceType {
  /** The Terraform type name, e.g. `aws_vpc`. */
  readonly name: string;
  readonly schema: SchemaSpec;
  /** Extra configuration checks (attribute `validate` functions run first). */
  validate?(ctx: ValidateContext): void;
  /**
   * Adjust the plan. Before it runs: defaults are filled in; on create, computed attributes the
   * configuration leaves null are unknown; on update, prior computed values are kept and a change
   * to a `forceNew` attribute asks for replacement.
   */
  plan?(ctx: PlanContext): Awaitable<void>;
  /** Create the object in the cloud; return the values of the attributes planned unknown. */
  create(ctx: CreateContext): Awaitable<ObjectValue>;
  /**
   * Look the object up in the cloud and return its current attributes (merged over the state, so
   * returning only what the cloud knows is fine); null when it no longer exists, which makes
   * Terraform plan to create it again.
   */
  read(ctx: ReadContext): Awaitable<ObjectValue | null>;
  /**
   * Change the object in place; return values for attributes planned unknown (or nothing).
   * @default - the type cannot be updated: every configurable attribute is treated as forceNew
   */
  update?(ctx: UpdateContext): Awaitable<ObjectValue | void>;
  /** Delete the object from the cloud. */
  delete(ctx: DeleteContext): Awaitable<void>;
  /**
   * The state for `terraform import <id>`, or null when there is no such object; `read` runs on
   * it next.
   * @default - `{ id }`, completed by `read`
   */
  import?(ctx: ImportContext): Awaitable<ObjectValue | null>;
  /**
   * Convert state written under an older schema version to the current one (JSON in, JSON out).
   * @default - attributes kept by name; unknown ones dropped, new ones null
   */
  upgrade?(state: JsonObject, fromVersion: number): JsonObject;
}

/** A simulated data source, e.g. `aws_availability_zones`. */
export interface DataSourceType {
  /** The Terraform type name. */
  readonly name: string;
  readonly schema: SchemaSpec;
  /** Extra configuration checks. */
  validate?(ctx: ValidateContext): void;
  /** Look the data up; returns its computed attributes (merged over the configuration). */
  read(ctx: DataSourceReadContext): Awaitable<ObjectValue>;
}

/** For the provider's own `configure`. */
export interface ConfigureContext {
  readonly config: ObjectValue;
  readonly terraformVersion: string;
  error(summary: string, options?: DiagnosticOptions): void;
  warn(summary: string, options?: DiagnosticOptions): void;
}

/** A simulated cloud: what a Terraform provider offers, and where its cloud state lives. */
export interface ProviderDefinition {
  /** `aws`, `google`: names the state file (`<name>.json`). */
  readonly name: string;
  /** The provider block's schema. @default - no attributes */
  readonly schema?: BlockSpec;
  readonly resources: readonly ResourceType[];
  /** @default - none */
  readonly dataSources?: readonly DataSourceType[];
  /** Extra checks on the provider block. */
  validate?(ctx: ValidateContext): void;
  /** Check the configured provider block (e.g. a known region). */
  configure?(ctx: ConfigureContext): Awaitable<void>;
  /**
   * Bring what the cloud derives from many objects up to date after each create, update or
   * delete, in the same transaction (e.g. the health a load balancer sees of its backends, which
   * a firewall rule, a health check or a new instance can change).
   * @default - nothing derived
   */
  afterApply?(cloud: Cloud): Awaitable<void>;
}
