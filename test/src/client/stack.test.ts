import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, assertRealCloudEnvironment, WORKSPACE_FILE } from '../../../src/client';
import { exampleBlueprint, REPO, removeTempDirs, tempDir } from './helpers';

afterAll(removeTempDirs);

/** A workspace file written by hand (the documented format) in a fresh folder. */
function workspace(target: string, extra: Record<string, unknown> = {}): string {
  const dir = tempDir('butter-stack-');
  fs.writeFileSync(path.join(dir, WORKSPACE_FILE), JSON.stringify({
    version: 1,
    target,
    region: target.endsWith('google') ? 'europe-west1' : 'eu-west-1',
    ...extra,
    networks: [{ name: 'prod', blueprint: path.relative(dir, path.join(REPO, 'example-blueprints', 'network', 'blueprint.yml')) }],
    services: [{ network: 'prod', name: 'web', blueprint: path.relative(dir, exampleBlueprint('aws-nginx')), count: 2 }],
    paths: [{ network: 'prod', source: '0.0.0.0/0', destination: 'web', port: 'tcp:443' }],
  }));
  return dir;
}

const resources = (doc: any, type: string): any[] => Object.values(doc.resource?.[type] ?? {});

describe('synthesized stacks of a workspace network', () => {
  test('--cloud aws: the AWS provider in the region, state kept in the project folder, the network\'s resources', async () => {
    const dir = workspace('aws');
    const client = await Client.open({ dir });
    expect(client.target).toBe('aws');
    const stack = client.synth('prod');
    expect(stack.stack).toBe('ws-prod');
    const doc = JSON.parse(fs.readFileSync(stack.file, 'utf8'));
    expect(doc.provider.aws).toEqual([{ region: 'eu-west-1' }]);
    // Real state lives where cdktf would keep a stack's state, outside the output folder that every synth clears.
    expect(doc.terraform.backend).toEqual({ local: { path: path.join(dir, 'terraform.ws-prod.tfstate') } });
    expect(resources(doc, 'aws_vpc')).toEqual([expect.objectContaining({ cidr_block: '10.0.0.0/16' })]);
    expect(resources(doc, 'aws_autoscaling_group')).toEqual([expect.objectContaining({ desired_capacity: 2, min_size: 2, max_size: 2 })]);
    expect(resources(doc, 'aws_vpc_security_group_ingress_rule')).toEqual([
      expect.objectContaining({ cidr_ipv4: '0.0.0.0/0', from_port: 443, to_port: 443, ip_protocol: 'tcp' }),
    ]);
    await client.close();
  });

  test('--cloud google: the Google provider with the project and region', async () => {
    const dir = workspace('google', { project: 'my-project' });
    const client = await Client.open({ dir });
    const doc = JSON.parse(fs.readFileSync(client.synth('prod').file, 'utf8'));
    expect(doc.provider.google).toEqual([expect.objectContaining({ project: 'my-project', region: 'europe-west1' })]);
    expect(resources(doc, 'google_compute_firewall').some((f) => f.source_ranges?.includes('0.0.0.0/0'))).toBe(true);
    await client.close();
  });

  test('mock targets keep state in the mock deploy\'s own folder, never where a real deployment\'s would be', async () => {
    const dir = workspace('mock-aws');
    const client = await Client.open({ dir });
    const doc = JSON.parse(fs.readFileSync(client.synth('prod').file, 'utf8'));
    expect(doc.terraform.backend).toEqual({ local: { path: path.join(dir, '.butter', 'mock', 'stacks', 'ws-prod', 'butter.tfstate') } });
    await client.close();
  });
});

describe('deploying to a real cloud', () => {
  test('is refused from a shell set up for the mock cloud', () => {
    expect(() => assertRealCloudEnvironment({ TF_REATTACH_PROVIDERS: '{}' })).toThrow(expect.objectContaining({
      code: 'MOCK_ENVIRONMENT_SET', hint: expect.stringContaining('unset TF_REATTACH_PROVIDERS'),
    }));
    expect(() => assertRealCloudEnvironment({ TF_CLI_CONFIG_FILE: '/p/.butter/terraform-mirror/terraform.rc', BUTTER_MOCK_STATE_DIR: '/p/.butter/mock-cloud' }))
      .toThrow(expect.objectContaining({ problem: expect.stringContaining('BUTTER_MOCK_STATE_DIR, TF_CLI_CONFIG_FILE') }));
    expect(() => assertRealCloudEnvironment({ TF_CLI_CONFIG_FILE: '/home/me/.terraformrc', PATH: '/bin' })).not.toThrow();
  });

  test('a change is checked before anything runs, and the workspace file stays as it was', async () => {
    const dir = workspace('aws');
    const file = path.join(dir, WORKSPACE_FILE);
    const before = fs.readFileSync(file, 'utf8');
    const client = await Client.open({ dir });
    const saved = process.env.TF_REATTACH_PROVIDERS;
    process.env.TF_REATTACH_PROVIDERS = '{"registry.terraform.io/hashicorp/aws": {}}';
    try {
      await expect(client.network.create('other')).rejects.toMatchObject({ code: 'MOCK_ENVIRONMENT_SET' });
    } finally {
      if (saved === undefined) delete process.env.TF_REATTACH_PROVIDERS;
      else process.env.TF_REATTACH_PROVIDERS = saved;
    }
    expect(fs.readFileSync(file, 'utf8')).toBe(before);

    const google = await Client.open({ dir: tempDir('butter-google-'), target: 'google' });
    await expect(google.network.create('g')).rejects.toMatchObject({ code: 'WORKSPACE_PROJECT_REQUIRED', key: 'project' });
  });
});

