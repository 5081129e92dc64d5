import * as fs from 'node:fs';
import * as path from 'node:path';
import { mockStateDir } from '../../src/deploy/deploy';

/** What the signal tests look at while a real `butter` process is being interrupted. */

/** Objects in the mock AWS cloud, per kind (empty while the file does not exist or is being replaced). */
export function census(dir: string): Record<string, number> {
  try {
    const doc = JSON.parse(fs.readFileSync(path.join(mockStateDir(dir), 'aws.json'), 'utf8'));
    return Object.fromEntries(Object.entries(doc.objects as Record<string, object>).map(([k, ids]) => [k, Object.keys(ids).length]));
  } catch {
    return {};
  }
}

/** All objects of a {@link census}. */
export const total = (c: Record<string, number>): number => Object.values(c).reduce((a, b) => a + b, 0);

/** Processes whose working folder is `dir` (Linux /proc): a Terraform left running there would show. */
export function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const p of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (fs.readlinkSync(`/proc/${p}/cwd`) === dir) pids.push(Number(p));
    } catch {
      // gone, or not ours
    }
  }
  return pids;
}

/**
 * What a run left in its temp folder: socket folders, Terraform's files. tsx's compile cache
 * (`tsx-<uid>`, which bin/butter's TypeScript loader keeps across runs on purpose) is not a leftover.
 */
export function leftovers(tmp: string): string[] {
  return fs.readdirSync(tmp).filter((n) => !/^tsx-\d+$/.test(n));
}

/** Poll `ok` every 50 ms until it holds, or fail naming `what` after `ms`. */
export async function waitFor(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
