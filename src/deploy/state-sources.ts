/**
 * Where each stack's Terraform state is, however the stack was deployed, and what it holds:
 *
 * - `butter deploy --mock` keeps its own state in `.butter/mock/stacks/<stack>/butter.tfstate`;
 * - `cdktf deploy` with no backend declared uses cdktf's LocalBackend, whose default path is
 *   `terraform.<stack>.tfstate` in the folder cdktf ran in (the project; cdktf 0.21 resolves it
 *   against `process.cwd()` at synth time and writes it into cdk.tf.json);
 * - any backend the stack declares (`terraform.backend` in its cdk.tf.json: pg, s3, gcs, remote,
 *   ...) is read through Terraform itself (`terraform init` + `terraform state pull` with only
 *   that backend block, in the user's environment): Butter never re-implements a backend.
 *
 * A state read by Terraform needs no provider, so reading one never starts the mock cloud nor
 * installs anything; the `local` backend is a file and is read as one.
 *
 * Mock and real stay apart by one rule (README "State and teams"): a state is on the mock cloud
 * when the mock cloud (`$BUTTER_MOCK_STATE_DIR`, else the project's `.butter/mock-cloud`) holds
 * the object of at least one of its managed resources, under the same id and, where both record
 * one, the same creation time. Provider addresses cannot tell (the mock installs as
 * registry.terraform.io/hashicorp/aws), ids can: the mock cloud records every object it made.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { ButterError } from '../errors';
import { fromStateDocument, StateResource } from '../state/resources';
import { CloudStore } from '../mock/cloud/store';
import { TERRAFORM_ENV } from './terraform';
import { outputFolder, readManifest, synthesizeApp } from './synth';

/** How a stack's state was found. */
export type StateKind = 'butter-mock' | 'cdktf-local' | 'backend';

/** Which cloud a state's resources are on (`empty`: it holds no cloud resource). */
export type StateCloud = 'mock' | 'real' | 'empty';

/** One stack's state, read. */
export interface StackState {
  readonly stack: string;
  readonly kind: StateKind;
  /** Where it was read from, in words: `cdktf.out/stacks/dev (pg backend)`. */
  readonly location: string;
  readonly cloud: StateCloud;
  readonly resources: readonly StateResource[];
  /** The mock cloud folder the resources are in (mock states only). */
  readonly mockCloudDir?: string;
}

/** A stack with no state anywhere Butter looked. */
export interface StackWithoutState {
  readonly stack: string;
  /** Where Butter looked, in words. */
  readonly looked: readonly string[];
}

/** What {@link findStackStates} found. */
export interface StateReport {
  /** States on the cloud asked for (and empty ones), one per stack and place, sorted by stack. */
  readonly states: readonly StackState[];
  /** States on the other cloud (real ones when the mock was asked for, and the reverse). */
  readonly elsewhere: readonly StackState[];
  /** Stacks with no state at all. */
  readonly missing: readonly StackWithoutState[];
}

