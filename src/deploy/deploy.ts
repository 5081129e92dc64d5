import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMockCloud, MockCloud } from '../mock/launch/daemon';
import { assertSimulated } from '../mock/coverage';
import { assertCloudStateReadable } from '../mock/cloud/store';
import { Mirror, prepareMirror, stopMirrorDaemon } from '../mock/launch/mirror';
import { isButterError, withErrorLocation } from '../errors';
import { deployOrder, outputFolder, readManifest, selectStacks, synthesizeApp, SynthesizedStack } from './synth';
import { terraform } from './terraform';
import { reservedSubnetsEnv } from './reserved-subnets';
import { Progress, silentProgress } from './progress';
import { adoptErroredState, startStateServer } from './state-server';
import { initIsCurrent, initKey, recordInit } from './init-stamp';
import { Interrupt, InterruptedError } from './interrupt';

/** What to do to the stacks. */
export type DeployAction = 'plan' | 'deploy' | 'destroy';

/** Options for {@link runStacks}. */
export interface DeployOptions {
  /** The cdktf project folder (holds cdktf.json). */
  readonly cwd: string;
  readonly action: DeployAction;
  /** Stack names; all stacks when empty. @default [] */
  readonly stacks?: readonly string[];
  /**
   * Deploy to the local mock cloud (true) or to the real clouds with the user's credentials.
   * @default true
   */
  readonly mock?: boolean;
  /** Skip synthesis and use what is already in the output folder. @default false */
  readonly skipSynth?: boolean;
  /** With `skipSynth`: the folder holding the synthesized stacks. @default - cdktf.json's `output`, else `<cwd>/cdktf.out` */
  readonly outdir?: string;
  /** @default - nothing is printed */
  readonly progress?: Progress;
  /**
   * A mock cloud already running (tests share one). When absent one is started and stopped.
   * @default - started for this call
   */
  readonly mockCloud?: MockCloud;
  /**
   * Handle SIGINT, SIGTERM and SIGHUP while running (interrupt.ts): the first is passed to
   * Terraform, which stops gracefully and saves its state, and the call then cleans up and
   * rejects with an {@link InterruptedError}; a second exits the process at once. The CLI turns
   * this on; a program with its own signal handling leaves it off.
   * @default false - unless Butter already listens for them in this process (an
   * {@link Interrupt} the command holds, e.g. `butter test`'s): then that one is used
   */
  readonly handleSignals?: boolean;
}

/** What happened to one stack. */
export interface StackOutcome {
  readonly stack: string;
  /** Folder Terraform ran in (its state is there). */
  readonly workdir: string;
  /** Terraform's summary line, e.g. `Apply complete! Resources: 42 added, 0 changed, 0 destroyed.` */
  readonly summary: string;
  /** For plan: whether anything would change. */
  readonly changes?: boolean;
}

/**
 * Synthesize, then run Terraform init and plan/apply/destroy for each stack in dependency order
 * (destroy in reverse). Against the mock cloud, each stack runs in `.butter/mock/stacks/<name>`
 * with its own state, so a mock deploy never touches the state of a real deployment.
 */
export async function runStacks(options: DeployOptions): Promise<StackOutcome[]> {
  const interrupt = options.handleSignals ? Interrupt.listen() : Interrupt.join();
  try {
    return await runStacksUntil(options, interrupt);
  } catch (e) {
    // Whatever failed after a signal failed because of it (Terraform exits 1 when interrupted).
    if (interrupt?.received) throw new InterruptedError(interrupt.received, options.action);
    throw e;
  } finally {
    interrupt?.dispose();
  }
}

