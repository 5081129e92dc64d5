/**
 * Mock deploy benchmark: `terraform init` + `apply` + `destroy` of Butter stacks against the mock
 * cloud, next to the same number of Terraform's built-in `terraform_data` resources (no provider
 * at all: Terraform's own floor for that many resources). Target: at most 1.5x that floor.
 *
 *   npx tsx bench/mock-deploy.ts [--quick] [--runs 3] [--services 50] [--growth 10,25,50] [--only gce]
 *
 * `npm run bench` runs it after the synthesis benchmark. Two more references explain the ratio
 * (mock-floor.ts): the same stacks against a provider with the mock's schemas whose resources do
 * nothing (Terraform's cost for this configuration with *any* provider), and a one-attribute
 * provider against terraform_data (the cost of the plugin protocol alone).
 *
 * Every run measures the mock and its references back to back, and ratios are taken per run
 * before the median: other work on a shared machine then skews both sides of a ratio alike.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { buildExamples } from '../example-blueprints/stacks';
import { Network, Service, Path } from '../constructs';
import { startMockCloud } from '../src/mock/launch/daemon';
import { prepareMirror } from '../src/mock/launch/mirror';
import { TERRAFORM_ENV } from '../src/deploy/terraform';
import { startStateServer, StateServer } from '../src/deploy/state-server';
import { serveNoopClouds, serveTrivialProvider, TRIVIAL_SOURCE } from './mock-floor';
import { median } from './measure';
import { passFail, ratio, table } from './table';
import { floorConfig, sameValuesConfig, TerraformJson } from './floor-config';

const ROOT = path.resolve(__dirname, '..');
const GNU_TIME = '/usr/bin/time';
const HAS_GNU_TIME = fs.existsSync(GNU_TIME);
/** Issue 4's target: init+apply+destroy against the mock at most this many times the floor. */
export const MAX_MOCK_OVER_FLOOR = 1.5;

/** Options for {@link runMockDeployBench}. */
export interface MockDeployOptions {
  /** Runs per case (medians; ratios per run). */
  readonly runs: number;
  /** The N of the "N services" case. */
  readonly services: number;
  /** Service counts of the growth table (measured once each, besides `services`). */
  readonly growth: readonly number[];
  /** Only cases whose name contains this. @default - all */
  readonly only?: string;
  /** Progress lines (stderr). */
  readonly progress: (line: string) => void;
}

/** One way of running a case, over its runs. */
export interface Timing {
  /** Median wall seconds of init + apply + destroy. */
  readonly seconds: number;
  readonly all: readonly number[];
  /** Median CPU seconds of the terraform processes (GNU time; NaN without it). */
  readonly terraformCpu: number;
  /** Median CPU seconds of this process, which serves the providers (0 for the floor). */
  readonly providerCpu: number;
}

/** A stack measured against the mock, the no-op provider and the floor. */
export interface CaseResult {
  readonly case: string;
  readonly resources: number;
  readonly runs: number;
  readonly mock: Timing;
  readonly noop: Timing;
  /** terraform_data with Terraform's default local backend: the floor. */
  readonly floor: Timing;
  /** terraform_data with the state server mock deploys use (info: the floor for that backend). */
  readonly floorHttp: Timing;
  /**
   * terraform_data carrying the stack's own configured values, with its dependency edges, state
   * kept by the state server as for the mock (info: Terraform's cost of this configuration with
   * no provider; see floor-config.ts).
   */
  readonly floorValues: Timing;
  /** Medians of the per-run ratios. */
  readonly mockOverFloor: number;
  readonly mockOverFloorHttp: number;
  readonly mockOverFloorValues: number;
  readonly valuesOverFloor: number;
  readonly mockOverNoop: number;
  readonly noopOverFloor: number;
  /** Plugin processes per phase through the mirror (what `cdktf deploy` gets), one run. */
  readonly mirrorSeconds?: number;
}

/** The plugin protocol alone: a one-attribute provider vs terraform_data, same count. */
export interface ProtocolFloor {
  readonly resources: number;
  readonly trivial: Timing;
  readonly floor: Timing;
  readonly trivialOverFloor: number;
}

/** One size of the growth table. */
export interface GrowthRow {
  readonly services: number;
  readonly resources: number;
  readonly mockSeconds: number;
  readonly noopSeconds: number;
  readonly floorSeconds: number;
  /** Milliseconds per resource since the previous size (the slope), for the mock and the no-op. */
  readonly mockMarginalMs?: number;
  readonly noopMarginalMs?: number;
}

