#!/usr/bin/env node
// The consumer test: Butter as a user gets it. Packs the tarball (prepack builds it), makes a
// project in the shape `cdktf init --template=typescript` generates (its package.json scripts,
// cdktf.json with `npx ts-node main.ts`, its tsconfig.json and ts-jest jest.config.js unchanged,
// setup.js), installs the tarball with the template's dependencies, and runs what a user runs:
// tsc, cdktf synth, jest with Butter's matchers and a snapshot, an .mjs import with plain node,
// butter deploy --mock --show and butter destroy; then the same with an AWS-only dependency set.
// Plain JavaScript on purpose: it must not need the repository's own TypeScript tooling.
// Prints one line per check and a last line `N passed, N failed`. Run by .ci/run, not by jest
// (it takes about a minute and `npm test` is near its time budget).
//
//   node test/consumer/run.js [--keep] [--tarball file.tgz]
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const given = args.includes('--tarball') ? path.resolve(args[args.indexOf('--tarball') + 1]) : undefined;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-consumer-'));
const results = { passed: 0, failed: 0 };

/** Run a command; returns { code, out } (stdout and stderr together). */
function run(cwd, command, argv, env = {}) {
  const r = spawnSync(command, argv, {
    cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', CI: '1', ...env },
  });
  return { code: r.status === null ? `signal ${r.signal}` : r.status, stdout: r.stdout || '', out: `${r.stdout || ''}${r.stderr || ''}` };
}