async function runStacksUntil(options: DeployOptions, interrupt: Interrupt | undefined): Promise<StackOutcome[]> {
  const progress = options.progress ?? silentProgress;
  const mock = options.mock ?? true;
  const cwd = path.resolve(options.cwd);

  const all = options.skipSynth
    ? readManifest(options.outdir ? path.resolve(options.outdir) : outputFolder(cwd))
    // Subnets already deployed stay off-limits to new allocations even when the address
    // ledger lost their entries (reserved-subnets.ts).
    : await progress.step('synthesize', () => synthesizeApp({ cwd, env: reservedSubnetsEnv(cwd) }));
  let order = deployOrder(selectStacks(all, options.stacks ?? []));
  if (options.action === 'destroy') order = order.reverse();
  interrupt?.throwIfInterrupted(options.action);
  // A damaged mock cloud record stops everything before Terraform could plan on what it seems to say.
  if (mock) assertCloudStateReadable(mockStateDir(cwd));

  const cloud = mock ? options.mockCloud ?? await progress.step('start mock cloud', () => startMockCloud({ stateDir: mockStateDir(cwd) })) : undefined;
  const states = mock ? await startStateServer() : undefined;
  const forgetForce = states ? interrupt?.onForce(() => states.releaseLocks()) : undefined;
  let mirror: Mirror | undefined;
  try {
    const outcomes: StackOutcome[] = [];
    for (const stack of order) {
      interrupt?.throwIfInterrupted(options.action);
      const prepared = states ? prepareMockWorkdir(cwd, stack) : undefined;
      const workdir = prepared?.dir ?? path.dirname(stack.file);
      // A run killed before it could save left its state in errored.tfstate: take it back first.
      if (states) await adoptErroredState(workdir, path.join(workdir, MOCK_STATE_FILE));
      let env: Record<string, string> = {};
      if (prepared && hasSeveralProviderConfigurations(prepared.config)) {
        mirror = await progress.step(`${stack.name}: prepare provider mirror`, () => prepareMockMirror(cwd));
        env = { ...mirror.env };
      } else if (mock) {
        env = mockEnv(cwd, cloud!);
      }
      const stateEnv = states ? { ...states.env, ...states.stackEnv(stack.name, path.join(workdir, MOCK_STATE_FILE)) } : {};
      const key = prepared ? initKey(prepared.config, env) : undefined;
      outcomes.push(await runOne(stack.name, workdir, options.action, { ...env, ...stateEnv }, progress, mock, key, interrupt));
    }
    return outcomes;
  } finally {
    // No launch daemon left behind by Butter's own run. The stop is graceful: plugins a cdktf run
    // in this project got from the same daemon serve on, and its next one starts a new daemon.
    if (mirror) await stopMirrorDaemon(mirror).catch(() => undefined);
    await states?.stop();
    forgetForce?.();
    if (cloud && !options.mockCloud) await cloud.stop();
  }
}

async function runOne(name: string, workdir: string, action: DeployAction, env: Record<string, string>, progress: Progress,
  mock: boolean, key: string | undefined, interrupt: Interrupt | undefined): Promise<StackOutcome> {
  const stateLockFile = mock ? `${path.join(workdir, MOCK_STATE_FILE)}.lock` : undefined;
  const run = (args: string[], okCodes?: number[]) => terraform(args, { cwd: workdir, env, okCodes, interrupt, stateLockFile, onLine: (l) => progress.line(name, l) });
  // init is required after any provider or backend change. A mock stack's folder skips it when
  // nothing init depends on changed since the last one (init-stamp.ts); -reconfigure lets a
  // folder initialized with an older backend block take the new one without offering to migrate
  // state (the state is the same file either way).
  const init = async () => {
    await progress.step(`${name}: terraform init`, () => run(['init', '-input=false', '-no-color', ...(mock ? ['-reconfigure'] : [])]));
    if (mock) recordInit(workdir, key);
  };
  const skippedInit = initIsCurrent(workdir, key);
  if (!skippedInit) await init();
  // What the key cannot see (another Terraform version, a plugin cache emptied by hand) makes
  // Terraform ask for init before it does anything: then init, and run the command again.
  const afterInit = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      if (!skippedInit || !isButterError(e) || !/run\s+"?terraform init/i.test(e.message)) throw e;
      await init();
      return fn();
    }
  };
  if (action === 'plan') {
    const r = await afterInit(() => progress.step(`${name}: terraform plan`, () => run(['plan', '-input=false', '-no-color', '-detailed-exitcode'], [2])));
    return { stack: name, workdir, summary: summaryLine(r.stdout, /^(Plan:|No changes\.)/), changes: r.code === 2 };
  }
  const verb = action === 'deploy' ? 'apply' : 'destroy';
  const r = await afterInit(() => progress.step(`${name}: terraform ${verb}`, () => run([verb, '-input=false', '-no-color', '-auto-approve'])));
  return { stack: name, workdir, summary: summaryLine(r.stdout, /^(Apply|Destroy) complete!/) };
}

function summaryLine(out: string, re: RegExp): string {
  return out.split('\n').map((l) => l.trim()).find((l) => re.test(l)) ?? '';
}

/** Where the mock cloud keeps its record of what exists. */
export function mockStateDir(cwd: string): string {
  return path.join(cwd, '.butter', 'mock-cloud');
}

/** The folder a stack is deployed from, against the mock cloud. */
export function mockWorkdir(cwd: string, stack: string): string {
  return path.join(cwd, '.butter', 'mock', 'stacks', stack);
}

/**
 * A mock-deployed stack's Terraform state. Not `terraform.tfstate`: that is where Terraform looks
 * for the state of an implicit local backend, and `init -reconfigure` would "migrate" it into
 * the state server (see {@link prepareMockWorkdir}).
 */
export function mockStateFile(cwd: string, stack: string): string {
  return path.join(mockWorkdir(cwd, stack), MOCK_STATE_FILE);
}

const MOCK_STATE_FILE = 'butter.tfstate';

