/**
 * Where the time goes: runs the Butter and bare cdktf workloads under `node --cpu-prof` and
 * summarizes the profiles: self time by area (Butter's constructs/ and src/, cdktf, the provider
 * bindings, constructs, Node's module loader, GC), the hottest functions by self time, and the
 * inclusive time of Butter's own functions (time with that function anywhere on the stack).
 *
 *   npx tsx bench/profile.ts [N=1000]
 *
 * Then, without the profiler, it measures cdktf's per-token stack capture (stack-capture.js):
 * how many captures each workload makes, how deep the stacks are, and the build/synth times with
 * the captures made free (median of 5 runs).
 *
 * Profiles are kept in bench/results/profiles/ (open them in Chrome DevTools or speedscope).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUILD, buildChildren, ROOT } from './build';
import { table } from './table';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const OUT = path.join(ROOT, 'bench', 'results', 'profiles');

/** Which part of the program a frame belongs to. */
function area(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return url.startsWith('node:internal/modules') ? 'node: module loading' : 'node: other';
  const rel = url.replace(/^file:\/\//, '');
  const build = rel.indexOf('/bench/.build/');
  if (build >= 0) {
    const inside = rel.slice(build + '/bench/.build/'.length);
    if (inside.startsWith('node_modules/')) return pkgOf(inside);
    return `butter: ${inside.split('/').slice(0, inside.startsWith('src/') ? 2 : 1).join('/')}`;
  }
  const nm = rel.lastIndexOf('/node_modules/');
  return nm >= 0 ? pkgOf(rel.slice(nm + 1)) : rel;
}

function pkgOf(p: string): string {
  const parts = p.replace(/^node_modules\//, '').split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

function where(frame: CallFrame): string {
  const rel = frame.url.replace(/^file:\/\//, '').replace(/.*\/bench\/\.build\//, '').replace(/.*\/node_modules\//, '');
  return `${frame.functionName || '(anonymous)'} ${rel}:${frame.lineNumber + 1}`;
}

interface Summary {
  readonly totalMs: number;
  readonly byArea: [string, number][];
  readonly topSelf: [string, number][];
  readonly butterInclusive: [string, number][];
}

/** Times averaged over several profiles of the same run, to damp the noise of a single run. */
export function summarize(profiles: CpuProfile[]): Summary {
  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (const profile of profiles) addProfile(profile, 1 / profiles.length, self, areas, inclusive, (ms) => { total += ms; });
  const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k);
  return { totalMs: total, byArea: top(areas, 16), topSelf: top(self, 25), butterInclusive: top(inclusive, 30) };
}

function addProfile(profile: CpuProfile, weight: number, self: Map<string, number>, areas: Map<string, number>,
  inclusive: Map<string, number>, addTotal: (ms: number) => void): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  profile.samples.forEach((id, i) => {
    const ms = ((profile.timeDeltas[i] ?? 0) / 1000) * weight;
    addTotal(ms);
    const node = byId.get(id)!;
    const key = where(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + ms);
    const a = area(node.callFrame);
    areas.set(a, (areas.get(a) ?? 0) + ms);
    // Inclusive time of Butter functions: count each function once per sample (recursion).
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const f = byId.get(n)!.callFrame;
      if (!area(f).startsWith('butter:')) continue;
      const k = where(f);
      if (!seen.has(k)) { seen.add(k); inclusive.set(k, (inclusive.get(k) ?? 0) + ms); }
    }
  });
}

/** `runs` profiled runs of the workload (one .cpuprofile each, all kept). */
function profileWorkload(workload: string, n: number, runs: number): CpuProfile[] {
  const dir = path.join(OUT, `${workload}-${n}`);
  fs.rmSync(dir, { recursive: true, force: true });
  for (let i = 0; i < runs; i++) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-profile-'));
    const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, path.join(BUILD, 'bench', 'child.js'), workload, String(n), outdir], { cwd: ROOT, encoding: 'utf8' });
    fs.rmSync(outdir, { recursive: true, force: true });
    if (r.status !== 0) throw new Error(`${workload} failed:\n${r.stderr}`);
    console.log(`${workload} N=${n}: ${r.stdout.trim()}`);
  }
  return fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
}

