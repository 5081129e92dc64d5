import * as path from 'node:path';
import { readStateFile } from '../state/resources';
import { awsInventory } from '../inventory/aws';
import { formatInventory } from '../inventory/format';
import { Inventory, InstanceDetails } from '../inventory/types';
import { mockStateDir, mockWorkdir } from '../deploy/deploy';
import { CloudStore } from '../mock/cloud/store';

/** Options for {@link deployedInventory}. */
export interface ShowOptions {
  readonly cwd: string;
  readonly stacks: readonly string[];
  /** Read the mock deployment (its own state folders) rather than cdktf's. @default true */
  readonly mock?: boolean;
}

/** What the stacks' Terraform state says is deployed, enriched with the mock cloud's instance facts. */
export function deployedInventory(options: ShowOptions): Inventory {
  const mock = options.mock ?? true;
  const details = mock ? mockInstanceDetails(options.cwd) : () => undefined;
  const networks = options.stacks.flatMap((stack) => {
    const dir = mock ? mockWorkdir(options.cwd, stack) : path.join(options.cwd, 'cdktf.out', 'stacks', stack);
    const stateFile = mock ? path.join(dir, 'terraform.tfstate') : path.join(options.cwd, `terraform.${stack}.tfstate`);
    return awsInventory(readStateFile(stateFile), details, stack).networks;
  });
  return { networks };
}

/** Print the inventory (a table for people; `json` for scripts). */
export async function showDeployed(options: ShowOptions & { json?: boolean }): Promise<void> {
  const inv = deployedInventory(options);
  process.stdout.write(options.json ? `${JSON.stringify(inv, null, 2)}\n` : formatInventory(inv));
}

/** Zone and state of instances, which only the (mock) cloud knows. */
function mockInstanceDetails(cwd: string): InstanceDetails {
  const store = CloudStore.forProvider('aws', mockStateDir(cwd));
  const instances = new Map<string, any>();
  try {
    store.read((cloud) => cloud.list('instance').forEach((i: any) => instances.set(i.id, i)));
  } catch {
    return () => undefined; // no mock cloud yet: the state alone still says a lot
  }
  return (id) => {
    const i = instances.get(id);
    return i ? { zone: i.availability_zone ?? i.zone, state: i.state } : undefined;
  };
}
