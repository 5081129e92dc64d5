// The package's entry point (`main` in package.json): everything a user's code composes.
// Constructs for cdktf stacks, the Client for scripts, reachability questions and the blueprint
// tester's fixture types. The jest matchers are a separate entry (constructs/testing), since
// they only make sense inside jest.
export * from '../constructs';
export * from './client';
export * from './reachability';
export type * from './tester';
export { runBlueprintTest } from './tester';
export { runChecks, CheckedStack, PACKS, ALL_RULES, formatText, formatJson, toSarif, SEVERITIES } from './checks';
export type { Severity, Rule, Finding, CheckReport, Suppression, CheckOptions } from './checks';
