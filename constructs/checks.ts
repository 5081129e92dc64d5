import { Annotations, Aspects, IAspect, TerraformResource, TerraformStack, TerraformDataSource } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { ButterError, displayPath } from '../src/errors';
import type { CheckReport, Rule, Severity, Suppression } from '../src/checks';

/** Options of {@link Checks.of}. */
export interface ChecksOptions {
  /** @default - every rule */
  readonly rules?: readonly Rule[];
  /** Findings below this are not reported. @default 'low' */
  readonly minSeverity?: Severity;
  /**
   * Findings at or above this become error annotations, which make `cdktf synth` fail;
   * the rest are warnings.
   * @default - none: every finding is a warning
   */
  readonly errorSeverity?: Severity;
}

/**
 * Record where a resource comes from (the blueprint file, as shown in messages) and any
 * blueprint overrides of Butter's defaults in its `//` metadata, which Terraform ignores and
 * `butter check` reads, so findings name the blueprint file and key.
 */
export function recordBlueprint(resource: TerraformResource | TerraformDataSource, file: string | undefined, overrides?: Record<string, unknown>): void {
  if (file) resource.addOverride('//.butter.blueprint', displayPath(file));
  if (overrides && Object.keys(overrides).length > 0) resource.addOverride('//.butter.overrides', overrides);
}

/** The suppressions recorded on each resource, so several suppressions on one resource add up. */
const recorded = new WeakMap<IConstruct, Suppression[]>();

/** Adds one suppression to every resource and data source under a scope, at synth. */
class SuppressionAspect implements IAspect {
  constructor(private readonly suppression: Suppression) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) && !(node instanceof TerraformDataSource)) return;
    const list = recorded.get(node) ?? [];
    if (list.some((s) => s.id === this.suppression.id)) return;
    list.push(this.suppression);
    recorded.set(node, list);
    // In the resource's `//` metadata, so `butter check --file cdk.tf.json` sees it too.
    node.addOverride('//.butter.suppressions', list.map((s) => ({ ...s })));
  }
}

/** Runs the checks on each stack at synth and prints findings as annotations. */
class ChecksAspect implements IAspect {
  private readonly stacks = new WeakSet<TerraformStack>();

  constructor(private readonly options: ChecksOptions) {}

  public visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || this.stacks.has(node)) return;
    this.stacks.add(node);
    const stack = node;
    // Validations run after every aspect (suppressions included) and before the annotations
    // are collected and printed: the stack is complete by then.
    stack.node.addValidation({
      validate: () => {
        annotate(stack, Checks.report(stack, this.options), this.options.errorSeverity);
        return [];
      },
    });
  }
}

/**
 * Policy checks in the construct tree: suppressions with a reason, recorded in the synthesized
 * JSON, and an Aspect that runs the checks at synth.
 *
 * ```ts
 * Checks.of(app);                                              // cdktf synth prints findings
 * Checks.suppress(lb, 'BUTTER-AWS-005', 'HAProxy is the internet-facing entry point');
 * ```
 */
export class Checks {
  /**
   * Run the checks on every stack under `scope` at synth: each finding becomes a warning (or,
   * from `errorSeverity` up, an error) annotation on the resource's construct, which `cdktf
   * synth` prints. Given the App, it covers the stacks that exist when it is called (cdktf runs
   * aspects per stack), so call it after creating them.
   */
  public static of(scope: IConstruct, options: ChecksOptions = {}): void {
    const aspect = new ChecksAspect(options);
    for (const s of aspectScopes(scope)) Aspects.of(s).add(aspect);
  }

  /**
   * Silence rule `ruleId` for every resource under `scope` (a Service, a Path, a whole stack),
   * for a reason. The suppression is written into each resource's `//` metadata, so `butter
   * check` on the synthesized file honours it and lists it as suppressed.
   */
  public static suppress(scope: IConstruct, ruleId: string, reason: string): void {
    if (typeof ruleId !== 'string' || !/^[A-Z][A-Z0-9-]{0,63}$/.test(ruleId)) {
      throw new ButterError('CHECK_SUPPRESSION_INVALID', `"${String(ruleId)}" is not a rule id`, {
        constructPath: scope.node.path, hint: 'name the rule as butter check reports it, e.g. BUTTER-AWS-004',
      });
    }
    if (typeof reason !== 'string' || reason.trim() === '' || reason.length > 1000) {
      throw new ButterError('CHECK_SUPPRESSION_INVALID', `a suppression of ${ruleId} needs a reason (at most 1000 characters)`, {
        constructPath: scope.node.path, hint: 'say why the finding is acceptable here; it is kept in the synthesized JSON and in reports',
      });
    }
    const aspect = new SuppressionAspect({ id: ruleId, reason: reason.trim() });
    for (const s of aspectScopes(scope)) Aspects.of(s).add(aspect);
  }

  /**
   * The check report of one stack as it synthesizes now (aspects applied, so suppressions
   * count). Used by the Aspect and the `toPassChecks` matcher.
   */
  public static report(stack: TerraformStack, options: ChecksOptions = {}): CheckReport {
    const doc = JSON.parse(JSON.stringify(stack.toTerraform()));
    // The engine and its rules load when a stack is first checked, not with the constructs.
    const { CheckedStack, runChecks } = require('../src/checks') as typeof import('../src/checks');
    return runChecks([new CheckedStack(stack.node.id, doc)], options);
  }
}

/**
 * Where to attach an aspect for `scope`. cdktf invokes aspects from each stack down, so
 * aspects on the App (or anything above the stacks) would never run: for those, the stacks
 * under it now. Call `Checks.of(app)` / `Checks.suppress(app, ...)` after creating the stacks.
 */
function aspectScopes(scope: IConstruct): IConstruct[] {
  if (scope.node.scopes.some((s) => TerraformStack.isStack(s))) return [scope];
  const stacks = scope.node.findAll().filter((c) => TerraformStack.isStack(c));
  if (stacks.length === 0) {
    throw new ButterError('CHECK_SCOPE_EMPTY', `${scope.node.path || 'the app'} holds no stack yet`, {
      constructPath: scope.node.path, hint: 'call Checks.of(app) / Checks.suppress(app, ...) after creating the stacks, or pass a stack or a construct in one',
    });
  }
  return stacks;
}

function annotate(stack: TerraformStack, report: CheckReport, errorSeverity: Severity | undefined): void {
  const byPath = new Map<string, Construct>(stack.node.findAll().map((c) => [c.node.path, c as Construct]));
  const order: Severity[] = ['low', 'medium', 'high', 'critical'];
  for (const f of report.findings) {
    const target = (f.constructPath && byPath.get(f.constructPath)) || stack;
    const text = `[${f.ruleId}] ${f.message}. Fix: ${f.fix}`;
    if (errorSeverity && order.indexOf(f.severity) >= order.indexOf(errorSeverity)) Annotations.of(target).addError(text);
    else Annotations.of(target).addWarning(text);
  }
}
