/**
 * What is deployed in a project folder, whoever deployed it: workspace networks (the Client,
 * `butter network create`) and the stacks of the user's cdktf app (`butter deploy`). Both keep
 * Terraform state in the same places, so one scan finds both; src/inventory reads the state.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deployedInventory } from '../cli/show';
import { NetworkInfo } from '../inventory/types';
import { mockStateFile, mockWorkdir } from '../deploy/deploy';

/**
 * Names of the stacks with Terraform state in `dir`: against the mock cloud, the stacks'
 * folders under `.butter/mock/stacks`; otherwise cdktf's `terraform.<stack>.tfstate` files.
 */
export function stacksWithState(dir: string, mock: boolean): string[] {
  if (mock) {
    const root = path.dirname(mockWorkdir(dir, 'x'));
    if (!fs.existsSync(root)) return [];
    return fs.readdirSync(root)
      .filter((name) => fs.existsSync(mockStateFile(dir, name)))
      .sort();
  }
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .map((f) => /^terraform\.(.+)\.tfstate$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** Every network deployed from `dir` (mock or real state), with the stack it came from. */
export function deployedNetworks(dir: string, mock: boolean, stacks = stacksWithState(dir, mock)): NetworkInfo[] {
  return [...deployedInventory({ cwd: dir, stacks, mock }).networks];
}
