import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';

export const REPO = path.resolve(__dirname, '..', '..', '..');

/**
 * A temporary cdktf project whose app is `mainTs` (it may import the repository's sources by
 * absolute path), sharing the repository's node_modules. Returns its folder.
 *
 * The app runs bundled by scripts/source-bundle.js (as the examples' app does) rather than
 * through `npx tsx` (what `cdktf init` writes): npx's start-up is a second of CPU per synthesis
 * and tsx's another second, and these tests are about Butter. The README recipe
 * (cdktf-deploy.test.ts) and the uncaught-error tests keep `npx tsx`.
 */
export function makeCdktfProject(prefix: string, mainTs: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: `node ${JSON.stringify(path.join(REPO, 'scripts', 'source-bundle.js'))} main.ts`, output: 'cdktf.out' }));
  fs.writeFileSync(path.join(dir, 'main.ts'), mainTs);
  return dir;
}

/** Run the real `butter` command (bin/butter) as a user would; never throws. */
export function runButter(cwd: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin', 'butter'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', FORCE_COLOR: '0' },
    timeout: 120_000,
  });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** What a CLI run printed, and its exit code. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run the `butter` CLI in this process (`main`, the same code bin/butter runs): no tsx start-up
 * per command, so a test file can run many commands quickly. Exit codes and output are what a
 * user gets; {@link runButter} is for the few tests that need the real process.
 */
export async function butterInProcess(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += c.toString()), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += c.toString()), true));
  try {
    const code = await main(['node', 'butter', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
