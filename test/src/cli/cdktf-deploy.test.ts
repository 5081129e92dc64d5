import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { mockCloudStatus } from '../../../src/deploy/mock-setup';
import { CloudStore } from '../../../src/mock/cloud/store';
import { askLaunchDaemon } from '../../../src/mock/launch/launch-client';
import { mirrorLauncher, stopMirrorDaemon } from '../../../src/mock/launch/mirror';

/**
 * The README's recipe, for real: `butter mock setup --shell` prints the environment, and the
 * cdktf CLI itself (`npx cdktf deploy` / `npx cdktf destroy`, which synthesizes, runs
 * `terraform init` that installs the mock providers from the mirror, then apply) deploys the
 * aws-haproxy example to the mock cloud and destroys it again.
 *
 * It runs in a temporary cdktf project whose app builds the example from the repository's
 * sources with a copy of its address ledger, so the repository is only read. One deploy and one
 * destroy: the cdktf CLI starts in seconds, and every Terraform phase starts the plugins anew.
 */

const REPO = path.resolve(__dirname, '..', '..', '..');
const STACK = 'aws-haproxy';
const LEDGER = path.join(REPO, 'example-blueprints', 'butter.lock.json');

/** A cdktf project of its own, sharing the repository's node_modules. */
function makeProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-cdktf-deploy-'));
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.copyFileSync(LEDGER, path.join(dir, 'butter.lock.json'));
  fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({
    language: 'typescript',
    app: 'npx tsx main.ts',
    output: 'cdktf.out',
    projectId: 'butter-cdktf-deploy-test',
    sendCrashReports: 'false',
    terraformProviders: [],
    terraformModules: [],
  }, null, 2));
  fs.writeFileSync(path.join(dir, 'main.ts'), [
    "import { App } from 'cdktf';",
    `import { haproxyExample } from ${JSON.stringify(path.join(REPO, 'example-blueprints', 'stacks'))};`,
    'const app = new App();',
    `haproxyExample(app, ${JSON.stringify(STACK)}, 'aws', { addressLedger: ${JSON.stringify(path.join(dir, 'butter.lock.json'))} });`,
    'app.synth();',
    '',
  ].join('\n'));
  return dir;
}

/** Run the CLI in-process; what it printed on stdout. */
async function butter(...args: string[]): Promise<string> {
  let out = '';
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  });
  try {
    const code = await main(['node', 'butter', ...args]);
    expect(code).toBe(0);
  } finally {
    write.mockRestore();
  }
  return out;
}

/**
 * `sh -c '<the printed export lines>; exec npx cdktf …'` in the project, from this process's
 * environment as a user's shell would have it (TF_CLI_CONFIG_FILE here points at a missing file:
 * the exports must replace it).
 */
function cdktf(dir: string, exports: string, args: string, timeoutMs = 150_000): Promise<{ code: number; output: string }> {
  const env = { ...process.env };
  delete env.NODE_ENV; // jest's; cdktf sets its own
  delete env.JEST_WORKER_ID;
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `${exports}exec npx cdktf ${args}`], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      // cdktf draws with ink: strip colours and cursor movement before matching.
      resolve({ code: code ?? 1, output: output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '') });
    });
  });
}

