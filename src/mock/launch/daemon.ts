import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { BUILTIN_PROVIDERS } from '../catalog';
import { ProviderEntry } from '../provider-entry';
import { defaultStateDir } from '../cloud/store';
import { ensureBundle } from './bundle';
import { PluginCommand } from './command';
import { ReattachProviders, serveForReattach } from './reattach';

/**
 * Starting the mock cloud for `TF_REATTACH_PROVIDERS`: Butter's default way to run Terraform
 * against it. Compared with plugin launches through the mirror, a small init+apply+destroy cycle
 * is several times faster (see the README).
 *
 * ```ts
 * const cloud = await startMockCloud();
 * try {
 *   await run('terraform', ['apply'], { env: { ...process.env, ...cloud.env } });
 * } finally {
 *   await cloud.stop();
 * }
 * ```
 */

/** Options for {@link startMockCloud}. */
export interface MockCloudOptions {
  /** @default BUILTIN_PROVIDERS (aws, google) */
  readonly providers?: readonly ProviderEntry[];
  /** Where the clouds' state files are. @default defaultStateDir() */
  readonly stateDir?: string;
  /**
   * `in-process` serves from this very process (no start-up cost; Terraform's requests are
   * answered while this process awaits it, so do not block its event loop). `process` starts a
   * separate node process, which exits when this one does.
   * @default 'in-process'
   */
  readonly mode?: 'in-process' | 'process';
  /**
   * For `process` mode: how to run the entry point. Its catalog must contain `providers`.
   * @default - the bundle of src/mock/main.ts in `.butter/mock-provider`
   */
  readonly command?: PluginCommand;
  /** @default os.tmpdir() */
  readonly socketDir?: string;
}

/** A running mock cloud. */
export interface MockCloud {
  /** Environment for Terraform. */
  readonly env: { readonly TF_REATTACH_PROVIDERS: string };
  /** The same, parsed. */
  readonly providers: ReattachProviders;
  /** The serving process. */
  readonly pid: number;
  /** Stop serving (the cloud state stays on disk). */
  stop(): Promise<void>;
}

/** Start serving the mock providers and return what Terraform needs to reach them. */
export async function startMockCloud(options: MockCloudOptions = {}): Promise<MockCloud> {
  const providers = options.providers ?? BUILTIN_PROVIDERS;
  const stateDir = path.resolve(options.stateDir ?? defaultStateDir());
  if ((options.mode ?? 'in-process') === 'in-process') {
    const servers = await serveForReattach(providers, { stateDir, socketDir: options.socketDir });
    return describe(servers.providers, process.pid, () => servers.close());
  }
  const command = options.command ?? await ensureBundle({ outDir: path.join(process.cwd(), '.butter', 'mock-provider') });
  return startDaemonProcess(command, providers, stateDir, options.socketDir);
}

function describe(providers: ReattachProviders, pid: number, stop: () => Promise<void>): MockCloud {
  return { env: { TF_REATTACH_PROVIDERS: JSON.stringify(providers) }, providers, pid, stop };
}

/**
 * Run `<command> daemon <names…>` and read the reattach JSON it prints. The child stops when its
 * stdin closes: on `stop()`, and also when this process dies, however it dies.
 */
async function startDaemonProcess(command: PluginCommand, providers: readonly ProviderEntry[], stateDir: string,
  socketDir: string | undefined): Promise<MockCloud> {
  const env: NodeJS.ProcessEnv = { ...process.env, BUTTER_MOCK_STATE_DIR: stateDir };
  if (socketDir) env.PLUGIN_UNIX_SOCKET_DIR = socketDir;
  const child = spawn(command.executable, [...command.args, 'daemon', ...providers.map((p) => p.name)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    const fail = (why: string): void => reject(new Error(`the mock cloud daemon ${why}${stderr ? `:\n${stderr}` : ''}`));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail('did not start within 30s');
    }, 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const end = out.indexOf('\n');
      if (end >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, end));
      }
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      fail(`could not be started (${e.message})`);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(`exited with code ${code}`);
    });
  });
  child.stdout.resume();
  return describe(JSON.parse(line) as ReattachProviders, child.pid ?? 0, async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin.end();
    const force = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(force);
  });
}