/** Options of {@link findStackStates}. */
export interface FindStatesOptions {
  /** States on the mock cloud (true) or on a real one (false). @default true */
  readonly mock?: boolean;
  /** Only these stacks. @default - every stack known: synthesized, or with state on disk */
  readonly stacks?: readonly string[];
  /**
   * Folders holding synthesized stacks (each with a `manifest.json`) besides the project's
   * output folder; workspace networks are synthesized one folder each.
   * @default []
   */
  readonly outdirs?: readonly string[];
  /** The environment Terraform runs with (the user's credentials). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** Find and read the state of every stack of the project in `cwd` (see the module comment). */
export function findStackStates(cwd: string, options: FindStatesOptions = {}): StateReport {
  const mock = options.mock ?? true;
  const env = options.env ?? process.env;
  const root = path.resolve(cwd);
  const declared = synthesizedStacks(root, options.outdirs ?? []);
  const names = options.stacks && options.stacks.length > 0 ? [...options.stacks]
    : [...new Set([...declared.keys(), ...butterMockStacks(root), ...cdktfLocalStacks(root)])].sort();
  const cloudDir = mockCloudDir(root, env);
  const ids = lazy(() => mockCloudIds(cloudDir));
  const states: StackState[] = [];
  const elsewhere: StackState[] = [];
  const missing: StackWithoutState[] = [];
  for (const stack of names) {
    const looked: string[] = [];
    const found: StackState[] = [];
    // butter deploy --mock: always the mock cloud of this project.
    const own = butterMockStateFile(root, stack);
    looked.push(rel(root, own));
    if (fs.existsSync(own)) {
      const resources = readStateDocument(fs.readFileSync(own, 'utf8'), own);
      found.push({ stack, kind: 'butter-mock', location: `${rel(root, own)} (butter deploy)`, cloud: hasCloudResources(resources) ? 'mock' : 'empty', resources, mockCloudDir: mockStateDirOf(root) });
    }
    // cdktf deploy: the stack's declared backend, else cdktf's default local file.
    const file = declared.get(stack);
    const backend = file ? backendOf(file) : undefined;
    let read: { resources: StateResource[]; kind: StateKind; location: string } | undefined;
    if (backend && backend.type !== 'local') {
      const where = `${rel(root, path.dirname(file!))} (${backend.type} backend)`;
      looked.push(where);
      const text = pullState(root, stack, backend, env);
      if (text !== undefined) read = { resources: readStateDocument(text, where), kind: 'backend', location: where };
    } else {
      const local = backend?.config.path !== undefined && typeof backend.config.path === 'string'
        ? path.resolve(path.dirname(file!), backend.config.path)
        : path.join(root, `terraform.${stack}.tfstate`);
      // A workspace network on the mock declares Butter's own mock state file: read above.
      if (local !== own) looked.push(rel(root, local));
      if (local !== own && fs.existsSync(local)) read = { resources: readStateDocument(fs.readFileSync(local, 'utf8'), local), kind: 'cdktf-local', location: `${rel(root, local)} (cdktf local state)` };
    }
    if (read) {
      const cloud = classify(read.resources, ids());
      found.push({ stack, ...read, cloud, ...(cloud === 'mock' ? { mockCloudDir: cloudDir } : {}) });
    }
    if (found.length === 0) missing.push({ stack, looked });
    for (const s of found) (s.cloud === 'empty' || (s.cloud === 'mock') === mock ? states : elsewhere).push(s);
  }
  return { states, elsewhere, missing };
}

/**
 * Where the stacks declare their backends is in the synthesized output: a checkout that has
 * none yet (a fresh clone; cdktf.out is not committed) synthesizes the app once, so a stack
 * deployed by someone else into a shared backend is found. Returns true when it synthesized.
 */
export async function synthesizeIfNeeded(cwd: string): Promise<boolean> {
  if (!fs.existsSync(path.join(cwd, 'cdktf.json'))) return false;
  if (fs.existsSync(path.join(outputFolder(cwd), 'manifest.json'))) return false;
  await synthesizeApp({ cwd });
  return true;
}

/** The mock cloud folder a cdktf deploy to the mock used: the shell's, else the project's. */
export function mockCloudDir(cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.BUTTER_MOCK_STATE_DIR || mockStateDirOf(cwd));
}

// Paths of src/deploy/deploy.ts, spelled here so this module does not import the deploy runner.
function mockStateDirOf(cwd: string): string {
  return path.join(cwd, '.butter', 'mock-cloud');
}
function butterMockStateFile(cwd: string, stack: string): string {
  return path.join(cwd, '.butter', 'mock', 'stacks', stack, 'butter.tfstate');
}
function butterMockStacks(cwd: string): string[] {
  const dir = path.join(cwd, '.butter', 'mock', 'stacks');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => fs.existsSync(butterMockStateFile(cwd, n))) : [];
}
function cdktfLocalStacks(cwd: string): string[] {
  return fs.readdirSync(cwd).map((f) => /^terraform\.(.+)\.tfstate$/.exec(f)?.[1]).filter((n): n is string => n !== undefined);
}

/** Stack name → its cdk.tf.json, from the output folders' manifests (those that exist). */
function synthesizedStacks(cwd: string, extra: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  let main: string | undefined;
  try {
    main = outputFolder(cwd);
  } catch {
    main = undefined; // an unreadable cdktf.json: the state files on disk are still found
  }
  for (const dir of [...(main ? [main] : []), ...extra]) {
    if (!fs.existsSync(path.join(dir, 'manifest.json'))) continue;
    for (const s of readManifest(dir)) if (!out.has(s.name) && fs.existsSync(s.file)) out.set(s.name, s.file);
  }
  return out;
}

