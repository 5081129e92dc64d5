/**
 * The installed package's three figures (issue 13), as a table:
 *
 * 1. size: node_modules of an AWS-only consumer (butter-cdktf, @cdktf/provider-aws and the peers)
 *    against bare cdktf + constructs + @cdktf/provider-aws; target <= 1.15x.
 * 2. cold start from the built package: a fresh `node` loading butter-cdktf from the consumer's
 *    node_modules and synthesizing one Network with one Service (bench/workloads/butter.ts with
 *    its import pointed at the package), against the bare cdktf app of the same resources
 *    (bench/workloads/bare.ts) in the bare project; target <= 1.15x.
 * 3. mock deploy of aws-haproxy (init + apply + destroy): through the mirror that the installed
 *    package's `butter mock setup` writes (Terraform starting a plugin for every phase, as under
 *    `cdktf deploy`: the compiled launcher handing it the launch daemon's provider), against the
 *    providers served for reattaching as `butter deploy` does; target <= 1.5x. The first cycle,
 *    which starts the launch daemon, is shown on its own and not in the medians.
 *    `--without-launcher` also measures the mirror with BUTTER_MOCK_LAUNCHER=0 (a Node plugin
 *    per phase, as before the launcher).
 *
 *   npx tsx bench/package.ts [--runs 5] [--keep] [--without-launcher] [--skip-deploy]
 *
 * Both projects are installed from the tarball `npm pack` makes (prepack builds it), with
 * `--prefer-offline`: a warm npm cache makes it a local copy.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { App } from 'cdktf';
import { buildExamples } from '../example-blueprints/stacks';
import { startMockCloud } from '../src/mock/launch/daemon';
import { mirrorLauncher } from '../src/mock/launch/mirror';
import { stopLaunchDaemon } from '../src/mock/launch/launch-client';
import { TERRAFORM_ENV } from '../src/deploy/terraform';
import { median } from './measure';
import { passFail, table } from './table';

const ROOT = path.resolve(__dirname, '..');
export const MAX_SIZE_RATIO = 1.15;
export const MAX_COLD_RATIO = 1.15;
export const MAX_MIRROR_RATIO = 1.5;

function sh(cwd: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${(r.stderr || r.stdout).slice(-3000)}`);
  return r.stdout;
}

/** Bytes of every file under `dir` (apparent sizes; links not followed). */
export function treeBytes(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += treeBytes(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

function project(dir: string, dependencies: Record<string, string>): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: path.basename(dir), private: true, dependencies }, null, 2));
  sh(dir, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']);
}

/** The benchmark workload, compiled into `dir/bench/workloads` with Butter imported from the package. */
function workload(dir: string, name: 'bare' | 'butter'): string {
  const out = path.join(dir, 'bench', 'workloads');
  fs.mkdirSync(out, { recursive: true });
  fs.cpSync(path.join(ROOT, 'bench', 'fixtures'), path.join(dir, 'bench', 'fixtures'), { recursive: true });
  for (const f of [name, 'shape']) {
    const source = fs.readFileSync(path.join(ROOT, 'bench', 'workloads', `${f}.ts`), 'utf8').replace("'../../constructs'", "'butter-cdktf/constructs'");
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
    fs.writeFileSync(path.join(out, `${f}.js`), js);
  }
  const runner = path.join(dir, 'cold.js');
  fs.writeFileSync(runner, `const w = require('./bench/workloads/${name}.js');\nw.synth(w.build(1, process.argv[2]));\n`);
  return runner;
}

function wallMs(cwd: string, script: string): Promise<number> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cold-'));
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, outdir], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      fs.rmSync(outdir, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`${script} failed:\n${stderr.slice(-2000)}`));
      else resolve(ms);
    });
  });
}

function terraform(args: string[], cwd: string, env: Record<string, string>): Promise<{ seconds: number; stdout: string }> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', args, { cwd, env: { ...process.env, ...TERRAFORM_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`terraform ${args[0]} failed:\n${out.slice(-3000)}`));
      resolve({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, stdout: out });
    });
  });
}

