import { spawn } from 'node:child_process';
import { ButterError } from '../errors';
import { tail } from './synth';
import { stateLockError } from './state-sources';

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
    });
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
      const locked = stateLockError(options.cwd, stderr || stdout, { ...process.env, ...options.env });
      if (locked) return reject(locked);
      reject(new ButterError('TERRAFORM_FAILED', `terraform ${args[0]} failed in ${options.cwd}:\n${tail(stderr || stdout, 40)}`, {
        hint: 'read Terraform\'s message above; the mock cloud reports what the real cloud would',
      }));
    });
  });
}
