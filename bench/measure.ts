/**
 * Running one child and measuring it from the outside: wall time from spawn to exit (so Node's
 * startup, module loading and process teardown all count, as they do for a user), and the peak
 * resident memory of the whole process from GNU time when the machine has it, else from the
 * child's own `process.resourceUsage().maxRSS` (the same number for a single-process child).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BUILD, ROOT } from './build';

const GNU_TIME = '/usr/bin/time';
export const HAS_GNU_TIME = fs.existsSync(GNU_TIME);

/** How the child runs: precompiled JS on plain node (the benchmark), or the TS source through tsx. */
export type Loader = 'node' | 'tsx';

export interface Sample {
  readonly ok: true;
  readonly wallMs: number;
  /**
   * CPU time (user + system, all threads) of the whole process. Far less sensitive than wall
   * time to other work on the machine, so it is the steadier basis for comparing workloads
   * on a busy machine; the targets still use wall time, which is what a user waits for.
   */
  readonly cpuMs: number;
  readonly peakRssMiB: number;
  /** Phases timed inside the child (see child.ts). */
  readonly loadMs: number;
  readonly buildMs: number;
  readonly synthMs: number;
  readonly uptimeMs: number;
  readonly cdktfLoadMs?: number;
  readonly butterLoadMs?: number;
  /** Where the output went, when asked to keep it. */
  readonly outdir?: string;
}

export interface Failure {
  readonly ok: false;
  readonly wallMs: number;
  readonly reason: 'timeout' | 'out of memory' | 'error';
  readonly detail: string;
}

export interface RunOptions {
  readonly loader?: Loader;
  /** Kill the child after this long. @default 10 minutes */
  readonly timeoutMs?: number;
  /** Keep the synthesized output (the caller deletes it). @default false */
  readonly keepOutput?: boolean;
}

/** Run `workload` with `n` services in a fresh process. */
export function runChild(workload: string, n: number, opts: RunOptions = {}): Promise<Sample | Failure> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `butter-bench-${workload}-`));
  const timeFile = path.join(outdir, '.time');
  const script = opts.loader === 'tsx'
    ? ['--import', 'tsx', path.join(ROOT, 'bench', 'child.ts')]
    : [path.join(BUILD, 'bench', 'child.js')];
  const nodeArgs = [...script, workload, String(n), path.join(outdir, 'out')];
  // %M: peak RSS in KiB of the child (node); %U %S: its user and system CPU seconds.
  // -o keeps them out of the child's stderr.
  const [cmd, args] = HAS_GNU_TIME
    ? [GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];

  return new Promise((resolve) => {
    const started = performance.now();
    // Own process group, so a timeout can end node and the `time` wrapper together.
    const child = spawn(cmd, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-20000); });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, opts.timeoutMs ?? 600_000);

    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      const done = (r: Sample | Failure) => {
        if (!(r.ok && opts.keepOutput)) fs.rmSync(outdir, { recursive: true, force: true });
        resolve(r);
      };
      if (timedOut) return done({ ok: false, wallMs, reason: 'timeout', detail: `killed after ${Math.round(wallMs / 1000)} s` });
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) {
        const oom = /heap out of memory|Allocation failed/.test(stderr);
        return done({ ok: false, wallMs, reason: oom ? 'out of memory' : 'error', detail: tail(stderr) });
      }
      const inside = JSON.parse(line);
      // The last line: GNU time prints "Command exited ..." lines before it on failures only.
      const [timeKiB, user, sys] = HAS_GNU_TIME ? fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : [NaN, NaN, NaN];
      const fromTime = Number.isFinite(timeKiB) && timeKiB > 0;
      done({
        ok: true,
        wallMs,
        cpuMs: fromTime ? (user + sys) * 1000 : inside.cpuMs,
        peakRssMiB: (fromTime ? timeKiB : inside.maxRssKiB) / 1024,
        loadMs: inside.loadMs,
        buildMs: inside.buildMs,
        synthMs: inside.synthMs,
        uptimeMs: inside.uptimeMs,
        cdktfLoadMs: inside.cdktfLoadMs,
        butterLoadMs: inside.butterLoadMs,
        outdir: opts.keepOutput ? path.join(outdir, 'out') : undefined,
      });
    });
  });
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-8).join('\n');
}

/** The median of each numeric field over successful samples. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
