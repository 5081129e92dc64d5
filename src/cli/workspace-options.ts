/**
 * What the `network`, `service` and `paths allow|revoke` commands share: the target options,
 * opening the {@link Client} they are a thin layer over, and printing its results.
 */
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { Client } from '../client/client';
import { Target, TARGETS, WorkspaceBackend } from '../client/workspace';
import { parseBackendOption } from '../client/backend-option';
import { stackName } from '../client/stack-names';
import { streamProgress } from '../deploy/progress';
import { isButterError } from '../errors';
import { NetworkInfo, ServiceInfo } from '../inventory/types';
import { portLabel } from '../inventory/format';
import { table } from './table';

/** Options every workspace command accepts (with the program's global ones). */
export interface WorkspaceFlags {
  readonly dir: string;
  readonly cloud?: Target;
  readonly region?: string;
  readonly project?: string;
  readonly backend?: WorkspaceBackend;
  readonly json?: boolean;
}

/** Add `--cloud`, `--region`, `--project` (and `--json` unless `json` is false). */
export function targetOptions(cmd: Command, json = true): Command {
  cmd
    .addOption(new Option('--cloud <target>', 'where to deploy: the local mock of a cloud, or the real cloud with your credentials (default: the workspace\'s, else mock-aws)')
      .choices(TARGETS))
    .option('--region <region>', 'region of the workspace\'s networks (default: us-east-1 on AWS, us-central1 on Google)')
    .option('--project <id>', 'Google Cloud project (default on the mock: butter-mock)')
    .option('--backend <spec>', 'where real-cloud networks keep their state: local, pg[:schemaPrefix=NAME], s3:bucket=B[,keyPrefix=K][,region=R] or gcs:bucket=B[,prefix=P]; credentials come from the environment (default: the workspace\'s, else local)',
      usageArg(parseBackendOption));
  if (json) cmd.option('--json', 'print JSON for scripts instead of a table');
  return cmd;
}

/**
 * Open the workspace in `--dir` with the command's target options; progress goes to stderr, and
 * a signal stops a change as it stops `butter deploy` (exit 130/143, saying how to resume).
 */
export function openClient(flags: WorkspaceFlags): Promise<Client> {
  return Client.open({
    dir: flags.dir, target: flags.cloud, region: flags.region, project: flags.project, backend: flags.backend, progress: streamProgress(),
    handleSignals: true,
  });
}

/** Run `fn` with a client and close it (stopping the mock cloud) whatever happens. */
export async function withClient<T>(flags: WorkspaceFlags, fn: (client: Client) => Promise<T> | T): Promise<T> {
  const client = await openClient(flags);
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/**
 * A file named on the command line, resolved as if butter had been started in `--dir` (like
 * `git -C`), so `-C ws --blueprint web.yml` means `ws/web.yml`.
 */
export function argumentFile(flags: WorkspaceFlags, file: string): string {
  return path.resolve(flags.dir, file);
}

/** Print `value` as JSON (for `--json`). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A whole number of at least `min`, for commander's argument parsers (a bad one is a usage error, exit 2). */
export function integerArg(min: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number, at least ${min}`);
    return n;
  };
}

/** Turn a ButterError from an argument parser into a usage error (exit 2) with the same words. */
export function usageArg<A extends unknown[], T>(parse: (...args: A) => T): (...args: A) => T {
  return (...args) => {
    try {
      return parse(...args);
    } catch (e) {
      if (isButterError(e)) throw new InvalidArgumentError(e.message);
      throw e;
    }
  };
}

/** Where a network was deployed from, in words: the workspace, or a stack of the cdktf app. */
function origin(n: NetworkInfo, client: Client): string {
  return n.stack === stackName(n.name) && client.workspace().networks.some((x) => x.name === n.name) ? 'workspace' : `stack ${n.stack ?? '?'}`;
}

/** `butter network list`. */
export function networksTable(networks: readonly NetworkInfo[], client: Client): string {
  if (networks.length === 0) return 'no networks are deployed (create one: butter network create NAME)\n';
  return table(['NAME', 'CLOUD', 'CIDR', 'SERVICES', 'INSTANCES', 'PATHS', 'FROM'], networks.map((n) => [
    n.name,
    n.cloud,
    n.cidr ?? '-',
    String(n.services.length),
    String(n.services.reduce((sum, s) => sum + s.instances.length, 0)),
    String(n.paths.length),
    origin(n, client),
  ]));
}

/** `butter service list`. */
export function servicesTable(services: readonly ServiceInfo[]): string {
  if (services.length === 0) return 'no services are deployed\n';
  return table(['NETWORK', 'SERVICE', 'INSTANCES', 'ZONES', 'SUBNETS'], services.map((s) => [
    s.network,
    s.name,
    `${s.instances.length}/${s.desired}`,
    [...new Set(s.subnets.map((x) => x.zone ?? '?'))].join(','),
    s.subnets.map((x) => x.cidr).join(','),
  ]));
}

/** `butter service get`: the service's subnets, instances and the paths into it. */
export function describeService(s: ServiceInfo, network: NetworkInfo): string {
  const out = [`service ${s.name} in network ${s.network}: ${s.instances.length} of ${s.desired} instances\n`];
  out.push(table(['SUBNET', 'ZONE', 'CIDR'], s.subnets.map((x) => [x.id, x.zone ?? '-', x.cidr])));
  if (s.instances.length) {
    out.push(table(['INSTANCE', 'ZONE', 'PRIVATE IP', 'PUBLIC IP', 'STATE'],
      s.instances.map((i) => [i.id, i.zone ?? '-', i.privateIp ?? '-', i.publicIp ?? '-', i.state ?? '-'])));
  }
  const into = network.paths.filter((p) => p.destination === s.name);
  const from = network.paths.filter((p) => p.sourceKind === 'service' && p.source === s.name);
  out.push(into.length ? `allowed in: ${into.map((p) => `${p.source} on ${portLabel(p)}`).join(', ')}\n` : 'allowed in: nothing (no path leads to it)\n');
  if (from.length) out.push(`allowed out to: ${from.map((p) => `${p.destination} on ${portLabel(p)}`).join(', ')}\n`);
  return out.join('');
}
