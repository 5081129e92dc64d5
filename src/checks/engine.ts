import { ALL_RULES } from './packs';
import { CheckedStack } from './stack';
import { atLeast, CheckReport, Finding, Rule, SEVERITIES, Severity } from './types';

/** Options of {@link runChecks}. */
export interface CheckOptions {
  /** @default - every rule ({@link ALL_RULES}) */
  readonly rules?: readonly Rule[];
  /** Findings below this are left out. @default 'low' (everything) */
  readonly minSeverity?: Severity;
}

/**
 * Run rules over stacks: each rule is a pure function of one stack; the engine attaches what
 * and where (stack, address, construct path, blueprint file and key), applies the suppressions
 * recorded in the stack, and the threshold.
 */
export function runChecks(stacks: readonly CheckedStack[], options: CheckOptions = {}): CheckReport {
  const rules = options.rules ?? ALL_RULES;
  const minSeverity = options.minSeverity ?? 'low';
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const stack of stacks) {
    for (const rule of rules) {
      for (const v of rule.check(stack)) {
        const r = v.resource;
        const severity = v.severity ?? rule.severity;
        const suppression = r.suppressions.find((s) => s.id === rule.id);
        const finding: Finding = {
          ruleId: rule.id,
          severity,
          title: rule.title,
          message: v.message,
          fix: rule.fix,
          stack: stack.name,
          address: r.address,
          ...(r.constructPath ? { constructPath: r.constructPath } : {}),
          ...(r.blueprintFile ? { blueprintFile: r.blueprintFile } : {}),
          ...(r.blueprintFile && v.blueprintKey ? { blueprintKey: v.blueprintKey } : {}),
          ...(suppression ? { suppressed: suppression } : {}),
        };
        if (suppression) suppressed.push(finding);
        else if (atLeast(severity, minSeverity)) findings.push(finding);
      }
    }
  }
  return { rules, findings: findings.sort(order), suppressed: suppressed.sort(order), minSeverity, stacks: stacks.map((s) => s.name) };
}

function order(a: Finding, b: Finding): number {
  return cmp(a.stack, b.stack) || SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) || cmp(a.ruleId, b.ruleId) || cmp(a.address, b.address) || cmp(a.message, b.message);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
