import { Command } from 'commander';
import { Client } from '../client/client';
import { canonicalPort, canonicalSource } from '../client/workspace';
import { hasPublicAddress, rangeOf } from '../reachability/addresses';
import { targetOptions, usageArg, withClient, WorkspaceFlags } from './workspace-options';

interface PathFlags extends WorkspaceFlags {
  readonly network?: string;
}

/**
 * `butter paths allow|revoke SRC DST PORT`: add or remove a Path of the workspace. They join
 * the `paths` command that also answers reachability questions (`paths list|check|exposure`),
 * so they are added to that command rather than registered on their own.
 */
export function registerPathsEditCommands(paths: Command): void {
  for (const [verb, op, what] of [
    ['allow', 'add', 'allow traffic from SRC (a service of the same network, a CIDR block, or internet) to the service DST on PORT, and deploy it'],
    ['revoke', 'remove', 'remove a path added with `paths allow`, and deploy the change'],
  ] as const) {
    targetOptions(paths
      .command(verb)
      .description(what)
      .argument('<source>', 'a service of the same network, a CIDR block (203.0.113.0/24), or internet (0.0.0.0/0)')
      .argument('<destination>', 'the service receiving the traffic')
      .argument('<port>', 'port: 80, tcp:80, udp:53, tcp:8000-8080, icmp or all', usageArg((text: string) => (canonicalPort(text), text)))
      .option('--network <name>', 'the network of DST (default: the one network with a service of that name)'), false)
      .action(async (source: string, destination: string, port: string, _opts, cmd: Command) => {
        const o = cmd.optsWithGlobals<PathFlags>();
        await withClient(o, async (client) => {
          const options = { network: o.network };
          if (op === 'add') await client.paths.add(source, destination, port, options);
          else await client.paths.remove(source, destination, port, options);
          const p = canonicalPort(port);
          const from = /^\d/.test(source) || source === 'internet' ? source : `service ${source}`;
          process.stdout.write(op === 'add' ? `allowed: ${from} -> ${destination} on ${p}\n` : `revoked: ${from} -> ${destination} on ${p}\n`);
          if (op === 'add') warnIfNoPublicAddress(client, source, destination, p, o.network);
        });
      });
  }
}

/**
 * After `paths allow <public block> <service>`: when the service's instances have no public
 * address the path is recorded and deployed but admits nothing; say so (stderr, exit code 0).
 */
function warnIfNoPublicAddress(client: Client, source: string, destination: string, port: string, network?: string): void {
  const cidr = canonicalSource(source, []);
  const range = cidr === undefined ? undefined : rangeOf(cidr);
  if (!range || !hasPublicAddress(range)) return;
  const service = client.service.list(network).find((s) => s.name === destination);
  if (!service || service.instances.length === 0 || service.instances.some((i) => i.publicIp)) return;
  process.stderr.write(`warning: this path admits nothing yet: ${destination} has no public address, so nothing from ${source} can reach it `
    + '(give its instances one with instance.public_ip: true in its blueprint)\n');
}
