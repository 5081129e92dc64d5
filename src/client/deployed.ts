/**
 * What is deployed in a project folder, whoever deployed it and wherever its state lives:
 * workspace networks (the Client, `butter network create`), the stacks of the user's cdktf app
 * (`butter deploy`, `cdktf deploy`), into Butter's own mock state, cdktf's local state file or a
 * backend the stack declares (read through Terraform: src/deploy/state-sources.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inventoryOf } from '../cli/show';
import { NetworkInfo } from '../inventory/types';
import { findStackStates, StateReport } from '../deploy/state-sources';

/** The workspace networks' output folders (one cdktf output folder per network). */
export function workspaceOutdirs(dir: string): string[] {
  const root = path.join(dir, '.butter', 'workspace');
  return fs.existsSync(root) ? fs.readdirSync(root).sort().map((n) => path.join(root, n)) : [];
}

/** Every stack's state in `dir` (workspace networks' and the cdktf app's), on the mock or a real cloud. */
export function deployedStates(dir: string, mock: boolean, stacks?: readonly string[]): StateReport {
  return findStackStates(dir, { mock, stacks, outdirs: workspaceOutdirs(dir) });
}

/** Every network deployed from `dir` (mock or real state), with the stack and state it came from. */
export function deployedNetworks(dir: string, mock: boolean, report = deployedStates(dir, mock)): NetworkInfo[] {
  return [...inventoryOf(report.states).networks];
}
