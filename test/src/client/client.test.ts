import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, WORKSPACE_FILE } from '../../../src/client';
import { mockStateDir } from '../../../src/deploy/deploy';
import { CloudStore } from '../../../src/mock/cloud/store';
import { readStateFile } from '../../../src/state/resources';
import { cidrOverlaps, parseCidr } from '../../../src/planning/ipv4';
import { exampleBlueprint, removeTempDirs, tempDir } from './helpers';
import { workspaceLedger } from '../../../src/client/stack-names';

/**
 * The Client against the mock cloud: one workspace folder and one Client for the file, real
 * Terraform runs. Tests build on each other in order (as the seed's tests did).
 */
describe('Client on the mock cloud (mock-aws)', () => {
  const dir = tempDir('butter-client-');
  const wsFile = path.join(dir, WORKSPACE_FILE);
  const ledgerFile = workspaceLedger(dir);
  const nginx = exampleBlueprint('aws-nginx');
  const haproxy = exampleBlueprint('aws-haproxy');
  let client: Client;
  const lines: string[] = [];

  beforeAll(async () => {
    client = await Client.open({ dir, progress: (l) => lines.push(l) });
  });
  afterAll(async () => {
    await client.close();
    removeTempDirs();
  });

  /** Ingress rules the mock cloud holds, as `<protocol>:<from>` with their source. */
  const ingressRules = () => CloudStore.forProvider('aws', mockStateDir(dir))
    .read((c) => c.list('security_group_rule') as any[])
    .filter((r) => !r.is_egress)
    .map((r) => `${r.ip_protocol}:${r.from_port} from ${r.cidr_ipv4 ?? 'group'}`)
    .sort();

  test('the seed\'s network test: two networks, get equals create, gone after destroy', async () => {
    const first = await client.network.create('net-one');
    const second = await client.network.create('net-two');
    expect(client.network.get('net-one')).toEqual(first);
    expect(client.network.get('net-two')).toEqual(second);
    expect(first).toMatchObject({ name: 'net-one', cloud: 'aws', stack: 'ws-net-one', services: [], paths: [] });
    expect(first.id).toMatch(/^vpc-[0-9a-f]{17}$/);
    // The two networks share one address ledger, so their blocks never overlap.
    expect(cidrOverlaps(parseCidr(first.cidr!), parseCidr(second.cidr!))).toBe(false);
    expect(client.network.list().map((n) => n.name)).toEqual(['net-one', 'net-two']);
    expect(lines).toContain('… ws-net-one: terraform apply');

    await client.network.destroy('net-one');
    await client.network.destroy('net-two');
    expect(client.network.list()).toEqual([]);
    expect(() => client.network.get('net-one')).toThrow(expect.objectContaining({ code: 'NETWORK_NOT_FOUND' }));
    expect(CloudStore.forProvider('aws', mockStateDir(dir)).read((c) => c.list('vpc'))).toHaveLength(0);
    const ws = JSON.parse(fs.readFileSync(wsFile, 'utf8'));
    expect(ws).toEqual({ version: 1, target: 'mock-aws', region: 'us-east-1', networks: [], services: [], paths: [] });
    // Their addresses were released: the next network starts from the bottom again.
    const ledger = JSON.parse(fs.readFileSync(path.join(dir, 'butter.workspace.lock.json'), 'utf8'));
    expect(ledger.networks).toEqual({});
  });

  test('services: create returns what is deployed, instances spread over zones, vars reach the startup script', async () => {
    await client.network.create('dev');
    const web = await client.service.create('dev', 'web', { blueprint: nginx, count: 3 });
    expect(web).toEqual(client.service.get('dev', 'web'));
    expect(web.instances.map((i) => i.zone)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(web.instances.every((i) => i.state === 'running' && i.publicIp === undefined)).toBe(true);

    const ips = client.service.getInstances('dev', 'web').map((i) => i.privateIp!);
    const lb = await client.service.create('dev', 'lb', { blueprint: haproxy, count: 1, vars: { PrivateIps: ips } });
    expect(lb.instances).toHaveLength(1);
    expect(lb.instances[0].publicIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // HAProxy's cloud-config lists exactly the nginx instances the Client reported.
    const userData = CloudStore.forProvider('aws', mockStateDir(dir))
      .read((c) => (c.list('instance') as any[]).find((i) => i.id === lb.instances[0].id).user_data as string);
    const servers = [...userData.matchAll(/server web\d+ ([\d.]+):80 check/g)].map((m) => m[1]);
    expect(servers.sort()).toEqual([...ips].sort());
    expect(client.service.list('dev').map((s) => s.name)).toEqual(['lb', 'web']);

    const stored = JSON.parse(fs.readFileSync(wsFile, 'utf8'));
    expect(stored.services).toEqual([
      { network: 'dev', name: 'web', blueprint: path.relative(dir, nginx), count: 3 },
      { network: 'dev', name: 'lb', blueprint: path.relative(dir, haproxy), count: 1, vars: { PrivateIps: ips } },
    ]);
  });

  test('paths: add puts the rule in Terraform state and the cloud, remove takes it out', async () => {
    await client.paths.add('lb', 'web', 80);
    await client.paths.add('internet', 'lb', 'tcp:443');
    expect(client.paths.list('dev')).toEqual([
      { source: '0.0.0.0/0', sourceKind: 'cidr', destination: 'lb', protocol: 'tcp', from: 443, to: 443 },
      { source: 'lb', sourceKind: 'service', destination: 'web', protocol: 'tcp', from: 80, to: 80 },
    ]);
    const state = () => readStateFile(path.join(dir, '.butter', 'mock', 'stacks', 'ws-dev', 'butter.tfstate'))
      .filter((r) => r.type === 'aws_vpc_security_group_ingress_rule')
      .map((r) => `${r.attributes.from_port} ${r.attributes.cidr_ipv4 ?? 'group'}`)
      .sort();
    expect(state()).toEqual(['443 0.0.0.0/0', '80 group']);
    expect(ingressRules()).toEqual(['tcp:443 from 0.0.0.0/0', 'tcp:80 from group']);

    // The seed's questions (has_access, internet_accessible, graph), asked of the Client and
    // answered from the deployed state, with the reachability module's explanations.
    const from = 'ws-dev from .butter/mock/stacks/ws-dev/butter.tfstate (butter deploy)';
    const lbToWeb = client.paths.hasAccess('lb', 'web', 80);
    expect(lbToWeb).toMatchObject({ allowed: true, from, warnings: [] });
    expect(lbToWeb.reason).toMatch(/^dev\/lb can reach dev\/web on tcp:80: allowed by /);
    expect(lbToWeb.rules).toHaveLength(1);
    const back = client.paths.hasAccess('web', 'lb', 80);
    expect(back.allowed).toBe(false);
    expect(back.reason).toContain('no rule admits tcp:80 from dev/web to dev/lb');
    // Service objects, as the seed passed them; and `internet` as a source.
    expect(client.paths.hasAccess(client.service.get('dev', 'lb'), client.service.get('dev', 'web'), 80).allowed).toBe(true);
    expect(client.paths.hasAccess('internet', 'lb', 443).allowed).toBe(true);
    expect(client.paths.internetAccessible('lb', 443)).toMatchObject({ allowed: true, admitted: true, publicAddress: true, internetRoute: true, from });
    const web443 = client.paths.internetAccessible('web', 443);
    expect(web443.allowed).toBe(false);
    expect(web443.reason).toMatch(/^dev\/web is not reachable from the internet on tcp:443: no rule admits tcp:443 from a public address/);
    const dot = client.graph();
    expect(dot).toMatch(/^digraph /);
    expect(dot).toContain('tcp:80');
    expect(dot).toContain('tcp:443');
    expect(await client.graph({ format: 'svg' })).toMatch(/<svg[\s\S]*tcp:443/);

    await client.paths.remove('0.0.0.0/0', 'lb', 443);
    expect(client.paths.internetAccessible('lb', 443).allowed).toBe(false);
    expect(state()).toEqual(['80 group']);
    expect(ingressRules()).toEqual(['tcp:80 from group']);
    expect(JSON.parse(fs.readFileSync(wsFile, 'utf8')).paths).toEqual([{ network: 'dev', source: 'lb', destination: 'web', port: 'tcp:80' }]);
  });

  test('mistakes are ButterErrors with a code and a hint, and change nothing', async () => {
    const before = fs.readFileSync(wsFile, 'utf8');
    const ledgerBefore = fs.readFileSync(ledgerFile);
    // Refused while synthesizing, after the service's subnets were planned.
    const huge = path.join(dir, 'huge.yml');
    fs.writeFileSync(huge, 'instance: {memory: 100000GB}\nimage: {name: "ubuntu/images/*"}\n');
    await expect(client.service.create('dev', 'huge', { blueprint: huge })).rejects.toMatchObject({ code: 'INSTANCE_NO_FIT' });
    await expect(client.network.create('dev')).rejects.toMatchObject({ code: 'NETWORK_EXISTS' });
    await expect(client.network.create('bad name')).rejects.toMatchObject({ code: 'NAME_INVALID' });
    await expect(client.service.create('deb', 'x', { blueprint: nginx })).rejects.toMatchObject({
      code: 'NETWORK_NOT_FOUND', hint: expect.stringContaining('did you mean "dev"?'),
    });
    await expect(client.service.create('dev', 'web', { blueprint: nginx })).rejects.toMatchObject({ code: 'SERVICE_EXISTS' });
    await expect(client.service.create('dev', 'x', { blueprint: path.join(dir, 'missing.yml') })).rejects.toMatchObject({ code: 'BLUEPRINT_NOT_FOUND' });
    await expect(client.paths.add('lb', 'web', 80)).rejects.toMatchObject({ code: 'PATH_EXISTS' });
    await expect(client.paths.add('lbb', 'web', 80)).rejects.toMatchObject({
      code: 'PATH_SOURCE_INVALID', hint: expect.stringContaining('did you mean "lb"?'),
    });
    await expect(client.paths.add('lb', 'wbe', 80)).rejects.toMatchObject({ code: 'SERVICE_NOT_FOUND', hint: expect.stringContaining('"web"') });
    await expect(client.paths.remove('lb', 'web', 81)).rejects.toMatchObject({ code: 'PATH_NOT_FOUND', hint: 'paths are: lb -> web tcp:80' });
    await expect(client.paths.add('lb', 'web', 'tcp:99999')).rejects.toMatchObject({ code: 'PORT_INVALID' });
    expect(() => client.service.get('dev', 'wbe')).toThrow(expect.objectContaining({ code: 'SERVICE_NOT_FOUND', hint: expect.stringContaining('did you mean "web"?') }));
    await expect(client.network.destroy('nope')).rejects.toMatchObject({ code: 'NETWORK_NOT_FOUND' });
    await expect(client.network.destroy('nope', { ifExists: true })).resolves.toBeUndefined();
    await expect(client.service.destroy('dev', 'nope', { ifExists: true })).resolves.toBeUndefined();
    expect(fs.readFileSync(wsFile, 'utf8')).toBe(before);
    expect(fs.readFileSync(ledgerFile).equals(ledgerBefore)).toBe(true);
  });

  test('a failed deploy leaves the workspace file and its ledger as they were and says what failed', async () => {
    const before = fs.readFileSync(wsFile, 'utf8');
    const ledgerBefore = fs.readFileSync(ledgerFile);
    const bad = path.join(dir, 'unknown-image.yml');
    fs.writeFileSync(bad, 'image:\n  name: "no-such-image-*"\n  owner: "123456789012"\n');
    const err = await client.service.create('dev', 'broken', { blueprint: bad }).catch((e) => e);
    expect(err.code).toBe('TERRAFORM_FAILED');
    expect(err.problem).toMatch(/^service create dev\/broken failed; the workspace file is unchanged\. terraform (plan|apply) failed/);
    expect(err.message).toMatch(/no-such-image/);
    expect(fs.readFileSync(wsFile, 'utf8')).toBe(before);
    expect(fs.readFileSync(ledgerFile).equals(ledgerBefore)).toBe(true);
    // What was deployed before is still there.
    expect(client.service.list('dev').map((s) => s.name)).toEqual(['lb', 'web']);
  });

  test('a workspace keeps its target: another one is refused while it holds networks', async () => {
    await expect(Client.open({ dir, target: 'mock-google' })).rejects.toMatchObject({
      code: 'WORKSPACE_TARGET_MISMATCH', file: wsFile, key: 'target',
    });
    await expect(Client.open({ dir, region: 'eu-west-1' })).rejects.toMatchObject({ code: 'WORKSPACE_TARGET_MISMATCH' });
  });

  test('service destroy takes its paths with it and leaves the other services and the network', async () => {
    const web = client.service.get('dev', 'web');
    await client.service.destroy('dev', 'lb');
    expect(client.service.list('dev')).toEqual([web]);
    expect(client.paths.list('dev')).toEqual([]);
    expect(ingressRules()).toEqual([]);
    const ws = JSON.parse(fs.readFileSync(wsFile, 'utf8'));
    expect(ws.paths).toEqual([]);
    expect(ws.services.map((s: any) => s.name)).toEqual(['web']);

    // Destroying the last service leaves the network.
    await client.service.destroy('dev', 'web');
    expect(client.network.get('dev').services).toEqual([]);
    await client.network.destroy('dev');
    expect(client.network.list()).toEqual([]);
  });
});

test('network create in a region the cloud does not have writes neither the workspace nor its ledger', async () => {
  const dir = tempDir('butter-client-region-');
  const client = await Client.open({ dir, region: 'us-east-99' });
  try {
    const err = await client.network.create('dev').catch((e) => e);
    expect(err.code).toMatch(/^TERRAFORM/);
    expect(fs.existsSync(workspaceLedger(dir))).toBe(false);
    expect(fs.existsSync(path.join(dir, WORKSPACE_FILE))).toBe(false);
  } finally {
    await client.close();
  }
});

describe('Client on the mock cloud (mock-google)', () => {
  test('a network and a service on Google: one regional subnet, instances over three zones', async () => {
    const dir = tempDir('butter-client-google-');
    const client = await Client.open({ dir, target: 'mock-google' });
    try {
      const net = await client.network.create('gnet');
      expect(net).toMatchObject({ name: 'gnet', cloud: 'google', stack: 'ws-gnet' });
      const web = await client.service.create('gnet', 'web', { blueprint: exampleBlueprint('aws-nginx'), count: 3 });
      expect(web.subnets).toHaveLength(1);
      expect(web.subnets[0].zone).toBe('us-central1');
      expect(new Set(web.instances.map((i) => i.zone))).toEqual(new Set(['us-central1-a', 'us-central1-b', 'us-central1-c']));
      await client.paths.add('internet', 'web', 80);
      expect(client.paths.list()).toEqual([{ source: '0.0.0.0/0', sourceKind: 'cidr', destination: 'web', protocol: 'tcp', from: 80, to: 80 }]);
      expect(JSON.parse(fs.readFileSync(path.join(dir, WORKSPACE_FILE), 'utf8'))).toMatchObject({ target: 'mock-google', region: 'us-central1', project: 'butter-mock' });
      await client.network.destroy('gnet');
      expect(client.network.list()).toEqual([]);
    } finally {
      await client.close();
      removeTempDirs();
    }
  });
});
