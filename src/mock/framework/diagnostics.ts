import { isButterError } from '../../errors';
import { ValueError } from '../values/codec';

/**
 * Diagnostics: how a provider reports problems to Terraform. Every failure inside the mock cloud
 * becomes one (an error returned as a gRPC failure would make Terraform print "plugin crashed"
 * with no useful detail), and it names the attribute it is about when there is one, so Terraform
 * can underline the offending line of configuration.
 */

/**
 * One step into a value: an attribute name, a list index, or a map key (`{ key: 'Name' }`; a bare
 * string is always an attribute name).
 */
export type PathStep = string | number | { readonly key: string };

/** Where in a resource's value a problem is, e.g. `['ingress', 0, 'from_port']`. */
export type AttributePath = readonly PathStep[];

/** A problem (or warning) for Terraform to show. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  /** One line, like a cloud API error: `InvalidVpcID.NotFound: The vpc ID 'vpc-1' does not exist`. */
  readonly summary: string;
  /** @default - none */
  readonly detail?: string;
  /** @default - the whole resource */
  readonly path?: AttributePath;
}

/** Detail and location of a diagnostic. */
export interface DiagnosticOptions {
  /** @default - none */
  readonly detail?: string;
  /** @default - the whole resource */
  readonly path?: AttributePath;
}

/**
 * What simulated clouds throw for errors the real cloud would return, e.g.
 * `throw new CloudError("InvalidVpcID.NotFound: The vpc ID 'vpc-1' does not exist", { path: ['vpc_id'] })`.
 * Terraform shows it like the real provider's error.
 */
export class CloudError extends Error {
  public readonly diagnostics: readonly Diagnostic[];

  constructor(summary: string, options: DiagnosticOptions = {}) {
    super(summary);
    this.name = 'CloudError';
    this.diagnostics = [{ severity: 'error', summary, ...options }];
  }
}

/** Collects diagnostics while an RPC runs. */
export class DiagnosticList {
  public readonly items: Diagnostic[] = [];

  /** Add an error. (Bound, so it can be handed to callback contexts as is.) */
  public readonly error = (summary: string, options: DiagnosticOptions = {}): void => {
    this.items.push({ severity: 'error', summary, ...options });
  };

  /** Add a warning. (Bound, like `error`.) */
  public readonly warn = (summary: string, options: DiagnosticOptions = {}): void => {
    this.items.push({ severity: 'warning', summary, ...options });
  };

  /** True when any error was added. */
  public get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }

  /**
   * Add what `e` says. `operation` (`aws_vpc create`) goes into the message for errors that are
   * bugs in the simulation rather than problems with the configuration.
   */
  public add(e: unknown, operation: string): void {
    if (e instanceof CloudError) {
      this.items.push(...e.diagnostics);
    } else if (isButterError(e)) {
      this.error(`${e.file ? `${e.file}: ` : ''}${e.problem} [${e.code}]`, { detail: e.hint ? `fix: ${e.hint}` : undefined });
    } else if (e instanceof ValueError) {
      this.error(`Butter mock cloud: ${operation}: value does not fit the schema`, { detail: e.message, path: e.path });
    } else {
      const err = e instanceof Error ? e : new Error(String(e));
      this.error(`Butter mock cloud: ${operation} failed: ${err.message}`, {
        detail: `This is a bug in the Butter mock cloud, not in your configuration.\n${err.stack ?? ''}`,
      });
    }
  }
}

/** The `tfplugin6.Diagnostic` message for a diagnostic. */
export function diagnosticMessage(d: Diagnostic): object {
  return {
    severity: d.severity === 'error' ? 1 : 2,
    summary: d.summary,
    detail: d.detail ?? '',
    attribute: d.path && d.path.length > 0 ? attributePathMessage(d.path) : null,
  };
}

/** The `tfplugin6.AttributePath` message for a path. */
export function attributePathMessage(path: AttributePath): object {
  return {
    steps: path.map((s) => (typeof s === 'string' ? { attribute_name: s }
      : typeof s === 'number' ? { element_key_int: s } : { element_key_string: s.key })),
  };
}
