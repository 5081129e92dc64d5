import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { Network, Service, Path, Internet, Port, CidrBlock } from '../../../constructs';
import { mockStateFile, mockWorkdir } from '../../../src/deploy/deploy';
import { MockProject } from '../deploy/helpers';
import { googleServiceBody, serviceBody, tempDir, writeBlueprint } from '../../helpers/synth';
import { runButter, butterInProcess as butter } from './helpers';

/**
 * `butter paths list|check|exposure` on a small project: an AWS stack (deployed to the mock
 * cloud once, for `--deployed` and `--state`) and a Google stack (synthesized only).
 */
describe('butter paths', () => {
  let project: MockProject;
  let dir: string;
  const bpDir = tempDir('butter-cli-paths-bp-');
  const priv = writeBlueprint(bpDir, 'private', serviceBody());
  const pub = writeBlueprint(bpDir, 'public', serviceBody({ instance: { public_ip: true, memory: '4GB', cpus: 1 } }));
  const gce = writeBlueprint(bpDir, 'gce', googleServiceBody());

  const build = (app: App) => {
    const aws = new Network(new TerraformStack(app, 'shop'), 'dev', { cloud: 'aws', region: 'eu-west-1', addressLedger: false });
    const lb = new Service(aws, 'lb', { blueprint: pub, count: 1 });
    const web = new Service(aws, 'web', { blueprint: priv, count: 1 });
    const db = new Service(aws, 'db', { blueprint: priv, count: 1 });
    new Path(Internet, lb, 443);
    new Path(lb, web, 80);
    new Path(web, db, Port.tcp(5432));
    new Path(new CidrBlock('10.0.0.0/8'), web, Port.tcpRange(8000, 8080));
    const google = new Network(new TerraformStack(app, 'ops'), 'ops', { cloud: 'google', region: 'us-central1', project: 'butter-test', addressLedger: false });
    const dns = new Service(google, 'dns', { blueprint: gce, count: 1 });
    new Path(new CidrBlock('10.0.0.0/8'), dns, Port.udp(53));
  };

  beforeAll(async () => {
    project = await MockProject.create();
    dir = project.dir;
    await project.run('deploy', build, ['shop']);
  });
  afterAll(async () => {
    await project?.close();
    fs.rmSync(bpDir, { recursive: true, force: true });
  });

  test('list: a table of every flow, from the synthesized stacks of both clouds', async () => {
    const r = await butter('-C', dir, 'paths', 'list', '--no-synth');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SOURCE +DESTINATION +PROTOCOL +PORTS +RULE$/);
    const rows = lines.slice(1).map((l) => l.split(/ +/));
    expect(rows.map((c) => c.slice(0, 4))).toEqual([
      ['dev/web', 'dev/db', 'tcp', '5432'],
      ['0.0.0.0/0', 'dev/lb', 'tcp', '443'],
      ['10.0.0.0/8', 'dev/web', 'tcp', '8000-8080'],
      ['dev/lb', 'dev/web', 'tcp', '80'],
      ['10.0.0.0/8', 'ops/dns', 'udp', '53'],
    ]);
    expect(rows[0][4]).toMatch(/^aws_vpc_security_group_ingress_rule\./);
    expect(rows[4][4]).toMatch(/^google_compute_firewall\./);
  });

  test('list [stacks...] and --json', async () => {
    const r = await butter('-C', dir, 'paths', 'list', 'ops', '--no-synth', '--json');
    expect(r.code).toBe(0);
    const flows = JSON.parse(r.stdout);
    expect(flows).toEqual([expect.objectContaining({
      source: '10.0.0.0/8', sourceKind: 'cidr', destination: 'ops/dns', network: 'ops', port: 'udp:53', protocol: 'udp', from: 53, to: 53,
      rule: expect.stringMatching(/^google_compute_firewall\./),
    })]);
    const unknown = await butter('-C', dir, 'paths', 'list', 'nosuch', '--no-synth');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no stack named "nosuch" [STACK_UNKNOWN]');
  });

  test('check: allowed prints the reason and exits 0; denied exits 1 with the reason and a fix', async () => {
    const ok = await butter('-C', dir, 'paths', 'check', 'dev/lb', 'dev/web', '80', '--no-synth');
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toMatch(/^allowed: dev\/lb can reach dev\/web on tcp:80: allowed by aws_vpc_security_group_ingress_rule\.\S+ \(tcp:80 from dev\/lb\)\n$/);

    // Bare names, when one network has that service.
    const denied = await butter('-C', dir, 'paths', 'check', 'web', 'lb', '80', '--no-synth');
    expect(denied.code).toBe(1);
    expect(denied.stdout).toMatch(/^denied: no rule admits tcp:80 from dev\/web to dev\/lb; rules for dev\/lb admit tcp:443 from 0\.0\.0\.0\/0\n$/);
    expect(denied.stderr).toBe('error: web cannot reach dev/lb on tcp:80 [PATH_DENIED]\n  fix: add a Path from web to dev/lb on tcp:80 if this traffic should be allowed\n');

    // A CIDR source and a port range: contained in the rule's block and range.
    expect((await butter('-C', dir, 'paths', 'check', '10.1.2.3', 'web', 'tcp:8000-8010', '--no-synth')).code).toBe(0);
    expect((await butter('-C', dir, 'paths', 'check', '10.1.2.3', 'web', 'tcp:7999-8010', '--no-synth')).code).toBe(1);
    expect((await butter('-C', dir, 'paths', 'check', 'ops/dns', 'dev/web', 'udp:53', '--no-synth')).stdout).toMatch(/^denied: ops\/dns and dev\/web are in different networks/);
  });

  test('check internet: the rules, a public address and a route', async () => {
    const lb = await butter('-C', dir, 'paths', 'check', 'internet', 'lb', '443', '--no-synth');
    expect(lb.code).toBe(0);
    expect(lb.stdout).toMatch(/^allowed: dev\/lb is reachable from the internet on tcp:443/);
    const web = await butter('-C', dir, 'paths', 'check', 'internet', 'dev/web', '8080', '--no-synth', '--json');
    expect(web.code).toBe(1);
    const verdict = JSON.parse(web.stdout);
    expect(verdict).toMatchObject({ allowed: false, source: 'internet', destination: 'dev/web', port: 'tcp:8080', rules: [] });
    expect(verdict.reason).toContain('it has no public address');
    expect(web.stderr).toContain('the internet cannot reach dev/web on tcp:8080 [PATH_DENIED]');
  });

  test('check: usage errors exit 2, unknown services exit 1 with a suggestion', async () => {
    const badPort = await butter('-C', dir, 'paths', 'check', 'lb', 'web', 'http', '--no-synth');
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('"http" is not a port [PORT_INVALID]');
    expect((await butter('-C', dir, 'paths', 'check', 'lb', '--no-synth')).code).toBe(2);
    expect((await butter('-C', dir, 'paths', 'check', 'lb', 'web', '80', '--state', 'x', '--deployed')).code).toBe(2);
    const typo = await butter('-C', dir, 'paths', 'check', 'lbb', 'web', '80', '--no-synth');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/no service "lbb" in networks dev, ops \[REACHABILITY_UNKNOWN_SERVICE\]\n {2}fix: did you mean dev\/lb\?/);
  });

  test('exposure: what the internet reaches, and what public rules cannot expose', async () => {
    const r = await butter('-C', dir, 'paths', 'exposure', '--no-synth');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SERVICE +PORTS +PUBLIC IPS\ndev\/lb +tcp:443 +-\n$/);
    const json = JSON.parse((await butter('-C', dir, 'paths', 'exposure', '--no-synth', '--json')).stdout);
    expect(json.exposed).toEqual([expect.objectContaining({ service: 'dev/lb', ports: ['tcp:443'] })]);
    expect(json.notExposed).toEqual([]);
  });

  test('--deployed reads the mock deployment: the same flows as synthesized, and now the public IPs', async () => {
    const synthesized = JSON.parse((await butter('-C', dir, 'paths', 'list', 'shop', '--no-synth', '--json')).stdout);
    const deployed = await butter('-C', dir, 'paths', 'list', '--deployed', '--json');
    expect(deployed.code).toBe(0);
    // Only the deployed stack (shop), with the very same rules; it says which state it read, and
    // that the other synthesized stack has none (never "nothing deployed" for a stack with state).
    expect(JSON.parse(deployed.stdout)).toEqual(synthesized);
    expect(deployed.stderr).toContain('read deployed on the mock cloud: shop from .butter/mock/stacks/shop/butter.tfstate (butter deploy)\n');
    expect(deployed.stderr).toMatch(/^stack ops: no state \(looked in \.butter\/mock\/stacks\/ops\/butter\.tfstate, .*terraform\.ops\.tfstate\)$/m);
    expect(synthesized).toHaveLength(4);

    const exposure = await butter('-C', dir, 'paths', 'exposure', '--deployed');
    expect(exposure.stdout).toMatch(/^dev\/lb +tcp:443 +\d+\.\d+\.\d+\.\d+$/m);
    const graph = await butter('-C', dir, 'graph', '--deployed');
    expect(graph.code).toBe(0);
    expect(graph.stderr).toContain('read deployed on the mock cloud: shop from .butter/mock/stacks/shop/butter.tfstate (butter deploy)\n');
    expect(graph.stdout).toMatch(/^digraph /);
    expect(graph.stdout).toContain('tcp:443');

    const notDeployed = await butter('-C', dir, 'paths', 'list', 'ops', '--deployed');
    expect(notDeployed.code).toBe(1);
    expect(notDeployed.stderr).toContain('stack "ops" is not deployed on the mock cloud [STACK_NOT_DEPLOYED]\n  fix: deployed stacks are: shop');
    // A real deployment's state (cdktf's terraform.<stack>.tfstate) does not exist here.
    const real = await butter('-C', dir, 'paths', 'list', '--deployed', '--no-mock');
    expect(real.code).toBe(1);
    expect(real.stderr).toContain('[NOTHING_DEPLOYED]');
  });

  test('--state reads a state file (here the mock deployment\'s), wherever it is', async () => {
    const copy = path.join(tempDir('butter-cli-paths-state-'), 'shop.tfstate');
    fs.copyFileSync(mockStateFile(dir, 'shop'), copy);
    const r = await butter('paths', 'check', 'dev/web', 'dev/db', '5432', '--state', copy);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^allowed: dev\/web can reach dev\/db on tcp:5432/);
    // ...or `terraform show -json` (what a real deployment's state looks like from a remote backend).
    // Not spawnSync: the mock cloud answering Terraform runs in this very process.
    const show = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile('terraform', ['show', '-json', '-no-color', path.basename(mockStateFile(dir, 'shop'))], {
        cwd: mockWorkdir(dir, 'shop'), maxBuffer: 64 << 20, env: { ...process.env, ...project.env, TF_CLI_CONFIG_FILE: path.join(dir, '.butter', 'mock', 'terraform.rc'), CHECKPOINT_DISABLE: '1' },
      }, (e, stdout, stderr) => resolve({ code: e ? (e as any).code ?? 1 : 0, stdout, stderr }));
    });
    expect(show).toMatchObject({ code: 0, stderr: '' });
    const showFile = path.join(path.dirname(copy), 'show.json');
    fs.writeFileSync(showFile, show.stdout);
    const fromShow = await butter('paths', 'list', '--json', '--state', showFile);
    expect(fromShow.code).toBe(0);
    const fromFile = await butter('paths', 'list', '--json', '--state', copy);
    expect(JSON.parse(fromShow.stdout)).toEqual(JSON.parse(fromFile.stdout));
    expect(JSON.parse(fromShow.stdout)).toHaveLength(4);

    fs.writeFileSync(copy, '{"not": "a state"}');
    const bad = await butter('paths', 'list', '--state', copy);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('neither a Terraform state (format version 4) nor `terraform show -json` output [STATE_INVALID]');
    fs.rmSync(path.dirname(copy), { recursive: true, force: true });
  });

  test('what the model leaves out is a warning on stderr, for paths and graph alike', async () => {
    const copy = path.join(tempDir('butter-cli-paths-warn-'), 'shop.tfstate');
    const state = JSON.parse(fs.readFileSync(mockStateFile(dir, 'shop'), 'utf8'));
    const rule = state.resources.find((r: { type: string }) => r.type === 'aws_vpc_security_group_ingress_rule');
    rule.instances[0].attributes.ip_protocol = '50'; // ESP: not analysed
    fs.writeFileSync(copy, JSON.stringify(state));
    for (const args of [['paths', 'list'], ['paths', 'exposure'], ['graph', '--format', 'dot']]) {
      const r = await butter(...args, '--state', copy);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^warning: .* is left out: protocol 50 .* are not analysed/m);
    }
    fs.rmSync(path.dirname(copy), { recursive: true, force: true });
  });

  test('the real command: exit codes 0 and 1 for scripts', () => {
    const ok = runButter(dir, 'paths', 'check', 'internet', 'dev/lb', '443', '--deployed');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^allowed: /);
    const no = runButter(dir, 'paths', 'check', 'dev/db', 'dev/web', '80', '--deployed');
    expect(no.code).toBe(1);
    expect(no.stdout).toMatch(/^denied: /);
    expect(no.stderr).toContain('[PATH_DENIED]');
    expect(no.stderr).not.toMatch(/\n\s+at /);
  });

  test('nothing synthesized or deployed yet: clear errors', async () => {
    const empty = tempDir('butter-cli-paths-empty-');
    try {
      const r = await butter('-C', empty, 'paths', 'list', '--no-synth');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/nothing is synthesized in .*cdktf\.out \[SYNTH_OUTPUT_MISSING\]\n {2}fix: run `butter synth` first, or leave out --no-synth/);
      const d = await butter('-C', empty, 'paths', 'exposure', '--deployed');
      expect(d.stderr).toContain('no deployed stack on the mock cloud (no synthesized stack, no state file) [NOTHING_DEPLOYED]');
      const s = await butter('-C', empty, 'paths', 'list');
      expect(s.stderr).toContain('[CDKTF_JSON_MISSING]');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
