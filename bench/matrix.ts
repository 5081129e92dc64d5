/**
 * The main comparison: each workload at each N, several fresh processes each, medians.
 * Repetitions are interleaved (butter, bare, awscdk, ... then again) rather than grouped, so a
 * slow spell of the machine (another process, thermal throttling) hits every workload alike.
 */
import { Failure, median, runChild, Sample } from './measure';

export const WORKLOADS = ['butter', 'bare', 'awscdk', 'awscdk-novalidate'] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

export interface CellResult {
  readonly workload: WorkloadName;
  readonly n: number;
  readonly runs: number;
  /** Medians over the runs. */
  readonly wallMs: number;
  /** The fastest run: less sensitive than the median to other load on the machine. */
  readonly minWallMs: number;
  /** Median CPU time (user + system) of the process: the steadier measure on a busy machine. */
  readonly cpuMs: number;
  readonly peakRssMiB: number;
  readonly loadMs: number;
  readonly buildMs: number;
  readonly synthMs: number;
  /** Every run's wall time, to judge the spread. */
  readonly wallMsAll: number[];
  readonly failure?: Failure;
}

export async function runMatrix(ns: number[], runsFor: (n: number) => number, log: (s: string) => void): Promise<CellResult[]> {
  const results: CellResult[] = [];
  for (const n of ns) {
    const runs = runsFor(n);
    const samples = new Map<WorkloadName, Sample[]>(WORKLOADS.map((w) => [w, []]));
    const failures = new Map<WorkloadName, Failure>();
    for (let r = 0; r < runs; r++) {
      // Rotate the order too, so no workload always runs right after the heaviest one.
      const order = WORKLOADS.map((_, i) => WORKLOADS[(i + r) % WORKLOADS.length]);
      for (const w of order) {
        if (failures.has(w)) continue;
        const s = await runChild(w, n);
        if (s.ok) samples.get(w)!.push(s);
        else failures.set(w, s);
      }
      log(`  N=${n}: run ${r + 1}/${runs} done`);
    }
    for (const w of WORKLOADS) {
      const s = samples.get(w)!;
      const m = (f: (x: Sample) => number) => (s.length ? median(s.map(f)) : NaN);
      results.push({
        workload: w,
        n,
        runs: s.length,
        wallMs: m((x) => x.wallMs),
        minWallMs: s.length ? Math.min(...s.map((x) => x.wallMs)) : NaN,
        cpuMs: m((x) => x.cpuMs),
        peakRssMiB: m((x) => x.peakRssMiB),
        loadMs: m((x) => x.loadMs),
        buildMs: m((x) => x.buildMs),
        synthMs: m((x) => x.synthMs),
        wallMsAll: s.map((x) => Math.round(x.wallMs)),
        failure: failures.get(w),
      });
    }
  }
  return results;
}

export function cell(results: CellResult[], workload: WorkloadName, n: number): CellResult | undefined {
  return results.find((r) => r.workload === workload && r.n === n);
}