/** init + apply + destroy of the synthesized stack in a fresh folder; seconds. */
async function deployCycle(template: string, env: Record<string, string>): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pkg-deploy-'));
  try {
    fs.copyFileSync(path.join(template, 'cdk.tf.json'), path.join(dir, 'cdk.tf.json'));
    let total = 0;
    total += (await terraform(['init', '-input=false', '-no-color'], dir, env)).seconds;
    const apply = await terraform(['apply', '-auto-approve', '-input=false', '-no-color'], dir, env);
    const destroy = await terraform(['destroy', '-auto-approve', '-input=false', '-no-color'], dir, env);
    if (!/Resources: [1-9]\d* added/.test(apply.stdout) || !/Resources: [1-9]\d* destroyed/.test(destroy.stdout)) throw new Error('nothing was deployed');
    return total + apply.seconds + destroy.seconds;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 5;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-package-'));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    log('npm pack (builds dist/) ...');
    const packed = JSON.parse(sh(ROOT, 'npm', ['pack', '--pack-destination', work, '--json', '--loglevel=error']).replace(/^[^[]*\n\[/s, '['));
    const tarball = path.join(work, packed[0].filename);
    const versions = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).devDependencies as Record<string, string>;
    const peers = { cdktf: versions.cdktf, constructs: versions.constructs, '@cdktf/provider-aws': versions['@cdktf/provider-aws'] };
    log('installing the bare and the Butter (AWS-only) projects ...');
    const bare = path.join(work, 'bare');
    const butter = path.join(work, 'butter');
    project(bare, peers);
    project(butter, { ...peers, 'butter-cdktf': `file:${tarball}` });
    const bareBytes = treeBytes(path.join(bare, 'node_modules'));
    const butterBytes = treeBytes(path.join(butter, 'node_modules'));

    log(`cold start, ${runs} runs each (plus one unrecorded) ...`);
    const bareRunner = workload(bare, 'bare');
    const butterRunner = workload(butter, 'butter');
    const cold = { bare: [] as number[], butter: [] as number[], ratios: [] as number[] };
    for (let i = 0; i <= runs; i++) {
      const b = await wallMs(bare, bareRunner);
      const t = await wallMs(butter, butterRunner);
      if (i === 0) continue;
      cold.bare.push(b);
      cold.butter.push(t);
      cold.ratios.push(t / b);
    }

    // --skip-deploy: the size and the cold start only (a minute instead of several).
    const skipDeploy = args.includes('--skip-deploy');
    if (!skipDeploy) log(`mock deploy of aws-haproxy, ${runs} runs each ...`);
    const template = path.join(work, 'aws-haproxy');
    const app = new App({ outdir: path.join(work, 'synth') });
    const stack = buildExamples(app, { addressLedger: false }).find((s) => s.node.id === 'aws-haproxy')!;
    app.synth();
    fs.mkdirSync(template);
    const config = JSON.parse(fs.readFileSync(path.join(work, 'synth', 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8'));
    config.terraform.backend = { local: { path: 'terraform.tfstate' } };
    fs.writeFileSync(path.join(template, 'cdk.tf.json'), JSON.stringify(config));
    const stateDir = path.join(work, 'mock-cloud');
    // The user's way: the installed package's `butter mock setup` writes the mirror (and compiles
    // the launcher) in the project.
    const setup = JSON.parse(sh(butter, path.join(butter, 'node_modules', '.bin', 'butter'), ['mock', 'setup', '--json'])) as { mirrorDir: string; env: Record<string, string> };
    const launcher = mirrorLauncher(setup.mirrorDir);
    log(launcher ? `the mirror's plugin launcher: ${launcher.executable}` : 'no plugin launcher in the mirror (no C compiler?): Node plugins');
    const mirrorEnv = { ...setup.env, BUTTER_MOCK_STATE_DIR: stateDir };
    const withoutLauncher = args.includes('--without-launcher');
    const deploy = { mirror: [] as number[], reattached: [] as number[], ratios: [] as number[], first: 0, node: [] as number[], nodeRatios: [] as number[] };
    try {
      for (let i = 0; i <= (skipDeploy ? -1 : runs); i++) {
        const m = await deployCycle(template, mirrorEnv);
        const n = withoutLauncher ? await deployCycle(template, { ...mirrorEnv, BUTTER_MOCK_LAUNCHER: '0' }) : NaN;
        const cloud = await startMockCloud({ stateDir });
        let r: number;
        try {
          r = await deployCycle(template, { ...cloud.env });
        } finally {
          await cloud.stop();
        }
        if (i === 0) {
          deploy.first = m;
          continue;
        }
        deploy.mirror.push(m);
        deploy.reattached.push(r);
        deploy.ratios.push(m / r);
        deploy.node.push(n);
        deploy.nodeRatios.push(n / r);
      }
    } finally {
      if (launcher) await stopLaunchDaemon(launcher.socket);
    }

    const mib = (b: number) => b / (1 << 20);
    const sizeRatio = butterBytes / bareBytes;
    console.log(`\nThe installed package (issue 13): medians of ${runs} runs; ratios per run, then their median\n`);
    console.log(table(['figure', 'Butter', 'reference', 'ratio', 'target', ''], [
      ['node_modules, AWS-only (MiB)', mib(butterBytes), mib(bareBytes), `${sizeRatio.toFixed(2)}x`, `<= ${MAX_SIZE_RATIO}x`, passFail(sizeRatio <= MAX_SIZE_RATIO)],
      ['cold start, 1 service (ms)', median(cold.butter), median(cold.bare), `${median(cold.ratios).toFixed(2)}x`, `<= ${MAX_COLD_RATIO}x`, passFail(median(cold.ratios) <= MAX_COLD_RATIO)],
      ...(skipDeploy ? [['aws-haproxy deploy cycle: skipped (--skip-deploy)', '', '', '', '', '']] : [
        ['aws-haproxy deploy cycle (s): mirror vs reattached', median(deploy.mirror), median(deploy.reattached), `${median(deploy.ratios).toFixed(2)}x`, `<= ${MAX_MIRROR_RATIO}x`, passFail(median(deploy.ratios) <= MAX_MIRROR_RATIO)],
        ['  first mirror cycle, launch daemon started (s)', deploy.first, '', '', '', ''],
      ]),
      ...(withoutLauncher ? [['  mirror without the launcher (s)', median(deploy.node), median(deploy.reattached), `${median(deploy.nodeRatios).toFixed(2)}x`, '', '']] : []),
    ]));
    console.log(`\nreferences: bare cdktf + constructs + @cdktf/provider-aws (size, and the same resources written with provider classes for the cold start); the mock served for reattaching as butter deploy does (deploy).`);
  } finally {
    if (args.includes('--keep')) log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
