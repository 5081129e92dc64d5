import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILTIN_PROVIDERS, prepareMirror, terraformPlatform, unsimulatedTypes, assertSimulated } from '../../../src/mock';
import { launcherScript, mirrorLauncher } from '../../../src/mock/launch/mirror';
import { DEMO_ENTRY } from './fixtures/demo-provider';
import { scratch } from './helpers/terraform';

/** Mirror layout and the catalog, without running Terraform. */
describe('launch', () => {
  const { dir, cleanup } = scratch('launch');
  afterAll(cleanup);

  test('the mirror layout for the built-in providers, with a stable launcher and a CLI config', async () => {
    const command = { executable: '/usr/bin/node', args: ['/opt/butter bundle/provider.js'] };
    const mirror = await prepareMirror(path.join(dir, 'm'), { command, stateDir: '/var/state' });
    const platform = terraformPlatform();
    const aws = path.join(mirror.dir, 'registry.terraform.io/hashicorp/aws/6.25.0', platform, 'terraform-provider-aws_v6.25.0');
    const google = path.join(mirror.dir, 'registry.terraform.io/hashicorp/google/6.50.0', platform, 'terraform-provider-google_v6.50.0');
    expect(fs.readFileSync(aws, 'utf8')).toBe(launcherScript('aws'));
    expect(fs.statSync(google).mode & 0o111).not.toBe(0);
    // Nothing machine-specific in the hashed package: no absolute path at all.
    expect(launcherScript('aws')).not.toMatch(/\/(usr|tmp|home|opt|work)\//);
    const runner = fs.readFileSync(path.join(mirror.dir, 'butter-provider.sh'), 'utf8');
    expect(runner).toContain(`exec /usr/bin/node '/opt/butter bundle/provider.js' "$@"`);
    // Plugin starts go through the compiled launcher and its daemon's socket (launch-daemon.test.ts).
    expect(mirror.launcher).toBeDefined();
    const { executable, socket } = mirror.launcher!;
    expect(executable).toBe(path.join(mirror.dir, 'butter-launch'));
    expect(fs.statSync(executable).mode & 0o111).not.toBe(0);
    expect(runner).toContain(`  exec ${executable} ${socket} "$2" /usr/bin/node '/opt/butter bundle/provider.js'\n`);
    expect(runner).toContain('if [ "$1" = plugin ] && [ "${BUTTER_MOCK_LAUNCHER:-1}" != 0 ]; then');
    expect(fs.statSync(path.dirname(socket)).mode & 0o777).toBe(0o700);
    expect(socket.length).toBeLessThanOrEqual(100);
    expect(mirrorLauncher(mirror.dir)).toEqual(mirror.launcher);
    expect(runner).toContain(': "${BUTTER_MOCK_STATE_DIR:=/var/state}"');
    const rc = fs.readFileSync(mirror.cliConfigFile, 'utf8');
    expect(rc).toContain(`path    = ${JSON.stringify(mirror.dir)}`);
    expect(rc).toContain('exclude = ["registry.terraform.io/hashicorp/aws","registry.terraform.io/hashicorp/google"]');
    expect(mirror.env).toEqual({ TF_CLI_CONFIG_FILE: mirror.cliConfigFile });
  });

  test('without a C compiler there is no launcher: the runner starts the Node plugin', async () => {
    const command = { executable: '/usr/bin/node', args: ['x.js'] };
    const mirror = await prepareMirror(path.join(dir, 'nocc'), { providers: [DEMO_ENTRY], command, stateDir: '/s', launcher: { compiler: '/nonexistent/cc' } });
    expect(mirror.launcher).toBeUndefined();
    const runner = fs.readFileSync(path.join(mirror.dir, 'butter-provider.sh'), 'utf8');
    expect(runner).not.toContain('butter-launch');
    expect(mirrorLauncher(mirror.dir)).toBeUndefined();
    expect(runner).toContain('exec /usr/bin/node x.js "$@"');
    expect(fs.existsSync(path.join(mirror.dir, 'butter-launch'))).toBe(false);
    // A socket folder open to other users: no launcher either.
    const open = path.join(dir, 'open-sockets');
    fs.mkdirSync(open, { mode: 0o755 });
    fs.chmodSync(open, 0o755);
    const shared = await prepareMirror(path.join(dir, 'shared'), { providers: [DEMO_ENTRY], command, stateDir: '/s', launcher: { socketDir: open } });
    expect(shared.launcher).toBeUndefined();
  });

  test('the launcher is compiled once per source: preparing again keeps the binary', async () => {
    const command = { executable: '/usr/bin/node', args: ['x.js'] };
    const first = await prepareMirror(path.join(dir, 'cc'), { providers: [DEMO_ENTRY], command, stateDir: '/s' });
    const built = fs.statSync(first.launcher!.executable).mtimeMs;
    const second = await prepareMirror(path.join(dir, 'cc'), { providers: [DEMO_ENTRY], command, stateDir: '/s' });
    expect(fs.statSync(second.launcher!.executable).mtimeMs).toBe(built);
    expect(second.launcher!.socket).toBe(first.launcher!.socket);
    // Another entry point, another daemon.
    const other = await prepareMirror(path.join(dir, 'cc'), { providers: [DEMO_ENTRY], command: { ...command, args: ['y.js'] }, stateDir: '/s' });
    expect(other.launcher!.socket).not.toBe(first.launcher!.socket);
  });

  test('preparing again leaves unchanged files alone', async () => {
    const command = { executable: '/usr/bin/node', args: ['x.js'] };
    const first = await prepareMirror(path.join(dir, 'again'), { providers: [DEMO_ENTRY], command, stateDir: '/s' });
    const before = fs.statSync(first.cliConfigFile).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    await prepareMirror(path.join(dir, 'again'), { providers: [DEMO_ENTRY], command, stateDir: '/s' });
    expect(fs.statSync(first.cliConfigFile).mtimeMs).toBe(before);
  });

  test('types not simulated yet are found before Terraform runs', () => {
    const config = { resource: { mock_thing: {}, mock_other: {}, random_id: {} }, data: { mock_things: {}, mock_zones: {} } };
    expect(unsimulatedTypes(config, [DEMO_ENTRY])).toEqual([
      { provider: 'mock', kind: 'resource', type: 'mock_other' },
      { provider: 'mock', kind: 'data', type: 'mock_zones' },
    ]);
    expect(() => assertSimulated(config, [DEMO_ENTRY])).toThrow('the Butter mock cloud does not simulate mock_other, data source mock_zones yet [MOCK_UNSIMULATED_TYPE]');
    expect(() => assertSimulated({ resource: { mock_thing: {} } }, [DEMO_ENTRY])).not.toThrow();
  });

  test('the built-in providers load (empty until their simulations exist)', () => {
    for (const entry of BUILTIN_PROVIDERS) {
      const definition = entry.load();
      expect(definition.name).toBe(entry.name);
    }
  });
});
