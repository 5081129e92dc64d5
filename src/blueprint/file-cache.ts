/**
 * A cache of values computed from files (a parsed blueprint from its YAML and its scripts),
 * valid while none of those files changed.
 *
 * "Changed" is judged by a stamp (size, modification time in ns, inode), which costs a `stat`
 * and no read. A stamp alone can miss a rewrite: file times advance in clock ticks of a few
 * milliseconds, so a same-size rewrite right after a read can keep its stamp. Like git's
 * "racily clean" index entries, a file modified within `RACY_MS` of the last check is compared
 * by content too; once it is older than that, the stamp is trusted and nothing is read.
 */
import * as fs from 'fs';
import { InputFileOptions, readInputFile } from '../util/input-file';

const RACY_MS = 2000;

/** One file a value was computed from, as it was when read. */
interface Read {
  /** `Date.now()` just before the read. */
  readonly readAt: number;
  readonly stamp: string;
  readonly mtimeMs: number;
  readonly text: string;
  /** How it was read, to read it again the same way. */
  readonly options: InputFileOptions;
}

/** Files read while computing one value: pass to `readTracked`, then to `FileCache.set`. */
export type ReadLog = Map<string, Read>;

/**
 * Read an input file with {@link readInputFile} (regular, UTF-8, size-capped), noting its stamp
 * (from the descriptor read, so a concurrent edit looks changed).
 */
export function readTracked(abs: string, options: InputFileOptions, log?: ReadLog): string {
  const readAt = Date.now();
  const { text, stat } = readInputFile(abs, options);
  log?.set(abs, { readAt, stamp: stampOf(stat), mtimeMs: Number(stat.mtimeMs), text, options });
  return text;
}

export class FileCache<T> {
  private readonly entries = new Map<string, { value: T; reads: ReadLog; checkedAt: number }>();

  /** The value stored under `key`, if every file it was computed from is unchanged. */
  public get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    for (const [abs, read] of entry.reads) {
      const stat = fs.statSync(abs, { bigint: true, throwIfNoEntry: false });
      if (!stat || stampOf(stat) !== read.stamp) return this.drop(key);
      const racy = read.mtimeMs > entry.checkedAt - RACY_MS;
      if (racy && reread(abs, read) !== read.text) return this.drop(key);
    }
    entry.checkedAt = Date.now();
    return entry.value;
  }

  public set(key: string, value: T, reads: ReadLog): void {
    // Checked as of the earliest read: the content is known to be right from then on.
    const checkedAt = Math.min(Date.now(), ...[...reads.values()].map((r) => r.readAt));
    this.entries.set(key, { value, reads, checkedAt });
  }

  public clear(): void {
    this.entries.clear();
  }

  private drop(key: string): undefined {
    this.entries.delete(key);
    return undefined;
  }
}

/** The file's text now, or undefined when it can no longer be read as it was (the next load says why). */
function reread(abs: string, read: Read): string | undefined {
  try {
    return readInputFile(abs, read.options).text;
  } catch {
    return undefined;
  }
}

function stampOf(s: fs.BigIntStats): string {
  return `${s.size}:${s.mtimeNs}:${s.ino}`;
}
