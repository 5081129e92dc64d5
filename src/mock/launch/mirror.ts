import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILTIN_PROVIDERS } from '../catalog';
import { ProviderEntry } from '../provider-entry';
import { writeFileAtomic } from '../../util/atomic-file';
import { defaultStateDir } from '../cloud/store';
import { ensureBundle } from './bundle';
import { PluginCommand, shellQuote } from './command';
import { stopLaunchDaemon } from './launch-client';
import { Launcher, LauncherOptions, prepareLauncher } from './launcher';

/**
 * A Terraform filesystem mirror holding the mock providers, for plain `terraform` / `cdktf deploy`
 * runs: with the CLI configuration written here (`TF_CLI_CONFIG_FILE`), `terraform init` installs
 * `hashicorp/aws` and `hashicorp/google` from the mirror, offline, and records them in the lock
 * file like any provider.
 *
 * ```
 * <dir>/terraform.rc                                 CLI configuration (filesystem_mirror + direct exclude)
 * <dir>/butter-provider.sh                           runner: node + entry point + state folder (this machine's)
 * <dir>/butter-provider/                             the bundled entry point (unless a command is given)
 * <dir>/butter-launch, butter-launch.c               the plugin launcher, when a C compiler is there (launcher.ts)
 * <dir>/registry.terraform.io/hashicorp/aws/6.25.0/linux_amd64/terraform-provider-aws_v6.25.0   launcher
 * ```
 *
 * The lock file hashes the provider's package folder, which holds only the launcher. The launcher
 * is the same on every machine and checkout (it finds the runner relative to its own real path:
 * Terraform links the package folder into `.terraform/providers`), so committed lock files stay
 * valid; everything machine-specific lives in the runner, outside any package folder.
 *
 * With the launcher compiled, the runner starts it instead of Node: it hands Terraform a provider
 * served by a launch daemon that stays running between Terraform's phases and runs (see
 * launch-daemon.ts), which makes a deploy through the mirror several times faster. Without it,
 * or with `BUTTER_MOCK_LAUNCHER=0` in Terraform's environment, every plugin start is a Node
 * process loading the mock provider, as before.
 */

/** Options for {@link prepareMirror}. */
export interface MirrorOptions {
  /** @default BUILTIN_PROVIDERS (aws, google) */
  readonly providers?: readonly ProviderEntry[];
  /** How to run the entry point. @default - the bundle of src/mock/main.ts, built into `<dir>/butter-provider` */
  readonly command?: PluginCommand;
  /**
   * The mock cloud state folder the plugins use unless `BUTTER_MOCK_STATE_DIR` is set when
   * Terraform runs. Fixed here because Terraform starts plugins in the stack's folder
   * (`cdktf.out/stacks/<name>`), which synth may wipe.
   * @default defaultStateDir() at the time of the call
   */
  readonly stateDir?: string;
  /** Terraform's platform name. @default this machine's, e.g. `linux_amd64` */
  readonly platform?: string;
  /** The plugin launcher: its compiler (`false`: none, every plugin start runs Node) and socket folder. @default - see LauncherOptions */
  readonly launcher?: LauncherOptions;
}

/** A prepared mirror. */
export interface Mirror {
  readonly dir: string;
  /** The CLI configuration file to use as `TF_CLI_CONFIG_FILE`. */
  readonly cliConfigFile: string;
  /** Environment for Terraform: `TF_CLI_CONFIG_FILE`. */
  readonly env: { readonly TF_CLI_CONFIG_FILE: string };
  /** The plugin launcher and its daemon's socket, when there is one. */
  readonly launcher?: Launcher;
}

const RUNNER = 'butter-provider.sh';

/** Write (or refresh) the mirror in `dir`. Files whose content is unchanged are not touched. */
export async function prepareMirror(dir: string, options: MirrorOptions = {}): Promise<Mirror> {
  const root = path.resolve(dir);
  const providers = options.providers ?? BUILTIN_PROVIDERS;
  const platform = options.platform ?? terraformPlatform();
  const command = options.command ?? await ensureBundle({ outDir: path.join(root, 'butter-provider') });
  const stateDir = path.resolve(options.stateDir ?? defaultStateDir());

  fs.mkdirSync(root, { recursive: true });
  const launcher = prepareLauncher(root, command, options.launcher);
  writeIfChanged(path.join(root, RUNNER), runnerScript(command, stateDir, launcher), 0o755);
  for (const p of providers) {
    const file = path.join(root, ...p.source.split('/'), p.version, platform, `terraform-provider-${p.name}_v${p.version}`);
    writeIfChanged(file, launcherScript(p.name), 0o755);
  }
  const cliConfigFile = path.join(root, 'terraform.rc');
  writeIfChanged(cliConfigFile, cliConfig(root, providers), 0o644);
  return { dir: root, cliConfigFile, env: { TF_CLI_CONFIG_FILE: cliConfigFile }, launcher };
}

