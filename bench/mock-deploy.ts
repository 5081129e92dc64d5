/**
 * Mock deploy benchmark: `terraform init` + `apply` + `destroy` of Butter stacks against the mock
 * cloud, next to the same number of Terraform's built-in `terraform_data` resources (no provider
 * at all: Terraform's own floor for that many resources). Target: at most 1.5x the floor.
 *
 *   npx tsx bench/mock-deploy.ts [--runs 3] [--services 50]
 *
 * Prints a table and writes bench/results/mock-deploy.json.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { buildExamples } from '../example-blueprints/stacks';
import { Network, Service, Path } from '../constructs';
import { startMockCloud, MockCloud } from '../src/mock/launch/daemon';
import { prepareMirror } from '../src/mock/launch/mirror';
import { terraform } from '../src/deploy/terraform';

const args = process.argv.slice(2);
const flag = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const RUNS = flag('runs', 3);
const SERVICES = flag('services', 50);
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const ROOT = path.resolve(__dirname, '..');

interface Row {
  readonly case: string;
  readonly resources: number;
  readonly mockSeconds: number;
  readonly mirrorSeconds?: number;
  readonly floorSeconds: number;
  readonly ratio: number;
}

/** Synthesize a stack into `dir/cdk.tf.json` (local backend in that folder). */
function synthesize(dir: string, build: (app: App) => TerraformStack): number {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  const app = new App({ outdir: out });
  const stack = build(app);
  app.synth();
  const config = JSON.parse(fs.readFileSync(path.join(out, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8'));
  config.terraform.backend = { local: { path: 'terraform.tfstate' } };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(config));
  fs.rmSync(out, { recursive: true, force: true });
  return Object.values(config.resource as Record<string, object>).reduce((n, r) => n + Object.keys(r).length, 0);
}

/** The floor: `count` terraform_data resources in the same JSON form. */
function floorConfig(dir: string, count: number): void {
  fs.mkdirSync(dir, { recursive: true });
  const resource: Record<string, object> = {};
  for (let i = 0; i < count; i++) resource[`r${i}`] = { input: `value-${i}` };
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ resource: { terraform_data: resource } }));
}

/** Seconds for init + apply + destroy in `dir` (a fresh copy each run). */
async function cycle(template: string, env: Record<string, string>): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-run-'));
  for (const f of fs.readdirSync(template)) fs.copyFileSync(path.join(template, f), path.join(dir, f));
  const t0 = process.hrtime.bigint();
  for (const a of [['init', '-input=false'], ['apply', '-auto-approve', '-input=false'], ['destroy', '-auto-approve', '-input=false']]) {
    await terraform(a, { cwd: dir, env });
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  fs.rmSync(dir, { recursive: true, force: true });
  return s;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(runs: number, fn: () => Promise<number>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await fn());
  return median(times);
}

/** N services over 3 zones with a Path between neighbours, as in the synthesis benchmark. */
function manyServices(app: App): TerraformStack {
  const stack = new TerraformStack(app, `services-${SERVICES}`);
  const net = new Network(stack, 'dev', { cloud: 'aws', region: 'us-east-1', addressLedger: false,
    blueprint: path.join(ROOT, 'bench', 'fixtures', 'mock-network.yml') });
  const services = Array.from({ length: SERVICES }, (_, i) => new Service(net, `svc${i}`, {
    blueprint: path.join(ROOT, 'bench', 'fixtures', 'mock-service.yml'), count: 3,
  }));
  services.slice(1).forEach((s, i) => new Path(services[i], s, 80));
  return stack;
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-mock-'));
  const fixture = path.join(ROOT, 'bench', 'fixtures', 'mock-network.yml');
  if (!fs.existsSync(fixture)) {
    fs.mkdirSync(path.dirname(fixture), { recursive: true });
    fs.writeFileSync(fixture, 'network:\n  legacy_network_size_bits: 16\n  allowed_private_cidr: "10.0.0.0/8"\n  nat: single\n');
  }
  const rc = path.join(work, 'terraform.rc');
  fs.writeFileSync(rc, '');
  const cases: Array<[string, (app: App) => TerraformStack]> = [
    ...['aws-haproxy', 'gce-haproxy', 'gce-apache'].map((id): [string, (app: App) => TerraformStack] =>
      [`example ${id}`, (app) => buildExamples(app, { addressLedger: false }).find((s) => s.node.id === id)!]),
    [`${SERVICES} services (aws)`, manyServices],
  ];

  const rows: Row[] = [];
  const cloud: MockCloud = await startMockCloud({ stateDir: path.join(work, 'mock-cloud') });
  const mirror = await prepareMirror(path.join(work, 'mirror'), { stateDir: path.join(work, 'mock-cloud') });
  try {
    for (const [name, build] of cases.filter(([n]) => !ONLY || n.includes(ONLY))) {
      const dir = path.join(work, name.replace(/\W+/g, '-'));
      const resources = synthesize(dir, (app) => build(app));
      const floorDir = `${dir}-floor`;
      floorConfig(floorDir, resources);
      const floorSeconds = await measure(RUNS, () => cycle(floorDir, { TF_CLI_CONFIG_FILE: rc }));
      const mockSeconds = await measure(RUNS, () => cycle(dir, { ...cloud.env, TF_CLI_CONFIG_FILE: rc }));
      // Plugin processes per phase, through the mirror (what `cdktf deploy` users get): once, for reference.
      const mirrorSeconds = name.startsWith('example aws') ? await cycle(dir, { ...mirror.env }) : undefined;
      rows.push({ case: name, resources, mockSeconds, mirrorSeconds, floorSeconds, ratio: mockSeconds / floorSeconds });
      process.stderr.write(`  measured ${name}\n`);
    }
  } finally {
    await cloud.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }

  const head = ['case', 'resources', 'butter mock', 'terraform_data floor', 'ratio', 'target <= 1.5x', 'mirror (plugin per phase)'];
  const body = rows.map((r) => [r.case, String(r.resources), `${r.mockSeconds.toFixed(2)} s`, `${r.floorSeconds.toFixed(2)} s`,
    `${r.ratio.toFixed(2)}x`, r.ratio <= 1.5 ? 'PASS' : 'FAIL', r.mirrorSeconds ? `${r.mirrorSeconds.toFixed(2)} s` : '-']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  process.stdout.write(`\ninit + apply + destroy, median of ${RUNS} (Terraform ${await terraformVersion()}, ${os.cpus().length} cores)\n`);
  process.stdout.write(`${line(head)}\n${body.map(line).join('\n')}\n`);
  fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'mock-deploy.json'), JSON.stringify({ runs: RUNS, rows }, null, 2));
}

async function terraformVersion(): Promise<string> {
  const r = await terraform(['version', '-json'], { cwd: ROOT, env: { TF_CLI_CONFIG_FILE: '/dev/null' } });
  return JSON.parse(r.stdout).terraform_version;
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
