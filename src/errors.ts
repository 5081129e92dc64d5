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
  /** 1-based line of `key` in `file`, when known. */
  public readonly line?: number;
  /** The bare problem statement, without location or hint. */
  public readonly problem: string;
  /**
   * The separate problems this error reports, in file order, when there are several (see
   * {@link ButterError.combine}); empty for an error about one thing.
   */
  public readonly issues: readonly ButterError[];

  constructor(code: string, problem: string, where: ErrorLocation = {}, issues: readonly ButterError[] = []) {
    const bounded = cut(problem, MAX_PROBLEM_CHARS);
    super(issues.length ? formatIssues(code, bounded, where, issues) : formatMessage(code, bounded, where));
    this.name = 'ButterError';
    this.code = code;
    this.problem = bounded;
    this.file = where.file;
    this.key = where.key;
    this.line = where.line;
    this.constructPath = where.constructPath;
    this.hint = where.hint;
    this.issues = issues;
  }

  /**
   * One error for several problems: the only one as it is (its code stays reachable), else an
   * error with code `code` listing each (at most {@link MAX_ISSUES}) in its message and `issues`.
   */
  public static combine(code: string, errors: readonly ButterError[], where: ErrorLocation = {}): ButterError {
    if (errors.length === 1) return errors[0];
    const shown = errors.slice(0, MAX_ISSUES);
    const more = errors.length > shown.length ? ` (the first ${shown.length} shown)` : '';
    return new ButterError(code, `${errors.length} problems${more}`, where, shown);
  }

  /** A copy of this error with more location filled in (inner code rarely knows the construct). */
  public withLocation(where: ErrorLocation): ButterError {
    return new ButterError(this.code, this.problem, {
      file: this.file ?? where.file,
      key: this.key ?? where.key,
      line: this.line ?? where.line,
      constructPath: this.constructPath ?? where.constructPath,
      hint: this.hint ?? where.hint,
    }, this.issues.map((i) => i.withLocation({ file: where.file, constructPath: where.constructPath })));
  }
}

/** Most problems one error lists: past that, fixing the first ones usually changes the rest. */
export const MAX_ISSUES = 20;

/** Longest problem statement kept (a safety net; values should be quoted with {@link cut}). */
const MAX_PROBLEM_CHARS = 2000;

/**
 * `text` cut to `max` characters with "…": for quoting input in messages, so a 50 MB value
 * never ends up whole in an error (or a terminal).
 */
export function cut(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Where an error happened and how to fix it. Every field is optional. */
export interface ErrorLocation {
  /** @default - no file */
  readonly file?: string;
  /** @default - no key */
  readonly key?: string;
  /** 1-based line of `key` in `file`. @default - unknown */
  readonly line?: number;
  /** @default - no construct */
  readonly constructPath?: string;
  /** @default - no hint */
  readonly hint?: string;
}

function formatMessage(code: string, problem: string, where: ErrorLocation): string {
  const file = where.file && where.line ? `${where.file}:${where.line}` : where.file;
  const place = [file, where.key].filter(Boolean).join(': ');
  const head = place ? `${place}: ${problem}` : problem;
  const construct = where.constructPath ? ` (in ${where.constructPath})` : '';
  const hint = where.hint ? `\n  fix: ${where.hint}` : '';
  return `${head}${construct} [${code}]${hint}`;
}

/** `file: 3 problems [CODE]`, then one line per problem with its own location, code and fix. */
function formatIssues(code: string, problem: string, where: ErrorLocation, issues: readonly ButterError[]): string {
  const lines = issues.map((i) => {
    const place = [i.file && i.file !== where.file ? i.file : undefined, i.line ? `line ${i.line}` : undefined, i.key].filter(Boolean).join(': ');
    const fix = i.hint ? `\n      fix: ${i.hint}` : '';
    return `  - ${place ? `${place}: ` : ''}${i.problem} [${i.code}]${fix}`;
  });
  return `${formatMessage(code, problem, { ...where, hint: undefined })}\n${lines.join('\n')}`;
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

let handlerInstalled = false;

/**
 * Make a ButterError that nothing caught print as its message (code and fix) and exit with 1,
 * instead of Node's report of a crash: a stack trace and a dump of the error's fields. This is
 * what a user sees through `cdktf synth`, which runs their app and shows its stderr. Only
 * ButterErrors are handled; any other error is a bug and keeps Node's report with its trace.
 *
 * Not installed when `BUTTER_DEBUG` is set (the trace then shows where the error was raised)
 * or under jest (`JEST_WORKER_ID`), whose own reporting of errors must stay as it is.
 */
export function installUncaughtErrorHandler(): void {
  if (handlerInstalled || process.env.BUTTER_DEBUG || process.env.JEST_WORKER_ID !== undefined) return;
  handlerInstalled = true;
  const handler = (e: unknown): void => {
    if (isButterError(e)) {
      process.stderr.write(`error: ${e.message}\n(set BUTTER_DEBUG=1 to see where it was raised)\n`);
      process.exit(1);
    }
    // Someone else also listens: theirs to handle. Otherwise hand it back to Node, which
    // reports it as if no handler had been installed (trace, exit code 1).
    if (process.listenerCount('uncaughtException') > 1) return;
    process.off('uncaughtException', handler);
    process.nextTick(() => {
      throw e;
    });
  };
  process.on('uncaughtException', handler);
}
