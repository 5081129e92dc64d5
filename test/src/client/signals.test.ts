import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mockWorkdir } from '../../../src/deploy/deploy';
import { mockCloudStatus } from '../../../src/deploy/mock-setup';
import { stackName, workspaceLedger } from '../../../src/client/stack-names';
import { WORKSPACE_FILE } from '../../../src/client/workspace';
import { butterIn, REPO, removeTempDirs, tempDir } from './helpers';
import { census, leftovers, processesIn, total, waitFor } from '../../helpers/interrupted-run';

/**
 * The workspace commands run Terraform through the Client; a signal stops them as it stops
 * `butter deploy` (src/deploy/interrupt.ts): the real command (bin/butter) is interrupted once the
 * mock cloud holds some of the network's objects, and the same command run again finishes the job.
 */





interface Run {
  readonly child: ChildProcess;
  stderr: string;
  readonly exit: Promise<number | null>;
}

function startButter(tmp: string, ...args: string[]): Run {
  const child = spawn(process.execPath, [path.join(REPO, 'bin', 'butter'), ...args], {
    // Each mock cloud call takes 300 ms, as a real cloud's would: the signal lands mid-apply
    // however fast the machine (a network is only a handful of objects).
    env: { ...process.env, TMPDIR: tmp, CHECKPOINT_DISABLE: '1', BUTTER_MOCK_LATENCY_MS: '300' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = { child, stderr: '', exit: new Promise((resolve) => child.once('close', (code) => resolve(code))) };
  child.stderr!.on('data', (d: Buffer) => (run.stderr += d.toString()));
  child.stdout!.resume();
  return run;
}

describe('workspace commands stopped by a signal', () => {
  afterAll(removeTempDirs);

  test('SIGINT during `butter network create`: exit 130 saying how to resume, workspace and ledger unchanged, no lock, temp folder or Terraform left; running it again finishes the network', async () => {
    // What an uninterrupted `network create` leaves in the mock cloud.
    const clean = tempDir('butter-client-signals-ref-');
    expect((await butterIn(clean, 'network', 'create', 'dev', '--json')).code).toBe(0);
    const reference = census(clean);
    expect(reference.vpc).toBe(1);
    expect(fs.existsSync(workspaceLedger(clean))).toBe(true);

    const dir = tempDir('butter-client-signals-');
    const tmp = tempDir('butter-client-signals-tmp-');
    const run = startButter(tmp, '-C', dir, 'network', 'create', 'dev');
    await waitFor('apply under way', () => total(census(dir)) >= 2);
    run.child.kill('SIGINT');
    const code = await run.exit;

    expect(code).toBe(130);
    expect(run.stderr).toContain('SIGINT: stopping Terraform gracefully');
    expect(run.stderr).toContain('error: network create dev interrupted by SIGINT; the workspace file is unchanged');
    expect(run.stderr).toContain('run the same command again to finish it');
    expect(run.stderr).toContain('or `butter network destroy dev` removes what it deployed');
    expect(run.stderr).not.toMatch(/TypeError|at .*\.ts:\d+/);
    // Nothing recorded: the network is not in the workspace, no address was kept for it.
    const workspace = path.join(dir, WORKSPACE_FILE);
    expect(fs.existsSync(workspace) ? JSON.parse(fs.readFileSync(workspace, 'utf8')).networks : []).toEqual([]);
    expect(fs.existsSync(workspaceLedger(dir))).toBe(false);
    // Terraform saved what it did; no lock, temp folder or process is left.
    const workdir = mockWorkdir(dir, stackName('dev'));
    expect(JSON.parse(fs.readFileSync(path.join(workdir, 'butter.tfstate'), 'utf8')).resources.length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(workdir, 'butter.tfstate.lock'))).toBe(false);
    expect(fs.existsSync(path.join(dir, '.butter', 'workspace.lock'))).toBe(false);
    expect(leftovers(tmp)).toEqual([]);
    expect(processesIn(workdir)).toEqual([]);

    // The same command again finishes the network: exactly what an uninterrupted one leaves.
    const again = await butterIn(dir, 'network', 'create', 'dev', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(workspace, 'utf8')).networks).toEqual([{ name: 'dev' }]);
    expect(census(dir)).toEqual(reference);
  }, 180_000);

  test('SIGTERM during `butter test run`: exit 143 naming the phase and the teardown command, no later phase runs Terraform; the teardown then removes everything', async () => {
    const state = tempDir('butter-client-signals-test-');
    const tmp = tempDir('butter-client-signals-tmp-');
    const blueprintDir = path.join(REPO, 'example-blueprints', 'aws-nginx');
    const run = startButter(tmp, 'test', '--blueprint-dir', blueprintDir, '--state-dir', state, 'run');
    await waitFor('setup under way', () => total(census(state)) >= 4);
    run.child.kill('SIGTERM');
    const code = await run.exit;

    expect(code).toBe(143);
    expect(run.stderr).toContain('error: test run interrupted by SIGTERM; in its setup phase');
    expect(run.stderr).toContain(`what the test deployed is still there: \`butter test --blueprint-dir ${blueprintDir} --state-dir ${state} teardown\` destroys it`);
    // The teardown of `run` did not start Terraform after the signal: nothing was destroyed.
    expect(run.stderr).not.toMatch(/terraform destroy/);
    expect(run.stderr).not.toMatch(/TypeError|at .*\.ts:\d+/);
    expect(JSON.parse(fs.readFileSync(path.join(state, 'tester.json'), 'utf8')).phase).toBe('setting-up');
    expect(fs.existsSync(path.join(state, '.butter', 'workspace.lock'))).toBe(false);
    expect(fs.readdirSync(path.join(state, '.butter', 'mock', 'stacks')).flatMap((s) => fs.readdirSync(path.join(state, '.butter', 'mock', 'stacks', s)))
      .filter((f) => f.endsWith('.lock') || f === 'errored.tfstate')).toEqual([]);
    expect(leftovers(tmp)).toEqual([]);
    expect(processesIn(path.join(state, '.butter', 'mock', 'stacks', 'ws-test-aws-nginx'))).toEqual([]);

    // As told: the teardown destroys what the interrupted setup deployed (a network the
    // workspace never recorded, since its `network create` was interrupted).
    const teardown = startButter(tmp, 'test', '--blueprint-dir', blueprintDir, '--state-dir', state, 'teardown');
    const torn = await teardown.exit;
    if (torn !== 0) throw new Error(`teardown exit ${torn}:\n${teardown.stderr}`);
    expect(mockCloudStatus(state).objects).toBe(0);
    expect(fs.existsSync(path.join(state, 'tester.json'))).toBe(false);
  }, 180_000);
});