/** One check: `fn` returns nothing (pass) or throws (fail, with the reason). */
function check(name, fn) {
  const started = Date.now();
  try {
    fn();
    results.passed++;
    console.log(`ok      ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (e) {
    results.failed++;
    console.log(`FAILED  ${name}\n${String(e && e.message ? e.message : e).replace(/^/gm, '        ')}`);
  }
}

function succeeds(cwd, command, argv, env) {
  const r = run(cwd, command, argv, env);
  if (r.code !== 0) throw new Error(`${command} ${argv.join(' ')} exited with ${r.code}:\n${r.out.slice(-3000)}`);
  return r;
}

function expectMatch(text, re, what) {
  if (!re.test(text)) throw new Error(`${what}: expected ${re}, got:\n${text.slice(-2000)}`);
}

/** Send `command` (status, stop) to a launch daemon (src/mock/launch/launch-client.ts); its answer line. */
function askDaemon(socket, command) {
  const script = `const c = require('net').connect(process.argv[1]); let a = '';
c.on('connect', () => c.write('butter-launch 1\\0command\\0' + process.argv[2] + '\\0\\0'));
c.on('data', (d) => (a += d)); c.on('close', () => process.stdout.write(a.trim())); c.on('error', () => {});`;
  return spawnSync(process.execPath, ['-e', script, socket, command], { encoding: 'utf8' }).stdout;
}

function write(dir, file, text) {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
}

// ---- the project `cdktf init --template=typescript` makes (its files' settings, not Butter's) ----

function templateProject(dir, name, dependencies, devDependencies) {
  write(dir, 'package.json', JSON.stringify({
    name, version: '1.0.0', main: 'main.js', types: 'main.ts', license: 'MPL-2.0', private: true,
    scripts: {
      get: 'cdktf get', build: 'tsc', synth: 'cdktf synth', compile: 'tsc --pretty', watch: 'tsc -w',
      test: 'jest', 'test:watch': 'jest --watch',
      upgrade: 'npm i cdktf@latest cdktf-cli@latest', 'upgrade:next': 'npm i cdktf@next cdktf-cli@next',
    },
    engines: { node: '>=20.9' },
    dependencies, devDependencies,
  }, null, 2));
  write(dir, 'cdktf.json', JSON.stringify({
    language: 'typescript', app: 'npx ts-node main.ts', projectId: `consumer-${name}`, sendCrashReports: 'false',
    terraformProviders: [], terraformModules: [], context: {},
  }, null, 2));
  write(dir, 'tsconfig.json', JSON.stringify({
    compilerOptions: {
      alwaysStrict: true, declaration: true, experimentalDecorators: true, inlineSourceMap: true, inlineSources: true,
      lib: ['es2018'], module: 'CommonJS', noEmitOnError: true, noFallthroughCasesInSwitch: true, noImplicitAny: true,
      noImplicitReturns: true, noImplicitThis: true, noUnusedLocals: true, noUnusedParameters: true,
      resolveJsonModule: true, strict: true, strictNullChecks: true, strictPropertyInitialization: true,
      stripInternal: true, target: 'ES2018', incremental: true, skipLibCheck: true,
    },
    include: ['**/*.ts'],
    exclude: ['node_modules', 'cdktf.out'],
  }, null, 2));
  write(dir, 'jest.config.js', `module.exports = ${JSON.stringify({
    clearMocks: true, coverageProvider: 'v8', moduleFileExtensions: ['ts', 'js', 'json', 'node'], preset: 'ts-jest',
    setupFilesAfterEnv: ['<rootDir>/setup.js'], testEnvironment: 'node',
    testMatch: ['**/__tests__/**/*.ts', '**/?(*.)+(spec|test).ts'], testPathIgnorePatterns: ['/node_modules/', '.d.ts', '.js'],
  }, null, 2)};\n`);
  write(dir, 'setup.js', 'const cdktf = require("cdktf");\ncdktf.Testing.setupJest();\n');
}

// ---- what the user writes ----

function userCode(dir, withGoogle) {
  for (const b of ['network', 'aws-nginx', 'aws-haproxy']) {
    fs.cpSync(path.join(REPO, 'example-blueprints', b), path.join(dir, 'blueprints', b), {
      recursive: true, filter: (f) => !f.endsWith('blueprint_fixture.ts'), // the repository's tester fixtures
    });
  }
  write(dir, 'web-stack.ts', `import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { Internet, Network, Path, Service } from "butter-cdktf/constructs";

export class WebStack extends TerraformStack {
  public readonly web: Service;
  public readonly lb: Service;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const dev = new Network(this, "dev", { cloud: "aws", region: "us-east-1", blueprint: "blueprints/network/blueprint.yml" });
    this.web = new Service(dev, "web", { blueprint: "blueprints/aws-nginx/blueprint.yml", count: 2 });
    this.lb = new Service(dev, "lb", { blueprint: "blueprints/aws-haproxy/blueprint.yml", templateVars: { PrivateIps: this.web.privateIps } });
    new Path(this.lb, this.web, 80);
    new Path(Internet, this.lb, 80);
  }
}
`);
  write(dir, 'main.ts', `import { App } from "cdktf";
import { WebStack } from "./web-stack";

const app = new App();
new WebStack(app, "web");
app.synth();
`);
  write(dir, '__tests__/main-test.ts', `import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { Internet } from "butter-cdktf/constructs";
import { installButterMatchers } from "butter-cdktf/constructs/testing";
import { WebStack } from "../web-stack";

installButterMatchers();

describe("WebStack", () => {
  const stack = new WebStack(Testing.app(), "web");

  it("lets the internet reach the load balancer, and only the load balancer reach the web servers", () => {
    expect(stack).toBeInternetAccessible(stack.lb, 80);
    expect(stack).not.toBeInternetAccessible(stack.lb, 22);
    expect(stack).toAllowTraffic(stack.lb, stack.web, 80);
    expect(stack).not.toAllowTraffic(Internet, stack.web, 80);
    expect(stack).not.toBeInternetAccessible(stack.web, 80);
  });

  it("synthesizes as before", () => {
    expect(Testing.synth(stack)).toMatchSnapshot();
  });
});
`);
  write(dir, 'check.mjs', `import { Network, Service, Path, Internet, ButterError, reachabilityOf } from "butter-cdktf";
import * as constructs from "butter-cdktf/constructs";
import { installButterMatchers, butterMatchers } from "butter-cdktf/constructs/testing";
const found = { Network, Service, Path, Internet, ButterError, reachabilityOf, installButterMatchers, butterMatchers, constructsNetwork: constructs.Network };
const missing = Object.entries(found).filter(([, v]) => v === undefined).map(([k]) => k);
if (missing.length) { console.error("missing named exports: " + missing.join(", ")); process.exit(1); }
console.log("named exports ok");
`);
  // zod and js-yaml reach the user bundled into Butter's build (scripts/build.js): synthesizing,
  // and refusing a bad blueprint, load nothing from those packages' own folders.
  write(dir, 'bundled.js', `const fs = require("node:fs");
const { App, TerraformStack } = require("cdktf");
const { Network, Service } = require("butter-cdktf/constructs");
const app = new App({ outdir: fs.mkdtempSync(require("node:os").tmpdir() + "/consumer-bundled-") });
const dev = new Network(new TerraformStack(app, "s"), "dev", { cloud: "aws", region: "us-east-1", addressLedger: false, blueprint: "blueprints/network/blueprint.yml" });
new Service(dev, "web", { blueprint: "blueprints/aws-nginx/blueprint.yml" });
app.synth();
fs.rmSync(app.outdir, { recursive: true, force: true });
let refused = "";
try { new Service(dev, "bad", { blueprint: "bad.yml" }); } catch (e) { refused = e.code + ": " + e.message; }
const foreign = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](zod|js-yaml)[\\\\/]/.test(f));
console.log(JSON.stringify({ refused, foreign }));
`);
  write(dir, 'bad.yml', 'instance:\n  memory: lots\n  cpus: -1\nimage: {name: ubuntu}\nunknown_key: 1\n');
  // Types of the same imports under the other module resolutions users pick.
  const typesCheck = `import { Network, Service, Path, reachabilityOf } from "butter-cdktf";