describe('npx cdktf deploy against the mock cloud (README recipe)', () => {
  let dir: string;
  const ledgerBefore = fs.readFileSync(LEDGER);
  beforeAll(() => {
    dir = makeProject();
  });
  afterAll(async () => {
    // The mirror's launch daemon (its plugins' server) goes before the project.
    await stopMirrorDaemon({ launcher: mirrorLauncher(path.join(dir, '.butter', 'terraform-mirror')) });
    fs.rmSync(dir, { recursive: true, force: true });
    // The committed ledger was only read.
    expect(fs.readFileSync(LEDGER).equals(ledgerBefore)).toBe(true);
  });

  test('deploy puts the example (6 web + 3 lb instances) in the mock cloud, destroy empties it', async () => {
    const exports = await butter('--dir', dir, 'mock', 'setup', '--shell');
    const stateDir = path.join(dir, '.butter', 'mock-cloud');
    expect(exports).toContain(`export TF_CLI_CONFIG_FILE=${path.join(dir, '.butter', 'terraform-mirror', 'terraform.rc')}\n`);

    const deploy = await cdktf(dir, exports, `deploy ${STACK} --auto-approve`);
    if (deploy.code !== 0) throw new Error(`cdktf deploy exited ${deploy.code}:\n${deploy.output.slice(-6000)}`);
    expect(deploy.output).toMatch(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed\./);

    // Every plugin Terraform started was a launch of the mirror's launch daemon (this machine has cc).
    const launcher = mirrorLauncher(path.join(dir, '.butter', 'terraform-mirror'));
    expect(launcher).toBeDefined();
    expect(JSON.parse((await askLaunchDaemon(launcher!.socket, 'status'))!).launches).toBeGreaterThanOrEqual(3);

    // terraform init installed the launcher from the filesystem mirror, without a plugin cache.
    const workdir = path.join(dir, 'cdktf.out', 'stacks', STACK);
    const lock = fs.readFileSync(path.join(workdir, '.terraform.lock.hcl'), 'utf8');
    expect(lock).toContain('provider "registry.terraform.io/hashicorp/aws"');
    expect(lock).toMatch(/"h1:[^"]+"/);
    const installed = path.join(workdir, '.terraform', 'providers', 'registry.terraform.io', 'hashicorp', 'aws', '6.25.0');
    const platform = fs.readdirSync(installed)[0];
    expect(fs.realpathSync(path.join(installed, platform))).toBe(path.join(dir, '.butter', 'terraform-mirror', 'registry.terraform.io', 'hashicorp', 'aws', '6.25.0', platform));
    // cdktf's local backend keeps its state at the project root; the mock cloud is .butter/mock-cloud.
    expect(fs.existsSync(path.join(dir, `terraform.${STACK}.tfstate`))).toBe(true);
    expect(fs.existsSync(path.join(workdir, '.butter'))).toBe(false);

    const instances = CloudStore.forProvider('aws', stateDir).read((cloud) => cloud.list<{ autoscaling_group: string | null; public_ip: string | null; state: string }>('instance'));
    expect(instances).toHaveLength(9);
    const perGroup: Record<string, number> = {};
    for (const i of instances) perGroup[i.autoscaling_group ?? 'none'] = (perGroup[i.autoscaling_group ?? 'none'] ?? 0) + 1;
    expect(Object.values(perGroup).sort()).toEqual([3, 6]);
    expect(instances.filter((i) => i.public_ip)).toHaveLength(3); // lb is public, web is not
    expect(instances.every((i) => i.state === 'running')).toBe(true);
    expect(mockCloudStatus(dir).providers.find((p) => p.provider === 'aws')?.kinds.instance).toBe(9);

    // Issue 16: Butter's --deployed questions find cdktf's state (terraform.<stack>.tfstate) and
    // know it is on the mock cloud: no false "all clear", no "nothing deployed".
    const exposure = await butter('--dir', dir, 'paths', 'exposure', '--deployed');
    expect(exposure).toMatch(/^dev\/lb +tcp:80, tcp:443 +\d+\.\d+\.\d+\.\d+/m);
    const services = JSON.parse(await butter('--dir', dir, 'service', 'list', '--json'));
    expect(services.map((s: { name: string; instances: unknown[] }) => `${s.name} ${s.instances.length}`).sort()).toEqual(['lb 3', 'web 6']);

    // --skip-synth: the deploy just synthesized this very output (saves the app's ~2 s start).
    const destroy = await cdktf(dir, exports, `destroy ${STACK} --auto-approve --skip-synth`);
    if (destroy.code !== 0) throw new Error(`cdktf destroy exited ${destroy.code}:\n${destroy.output.slice(-6000)}`);
    expect(destroy.output).toMatch(/Destroy complete! Resources: \d+ destroyed\./);
    const after = mockCloudStatus(dir);
    expect(after.objects).toBe(0);
    expect(after.empty).toBe(true);
  }, 300_000);
});
