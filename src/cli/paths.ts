import * as fs from 'node:fs';
import * as path from 'node:path';
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { describeSources, findStackStates, requireStates, synthesizeIfNeeded } from '../deploy/state-sources';
import { workspaceOutdirs } from '../client/deployed';
import { streamProgress } from '../deploy/progress';
import { outputFolder, readManifest, selectStacks, synthesizeApp, SynthesizedStack } from '../deploy/synth';
import { ButterError, isButterError } from '../errors';
import { Port } from '../model/port';
import { fromState, fromSynthesized, Reachability, ReachabilityModel, AccessRule, sourceLabel } from '../reachability';
import { fromShowJson, fromStateDocument, StateResource } from '../state/resources';
import { table } from './table';

/**
 * Where `paths` and `graph` read reachability from, as flags. By default the stacks as they will
 * be deployed: the cdktf app is synthesized first, as `butter synth` does.
 */
export interface SourceFlags {
  readonly dir: string;
  /** Stack names from `--stack` (commands with their own positional arguments). */
  readonly stack?: readonly string[];
  /** Read what is deployed (Terraform state) instead of the synthesized stacks. */
  readonly deployed?: boolean;
  /** With `deployed`: the mock deployment's state (true) or cdktf's own `terraform.<stack>.tfstate`. */
  readonly mock: boolean;
  /** State files or `terraform show -json` documents to read instead. */
  readonly state?: readonly string[];
  /** Synthesize before reading the synthesized stacks (false: use the output folder as it is). */
  readonly synth: boolean;
}

/** What was read, and from where in words (for the graph page and messages). */
export interface LoadedModel {
  readonly model: ReachabilityModel;
  readonly source: string;
}

/** Add the source options (`--deployed`, `--no-mock`, `--state`, `--no-synth`, `--stack`). */
export function sourceOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--stack <name>', 'a stack to read (repeat for more; default: every stack)').argParser(collect))
    .option('--deployed', 'read what is deployed instead of the synthesized stacks: each stack\'s Terraform state wherever it lives (butter deploy\'s, cdktf\'s terraform.<stack>.tfstate, or the backend the stack declares, read with terraform state pull)')
    .option('--mock', 'with --deployed: the local mock cloud\'s deployment', true)
    .option('--no-mock', 'with --deployed: states on a real cloud instead of the mock cloud')
    .addOption(new Option('--state <file>', 'read a Terraform state file or `terraform show -json` output (repeat for more)').argParser(collect).conflicts(['deployed', 'stack']))
    .option('--no-synth', 'read the synthesized stacks in the output folder as they are, without running the cdktf app');
}

/**
 * Read the reachability model the flags and stack names ask for, and say on stderr what the
 * readers could not take into account (the answers may then be incomplete): every command that
 * answers from a model owes the user that warning.
 */
export async function loadModel(flags: SourceFlags, stackNames: readonly string[] = [], signal?: AbortSignal): Promise<LoadedModel> {
  const loaded = await readModel(flags, stackNames, signal);
  for (const w of loaded.model.warnings ?? []) process.stderr.write(`warning: ${w}\n`);
  return loaded;
}

/** `signal` stops the synth (graph --serve: no one waits for the drawing any more). */
async function readModel(flags: SourceFlags, stackNames: readonly string[], signal?: AbortSignal): Promise<LoadedModel> {
  const cwd = path.resolve(flags.dir);
  const names = [...stackNames, ...(flags.stack ?? [])];
  if (flags.state && flags.state.length > 0) {
    if (names.length > 0) {
      throw new ButterError('STATE_WITH_STACKS', 'stack names and --state cannot be combined', { hint: 'a state file holds one stack: pass one --state per stack instead' });
    }
    // Relative to where butter runs, like any file argument (not to -C).
    const files = flags.state.map((f) => path.resolve(f));
    const model = fromState(files.map((file) => ({ stack: path.basename(file).replace(/\.(tfstate|json)$/, ''), resources: readAnyState(file) })));
    return { model, source: `state ${flags.state.join(', ')}` };
  }
  if (flags.deployed) {
    // Every stack's state wherever it lives (Butter's mock state, cdktf's local file, a declared
    // backend through Terraform); each answer names the states it read.
    if (flags.synth) await synthesizeIfNeeded(cwd);
    const report = findStackStates(cwd, { mock: flags.mock, outdirs: workspaceOutdirs(cwd) });
    const states = requireStates(report, flags.mock, (line) => process.stderr.write(`${line}\n`), names);
    const source = `deployed ${flags.mock ? 'on the mock cloud' : 'on a real cloud'}: ${describeSources(states)}`;
    process.stderr.write(`read ${source}\n`);
    const model = fromState(states.map((s) => ({ stack: s.stack, resources: [...s.resources] })));
    return { model, source };
  }
  const all = flags.synth
    ? await streamProgress().step('synthesize', () => synthesizeApp({ cwd, signal }))
    : synthesizedOutput(cwd);
  const stacks = selectStacks(all, names);
  const model = fromSynthesized(stacks.map((s) => ({ stack: s.name, config: readSynthesized(s) })));
  return { model, source: `synthesized stack${stacks.length === 1 ? '' : 's'} ${stacks.map((s) => s.name).join(', ')}` };
}

