import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudStore } from '../../../src/mock/cloud/store';
import { classify, findStackStates, mockCloudIds, parseLockError, requireStates, stateLockError } from '../../../src/deploy/state-sources';
import { isButterError } from '../../../src/errors';

/**
 * Finding every stack's state on disk, without Terraform: Butter's own mock state, cdktf's
 * local file (default and declared path), and telling mock from real by the mock cloud's ids.
 * Declared remote backends are read through Terraform: test/src/deploy/pg-backend.test.ts.
 */

function stateDoc(resources: Array<{ type: string; id: string; created?: string }>): string {
  return JSON.stringify({
    version: 4,
    terraform_version: '1.11.0',
    serial: 1,
    lineage: 'x',
    outputs: {},
    resources: resources.map((r, i) => ({
      mode: 'managed', type: r.type, name: `r${i}`, provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: 0, attributes: { id: r.id, ...(r.created ? { creation_timestamp: r.created } : {}) } }],
    })),
  });
}

/** A synthesized stack in `<dir>/cdktf.out` with the given backend block (or none). */
function synthesize(dir: string, stacks: Record<string, Record<string, unknown> | undefined>): void {
  const out = path.join(dir, 'cdktf.out');
  const manifest: Record<string, unknown> = {};
  for (const [name, backend] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(out, 'stacks', name), { recursive: true });
    fs.writeFileSync(path.join(out, 'stacks', name, 'cdk.tf.json'), JSON.stringify({ terraform: backend ? { backend } : {} }));
    manifest[name] = { name, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, dependencies: [] };
  }
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: manifest }));
}

