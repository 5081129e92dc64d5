import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareMirror, PluginCommand } from '../../../src/mock';
import { DEMO_ENTRY } from './fixtures/demo-provider';
import { lifeCycle } from './helpers/cycle';
import { demoCommand, scratch, terraformEnv, tf, writeConfig } from './helpers/terraform';

/**
 * The real Terraform CLI installs the demo provider from a filesystem mirror and launches it as a
 * plugin for every phase: with AutoMTLS (Terraform's default) and in plaintext.
 */
describe('mock cloud through a filesystem mirror', () => {
  const { dir, cleanup } = scratch('mirror');
  let command: PluginCommand;
  beforeAll(async () => {
    command = await demoCommand();
  });
  afterAll(cleanup);

  test.each([
    ['with AutoMTLS', {}],
    ['with TF_DISABLE_PLUGIN_TLS=1', { TF_DISABLE_PLUGIN_TLS: '1' }],
  ])('full life cycle %s', async (name, extraEnv) => {
    const base = path.join(dir, name.replace(/\W+/g, '-'));
    const stateDir = path.join(base, 'state');
    const work = path.join(base, 'work');
    fs.mkdirSync(work, { recursive: true });
    const mirror = await prepareMirror(path.join(base, 'mirror'), { providers: [DEMO_ENTRY], command, stateDir });
    const log = path.join(base, 'provider.log');
    await lifeCycle(work, stateDir, terraformEnv(base, { ...mirror.env, ...extraEnv, BUTTER_MOCK_LOG: log }));
    // The plugin really ran with (or without) TLS.
    const tls = 'TF_DISABLE_PLUGIN_TLS' in extraEnv ? 'false' : 'true';
    expect(fs.readFileSync(log, 'utf8')).toContain(`(tls: ${tls})`);
  }, 240_000);

  test('the built-in aws and google providers (src/mock/main.ts, bundled) install and plan', async () => {
    const base = path.join(dir, 'builtin');
    const work = path.join(base, 'work');
    fs.mkdirSync(work, { recursive: true });
    const mirror = await prepareMirror(path.join(base, 'mirror'), { stateDir: path.join(base, 'state') });
    fs.writeFileSync(path.join(work, 'main.tf.json'), JSON.stringify({
      terraform: { required_providers: { aws: { source: 'aws', version: '6.25.0' }, google: { source: 'google', version: '6.50.0' } } },
    }));
    // No provider blocks: the simulations may require settings (region, project) these tests
    // should not have to know. Terraform still starts each provider to read its schema.
    const log = path.join(base, 'provider.log');
    const env = terraformEnv(base, { ...mirror.env, BUTTER_MOCK_LOG: log });
    await tf(work, env, 0, 'init', '-input=false');
    const lock = fs.readFileSync(path.join(work, '.terraform.lock.hcl'), 'utf8');
    expect(lock).toContain('provider "registry.terraform.io/hashicorp/aws"');
    expect(lock).toContain('provider "registry.terraform.io/hashicorp/google"');
    const plan = await tf(work, env, 0, 'plan', '-input=false', '-detailed-exitcode');
    expect(plan.stdout).toContain('No changes.');
    const served = fs.readFileSync(log, 'utf8');
    expect(served).toContain('serving registry.terraform.io/hashicorp/aws 6.25.0');
    expect(served).toContain('serving registry.terraform.io/hashicorp/google 6.50.0');
  });

  test('the lock file hash does not depend on where the mirror is', async () => {
    const hashes: string[] = [];
    for (const where of ['one', 'two/deeper']) {
      const base = path.join(dir, 'lock', where);
      const work = path.join(base, 'work');
      fs.mkdirSync(work, { recursive: true });
      const mirror = await prepareMirror(path.join(base, 'mirror'), { providers: [DEMO_ENTRY], command, stateDir: path.join(base, 'state') });
      writeConfig(work, {});
      await tf(work, terraformEnv(base, mirror.env), 0, 'init', '-input=false');
      const lock = fs.readFileSync(path.join(work, '.terraform.lock.hcl'), 'utf8');
      hashes.push(/"(h1:[^"]+)"/.exec(lock)?.[1] ?? 'none');
    }
    expect(hashes[0]).toMatch(/^h1:/);
    expect(hashes[1]).toEqual(hashes[0]);
  });
});
