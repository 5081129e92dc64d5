import * as fs from 'node:fs';
import { ButterError, cut } from '../errors';
import { readInputFile } from './input-file';

/** Butter's own JSON files hold a few entries per network and service: 16 MiB is far beyond any. */
const MAX_JSON_FILE_BYTES = 16 * 1024 * 1024;

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
  if (!fs.existsSync(file)) return undefined;
  // These files may come from someone else too (a cloned repository): a regular, UTF-8 file of
  // bounded size, like every other input (input-file.ts).
  let text: string;
  try {
    text = readInputFile(file, { code: errors.code, what: errors.what, maxBytes: MAX_JSON_FILE_BYTES, shown: file }).text;
  } catch (e) {
    if (!(e instanceof ButterError)) throw e;
    // "<what> is a folder, not a regular file" → "cannot read <what>: it is a folder, ..."
    const why = e.problem.startsWith(`${errors.what} `) ? `it ${e.problem.slice(errors.what.length + 1)}` : e.problem;
    throw new ButterError(errors.code, `cannot read ${errors.what}: ${why}`, { file, hint: errors.readHint });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ButterError(errors.code, `${errors.what} is not valid JSON: ${cut((e as Error).message, 200)}`, { file, hint: errors.syntaxHint });
  }
}
