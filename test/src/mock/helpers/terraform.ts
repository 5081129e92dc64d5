import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUILTIN_PROVIDERS, ensureBundle, findProvider, MockCloud, PluginCommand, startMockCloud } from '../../../../src/mock';

/** Helpers for driving the real Terraform CLI against the demo provider. */

/** A scratch folder for one test; removed by `cleanup`. */
export function scratch(prefix: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `butter-${prefix}-`));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The demo entry point, bundled once for every test file into the checkout's `.butter` folder
 * (ignored by git): ensureBundle rebuilds it only when a source changed, and the V8 code cache
 * its loader writes on the first launch serves every later one. A bundle per test cost an
 * esbuild run and a cold first launch each time.
 */
export function demoCommand(outDir = DEMO_BUNDLE_DIR): Promise<PluginCommand> {
  // A test that removes or replaces the bundle (the launch daemon's) passes a folder of its own.
  return ensureBundle({ outDir, entry: path.resolve(__dirname, '..', 'fixtures', 'demo-main.ts') });
}
const DEMO_BUNDLE_DIR = path.resolve(__dirname, '..', '..', '..', '..', '.butter', 'test', 'demo-provider');

/** A scratch folder and the built-in mock clouds served from this process for one describe block. */
export interface InProcessCloud {
  readonly dir: string;
  /** Where the mock cloud keeps its record. */
  readonly stateDir: string;
  /** Terraform's working folder (created before the tests run). */
  readonly work: string;
  /** Terraform's environment, reattached to the cloud (set once `beforeAll` has run). */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Registers `beforeAll`/`afterAll` that start the named built-in providers in-process (reattach)
 * and stop them and remove the scratch folder: the set-up every real-Terraform mock test shares.
 */
export function inProcessCloud(prefix: string, providers: readonly string[]): InProcessCloud {
  const { dir, cleanup } = scratch(prefix);
  const stateDir = path.join(dir, 'state');
  const work = path.join(dir, 'work');
  let cloud: MockCloud | undefined;
  let env: NodeJS.ProcessEnv | undefined;
  beforeAll(async () => {
    fs.mkdirSync(work, { recursive: true });
    cloud = await startMockCloud({ providers: providers.map((p) => findProvider(BUILTIN_PROVIDERS, p)), stateDir, mode: 'in-process' });
    env = terraformEnv(dir, cloud.env);
  });
  afterAll(async () => {
    await cloud?.stop();
    cleanup();
  });
  return {
    dir, stateDir, work,
    get env(): NodeJS.ProcessEnv {
      if (!env) throw new Error('inProcessCloud: env is set in beforeAll');
      return env;
    },
  };
}

/**
 * Environment for Terraform: no checkpoint calls, automation output, and always a CLI config file
 * (this machine's default TF_CLI_CONFIG_FILE points at a missing file).
 */
export function terraformEnv(dir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('TF_') || k.startsWith('BUTTER_MOCK')) delete env[k];
  let cliConfig = extra.TF_CLI_CONFIG_FILE;
  if (!cliConfig) {
    cliConfig = path.join(dir, 'empty.tfrc');
    fs.writeFileSync(cliConfig, '');
  }
  return { ...env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', ...extra, TF_CLI_CONFIG_FILE: cliConfig };
}

/** The result of one terraform command. */
export interface TfResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run terraform in `cwd`; never rejects (check `code`). */
export function terraform(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<TfResult> {
  return new Promise((resolve) => {
    execFile('terraform', [...args, '-no-color'], { cwd, env, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Run terraform and fail the test with its output unless it exits with `expected`. */
export async function tf(cwd: string, env: NodeJS.ProcessEnv, expected: number, ...args: string[]): Promise<TfResult> {
  const r = await terraform(cwd, env, ...args);
  if (r.code !== expected) {
    throw new Error(`terraform ${args.join(' ')} exited ${r.code}, expected ${expected}\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

/** Write a cdktf-style main.tf.json using the demo provider. */
export function writeConfig(dir: string, things: Record<string, object>, extra: object = {}): void {
  const config = {
    terraform: { required_providers: { mock: { source: 'butter-test/mock', version: '1.0.0' } } },
    provider: { mock: [{ region: 'north' }] },
    resource: Object.keys(things).length > 0 ? { mock_thing: things } : undefined,
    ...extra,
  };
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(config, null, 2));
}

/** The mock cloud's state file, parsed (it must always be valid JSON). */
export function cloudState(stateDir: string): { objects: Record<string, Record<string, Record<string, unknown>>>; serial: number } {
  return JSON.parse(fs.readFileSync(path.join(stateDir, 'mock.json'), 'utf8'));
}