import { Network as N2 } from "butter-cdktf/constructs";
import { installButterMatchers } from "butter-cdktf/constructs/testing";
export const all: unknown[] = [Network, Service, Path, reachabilityOf, N2, installButterMatchers];
`;
  write(dir, 'types/check.mts', typesCheck);
  write(dir, 'types/check-cjs.ts', typesCheck);
  if (!withGoogle) {
    write(dir, 'google.ts', `import { App, TerraformStack } from "cdktf";
import { Network } from "butter-cdktf/constructs";

const app = new App();
new Network(new TerraformStack(app, "g"), "g", { cloud: "google", region: "us-central1", project: "my-project", blueprint: "blueprints/network/blueprint.yml" });
`);
  }
}

// ---- the checks ----

function consumer(label, tarball, withGoogle, cdktf) {
  const dir = path.join(work, label);
  fs.mkdirSync(dir);
  const dependencies = { cdktf: '0.21.0', constructs: '^10.4.2', 'butter-cdktf': `file:${tarball}`, '@cdktf/provider-aws': '21.22.1' };
  if (withGoogle) dependencies['@cdktf/provider-google'] = '16.12.1';
  templateProject(dir, `consumer-${label}`, dependencies, {
    '@types/jest': '^30.0.0', '@types/node': '^20.19.0', jest: '^30.2.0',
    'ts-jest': '^29.4.0', 'ts-node': '^10.9.2', typescript: '~5.9.3',
  });
  userCode(dir, withGoogle);
  const bin = (name) => path.join(dir, 'node_modules', '.bin', name);
  let installed = false;
  check(`${label}: npm install (the tarball, peers, the template's dev dependencies)`, () => {
    succeeds(dir, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']);
    installed = true;
  });
  if (!installed) return;
  check(`${label}: npm ls shows one copy of cdktf and of constructs`, () => {
    const listed = succeeds(dir, 'npm', ['ls', '--all', '--parseable', 'cdktf', 'constructs']).stdout.split('\n').filter(Boolean);
    for (const name of ['cdktf', 'constructs']) {
      const copies = [...new Set(listed.filter((p) => path.basename(p) === name))];
      if (copies.length !== 1) throw new Error(`${name}: ${copies.length} copies: ${copies.join('; ')}`);
    }
    const butter = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules/butter-cdktf/package.json'), 'utf8'));
    if (fs.existsSync(path.join(dir, 'node_modules/butter-cdktf/node_modules/cdktf'))) throw new Error('butter-cdktf has its own cdktf');
    if (!butter.peerDependencies.cdktf) throw new Error('cdktf is not a peer');
  });
  check(`${label}: the package ships the build, not test/ or bench/ or TypeScript sources`, () => {
    const root = path.join(dir, 'node_modules/butter-cdktf');
    for (const f of ['test', 'bench', 'src', 'constructs', 'example-blueprints']) {
      if (fs.existsSync(path.join(root, f))) throw new Error(`ships ${f}/`);
    }
    for (const f of ['LICENSE', 'README.md', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/mock-provider/launch.js']) {
      if (!fs.existsSync(path.join(root, f))) throw new Error(`does not ship ${f}`);
    }
    const tsx = ['tsx', 'esbuild', 'ts-node'].filter((m) => fs.existsSync(path.join(dir, 'node_modules', m)) && m !== 'ts-node');
    if (tsx.length) throw new Error(`a TypeScript loader came with it: ${tsx.join(', ')}`);
  });
  check(`${label}: tsc --noEmit with the template's tsconfig`, () => {
    succeeds(dir, bin('tsc'), ['--noEmit', '-p', '.']);
  });
  check(`${label}: Butter's declarations have no errors even with skipLibCheck off (ES2018, strict)`, () => {
    const r = run(dir, bin('tsc'), ['--noEmit', '-p', '.', '--skipLibCheck', 'false']);
    const ours = r.out.split('\n').filter((l) => l.includes('butter-cdktf'));
    if (ours.length) throw new Error(ours.join('\n'));
  });
  for (const [resolution, module] of [['node16', 'node16'], ['bundler', 'esnext'], ['node10', 'commonjs']]) {
    check(`${label}: types resolve with moduleResolution ${resolution}`, () => {
      const file = resolution === 'node10' ? 'types/check-cjs.ts' : 'types/check.mts';
      succeeds(dir, bin('tsc'), ['--noEmit', '--strict', '--target', 'es2018', '--lib', 'es2018', '--types', 'node,jest',
        '--module', module, '--moduleResolution', resolution, '--skipLibCheck', file]);
    });
  }
  check(`${label}: cdktf synth`, () => {
    const { out } = succeeds(dir, cdktf, ['synth'], { CI: '1' });
    const tf = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out/stacks/web/cdk.tf.json'), 'utf8'));
    const types = Object.keys(tf.resource || {});
    if (!types.includes('aws_vpc') || !types.includes('aws_autoscaling_group')) throw new Error(`unexpected resources ${types}:\n${out}`);
  });
  check(`${label}: jest (ts-jest) with Butter's matchers and a snapshot`, () => {
    succeeds(dir, bin('jest'), ['--ci=false']);
    const snaps = path.join(dir, '__tests__/__snapshots__/main-test.ts.snap');
    if (!fs.existsSync(snaps) || !fs.readFileSync(snaps, 'utf8').includes('aws_security_group')) throw new Error('no snapshot written');
    const again = succeeds(dir, bin('jest'), ['--ci']).out;
    expectMatch(again, /Snapshots:\s+1 passed/, 'second run');
  });
  check(`${label}: named imports from an .mjs file with plain node`, () => {
    expectMatch(succeeds(dir, process.execPath, ['check.mjs']).out, /named exports ok/, 'check.mjs');
  });
  check(`${label}: zod and js-yaml are bundled: synthesizing and refusing a bad blueprint load neither package's files`, () => {
    const { refused, foreign } = JSON.parse(succeeds(dir, process.execPath, ['bundled.js']).stdout);
    if (foreign.length) throw new Error(`loaded from the packages themselves:\n${foreign.join('\n')}`);
    for (const re of [/^BLUEPRINT_INVALID: /, /instance\.memory/, /instance\.cpus/, /unknown_key/]) expectMatch(refused, re, 'the bad blueprint');
  });
  if (!withGoogle) {
    check(`${label}: cloud 'google' without @cdktf/provider-google is a ButterError naming the package`, () => {
      if (fs.existsSync(path.join(dir, 'node_modules/@cdktf/provider-google'))) throw new Error('@cdktf/provider-google was installed');
      const r = run(dir, bin('ts-node'), ['google.ts']);
      if (r.code === 0) throw new Error('google.ts succeeded');
      expectMatch(r.out, /npm install @cdktf\/provider-google/, 'the error');
      expectMatch(r.out, /PROVIDER_PACKAGE_MISSING/, 'the error code');
      // Through ts-node, as cdktf synth runs the app: the message alone, no stack frames.
      if (/\n\s+at \S/.test(r.out)) throw new Error(`a stack trace was printed:\n${r.out}`);
    });
  }
  const env = { BUTTER_MOCK_STATE_DIR: path.join(dir, '.butter', 'mock-cloud') };
  check(`${label}: butter deploy --mock --show, then butter destroy`, () => {
    const { out } = succeeds(dir, bin('butter'), ['deploy', '--mock', '--show'], env);
    expectMatch(out, /service lb: (\d+) of \1 instances/, "deploy --show");
    expectMatch(out, /service web: 2 of 2 instances/, 'deploy --show');
    expectMatch(out, /10\.\d+\.\d+\.\d+ +\S+ +running/, 'deploy --show lists the instances');
    succeeds(dir, bin('butter'), ['destroy'], env);
    const after = succeeds(dir, bin('butter'), ['mock', 'status'], env).out;
    if (/\b[1-9]\d* instances?\b/.test(after)) throw new Error(`instances left after destroy:\n${after}`);
  });
  check(`${label}: terraform plan through the mock's mirror (the plugin path cdktf deploy takes)`, () => {
    const setup = JSON.parse(succeeds(dir, bin('butter'), ['mock', 'setup', '--json'], env).stdout);
    const stackDir = path.join(dir, 'cdktf.out/stacks/web');
    const tfEnv = { ...(setup.env || setup) };
    succeeds(stackDir, 'terraform', ['init', '-input=false', '-no-color'], tfEnv);
    expectMatch(succeeds(stackDir, 'terraform', ['plan', '-input=false', '-lock=false', '-no-color'], tfEnv).out, /Plan: \d+ to add/, 'plan');
    // With a C compiler, setup compiled the plugin launcher from the package's launcher.c, and
    // the plan's plugins were launches of its daemon (run from the package's bundle); stopped here
    // so that nothing outlives the test.
    if (spawnSync('cc', ['--version'], { stdio: 'ignore' }).status !== 0) return;
    const runner = fs.readFileSync(path.join(setup.mirrorDir, 'butter-provider.sh'), 'utf8');
    const mark = runner.split('\n').find((l) => l.startsWith('# launcher: '));
    if (!mark) throw new Error(`no plugin launcher in the mirror:\n${runner}`);
    const { socket } = JSON.parse(mark.slice('# launcher: '.length));
    const status = JSON.parse(askDaemon(socket, 'status'));
    if (!(status.launches >= 2)) throw new Error(`the launch daemon served ${status.launches} launches`);
    if (askDaemon(socket, 'stop') !== 'ok') throw new Error('the launch daemon did not stop');
  });
}

