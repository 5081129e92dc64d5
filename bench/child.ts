/**
 * One measured run, in a fresh `node` process started by run.ts (from the precompiled copy in
 * bench/.build). Usage: node child.js <workload> <n> <outdir>
 *
 *   workload: butter | bare | awscdk  (bench/workloads/<workload>)
 *             cold   the Butter workload, with the library's load split in two: cdktf itself,
 *                    then constructs/index (what Butter adds on top of cdktf)
 *
 * Prints one JSON line: the phases timed from inside (loading the library, building the construct
 * tree, synthesizing), and the process's own peak RSS and CPU time as a fallback for /usr/bin/time.
 */
import { performance } from 'node:perf_hooks';

interface Workload {
  build(n: number, outdir: string): unknown;
  synth(app: unknown): void;
}

function main(): void {
  const [kind, nText, outdir] = process.argv.slice(2);
  const n = Number(nText);
  if (!kind || !Number.isInteger(n) || n < 1 || !outdir) throw new Error('usage: child.js <workload> <n> <outdir>');

  // Node's own startup (before this line) is in the outside wall time, not in these phases.
  const t0 = performance.now();
  // A workload's first require loads its library (cdktf + provider classes, or aws-cdk-lib).
  let split: Record<string, number> = {};
  if (kind === 'cold') {
    require('cdktf');
    const tCdktf = performance.now();
    require('../constructs');
    split = { cdktfLoadMs: tCdktf - t0, butterLoadMs: performance.now() - tCdktf };
  }
  const workload: Workload = require(`./workloads/${kind === 'cold' ? 'butter' : kind}`);
  const t1 = performance.now();
  const app = workload.build(n, outdir);
  const t2 = performance.now();
  workload.synth(app);
  const t3 = performance.now();

  process.stdout.write(JSON.stringify({
    kind,
    n,
    loadMs: t1 - t0,
    buildMs: t2 - t1,
    synthMs: t3 - t2,
    ...split,
    /** From process start (including Node's startup) to the end of synthesis. */
    uptimeMs: process.uptime() * 1000,
    maxRssKiB: process.resourceUsage().maxRSS,
    cpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000,
  }) + '\n');
}

main();
