import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareMirror, startMockCloud } from '../../../src/mock';
import { isAlive, readLock } from '../../../src/mock/cloud/file-lock';
import { DEMO_ENTRY } from './fixtures/demo-provider';
import { cloudState, demoCommand, scratch, terraformEnv, tf, writeConfig } from './helpers/terraform';

/**
 * SIGKILL Terraform while the provider is in the middle of a slow create, then apply again: the
 * cloud state file is still valid JSON, the half-done create left nothing behind, and the second
 * apply converges to exactly one object with a clean plan afterwards.
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
        ?? (await prepareMirror(path.join(base, 'mirror'), { providers: [DEMO_ENTRY], stateDir, command: await demoCommand(path.join(base, 'bundle')) })).env;
      const env = terraformEnv(base, launch);
      writeConfig(work, { a: { name: 'slow', delay_ms: 1500 } });
      await tf(work, env, 0, 'init', '-input=false');

      // The create runs inside a cloud transaction, which holds the state lock: once the lock file
      // appears, the provider is mid-create.
      const apply = spawn('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: work, env, stdio: 'ignore' });
      const lockFile = path.join(stateDir, 'mock.json.lock');
      await waitFor(() => fs.existsSync(lockFile), 20_000);
      const holder = readLock(lockFile);
      apply.kill('SIGKILL');
      await new Promise((resolve) => apply.once('exit', resolve));

      if (mode === 'mirror') {
        // The orphaned plugin notices its parent is gone and exits without committing.
        await waitFor(() => !holder || !isAlive(holder.pid), 5_000);
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
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
