import * as fs from 'node:fs';
import * as os from 'node:os';
import { randomBytes } from 'node:crypto';
import { ButterError } from '../../errors';
import { isAlive } from '../../util/process';

/**
 * An exclusive lock between processes, as a lock file created with O_EXCL. Several Terraform runs
 * (each starting its own plugin processes) may use one mock cloud at once; the lock makes their
 * read-modify-write of the state file one at a time.
 *
 * A process that dies holding the lock (SIGKILL, crash) leaves the file behind. It records the
 * holder's pid and host, so a waiter that finds the holder gone on this host takes the lock over.
 */

/** What a lock file says about its holder. */
export interface LockInfo {
  readonly pid: number;
  readonly host: string;
  /** Distinguishes this acquisition from any other by the same pid. */
  readonly token: string;
  /** ISO time the lock was taken. */
  readonly since: string;
  /** What the holder said about itself (the state server stores Terraform's lock info here). */
  readonly detail?: unknown;
}

/** Options for {@link acquireLock}. */
export interface LockOptions {
  /** Give up after this long. @default 60_000 */
  readonly timeoutMs?: number;
  /** Stop waiting when aborted. @default - never */
  readonly signal?: AbortSignal;
  /**
   * A lock held by a process on another host (shared folder) counts as stale after this long,
   * since its pid cannot be checked from here.
   * @default 300_000
   */
  readonly foreignStaleMs?: number;
  /** Written into the lock file for whoever finds it taken ({@link LockInfo.detail}). @default - none */
  readonly detail?: unknown;
}

/** The lock is held by someone else and did not come free in time. */
export class LockTimeoutError extends ButterError {
  constructor(public readonly lockFile: string, public readonly holder: LockInfo | undefined, waitedMs: number) {
    super('MOCK_STATE_LOCKED', `the mock cloud state is still locked after ${Math.round(waitedMs / 1000)}s`
      + (holder ? ` (held by pid ${holder.pid} on ${holder.host} since ${holder.since})` : ''), {
      file: lockFile,
      hint: 'wait for the other deploy to finish; if no Butter or Terraform process is running, delete the lock file',
    });
    this.name = 'LockTimeoutError';
  }
}

/** Take the lock, waiting while another live process holds it. Returns the release function. */
export async function acquireLock(lockFile: string, options: LockOptions = {}): Promise<() => void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const started = Date.now();
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), token: randomBytes(8).toString('hex'), since: '', detail: options.detail };
  let pause = 5;
  for (;;) {
    if (tryCreate(lockFile, mine)) return () => release(lockFile, mine.token);
    const holder = readLock(lockFile);
    if (isStale(lockFile, holder, options.foreignStaleMs ?? 300_000)) {
      breakLock(lockFile, holder);
      continue;
    }
    options.signal?.throwIfAborted();
    if (Date.now() - started > timeoutMs) throw new LockTimeoutError(lockFile, holder, Date.now() - started);
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 100);
  }
}

function tryCreate(lockFile: string, mine: LockInfo): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lockFile, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    fs.writeSync(fd, JSON.stringify({ ...mine, since: new Date().toISOString() }));
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/** The holder's info; undefined if the file vanished or is not (yet) readable JSON. */
export function readLock(lockFile: string): LockInfo | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as LockInfo;
    return typeof info.pid === 'number' && typeof info.token === 'string' ? info : undefined;
  } catch {
    return undefined;
  }
}

function isStale(lockFile: string, holder: LockInfo | undefined, foreignStaleMs: number): boolean {
  if (!holder) {
    // Unreadable: either being written this instant (then it is brand new) or left half-written
    // by a crash between create and write (then it stays unreadable). Only age tells them apart.
    const age = ageMs(lockFile);
    return age !== undefined && age > 5_000;
  }
  if (holder.host !== os.hostname()) {
    const age = ageMs(lockFile);
    return age !== undefined && age > foreignStaleMs;
  }
  return !isAlive(holder.pid);
}

function ageMs(file: string): number | undefined {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Remove a stale lock without removing a fresh one by mistake: two waiters may both judge the
 * same lock stale, and the faster one may already have taken a new lock when the slower one acts.
 * So the lock is first renamed aside (atomic, only one waiter wins) and checked: if what was moved
 * is not the stale lock that was judged, it is linked back (link fails rather than overwrite).
 */
function breakLock(lockFile: string, judged: LockInfo | undefined): void {
  const aside = `${lockFile}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(lockFile, aside);
  } catch {
    return; // someone else moved or released it first
  }
  const moved = readLock(aside);
  if (judged && moved && moved.token !== judged.token) {
    try {
      fs.linkSync(aside, lockFile);
    } catch {
      // A third process locked in between; nothing more can be done without a kernel lock.
    }
  }
  fs.rmSync(aside, { force: true });
}

function release(lockFile: string, token: string): void {
  // Only remove our own lock: if it was (wrongly) broken and re-taken, the file is someone else's.
  if (readLock(lockFile)?.token === token) fs.rmSync(lockFile, { force: true });
}
