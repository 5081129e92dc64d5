import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerPathsEditCommands } from '../../../src/cli/workspace-paths';
import { ServiceInfo } from '../../../src/inventory/types';
import { cidrContains, cidrOverlaps, parseCidr } from '../../../src/planning/ipv4';
import { butterIn, exampleBlueprint, json, removeTempDirs, tempDir } from '../client/helpers';

/**
 * The seed's service test through the CLI, against the mock cloud: two services of 3 and 6
 * instances over 3 zones in one network, with non-overlapping subnets; destroying one leaves
 * the other as it was. One workspace folder for the file; commands run in-process.
 */
describe('butter service', () => {
  const dir = tempDir('butter-cli-service-');
  const nginx = exampleBlueprint('aws-nginx');
  afterAll(async () => {
    await butterIn(dir, 'network', 'destroy', 'dev', '--if-exists');
    removeTempDirs();
  });

  /** `butter paths allow|revoke`, registered on a `paths` command as the CLI does. */
  async function paths(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const program = new Command('butter').option('-C, --dir <folder>', 'folder', dir).exitOverride();
    registerPathsEditCommands(program.command('paths'));
    let stdout = '';
    let stderr = '';
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += c.toString()), true));
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += c.toString()), true));
    try {
      await program.parseAsync(['node', 'butter', 'paths', ...args]);
      return { code: 0, stdout, stderr };
    } catch (e) {
      if (e instanceof CommanderError) return { code: 2, stdout, stderr };
      throw e;
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }

  let web: ServiceInfo;
  let api: ServiceInfo;

  test('--help on every command, exit 0', async () => {
    for (const args of [['service'], ['service', 'create'], ['service', 'list'], ['service', 'get'], ['service', 'destroy']]) {
      const r = await butterIn(dir, ...args, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: butter ${args.join(' ')} `));
    }
  });

  test('two services of 3 and 6 instances over 3 zones, with non-overlapping subnets in one network', async () => {
    expect((await butterIn(dir, 'network', 'create', 'dev')).code).toBe(0);
    const w = await butterIn(dir, 'service', 'create', 'dev', 'web', '--blueprint', nginx, '--count', '3', '--json');
    expect(w.code).toBe(0);
    web = json(w);
    api = json(await butterIn(dir, 'service', 'create', 'dev', 'api', '--blueprint', nginx, '--count', '6', '--json'));

    const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
    for (const [s, perZone] of [[web, 1], [api, 2]] as const) {
      expect(s.subnets.map((x) => x.zone)).toEqual(zones);
      expect(s.instances).toHaveLength(3 * perZone);
      for (const zone of zones) expect(s.instances.filter((i) => i.zone === zone)).toHaveLength(perZone);
      // Every instance's private IP is in the subnet of its zone.
      for (const i of s.instances) {
        const subnet = s.subnets.find((x) => x.zone === i.zone)!;
        expect(cidrContains(parseCidr(subnet.cidr), parseCidr(`${i.privateIp}/32`))).toBe(true);
      }
    }
    const network = parseCidr(json(await butterIn(dir, 'network', 'get', 'dev', '--json')).cidr);
    const subnets = [...web.subnets, ...api.subnets].map((x) => parseCidr(x.cidr));
    subnets.forEach((a, i) => {
      expect(cidrContains(network, a)).toBe(true);
      subnets.slice(i + 1).forEach((b) => expect(cidrOverlaps(a, b)).toBe(false));
    });
  });

  test('list and get, as tables and as JSON', async () => {
    expect(json(await butterIn(dir, 'service', 'list', '--json'))).toEqual([api, web]);
    expect(json(await butterIn(dir, 'service', 'get', 'dev', 'web', '--json'))).toEqual(web);

    const list = await butterIn(dir, 'service', 'list', 'dev');
    expect(list.stdout.trimEnd().split('\n').map((r) => r.split(/ {2,}/))).toEqual([
      ['NETWORK', 'SERVICE', 'INSTANCES', 'ZONES', 'SUBNETS'],
      ['dev', 'api', '6/6', 'us-east-1a,us-east-1b,us-east-1c', api.subnets.map((s) => s.cidr).join(',')],
      ['dev', 'web', '3/3', 'us-east-1a,us-east-1b,us-east-1c', web.subnets.map((s) => s.cidr).join(',')],
    ]);

    const get = await butterIn(dir, 'service', 'get', 'dev', 'web');
    expect(get.code).toBe(0);
    expect(get.stdout).toMatch(/^service web in network dev: 3 of 3 instances\nSUBNET +ZONE +CIDR\n/);
    for (const s of web.subnets) expect(get.stdout).toMatch(new RegExp(`^${s.id} +${s.zone} +${s.cidr.replace(/\./g, '\\.')}$`, 'm'));
    for (const i of web.instances) expect(get.stdout).toMatch(new RegExp(`^${i.id} +${i.zone} +${i.privateIp!.replace(/\./g, '\\.')} +- +running$`, 'm'));
    expect(get.stdout).toMatch(/^allowed in: nothing \(no path leads to it\)$/m);
  });

  test('paths allow and revoke (on the `paths` command) deploy the change', async () => {
    const allowed = await paths('allow', 'api', 'web', '80');
    expect(allowed.stdout).toBe('allowed: service api -> web on tcp:80\n');
    expect(allowed.stderr).not.toContain('warning');
    // api's instances have no public address (aws-nginx: public_ip False): the path admits nothing, and says so.
    const internet = await paths('allow', 'internet', 'api', 'tcp:443', '--network', 'dev');
    expect(internet.stdout).toBe('allowed: internet -> api on tcp:443\n');
    expect(internet.stderr).toContain('warning: this path admits nothing yet: api has no public address, so nothing from internet can reach it '
      + '(give its instances one with instance.public_ip: true in its blueprint)\n');
    expect((await butterIn(dir, 'service', 'get', 'dev', 'web')).stdout).toMatch(/^allowed in: api on tcp:80$/m);
    expect((await paths('revoke', 'internet', 'api', '443')).stdout).toBe('revoked: internet -> api on tcp:443\n');
    expect(json(await butterIn(dir, 'network', 'get', 'dev', '--json')).paths).toEqual([
      { source: 'api', sourceKind: 'service', destination: 'web', protocol: 'tcp', from: 80, to: 80 },
    ]);
    expect((await paths('allow', 'api', 'web', 'tcp:http')).code).toBe(2);
    expect((await paths('allow', 'api', 'web', '0')).code).toBe(2); // port 0 reaches nothing
    expect((await paths('allow', 'api', 'web', 'udp:0')).code).toBe(2);
  });

  test('mistakes: unknown network exit 1 with a suggestion; bad --var, --count or missing --blueprint exit 2', async () => {
    const net = await butterIn(dir, 'service', 'create', 'dve', 'db', '--blueprint', nginx);
    expect(net.code).toBe(1);
    expect(net.stderr).toMatch(/no network named "dve" in the workspace \[NETWORK_NOT_FOUND\]\n {2}fix: did you mean "dev"\?/);
    const v = await butterIn(dir, 'service', 'create', 'dev', 'db', '--blueprint', nginx, '--var', 'Private-Ips=[1]');
    expect(v.code).toBe(2);
    expect(v.stderr).toContain('"Private-Ips" is not a template variable name [VAR_INVALID]');
    const undeclared = await butterIn(dir, 'service', 'create', 'dev', 'db', '--blueprint', nginx, '--var', 'Colour=blue');
    expect(undeclared.code).toBe(1);
    expect(undeclared.stderr).toMatch(/Colour is not declared by any initialization script/);
    expect((await butterIn(dir, 'service', 'create', 'dev', 'db', '--blueprint', nginx, '--count', 'three')).code).toBe(2);
    expect((await butterIn(dir, 'service', 'create', 'dev', 'db')).code).toBe(2);
    const get = await butterIn(dir, 'service', 'get', 'dev', 'wbe');
    expect(get.code).toBe(1);
    expect(get.stderr).toMatch(/fix: did you mean "web"\?/);
    expect(json(await butterIn(dir, 'service', 'list', '--json')).map((s: ServiceInfo) => s.name)).toEqual(['api', 'web']);
  });

  test('hostile input: a device as blueprint, a FIFO as --var-file, a script outside the folder: exit 1, no trace, nothing written', async () => {
    const files = ['butter.workspace.json', 'butter.workspace.lock.json'].map((f) => path.join(dir, f));
    const before = files.map((f) => fs.readFileSync(f, 'utf8'));
    const fifo = path.join(dir, 'vars-fifo.yml');
    execFileSync('mkfifo', [fifo]);
    const outside = path.join(dir, 'outside', 'blueprint.yml');
    fs.mkdirSync(path.dirname(outside), { recursive: true });
    fs.writeFileSync(outside, 'image: {name: "ubuntu/images/*"}\ninitialization:\n  - path: ../../../../../../etc/passwd\n');
    const cases: Array<[string[], string, string]> = [
      [['--blueprint', '/dev/zero'], '/dev/zero: the blueprint is a device, not a regular file', 'BLUEPRINT_UNREADABLE'],
      [['--blueprint', nginx, '--var-file', fifo], 'the variables file is a FIFO (named pipe), not a regular file', 'VAR_FILE_INVALID'],
      [['--blueprint', outside], 'initialization[0].path: startup script "../../../../../../etc/passwd" is outside the blueprint\'s folder', 'BLUEPRINT_SCRIPT_OUTSIDE'],
    ];
    for (const [args, message, code] of cases) {
      const r = await butterIn(dir, 'service', 'create', 'dev', 'evil', ...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain(`[${code}]`);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stderr).not.toContain('root:');
    }
    expect(files.map((f) => fs.readFileSync(f, 'utf8'))).toEqual(before);
  });

  test('--var-file and --var values reach the startup script as YAML values', async () => {
    const vars = path.join(dir, 'vars.yml');
    fs.writeFileSync(vars, 'PrivateIps: [10.9.9.9]\n');
    const r = await butterIn(dir, 'service', 'create', 'dev', 'lb', '--blueprint', exampleBlueprint('aws-haproxy'), '--count', '1',
      '--var-file', 'vars.yml', '--var', 'PrivateIps=[10.0.0.7, 10.0.0.8]', '--json');
    expect(r.code).toBe(0);
    const ws = JSON.parse(fs.readFileSync(path.join(dir, 'butter.workspace.json'), 'utf8'));
    // --var wins over --var-file; the file is resolved in -C's folder.
    expect(ws.services.find((s: any) => s.name === 'lb').vars).toEqual({ PrivateIps: ['10.0.0.7', '10.0.0.8'] });
  });

  test('destroying one service takes its paths and leaves the other exactly as it was', async () => {
    expect((await butterIn(dir, 'service', 'destroy', 'dev', 'lb')).code).toBe(0);
    const r = await butterIn(dir, 'service', 'destroy', 'dev', 'web');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('service dev/web: destroyed, with 1 path (api -> web tcp:80)\n');
    expect(json(await butterIn(dir, 'service', 'list', 'dev', '--json'))).toEqual([api]);
    const gone = await butterIn(dir, 'service', 'get', 'dev', 'web');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/no service named "web" is deployed in network "dev" \[SERVICE_NOT_FOUND\]\n {2}fix: services are: api/);
    expect((await butterIn(dir, 'service', 'destroy', 'dev', 'web')).code).toBe(1);
    expect((await butterIn(dir, 'service', 'destroy', 'dev', 'web', '--if-exists')).code).toBe(0);
  });
});
