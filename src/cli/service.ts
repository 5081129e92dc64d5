import * as path from 'node:path';
import { Command } from 'commander';
import { parseVarAssignment, readVarFile } from '../client/vars';
import {
  argumentFile, describeService, integerArg, printJson, servicesTable, targetOptions, usageArg, withClient, WorkspaceFlags,
} from './workspace-options';
import { plural } from './network';
import { synthesizeIfNeeded } from '../deploy/state-sources';
import { Client } from '../client/client';
import { deployedStates } from '../client/deployed';

/** `--deployed`: one stderr line per stack saying which state was read, or that it has none. */
function reportStates(client: Client): void {
  const report = deployedStates(client.dir, client.mock);
  for (const s of report.states) process.stderr.write(`read ${s.stack} from ${s.location}\n`);
  for (const m of report.missing) process.stderr.write(`stack ${m.stack}: no state (looked in ${m.looked.join(', ')})\n`);
  for (const s of report.elsewhere) process.stderr.write(`stack ${s.stack}: its state in ${s.location} is on ${s.cloud === 'mock' ? 'the mock cloud' : 'a real cloud'} (not read)\n`);
}

interface ServiceCreateFlags extends WorkspaceFlags {
  readonly blueprint: string;
  readonly count?: number;
  /** `--var` assignments, in the order given. */
  readonly var?: Array<[string, unknown]>;
  readonly varFile?: string;
}

/** `butter service create|list|get|destroy`. */
export function registerServiceCommands(program: Command): void {
  const service = program
    .command('service')
    .description('create, inspect and destroy services: groups of instances made from a blueprint, in a network');

  targetOptions(service
    .command('create <network> <name>')
    .description('create a service in a workspace network and deploy it')
    .requiredOption('--blueprint <file>', 'service blueprint (YAML)')
    .option('--count <n>', 'instances to run (default: one per zone of the blueprint)', integerArg(0))
    .option('--var <name=value>', 'a template variable for the startup scripts; the value is YAML (--var ips=\'[10.0.0.5, 10.0.0.6]\'); repeatable, wins over --var-file',
      usageArg((text: string, previous?: Array<[string, unknown]>) => [...(previous ?? []), parseVarAssignment(text)]))
    .option('--var-file <file>', 'template variables from a YAML or JSON mapping'))
    .action(async (network: string, name: string, _opts, cmd: Command) => {
      const o = cmd.optsWithGlobals<ServiceCreateFlags>();
      const vars = { ...(o.varFile ? readVarFile(argumentFile(o, o.varFile)) : {}), ...Object.fromEntries(o.var ?? []) };
      await withClient(o, async (client) => {
        const s = await client.service.create(network, name, { blueprint: argumentFile(o, o.blueprint), count: o.count, vars });
        if (o.json) printJson(s);
        else process.stdout.write(describeService(s, client.network.get(network)));
      });
    });

  targetOptions(service
    .command('list [network]')
    .description('list deployed services, of one network or of all')
    .option('--deployed', 'say on stderr which Terraform state each stack was read from (synthesizing the cdktf app first when nothing is synthesized, to find the backends its stacks declare)'))
    .action(async (network: string | undefined, _opts, cmd: Command) => {
      const o = cmd.optsWithGlobals<WorkspaceFlags & { deployed?: boolean }>();
      if (o.deployed) await synthesizeIfNeeded(path.resolve(o.dir));
      await withClient(o, (client) => {
        if (o.deployed) reportStates(client);
        const services = client.service.list(network);
        if (o.json) printJson(services);
        else process.stdout.write(servicesTable(services));
      });
    });

  targetOptions(service
    .command('get <network> <name>')
    .description('show a deployed service: subnets (zone, CIDR), instances (zone, private and public IP, state) and paths'))
    .action(async (network: string, name: string, _opts, cmd: Command) => {
      const o = cmd.optsWithGlobals<WorkspaceFlags>();
      await withClient(o, (client) => {
        const s = client.service.get(network, name);
        if (o.json) printJson(s);
        else process.stdout.write(describeService(s, client.network.get(network)));
      });
    });

  targetOptions(service
    .command('destroy <network> <name>')
    .description('destroy a service and every path into or out of it; the network stays (an unknown name is an error, exit 1, unless --if-exists)')
    .option('--if-exists', 'do nothing when there is no such service', false), false)
    .action(async (network: string, name: string, _opts, cmd: Command) => {
      const o = cmd.optsWithGlobals<WorkspaceFlags & { ifExists: boolean }>();
      await withClient(o, async (client) => {
        const ws = client.workspace();
        if (o.ifExists && !ws.services.some((s) => s.network === network && s.name === name)) {
          process.stdout.write(`service ${network}/${name}: not in the workspace, nothing to destroy\n`);
          return;
        }
        const paths = ws.paths.filter((p) => p.network === network && (p.source === name || p.destination === name));
        await client.service.destroy(network, name);
        const gone = paths.map((p) => `${p.source} -> ${p.destination} ${p.port}`).join(', ');
        process.stdout.write(`service ${network}/${name}: destroyed, with ${plural(paths.length, 'path')}${gone ? ` (${gone})` : ''}\n`);
      });
    });
}
