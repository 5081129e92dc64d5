import { readStateFile } from '../state/resources';
import { awsInventory } from '../inventory/aws';
import { googleInventory } from '../inventory/google';
import { formatInventory } from '../inventory/format';
import { Inventory, InstanceDetails } from '../inventory/types';
import { mockStateDir, stackStateFile } from '../deploy/deploy';
import { StackState } from '../deploy/state-sources';
import { StateResource } from '../state/resources';
import { CloudStore } from '../mock/cloud/store';
import { instanceTargetHealth } from '../mock/aws/elb-model';

/** Options for {@link deployedInventory}. */
export interface ShowOptions {
  readonly cwd: string;
  readonly stacks: readonly string[];
  /** Read the mock deployment (its own state folders) rather than cdktf's. @default true */
  readonly mock?: boolean;
}

/**
 * What the state Butter's own deploys keep (`butter deploy`: the mock's state folders, or
 * `terraform.<stack>.tfstate`) says is deployed, enriched with the mock cloud's instance facts.
 * For every place a stack's state may be (cdktf deploys, declared backends) use
 * {@link inventoryOf} with src/deploy/state-sources.ts.
 */
export function deployedInventory(options: ShowOptions): Inventory {
  const mock = options.mock ?? true;
  const details = mock ? detailsOf(mockStateDir(options.cwd)) : undefined;
  return { networks: options.stacks.flatMap((stack) => networksOf(stack, readStateFile(stackStateFile(options.cwd, stack, mock)), details)) };
}

/**
 * The inventory of states found wherever they live: each network says which state it came from
 * (`source`); mock states get the instance facts of the mock cloud that holds them.
 */
export function inventoryOf(states: readonly StackState[]): Inventory {
  const clouds = new Map<string, ReturnType<typeof detailsOf>>();
  const detailsFor = (dir: string) => clouds.get(dir) ?? clouds.set(dir, detailsOf(dir)).get(dir)!;
  return {
    networks: states.flatMap((s) => networksOf(s.stack, s.resources, s.mockCloudDir ? detailsFor(s.mockCloudDir) : undefined)
      .map((n) => ({ ...n, source: s.location }))),
  };
}

function detailsOf(cloudDir: string): { aws: InstanceDetails; google: InstanceDetails } {
  return { aws: mockInstanceDetails(cloudDir, 'aws'), google: mockInstanceDetails(cloudDir, 'google') };
}

function networksOf(stack: string, resources: readonly StateResource[], details?: { aws: InstanceDetails; google: InstanceDetails }) {
  const none: InstanceDetails = () => undefined;
  return [...awsInventory([...resources], details?.aws ?? none, stack).networks, ...googleInventory([...resources], details?.google ?? none, stack).networks];
}

/** Print the inventory (a table for people; `json` for scripts). */
export async function showDeployed(options: ShowOptions & { json?: boolean }): Promise<void> {
  const inv = deployedInventory(options);
  process.stdout.write(options.json ? `${JSON.stringify(inv, null, 2)}\n` : formatInventory(inv));
}

/** Zone and state of instances, which only the (mock) cloud knows. */
export function mockInstanceDetails(cloudDir: string, provider: 'aws' | 'google'): InstanceDetails {
  const store = CloudStore.forProvider(provider, cloudDir);
  const instances = new Map<string, any>();
  let health = new Map<string, string>();
  try {
    // AWS instances are known by id; Google's by name (the per-instance config's name).
    store.read((cloud) => cloud.list('instance').forEach((i: any) => instances.set(provider === 'aws' ? i.id : i.name ?? i.id, i)));
    if (provider === 'aws') health = store.read((cloud) => instanceTargetHealth(cloud));
    // Google: the health load balancers see of a backend, kept on the instance's record (HEALTHY, UNHEALTHY).
    else instances.forEach((i: any, id) => { if (typeof i.health === 'string') health.set(id, i.health.toLowerCase()); });
  } catch {
    return () => undefined; // no mock cloud yet: the state alone still says a lot
  }
  const details = (id: string) => {
    const i = instances.get(id);
    if (!i) return undefined;
    const zone = String(i.availability_zone ?? i.zone ?? '').split('/').pop() || undefined;
    return { zone, state: i.state ?? (i.status ? String(i.status).toLowerCase() : undefined), ...(health.has(id) ? { health: health.get(id) } : {}) };
  };
  // Google: the instances of a group no per-instance config names (an autoscaled group).
  const membersOf = (group: string) => [...instances.entries()]
    .filter(([, i]) => provider === 'google' && typeof i.instance_group_manager === 'string' && i.instance_group_manager === group)
    .map(([id, i]) => ({ id, privateIp: i.private_ip ?? undefined, publicIp: i.public_ip ?? undefined, ...details(id) }));
  return Object.assign(details, { membersOf });
}
