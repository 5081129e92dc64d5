import * as fs from 'node:fs';
import * as path from 'node:path';
import { ButterError } from '../errors';
import { BUILTIN_PROVIDERS } from '../mock/catalog';
import { Kind as AwsKind } from '../mock/aws/model';
import { backupFile, CloudStateError, CloudStore } from '../mock/cloud/store';
import { acquireLock } from '../mock/cloud/file-lock';
import { PluginCommand, shellQuote } from '../mock/launch/command';
import { prepareMirror } from '../mock/launch/mirror';
import { ProviderEntry } from '../mock/provider-entry';
import { mockStateDir } from './deploy';

/**
 * The mock cloud for plain `cdktf deploy` / `terraform` runs, and its housekeeping.
 *
 * `butter deploy` reattaches in-process providers and needs none of this. `cdktf deploy` spawns
 * Terraform itself, so the providers must come from a filesystem mirror (see
 * src/mock/launch/mirror.ts) and a few cdktf habits must be switched off, which is what
 * {@link setupCdktfMock}'s environment does. Both ways share one mock cloud state folder,
 * `.butter/mock-cloud` in the project, so `butter mock status` sees what either deployed.
 */

/** Where `butter mock setup` writes the filesystem mirror: `<project>/.butter/terraform-mirror`. */
export function mockMirrorDir(cwd: string): string {
  return path.join(path.resolve(cwd), '.butter', 'terraform-mirror');
}

/** Options for {@link setupCdktfMock}. */
export interface CdktfMockOptions {
  /** The cdktf project folder (holds cdktf.json). */
  readonly cwd: string;
  /** How the plugins run. @default - the bundled mock cloud entry point (built on first use) */
  readonly command?: PluginCommand;
  /** @default BUILTIN_PROVIDERS (hashicorp/aws, hashicorp/google) */
  readonly providers?: readonly ProviderEntry[];
}