/** A declared backend: its type and settings, as cdk.tf.json has them. */
interface Backend {
  readonly type: string;
  readonly config: Record<string, unknown>;
}

function backendOf(file: string): Backend | undefined {
  let doc: any;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ButterError('SYNTH_OUTPUT_INVALID', `the synthesized stack is not JSON: ${(e as Error).message}`, { file, hint: 'synthesize again (butter synth)' });
  }
  const backends = doc?.terraform?.backend;
  if (!backends || typeof backends !== 'object') return undefined;
  const [type] = Object.keys(backends);
  if (type === undefined) return undefined;
  return { type, config: backends[type] ?? {} };
}

/**
 * The state of a declared backend, through Terraform: a folder under `.butter/state-read/` with
 * nothing but that backend block, `terraform init` (again only when the block changed) and
 * `terraform state pull`. Undefined when the backend holds no state for the stack.
 */
function pullState(cwd: string, stack: string, backend: Backend, env: NodeJS.ProcessEnv): string | undefined {
  const config = JSON.stringify({ terraform: { backend: { [backend.type]: backend.config } } }, null, 2);
  const dir = path.join(cwd, '.butter', 'state-read', stack);
  const file = path.join(dir, 'main.tf.json');
  const mark = path.join(dir, '.initialized');
  const digest = createHash('sha256').update(config).digest('hex');
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== config) fs.writeFileSync(file, config);
  const run = (args: string[]) => runTerraformSync(args, dir, env, stack, backend.type);
  if (!fs.existsSync(mark) || fs.readFileSync(mark, 'utf8') !== digest) {
    run(['init', '-input=false', '-no-color', '-reconfigure']);
    fs.writeFileSync(mark, digest);
  }
  const text = run(['state', 'pull']).trim();
  return text === '' ? undefined : text;
}

function runTerraformSync(args: string[], cwd: string, env: NodeJS.ProcessEnv, stack: string, type: string): string {
  const r = spawnSync('terraform', args, {
    cwd,
    env: { ...env, ...TERRAFORM_ENV },
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 512 * 1024 * 1024,
  });
  if (r.error) {
    throw new ButterError('TERRAFORM_NOT_FOUND', `could not run terraform to read the ${type} backend of stack ${stack}: ${r.error.message}`, {
      hint: 'install Terraform 1.11 or later and put it on the PATH',
    });
  }
  if (r.status !== 0) {
    const said = (r.stderr || r.stdout).trim().split('\n').slice(-20).join('\n');
    throw new ButterError('STATE_READ_FAILED', `could not read the state of stack ${stack} from its ${type} backend (terraform ${args.join(' ')}):\n${said}`, {
      constructPath: stack,
      hint: `Butter reads backends through Terraform with your environment: set what the ${type} backend needs (credentials, e.g. PG_CONN_STR for pg) and run again`,
    });
  }
  return r.stdout;
}

/** Resources of a state document's text (`terraform state pull` or a state file). */
function readStateDocument(text: string, where: string): StateResource[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ButterError('STATE_INVALID', `Terraform state is not valid JSON: ${(e as Error).message}`, { file: where, hint: 'restore the state from its backup' });
  }
  return fromStateDocument(doc, where);
}

const CLOUD_TYPE = /^(aws|google)_/;

function hasCloudResources(resources: readonly StateResource[]): boolean {
  return resources.some((r) => r.mode === 'managed' && CLOUD_TYPE.test(r.type));
}

/** Mock cloud objects by provider, id → creation time (or null when the object has none). */
type MockIds = Map<string, Map<string, string | null>>;

/** The mock or real cloud a state's resources are on (see the module comment). */
export function classify(resources: readonly StateResource[], ids: MockIds): StateCloud {
  const cloudResources = resources.filter((r) => r.mode === 'managed' && CLOUD_TYPE.test(r.type));
  if (cloudResources.length === 0) return 'empty';
  const onMock = cloudResources.some((r) => {
    const provider = CLOUD_TYPE.exec(r.type)![1];
    const id = r.attributes.id;
    if (typeof id !== 'string') return false;
    const created = ids.get(provider)?.get(id);
    if (created === undefined) return false;
    const stateCreated = r.attributes.creation_timestamp;
    return created === null || typeof stateCreated !== 'string' || stateCreated === created;
  });
  return onMock ? 'mock' : 'real';
}