/** Everything {@link runMockDeployBench} measured. */
export interface MockDeployResult {
  readonly terraformVersion: string;
  readonly cases: readonly CaseResult[];
  /** At the size of each case: how much of the gap any Node.js provider would have. */
  readonly protocol: readonly ProtocolFloor[];
  readonly growth: readonly GrowthRow[];
}

interface Sample {
  readonly wall: number;
  readonly terraformCpu: number;
  readonly providerCpu: number;
}

/** Run one Terraform command; its wall time and CPU time (user + system, from GNU time). */
function terraformTimed(args: readonly string[], cwd: string, env: Record<string, string>): Promise<Sample & { stdout: string }> {
  const timeFile = path.join(cwd, '.time');
  const [cmd, argv] = HAS_GNU_TIME ? [GNU_TIME, ['-f', '%U %S', '-o', timeFile, 'terraform', ...args]] : ['terraform', [...args]];
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd, env: { ...process.env, ...TERRAFORM_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-8000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const cpu = process.cpuUsage(cpu0);
      if (code !== 0) return reject(new Error(`terraform ${args[0]} failed in ${cwd}:\n${stderr || stdout.slice(-4000)}`));
      const [user, sys] = HAS_GNU_TIME ? fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : [NaN, NaN];
      resolve({ wall, terraformCpu: user + sys, providerCpu: (cpu.user + cpu.system) / 1e6, stdout });
    });
  });
}

/**
 * init + apply + destroy in a fresh copy of `template`. The apply and destroy must report
 * `resources` added and destroyed: a benchmark of a failed or partial deploy would mean nothing.
 */