/** A prepared mirror and the environment `cdktf deploy` needs to use it. */
export interface CdktfMockSetup {
  /** The filesystem mirror folder. */
  readonly mirrorDir: string;
  /** Terraform CLI configuration installing the mock providers from the mirror. */
  readonly cliConfigFile: string;
  /** The mock cloud state folder (the same one `butter deploy` uses). */
  readonly stateDir: string;
  /** The providers the mirror holds, e.g. `registry.terraform.io/hashicorp/aws 6.25.0`. */
  readonly providers: readonly string[];
  /** Environment for `cdktf deploy` / `cdktf destroy` / `terraform`, in the order to print it. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Write (or refresh) the mirror in `.butter/terraform-mirror` with the mock cloud state fixed to
 * `.butter/mock-cloud`, and say which environment makes `npx cdktf deploy` use it:
 *
 * - `TF_CLI_CONFIG_FILE`: the mirror's CLI configuration (`terraform init` installs
 *   hashicorp/aws and hashicorp/google from the mirror, offline; other providers come from their
 *   registries as usual).
 * - `BUTTER_MOCK_STATE_DIR`: where the plugins keep the mock cloud. The mirror's runner already
 *   defaults to it; exporting it overrides any other value left in the shell.
 * - `CHECKPOINT_DISABLE=1`: no version and telemetry calls from Terraform or cdktf.
 * - `CDKTF_SKIP_PROVIDER_LOCK=true` (cdktf's `--skip-provider-lock`): after the first
 *   `terraform init` of a stack, cdktf runs `terraform providers lock -platform=linux_amd64`,
 *   which ignores the CLI configuration's mirror, asks registry.terraform.io, and fails. The lock
 *   file `init` writes (with the mirror's hash) is all a mock deploy needs.
 * - `CDKTF_DISABLE_PLUGIN_CACHE_ENV=true` and an empty `TF_PLUGIN_CACHE_DIR`: cdktf points
 *   Terraform at the shared `~/.terraform.d/plugin-cache`, where the mock providers would then
 *   stand in for the real hashicorp/aws 6.25.0 in every other project using that cache. Empty
 *   means no cache (cdktf's default does not apply, and Terraform ignores an empty value).
 */
export async function setupCdktfMock(options: CdktfMockOptions): Promise<CdktfMockSetup> {
  const cwd = path.resolve(options.cwd);
  const providers = options.providers ?? BUILTIN_PROVIDERS;
  const stateDir = mockStateDir(cwd);
  const mirror = await prepareMirror(mockMirrorDir(cwd), { stateDir, providers, command: options.command });
  return {
    mirrorDir: mirror.dir,
    cliConfigFile: mirror.cliConfigFile,
    stateDir,
    providers: providers.map((p) => `${p.source} ${p.version}`),
    env: cdktfMockEnv(mirror.cliConfigFile, stateDir),
  };
}

/** The environment of {@link setupCdktfMock}, for a mirror's CLI config and a state folder. */
export function cdktfMockEnv(cliConfigFile: string, stateDir: string): Record<string, string> {
  return {
    TF_CLI_CONFIG_FILE: cliConfigFile,
    BUTTER_MOCK_STATE_DIR: stateDir,
    CHECKPOINT_DISABLE: '1',
    CDKTF_SKIP_PROVIDER_LOCK: 'true',
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: 'true',
    TF_PLUGIN_CACHE_DIR: '',
  };
}

/** `export NAME=value` lines for a POSIX shell (`eval "$(butter mock setup --shell)"`). */
export function shellExports(env: Readonly<Record<string, string>>): string {
  return Object.entries(env).map(([k, v]) => `export ${k}=${v === '' ? '' : shellQuote(v)}\n`).join('');
}

// --- status -----------------------------------------------------------------------------------

/**
 * Kinds the simulations keep for their own bookkeeping (AWS's counters behind public IPs and
 * launch order). They are not cloud objects: a cloud holding only these is empty.
 */
const BOOKKEEPING_KINDS: ReadonlySet<string> = new Set([AwsKind.meta]);

/** One provider's part of the mock cloud. */
export interface ProviderCloudStatus {
  readonly provider: string;
  /** Its state file. */
  readonly file: string;
  /** Changes committed so far (0 for a cloud nothing was ever written to). */
  readonly serial: number;
  /** Objects per kind, bookkeeping left out, sorted by kind. */
  readonly kinds: Readonly<Record<string, number>>;
  /** All objects (sum of `kinds`). */
  readonly objects: number;
  /** Why the file cannot be read (then nothing else is known). */
  readonly error?: string;
}

/** What the mock cloud of a project holds. */
export interface MockCloudStatus {
  readonly stateDir: string;
  /** One entry per state file (`<provider>.json`), by provider name. */
  readonly providers: readonly ProviderCloudStatus[];
  /** Objects in all providers. */
  readonly objects: number;
  /** True when no provider holds anything and every file could be read. */
  readonly empty: boolean;
  /** Whether `butter mock setup` was run (the mirror's CLI config exists). */
  readonly mirror: { readonly dir: string; readonly ready: boolean };
}

/** Read the project's mock cloud state files (read-only: no lock taken, nothing written). */
export function mockCloudStatus(cwd: string): MockCloudStatus {
  const stateDir = mockStateDir(path.resolve(cwd));
  const providers = stateFiles(stateDir).map(({ provider, file }) => providerStatus(provider, file));
  const objects = providers.reduce((n, p) => n + p.objects, 0);
  const mirrorDir = mockMirrorDir(cwd);
  return {
    stateDir,
    providers,
    objects,
    empty: objects === 0 && providers.every((p) => !p.error),
    mirror: { dir: mirrorDir, ready: fs.existsSync(path.join(mirrorDir, 'terraform.rc')) },
  };
}

function stateFiles(stateDir: string): { provider: string; file: string }[] {
  let names: string[];
  try {
    names = fs.readdirSync(stateDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names
    .filter((n) => /^[a-z0-9_-]+\.json$/.test(n))
    .sort()
    .map((n) => ({ provider: n.slice(0, -'.json'.length), file: path.join(stateDir, n) }));
}

function providerStatus(provider: string, file: string): ProviderCloudStatus {
  const store = new CloudStore(file, provider);
  try {
    // The store validates the document (format, provider) first; the kinds come from the raw JSON.
    const kinds: Record<string, number> = {};
    let serial = 0;
    store.read((cloud) => {
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { serial?: number; objects: Record<string, object> };
      serial = typeof doc.serial === 'number' ? doc.serial : 0;
      for (const kind of Object.keys(doc.objects).sort()) {
        if (BOOKKEEPING_KINDS.has(kind)) continue;
        const n = cloud.list(kind).length;
        if (n > 0) kinds[kind] = n;
      }
    });
    const objects = Object.values(kinds).reduce((a, b) => a + b, 0);
    return { provider, file, serial, kinds, objects };
  } catch (e) {
    const problem = e instanceof CloudStateError ? e.problem : (e as Error).message;
    return { provider, file, serial: 0, kinds: {}, objects: 0, error: problem };
  }
}

/** `aws: 9 instance, 9 subnet; google: 2 network`: what a status holds, in one line. */
export function describeContents(status: MockCloudStatus): string {
  return status.providers
    .filter((p) => p.objects > 0 || p.error)
    .map((p) => `${p.provider}: ${p.error ? `unreadable (${p.error})` : Object.entries(p.kinds).map(([k, n]) => `${n} ${k}`).join(', ')}`)
    .join('; ');
}

// --- reset ------------------------------------------------------------------------------------

/** Options for {@link resetMockCloud}. */
export interface ResetOptions {
  readonly cwd: string;
  /** Delete the state even though the mock cloud still holds objects. @default false */
  readonly force?: boolean;
  /** How long to wait for a deploy in progress to release a state file. @default 10_000 */
  readonly lockTimeoutMs?: number;
}

/** What {@link resetMockCloud} did. */
export interface ResetOutcome {
  readonly stateDir: string;
  /** State files deleted. */
  readonly removed: readonly string[];
  /** Objects forgotten (non-zero only with `force`). */
  readonly forgotten: number;
}

/**
 * Delete the project's mock cloud state (`.butter/mock-cloud`), as if the clouds were new.
 *
 * Refuses while the mock cloud holds anything (or a file cannot be read), unless `force`:
 * Terraform state that still lists those objects would then point at nothing (the next deploy
 * recreates them). Each file is deleted holding its lock, and re-checked under it, so a deploy
 * running meanwhile is waited for and never loses a half-written change. The mirror and every
 * Terraform state are left alone.
 */
export async function resetMockCloud(options: ResetOptions): Promise<ResetOutcome> {
  const status = mockCloudStatus(options.cwd);
  if (!options.force && !status.empty) throw notEmpty(status);
  const removed: string[] = [];
  for (const p of status.providers) {
    const release = await acquireLock(`${p.file}.lock`, { timeoutMs: options.lockTimeoutMs ?? 10_000 });
    try {
      if (!options.force) {
        const now = providerStatus(p.provider, p.file);
        if (now.objects > 0 || now.error) throw notEmpty({ ...status, providers: [now] });
      }
      fs.rmSync(p.file, { force: true });
      fs.rmSync(backupFile(p.file), { force: true }); // a reset is not undone by `mock restore`
      removed.push(p.file);
    } finally {
      release();
    }
  }
  // The folder goes too when nothing else is in it (a lock or temp file of a live run stays).
  try {
    fs.rmdirSync(status.stateDir);
  } catch {
    // not empty, or already gone
  }
  return { stateDir: status.stateDir, removed, forgotten: options.force ? status.objects : 0 };
}

function notEmpty(status: MockCloudStatus): ButterError {
  return new ButterError('MOCK_CLOUD_NOT_EMPTY', `the mock cloud is not empty: ${describeContents(status)}`, {
    file: status.stateDir,
    hint: 'destroy the stacks first (`butter destroy`, or `cdktf destroy` with the mock environment), '
      + 'or pass --force to forget them (Terraform state that lists them then points at nothing)',
  });
}