/**
 * `butter paths list|check|exposure`: the seed's `paths.list`, `has_access`/`internet_accessible`
 * and an exposure report, answered from the synthesized stacks or from deployed state. Returns
 * the `paths` command so that other modules can add subcommands to it (`allow`, `revoke`).
 */
export function registerPathsCommands(program: Command): Command {
  const paths = program
    .command('paths')
    .description('who can reach what: list the allowed flows, check one, or show what the internet reaches');

  sourceOptions(paths
    .command('list [stacks...]')
    .description('list every allowed flow: source, destination, protocol, ports and the rule that allows it')
    .option('--json', 'print JSON for scripts'))
    .action(async (stacks: string[], _opts, cmd: Command) => {
      const o = cmd.optsWithGlobals<SourceFlags & { json?: boolean }>();
      const { model } = await loadModel(o, stacks);
      const flows = new Reachability(model).paths();
      if (o.json) return void process.stdout.write(`${JSON.stringify(flows.map(flowJson), null, 2)}\n`);
      if (flows.length === 0) return void process.stdout.write('no paths: nothing can reach any service\n');
      process.stdout.write(table(['SOURCE', 'DESTINATION', 'PROTOCOL', 'PORTS', 'RULE'], flows.map((r) => [
        sourceLabel(r.source), r.destination, r.port.protocol, portsColumn(r.port), r.origin,
      ])));
    });

  sourceOptions(paths
    .command('check')
    .description('check whether SOURCE may send PORT traffic to DESTINATION; prints the reason; exit 0 when allowed, 1 when not')
    .argument('<source>', 'a service (network/service, or a bare name when only one network has it), a CIDR block or address, or `internet` (also needs a public address and a route)')
    .argument('<destination>', 'a service (network/service, or a bare name)')
    .addArgument(new Argument('<port>', 'port: 80, tcp:80, udp:53, tcp:8000-8080, icmp or all').argParser(parsePort))
    .option('--json', 'print the verdict as JSON for scripts (the exit code still says allowed or not)'))
    .action(async (source: string, destination: string, port: Port, _opts, cmd: Command) => {
      const o = cmd.optsWithGlobals<SourceFlags & { json?: boolean }>();
      const { model } = await loadModel(o);
      const reach = new Reachability(model);
      const internet = source.toLowerCase() === 'internet';
      const verdict = internet ? reach.internetAccessible(destination, port) : reach.hasAccess(source, destination, port);
      const dest = reach.service(destination).key;
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ allowed: verdict.allowed, source: internet ? 'internet' : source, destination: dest, port: String(port), reason: verdict.reason, rules: verdict.rules.map(flowJson) }, null, 2)}\n`);
      } else {
        process.stdout.write(`${verdict.allowed ? 'allowed' : 'denied'}: ${verdict.reason}\n`);
      }
      // Exit 1 when denied, so that scripts can `if butter paths check ...; then`.
      if (!verdict.allowed) {
        throw new ButterError('PATH_DENIED', `${internet ? 'the internet' : source} cannot reach ${dest} on ${port}`, {
          hint: internet
            ? 'see the reason above: a Path from Internet on that port, a public address (instance.public_ip) and an internet route are all needed, or a load balancer forwarding to that port'
            : `add a Path from ${source} to ${dest} on ${port} if this traffic should be allowed`,
        });
      }
    });

  sourceOptions(paths
    .command('exposure [stacks...]')
    .description('services reachable from the internet, and on which ports')
    .option('--json', 'print JSON for scripts'))
    .action(async (stacks: string[], _opts, cmd: Command) => {
      const o = cmd.optsWithGlobals<SourceFlags & { json?: boolean }>();
      const { model } = await loadModel(o, stacks);
      const report = new Reachability(model).exposure();
      const entry = (e: typeof report.exposed[number]) => ({
        service: e.service.key, kind: e.service.role ?? 'service', ...(e.service.balancer && { target: e.service.balancer.target, address: e.service.balancer.address ?? null }),
        ports: e.ports.map(String), rules: e.rules.map((r) => r.origin), reason: e.reason,
      });
      if (o.json) {
        return void process.stdout.write(`${JSON.stringify({ exposed: report.exposed.map(entry), notExposed: report.notExposed.map(entry) }, null, 2)}\n`);
      }
      if (report.exposed.length === 0) process.stdout.write('no service is reachable from the internet\n');
      // The rules are in --json (and `paths list`): their Terraform addresses are long.
      // A balancer is listed with what it fronts; its address is its DNS name (AWS) or IP (Google).
      else process.stdout.write(table(['SERVICE', 'PORTS', 'PUBLIC IPS'], report.exposed.map((e) => [
        e.service.balancer ? `${e.service.key} (load balancer for ${e.service.balancer.target})` : e.service.key,
        e.ports.map(String).join(', '),
        (e.service.balancer ? e.service.balancer.address : e.service.publicIps.join(', ')) || '-',
      ])));
      if (report.notExposed.length > 0) {
        process.stdout.write('\nopen to public addresses by rules, but not reachable from the internet:\n');
        for (const e of report.notExposed) process.stdout.write(`  ${e.service.key}: ${e.reason}\n`);
      }
    });
  return paths;
}

/** One flow for `--json`: strings and numbers only, stable keys. */
function flowJson(r: AccessRule): Record<string, unknown> {
  return {
    source: sourceLabel(r.source),
    sourceKind: r.source.kind,
    destination: r.destination,
    network: r.network,
    port: String(r.port),
    protocol: r.port.protocol,
    from: r.port.from,
    to: r.port.to,
    rule: r.origin,
    ...(r.description ? { description: r.description } : {}),
    ...(r.priority !== undefined ? { priority: r.priority } : {}),
  };
}

/** The PORTS column: `80`, `8000-8080`, `all`; ICMP: `all`, a type, or `type/code`. */
function portsColumn(p: Port): string {
  if (p.protocol === 'all') return 'all';
  if (p.protocol === 'icmp') return p.from === -1 ? 'all' : p.to === -1 ? `type ${p.from}` : `type ${p.from} code ${p.to}`;
  if (p.from === 0 && p.to === 65535) return 'all';
  return p.from === p.to ? String(p.from) : `${p.from}-${p.to}`;
}

/** A bad PORT is a usage error (exit 2), with the same words as everywhere else. */
function parsePort(text: string): Port {
  try {
    return Port.parse(text);
  } catch (e) {
    if (isButterError(e)) throw new InvalidArgumentError(e.message);
    throw e;
  }
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The stacks already synthesized (`--no-synth`), from the output folder's manifest. */
function synthesizedOutput(cwd: string): SynthesizedStack[] {
  const outdir = outputFolder(cwd);
  if (!fs.existsSync(path.join(outdir, 'manifest.json'))) {
    throw new ButterError('SYNTH_OUTPUT_MISSING', `nothing is synthesized in ${path.relative(process.cwd(), outdir) || outdir}`, {
      hint: 'run `butter synth` first, or leave out --no-synth',
    });
  }
  return readManifest(outdir);
}

function readSynthesized(stack: SynthesizedStack): string {
  try {
    return fs.readFileSync(stack.file, 'utf8');
  } catch {
    throw new ButterError('SYNTH_OUTPUT_MISSING', `stack ${stack.name} has no synthesized file`, { file: stack.file, hint: 'run `butter synth` again' });
  }
}

/** A state file (format 4) or `terraform show -json` output, told apart by their shape. */
function readAnyState(file: string): StateResource[] {
  if (!fs.existsSync(file)) throw new ButterError('STATE_NOT_FOUND', `no such file: ${file}`, { file, hint: 'pass a terraform.tfstate file or the output of `terraform show -json`' });
  let doc: any;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ButterError('STATE_INVALID', `not JSON: ${(e as Error).message}`, { file, hint: 'pass a terraform.tfstate file or the output of `terraform show -json`' });
  }
  if (doc?.version === 4) return fromStateDocument(doc, file);
  // `terraform show -json` of an empty state has a format_version and no values.
  if (typeof doc?.format_version === 'string') return fromShowJson(doc);
  throw new ButterError('STATE_INVALID', 'neither a Terraform state (format version 4) nor `terraform show -json` output', {
    file,
    hint: 'pass a terraform.tfstate file or the output of `terraform show -json`',
  });
}
