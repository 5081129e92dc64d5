import * as path from 'node:path';

/**
 * The one error type Butter throws for anything a user can fix.
 *
 * Every failure a person can act on carries a stable `code` (for scripts and tests), where it
 * happened (the blueprint file and key path, and/or the construct path) and what to do about it.
 * The CLI prints `format()` and no stack trace; anything that is *not* a ButterError is a bug.
 */
export class ButterError extends Error {
  /** Stable machine-readable code, e.g. `BLUEPRINT_UNKNOWN_KEY`. Never reworded. */
  public readonly code: string;
  /** Blueprint (or other input) file the problem is in, if any. */
  public readonly file?: string;
  /** Dotted key path inside `file`, e.g. `instance.memory` or `initialization[1].path`. */
  public readonly key?: string;
  /** Construct path (`dev/web`) the problem belongs to, if any. */
  public readonly constructPath?: string;
  /** What the user should do. */
  public readonly hint?: string;
  /** The bare problem statement, without location or hint. */
  public readonly problem: string;

  constructor(code: string, problem: string, where: ErrorLocation = {}) {
    super(formatMessage(code, problem, where));
    this.name = 'ButterError';
    this.code = code;
    this.problem = problem;
    this.file = where.file;
    this.key = where.key;
    this.constructPath = where.constructPath;
    this.hint = where.hint;
  }

  /** A copy of this error with more location filled in (inner code rarely knows the construct). */
  public withLocation(where: ErrorLocation): ButterError {
    return new ButterError(this.code, this.problem, {
      file: this.file ?? where.file,
      key: this.key ?? where.key,
      constructPath: this.constructPath ?? where.constructPath,
      hint: this.hint ?? where.hint,
    });
  }
}

/** Where an error happened and how to fix it. Every field is optional. */
export interface ErrorLocation {
  /** @default - no file */
  readonly file?: string;
  /** @default - no key */
  readonly key?: string;
  /** @default - no construct */
  readonly constructPath?: string;
  /** @default - no hint */
  readonly hint?: string;
}

function formatMessage(code: string, problem: string, where: ErrorLocation): string {
  const place = [where.file, where.key].filter(Boolean).join(': ');
  const head = place ? `${place}: ${problem}` : problem;
  const construct = where.constructPath ? ` (in ${where.constructPath})` : '';
  const hint = where.hint ? `\n  fix: ${where.hint}` : '';
  return `${head}${construct} [${code}]${hint}`;
}

/** True for errors Butter raised on purpose (as opposed to bugs). */
export function isButterError(e: unknown): e is ButterError {
  return e instanceof ButterError;
}

/**
 * Run `fn`, adding location to any ButterError it throws. Lets pure planning code raise errors
 * that know only the key, while the construct calling it adds the file and construct path.
 */
export function withErrorLocation<T>(where: ErrorLocation, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isButterError(e)) throw e.withLocation(where);
    throw e;
  }
}

/**
 * A file path as people should read it in messages and synthesized output: relative to the
 * working directory when inside it, so output does not change from one checkout to another.
 */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