const LAUNCHER_MARK = '# launcher: ';

/** The launcher of the mirror in `dir` (as its runner records it), if it has one. */
export function mirrorLauncher(dir: string): Launcher | undefined {
  let runner: string;
  try {
    runner = fs.readFileSync(path.join(path.resolve(dir), RUNNER), 'utf8');
  } catch {
    return undefined;
  }
  const line = runner.split('\n').find((l) => l.startsWith(LAUNCHER_MARK));
  if (!line) return undefined;
  const parsed = JSON.parse(line.slice(LAUNCHER_MARK.length)) as Launcher;
  return typeof parsed.executable === 'string' && typeof parsed.socket === 'string' ? parsed : undefined;
}

/**
 * Stop the mirror's launch daemon if one runs, and wait for its exit (for tests and scripts that
 * must leave no process behind; it otherwise exits after two idle minutes, or when the mirror's
 * entry point is removed). True when one was stopped.
 */
export function stopMirrorDaemon(mirror: Pick<Mirror, 'launcher'>): Promise<boolean> {
  return mirror.launcher ? stopLaunchDaemon(mirror.launcher.socket) : Promise.resolve(false);
}

/**
 * The launcher in the provider package. Identical everywhere (it is hashed into lock files):
 * only the provider name varies. `BUTTER_MOCK_RUNNER` overrides the runner's location, for a
 * Terraform that copies the package instead of linking it.
 */
export function launcherScript(name: string): string {
  return [
    '#!/bin/sh',
    `# Butter mock cloud: the "${name}" provider, simulated locally. Terraform runs this file; it hands`,
    '# over to the runner at the root of the mirror (five folders up), which knows where node and Butter',
    '# are on this machine. This file is the same everywhere, so lock file hashes are too.',
    'here=$(dirname "$(readlink -f "$0")")',
    `exec "\${BUTTER_MOCK_RUNNER:-$here/../../../../../${RUNNER}}" plugin ${name}`,
    '',
  ].join('\n');
}

function runnerScript(command: PluginCommand, stateDir: string, launcher: Launcher | undefined): string {
  const run = [command.executable, ...command.args].map(shellQuote).join(' ');
  return [
    '#!/bin/sh',
    '# Written by Butter (prepareMirror) for this machine: runs the mock cloud entry point.',
    `: "\${BUTTER_MOCK_STATE_DIR:=${stateDir.replace(/["\\$`]/g, '\\$&')}}"`,
    'export BUTTER_MOCK_STATE_DIR',
    ...(launcher ? [
      `${LAUNCHER_MARK}${JSON.stringify(launcher)}`,
      '# A plugin start: through the launcher and its daemon (BUTTER_MOCK_LAUNCHER=0: Node every time).',
      'if [ "$1" = plugin ] && [ "${BUTTER_MOCK_LAUNCHER:-1}" != 0 ]; then',
      `  exec ${shellQuote(launcher.executable)} ${shellQuote(launcher.socket)} "$2" ${run}`,
      'fi',
    ] : []),
    `exec ${run} "$@"`,
    '',
  ].join('\n');
}

function cliConfig(root: string, providers: readonly ProviderEntry[]): string {
  const sources = JSON.stringify(providers.map((p) => p.source));
  return [
    '# Written by Butter: install the mock cloud providers from the mirror next to this file.',
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(root)}`,
    `    include = ${sources}`,
    '  }',
    '  direct {',
    `    exclude = ${sources}`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Terraform's name for this platform: `linux_amd64`, `darwin_arm64`… */
export function terraformPlatform(): string {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };
  return `${process.platform === 'win32' ? 'windows' : process.platform}_${arch[process.arch] ?? process.arch}`;
}

function writeIfChanged(file: string, content: string, mode: number): void {
  let current: string | undefined;
  try {
    current = fs.readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== content) writeFileAtomic(file, content);
  fs.chmodSync(file, mode);
}
