/**
 * The address ledger file: the only code that reads or writes it.
 *
 * The file is meant to be committed next to the app, like AWS CDK's `cdk.context.json`: it is
 * what keeps subnet addresses stable from one synth to the next (see `cidr.ts`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../util/atomic-file';
import { readJsonFile } from '../util/json-file';
import { ButterError, withErrorLocation } from '../errors';
import { emptyLedger, Ledger, validateLedger } from './cidr';

export { emptyLedger, validateLedger } from './cidr';
export type { Ledger, LedgerNetwork, LedgerService } from './cidr';

const FIX_HINT =
  'restore the file from version control or correct it by hand; deleting it plans every address afresh, ' +
  'which can renumber (replace) existing networks and subnets';

/**
 * Read and validate the ledger at `file`. A missing file is an empty ledger (first run).
 * Throws `LEDGER_INVALID`, naming the file, when it cannot be read, is not JSON, or is not a
 * well-formed ledger.
 */
export function readLedger(file: string): Ledger {
  let value: unknown;
  try {
    value = readJsonFile(file, {
      code: 'LEDGER_INVALID', what: 'the address ledger', readHint: `check that ${file} is a readable file`, syntaxHint: FIX_HINT,
    });
  } catch (e) {
    throw conflictMarkers(file, e) ?? e;
  }
  if (value === undefined) return emptyLedger();
  return withErrorLocation({ file }, () => validateLedger(value));
}

const MERGE_HINT =
  'resolve the conflict by keeping the entries of BOTH sides (every service and network listed on either side: ' +
  'each may be deployed), remove the <<<<<<< ======= >>>>>>> lines and fix the commas, then synth again. ' +
  'If both sides took the same block, Butter then says which two entries clash and which to delete';

/**
 * A git merge that touched neighbouring entries leaves conflict markers, which JSON.parse calls
 * an "unexpected token": say what it is and how to resolve it (the file was read once already,
 * as a regular file of bounded size, so reading it again is safe).
 */
function conflictMarkers(file: string, e: unknown): ButterError | undefined {
  if (!(e instanceof ButterError) || !e.problem.includes('not valid JSON')) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const match = /^(<{7}|={7}|>{7}|\|{7})(?: |$)/m.exec(text);
  if (!match) return undefined;
  const line = text.slice(0, match.index).split('\n').length;
  return new ButterError('LEDGER_INVALID', `the address ledger has unresolved git merge conflict markers (${match[1]} on line ${line})`, {
    file, line, hint: MERGE_HINT,
  });
}

/**
 * Write `ledger` to `file` atomically: the text goes to a temporary file in the same directory
 * (so the rename cannot cross file systems), is flushed to disk, then renamed over `file`. A
 * crash leaves either the old or the new ledger, never half of one. Keys are sorted and the
 * file ends with a newline, so version-control diffs show only real changes.
 * The ledger is validated first: writing an inconsistent one would poison the next run.
 * Throws `LEDGER_INVALID` for an inconsistent ledger, `LEDGER_WRITE_FAILED` when the file system refuses.
 */
export function writeLedger(file: string, ledger: Ledger): void {
  const text = `${JSON.stringify(sortKeys(validateLedger(ledger)), null, 2)}\n`;
  const dir = path.dirname(path.resolve(file));
  try {
    writeFileAtomic(file, text);
  } catch (e) {
    throw new ButterError('LEDGER_WRITE_FAILED', `cannot write the address ledger: ${(e as Error).message}`, {
      file,
      hint: `check that ${dir} exists and is writable`,
    });
  }
}

/** A deep copy with every object's keys in sorted (code unit) order; arrays keep their order. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(keys.map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}
