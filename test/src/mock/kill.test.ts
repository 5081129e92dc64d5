import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareMirror, startMockCloud } from '../../../src/mock';
import { LockInfo, readLock } from '../../../src/mock/cloud/file-lock';
import { isAlive } from '../../../src/util/process';
import { DEMO_ENTRY } from './fixtures/demo-provider';
import { cloudState, demoCommand, scratch, terraformEnv, tf, writeConfig } from './helpers/terraform';

/**
 * SIGKILL Terraform while the provider is in the middle of a slow create, then apply again: the
 * cloud state file is still valid JSON, the half-done create left nothing behind, and the second
 * apply converges to exactly one object with a clean plan afterwards. Creates the cloud finished
 * but the killed Terraform never saved are adopted by the next apply (the create journal).
 */
describe('killing terraform during apply', () => {
  const { dir, cleanup } = scratch('kill');
  afterAll(cleanup);

  test.each(['mirror', 'reattach'] as const)('re-applying converges (%s)', async (mode) => {
    const base = path.join(dir, mode);
    const stateDir = path.join(base, 'state');
    const work = path.join(base, 'work');
    fs.mkdirSync(work, { recursive: true });
    const cloud = mode === 'reattach' ? await startMockCloud({ providers: [DEMO_ENTRY], stateDir }) : undefined;
    try {
      const launch = cloud?.env
        ?? (await prepareMirror(path.join(base, 'mirror'), { providers: [DEMO_ENTRY], stateDir, command: await demoCommand() })).env;
      const env = terraformEnv(base, launch);
      writeConfig(work, { a: { name: 'slow', delay_ms: 1500 } });
      await tf(work, env, 0, 'init', '-input=false');

      // The create runs inside a cloud transaction, which holds the state lock: once the lock file
      // appears, the provider is mid-create.
      const apply = spawn('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: work, env, stdio: 'ignore' });
      const lockFile = path.join(stateDir, 'mock.json.lock');
      await waitFor(() => fs.existsSync(lockFile), 60_000);
      const holder = readLock(lockFile);
      apply.kill('SIGKILL');
      await new Promise((resolve) => apply.once('exit', resolve));

      if (mode === 'mirror') {
        // The plugin gives up the create uncommitted: the mirror's launcher notices its parent is
        // gone and exits, and the launch daemon serving it sees the call cancelled and the
        // listener closed (without a launcher, the Node plugin itself exits). Generous under load.
        await waitFor(() => released(lockFile, holder), 30_000);
      }
      const again = await tf(work, env, 0, 'apply', '-auto-approve', '-input=false');
      expect(again.stdout).toContain('Apply complete!');
      await tf(work, env, 0, 'plan', '-input=false', '-detailed-exitcode');
      const things = Object.values(cloudState(stateDir).objects.thing);
      expect(things).toHaveLength(1);
      expect(things[0]).toMatchObject({ name: 'slow' });
      expect(fs.existsSync(lockFile)).toBe(false);
    } finally {
      await cloud?.stop();
    }
  }, 240_000);

  test.each(['mirror', 'reattach'] as const)('a create the killed Terraform never saved is adopted, not repeated (%s)', async (mode) => {
    const base = path.join(dir, `orphan-${mode}`);
    const stateDir = path.join(base, 'state');
    const work = path.join(base, 'work');
    fs.mkdirSync(work, { recursive: true });
    const cloud = mode === 'reattach' ? await startMockCloud({ providers: [DEMO_ENTRY], stateDir }) : undefined;
    try {
      const launch = cloud?.env
        ?? (await prepareMirror(path.join(base, 'mirror'), { providers: [DEMO_ENTRY], stateDir, command: await demoCommand() })).env;
      const env = terraformEnv(base, launch);
      writeConfig(work, { fast: { name: 'fast' }, slow: { name: 'slow', delay_ms: 1500, depends_on: ['mock_thing.fast'] } });
      await tf(work, env, 0, 'init', '-input=false');

      // `fast` is in the cloud and `slow` is being created: kill.
      const apply = spawn('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: work, env, stdio: 'ignore' });
      const lockFile = path.join(stateDir, 'mock.json.lock');
      const things = (): Record<string, unknown>[] => (fs.existsSync(path.join(stateDir, 'mock.json'))
        ? Object.values(cloudState(stateDir).objects.thing ?? {}) : []);
      await waitFor(() => things().length === 1 && fs.existsSync(lockFile), 60_000);
      const holder = readLock(lockFile);
      const fast = things()[0];
      apply.kill('SIGKILL');
      await new Promise((resolve) => apply.once('exit', resolve));
      if (mode === 'mirror') await waitFor(() => released(lockFile, holder), 30_000);
      // Terraform writes its local state non-atomically (truncate, then write) after every change;
      // a kill during that write, which happens often, leaves it empty, as here.
      fs.writeFileSync(path.join(work, 'terraform.tfstate'), '');

      const again = await tf(work, env, 0, 'apply', '-auto-approve', '-input=false');
      expect(again.stdout).toContain('Apply complete! Resources: 2 added');
      await tf(work, env, 0, 'plan', '-input=false', '-detailed-exitcode');
      expect(things().map((t) => t.name).sort()).toEqual(['fast', 'slow']);
      expect(things().find((t) => t.name === 'fast')).toEqual(fast);
      expect(JSON.parse(fs.readFileSync(path.join(stateDir, 'mock.json'), 'utf8')).pendingCreates).toBeUndefined();
    } finally {
      await cloud?.stop();
    }
  }, 240_000);
});

/** The lock `holder` held is gone: released, or its process is. */
function released(lockFile: string, holder: LockInfo | undefined): boolean {
  return !holder || !isAlive(holder.pid) || readLock(lockFile)?.token !== holder.token;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
