import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { butterInProcess, CliResult, REPO } from '../cli/helpers';

export type { CliResult };

export { REPO };

/** An example blueprint of the repository, by folder name. */
export function exampleBlueprint(name: string): string {
  return path.join(REPO, 'example-blueprints', name, 'blueprint.yml');
}

/** A fresh temporary folder, removed by {@link removeTempDirs}. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
const made: string[] = [];

export function removeTempDirs(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/**
 * Run the `butter` CLI in this process with `-C dir`, so a test file can run many commands
 * against one mock cloud folder quickly.
 */
export function butterIn(dir: string, ...args: string[]): Promise<CliResult> {
  return butterInProcess('-C', dir, ...args);
}

/** Parse a `--json` result, failing the test with the command's output when it is not JSON. */
export function json<T = any>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
}
