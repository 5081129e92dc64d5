import { Command } from 'commander';
import { formatInventory } from '../inventory/format';
import { argumentFile, networksTable, printJson, targetOptions, withClient, WorkspaceFlags } from './workspace-options';

/**
 * `butter network create|list|get|destroy`: networks without writing a stack, and every
 * deployed network (the workspace's and those of the folder's cdktf app) for inspection.
 */
export function registerNetworkCommands(program: Command): void {
  const network = program
    .command('network')
    .description('create, inspect and destroy networks (recorded in butter.workspace.json, deployed with Terraform; the mock cloud by default)');

  targetOptions(network
    .command('create <name>')
    .description('create a network and deploy it')
    .option('--blueprint <file>', 'network blueprint (default: 10.0.0.0/8 range, a /16 network, NAT per zone)'))
    .action(async (name: string, _opts, cmd: Command) => {
      const o = cmd.optsWithGlobals<WorkspaceFlags & { blueprint?: string }>();
      await withClient(o, async (client) => {
        const n = await client.network.create(name, { blueprint: o.blueprint === undefined ? undefined : argumentFile(o, o.blueprint) });
        if (o.json) printJson(n);
        else process.stdout.write(formatInventory({ networks: [n] }));
      });
    });

  targetOptions(network
    .command('list')
    .description('list deployed networks: the workspace\'s, then those deployed from the cdktf app with butter deploy'))
    .action(async (_opts, cmd: Command) => {
      const o = cmd.optsWithGlobals<WorkspaceFlags>();
      await withClient(o, (client) => {
        const networks = client.network.list();
        if (o.json) printJson(networks);
        else process.stdout.write(networksTable(networks, client));
      });
    });

  targetOptions(network
    .command('get <name>')
    .description('show a deployed network: its services, their subnets and instances, and its paths'))
    .action(async (name: string, _opts, cmd: Command) => {
      const o = cmd.optsWithGlobals<WorkspaceFlags>();
      await withClient(o, (client) => {
        const n = client.network.get(name);
        if (o.json) printJson(n);
        else process.stdout.write(formatInventory({ networks: [n] }));
      });
    });

  targetOptions(network
    .command('destroy <name>')
    .description('destroy a workspace network with all its services and paths (an unknown name is an error, exit 1, unless --if-exists)')
    .option('--if-exists', 'do nothing when there is no such network', false), false)
    .action(async (name: string, _opts, cmd: Command) => {
      const o = cmd.optsWithGlobals<WorkspaceFlags & { ifExists: boolean }>();
      await withClient(o, async (client) => {
        const ws = client.workspace();
        if (!ws.networks.some((n) => n.name === name) && o.ifExists) {
          process.stdout.write(`network ${name}: not in the workspace, nothing to destroy\n`);
          return;
        }
        const services = ws.services.filter((s) => s.network === name).length;
        const paths = ws.paths.filter((p) => p.network === name).length;
        await client.network.destroy(name);
        process.stdout.write(`network ${name}: destroyed, with ${plural(services, 'service')} and ${plural(paths, 'path')}\n`);
      });
    });
}

/** `1 service`, `2 services`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
