/**
 * Soak test of interrupted deploys (issue 15): rounds of `butter deploy` and `butter destroy`
 * against the mock cloud, each killed by SIGKILL or SIGTERM at a random point of its apply or
 * destroy, then followed by a `butter deploy` that must converge: exit 0, a clean `butter plan`,
 * no duplicate object in the mock cloud, nothing left in the temp folder, no stale lock.
 *
 *   npx tsx bench/soak.ts                  20 rounds of the haproxy example (46 resources; ~15 min)
 *   npx tsx bench/soak.ts --rounds 4 --small --seed 7
 *
 * Never part of `npm test` (test/src/deploy/signals.test.ts runs a few such rounds). Runs the
 * real `butter` command (bin/butter) as a user would; each run gets its own TMPDIR, so leftovers
 * are this soak's alone. Prints a table per round and the summary: rounds, converged,
 * duplicates, leftovers in /tmp.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { Network, Service } from '../constructs';
import { haproxyExample } from '../example-blueprints/stacks';
import { table } from './table';

const ROOT = path.resolve(__dirname, '..');
const EXAMPLES = path.join(ROOT, 'example-blueprints');
const BUTTER = path.join(ROOT, 'bin', 'butter');

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROUNDS = option('rounds', 20);
const SMALL = args.includes('--small');
let seed = option('seed', Date.now() % 100_000);
const SEED = seed;
/** A small deterministic generator (mulberry32): a failing round can be replayed with --seed. */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function build(app: App): void {
  if (!SMALL) return void haproxyExample(app, 'example', 'aws', { addressLedger: false });
  const dev = new Network(new TerraformStack(app, 'example'), 'dev', {
    cloud: 'aws', region: 'us-east-1', addressLedger: false, blueprint: path.join(EXAMPLES, 'network', 'blueprint.yml'),
  });
  new Service(dev, 'web', { blueprint: path.join(EXAMPLES, 'aws-nginx', 'blueprint.yml'), count: 4 });
}

/** A cdktf project with the stack synthesized (its app, `true`, leaves cdktf.out as it is). */
function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-soak-'));
  fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'true', output: 'cdktf.out' }));
  const app = new App({ outdir: path.join(dir, 'cdktf.out') });
  build(app);
  app.synth();
  return dir;
}

const workdir = (dir: string) => path.join(dir, '.butter', 'mock', 'stacks', 'example');

/** Objects per kind in the mock AWS cloud, and its create journal's size. */
function census(dir: string): { kinds: Record<string, number>; pending: number } {
  try {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, '.butter', 'mock-cloud', 'aws.json'), 'utf8'));
    const kinds = Object.fromEntries(Object.entries(doc.objects as Record<string, object>).map(([k, ids]) => [k, Object.keys(ids).length]));
    return { kinds, pending: Object.keys(doc.pendingCreates ?? {}).length };
  } catch {
    return { kinds: {}, pending: 0 };
  }
}
const total = (kinds: Record<string, number>) => Object.values(kinds).reduce((a, b) => a + b, 0);

/** Temp folder entries a run left (tsx's compile cache, kept across runs on purpose, is not one). */
function leftovers(tmp: string): string[] {
  return fs.readdirSync(tmp).filter((n) => !/^tsx-\d+$/.test(n));
}

interface Exit { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function butter(dir: string, tmp: string, ...argv: string[]): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(process.execPath, [BUTTER, ...argv], { cwd: dir, env: { ...process.env, TMPDIR: tmp, CHECKPOINT_DISABLE: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d));
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  return { child, exit: new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }))) };
}

async function waitFor(ok: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

/** No process left working in `dir` (a Terraform the kill orphaned gives up once its providers are gone). */
function processesIn(dir: string): number {
  let n = 0;
  for (const p of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      if (fs.readlinkSync(`/proc/${p}/cwd`) === dir) n++;
    } catch {
      // gone
    }
  }
  return n;
}

interface Round {
  round: number;
  operation: 'deploy' | 'destroy';
  signal: NodeJS.Signals;
  killedAt: string;
  exit: string;
  errored: string;
  converged: boolean;
  duplicates: number;
  leftovers: number;
  seconds: number;
  problem?: string;
}

