/**
 * How to start the mock cloud's entry point (`src/mock/main.ts` or a bundle of it) as a process.
 */
export interface PluginCommand {
  /** The executable, usually `process.execPath` (node). */
  readonly executable: string;
  /** Arguments before the mode (`plugin aws` / `daemon aws google`), e.g. the bundle path. */
  readonly args: readonly string[];
}

/** Quote for a POSIX shell. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_\/.,:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
