/**
 * `butter check` benchmark: the policy checks on a synthesized stack of 1,000 services (AWS,
 * every service with a Path from another and one from the internet). Target: reading the
 * synthesized JSON and running every rule (reachability included) under 1 s, after synth.
 *
 *   npx tsx bench/check.ts [--services 1000] [--runs 5]
 *
 * The stack is synthesized once with the real constructs (not timed: that is synthesis, see
 * bench/scale.ts); each run then does what `butter check --no-synth` does per stack: read the
 * file's text, parse it, run the rules. Prints a table, writes bench/results/check.json, and
 * exits 1 when the target is missed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { Testing, TerraformStack } from 'cdktf';
import { Internet, Network, Path, Service } from '../constructs';
import { ALL_RULES, CheckedStack, runChecks } from '../src/checks';
import { passFail, table } from './table';

const args = process.argv.slice(2);
const flag = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const SERVICES = flag('services', 1000);
const RUNS = flag('runs', 5);
const TARGET_MS = 1000;

function synthesize(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-bench-check-'));
  const blueprint = path.join(dir, 'blueprint.yml');
  fs.writeFileSync(blueprint, yaml.dump({
    network: { subnetwork_max_instance_count: 6 },
    placement: { availability_zones: 3 },
    instance: { public_ip: false, memory: '1GB', cpus: 1 },
    image: { name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*' },
  }));
  const app = Testing.app();
  const stack = new TerraformStack(app, 'bench');
  const net = new Network(stack, 'big', { cloud: 'aws', region: 'us-east-1', addressLedger: false });
  let previous: Service | undefined;
  for (let i = 0; i < SERVICES; i++) {
    const svc = new Service(net, `svc${i}`, { blueprint, count: 1 });
    if (previous) new Path(previous, svc, 8080);
    new Path(Internet, svc, 443);
    previous = svc;
  }
  const out = Testing.fullSynth(stack);
  return path.join(out, 'stacks', 'bench', 'cdk.tf.json');
}

const t0 = Date.now();
const file = synthesize();
const synthMs = Date.now() - t0;
const times: number[] = [];
const cpuTimes: number[] = [];
let resources = 0;
let findings = 0;
for (let run = 0; run < RUNS; run++) {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const stack = CheckedStack.parse('bench', fs.readFileSync(file, 'utf8'));
  const report = runChecks([stack]);
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
  const used = process.cpuUsage(cpu);
  cpuTimes.push((used.user + used.system) / 1000);
  resources = stack.resources.length;
  findings = report.findings.length;
}
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
// CPU time of this process: what the check costs when the machine is shared (wall time then
// includes waiting for a core).
const cpuMedian = cpuTimes[Math.floor(cpuTimes.length / 2)];
const ok = median < TARGET_MS;
process.stdout.write(table(['services', 'resources', 'file', 'rules', 'findings', 'check (median)', 'max', 'CPU (median)', 'target', ''], [[
  SERVICES, resources, `${(fs.statSync(file).size / 1048576).toFixed(1)} MiB`, ALL_RULES.length, findings,
  `${median.toFixed(0)} ms`, `${times[times.length - 1].toFixed(0)} ms`, `${cpuMedian.toFixed(0)} ms`, `${TARGET_MS} ms`, passFail(ok),
]]));
process.stdout.write(`\n(synthesis, not timed in the target: ${(synthMs / 1000).toFixed(1)} s; ${RUNS} runs)\n`);
fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
fs.writeFileSync(path.join(__dirname, 'results', 'check.json'), JSON.stringify({ services: SERVICES, resources, rules: ALL_RULES.length, findings, runsMs: times, medianMs: median, cpuMs: cpuTimes, cpuMedianMs: cpuMedian, targetMs: TARGET_MS, synthMs }, null, 2));
if (!ok) process.exitCode = 1;