function main() {
  let tarball = given;
  if (!tarball) check('npm pack (prepack builds dist/)', () => {
    const out = succeeds(REPO, 'npm', ['pack', '--pack-destination', work, '--json', '--loglevel=error']).stdout;
    const info = JSON.parse(out.slice(out.indexOf('\n[') + 1));
    tarball = path.join(work, info[0].filename);
    const files = info[0].files.map((f) => f.path);
    const bad = files.filter((f) => /^(test|bench|src|constructs|example-blueprints)\//.test(f));
    if (bad.length) throw new Error(`the tarball ships ${bad.slice(0, 5).join(', ')}`);
  });
  // cdktf's CLI, installed once beside the projects as users install it globally: inside a
  // project it brings copies of constructs of its own, which `npm ls constructs` would list.
  const cli = path.join(work, 'cdktf-cli');
  check('cdktf-cli (installed beside the projects, as `npm install -g` would)', () => {
    fs.mkdirSync(cli);
    write(cli, 'package.json', JSON.stringify({ name: 'cli', private: true, dependencies: { 'cdktf-cli': '0.21.0' } }));
    succeeds(cli, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']);
  });
  if (tarball) {
    const cdktf = path.join(cli, 'node_modules/.bin/cdktf');
    consumer('aws-and-google', tarball, true, cdktf);
    consumer('aws-only', tarball, false, cdktf);
  }
  console.log(`${results.passed} passed, ${results.failed} failed`);
  if (keep) console.log(`projects kept in ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
  process.exitCode = results.failed ? 1 : 0;
}

main();
