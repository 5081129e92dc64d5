import * as fs from 'node:fs';
import { ButterError } from '../errors';

/** How {@link readJsonFile} reports a file it cannot use. */
export interface JsonFileErrors {
  /** The stable error code, e.g. `LEDGER_INVALID`. */
  readonly code: string;
  /** What the file is, for messages: "the address ledger". */
  readonly what: string;
  /** What to do when the file cannot be read (permissions, a folder in its place). */
  readonly readHint: string;
  /** What to do when it is not JSON. */
  readonly syntaxHint: string;
}

/**
 * The JSON value in `file`, or undefined when there is no such file: Butter's own files (the
 * address ledger, the workspace) and cdktf.json are all optional until first written, and a
 * file that exists but cannot be used is an error naming it, never a silent default.
 */
export function readJsonFile(file: string, errors: JsonFileErrors): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ButterError(errors.code, `cannot read ${errors.what}: ${(e as Error).message}`, { file, hint: errors.readHint });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ButterError(errors.code, `${errors.what} is not valid JSON: ${(e as Error).message}`, { file, hint: errors.syntaxHint });
  }
}
