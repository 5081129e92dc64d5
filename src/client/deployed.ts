/**
 * What is deployed in a project folder, whoever deployed it: workspace networks (the Client,
 * `butter network create`) and the stacks of the user's cdktf app (`butter deploy`). Both keep
 * Terraform state in the same places, so one scan finds both; src/inventory reads the state.
 */
import { deployedInventory } from '../cli/show';
import { NetworkInfo } from '../inventory/types';
import { stacksWithState } from '../deploy/deploy';

/** Every network deployed from `dir` (mock or real state), with the stack it came from. */
export function deployedNetworks(dir: string, mock: boolean, stacks = stacksWithState(dir, mock)): NetworkInfo[] {
  return [...deployedInventory({ cwd: dir, stacks, mock }).networks];
}
