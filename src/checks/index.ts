// Policy checks over synthesized Terraform JSON (any cdktf or Terraform stack): rules as small
// pure functions (./rules), grouped in packs (./packs), run by the engine (./engine), reported
// as text, JSON or SARIF. Pure: no cdktf imports.
export { runChecks } from './engine';
export type { CheckOptions } from './engine';
export { CheckedStack } from './stack';
export type { CheckedResource } from './stack';
export { PACKS, ALL_RULES } from './packs';
export { formatText, formatJson } from './format';
export { toSarif } from './sarif';
export type { SarifOptions } from './sarif';
export { SEVERITIES, atLeast } from './types';
export type { Severity, Rule, Finding, CheckReport, Suppression, Violation, RuleReferences } from './types';
