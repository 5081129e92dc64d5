import { ButterError } from '../errors';
import type { StateResource } from '../state/resources';
import { readAws } from './aws';
import { readGoogle } from './google';
import { AccessRule, ReachabilityModel } from './model';
import { comparePorts } from './ports';
import { ResourceIndex, TfResource } from './resource-index';

/** A synthesized stack as cdktf writes it (`cdk.tf.json`), parsed. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, any>>;
  readonly data?: Record<string, Record<string, any>>;
  /** cdktf's metadata (`{ metadata: { stackName } }`). */
  readonly '//'?: unknown;
}

/** A synthesized stack with its name (else taken from the document's cdktf metadata). */
export interface SynthesizedStack {
  /** @default - the `//.metadata.stackName` cdktf writes, if any */
  readonly stack?: string;
  /** The parsed document, or its JSON text. */
  readonly config: TerraformJson | string;
}

/** What {@link fromSynthesized} reads: a document (parsed or text), or one with its stack name. */
export type SynthesizedInput = TerraformJson | string | SynthesizedStack;

/** One stack's deployed resources (from `readStateFile`, `fromShowJson`...). */
export interface StateStack {
  /** @default - unknown */
  readonly stack?: string;
  readonly resources: readonly StateResource[];
}

/**
 * Reachability facts of synthesized stacks, before anything is deployed. References between
 * resources are still `${type.name.attr}` strings; instance addresses are known only where
 * Butter picks them itself (Google's private IPs).
 */
export function fromSynthesized(input: SynthesizedInput | readonly SynthesizedInput[]): ReachabilityModel {
  const inputs = Array.isArray(input) ? input : [input as SynthesizedInput];
  return merge(inputs.map((one) => {
    const { stack, config } = asStack(one);
    return read(synthesizedResources(config), stack);
  }));
}

/**
 * Reachability facts of deployed stacks, from Terraform state (the mock cloud's, or a real
 * one's through `terraform show -json`): references are resolved ids and self links, and
 * instance addresses are known.
 */
export function fromState(input: readonly StateResource[] | StateStack | readonly StateStack[]): ReachabilityModel {
  const stacks: readonly StateStack[] = Array.isArray(input)
    ? (input.length > 0 && 'resources' in input[0] ? input as StateStack[] : [{ resources: input as StateResource[] }])
    : [input as StateStack];
  return merge(stacks.map((s) => read(s.resources, s.stack)));
}

function read(resources: readonly TfResource[], stack?: string): ReachabilityModel {
  const index = new ResourceIndex(resources);
  return merge([readAws(index, stack), readGoogle(index, stack)]);
}

function asStack(input: SynthesizedInput): { stack?: string; config: TerraformJson } {
  const named = typeof input === 'object' && input !== null && 'config' in input && !('resource' in input);
  const given = named ? (input as SynthesizedStack) : { config: input as TerraformJson | string };
  const config = typeof given.config === 'string' ? parseJson(given.config) : given.config;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ButterError('REACHABILITY_INPUT_INVALID', 'a synthesized stack must be a Terraform JSON object', {
      hint: 'pass the parsed cdk.tf.json of a stack (JSON.parse(Testing.synth(stack)))',
    });
  }
  const meta = (config['//'] as any)?.metadata?.stackName;
  return { stack: given.stack ?? (typeof meta === 'string' ? meta : undefined), config };
}

function parseJson(text: string): TerraformJson {
  try {
    return JSON.parse(text) as TerraformJson;
  } catch (e) {
    throw new ButterError('REACHABILITY_INPUT_INVALID', `a synthesized stack is not valid JSON: ${(e as Error).message}`, {
      hint: 'pass the text of cdk.tf.json, or the parsed object',
    });
  }
}

/** A synthesized document's resources and data sources in the state's shape. */
function synthesizedResources(config: TerraformJson): TfResource[] {
  const out: TfResource[] = [];
  for (const [mode, section] of [['managed', config.resource], ['data', config.data]] as const) {
    for (const [type, byName] of Object.entries(section ?? {})) {
      for (const [name, attributes] of Object.entries(byName ?? {})) {
        out.push({ mode, type, name, attributes: (attributes ?? {}) as Record<string, any> });
      }
    }
  }
  return out;
}

/**
 * Several stacks' (or clouds') facts as one model. Networks are known by Butter's name, so two
 * stacks may not both hold a network of one name: answers about `dev/web` would be ambiguous.
 * The result is sorted, so the same infrastructure read from synthesized output and from state
 * gives equal models.
 */
function merge(parts: readonly ReachabilityModel[]): ReachabilityModel {
  const networks = parts.flatMap((p) => p.networks);
  const seen = new Map<string, string | undefined>();
  for (const n of networks) {
    if (seen.has(n.name)) {
      const where = [seen.get(n.name), n.stack].filter(Boolean).map((s) => `stack ${s}`).join(' and ') || 'the input';
      throw new ButterError('REACHABILITY_DUPLICATE_NETWORK', `two networks are named "${n.name}" (in ${where})`, {
        hint: 'give the networks distinct names, or analyse those stacks separately',
      });
    }
    seen.set(n.name, n.stack);
  }
  return {
    networks: [...networks].sort((a, b) => compare(a.name, b.name)),
    services: parts.flatMap((p) => p.services).sort((a, b) => compare(a.key, b.key)),
    rules: parts.flatMap((p) => p.rules).sort(compareRules),
    shadowed: parts.flatMap((p) => p.shadowed ?? []).sort((a, b) => compareRules(a.rule, b.rule) || compare(a.deniedBy, b.deniedBy)),
    warnings: parts.flatMap((p) => p.warnings ?? []).sort(compare),
  };
}

/** Stable order of rules: by destination, source, port, then origin. */
export function compareRules(a: AccessRule, b: AccessRule): number {
  return compare(a.destination, b.destination)
    || compare(sourceText(a), sourceText(b))
    || comparePorts(a.port, b.port)
    || compare(a.origin, b.origin);
}

function sourceText(rule: AccessRule): string {
  return rule.source.kind === 'service' ? `1${rule.source.service}` : `0${rule.source.cidr}`;
}

function compare(a: string | undefined, b: string | undefined): number {
  return a === b ? 0 : (a ?? '') < (b ?? '') ? -1 : 1;
}
