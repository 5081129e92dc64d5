import * as fs from 'node:fs';
import * as path from 'node:path';
import { butterInProcess, makeCdktfProject, runButter, REPO } from './helpers';

/**
 * The deploy commands as a user runs them: exit codes, output, errors without stack traces.
 * `deploy --show` and the broken app run through bin/butter as a user would; the other commands
 * run the CLI in-process (the same `main`, without a node and tsx start-up each).
 */
describe('butter synth / deploy / plan / destroy', () => {
  const constructs = JSON.stringify(path.join(REPO, 'constructs'));
  const blueprint = JSON.stringify(path.join(REPO, 'example-blueprints', 'aws-nginx', 'blueprint.yml'));
  const dir = makeCdktfProject('butter-cli-deploy-', `
import { App, TerraformStack } from 'cdktf';
import { Network, Service, Path, Internet } from ${constructs};
const app = new App();
const stack = new TerraformStack(app, 'small');
const net = new Network(stack, 'dev', { cloud: 'aws', region: 'eu-west-1', addressLedger: 'butter.lock.json' });
const web = new Service(net, 'web', { blueprint: ${blueprint}, count: 2 });
new Path(Internet, web, 443);
app.synth();
`);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('synth lists the stacks', async () => {
    const r = await butterInProcess('-C', dir, 'synth');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^small\t.*cdktf\.out\/stacks\/small\/cdk\.tf\.json$/m);
    expect(fs.existsSync(path.join(dir, 'butter.lock.json'))).toBe(true);
  });

  test('deploy --show deploys to the mock and prints networks, services, instances and paths', () => {
    const r = runButter(dir, 'deploy', '--show');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^small: Apply complete! Resources: \d+ added, 0 changed, 0 destroyed\.$/m);
    expect(r.stdout).toMatch(/^network dev \(aws, 10\.0\.0\.0\/16, vpc-[0-9a-f]{17}\) from stack small$/m);
    expect(r.stdout).toMatch(/^ {2}service web: 2 of 2 instances$/m);
    expect(r.stdout.match(/^ {4}i-[0-9a-f]{17} +eu-west-1[abc] +10\.0\.\d+\.\d+ +- +running$/gm)).toHaveLength(2);
    expect(r.stdout).toMatch(/^ {4}internet \(0\.0\.0\.0\/0\) +web +tcp:443$/m);
    // Progress went to stderr, without terminal control codes (stderr is not a TTY here).
    expect(r.stderr).toContain('✓ small: terraform apply');
    expect(r.stderr).not.toMatch(/\x1b\[/);
  });

  test('plan right after deploy shows no changes', async () => {
    const r = await butterInProcess('-C', dir, 'plan', 'small');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^small: No changes\./m);
  });

  test('an unknown stack is a clear error (exit 1, no stack trace); a bad flag is a usage error (exit 2)', async () => {
    const bad = await butterInProcess('-C', dir, 'deploy', 'nosuch');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error: no stack named "nosuch" \[STACK_UNKNOWN\]\n {2}fix: stacks are: small/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect((await butterInProcess('-C', dir, 'deploy', '--frobnicate')).code).toBe(2);
  });

  test('destroy removes the stack; running it again is fine', async () => {
    const r = await butterInProcess('-C', dir, 'destroy');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^small: Destroy complete! Resources: \d+ destroyed\.$/m);
    expect((await butterInProcess('-C', dir, 'destroy')).stdout).toMatch(/Resources: 0 destroyed/);
  });

  test('a broken blueprint fails synth with the blueprint error, not a stack trace', () => {
    const broken = makeCdktfProject('butter-cli-broken-', `
import { App, TerraformStack } from 'cdktf';
import { Network, Service } from ${constructs};
const app = new App();
const net = new Network(new TerraformStack(app, 's'), 'dev', { cloud: 'aws', region: 'us-east-1', addressLedger: false });
new Service(net, 'web', { blueprint: 'missing/blueprint.yml' });
app.synth();
`);
    try {
      const r = runButter(broken, 'deploy');
      expect(r.code).toBe(1);
      // The blueprint's own error, as the constructs raised it, and nothing of Node's crash report.
      expect(r.stderr).toMatch(/^error: missing\/blueprint\.yml: blueprint file not found \(in s\/dev\/web\) \[BLUEPRINT_NOT_FOUND\]\n {2}fix: check the path/m);
      expect(r.stderr).not.toMatch(/\n\s+at |Node\.js v/);
    } finally {
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });
});
