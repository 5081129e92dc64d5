import * as fs from 'node:fs';
import * as net from 'node:net';
import { isAlive } from '../../util/process';

/**
 * What talks to a launch daemon from outside (launch-daemon.ts): its socket folder's check, and
 * `status` / `stop` requests. Kept apart from the daemon so the CLI need not load the provider
 * framework to prepare a mirror or stop a daemon.
 */

/** The request's first field: the protocol and its version. */
export const LAUNCH_PROTOCOL = 'butter-launch 1';

/** Why a socket folder cannot be used, or undefined when it is this user's and private. */
export function privateFolderProblem(dir: string): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch {
    return `${dir} does not exist`;
  }
  if (!st.isDirectory()) return `${dir} is not a folder`;
  if (process.geteuid && st.uid !== process.geteuid()) return `${dir} belongs to another user`;
  if ((st.mode & 0o077) !== 0) return `${dir} is open to other users (mode ${(st.mode & 0o777).toString(8)})`;
  return undefined;
}

/** Create `dir` private (0700) when missing; throws when it exists and is not private to this user. */
export function ensurePrivateFolder(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    // reported below
  }
  const problem = privateFolderProblem(dir);
  if (problem) throw new Error(`the launch daemon's socket folder cannot be used: ${problem}`);
}

/** Send `command` (`stop`, `status`) to the daemon on `socket`; undefined when none answers. */
export function askLaunchDaemon(socket: string, command: 'stop' | 'status'): Promise<string | undefined> {
  return new Promise((resolve) => {
    const conn = net.connect(socket);
    let answer = '';
    conn.setEncoding('utf8');
    conn.once('connect', () => conn.write(Buffer.from(`${LAUNCH_PROTOCOL}\0command\0${command}\0\0`)));
    conn.on('data', (d: string) => (answer += d));
    conn.once('close', () => resolve(answer ? answer.trim() : undefined));
    conn.once('error', () => resolve(undefined));
  });
}

/**
 * Stop the daemon serving `socket`, if one does, and wait for it to exit. It takes no more
 * launches at once; plugins it launched before serve on until their Terraform is done with them
 * (then it exits). Tests call this so that no daemon outlives them; the daemon otherwise exits
 * after its idle time, or when its code is removed. True when a daemon was stopped.
 */
export async function stopLaunchDaemon(socket: string, timeoutMs = 10_000): Promise<boolean> {
  const status = await askLaunchDaemon(socket, 'status');
  if (status === undefined) return false;
  const { pid } = JSON.parse(status) as { pid: number };
  if ((await askLaunchDaemon(socket, 'stop')) !== 'ok') return false;
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`the launch daemon (pid ${pid}) did not exit within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
