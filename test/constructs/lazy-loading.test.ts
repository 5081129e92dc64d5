import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');

/**
 * What loading the constructs, and synthesizing a service whose script has no template syntax,
 * loads (issue 13's cold start): not the template engine, the check engine or reachability.
 * In a fresh Node process (jest's module registry is not Node's), through tsx.
 */
function loadedAfter(script: string): string[] {
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', `${script}\nprocess.stdout.write(JSON.stringify(Object.keys(require.cache)));`], {
    cwd: REPO, encoding: 'utf8', env: { ...process.env, BUTTER_DEBUG: '1' },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout) as string[]).map((f) => path.relative(REPO, f));
}

const heavy = (files: string[]) => files.filter((f) => /node_modules\/nunjucks\/|^src\/checks\/(engine|index)|^src\/reachability\/(index|analysis)|templating\/render/.test(f));
/** What only balancers, scaling and flow logs use: their rendering and provider classes. */
const optional = (files: string[]) => files.filter((f) => /^constructs\/aws\/(load-balancer|flow-logs)\.ts$|provider-aws\/lib\/(autoscaling-policy|lb|lb-listener|lb-target-group|flow-log|iam-role)\//.test(f));

const synthesize = (blueprint: string) => `
    const { App, TerraformStack } = require('cdktf');
    const { Network, Service } = require('./constructs');
    const app = new App({ outdir: require('node:os').tmpdir() + '/butter-lazy-' + process.pid });
    const net = new Network(new TerraformStack(app, 's'), 'dev', { cloud: 'aws', region: 'us-east-1', addressLedger: false, blueprint: 'bench/fixtures/network.yml' });
    new Service(net, 'web', { blueprint: '${blueprint}' });
    app.synth();
    require('node:fs').rmSync(app.outdir, { recursive: true, force: true });`;

test('loading the constructs and synthesizing a service with a plain script loads no template engine, check engine or reachability', () => {
  const loaded = loadedAfter(synthesize('bench/fixtures/service/blueprint.yml'));
  expect(loaded).toContain('constructs/service.ts');
  expect(heavy(loaded)).toEqual([]);
  // Nor the rendering and provider classes of balancers, scaling and flow logs, which it has none of.
  expect(optional(loaded)).toEqual([]);
  // A templated script still loads the engine (the check above can see it).
  expect(heavy(loadedAfter("require('./src/planning/templating').compileTemplate('{{ x }}', { x: 1 }, {});")).length).toBeGreaterThan(0);
});

test('a service with a balancer loads the balancer rendering and its provider classes', () => {
  const loaded = optional(loadedAfter(synthesize('bench/fixtures/service-lb/blueprint.yml')));
  expect(loaded).toEqual(expect.arrayContaining(['constructs/aws/load-balancer.ts']));
  expect(loaded.some((f) => f.includes('provider-aws/lib/lb-listener/'))).toBe(true);
});