describe('template variables from the workspace are text', () => {
  /** A workspace with an HAProxy service whose PrivateIps come from the workspace file. */
  function withVars(privateIps: unknown): string {
    const dir = workspace('aws');
    const file = path.join(dir, WORKSPACE_FILE);
    const ws = JSON.parse(fs.readFileSync(file, 'utf8'));
    ws.services.push({ network: 'prod', name: 'lb', blueprint: path.relative(dir, exampleBlueprint('aws-haproxy')), count: 1, vars: { PrivateIps: privateIps } });
    fs.writeFileSync(file, JSON.stringify(ws));
    return dir;
  }

  test('a value spelling a cdktf token is refused, naming the variable, instead of becoming a reference', async () => {
    const client = await Client.open({ dir: withVars(['${TfToken[TOKEN.3]}']) });
    try {
      expect(() => client.synth('prod')).toThrow(expect.objectContaining({
        code: 'TEMPLATE_VAR_INVALID',
        key: 'services[lb].vars.PrivateIps',
      }));
    } finally {
      await client.close();
    }
  });

  test('Terraform syntax in a value reaches the user data escaped', async () => {
    const client = await Client.open({ dir: withVars(['10.0.0.1${file("/etc/passwd")}']) });
    try {
      const doc = JSON.parse(fs.readFileSync(client.synth('prod').file, 'utf8'));
      const userData = Object.values(doc.locals as Record<string, string>).join('\n');
      expect(userData).toContain('server web1 10.0.0.1$${file("/etc/passwd")}:80 check');
      expect(userData).not.toMatch(/(?<!\$)\$\{file/);
    } finally {
      await client.close();
    }
  });
});

describe('the workspace backend', () => {
  test('pg, s3, gcs: declared per network with the settings completed and no credentials; mock targets keep the mock\'s own state', async () => {
    const pg = workspace('aws', { backend: { type: 'pg', schemaPrefix: 'team' } });
    const pgClient = await Client.open({ dir: pg });
    const pgDoc = JSON.parse(fs.readFileSync(pgClient.synth('prod').file, 'utf8'));
    // Terraform's pg backend reads the connection string from PG_CONN_STR: none in the stack.
    expect(pgDoc.terraform.backend).toEqual({ pg: { schema_name: 'team_prod' } });

    const s3 = await Client.open({ dir: workspace('aws', { backend: { type: 's3', bucket: 'team-state', keyPrefix: 'butter/dev' } }) });
    expect(JSON.parse(fs.readFileSync(s3.synth('prod').file, 'utf8')).terraform.backend)
      .toEqual({ s3: { bucket: 'team-state', key: 'butter/dev/ws-prod.tfstate', region: 'eu-west-1' } });

    const gcs = await Client.open({ dir: workspace('google', { project: 'my-project', backend: { type: 'gcs', bucket: 'team-state' } }) });
    expect(JSON.parse(fs.readFileSync(gcs.synth('prod').file, 'utf8')).terraform.backend).toEqual({ gcs: { bucket: 'team-state', prefix: 'butter/ws-prod' } });

    const mockDir = workspace('mock-aws', { backend: { type: 'pg' } });
    const mock = await Client.open({ dir: mockDir });
    expect(JSON.parse(fs.readFileSync(mock.synth('prod').file, 'utf8')).terraform.backend)
      .toEqual({ local: { path: path.join(mockDir, '.butter', 'mock', 'stacks', 'ws-prod', 'butter.tfstate') } });
  });

  test('a workspace keeps its backend while it holds networks; a backend option is checked like the file', async () => {
    const dir = workspace('aws', { backend: { type: 'pg', schemaPrefix: 'team' } });
    expect((await Client.open({ dir })).backend).toEqual({ type: 'pg', schemaPrefix: 'team' });
    await expect(Client.open({ dir, backend: { type: 'local' } })).rejects.toMatchObject({ code: 'WORKSPACE_BACKEND_MISMATCH', key: 'backend' });
    await expect(Client.open({ dir: tempDir('butter-backend-'), target: 'aws', backend: { type: 's3', bucket: '${file("/etc/passwd")}' } as any }))
      .rejects.toMatchObject({ code: 'WORKSPACE_INVALID', key: 'backend.bucket' });
  });
});