async function cycle(template: string, resources: number, env: Record<string, string>, states?: StateServer): Promise<Sample> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-run-'));
  try {
    for (const f of fs.readdirSync(template)) fs.copyFileSync(path.join(template, f), path.join(dir, f));
    // As `butter deploy --mock` runs Terraform: state kept by the state server, not the local backend.
    if (states) env = { ...env, ...useStateServer(dir, states) };
    const steps = [
      await terraformTimed(['init', '-input=false', '-no-color'], dir, env),
      await terraformTimed(['apply', '-auto-approve', '-input=false', '-no-color'], dir, env),
      await terraformTimed(['destroy', '-auto-approve', '-input=false', '-no-color'], dir, env),
    ];
    if (!steps[1].stdout.includes(`Resources: ${resources} added`) || !steps[2].stdout.includes(`Resources: ${resources} destroyed`)) {
      throw new Error(`${template}: expected ${resources} resources added and destroyed:\n${steps[1].stdout.slice(-300)}\n${steps[2].stdout.slice(-300)}`);
    }
    const sum = (f: (s: Sample) => number) => steps.reduce((a, s) => a + f(s), 0);
    return { wall: sum((s) => s.wall), terraformCpu: sum((s) => s.terraformCpu), providerCpu: sum((s) => s.providerCpu) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Give the configuration in `dir` (its one .tf.json file) an http backend, as butter deploy does;
 * the environment that points it at `states`, with its credentials.
 */
function useStateServer(dir: string, states: StateServer): Record<string, string> {
  const file = path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.tf.json'))!);
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  config.terraform = { ...config.terraform, backend: { http: {} } };
  fs.writeFileSync(file, JSON.stringify(config));
  return { ...states.env, ...states.stackEnv(dir, path.join(dir, 'butter.tfstate')) };
}

function timing(samples: readonly Sample[]): Timing {
  return {
    seconds: median(samples.map((s) => s.wall)),
    all: samples.map((s) => s.wall),
    terraformCpu: median(samples.map((s) => s.terraformCpu)),
    providerCpu: median(samples.map((s) => s.providerCpu)),
  };
}

/** Per-run ratios, then their median. */
function ratioOf(a: readonly Sample[], b: readonly Sample[]): number {
  return median(a.map((s, i) => s.wall / b[i].wall));
}

/** Synthesize a stack into `dir/cdk.tf.json` (local backend in that folder); its resource count. */
function synthesize(dir: string, build: (app: App) => TerraformStack): number {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  try {
    const app = new App({ outdir: out });
    const stack = build(app);
    app.synth();
    const config = JSON.parse(fs.readFileSync(path.join(out, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8'));
    config.terraform.backend = { local: { path: 'terraform.tfstate' } };
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(config));
    return Object.values(config.resource as Record<string, object>).reduce((n, r) => n + Object.keys(r).length, 0);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/** Write a configuration as `dir/main.tf.json`. */
function writeConfig(dir: string, config: TerraformJson): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(config));
}

/** `count` one-attribute resources of the trivial provider: the floor's shape, through a provider. */
function trivialConfig(count: number): TerraformJson {
  return {
    terraform: { required_providers: { trivial: { source: TRIVIAL_SOURCE } } },
    resource: { trivial_thing: floorConfig(count).resource!.terraform_data },
  };
}

/** N services over 3 zones with a Path between neighbours, as in the synthesis benchmark. */
function manyServices(n: number): (app: App) => TerraformStack {
  return (app) => {
    const stack = new TerraformStack(app, `services-${n}`);
    const net = new Network(stack, 'dev', { cloud: 'aws', region: 'us-east-1', addressLedger: false,
      blueprint: path.join(ROOT, 'bench', 'fixtures', 'mock-network.yml') });
    const services = Array.from({ length: n }, (_, i) => new Service(net, `svc${i}`, {
      blueprint: path.join(ROOT, 'bench', 'fixtures', 'mock-service.yml'), count: 3,
    }));
    services.slice(1).forEach((s, i) => new Path(services[i], s, 80));
    return stack;
  };
}

/** Measure every case; see the file comment. */
export async function runMockDeployBench(options: MockDeployOptions): Promise<MockDeployResult> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-mock-'));
  const rc = path.join(work, 'terraform.rc'); // an empty CLI config: no warning, no plugin cache
  fs.writeFileSync(rc, '');
  const stateDir = path.join(work, 'mock-cloud');
  const cloud = await startMockCloud({ stateDir });
  const noop = await serveNoopClouds();
  const trivial = await serveTrivialProvider();
  const states = await startStateServer();
  const envOf = (served?: { env: object }): Record<string, string> => ({ ...(served?.env ?? {}), TF_CLI_CONFIG_FILE: rc });
  const say = options.progress;
  try {
    const examples = buildExamplesById();
    const all: Array<[string, (app: App) => TerraformStack]> = [
      ...['aws-haproxy', 'gce-haproxy', 'gce-apache'].map((id): [string, (app: App) => TerraformStack] => [`example ${id}`, examples(id)]),
      [`${options.services} services (aws)`, manyServices(options.services)],
    ];
    const cases = all.filter(([name]) => !options.only || name.includes(options.only));

    const measureCase = async (name: string, build: (app: App) => TerraformStack, runs: number): Promise<CaseResult> => {
      const dir = path.join(work, name.replace(/\W+/g, '-'));
      const resources = synthesize(dir, build);
      writeConfig(`${dir}-floor`, floorConfig(resources));
      writeConfig(`${dir}-values`, sameValuesConfig(JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'))));
      const mock: Sample[] = [];
      const values: Sample[] = [];
      const ref: Sample[] = [];
      const floor: Sample[] = [];
      const floorHttp: Sample[] = [];
      for (let i = 0; i < runs; i++) {
        say(`  ${name} (${resources} resources): run ${i + 1} of ${runs}`);
        floor.push(await cycle(`${dir}-floor`, resources, envOf()));
        floorHttp.push(await cycle(`${dir}-floor`, resources, envOf(), states));
        values.push(await cycle(`${dir}-values`, resources, envOf(), states));
        ref.push(await cycle(dir, resources, envOf(noop), states));
        mock.push(await cycle(dir, resources, envOf(cloud), states));
      }
      const mirrorSeconds = name === 'example aws-haproxy'
        ? (await cycle(dir, resources, (await prepareMirror(path.join(work, 'mirror'), { stateDir })).env, states)).wall
        : undefined;
      return {
        case: name, resources, runs,
        mock: timing(mock), noop: timing(ref), floor: timing(floor), floorHttp: timing(floorHttp), floorValues: timing(values),
        mockOverFloor: ratioOf(mock, floor), mockOverFloorValues: ratioOf(mock, values), valuesOverFloor: ratioOf(values, floor), mockOverFloorHttp: ratioOf(mock, floorHttp), mockOverNoop: ratioOf(mock, ref), noopOverFloor: ratioOf(ref, floor),
        mirrorSeconds,
      };
    };

    const results: CaseResult[] = [];
    for (const [name, build] of cases) results.push(await measureCase(name, build, options.runs));

    // The plugin protocol alone, at the size of each case: a small stack pays the provider's
    // per-command and per-resource round trips with little else to hide them.
    const protocol: ProtocolFloor[] = [];
    for (const size of [...new Set(results.map((r) => r.resources))].sort((a, b) => a - b)) {
      const dir = path.join(work, `protocol-${size}`);
      writeConfig(dir, trivialConfig(size));
      writeConfig(`${dir}-floor`, floorConfig(size));
      const t: Sample[] = [];
      const f: Sample[] = [];
      for (let i = 0; i < options.runs; i++) {
        say(`  one-attribute provider x ${size}: run ${i + 1} of ${options.runs}`);
        f.push(await cycle(`${dir}-floor`, size, envOf()));
        t.push(await cycle(dir, size, envOf(trivial)));
      }
      protocol.push({ resources: size, trivial: timing(t), floor: timing(f), trivialOverFloor: ratioOf(t, f) });
    }

    // Growth: one run per extra size; the N-services case gives its own.
    const big = results.find((r) => r.case.includes('services'));
    const growth: GrowthRow[] = [];
    if (!options.only || options.only.includes('services')) {
      for (const n of [...new Set([...options.growth, options.services])].sort((a, b) => a - b)) {
        const r = n === options.services && big ? big : await measureCase(`${n} services (aws)`, manyServices(n), 1);
        const prev = growth[growth.length - 1];
        growth.push({
          services: n, resources: r.resources, mockSeconds: r.mock.seconds, noopSeconds: r.noop.seconds, floorSeconds: r.floor.seconds,
          mockMarginalMs: prev ? (1000 * (r.mock.seconds - prev.mockSeconds)) / (r.resources - prev.resources) : undefined,
          noopMarginalMs: prev ? (1000 * (r.noop.seconds - prev.noopSeconds)) / (r.resources - prev.resources) : undefined,
        });
      }
    }
    return { terraformVersion: await terraformVersion(work), cases: results, protocol, growth };
  } finally {
    await Promise.all([cloud.stop(), noop.close(), trivial.close(), states.stop()]);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The example stacks by id, synthesized from one App each. */
function buildExamplesById(): (id: string) => (app: App) => TerraformStack {
  return (id) => (app) => buildExamples(app, { addressLedger: false }).find((s) => s.node.id === id)!;
}

async function terraformVersion(cwd: string): Promise<string> {
  const r = await terraformTimed(['version', '-json'], cwd, { TF_CLI_CONFIG_FILE: '/dev/null' });
  return JSON.parse(r.stdout).terraform_version;
}

/** The tables, as lines. */
export function formatMockDeploy(result: MockDeployResult, runs: number): string {
  const out: string[] = [];
  const s = (t: Timing) => `${t.seconds.toFixed(2)} s`;
  out.push(`\nMock deploy: terraform init + apply + destroy, median of ${runs} run(s), Terraform ${result.terraformVersion}`);
  out.push('  mock = the Butter mock cloud (reattached, in this process, state kept by the state server, as `butter deploy --mock` runs it);');
  out.push('  floor = as many terraform_data resources with one short string each, Terraform\'s default local backend (the issue\'s floor).');
  out.push('  Ratios are medians of per-run ratios (each run measures every column back to back).');
  out.push(table(['case', 'resources', 'mock', 'floor', 'mock/floor', `target <= ${MAX_MOCK_OVER_FLOOR}x`, 'mirror'],
    result.cases.map((r) => [r.case, r.resources, s(r.mock), s(r.floor), ratio(r.mockOverFloor, 1), passFail(r.mockOverFloor <= MAX_MOCK_OVER_FLOOR),
      r.mirrorSeconds === undefined ? '-' : `${r.mirrorSeconds.toFixed(2)} s`])));
  out.push('  mirror = plugin processes per phase (what `cdktf deploy` gets), one run, for reference.');
  out.push('\n  Where the time goes: the same stacks with Terraform and no Butter code, three ways');
  out.push('  no-op = a provider with the mock\'s schemas whose resources do nothing (Terraform\'s cost for the stack with any provider);');
  out.push('  same values = terraform_data resources carrying each resource\'s configured values and dependencies (floor-config.ts: the');
  out.push('  configuration\'s weight, with no provider); floor (http) = the floor. These three keep state in the state server, as the mock does;');
  out.push('  x/floor is against the issue\'s floor above.');
  out.push(table(['case', 'no-op', 'same values', 'floor (http)', 'mock/no-op', 'mock/same values', 'no-op/floor', 'same values/floor', 'mock/floor (http)'],
    result.cases.map((r) => [r.case, s(r.noop), s(r.floorValues), s(r.floorHttp), ratio(r.mockOverNoop, 1), ratio(r.mockOverFloorValues, 1),
      ratio(r.noopOverFloor, 1), ratio(r.valuesOverFloor, 1), ratio(r.mockOverFloorHttp, 1)])));
  if (HAS_GNU_TIME) {
    out.push('\n  CPU seconds (medians): Terraform\'s own, and the provider\'s (this process)');
    out.push(table(['case', 'terraform: mock', 'no-op', 'floor', 'provider: mock', 'no-op'],
      result.cases.map((r) => [r.case, r.mock.terraformCpu, r.noop.terraformCpu, r.floor.terraformCpu, r.mock.providerCpu, r.noop.providerCpu])));
  }
  if (result.protocol.length > 0) {
    out.push('\n  The plugin protocol alone: as many resources of a one-attribute Node.js provider as each case has, vs terraform_data');
    out.push(table(['resources', 'one-attribute provider', 'floor', 'ratio'],
      result.protocol.map((p) => [p.resources, s(p.trivial), s(p.floor), ratio(p.trivialOverFloor, 1)])));
  }
  if (result.growth.length > 1) {
    out.push('\nMock deploy growth with N services (one run per size, the medians above for the largest; marginal = ms per extra resource since the previous size)');
    out.push(table(['services', 'resources', 'mock s', 'no-op s', 'floor s', 'mock ms/resource', 'mock marginal', 'no-op marginal'],
      result.growth.map((g) => [g.services, g.resources, g.mockSeconds, g.noopSeconds, g.floorSeconds, (1000 * g.mockSeconds) / g.resources, g.mockMarginalMs, g.noopMarginalMs])));
    out.push(`  ${growthVerdict(result.growth)}`);
  }
  return out.join('\n');
}

/**
 * Is the mock's growth close to linear? Terraform's own work per resource grows with the state
 * (much more so with the local backend, which rewrites the whole state file after every change),
 * so the mock's slope is judged against the no-op provider's, which shows Terraform's share.
 */
export function growthVerdict(rows: readonly GrowthRow[]): string {
  const last = rows[rows.length - 1];
  const first = rows.find((r) => r.mockMarginalMs !== undefined);
  if (!first || first === last || last.mockMarginalMs === undefined || first.mockMarginalMs === undefined) {
    return 'not enough sizes to judge';
  }
  const mockGrowth = last.mockMarginalMs / first.mockMarginalMs;
  const noopGrowth = last.noopMarginalMs! / first.noopMarginalMs!;
  const grew = `the cost of an extra resource grew ${mockGrowth.toFixed(2)}x from the first interval to the last`
    + ` (with the no-op provider: ${noopGrowth.toFixed(2)}x)`;
  if (mockGrowth <= 1.5) return `${grew}: close to linear`;
  if (mockGrowth <= noopGrowth * 1.25) {
    return `${grew}: as Terraform's own, which rewrites its whole state file after every change; the mock adds no growth of its own`;
  }
  return `${grew}: FAR FROM LINEAR, faster than Terraform's own growth`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string): string | undefined => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
  const quick = args.includes('--quick');
  const runs = Number(flag('runs') ?? (quick ? 2 : 3));
  const services = Number(flag('services') ?? (quick ? 20 : 50));
  const growth = (flag('growth') ?? (quick ? '5,10' : '10,25')).split(',').map(Number);
  const result = await runMockDeployBench({ runs, services, growth, only: flag('only'), progress: (l) => process.stderr.write(`${l}\n`) });
  process.stdout.write(`${formatMockDeploy(result, runs)}\n`);
  fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'mock-deploy.json'), `${JSON.stringify({ date: new Date().toISOString(), runs, ...result }, null, 2)}\n`);
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
