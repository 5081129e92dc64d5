import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cdktfMockEnv, mockCloudStatus, resetMockCloud, shellExports } from '../../../src/deploy/mock-setup';
import { CloudStore } from '../../../src/mock/cloud/store';
import { acquireLock } from '../../../src/mock/cloud/file-lock';
/** `butter mock setup | status | reset`, without Terraform: the mock cloud files are written here. */
import { butterInProcess as butter } from './helpers';

function project(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'butter-mock-cli-'));
}

/** Put objects into a project's mock cloud, as an apply would. */
async function deployed(dir: string, provider: string, objects: Record<string, number>): Promise<void> {
  await CloudStore.forProvider(provider, path.join(dir, '.butter', 'mock-cloud')).transaction((cloud) => {
    for (const [kind, n] of Object.entries(objects)) {
      for (let i = 0; i < n; i++) cloud.put(kind, `${kind}-${i}`, { id: `${kind}-${i}` });
    }
  });
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const fresh = () => {
  const d = project();
  dirs.push(d);
  return d;
};

describe('butter mock setup', () => {
  test('writes the mirror in .butter/terraform-mirror and prints the same environment in every form', async () => {
    const dir = fresh();
    const json = await butter('--dir', dir, 'mock', 'setup', '--json');
    expect(json.code).toBe(0);
    const setup = JSON.parse(json.stdout);
    const rc = path.join(dir, '.butter', 'terraform-mirror', 'terraform.rc');
    expect(setup.cliConfigFile).toBe(rc);
    expect(setup.stateDir).toBe(path.join(dir, '.butter', 'mock-cloud'));
    expect(setup.env).toEqual(cdktfMockEnv(rc, setup.stateDir));
    expect(fs.readFileSync(rc, 'utf8')).toContain('filesystem_mirror');
    // The runner fixes the state folder, whatever folder Terraform starts the plugin in.
    expect(fs.readFileSync(path.join(dir, '.butter', 'terraform-mirror', 'butter-provider.sh'), 'utf8')).toContain(setup.stateDir);
    for (const p of ['aws/6.25.0', 'google/6.50.0']) {
      expect(fs.existsSync(path.join(dir, '.butter', 'terraform-mirror', 'registry.terraform.io', 'hashicorp', p))).toBe(true);
    }

    const shell = await butter('--dir', dir, 'mock', 'setup', '--shell');
    expect(shell.stdout).toBe(shellExports(setup.env));
    const human = await butter('--dir', dir, 'mock', 'setup');
    expect(human.stdout).toContain(shell.stdout.trimEnd());
    expect(human.stdout).toContain('npx cdktf deploy');

    expect((await butter('--dir', dir, 'mock', 'setup', '--json', '--shell')).code).toBe(2);
  });

  test('the export lines survive a POSIX shell, whatever the path holds', () => {
    const env = { A: "/tmp/it's a dir/terraform.rc", B: '', C: 'true' };
    const printed = execFileSync('sh', ['-c', `${shellExports(env)}printf '%s|' "$A" "\${B-unset}" "$C"`], { encoding: 'utf8' });
    expect(printed).toBe("/tmp/it's a dir/terraform.rc||true|");
  });
});

describe('butter mock status', () => {
  test('counts objects per kind and provider, leaving out bookkeeping', async () => {
    const dir = fresh();
    expect((await butter('--dir', dir, 'mock', 'status')).stdout).toContain('nothing deployed yet');
    await deployed(dir, 'aws', { instance: 9, vpc: 1, meta: 1 });
    await deployed(dir, 'google', { network: 1 });
    const status = mockCloudStatus(dir);
    expect(status.providers.map((p) => [p.provider, p.kinds])).toEqual([
      ['aws', { instance: 9, vpc: 1 }],
      ['google', { network: 1 }],
    ]);
    expect(status.objects).toBe(11);
    expect(status.empty).toBe(false);
    expect(status.mirror.ready).toBe(false);

    const text = (await butter('--dir', dir, 'mock', 'status')).stdout;
    expect(text).toMatch(/aws +instance +9/);
    expect(text).toMatch(/google +network +1/);
    expect(text).toContain('total: 11 objects');
    expect(text).toContain('not set up');
    const json = JSON.parse((await butter('--dir', dir, 'mock', 'status', '--json')).stdout);
    expect(json.objects).toBe(11);
  });

  test('reports a state file it cannot read', async () => {
    const dir = fresh();
    fs.mkdirSync(path.join(dir, '.butter', 'mock-cloud'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.butter', 'mock-cloud', 'aws.json'), '{ not json');
    const status = mockCloudStatus(dir);
    expect(status.providers[0].error).toMatch(/not valid JSON/);
    expect(status.empty).toBe(false);
    const r = await butter('--dir', dir, 'mock', 'status');
    expect(r.stdout).toContain('aws: cannot be read');
    // What the cloud holds is unknown: a failure for scripts, with the way out.
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[MOCK_STATE_UNREADABLE]');
    expect(r.stderr).toContain('butter mock restore');
    expect((await butter('--dir', dir, 'mock', 'status', '--json')).code).toBe(1);
  });

  test('a record of the wrong shape (the issue\'s subnet = "garbage", vpc = null) is unreadable, not 7 subnets', async () => {
    const dir = fresh();
    await deployed(dir, 'aws', { vpc: 1, subnet: 2 });
    const file = path.join(dir, '.butter', 'mock-cloud', 'aws.json');
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    doc.objects.subnet = 'garbage';
    doc.objects.vpc = null;
    fs.writeFileSync(file, JSON.stringify(doc));
    const r = await butter('--dir', dir, 'mock', 'status');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('aws: cannot be read: not a mock cloud record of the right shape: ');
    expect(r.stdout).toContain('objects.subnet: expected an object, got a string');
    expect(r.stdout).toContain('objects.vpc: expected an object, got null');
    expect(r.stdout).not.toMatch(/subnet +7/);
  });
});

describe('butter mock restore', () => {
  test('brings back the last good record, keeps the damaged one aside, and leaves a readable one alone', async () => {
    const dir = fresh();
    expect((await butter('--dir', dir, 'mock', 'restore')).stdout).toContain('nothing to restore');
    await deployed(dir, 'aws', { vpc: 1, subnet: 2 });
    await deployed(dir, 'google', { network: 1 });
    const file = path.join(dir, '.butter', 'mock-cloud', 'aws.json');
    const good = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, good.slice(0, 40)); // truncated
    const r = await butter('--dir', dir, 'mock', 'restore');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^aws: restored \.butter\/mock-cloud\/aws\.json from its backup \(3 objects\); the damaged file is now \.butter\/mock-cloud\/aws\.json\.damaged-/m);
    expect(r.stdout).toContain('google: .butter/mock-cloud/google.json is readable, left as it is');
    expect(fs.readFileSync(file, 'utf8')).toBe(good);
    const status = await butter('--dir', dir, 'mock', 'status');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('total: 4 objects');
  });

  test('refuses when the backup is gone (after a reset there is nothing to bring back)', async () => {
    const dir = fresh();
    await deployed(dir, 'aws', { vpc: 1 });
    await butter('--dir', dir, 'mock', 'reset', '--force');
    fs.mkdirSync(path.join(dir, '.butter', 'mock-cloud'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.butter', 'mock-cloud', 'aws.json'), '{');
    const r = await butter('--dir', dir, 'mock', 'restore');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[MOCK_BACKUP_MISSING]');
  });
});

describe('butter mock reset', () => {
  test('refuses while anything is deployed, then deletes with --force', async () => {
    const dir = fresh();
    await deployed(dir, 'aws', { instance: 2 });
    const refused = await butter('--dir', dir, 'mock', 'reset');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the mock cloud is not empty: aws: 2 instance');
    expect(refused.stderr).toContain('[MOCK_CLOUD_NOT_EMPTY]');
    expect(mockCloudStatus(dir).objects).toBe(2);

    const forced = await butter('--dir', dir, 'mock', 'reset', '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('reset (2 objects forgotten)');
    expect(fs.existsSync(path.join(dir, '.butter', 'mock-cloud'))).toBe(false);
    expect((await butter('--dir', dir, 'mock', 'reset')).stdout).toContain('nothing to reset');
  });

  test('an emptied cloud (bookkeeping only) resets without --force, leaving the mirror alone', async () => {
    const dir = fresh();
    await butter('--dir', dir, 'mock', 'setup', '--shell');
    await deployed(dir, 'aws', { meta: 1 });
    await expect(resetMockCloud({ cwd: dir })).resolves.toMatchObject({ forgotten: 0, removed: [path.join(dir, '.butter', 'mock-cloud', 'aws.json')] });
    expect(mockCloudStatus(dir).providers).toEqual([]);
    expect(fs.existsSync(path.join(dir, '.butter', 'terraform-mirror', 'terraform.rc'))).toBe(true);
  });

  test('an unreadable file is only deleted with --force', async () => {
    const dir = fresh();
    fs.mkdirSync(path.join(dir, '.butter', 'mock-cloud'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.butter', 'mock-cloud', 'aws.json'), '[]');
    await expect(resetMockCloud({ cwd: dir })).rejects.toMatchObject({ code: 'MOCK_CLOUD_NOT_EMPTY' });
    await expect(resetMockCloud({ cwd: dir, force: true })).resolves.toMatchObject({ removed: [path.join(dir, '.butter', 'mock-cloud', 'aws.json')] });
  });

  test('waits for a deploy holding the state lock, and checks again under it', async () => {
    const dir = fresh();
    await deployed(dir, 'aws', { meta: 1 });
    const file = path.join(dir, '.butter', 'mock-cloud', 'aws.json');
    const release = await acquireLock(`${file}.lock`);
    const reset = resetMockCloud({ cwd: dir });
    await new Promise((r) => setTimeout(r, 150));
    expect(fs.existsSync(file)).toBe(true); // still waiting
    // The "deploy" commits an instance before letting go: the reset must now refuse.
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    doc.objects.instance = { 'i-1': { id: 'i-1' } };
    fs.writeFileSync(file, JSON.stringify(doc));
    release();
    await expect(reset).rejects.toMatchObject({ code: 'MOCK_CLOUD_NOT_EMPTY' });
    expect(fs.existsSync(file)).toBe(true);
  });
});
