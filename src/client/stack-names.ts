import * as path from 'node:path';
import { createHash } from 'node:crypto';

// How workspace networks map to stacks and folders: plain names, no cdktf, so the Client and the
// CLI can find a network's stack without loading the constructs (constructs/workspace-stack.ts
// synthesizes it).

/** Where one network's stack is synthesized and deployed from. */
export interface NetworkStack {
  /** The Terraform stack name: {@link stackName}. */
  readonly stack: string;
  /** The cdktf output folder (holds `manifest.json`); pass it to `runStacks` as `outdir`. */
  readonly outdir: string;
  /** The stack's Terraform JSON. */
  readonly file: string;
}

/** Prefix of workspace stacks, so they never take the name of a stack of the user's cdktf app. */
export const WORKSPACE_STACK_PREFIX = 'ws-';

/** The stack a workspace network is deployed as. */
export function stackName(network: string): string {
  return `${WORKSPACE_STACK_PREFIX}${network}`;
}

/** The network a workspace stack holds, or undefined for any other stack. */
export function networkOfStack(stack: string): string | undefined {
  return stack.startsWith(WORKSPACE_STACK_PREFIX) ? stack.slice(WORKSPACE_STACK_PREFIX.length) : undefined;
}

/** The address ledger of workspace networks (committed with the workspace file). */
export function workspaceLedger(dir: string): string {
  return path.join(dir, 'butter.workspace.lock.json');
}

/** The cdktf output folder of one workspace network. */
export function stackOutdir(dir: string, network: string): string {
  return path.join(dir, '.butter', 'workspace', stackName(network));
}

/**
 * The PostgreSQL schema holding one workspace network's state (Terraform's pg backend keeps one
 * state per schema and workspace): `<prefix>_<network>`, lower-cased with `-` as `_`; a name
 * that changed that way, or is too long for an identifier (63), gets a short hash of the
 * network's name so that `my-net` and `my_net` never share a state.
 */
export function pgSchemaName(prefix: string, network: string): string {
  const plain = network.toLowerCase().replace(/-/g, '_');
  const name = `${prefix}_${plain}`;
  if (plain === network && name.length <= 63) return name;
  return `${name.slice(0, 56)}_${createHash('sha256').update(network).digest('hex').slice(0, 6)}`;
}
