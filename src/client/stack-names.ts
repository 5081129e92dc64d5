import * as path from 'node:path';

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
