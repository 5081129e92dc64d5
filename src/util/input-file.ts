/**
 * The one reader for files that come from users: blueprints, their initialization scripts and
 * `--var-file` files. Such files may come from someone else (a shared blueprint folder, a pull
 * request), so reading one must never hang, exhaust memory or read something that is not a file:
 *
 * - only regular files: a FIFO, a device (`/dev/zero`), a socket or a folder is an error. The
 *   type is checked before opening, the open is non-blocking (a FIFO swapped in after the check
 *   cannot make `open` wait for a writer), and checked again on the open descriptor;
 * - at most `maxBytes`: checked from the size before reading, and again while reading (files in
 *   /proc report size 0, a file can grow), so memory stays bounded whatever the file is;
 * - UTF-8 only: invalid bytes are an error naming the file, not silently replaced characters.
 */
import * as fs from 'node:fs';
import { ButterError, displayPath } from '../errors';

/** Blueprints and variables files are small; 1 MiB is far above any real one. */
export const MAX_BLUEPRINT_BYTES = 1024 * 1024;

/**
 * One initialization script (a template, before rendering). Google Compute Engine limits one
 * metadata value (`startup-script`, `user-data`) to 256 KB, the largest of the clouds' limits, so
 * no bigger script can be used anywhere. AWS allows only 16 KB of user data (before base64) for
 * the whole rendered script; that depends on the rendering, not the file, so it is not checked here.
 */
export const MAX_SCRIPT_BYTES = 256 * 1024;

/** All of one blueprint's initialization scripts together: Google's 512 KB of metadata per instance. */
export const MAX_SCRIPTS_TOTAL_BYTES = 512 * 1024;

/** How to read one input file and how to report a problem with it. */
export interface InputFileOptions {
  /** Error code for every problem, e.g. `BLUEPRINT_UNREADABLE`. */
  readonly code: string;
  /** What the file is, for messages: "the blueprint", "startup script". */
  readonly what: string;
  /** Largest size accepted, in bytes. */
  readonly maxBytes: number;
  /** The file as shown in errors. @default - the path, relative to the working directory */
  readonly shown?: string;
  /** Key of the blueprint naming this file (`initialization[0].path`). @default - none */
  readonly key?: string;
  /** Blueprint file the key is in, when the error is about a file it names. @default - `shown` */
  readonly file?: string;
  /** The problem and hint when the file does not exist. @default - "<what> does not exist" */
  readonly notFound?: { readonly problem: string; readonly hint: string };
}

/** A file's text and the status of the descriptor it was read from. */
export interface InputFile {
  readonly text: string;
  readonly stat: fs.BigIntStats;
}

const CHUNK = 64 * 1024;

/** Read `abs` as a regular, UTF-8, size-capped file, or throw a ButterError saying why not. */
export function readInputFile(abs: string, options: InputFileOptions): InputFile {
  const shown = options.shown ?? displayPath(abs);
  const fail = (problem: string, hint: string, e?: unknown): never => {
    const reason = (e as NodeJS.ErrnoException | undefined)?.code;
    throw new ButterError(options.code, `${options.what} ${options.file ? `"${shown}" ` : ''}${problem}${reason ? ` (${reason})` : ''}`, {
      file: options.file ?? shown,
      key: options.key,
      hint,
    });
  };
  let before: fs.Stats;
  try {
    before = fs.statSync(abs);
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    if (missing && options.notFound) {
      throw new ButterError(options.code, options.notFound.problem, { file: options.file ?? shown, key: options.key, hint: options.notFound.hint });
    }
    return fail(missing ? 'does not exist' : 'cannot be read', missing ? 'check the path' : 'check the file and its permissions', missing ? undefined : e);
  }
  checkKind(before, options, fail);
  let fd: number;
  try {
    fd = fs.openSync(abs, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    return fail('cannot be read', 'check the file and its permissions', e);
  }
  try {
    const stat = fs.fstatSync(fd, { bigint: true });
    checkKind(stat, options, fail);
    const bytes = readCapped(fd, options.maxBytes);
    if (!bytes) return fail(tooBig(options.maxBytes), 'use a smaller file');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return fail('is not UTF-8 text', 'save it as UTF-8 (it holds bytes that are not UTF-8, e.g. a binary file or another encoding)');
    }
    return { text, stat };
  } catch (e) {
    if (e instanceof ButterError) throw e;
    return fail('cannot be read', 'check the file and its permissions', e);
  } finally {
    fs.closeSync(fd);
  }
}

function checkKind(stat: fs.Stats | fs.BigIntStats, options: InputFileOptions, fail: (problem: string, hint: string) => never): void {
  if (!stat.isFile()) fail(`is ${kindOf(stat)}, not a regular file`, 'give the path of a regular file');
  if (Number(stat.size) > options.maxBytes) fail(tooBig(options.maxBytes), 'use a smaller file');
}

function kindOf(stat: fs.Stats | fs.BigIntStats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

function tooBig(max: number): string {
  return `is larger than ${max >= 1024 * 1024 ? `${max / 1024 / 1024} MiB` : `${max / 1024} KiB`}, the most Butter reads`;
}

/** Up to `max` bytes of `fd`; undefined when it holds more. */
function readCapped(fd: number, max: number): Buffer | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.alloc(Math.min(CHUNK, max + 1 - total));
    const n = fs.readSync(fd, buf, 0, buf.length, null);
    if (n === 0) return Buffer.concat(chunks, total);
    chunks.push(buf.subarray(0, n));
    total += n;
    if (total > max) return undefined;
  }
}
