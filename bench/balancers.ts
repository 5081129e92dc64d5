/**
 * The load-balancer workload (issue 19): Butter with a balancer per service (workloads/butter-lb)
 * against the same resources in bare cdktf (workloads/bare-lb). Target: within 1.2x at N = 100.
 *
 *   npx tsx bench/balancers.ts [--runs 5] [--ns 1,10,100] [--base]
 *
 * First checks that both synthesize the same Terraform types, as many of each, with the same
 * attribute paths; then times fresh processes, interleaved, like run.ts. `--base` also times the
 * workloads without balancers (butter, bare) in the same rounds, so a busy machine's skew shows
 * on both ratios alike. Not part of `npm test`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildChildren } from './build';
import { median, runChild, Sample } from './measure';
import { attributePaths, terraformTypeCounts } from './parity';
import { passFail, ratio, table } from './table';

const TARGET = { maxButterOverBare: 1.2, atN: 100 };
const LB_WORKLOADS = ['butter-lb', 'bare-lb'];

const say = (s = '') => console.log(s);
const progress = (s: string) => process.stderr.write(s + '\n');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function parity(n: number): Promise<void> {
  const samples: Sample[] = [];
  for (const w of LB_WORKLOADS) {
    const r = await runChild(w, n, { keepOutput: true });
    if (!r.ok) throw new Error(`${w} N=${n} failed (${r.reason}):\n${r.detail}`);
    samples.push(r);
  }
  try {
    const [butter, bare] = samples.map((s) => path.join(s.outdir!, 'stacks', 'bench', 'cdk.tf.json'));
    const b = terraformTypeCounts(butter);
    const r = terraformTypeCounts(bare);
    const types = [...new Set([...Object.keys(b), ...Object.keys(r)])].sort();
    say(`\nSame infrastructure? Terraform types at N=${n}`);
    say(table(['type', 'butter-lb', 'bare-lb', 'match'], types.map((t) => [t, b[t] ?? 0, r[t] ?? 0, b[t] === r[t] ? 'yes' : 'NO'])));
    const bp = attributePaths(butter);
    const rp = attributePaths(bare);
    const butterOnly = [...bp].filter((x) => !rp.has(x));
    const bareOnly = [...rp].filter((x) => !bp.has(x));
    say(butterOnly.length + bareOnly.length === 0
      ? '  nested blocks and attributes: identical sets of attribute paths'
      : `  WARNING: attribute paths differ: butter-lb only ${butterOnly.join(', ') || '-'}; bare-lb only ${bareOnly.join(', ') || '-'}`);
    const mismatches = types.filter((t) => b[t] !== r[t]);
    if (mismatches.length) throw new Error(`butter-lb and bare-lb synthesize different types (${mismatches.join(', ')}): the comparison would be meaningless`);
  } finally {
    for (const s of samples) fs.rmSync(path.dirname(s.outdir!), { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const runs = Number(option('--runs') ?? 5);
  const ns = (option('--ns') ?? '1,10,100').split(',').map(Number);
  const WORKLOADS = process.argv.includes('--base') ? [...LB_WORKLOADS, 'butter', 'bare'] : LB_WORKLOADS;
  progress(`Precompiling the children to bench/.build (${buildChildren()} files changed) ...`);
  await parity(10);

  for (const w of WORKLOADS) await runChild(w, 1); // warm-up, unrecorded
  const rows: (string | number)[][] = [];
  let atTarget: number | undefined;
  for (const n of ns) {
    const samples = new Map<string, Sample[]>(WORKLOADS.map((w) => [w, []]));
    for (let r = 0; r < runs; r++) {
      // Rotate the order, so no workload always runs right after the same one.
      for (const w of WORKLOADS.map((_, i) => WORKLOADS[(i + r) % WORKLOADS.length])) {
        const s = await runChild(w, n);
        if (!s.ok) throw new Error(`${w} N=${n} failed (${s.reason}):\n${s.detail}`);
        samples.get(w)!.push(s);
      }
      progress(`  N=${n}: run ${r + 1}/${runs} done`);
    }
    const m = (w: string, f: (s: Sample) => number) => median(samples.get(w)!.map(f));
    for (const w of WORKLOADS) {
      rows.push([n, w, runs, Math.round(m(w, (s) => s.wallMs)), Math.round(m(w, (s) => s.cpuMs)), Math.round(m(w, (s) => s.peakRssMiB)),
        Math.round(m(w, (s) => s.buildMs)), Math.round(m(w, (s) => s.synthMs))]);
    }
    const wall = m('butter-lb', (s) => s.wallMs) / m('bare-lb', (s) => s.wallMs);
    for (const [a, b] of [['butter-lb', 'bare-lb'], ['butter', 'bare']]) {
      if (!WORKLOADS.includes(a)) continue;
      rows.push([n, `${a}/${b}`, '', ratio(m(a, (s) => s.wallMs), m(b, (s) => s.wallMs)), ratio(m(a, (s) => s.cpuMs), m(b, (s) => s.cpuMs)), '', '', '']);
    }
    if (n === TARGET.atN) atTarget = wall;
  }
  say('\nSynthesis with a load balancer per service: whole process, median of the runs (ms, MiB)');
  say(table(['N', 'workload', 'runs', 'wall ms', 'cpu ms', 'peak RSS MiB', 'build ms', 'synth ms'], rows));
  if (atTarget !== undefined) {
    say(`\nTarget: butter-lb within ${TARGET.maxButterOverBare}x of bare-lb at N=${TARGET.atN} (wall): ${atTarget.toFixed(2)}x ${passFail(atTarget <= TARGET.maxButterOverBare)}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
