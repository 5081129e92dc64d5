import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '../../../src/client';
import { mockCloudStatus } from '../../../src/deploy/mock-setup';
import { runBlueprintTest, testNames, TestReport } from '../../../src/tester';
import { readTesterState, testerStateFile, writeTesterState } from '../../../src/tester/state';
import { butterErrorOfAsync } from '../../helpers/errors';

const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'example-blueprints');
const HAPROXY = path.join(EXAMPLES, 'aws-haproxy');

/**
 * The blueprint tester against the mock cloud, in-process: the HAProxy example's fixture phase by
 * phase, failing fixtures (teardown still happens), and refused requests.
 */
describe('runBlueprintTest', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-tester-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  let n = 0;
  const stateDir = () => path.join(root, `state${++n}`);
  const statuses = (r: TestReport) => Object.fromEntries(r.phases.map((p) => [p.phase, p.status]));
  const errorOf = (r: TestReport, phase: string) => r.phases.find((p) => p.phase === phase)?.error as Error | undefined;

  /** The mock cloud of a test's state folder: something was deployed there, and now nothing is. */
  function expectNothingLeft(dir: string): void {
    const status = mockCloudStatus(dir);
    expect(status.providers.length).toBeGreaterThan(0);
    expect(status.providers.every((p) => p.serial > 0)).toBe(true);
    expect(status.objects).toBe(0);
    expect(fs.existsSync(testerStateFile(dir))).toBe(false);
  }

  /** A blueprint folder holding the nginx example's blueprint and `fixture` as its test. */
  function blueprintDir(name: string, fixture: string): string {
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    for (const f of ['blueprint.yml', 'nginx-cloud-config.yml']) fs.copyFileSync(path.join(EXAMPLES, 'aws-nginx', f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, 'blueprint_fixture.ts'), fixture);
    return dir;
  }

  // `run` of the same fixture is tested through the command line (test/src/cli/test.test.ts).
  test('the HAProxy example: setup, verify and teardown as separate calls; verify catches a missing path', async () => {
    const dir = stateDir();
    expect((await runBlueprintTest('setup', { blueprintDir: HAPROXY, stateDir: dir })).ok).toBe(true);
    expect(readTesterState(dir)).toMatchObject({ phase: 'ready', network: 'test-aws-haproxy', vars: { PrivateIps: expect.any(Array) } });
    expect((await runBlueprintTest('verify', { blueprintDir: HAPROXY, stateDir: dir })).ok).toBe(true);

    // Close HAProxy to the internet behind the tester's back: the fixture's verify must notice.
    const client = await Client.open({ dir });
    try {
      await client.paths.remove('0.0.0.0/0', 'aws-haproxy', 80, { network: 'test-aws-haproxy' });
    } finally {
      await client.close();
    }
    const failed = await runBlueprintTest('verify', { blueprintDir: HAPROXY, stateDir: dir });
    expect(failed.ok).toBe(false);
    expect(errorOf(failed, 'verify')?.message).toMatch(/^the internet should reach HAProxy on port 80: .*no rule admits tcp:80 from a public address/);

    expect((await runBlueprintTest('teardown', { blueprintDir: HAPROXY, stateDir: dir })).ok).toBe(true);
    expectNothingLeft(dir);
    await expect(runBlueprintTest('verify', { blueprintDir: HAPROXY, stateDir: dir })).rejects.toMatchObject({ code: 'TEST_NOT_SET_UP' });
  });

  test('run: a failing verify is reported with its message, and teardown still happens', async () => {
    const bp = blueprintDir('failing-verify', `
      import * as assert from 'node:assert/strict';
      export default class Failing {
        async setupBeforeTestedService() { return {}; }
        async setupAfterTestedService() {}
        async verify(ctx: any) { assert.equal(ctx.service.instances.length, 99, 'expected 99 nginx instances'); }
      }`);
    const dir = stateDir();
    const report = await runBlueprintTest('run', { blueprintDir: bp, stateDir: dir });
    expect(report.ok).toBe(false);
    expect(statuses(report)).toEqual({ setup: 'passed', verify: 'failed', teardown: 'passed' });
    expect(errorOf(report, 'verify')?.message).toMatch(/^expected 99 nginx instances\n\n3 !== 99/);
    expectNothingLeft(dir);
  });

  test('run: a failing setup skips verify, and teardown (with the fixture\'s own) still happens', async () => {
    const bp = blueprintDir('failing-setup', `
      export default class FailingSetup {
        torn = false;
        async setupBeforeTestedService() { throw new Error('the database did not come up'); }
        async setupAfterTestedService() {}
        async verify() {}
        async teardown(ctx: any) { ctx.log(ctx.service === undefined ? 'no tested service' : 'tested service'); }
      }`);
    const dir = stateDir();
    const lines: string[] = [];
    const report = await runBlueprintTest('run', { blueprintDir: bp, stateDir: dir, progress: (l) => lines.push(l) });
    expect(statuses(report)).toEqual({ setup: 'failed', verify: 'skipped', teardown: 'passed' });
    expect(errorOf(report, 'setup')?.message).toBe('the database did not come up');
    expect(lines).toContain('  no tested service');
    expect(lines.some((l) => l.startsWith('✓ destroy network test-failing-setup'))).toBe(true);
    expectNothingLeft(dir);
  });

  test('teardown works after a failed setup, and without the fixture (which then fails it)', async () => {
    const source = `export default class Half {
      async setupBeforeTestedService() { throw new Error('stop after the network'); }
      async setupAfterTestedService() {}
      async verify() {}
    }`;
    const bp = blueprintDir('half', source);
    const dir = stateDir();
    const setup = await runBlueprintTest('setup', { blueprintDir: bp, stateDir: dir });
    expect(statuses(setup)).toEqual({ setup: 'failed' });
    expect(readTesterState(dir)).toMatchObject({ phase: 'setting-up', network: 'test-half' });
    expect(mockCloudStatus(dir).providers[0].kinds).toMatchObject({ vpc: 1 });

    fs.rmSync(path.join(bp, 'blueprint_fixture.ts'));
    const teardown = await runBlueprintTest('teardown', { blueprintDir: bp, stateDir: dir });
    expect(statuses(teardown)).toEqual({ teardown: 'failed' });
    expect(errorOf(teardown, 'teardown')?.message).toMatch(/^.*: teardown did not finish:\n {2}fixture: .*blueprint_fixture\.ts: blueprint test fixture not found/);
    // The network went anyway; the state stays so that the fixed fixture's teardown can run.
    expect(mockCloudStatus(dir).objects).toBe(0);
    expect(readTesterState(dir)).toBeDefined();

    fs.writeFileSync(path.join(bp, 'blueprint_fixture.ts'), source);
    expect((await runBlueprintTest('teardown', { blueprintDir: bp, stateDir: dir })).ok).toBe(true);
    expectNothingLeft(dir);
  });

  describe('refused before anything is deployed', () => {
    const ok = blueprintDir('fine', `export default class Fine {
      async setupBeforeTestedService() { return {}; } async setupAfterTestedService() {} async verify() {} }`);

    const refusal = butterErrorOfAsync;

    test('verify or teardown with nothing set up', async () => {
      for (const action of ['verify', 'teardown'] as const) {
        const e = await refusal(runBlueprintTest(action, { blueprintDir: ok, stateDir: stateDir() }));
        expect(e.code).toBe('TEST_NOT_SET_UP');
      }
    });

    test('setup (or run) when a setup is there, finished or not', async () => {
      const dir = stateDir();
      writeTesterState(dir, { version: 1, target: 'mock-aws', network: 'test-fine', service: 'fine', phase: 'ready', vars: {} });
      expect((await refusal(runBlueprintTest('setup', { blueprintDir: ok, stateDir: dir }))).code).toBe('TEST_ALREADY_SET_UP');
      writeTesterState(dir, { version: 1, target: 'mock-aws', network: 'test-fine', service: 'fine', phase: 'setting-up' });
      const e = await refusal(runBlueprintTest('run', { blueprintDir: ok, stateDir: dir }));
      expect(e.code).toBe('TEST_SETUP_INCOMPLETE');
      expect(e.hint).toMatch(/run `teardown`/);
      expect((await refusal(runBlueprintTest('verify', { blueprintDir: ok, stateDir: dir }))).code).toBe('TEST_SETUP_INCOMPLETE');
      // Another target than the one set up on.
      const other = await refusal(runBlueprintTest('teardown', { blueprintDir: ok, stateDir: dir, target: 'mock-google' }));
      expect(other.problem).toBe('the test is set up on mock-aws, not mock-google');
    });

    test('a cloud the fixture does not run on', async () => {
      const e = await refusal(runBlueprintTest('run', { blueprintDir: path.join(EXAMPLES, 'gce-apache'), stateDir: stateDir(), target: 'mock-aws' }));
      expect(e.code).toBe('TEST_CLOUD_UNSUPPORTED');
      expect(e.hint).toBe('use --cloud mock-google');
    });

    test('no blueprint folder, no blueprint.yml, no fixture', async () => {
      expect((await refusal(runBlueprintTest('run', { blueprintDir: path.join(root, 'nosuch') }))).code).toBe('TEST_DIR_NOT_FOUND');
      const empty = path.join(root, 'empty');
      fs.mkdirSync(empty);
      const noBlueprint = await refusal(runBlueprintTest('run', { blueprintDir: empty }));
      expect(noBlueprint.code).toBe('TEST_BLUEPRINT_NOT_FOUND');
      expect(noBlueprint.file).toBe(path.join(empty, 'blueprint.yml'));
      fs.writeFileSync(path.join(empty, 'blueprint.yml'), '{}\n');
      const noFixture = await refusal(runBlueprintTest('run', { blueprintDir: empty }));
      expect(noFixture.code).toBe('FIXTURE_NOT_FOUND');
      expect(noFixture.file).toBe(path.join(empty, 'blueprint_fixture.ts'));
      expect(fs.existsSync(path.join(empty, '.butter-test'))).toBe(false);
    });
  });

  test('names come from the blueprint folder, made valid', () => {
    expect(testNames('/x/aws-haproxy')).toEqual({ network: 'test-aws-haproxy', service: 'aws-haproxy' });
    expect(testNames('/x/My Blueprint_2')).toEqual({ network: 'test-my-blueprint-2', service: 'my-blueprint-2' });
    expect(testNames('/x/3tier')).toEqual({ network: 'test-bp-3tier', service: 'bp-3tier' });
  });
});