/** Every object id of the mock cloud in `dir` (empty when there is no mock cloud there). */
export function mockCloudIds(dir: string): MockIds {
  const out: MockIds = new Map();
  for (const provider of ['aws', 'google']) {
    const ids = new Map<string, string | null>();
    out.set(provider, ids);
    const file = path.join(dir, `${provider}.json`);
    if (!fs.existsSync(file)) continue;
    // The store checks the document (format, provider, an interrupted write) before it is read.
    const doc = new CloudStore(file, provider).read(() => JSON.parse(fs.readFileSync(file, 'utf8'))) as { objects?: Record<string, Record<string, any>> };
    for (const objects of Object.values(doc.objects ?? {})) {
      for (const [id, o] of Object.entries(objects ?? {})) {
        const created = o?.creation_timestamp ?? o?.attributes?.creation_timestamp;
        ids.set(id, typeof created === 'string' ? created : null);
      }
    }
  }
  return out;
}

/** The states as the answer's first line says it: `from cdktf.out/stacks/dev (pg backend)`. */
export function describeSources(states: readonly StackState[]): string {
  return states.map((s) => `${s.stack} from ${s.location}`).join('; ');
}

/**
 * The states of `report` for a command that needs at least one: stacks without state are said
 * on `warn`, one line each; an error when nothing was found names what was looked for and any
 * state on the other cloud. With `names`, the states of those stacks, each of which must have one.
 */
export function requireStates(report: StateReport, mock: boolean, warn: (line: string) => void, names: readonly string[] = []): readonly StackState[] {
  const where = mock ? 'on the mock cloud' : 'on a real cloud';
  const other = (stack: string) => report.elsewhere.filter((s) => s.stack === stack);
  const deployed = [...new Set(report.states.map((s) => s.stack))];
  for (const name of names) {
    if (report.states.some((s) => s.stack === name)) continue;
    const there = other(name);
    const looked = report.missing.find((m) => m.stack === name)?.looked ?? [];
    throw new ButterError('STACK_NOT_DEPLOYED', `stack "${name}" is not deployed ${where}`, {
      hint: there.length ? `its state in ${there[0].location} is on ${mock ? 'a real cloud: add --no-mock' : 'the mock cloud: leave out --no-mock'}`
        : `${deployed.length ? `deployed stacks are: ${deployed.join(', ')}` : 'deploy it first (butter deploy, or cdktf deploy)'}${looked.length ? `; no state in ${looked.join(', ')}` : ''}`,
    });
  }
  if (names.length > 0) return report.states.filter((s) => names.includes(s.stack));
  for (const m of report.missing) warn(`stack ${m.stack}: no state (looked in ${m.looked.join(', ')})`);
  for (const s of report.elsewhere) warn(`stack ${s.stack}: its state in ${s.location} is on ${s.cloud === 'mock' ? 'the mock cloud (leave out --no-mock to read it)' : 'a real cloud (add --no-mock to read it)'}`);
  if (report.states.length > 0) return report.states;
  const elsewhere = [...new Set(report.elsewhere.map((s) => s.stack))];
  const detail = [
    ...(report.missing.length ? [`without any state: ${report.missing.map((m) => m.stack).join(', ')}`] : []),
    ...(elsewhere.length ? [`with state ${mock ? 'on a real cloud' : 'on the mock cloud'}: ${elsewhere.join(', ')}`] : []),
  ];
  throw new ButterError('NOTHING_DEPLOYED', `no deployed stack ${where}${detail.length ? ` (${detail.join('; ')})` : ' (no synthesized stack, no state file)'}`, {
    hint: elsewhere.length ? (mock ? 'add --no-mock to read the real deployment' : 'leave out --no-mock to read the mock deployment')
      : mock ? 'deploy first (butter deploy, or cdktf deploy with the mock environment), or read the synthesized stacks (leave out --deployed)' : 'deploy with cdktf deploy first, or pass --state FILE',
  });
}

// ------------------------------------------------------------------------------ state locks

