/**
 * `npm start`'s time (issue 19: with the balancer examples, the whole `npm start` under 5 s):
 * `node bin/butter deploy --mock --show` in a fresh clone of this checkout (the examples' five
 * stacks, all five already deployed: the time a developer waits when running it again), and its
 * steps as the command reports them.
 *
 *   npx tsx bench/start.ts [--runs 5]
 *
 * The clone shares this checkout's node_modules (a symlink), so its bundles of the command and
 * of the examples' app (scripts/source-bundle.js, in node_modules/.cache) are warm, as they are
 * after a first run. The first deploy (every object created) is shown on its own.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median } from './measure';
import { passFail, table } from './table';

const ROOT = path.resolve(__dirname, '..');
/** Issue 19's bound on the whole `npm start`, seconds. */
export const MAX_START_SECONDS = 5;

interface Run {
  readonly seconds: number;
  /** Seconds per reported step (`synthesize`, `<stack>: terraform apply`, ...). */
  readonly steps: Map<string, number>;
}

function start(cwd: string): Promise<Run> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(cwd, 'bin', 'butter'), 'deploy', '--mock', '--show'], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code !== 0) return reject(new Error(`npm start failed:\n${stderr.slice(-3000)}`));
      const steps = new Map<string, number>();
      for (const m of stderr.matchAll(/^✓ (.+) \(([\d.]+)s[,)]/gm)) steps.set(m[1], Number(m[2]));
      resolve({ seconds, steps });
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 5;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-start-'));
  const clone = path.join(work, 'butter');
  try {
    const r = spawnSync('git', ['clone', '-q', ROOT, clone], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git clone failed: ${r.stderr}`);
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
    process.stderr.write('first deploy (creates everything) ...\n');
    const first = await start(clone);
    const again: Run[] = [];
    for (let i = 0; i < runs; i++) {
      process.stderr.write(`npm start ${i + 1}/${runs} ...\n`);
      again.push(await start(clone));
    }
    const total = median(again.map((a) => a.seconds));
    const stepNames = [...again[0].steps.keys()];
    const stepSum = (run: Run) => [...run.steps.values()].reduce((a, b) => a + b, 0);
    console.log(`\n\`npm start\` (node bin/butter deploy --mock --show), median of ${runs} runs, all five example stacks already deployed\n`);
    console.log(table(['what', 'seconds', 'target', ''], [
      ['npm start, whole command', total, `<= ${MAX_START_SECONDS}`, passFail(total <= MAX_START_SECONDS)],
      ...stepNames.map((s) => [`  ${s}`, median(again.map((a) => a.steps.get(s) ?? NaN)), '', '']),
      ['  start-up, inventory and output (the rest)', median(again.map((a) => a.seconds - stepSum(a))), '', ''],
      ['first run (creates every object)', first.seconds, '', ''],
    ]));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.message : e}\n`);
    process.exitCode = 1;
  });
}
