import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMockCloud } from '../../../src/mock';
import { DEMO_ENTRY } from './fixtures/demo-provider';
import { lifeCycle } from './helpers/cycle';
import { demoCommand, scratch, terraformEnv, tf } from './helpers/terraform';

/**
 * The real Terraform CLI talking to an already running provider through TF_REATTACH_PROVIDERS:
 * served from this (jest) process, and from a separate daemon process.
 */
describe('mock cloud through TF_REATTACH_PROVIDERS', () => {
  const { dir, cleanup } = scratch('reattach');
  afterAll(cleanup);

  test.each(['in-process', 'process'] as const)('full life cycle, served %s', async (mode) => {
    const base = path.join(dir, mode);
    const stateDir = path.join(base, 'state');
    const work = path.join(base, 'work');
    fs.mkdirSync(work, { recursive: true });
    const command = mode === 'process' ? await demoCommand() : undefined;
    const cloud = await startMockCloud({ providers: [DEMO_ENTRY], stateDir, mode, command });
    try {
      expect(Object.keys(cloud.providers)).toEqual([DEMO_ENTRY.source]);
      expect(cloud.pid === process.pid).toBe(mode === 'in-process');
      await lifeCycle(work, stateDir, terraformEnv(base, cloud.env));
    } finally {
      await cloud.stop();
    }
    if (mode === 'process') expect(() => process.kill(cloud.pid, 0)).toThrow();
  });

  test('one process serves hashicorp/aws and hashicorp/google', async () => {
    const base = path.join(dir, 'builtin');
    const work = path.join(base, 'work');
    fs.mkdirSync(work, { recursive: true });
    const cloud = await startMockCloud({ stateDir: path.join(base, 'state') });
    try {
      expect(Object.keys(cloud.providers).sort()).toEqual(['registry.terraform.io/hashicorp/aws', 'registry.terraform.io/hashicorp/google']);
      fs.writeFileSync(path.join(work, 'main.tf.json'), JSON.stringify({
        terraform: { required_providers: { aws: { source: 'aws', version: '6.25.0' }, google: { source: 'google', version: '6.50.0' } } },
      }));
      const env = terraformEnv(base, cloud.env);
      await tf(work, env, 0, 'init', '-input=false');
      expect((await tf(work, env, 0, 'plan', '-input=false', '-detailed-exitcode')).stdout).toContain('No changes.');
    } finally {
      await cloud.stop();
    }
  });
});