async function main(): Promise<void> {
  const log = (s: string) => process.stderr.write(`${s}\n`);
  log(`soak: ${ROUNDS} rounds, ${SMALL ? 'network + 4 instances' : 'haproxy example'}, seed ${SEED}`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-soak-tmp-'));
  const dir = project();

  // The reference: what one uninterrupted deploy leaves in the cloud.
  const first = await butter(dir, scratch, 'deploy').exit;
  if (first.code !== 0) throw new Error(`the first deploy failed:\n${first.stderr}`);
  const reference = census(dir).kinds;
  const size = total(reference);
  log(`reference: ${size} objects`);

  const rounds: Round[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const t0 = Date.now();
    const tmp = fs.mkdtempSync(path.join(scratch, `round-${r}-`));
    const operation = r % 2 === 1 ? 'destroy' : 'deploy';
    const signal: NodeJS.Signals = random() < 0.5 ? 'SIGKILL' : 'SIGTERM';
    // A deploy round starts from nothing deployed (an uninterrupted destroy first).
    if (operation === 'deploy') {
      const clean = await butter(dir, tmp, 'destroy').exit;
      if (clean.code !== 0) throw new Error(`round ${r}: the destroy before it failed:\n${clean.stderr}`);
    }
    // Kill once the cloud has gained (deploy) or lost (destroy) a random share of the objects.
    const target = 1 + Math.floor(random() * (size - 2));
    const run = butter(dir, tmp, operation);
    const reached = await waitFor(() => {
      const n = total(census(dir).kinds);
      return operation === 'deploy' ? n >= target : n <= size - target;
    }, 120_000);
    const done = total(census(dir).kinds);
    run.child.kill(signal);
    const ended = await run.exit;
    await waitFor(() => processesIn(workdir(dir)) === 0, 30_000);
    const erroredLeft = fs.existsSync(path.join(workdir(dir), 'errored.tfstate'));

    // The resuming deploy (same TMPDIR: it also clears what a SIGKILL left there).
    const resumed = await butter(dir, tmp, 'deploy').exit;
    const plan = await butter(dir, tmp, 'plan').exit;
    const now = census(dir);
    const duplicates = Object.entries(now.kinds).reduce((n, [k, c]) => n + Math.max(0, c - (reference[k] ?? 0)), 0);
    const missing = Object.entries(reference).reduce((n, [k, c]) => n + Math.max(0, c - (now.kinds[k] ?? 0)), 0);
    const converged = resumed.code === 0 && plan.code === 0 && /No changes\./.test(plan.stdout) && missing === 0 && now.pending === 0
      && !fs.existsSync(path.join(workdir(dir), 'errored.tfstate')) && !fs.existsSync(path.join(workdir(dir), 'butter.tfstate.lock'));
    const left = leftovers(tmp).length;
    const problem = converged ? undefined : [resumed.code !== 0 ? `resume exit ${resumed.code}: ${resumed.stderr.slice(-400)}` : '',
      plan.code !== 0 || !/No changes\./.test(plan.stdout) ? `plan: ${plan.stdout.trim().slice(-200)}` : '',
      missing ? `${missing} objects missing` : '', now.pending ? `${now.pending} journal entries left` : ''].filter(Boolean).join('; ');
    rounds.push({
      round: r, operation, signal,
      killedAt: `${reached ? '' : '(late) '}${operation === 'deploy' ? done : size - done}/${size}`,
      exit: ended.signal ?? String(ended.code),
      errored: erroredLeft ? 'adopted' : '-',
      converged, duplicates, leftovers: left, seconds: (Date.now() - t0) / 1000, problem,
    });
    const last = rounds[rounds.length - 1];
    log(`round ${r}: ${operation} ${signal} at ${last.killedAt}, exit ${last.exit}: ${converged ? 'converged' : `NOT converged (${problem})`}`);
  }

  await butter(dir, scratch, 'destroy').exit;
  console.log(table(['round', 'operation', 'signal', 'killed after', 'exit', 'errored.tfstate', 'converged', 'duplicates', 'leftovers in /tmp', 's'],
    rounds.map((x) => [x.round, x.operation, x.signal, x.killedAt, x.exit, x.errored, x.converged ? 'yes' : 'NO', x.duplicates, x.leftovers, x.seconds])));
  console.log('');
  const converged = rounds.filter((x) => x.converged).length;
  const duplicates = rounds.reduce((n, x) => n + x.duplicates, 0);
  const left = rounds.reduce((n, x) => n + x.leftovers, 0);
  console.log(table(['rounds', 'converged', 'duplicates', 'leftovers in /tmp', 'seed'], [[rounds.length, converged, duplicates, left, SEED]]));
  for (const x of rounds.filter((y) => y.problem)) console.log(`round ${x.round}: ${x.problem}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
  process.exitCode = converged === rounds.length && duplicates === 0 && left === 0 ? 0 : 1;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