/** The lock Terraform reports, as its `Lock Info:` block says it. */
export interface LockInfo {
  readonly id?: string;
  readonly operation?: string;
  readonly who?: string;
  readonly created?: string;
}

/** Terraform's `Lock Info:` block, or undefined when `output` is no lock error. */
export function parseLockError(output: string): LockInfo | undefined {
  if (!/Error acquiring the state lock/.test(output)) return undefined;
  const field = (name: string) => new RegExp(`^\\s*${name}:[ \\t]*(.*)$`, 'm').exec(output)?.[1].trim() || undefined;
  return { id: field('ID'), operation: field('Operation'), who: field('Who'), created: field('Created') };
}

/**
 * A Terraform run in `workdir` that stopped on the state lock, as a ButterError saying who holds
 * it; undefined when `output` is not a lock error. Terraform's pg backend keeps no lock owner
 * (PostgreSQL advisory locks carry none; the Lock Info it prints is the failing run's own), so
 * for pg the holder is asked of PostgreSQL itself (psql, when it is installed): the sessions
 * holding advisory locks in the state's database.
 */
export function stateLockError(workdir: string, output: string, env: NodeJS.ProcessEnv = process.env): ButterError | undefined {
  const info = parseLockError(output);
  if (!info) return undefined;
  const backend = ['cdk.tf.json', 'main.tf.json'].map((f) => path.join(workdir, f)).filter((f) => fs.existsSync(f)).map((f) => {
    try {
      return backendOf(f);
    } catch {
      return undefined;
    }
  })[0];
  const stack = path.basename(workdir);
  if (backend?.type === 'pg') {
    const conn = typeof backend.config.conn_str === 'string' ? backend.config.conn_str : env.PG_CONN_STR;
    const holders = conn ? pgLockHolders(conn, env) : undefined;
    return new ButterError('STATE_LOCKED', `the state of stack ${stack} (pg backend) is locked by another Terraform run: ${holders === undefined
      ? 'Terraform\'s pg backend does not record who holds its lock, and psql could not ask PostgreSQL'
      : holders.length === 0 ? 'PostgreSQL shows no session holding it any more' : `held by ${holders.join('; ')}`}`, {
      constructPath: stack,
      hint: 'wait for that run to finish and run again (a pg lock ends with its holder\'s connection; the Lock Info Terraform printed is this run\'s own)',
    });
  }
  const who = [info.who ? `held by ${info.who}` : 'held by another run', info.operation ? `running ${info.operation.replace(/^OperationType/, '').toLowerCase()}` : undefined,
    info.created ? `since ${info.created}` : undefined, info.id ? `lock ID ${info.id}` : undefined].filter(Boolean).join(', ');
  return new ButterError('STATE_LOCKED', `the state of stack ${stack}${backend ? ` (${backend.type} backend)` : ''} is locked by another Terraform run: ${who}`, {
    constructPath: stack,
    hint: `wait for that run to finish and run again; only if it died: terraform force-unlock ${info.id ?? 'LOCK_ID'} in ${workdir}`,
  });
}

/** Sessions holding advisory locks in the database of `conn` (not this one), or undefined when psql cannot tell. */
function pgLockHolders(conn: string, env: NodeJS.ProcessEnv): string[] | undefined {
  const query = "SELECT a.pid, a.usename, coalesce(host(a.client_addr), 'local'), to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), a.application_name"
    + ' FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid'
    + " WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database() AND a.pid <> pg_backend_pid()"
    + ' GROUP BY 1, 2, 3, 4, 5 ORDER BY 1';
  const r = spawnSync('psql', [conn, '-X', '-A', '-t', '-F', '|', '-c', query], { env: { ...env, PGCONNECT_TIMEOUT: '5' }, encoding: 'utf8', timeout: 15_000 });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.split('\n').filter((l) => l.trim()).map((l) => {
    const [pid, user, from, since, app] = l.split('|');
    return `the PostgreSQL session of ${user} from ${from} (server pid ${pid}${app ? `, ${app}` : ''}), connected since ${since} UTC`;
  });
}

function rel(root: string, p: string): string {
  const r = path.relative(root, p);
  return r === '' ? '.' : r.startsWith('..') ? p : r;
}

function lazy<T>(fn: () => T): () => T {
  let v: { value: T } | undefined;
  return () => (v ??= { value: fn() }).value;
}
