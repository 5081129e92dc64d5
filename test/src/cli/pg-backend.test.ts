import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { butterInProcess as butter } from './helpers';
import { runStacks, mockStateDir, mockStateFile } from '../../../src/deploy/deploy';
import { startMockCloud } from '../../../src/mock/launch/daemon';
import { CloudStore } from '../../../src/mock/cloud/store';
import { readStateFile } from '../../../src/state/resources';
import { Client } from '../../../src/client';

/**
 * A team's remote state, for real: Terraform's pg backend on the PostgreSQL that .ci/postgres.sh
 * starts (BUTTER_TEST_PG_URL). A stack with cdktf's PgBackend (the connection string from
 * PG_CONN_STR, never in cdk.tf.json) is deployed with `npx cdktf deploy` to the mock cloud;
 * a second checkout (a copy of the project without cdktf.out or .butter, sharing the mock cloud
 * through BUTTER_MOCK_STATE_DIR) sees it with `butter service list --deployed` and `butter paths
 * exposure --deployed`, runs into the lock of a Terraform run holding it (Butter says who holds
 * it), and destroys it; `butter deploy --mock` of the same stack keeps its own state and never
 * writes the PostgreSQL state; a workspace naming a pg backend reads its networks from there.
 * Few Terraform runs: one cdktf deploy, one failed and one
 * destroying Butter run, and one mock deploy and destroy with the in-process providers.
 */

const REPO = path.resolve(__dirname, '..', '..', '..');
const STACK = 'pgdev';
const PG_URL = process.env.BUTTER_TEST_PG_URL;

/** Whether PostgreSQL answers at the URL (a TCP connect, so that a stale variable skips too). */
function reachable(url: string | undefined): boolean {
  if (!url) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const probe = `const s=require('net').connect(${Number(u.port || 5432)},${JSON.stringify(u.hostname)},()=>process.exit(0));s.on('error',()=>process.exit(1));setTimeout(()=>process.exit(1),3000)`;
  return spawnSync(process.execPath, ['-e', probe]).status === 0;
}

const available = reachable(PG_URL);
if (!available) {
  console.warn(`SKIPPED: the PostgreSQL remote-state tests (test/src/cli/pg-backend.test.ts): ${PG_URL
    ? `nothing answers at BUTTER_TEST_PG_URL (${PG_URL.replace(/\/\/[^@]*@/, '//')})` : 'BUTTER_TEST_PG_URL is not set'}; run them with: eval "$(.ci/postgres.sh)"`);
}
const describePg = available ? describe : describe.skip;

/** One checkout of the team's project: its own folder, the same app and address ledger. */
function checkout(schema: string, ledgerFrom?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-pg-'));
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({
    language: 'typescript', app: 'npx tsx main.ts', output: 'cdktf.out', projectId: 'butter-pg-test', sendCrashReports: 'false', terraformProviders: [], terraformModules: [],
  }, null, 2));
  if (ledgerFrom) fs.copyFileSync(path.join(ledgerFrom, 'butter.lock.json'), path.join(dir, 'butter.lock.json')); // committed with the project
  fs.writeFileSync(path.join(dir, 'main.ts'), [
    "import { App, PgBackend, PgBackendConfig, TerraformStack } from 'cdktf';",
    `import { Internet, Network, Path, Port, Service } from ${JSON.stringify(path.join(REPO, 'constructs'))};`,
    'const app = new App();',
    `const stack = new TerraformStack(app, ${JSON.stringify(STACK)});`,
    '// conn_str is left out: Terraform\'s pg backend reads PG_CONN_STR, so no credentials reach cdk.tf.json.',
    `new PgBackend(stack, { schemaName: ${JSON.stringify(schema)} } as PgBackendConfig);`,
    "const dev = new Network(stack, 'dev', { cloud: 'aws', region: 'us-east-1', addressLedger: 'butter.lock.json' });",
    `const lb = new Service(dev, 'lb', { blueprint: ${JSON.stringify(path.join(REPO, 'example-blueprints', 'aws-haproxy', 'blueprint.yml'))}, count: 1, templateVars: { PrivateIps: ['10.0.0.4'] } });`,
    'new Path(Internet, lb, Port.tcp(443));',
    'app.synth();',
    '',
  ].join('\n'));
  return dir;
}

/** `npx cdktf <args>` in `dir` with `env` (the user's shell after the mock setup eval). */
function cdktf(dir: string, env: NodeJS.ProcessEnv, args: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `exec npx cdktf ${args}`], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output: output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '') });
    });
  });
}

