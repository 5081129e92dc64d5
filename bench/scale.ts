/**
 * How Butter's synthesis time grows with N, and the largest N that synthesizes within a minute.
 */
import { CellResult } from './matrix';
import { runChild } from './measure';

export interface ScaleRow {
  readonly n: number;
  readonly wallMs: number;
  /** Whole-process time divided by N (includes the fixed cost, so it falls with N at first). */
  readonly msPerService: number;
  /** Extra time per extra service since the previous N: the slope. Constant if growth is linear. */
  readonly marginalMsPerService?: number;
}

export interface Growth {
  readonly rows: ScaleRow[];
  /** Slope at the largest N over the slope at the previous interval (1.0 = linear). */
  readonly slopeGrowth?: number;
  readonly verdict: string;
}

/** A slope that more than doubles from one decade of N to the next is "far from linear". */
const SUPERLINEAR = 2;

export function growth(results: CellResult[], workload: string): Growth {
  const cells = results.filter((r) => r.workload === workload && r.runs > 0).sort((a, b) => a.n - b.n);
  const rows: ScaleRow[] = cells.map((c, i) => ({
    n: c.n,
    wallMs: c.wallMs,
    msPerService: c.wallMs / c.n,
    marginalMsPerService: i === 0 ? undefined : (c.wallMs - cells[i - 1].wallMs) / (c.n - cells[i - 1].n),
  }));
  // Compare the last two slopes. Slopes over small N are mostly noise (a few ms over a few
  // services), so only judge once the largest N is at least 100.
  const slopes = rows.map((r) => r.marginalMsPerService).filter((s): s is number => s !== undefined);
  if (slopes.length < 2 || rows[rows.length - 1].n < 100) return { rows, verdict: 'not enough sizes to judge' };
  const g = slopes[slopes.length - 1] / slopes[slopes.length - 2];
  const verdict = g > SUPERLINEAR
    ? `FAR FROM LINEAR: each extra service costs ${g.toFixed(1)}x more in the last interval than in the one before`
    : `roughly linear (slope x${g.toFixed(2)} from the previous interval; flagged above x${SUPERLINEAR})`;
  return { rows, slopeGrowth: g, verdict };
}

export interface SearchStep {
  readonly n: number;
  readonly ok: boolean;
  readonly wallMs: number;
  readonly peakRssMiB?: number;
  readonly reason?: string;
}

export interface SearchResult {
  readonly limitMs: number;
  readonly steps: SearchStep[];
  /** Largest N seen to synthesize within the limit. */
  readonly largestOk?: number;
  /** Smallest N seen to fail (too slow, out of memory). */
  readonly smallestFail?: number;
  readonly note: string;
}

/**
 * Double N from `start` until a synthesis takes longer than `limitMs` (or fails), then bisect
 * the last interval while the time budget lasts. One run per N: this finds an order of
 * magnitude, not a precise figure. Past 1,000 services the Butter workload uses one network per
 * 1,000 services (a VPC is at most a /16), see workloads/butter.ts.
 */
export async function searchLargestN(start: number, limitMs: number, budgetMs: number, maxN: number, log: (s: string) => void): Promise<SearchResult> {
  const steps: SearchStep[] = [];
  const started = Date.now();
  const left = () => budgetMs - (Date.now() - started);
  const attempt = async (n: number): Promise<boolean> => {
    // Killed a little after the limit: past it the answer is already "no".
    const r = await runChild('butter', n, { timeoutMs: limitMs + 2000 });
    const ok = r.ok && r.wallMs <= limitMs;
    const reason = r.ok ? (ok ? undefined : 'over the limit') : r.reason;
    steps.push({ n, ok, wallMs: r.wallMs, peakRssMiB: r.ok ? r.peakRssMiB : undefined, reason });
    log(`  N=${n}: ${ok ? 'ok' : reason} in ${(r.wallMs / 1000).toFixed(1)} s`);
    return ok;
  };

  let good: number | undefined;
  let bad: number | undefined;
  for (let n = start; n <= maxN && left() > limitMs; n *= 2) {
    if (await attempt(n)) good = n;
    else { bad = n; break; }
  }
  // Bisect to within 20% of N while the budget allows another full-length run.
  while (good !== undefined && bad !== undefined && bad - good > good / 5 && left() > limitMs) {
    const mid = Math.round((good + bad) / 2 / 100) * 100;
    if (mid === good || mid === bad) break;
    if (await attempt(mid)) good = mid;
    else bad = mid;
  }
  const note = bad === undefined
    ? `every N up to ${good ?? '-'} synthesized within ${limitMs / 1000} s (stopped at the cap or the time budget)`
    : good === undefined
      ? `already N=${start} takes longer than ${limitMs / 1000} s`
      : `largest N within ${limitMs / 1000} s: ${good} (N=${bad} did not make it)`;
  return { limitMs, steps, largestOk: good, smallestFail: bad, note };
}
