/**
 * Cold start: a fresh process that loads the library and synthesizes one Network with one
 * Service. Timed inside the child in three phases (load cdktf, load constructs/index on top, build
 * + synth), plus the whole process from outside. Measured on precompiled JS (the library's own
 * cost) and through tsx, the way cdktf.json runs a TypeScript app (`npx tsx main.ts`), which adds
 * transpiling Butter's TypeScript (tsx caches it on disk, so runs after the first are warm).
 */
import { Loader, median, runChild, Sample } from './measure';

export interface ColdStart {
  readonly loader: Loader;
  readonly runs: number;
  readonly cdktfLoadMs: number;
  readonly butterLoadMs: number;
  /** Building the construct tree and synthesizing it. */
  readonly synthMs: number;
  /** Load + build + synth, inside the process: what the target is about. */
  readonly totalMs: number;
  /** The whole process from outside, including Node's startup and exit. */
  readonly wallMs: number;
  readonly peakRssMiB: number;
}

export async function measureColdStart(loader: Loader, runs: number): Promise<ColdStart> {
  const samples: Sample[] = [];
  // One unrecorded run first: for tsx it fills the transpile cache (a user's second synth is the
  // common case); for node it warms the OS file cache like any later run.
  for (let i = 0; i <= runs; i++) {
    const s = await runChild('cold', 1, { loader });
    if (!s.ok) throw new Error(`cold start (${loader}) failed (${s.reason}):\n${s.detail}`);
    if (i > 0) samples.push(s);
  }
  const m = (f: (s: Sample) => number) => median(samples.map(f));
  return {
    loader,
    runs,
    cdktfLoadMs: m((s) => s.cdktfLoadMs ?? NaN),
    butterLoadMs: m((s) => s.butterLoadMs ?? NaN),
    synthMs: m((s) => s.buildMs + s.synthMs),
    totalMs: m((s) => s.loadMs + s.buildMs + s.synthMs),
    wallMs: m((s) => s.wallMs),
    peakRssMiB: m((s) => s.peakRssMiB),
  };
}
