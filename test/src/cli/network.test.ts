import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeCdktfProject, runButter, REPO } from './helpers';
import { butterIn, exampleBlueprint, json, removeTempDirs, tempDir } from '../client/helpers';
import { NetworkInfo } from '../../../src/inventory/types';

/**
 * `butter network ...` against the mock cloud, in one project folder that also holds a cdktf
 * app: networks of the workspace and of the app's stacks (`butter deploy`) are listed together.
 * Commands run in-process (the CLI's `main`); one runs through bin/butter as a user would.
 */
describe('butter network', () => {
  const constructs = JSON.stringify(path.join(REPO, 'constructs'));
  const dir = makeCdktfProject('butter-cli-network-', `
import { App, TerraformStack } from 'cdktf';
import { Network, Service } from ${constructs};
const app = new App();
const net = new Network(new TerraformStack(app, 'small'), 'app', { cloud: 'aws', region: 'us-east-1', addressLedger: 'butter.lock.json' });
new Service(net, 'web', { blueprint: ${JSON.stringify(exampleBlueprint('aws-nginx'))}, count: 1 });
app.synth();
`);
  afterAll(async () => {
    await butterIn(dir, 'destroy');
    fs.rmSync(dir, { recursive: true, force: true });
    removeTempDirs();
  });

  test('--help on every command, exit 0', async () => {
    for (const args of [['network'], ['network', 'create'], ['network', 'list'], ['network', 'get'], ['network', 'destroy']]) {
      const r = await butterIn(dir, ...args, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: butter ${args.join(' ')} `));
    }
  });

  let a: NetworkInfo;
  test('create prints the deployed network; --json gives the inventory type', async () => {
    const r = await butterIn(dir, 'network', 'create', 'alpha');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^network alpha \(aws, 10\.0\.0\.0\/16, vpc-[0-9a-f]{17}\) from stack ws-alpha$/m);
    // Progress on stderr, with no terminal control codes (not a TTY).
    expect(r.stderr).toContain('✓ ws-alpha: terraform apply');
    expect(r.stderr).not.toMatch(/\x1b\[/);

    const b = await butterIn(dir, 'network', 'create', 'beta', '--blueprint', path.join(REPO, 'example-blueprints', 'network', 'blueprint.yml'), '--json');
    expect(b.code).toBe(0);
    expect(json(b)).toEqual({
      name: 'beta', cloud: 'aws', id: expect.stringMatching(/^vpc-/), cidr: expect.stringMatching(/^10\.\d+\.0\.0\/16$/), stack: 'ws-beta', services: [], paths: [],
      source: '.butter/mock/stacks/ws-beta/butter.tfstate (butter deploy)', // which state it was read from
    });
    a = json(await butterIn(dir, 'network', 'get', 'alpha', '--json'));
    expect(a.name).toBe('alpha');
  });

  test('networks deployed from the cdktf app are listed and shown with the workspace\'s, but not destroyed by it', async () => {
    expect((await butterIn(dir, 'deploy')).code).toBe(0);
    const list = await butterIn(dir, 'network', 'list');
    expect(list.code).toBe(0);
    const rows = list.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^NAME +CLOUD +CIDR +SERVICES +INSTANCES +PATHS +FROM$/);
    expect(rows.slice(1).map((r) => r.split(/ {2,}/))).toEqual([
      ['alpha', 'aws', '10.0.0.0/16', '0', '0', '0', 'workspace'],
      ['beta', 'aws', expect.stringMatching(/^10\./), '0', '0', '0', 'workspace'],
      ['app', 'aws', '10.0.0.0/16', '1', '1', '0', 'stack small'],
    ]);
    const all = json<NetworkInfo[]>(await butterIn(dir, 'network', 'list', '--json'));
    expect(all.map((n) => [n.name, n.stack])).toEqual([['alpha', 'ws-alpha'], ['beta', 'ws-beta'], ['app', 'small']]);
    expect(all[0]).toEqual(a);

    const app = await butterIn(dir, 'network', 'get', 'app');
    expect(app.stdout).toMatch(/^ {2}service web: 1 of 1 instances$/m);
    expect(app.stdout).toMatch(/^ {4}i-[0-9a-f]{17} +us-east-1a +10\.0\.\d+\.\d+ +- +running$/m);

    const refused = await butterIn(dir, 'network', 'destroy', 'app');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/network "app" was deployed from stack "small" of the cdktf app, not by the workspace \[NETWORK_NOT_IN_WORKSPACE\]\n {2}fix: .*butter destroy small/);
  });

  test('an unknown network is exit 1 with a suggestion and no stack trace (also through bin/butter)', async () => {
    const r = await butterIn(dir, 'network', 'get', 'alpah');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: no network named "alpah" is deployed [NETWORK_NOT_FOUND]\n  fix: did you mean "alpha"? (networks: alpha, app, beta)\n');
    const real = runButter(dir, 'network', 'get', 'alpah');
    expect(real.code).toBe(1);
    expect(real.stderr).toContain('did you mean "alpha"?');
    expect(real.stderr).not.toMatch(/\n\s+at /);
  });

  test('usage errors exit 2', async () => {
    expect((await butterIn(dir, 'network', 'create')).code).toBe(2);
    const cloud = await butterIn(dir, 'network', 'create', 'x', '--cloud', 'azure');
    expect(cloud.code).toBe(2);
    expect(cloud.stderr).toMatch(/argument 'azure' is invalid\. Allowed choices are mock-aws, mock-google, aws, google/);
    expect((await butterIn(dir, 'network', 'list', '--frobnicate')).code).toBe(2);
  });

  test('destroy removes the network; again is exit 1, with --if-exists a no-op', async () => {
    const r = await butterIn(dir, 'network', 'destroy', 'alpha');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('network alpha: destroyed, with 0 services and 0 paths\n');
    expect((await butterIn(dir, 'network', 'get', 'alpha')).code).toBe(1);
    const again = await butterIn(dir, 'network', 'destroy', 'alpha');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no network named "alpha" in the workspace \[NETWORK_NOT_FOUND\]/);
    const quiet = await butterIn(dir, 'network', 'destroy', 'alpha', '--if-exists');
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe('network alpha: not in the workspace, nothing to destroy\n');
    expect((await butterIn(dir, 'network', 'destroy', 'beta')).code).toBe(0);
    expect(json<NetworkInfo[]>(await butterIn(dir, 'network', 'list', '--json')).map((n) => n.name)).toEqual(['app']);
  });

  test('a broken workspace file is exit 1 naming the file and the key', async () => {
    const bad = tempDir('butter-cli-badws-');
    fs.writeFileSync(path.join(bad, 'butter.workspace.json'), JSON.stringify({
      version: 1, target: 'mock-aws', region: 'us-east-1', networks: [{ name: 'dev' }], services: [{ network: 'dve', name: 'web', blueprint: 'x.yml' }], paths: [],
    }));
    const r = await butterIn(bad, 'network', 'list');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${path.join(bad, 'butter.workspace.json')}: services[0].network: network "dve" is not in "networks" [WORKSPACE_INVALID]\n  fix: did you mean "dev"? (networks: dev)\n`);
  });
});
