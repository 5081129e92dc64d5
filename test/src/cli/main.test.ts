import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { butterVersion } from '../../../src/cli/main';
import { butterInProcess as butter, REPO } from './helpers';

/** The CLI's conventions: usage errors exit 2 with one usage line and a pointer to --help; --version. */
describe('butter usage errors', () => {
  test.each([
    [['deploy', '--frobnicate'], "error: unknown option '--frobnicate'", 'usage: butter deploy [options] [stacks...]', 'butter deploy --help'],
    [['paths', 'check', 'lb'], "error: missing required argument 'destination'", 'usage: butter paths check [options] <source> <destination> <port>', 'butter paths check --help'],
    [['graph', '--format', 'png'], "error: option '--format <format>' argument 'png' is invalid", 'usage: butter graph [options] [stacks...]', 'butter graph --help'],
    [['nosuch'], "error: unknown command 'nosuch'", 'usage: butter [options] [command]', 'butter --help'],
  ])('%j: exit 2, the error, one usage line, where the help is', async (args, error, usage, help) => {
    const r = await butter(...args);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toContain(error);
    expect(lines).toContain(usage);
    expect(lines[lines.length - 1]).toBe(`run \`${help}\` for the options and commands`);
    expect(r.stderr).not.toContain('Options:'); // not the whole help
    expect(lines.length).toBeLessThanOrEqual(4);
  });

  test('a command group without (or with an unknown) command: exit 2 and its commands, not the whole help', async () => {
    for (const [args, problem] of [[['mock'], 'a command is needed'], [['mock', 'frob'], "unknown command 'frob'"]] as const) {
      const r = await butter(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`error: ${problem}: \`butter mock\` takes setup, status, restore, reset [CLI_USAGE]`);
      expect(r.stderr).toContain('run `butter mock --help`');
      expect(r.stderr).not.toContain('Options:');
    }
  });

  test('options that contradict each other are a usage error too (exit 2)', async () => {
    const r = await butter('mock', 'setup', '--json', '--shell');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--shell and --json cannot be combined [CLI_USAGE]');
  });

  test('port 0 is refused where a port is given (exit 2)', async () => {
    const r = await butter('paths', 'check', 'lb', 'web', '0', '--no-synth');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('port 0 is not a port traffic can use [PORT_INVALID]');
  });

  test('--version prints the package\'s version; --help still exits 0', async () => {
    const version = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;
    for (const flag of ['--version', '-V']) {
      const r = await butter(flag);
      expect(r).toMatchObject({ code: 0, stdout: `${version}\n` });
    }
    expect((await butter('--help')).code).toBe(0);
  });

  test('the version is found from the installed layout too (dist/src/cli), past package.json files of other packages', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-version-'));
    const pkg = path.join(root, 'node_modules', 'butter-cdktf');
    const cli = path.join(pkg, 'dist', 'src', 'cli');
    fs.mkdirSync(cli, { recursive: true });
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'users-app', version: '9.9.9' }));
    fs.writeFileSync(path.join(pkg, 'dist', 'package.json'), 'not json');
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'butter-cdktf', version: '1.2.3' }));
    expect(butterVersion(cli)).toBe('1.2.3');
    fs.rmSync(path.join(pkg, 'package.json'));
    expect(butterVersion(cli)).toBe('unknown'); // never the user's own version, never an exception
  });
});
