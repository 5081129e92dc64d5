import type { CheckedStack, CheckedResource } from './stack';

/**
 * How bad a finding is. `critical` and `high` are errors (SARIF `error`), `medium` a warning,
 * `low` a note: the order is what `--min-severity` compares.
 */
export type Severity = 'low' | 'medium' | 'high' | 'critical';

export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** True when `s` is at least `threshold`. */
export function atLeast(s: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(s) >= SEVERITIES.indexOf(threshold);
}

/** What other scanners call the same (or the nearest) check, for people who know them. */
export interface RuleReferences {
  /** checkov check ids (`CKV_AWS_79`). @default - none */
  readonly checkov?: readonly string[];
  /** trivy/tfsec ids (`AVD-AWS-0028`, `aws-ec2-enforce-http-token-imds`). @default - none */
  readonly trivy?: readonly string[];
}

/** One problem a rule found in one resource. */
export interface Violation {
  readonly resource: CheckedResource;
  /** What is wrong with this resource, one sentence. */
  readonly message: string;
  /**
   * The blueprint key that controls it, when a Butter blueprint does (`instance.google.os_login`).
   * @default - none
   */
  readonly blueprintKey?: string;
  /** @default - the rule's severity */
  readonly severity?: Severity;
}

/**
 * A policy rule: a small pure function over one synthesized stack. Rules must cope with any
 * Terraform JSON: missing fields, unknown resource types, references and expressions where a
 * literal was expected (a value known only at deploy time is not a finding).
 */
export interface Rule {
  /** Stable id (`BUTTER-AWS-001`); never reused for another meaning. */
  readonly id: string;
  readonly severity: Severity;
  /** A short title: what the rule wants. */
  readonly title: string;
  /** Why it matters, a sentence or two (SARIF full description, README). */
  readonly description: string;
  /** How to fix a finding. */
  readonly fix: string;
  readonly references: RuleReferences;
  readonly check: (stack: CheckedStack) => readonly Violation[];
}

/** A suppression: the rule it silences, and why (required). */
export interface Suppression {
  readonly id: string;
  readonly reason: string;
}

/** One finding, as reported. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly fix: string;
  /** The stack it is in. */
  readonly stack: string;
  /** The Terraform address (`aws_launch_template.dev_web_lt_1234` or `data.aws_ami.x`). */
  readonly address: string;
  /** The construct path cdktf recorded (`aws-haproxy/dev/web/lt`). @default - none */
  readonly constructPath?: string;
  /** The blueprint file of the Butter service the resource belongs to. @default - none */
  readonly blueprintFile?: string;
  /** The key in that blueprint. @default - none */
  readonly blueprintKey?: string;
  /** Set when a suppression in code silences it. @default - not suppressed */
  readonly suppressed?: Suppression;
}

/** What a check run found. */
export interface CheckReport {
  /** The rules that ran. */
  readonly rules: readonly Rule[];
  /** Findings at or above the threshold, not suppressed. */
  readonly findings: readonly Finding[];
  /** Findings silenced by a suppression (any severity). */
  readonly suppressed: readonly Finding[];
  /** The threshold. */
  readonly minSeverity: Severity;
  /** The stacks checked. */
  readonly stacks: readonly string[];
}
