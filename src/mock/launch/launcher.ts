import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../util/atomic-file';
import { BUNDLE_FILE } from './bundle';
import { PluginCommand } from './command';
import { ensurePrivateFolder } from './launch-client';

/**
 * The mirror's plugin launcher: a small C program (launcher.c) that hands Terraform a provider
 * served by an already running launch daemon (launch-daemon.ts) instead of starting Node and
 * loading the mock provider for every Terraform phase.
 *
 * {@link prepareLauncher} compiles it into the mirror with the machine's C compiler (`cc`, or
 * `$CC`), once per source change, and picks the daemon's socket: one daemon per user and mirror
 * and entry point, in a private folder (`<tmpdir>/butter-launch-<uid>`, mode 0700). Without a
 * compiler, or when that folder is not private to this user, there is no launcher and the
 * mirror's runner starts the Node plugin as before.
 */

/** The compiled launcher in the mirror. */
export const LAUNCHER_FILE = 'butter-launch';
const SOURCE = path.join(__dirname, 'launcher.c');
/** sun_path holds 108 bytes on Linux, 104 on macOS. */
const MAX_SOCKET_PATH = 100;

/** A usable launcher. */
export interface Launcher {
  /** The compiled program. */
  readonly executable: string;
  /** The launch daemon's socket. */
  readonly socket: string;
}

/** Options for {@link prepareLauncher}. */
export interface LauncherOptions {
  /** The C compiler; `false` for no launcher. @default $CC, else `cc` */
  readonly compiler?: string | false;
  /** The daemons' socket folder. @default `<os.tmpdir()>/butter-launch-<uid>` (`/tmp/…` when that is too long a path) */
  readonly socketDir?: string;
}

/**
 * Compile the launcher into `mirrorDir` (unless it is there, from the same source) and name the
 * socket of the daemon that serves `command`. Undefined when there cannot be a launcher here.
 */
export function prepareLauncher(mirrorDir: string, command: PluginCommand, options: LauncherOptions = {}): Launcher | undefined {
  const executable = path.join(mirrorDir, LAUNCHER_FILE);
  const compiler = options.compiler ?? (process.env.CC || 'cc');
  if (compiler === false || process.platform === 'win32') {
    fs.rmSync(executable, { force: true });
    return undefined;
  }
  const socketDir = options.socketDir ?? defaultSocketDir();
  try {
    ensurePrivateFolder(socketDir);
  } catch {
    return undefined;
  }
  const socket = path.join(socketDir, `${daemonKey(mirrorDir, command)}.sock`);
  if (socket.length > MAX_SOCKET_PATH) return undefined;
  return compile(compiler, executable) ? { executable, socket } : undefined;
}

/** `<tmpdir>/butter-launch-<uid>`, or under /tmp when tmpdir is a long path (sockets' paths are short). */
export function defaultSocketDir(): string {
  const name = `butter-launch-${process.geteuid ? process.geteuid() : 0}`;
  const preferred = path.join(os.tmpdir(), name);
  return preferred.length + 22 <= MAX_SOCKET_PATH ? preferred : path.join('/tmp', name);
}

/**
 * One daemon per mirror and entry point: the key changes when the command or the code it runs
 * changes (a rebuilt bundle, a new Butter version), so a launcher never reaches a daemon serving
 * older code (that one exits when idle).
 */
function daemonKey(mirrorDir: string, command: PluginCommand): string {
  const stamps: string[] = [];
  for (const arg of command.args) {
    for (const file of [arg, path.join(path.dirname(arg), BUNDLE_FILE)]) {
      try {
        const st = fs.statSync(file);
        if (st.isFile()) stamps.push(`${file}:${st.size}:${st.mtimeMs}`);
      } catch {
        // not a file
      }
    }
  }
  const hash = crypto.createHash('sha256').update(JSON.stringify([path.resolve(mirrorDir), command.executable, command.args, stamps]));
  return hash.digest('hex').slice(0, 20);
}

/** Compile launcher.c to `executable` unless it was compiled from this very source. */
function compile(compiler: string, executable: string): boolean {
  let source: string;
  try {
    source = fs.readFileSync(SOURCE, 'utf8');
  } catch {
    return false;
  }
  const copy = `${executable}.c`;
  try {
    if (fs.readFileSync(copy, 'utf8') === source && fs.statSync(executable).isFile()) return true;
  } catch {
    // not built yet
  }
  fs.rmSync(executable, { force: true });
  writeFileAtomic(copy, source);
  const temp = `${executable}.${process.pid}.tmp`;
  const built = spawnSync(compiler, ['-O2', '-o', temp, copy], { stdio: 'ignore', timeout: 60_000 });
  if (built.status !== 0 || !fs.existsSync(temp)) {
    fs.rmSync(temp, { force: true });
    fs.rmSync(copy, { force: true });
    return false;
  }
  fs.chmodSync(temp, 0o755);
  fs.renameSync(temp, executable);
  return true;
}
