import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { ButterError } from '../errors';
import { readLock } from '../mock/cloud/file-lock';
import { Interrupt } from './interrupt';
import { tail } from './synth';
import { parseLockError, stateLockError } from './state-sources';

/** Options for {@link terraform}. */
export interface TerraformRunOptions {
  /** The stack's working folder. */
  readonly cwd: string;
  /** Extra environment (merged over the process environment and Butter's defaults). */
  readonly env?: Record<string, string | undefined>;
  /** Called with each line Terraform prints, for progress displays. */
  readonly onLine?: (line: string) => void;
  /** Exit codes that are not failures (plan -detailed-exitcode returns 2 for "changes"). */
  readonly okCodes?: readonly number[];
  /**
   * Pass signals to Terraform through this (see interrupt.ts); Terraform then runs in its own
   * process group. @default - Terraform shares Butter's process group and gets signals from it
   */
  readonly interrupt?: Interrupt;
  /**
   * The lock file of the stack's state, when Butter's state server keeps it (mock deploys): a
   * refused lock then names its holder from it. @default - the holder as Terraform reports it
   */
  readonly stateLockFile?: string;
}

/** What a Terraform run printed. */
export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Environment every Butter-driven Terraform run gets: no version check-in (no network here),
 * no prompts, and plain output that is easy to parse.
 */
export const TERRAFORM_ENV = {
  CHECKPOINT_DISABLE: '1',
  TF_IN_AUTOMATION: '1',
  TF_INPUT: '0',
} as const;

/** Run `terraform <args>`; a failure becomes a ButterError with Terraform's own message. */
export function terraform(args: readonly string[], options: TerraformRunOptions): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [...args], {
      cwd: options.cwd,
      env: { ...process.env, ...TERRAFORM_ENV, ...options.env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.interrupt !== undefined,
    });
    options.interrupt?.track(child);
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      if (!options.onLine) return;
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      lines.forEach((l) => options.onLine!(l));
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(new ButterError('TERRAFORM_NOT_FOUND', `could not run terraform: ${e.message}`, {
        hint: 'install Terraform 1.11 or later and put it on the PATH',
      }));
    });
    child.on('close', (code) => {
      const c = code ?? 1;
      if (c === 0 || options.okCodes?.includes(c)) return resolve({ code: c, stdout, stderr });
      const output = stderr || stdout;
      // A mock deploy's lock is Butter's own (state-server.ts): its holder is in the lock file.
      const locked = options.stateLockFile ? mockStateLockError(output, options.cwd, options.stateLockFile)
        : stateLockError(options.cwd, output, { ...process.env, ...options.env });
      if (locked) return reject(locked);
      reject(new ButterError('TERRAFORM_FAILED', `terraform ${args[0]} failed in ${options.cwd}:\n${tail(stderr || stdout, 40)}`, {
        hint: 'read Terraform\'s message above; the mock cloud reports what the real cloud would',
      }));
    });
  });
}

/**
 * A mock deploy's "Error acquiring the state lock" as a STATE_LOCKED error saying who holds the
 * lock, since when and how to release it when it is stale; undefined for any other failure.
 * The lock is Butter's state server's (state-server.ts): Terraform's http backend prints the
 * refused run's own Lock Info and only the holder's ID, so the holder is read from the lock file,
 * where the state server keeps the holder's lock info and the holding Butter process. Other
 * backends are read by state-sources.ts's stateLockError.
 */
export function mockStateLockError(output: string, cwd: string, lockFile: string): ButterError | undefined {
  if (!parseLockError(output)) return undefined;
  const lock = readLock(lockFile);
  const tf = (lock?.detail ?? {}) as { ID?: unknown; Who?: unknown; Created?: unknown; Operation?: unknown };
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const id = text(tf.ID) ?? /already locked: ID=(\S+)/.exec(output)?.[1];
  const operation = text(tf.Operation)?.replace(/^OperationType/, '').toLowerCase();
  const created = text(tf.Created) ?? lock?.since;
  const stack = path.basename(cwd);
  const who = [text(tf.Who) ? `held by ${text(tf.Who)}` : 'held by another run', operation ? `running ${operation}` : undefined,
    created ? `since ${created}` : undefined, id ? `lock ID ${id}` : undefined, lock ? `butter process ${lock.pid} on ${lock.host}` : undefined]
    .filter(Boolean).join(', ');
  return new ButterError('STATE_LOCKED', `the state of stack ${stack} is locked by another Terraform run: ${who}`, {
    constructPath: stack,
    hint: 'wait for that run to finish and run again; a lock whose butter process is gone is taken over by the next run; '
      + `if that process hangs, end it, or delete ${lockFile} when no butter or terraform process is running`,
  });
}
