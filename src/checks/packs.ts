import { awsRules } from './rules/aws';
import { balancingRules } from './rules/balancing';
import { exposureRules } from './rules/exposure';
import { googleRules } from './rules/google';
import type { Rule } from './types';

/**
 * Packs: named sets of rules, as cdk-nag's. The rules themselves know nothing of packs, and
 * the engine runs whatever list it is given.
 */
export const PACKS: Readonly<Record<string, readonly Rule[]>> = {
  /** Every rule: what `butter check` and `Checks.of(app)` run unless told otherwise. */
  butter: [...exposureRules, ...awsRules, ...googleRules, ...balancingRules],
  aws: [...exposureRules, ...awsRules, ...balancingRules],
  google: [...exposureRules, ...googleRules, ...balancingRules],
};

/** Every rule, by id. */
export const ALL_RULES: readonly Rule[] = PACKS.butter;
