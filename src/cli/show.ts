import { readStateFile } from '../state/resources';
import { awsInventory } from '../inventory/aws';
import { googleInventory } from '../inventory/google';
import { formatInventory } from '../inventory/format';
import { Inventory, InstanceDetails } from '../inventory/types';
import { mockStateDir, stackStateFile } from '../deploy/deploy';
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
  const awsDetails = mock ? mockInstanceDetails(options.cwd, 'aws') : () => undefined;
  const googleDetails = mock ? mockInstanceDetails(options.cwd, 'google') : () => undefined;
  const networks = options.stacks.flatMap((stack) => {
    const resources = readStateFile(stackStateFile(options.cwd, stack, mock));
    return [...awsInventory(resources, awsDetails, stack).networks, ...googleInventory(resources, googleDetails, stack).networks];
  });
  return { networks };
}

/** Print the inventory (a table for people; `json` for scripts). */
export async function showDeployed(options: ShowOptions & { json?: boolean }): Promise<void> {
  const inv = deployedInventory(options);
  process.stdout.write(options.json ? `${JSON.stringify(inv, null, 2)}\n` : formatInventory(inv));
}

/** Zone and state of instances, which only the (mock) cloud knows. */
function mockInstanceDetails(cwd: string, provider: 'aws' | 'google'): InstanceDetails {
  const store = CloudStore.forProvider(provider, mockStateDir(cwd));
  const instances = new Map<string, any>();
  try {
    // AWS instances are known by id; Google's by name (the per-instance config's name).
    store.read((cloud) => cloud.list('instance').forEach((i: any) => instances.set(provider === 'aws' ? i.id : i.name ?? i.id, i)));
  } catch {
    return () => undefined; // no mock cloud yet: the state alone still says a lot
  }
  return (id) => {
    const i = instances.get(id);
    if (!i) return undefined;
    const zone = String(i.availability_zone ?? i.zone ?? '').split('/').pop() || undefined;
    return { zone, state: i.state ?? (i.status ? String(i.status).toLowerCase() : undefined) };
  };
}