describe('findStackStates', () => {
  let dir: string;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-state-sources-'));
    // The mock cloud holds one VPC and one Google network.
    const cloudDir = path.join(dir, '.butter', 'mock-cloud');
    await CloudStore.forProvider('aws', cloudDir).transaction((c) => void c.put('vpc', 'vpc-0000000000000000a', { id: 'vpc-0000000000000000a' }));
    await CloudStore.forProvider('google', cloudDir).transaction((c) => void c.put('network', 'projects/p/global/networks/dev', {
      id: 'projects/p/global/networks/dev', creation_timestamp: '2026-01-01T00:00:00.000-08:00',
    }));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('every place a state lives, each said; mock and real apart; stacks without state named', () => {
    // butter deploy --mock
    fs.mkdirSync(path.join(dir, '.butter', 'mock', 'stacks', 'own'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.butter', 'mock', 'stacks', 'own', 'butter.tfstate'), stateDoc([{ type: 'aws_vpc', id: 'vpc-0000000000000000a' }]));
    // cdktf deploy to the mock (cdktf's default local file), and to a real cloud
    fs.writeFileSync(path.join(dir, 'terraform.cdk-mock.tfstate'), stateDoc([{ type: 'aws_vpc', id: 'vpc-0000000000000000a' }]));
    fs.writeFileSync(path.join(dir, 'terraform.cdk-real.tfstate'), stateDoc([{ type: 'aws_vpc', id: 'vpc-0123456789abcdef0' }]));
    // A declared local backend with its own path; a synthesized stack never deployed.
    fs.mkdirSync(path.join(dir, 'states'));
    fs.writeFileSync(path.join(dir, 'states', 'custom.tfstate'), stateDoc([{ type: 'google_compute_network', id: 'projects/p/global/networks/dev', created: '2026-01-01T00:00:00.000-08:00' }]));
    synthesize(dir, { custom: { local: { path: '../../../states/custom.tfstate' } }, never: undefined, 'cdk-mock': undefined });

    const mock = findStackStates(dir, { mock: true, env: {} });
    expect(mock.states.map((s) => [s.stack, s.kind, s.location, s.cloud])).toEqual([
      ['cdk-mock', 'cdktf-local', 'terraform.cdk-mock.tfstate (cdktf local state)', 'mock'],
      ['custom', 'cdktf-local', 'states/custom.tfstate (cdktf local state)', 'mock'],
      ['own', 'butter-mock', '.butter/mock/stacks/own/butter.tfstate (butter deploy)', 'mock'],
    ]);
    expect(mock.states.every((s) => s.mockCloudDir === path.join(dir, '.butter', 'mock-cloud'))).toBe(true);
    expect(mock.elsewhere.map((s) => [s.stack, s.cloud])).toEqual([['cdk-real', 'real']]);
    expect(mock.missing).toEqual([{ stack: 'never', looked: ['.butter/mock/stacks/never/butter.tfstate', 'terraform.never.tfstate'] }]);

    const real = findStackStates(dir, { mock: false, env: {} });
    expect(real.states.map((s) => s.stack)).toEqual(['cdk-real']);
    expect(real.elsewhere.map((s) => s.stack)).toEqual(['cdk-mock', 'custom', 'own']);

    const lines: string[] = [];
    expect(requireStates(mock, true, (l) => lines.push(l)).map((s) => s.stack)).toEqual(['cdk-mock', 'custom', 'own']);
    expect(lines).toEqual([
      'stack never: no state (looked in .butter/mock/stacks/never/butter.tfstate, terraform.never.tfstate)',
      'stack cdk-real: its state in terraform.cdk-real.tfstate (cdktf local state) is on a real cloud (add --no-mock to read it)',
    ]);
  });

  test('issue 16\'s false all-clear: an emptied butter deploy state no longer hides the cdktf-deployed one', () => {
    // `butter deploy` then `butter destroy` left an empty state; `cdktf deploy dev` then deployed to the mock.
    fs.mkdirSync(path.join(dir, '.butter', 'mock', 'stacks', 'dev'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.butter', 'mock', 'stacks', 'dev', 'butter.tfstate'), stateDoc([]));
    fs.writeFileSync(path.join(dir, 'terraform.dev.tfstate'), stateDoc([{ type: 'aws_vpc', id: 'vpc-0000000000000000a' }]));
    const report = findStackStates(dir, { env: {} });
    expect(report.states.map((s) => [s.location, s.cloud, s.resources.length])).toEqual([
      ['.butter/mock/stacks/dev/butter.tfstate (butter deploy)', 'empty', 0],
      ['terraform.dev.tfstate (cdktf local state)', 'mock', 1],
    ]);
  });

  test('the mock cloud is $BUTTER_MOCK_STATE_DIR when set (a second checkout sharing it)', () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-state-sources-2-'));
    try {
      fs.writeFileSync(path.join(other, 'terraform.dev.tfstate'), stateDoc([{ type: 'aws_vpc', id: 'vpc-0000000000000000a' }]));
      expect(findStackStates(other, { env: {} }).states).toEqual([]); // its own (absent) mock cloud: real
      const shared = findStackStates(other, { env: { BUTTER_MOCK_STATE_DIR: path.join(dir, '.butter', 'mock-cloud') } });
      expect(shared.states.map((s) => [s.stack, s.cloud, s.mockCloudDir])).toEqual([['dev', 'mock', path.join(dir, '.butter', 'mock-cloud')]]);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  test('classify: an id the mock holds is mock; a Google id with another creation time is real; no cloud resource is empty', () => {
    const ids = mockCloudIds(path.join(dir, '.butter', 'mock-cloud'));
    const res = (type: string, id: string, created?: string) => ({ mode: 'managed' as const, type, name: 'n', attributes: { id, ...(created ? { creation_timestamp: created } : {}) } });
    expect(classify([res('aws_vpc', 'vpc-0000000000000000a')], ids)).toBe('mock');
    expect(classify([res('aws_vpc', 'vpc-0000000000000000b')], ids)).toBe('real');
    // Same project and name (Google ids are names) but made at another time: not the mock's.
    expect(classify([res('google_compute_network', 'projects/p/global/networks/dev', '2025-05-05T00:00:00.000-07:00')], ids)).toBe('real');
    expect(classify([res('google_compute_network', 'projects/p/global/networks/dev', '2026-01-01T00:00:00.000-08:00')], ids)).toBe('mock');
    expect(classify([res('terraform_data', 'x')], ids)).toBe('empty');
    expect(classify([], ids)).toBe('empty');
  });

  test('errors: nothing anywhere, a named stack without state, a corrupt state', () => {
    const none = findStackStates(dir, { env: {} });
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        if (isButterError(e)) return `${e.problem} [${e.code}]${e.hint ? ` | ${e.hint}` : ''}`;
        throw e;
      }
      throw new Error('no error');
    };
    expect(err(() => requireStates(none, true, () => undefined))).toMatch(/^no deployed stack on the mock cloud \(no synthesized stack, no state file\) \[NOTHING_DEPLOYED\]/);
    fs.writeFileSync(path.join(dir, 'terraform.prod.tfstate'), stateDoc([{ type: 'aws_vpc', id: 'vpc-0123456789abcdef0' }]));
    const report = findStackStates(dir, { env: {} });
    expect(err(() => requireStates(report, true, () => undefined))).toContain('no deployed stack on the mock cloud (with state on a real cloud: prod) [NOTHING_DEPLOYED] | add --no-mock');
    expect(err(() => requireStates(report, true, () => undefined, ['prod']))).toContain('stack "prod" is not deployed on the mock cloud [STACK_NOT_DEPLOYED] | its state in terraform.prod.tfstate (cdktf local state) is on a real cloud: add --no-mock');
    fs.writeFileSync(path.join(dir, 'terraform.prod.tfstate'), '{"version": 4,');
    expect(err(() => findStackStates(dir, { env: {} }))).toContain('Terraform state is not valid JSON');
  });
});

test('a declared backend that cannot be read is an error naming the stack and backend, never "no state"', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-state-unreadable-'));
  try {
    synthesize(dir, { team: { pg: { schema_name: 'team' } } });
    // Nothing listens on port 1: Terraform's pg backend cannot connect (read through Terraform itself).
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, PG_CONN_STR: 'postgres://nobody@127.0.0.1:1/x?sslmode=disable&connect_timeout=2' };
    let error: any;
    try {
      findStackStates(dir, { env });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'STATE_READ_FAILED', constructPath: 'team' });
    expect(error.problem).toMatch(/^could not read the state of stack team from its pg backend \(terraform init -input=false -no-color -reconfigure\):\n[\s\S]*127\.0\.0\.1:1/);
    expect(error.hint).toContain('PG_CONN_STR for pg');
    // Terraform ran in a folder of its own holding the backend block alone (no providers to install).
    expect(JSON.parse(fs.readFileSync(path.join(dir, '.butter', 'state-read', 'team', 'main.tf.json'), 'utf8'))).toEqual({ terraform: { backend: { pg: { schema_name: 'team' } } } });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

describe('state lock errors', () => {
  const output = [
    '', 'Error: Error acquiring the state lock', '', 'Error message: ConditionalCheckFailedException: The conditional request failed', 'Lock Info:',
    '  ID:        7c5b1a2e-0000-4000-8000-000000000001', '  Path:      team-state/dev.tfstate', '  Operation: OperationTypeApply',
    '  Who:       alice@ci-runner-7', '  Version:   1.11.4', '  Created:   2026-12-06 06:48:28.391263645 +0000 UTC', '  Info:      ', '',
  ].join('\n');

  test('the Lock Info block is read; other failures are not lock errors', () => {
    expect(parseLockError(output)).toEqual({ id: '7c5b1a2e-0000-4000-8000-000000000001', operation: 'OperationTypeApply', who: 'alice@ci-runner-7', created: '2026-12-06 06:48:28.391263645 +0000 UTC' });
    expect(parseLockError('Error: Invalid provider configuration')).toBeUndefined();
  });

  test('a backend that records the holder (s3 here): who, what and since when, and how to unlock a dead run', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-lock-'));
    const workdir = path.join(dir, 'dev');
    fs.mkdirSync(workdir);
    fs.writeFileSync(path.join(workdir, 'cdk.tf.json'), JSON.stringify({ terraform: { backend: { s3: { bucket: 'team-state', key: 'dev.tfstate' } } } }));
    try {
      const e = stateLockError(workdir, output, {})!;
      expect(e.code).toBe('STATE_LOCKED');
      expect(e.problem).toBe('the state of stack dev (s3 backend) is locked by another Terraform run: held by alice@ci-runner-7, running apply, since 2026-12-06 06:48:28.391263645 +0000 UTC, lock ID 7c5b1a2e-0000-4000-8000-000000000001');
      expect(e.hint).toBe(`wait for that run to finish and run again; only if it died: terraform force-unlock 7c5b1a2e-0000-4000-8000-000000000001 in ${workdir}`);
      expect(stateLockError(workdir, 'Error: something else', {})).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
