import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..', '..');

/**
 * A temporary cdktf project whose app is `mainTs` (it may import the repository's sources by
 * absolute path), sharing the repository's node_modules. Returns its folder.
 */
export function makeCdktfProject(prefix: string, mainTs: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'npx tsx main.ts', output: 'cdktf.out' }));
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