interface Phases { loadMs: number; buildMs: number; synthMs: number; uptimeMs: number }

/** One unprofiled run with the stack-capture preload; returns the child's phases and stderr. */
function runWithCapture(workload: string, n: number, mode: 'count' | 'off' | 'on'): { phases: Phases; stderr: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-capture-'));
  const r = spawnSync(process.execPath, ['-r', path.join(BUILD, 'bench', 'stack-capture.js'), path.join(BUILD, 'bench', 'child.js'), workload, String(n), outdir], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, BENCH_STACK_CAPTURE: mode },
  });
  fs.rmSync(outdir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`${workload} failed:\n${r.stderr}`);
  return { phases: JSON.parse(r.stdout.trim().split('\n').pop()!), stderr: r.stderr };
}

function stackCaptureReport(n: number): void {
  const rows = ['butter', 'bare'].map((w) => {
    const counted = JSON.parse(/STACK_CAPTURE (.*)/.exec(runWithCapture(w, n, 'count').stderr)![1]);
    // Median run (by process time) of 5, on and off interleaved so both see the same machine.
    const withCapture: Phases[] = [];
    const without: Phases[] = [];
    for (let i = 0; i < 5; i++) {
      withCapture.push(runWithCapture(w, n, 'on').phases);
      without.push(runWithCapture(w, n, 'off').phases);
    }
    const middle = (runs: Phases[]) => runs.sort((a, b) => a.uptimeMs - b.uptimeMs)[2];
    const on = middle(withCapture);
    const off = middle(without);
    return [w, counted.captures, counted.meanFrames, counted.meanChars, on.buildMs, off.buildMs, on.synthMs, off.synthMs, on.uptimeMs, off.uptimeMs];
  });
  console.log(`\ncdktf's stack capture per token, N=${n} (median of 5 unprofiled runs; "off" = captures made free)`);
  console.log(table(['workload', 'captures', 'mean frames', 'mean chars', 'build ms', 'build off', 'synth ms', 'synth off', 'process ms', 'process off'], rows));
}

function main(): void {
  const n = Number(process.argv[2] ?? 1000);
  const runs = n >= 1000 ? 1 : 5;
  buildChildren();
  const summaries = Object.fromEntries(['butter', 'bare'].map((w) => [w, summarize(profileWorkload(w, n, runs))]));
  const areas = [...new Set(Object.values(summaries).flatMap((s) => s.byArea.map(([a]) => a)))];
  const ms = (w: string, a: string) => summaries[w].byArea.find(([x]) => x === a)?.[1] ?? 0;
  console.log(`\nSelf time by area, N=${n} (ms; sampled, whole process, mean of ${runs} profiled run(s))`);
  console.log(table(['area', 'butter', 'bare', 'difference'],
    [...areas.map((a) => [a, ms('butter', a), ms('bare', a), ms('butter', a) - ms('bare', a)] as (string | number)[])
      .sort((x, y) => (y[3] as number) - (x[3] as number)),
    ['total', summaries.butter.totalMs, summaries.bare.totalMs, summaries.butter.totalMs - summaries.bare.totalMs]]));
  for (const w of ['butter', 'bare']) {
    console.log(`\nHottest functions, ${w} (self ms)`);
    console.log(table(['function', 'self ms'], summaries[w].topSelf));
  }
  console.log('\nButter functions by inclusive time (ms with the function on the stack)');
  console.log(table(['function', 'inclusive ms'], summaries.butter.butterInclusive));
  fs.writeFileSync(path.join(OUT, `summary-${n}.json`), JSON.stringify(summaries, null, 2) + '\n');
  stackCaptureReport(n);
  console.log(`\nProfiles and summary in ${path.relative(process.cwd(), OUT)}`);
}

if (require.main === module) main();