/** The state PostgreSQL holds for the stack (the pg backend's table), or undefined. */
function pgState(schema: string): string | undefined {
  const r = spawnSync('psql', [PG_URL!, '-X', '-A', '-t', '-c', `SELECT data FROM "${schema}".states WHERE name = 'default'`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
  return r.stdout.trim() || undefined;
}

describePg('a stack with a PostgreSQL backend, deployed with cdktf deploy to the mock cloud', () => {
  const schema = `butter_test_${process.pid}_${Date.now()}`;
  let first: string;
  let second: string;
  const saved = { ...process.env };
  /** The shell of someone who ran `eval "$(butter mock setup --shell)"` in the first checkout, with PG_CONN_STR. */
  let shell: NodeJS.ProcessEnv;

  beforeAll(async () => {
    first = checkout(schema);
    const setup = await butter('--dir', first, 'mock', 'setup', '--json');
    expect(setup.code).toBe(0);
    const env = JSON.parse(setup.stdout).env as Record<string, string>;
    shell = { ...saved, ...env, PG_CONN_STR: PG_URL! };
    delete shell.NODE_ENV; // jest's; cdktf sets its own
    delete shell.JEST_WORKER_ID;
  }, 120_000);
  afterAll(() => {
    process.env = saved;
    spawnSync('psql', [PG_URL!, '-X', '-q', '-c', `DROP SCHEMA IF EXISTS "${schema}" CASCADE`]);
    for (const d of [first, second]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  test('cdktf deploy keeps the state in PostgreSQL; a second checkout sees it, meets the lock, destroys it', async () => {
    const deploy = await cdktf(first, shell, `deploy ${STACK} --auto-approve`);
    if (deploy.code !== 0) throw new Error(`cdktf deploy exited ${deploy.code}:\n${deploy.output.slice(-6000)}`);
    expect(deploy.output).toMatch(/Apply complete! Resources: \d+ added/);
    // The state is in PostgreSQL, not on disk; no credentials in the synthesized stack.
    expect(fs.existsSync(path.join(first, `terraform.${STACK}.tfstate`))).toBe(false);
    const stored = JSON.parse(pgState(schema)!);
    expect(stored.resources.some((r: { type: string }) => r.type === 'aws_vpc')).toBe(true);
    const synthesized = fs.readFileSync(path.join(first, 'cdktf.out', 'stacks', STACK, 'cdk.tf.json'), 'utf8');
    expect(JSON.parse(synthesized).terraform.backend).toEqual({ pg: { schema_name: schema } });
    expect(synthesized).not.toContain(new URL(PG_URL!).port);

    // The second checkout: nothing synthesized, no .butter; the shared mock cloud and PG_CONN_STR.
    second = checkout(schema, first);
    process.env = { ...shell };
    const services = await butter('-C', second, 'service', 'list', '--deployed', '--json');
    expect(services.stderr).toContain(`read ${STACK} from cdktf.out/stacks/${STACK} (pg backend)\n`);
    expect(services.code).toBe(0);
    const listed = JSON.parse(services.stdout);
    expect(listed).toEqual([expect.objectContaining({ name: 'lb', network: 'dev' })]);
    expect(listed[0].instances).toHaveLength(1);
    expect(listed[0].instances[0]).toMatchObject({ state: 'running', publicIp: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/) });

    const exposure = await butter('-C', second, 'paths', 'exposure', '--deployed');
    expect(exposure.code).toBe(0);
    expect(exposure.stderr).toContain(`read deployed on the mock cloud: ${STACK} from cdktf.out/stacks/${STACK} (pg backend)\n`);
    expect(exposure.stdout).toMatch(new RegExp(`^dev/lb +tcp:443 +${listed[0].instances[0].publicIp.replace(/\./g, '\\.')}$`, 'm'));
    // ...and it is not a real deployment.
    const real = await butter('-C', second, 'paths', 'exposure', '--deployed', '--no-mock');
    expect(real.code).toBe(1);
    expect(real.stderr).toContain(`stack ${STACK}: its state in cdktf.out/stacks/${STACK} (pg backend) is on the mock cloud`);

    // Two runs at once: a Terraform run in the first checkout holds the state lock (terraform
    // console takes it as apply does, and keeps it while it runs); Butter's deploy from the
    // second checkout fails on Terraform's lock error and says who holds the lock.
    const holder: ChildProcess = spawn('terraform', ['console'], { cwd: path.join(first, 'cdktf.out', 'stacks', STACK), env: shell, stdio: ['pipe', 'ignore', 'pipe'] });
    try {
      await waitForPgLock();
      const locked = runStacks({ cwd: second, action: 'deploy', mock: false, skipSynth: true, stacks: [STACK] });
      await expect(locked).rejects.toMatchObject({
        code: 'STATE_LOCKED',
        problem: expect.stringMatching(new RegExp(`^the state of stack ${STACK} \\(pg backend\\) is locked by another Terraform run: held by the PostgreSQL session of postgres from 127\\.0\\.0\\.1 \\(server pid \\d+\\), connected since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC$`)),
      });
    } finally {
      holder.stdin!.end();
      await new Promise((r) => holder.once('close', r));
    }

    // Destroy from the second checkout (Terraform in its stack folder with the user's environment).
    const [destroyed] = await runStacks({ cwd: second, action: 'destroy', mock: false, skipSynth: true, stacks: [STACK] });
    expect(destroyed.summary).toMatch(/^Destroy complete! Resources: \d+ destroyed\.$/);
    expect(JSON.parse(pgState(schema)!).resources).toEqual([]);
    expect(CloudStore.forProvider('aws', mockStateDir(first)).read((c) => c.list('instance'))).toEqual([]);
    const after = await butter('-C', first, 'service', 'list', '--deployed', '--json');
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toEqual([]);
  }, 600_000);

  test('butter deploy --mock of the same stack keeps its own state and never writes PostgreSQL', async () => {
    process.env = { ...shell };
    const before = pgState(schema);
    expect(before).toBeDefined();
    const cloud = await startMockCloud({ stateDir: mockStateDir(first) });
    try {
      await runStacks({ cwd: first, action: 'deploy', mock: true, skipSynth: true, stacks: [STACK], mockCloud: cloud });
      expect(pgState(schema)).toBe(before);
      expect(readStateFile(mockStateFile(first, STACK)).some((r) => r.type === 'aws_vpc')).toBe(true);
      // Both states are found and said: Butter's (with the service) and the emptied pg one.
      const r = await butter('-C', first, 'paths', 'exposure', '--deployed');
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`read deployed on the mock cloud: ${STACK} from .butter/mock/stacks/${STACK}/butter.tfstate (butter deploy); ${STACK} from cdktf.out/stacks/${STACK} (pg backend)\n`);
      expect(r.stdout).toMatch(/^dev\/lb +tcp:443 /m);
      fs.copyFileSync(mockStateFile(first, STACK), path.join(first, 'deployed-once.tfstate')); // for the next test
      await runStacks({ cwd: first, action: 'destroy', mock: true, skipSynth: true, stacks: [STACK], mockCloud: cloud });
      expect(pgState(schema)).toBe(before);
    } finally {
      await cloud.stop();
    }
  }, 300_000);

  test('a workspace with a pg backend: its networks are read from PostgreSQL, as a real deployment', async () => {
    // A state whose objects the mock cloud no longer holds (it destroyed them): to Butter's
    // mock-or-real rule that is a real deployment. Pushed into the schema the workspace's
    // backend names for network dev, as a teammate's `butter network create dev --cloud aws` would have left it.
    process.env = { ...shell };
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-pg-ws-'));
    try {
      const prefix = `${schema}_ws`;
      fs.writeFileSync(path.join(ws, 'butter.workspace.json'), JSON.stringify({
        version: 1, target: 'aws', region: 'us-east-1', backend: { type: 'pg', schemaPrefix: prefix }, networks: [{ name: 'dev' }], services: [], paths: [],
      }));
      const push = path.join(ws, 'push');
      fs.mkdirSync(push);
      fs.writeFileSync(path.join(push, 'main.tf.json'), JSON.stringify({ terraform: { backend: { pg: { schema_name: `${prefix}_dev` } } } }));
      for (const args of [['init', '-input=false', '-no-color'], ['state', 'push', path.join(first, 'deployed-once.tfstate')]]) {
        const r = spawnSync('terraform', args, { cwd: push, env: shell, encoding: 'utf8' });
        expect(r.stderr).toBe('');
      }

      const client = await Client.open({ dir: ws });
      expect(client.backend).toEqual({ type: 'pg', schemaPrefix: prefix });
      client.synth('dev'); // what `butter network create` writes before Terraform runs
      const [dev] = client.network.list();
      expect(dev).toMatchObject({ name: 'dev', stack: 'ws-dev', source: '.butter/workspace/ws-dev/stacks/ws-dev (pg backend)' });
      expect(dev.services.map((x) => x.name)).toEqual(['lb']);
      expect(client.paths.internetAccessible('lb', 443)).toMatchObject({ allowed: true, from: 'ws-dev from .butter/workspace/ws-dev/stacks/ws-dev (pg backend)' });
      // paths --deployed reads the workspace's stacks too: a real deployment, never the mock's.
      const mock = await butter('-C', ws, 'paths', 'exposure', '--deployed');
      expect(mock.code).toBe(1);
      expect(mock.stderr).toContain('no deployed stack on the mock cloud (with state on a real cloud: ws-dev) [NOTHING_DEPLOYED]');
      const real = await butter('-C', ws, 'paths', 'exposure', '--deployed', '--no-mock');
      expect(real.code).toBe(0);
      expect(real.stderr).toContain('read deployed on a real cloud: ws-dev from .butter/workspace/ws-dev/stacks/ws-dev (pg backend)\n');
      expect(real.stdout).toMatch(/^dev\/lb +tcp:443 /m);
      await client.close();
    } finally {
      spawnSync('psql', [PG_URL!, '-X', '-q', '-c', `DROP SCHEMA IF EXISTS "${schema}_ws_dev" CASCADE`]);
      fs.rmSync(ws, { recursive: true, force: true });
    }
  }, 120_000);

  /** Until a session other than psql's holds an advisory lock (the console has taken the state lock). */
  async function waitForPgLock(): Promise<void> {
    for (let i = 0; i < 300; i++) {
      const r = spawnSync('psql', [PG_URL!, '-X', '-A', '-t', '-c', "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"], { encoding: 'utf8' });
      if (Number(r.stdout.trim()) > 0) return;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('terraform console never took the state lock');
  }
});
