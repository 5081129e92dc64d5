import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mockCloudStatus } from '../../../src/deploy/mock-setup';
import { main } from '../../../src/cli/main';
import { REPO, runButter } from './helpers';

const APACHE = path.join(REPO, 'example-blueprints', 'gce-apache');

/** `butter test` as a user runs it: separate invocations, exit codes, failures, usage errors. */
describe('butter test', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-cli-test-'));
  // The project's own TypeScript loader (tsx) loads its .ts fixtures, as in a user's project.
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('run: the HAProxy example passes on the mock (exit 0) and leaves nothing deployed', () => {
    const state = path.join(root, 'haproxy-state');
    const r = runButter(root, 'test', '--blueprint-dir', path.join(REPO, 'example-blueprints', 'aws-haproxy'), '--state-dir', state, 'run');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^blueprint test aws-haproxy on mock-aws \(network test-aws-haproxy\): PASSED\n {2}setup +passed .*\n {2}verify +passed .*\n {2}teardown +passed .*\n$/);
    // nginx first (its IPs are HAProxy's variables), then HAProxy, then the paths; teardown last.
    const order = ['create network test-aws-haproxy', 'fixture: setupBeforeTestedService', 'deploy aws-haproxy',
      'fixture: setupAfterTestedService', 'fixture: verify', 'destroy network test-aws-haproxy'];
    const lines = r.stderr.split('\n');
    const done = order.map((label) => lines.findIndex((l) => l.startsWith(`✓ ${label}`)));
    expect(done.every((i) => i >= 0)).toBe(true);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    const status = mockCloudStatus(state);
    expect(status.providers.map((p) => p.serial > 0)).toEqual([true]);
    expect(status.objects).toBe(0);
    expect(fs.existsSync(path.join(state, 'tester.json'))).toBe(false);
  });

  test('setup, verify and teardown as separate commands keep their state in the state folder', () => {
    const state = path.join(root, 'apache-state');
    const butter = (...args: string[]) => runButter(root, 'test', '--blueprint-dir', APACHE, '--state-dir', state, ...args);

    const setup = butter('setup');
    expect(setup.code).toBe(0);
    // A Google-only fixture runs on the Google mock without being told.
    expect(setup.stdout).toMatch(/^blueprint test gce-apache on mock-google \(network test-gce-apache\): PASSED\n {2}setup +passed +\d+\.\ds\n$/);
    // Progress went to stderr, without terminal control codes (stderr is not a TTY here).
    expect(setup.stderr).toMatch(/^✓ deploy gce-apache from .*gce-apache\/blueprint\.yml \(\d+\.\ds\)$/m);
    expect(setup.stderr).not.toMatch(/\x1b\[/);
    expect(fs.existsSync(path.join(state, 'tester.json'))).toBe(true);

    const again = butter('setup');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/the test is already set up \(network test-gce-apache on mock-google\) \[TEST_ALREADY_SET_UP\]/);

    const verify = butter('verify');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/: PASSED\n {2}verify +passed/);

    const teardown = butter('teardown');
    expect(teardown.code).toBe(0);
    expect(teardown.stderr).toMatch(/^✓ destroy network test-gce-apache/m);
    expect(mockCloudStatus(state).objects).toBe(0);

    const after = butter('verify');
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/^error: .*apache-state: nothing is set up for this blueprint test \[TEST_NOT_SET_UP\]\n {2}fix: run `setup` first/m);
  });

  test('run with a failing verify: exit 1, the failure shown, everything torn down', () => {
    const bp = path.join(root, 'broken');
    fs.mkdirSync(bp);
    for (const f of ['blueprint.yml', 'nginx-cloud-config.yml']) fs.copyFileSync(path.join(REPO, 'example-blueprints', 'aws-nginx', f), path.join(bp, f));
    fs.writeFileSync(path.join(bp, 'blueprint_fixture.ts'), `
      export default class Broken {
        async setupBeforeTestedService() { return {}; }
        async setupAfterTestedService() {}
        async verify() { throw new Error('nginx answered 502 on port 80'); }
      }`);
    const r = runButter(root, 'test', '--blueprint-dir', 'broken', 'run');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^blueprint test broken on mock-aws \(network test-broken\): FAILED\n {2}setup +passed .*\n {2}verify +failed .*\n {2}teardown +passed/);
    expect(r.stderr).toMatch(/^error: blueprint test broken on mock-aws failed\n {2}verify: nginx answered 502 on port 80 \[TEST_FAILED\]\n {2}fix: everything the test deployed was destroyed/m);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace without --debug
    // The default state folder is in the blueprint folder; its mock cloud is empty again.
    const status = mockCloudStatus(path.join(bp, '.butter-test'));
    expect(status.providers.map((p) => p.serial > 0)).toEqual([true]);
    expect(status.objects).toBe(0);
  });

  /** Run `butter` in this process (no deploys: fast), capturing what it prints. */
  async function inProcess(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
    const cwd = process.cwd();
    try {
      process.chdir(root);
      const code = await main(['node', 'butter', ...args]);
      return { code, stdout: out.join(''), stderr: err.join('') };
    } finally {
      process.chdir(cwd);
      stdout.mockRestore();
      stderr.mockRestore();
    }
  }

  test('a missing fixture is a clear error naming the file (exit 1)', async () => {
    const bp = path.join(root, 'no-fixture');
    fs.mkdirSync(bp);
    fs.copyFileSync(path.join(APACHE, 'blueprint.yml'), path.join(bp, 'blueprint.yml'));
    const r = await inProcess('test', '--blueprint-dir', 'no-fixture', 'run');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: no-fixture/blueprint_fixture.ts: blueprint test fixture not found [FIXTURE_NOT_FOUND]\n'
      + '  fix: write blueprint_fixture.ts (or blueprint_fixture.js / .mjs) in the blueprint folder, exporting a class that implements BlueprintTest (src/tester/fixture.ts)\n');
  });

  test('usage errors exit 2; --help exits 0', async () => {
    expect((await inProcess('test', '--blueprint-dir', APACHE)).code).toBe(2); // no action
    const bad = await inProcess('test', '--blueprint-dir', APACHE, 'deploy');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/command-argument value 'deploy' is invalid for argument 'action'\. Allowed choices are setup, verify, teardown, run\./);
    const noDir = await inProcess('test', 'run');
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toMatch(/required option '--blueprint-dir <folder>' not specified/);
    expect((await inProcess('test', '--blueprint-dir', APACHE, '--cloud', 'azure', 'run')).code).toBe(2);
    const help = await inProcess('test', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: butter test \[options\] <action>/);
    expect(help.stdout).toMatch(/Exit codes: 0 the test \(or phase\) passed, 1 it failed, 2 usage error\./);
  });
});
