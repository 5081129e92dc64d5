// Reachability: who can reach what, from what will actually be deployed (a synthesized stack)
// or what is (Terraform state), on AWS and Google alike. Pure: no cdktf imports.
import type { StateResource } from '../state/resources';
import { Reachability } from './analysis';
import { fromState, fromSynthesized, StateStack, SynthesizedInput } from './read';

export { Reachability } from './analysis';
export type { Verdict, InternetVerdict, ServiceExposure, ExposureReport, ServiceRef, SourceRef } from './analysis';
export { fromSynthesized, fromState, compareRules } from './read';
export type { TerraformJson, SynthesizedStack, SynthesizedInput, StateStack } from './read';
export type { ReachabilityModel, NetworkNode, ServiceNode, ServiceKey, AccessRule, TrafficSource, ShadowedRule, Cloud, BalancerFacts } from './model';
export type { PortInput } from './ports';
export { sourceLabel, ruleText } from './explain';

/** Where {@link reachabilityOf} reads from. */
export type ReachabilitySource =
  | { readonly synthesized: SynthesizedInput | readonly SynthesizedInput[] }
  | { readonly state: readonly StateResource[] | StateStack | readonly StateStack[] };

/** Read and index in one step: `reachabilityOf({ synthesized: doc }).hasAccess('lb', 'web', 80)`. */
export function reachabilityOf(source: ReachabilitySource): Reachability {
  return new Reachability('synthesized' in source ? fromSynthesized(source.synthesized) : fromState(source.state));
}