/**
 * Where Butter's own deploys keep a stack's Terraform state: the mock deploy's own file, or (a
 * real deployment) where cdktf keeps it by default, `terraform.<stack>.tfstate` in the project.
 * To find a stack's state however it was deployed (declared backends too), see state-sources.ts.
 */
export function stackStateFile(cwd: string, stack: string, mock: boolean): string {
  return mock ? mockStateFile(cwd, stack) : path.join(cwd, `terraform.${stack}.tfstate`);
}

/**
 * Copy the stack's Terraform JSON into its mock working folder (returned with the configuration
 * as written there), with the state kept there
 * (`butter.tfstate`, served by the state server: see state-server.ts for why not the local
 * backend).
 * cdktf's default local backend points at the project root, where a real deployment's state
 * would live: a mock deploy must never write to it.
 */
function prepareMockWorkdir(cwd: string, stack: SynthesizedStack): { dir: string; config: Record<string, unknown> } {
  const dir = mockWorkdir(cwd, stack.name);
  fs.mkdirSync(dir, { recursive: true });
  const config = JSON.parse(fs.readFileSync(stack.file, 'utf8'));
  // Terraform's own "unsupported resource type" says nothing about the mock; this does.
  withErrorLocation({ constructPath: stack.name }, () => assertSimulated(config));
  // The addresses come from the environment (StateServer.stackEnv).
  config.terraform = { ...config.terraform, backend: { http: {} } };
  const text = JSON.stringify(config, null, 2);
  const target = path.join(dir, 'cdk.tf.json');
  if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== text) {
    fs.writeFileSync(`${target}.tmp`, text);
    fs.renameSync(`${target}.tmp`, target);
  }
  adoptLocalBackendState(dir);
  return { dir, config };
}

/**
 * Folders deployed before the state server kept their state in `terraform.tfstate` (the local
 * backend): repair it if a killed run emptied it, then move it to where the server keeps it. No
 * `terraform.tfstate` may stay behind, or `init -reconfigure` would copy it over the server's.
 */
function adoptLocalBackendState(dir: string): void {
  const legacy = path.join(dir, 'terraform.tfstate');
  if (!fs.existsSync(legacy)) return;
  recoverInterruptedState(dir);
  const current = path.join(dir, MOCK_STATE_FILE);
  if (!fs.existsSync(current) && readsAsState(legacy)) fs.renameSync(legacy, current);
  else fs.renameSync(legacy, `${legacy}.old`);
  fs.rmSync(`${legacy}.backup`, { force: true });
}

/**
 * Terraform's local backend (which mock deploys used before the state server) rewrites
 * `terraform.tfstate` after every change by truncating it and then writing it, so a killed apply
 * often left it empty, which Terraform reads as "nothing deployed". It wrote
 * `terraform.tfstate.backup` (the state before the run) first: put that back. Objects the killed run created are then adopted by the mock cloud's create journal.
 * Only mock working folders get this; Butter never rewrites the state of a real deployment.
 * Returns true when it restored the backup.
 */
export function recoverInterruptedState(workdir: string): boolean {
  const state = path.join(workdir, 'terraform.tfstate');
  const backup = `${state}.backup`;
  if (!fs.existsSync(state) || readsAsState(state) || !readsAsState(backup)) return false;
  fs.copyFileSync(backup, `${state}.tmp`);
  fs.renameSync(`${state}.tmp`, state);
  return true;
}

function readsAsState(file: string): boolean {
  try {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof doc === 'object' && doc !== null && doc.version === 4;
  } catch {
    return false;
  }
}

/**
 * True when a stack configures one provider more than once (aliases, e.g. two regions).
 * Terraform reaches a reattached provider at one address whatever the configuration, so one
 * served instance would answer for all of them with one region; such stacks get real plugin
 * processes (one per configuration) through the filesystem mirror instead.
 */
function hasSeveralProviderConfigurations(config: Record<string, unknown>): boolean {
  return Object.values(config.provider ?? {}).some((p) => Array.isArray(p) && p.length > 1);
}

/** The mock cloud through plugins installed from a mirror (its `env` is Terraform's). */
function prepareMockMirror(cwd: string): Promise<Mirror> {
  return prepareMirror(path.join(cwd, '.butter', 'terraform-mirror'), { stateDir: mockStateDir(cwd) });
}

/**
 * Terraform environment for the mock cloud: the reattached providers, and a CLI config that
 * exists (an unset or missing one makes Terraform warn on every command).
 */
function mockEnv(cwd: string, cloud: MockCloud): Record<string, string> {
  const rc = path.join(cwd, '.butter', 'mock', 'terraform.rc');
  if (!fs.existsSync(rc)) {
    fs.mkdirSync(path.dirname(rc), { recursive: true });
    fs.writeFileSync(rc, '# Butter mock cloud: providers are reattached, nothing is installed.\n');
  }
  return { ...cloud.env, TF_CLI_CONFIG_FILE: rc };
}
