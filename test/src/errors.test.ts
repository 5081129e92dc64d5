/**
 * ButterError: several problems in one error, values cut short in messages, and (most of this
 * file) a ButterError that a user's app does not catch prints as its message, code and fix, with no
 * stack trace: run as a plain Node program (tsx) and through the real `npx cdktf synth`, which
 * shows the app's stderr. BUTTER_DEBUG=1 brings the trace back; other errors (bugs) keep theirs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ButterError, cut } from '../../src/errors';

const REPO = path.resolve(__dirname, '..', '..');

describe('ButterError.combine and cut', () => {
  const a = new ButterError('BLUEPRINT_UNKNOWN_KEY', 'unknown key `x`', { file: 'b.yml', key: 'x', line: 4, hint: 'remove it' });
  const b = new ButterError('BLUEPRINT_INVALID_VALUE', 'expected a number', { file: 'b.yml', key: 'y', line: 7 });

  test('one problem keeps its own error (and code); several become one error listing each', () => {
    expect(ButterError.combine('BLUEPRINT_INVALID', [a])).toBe(a);
    expect(a.message).toBe('b.yml:4: x: unknown key `x` [BLUEPRINT_UNKNOWN_KEY]\n  fix: remove it');
    const both = ButterError.combine('BLUEPRINT_INVALID', [a, b], { file: 'b.yml' });
    expect([both.code, both.issues]).toEqual(['BLUEPRINT_INVALID', [a, b]]);
    expect(both.message).toBe([
      'b.yml: 2 problems [BLUEPRINT_INVALID]',
      '  - line 4: x: unknown key `x` [BLUEPRINT_UNKNOWN_KEY]',
      '      fix: remove it',
      '  - line 7: y: expected a number [BLUEPRINT_INVALID_VALUE]',
    ].join('\n'));
  });

  test('at most 20 problems are kept', () => {
    const many = ButterError.combine('BLUEPRINT_INVALID', Array.from({ length: 25 }, () => b));
    expect(many.issues).toHaveLength(20);
    expect(many.problem).toBe('25 problems (the first 20 shown)');
  });

  test('cut: 80 characters and an ellipsis; a problem statement is never longer than 2000', () => {
    expect(cut('x'.repeat(81))).toBe(`${'x'.repeat(80)}…`);
    expect(cut('short')).toBe('short');
    expect(new ButterError('X', 'y'.repeat(1_000_000)).message.length).toBeLessThan(2100);
  });
});
const FRAME = /^\s+at /m;

/** A cdktf project whose app builds a Network in region "mars" (or throws a TypeError with BUG set). */
function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-uncaught-'));
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({
    language: 'typescript', app: 'npx tsx main.ts', output: 'cdktf.out', projectId: 'butter-uncaught-test',
    sendCrashReports: 'false', terraformProviders: [], terraformModules: [],
  }));
  fs.writeFileSync(path.join(dir, 'main.ts'), [
    "import { App, TerraformStack } from 'cdktf';",
    `import { Network } from ${JSON.stringify(path.join(REPO, 'constructs'))};`,
    'const app = new App();',
    "const stack = new TerraformStack(app, 's');",
    "if (process.env.BUG) throw new TypeError('a bug, not a ButterError');",
    "new Network(stack, 'dev', { cloud: 'aws', region: 'mars', addressLedger: false });",
    'app.synth();',
    '',
  ].join('\n'));
  return dir;
}

function run(dir: string, command: string, args: string[], env: Record<string, string> = {}) {
  const clean = { ...process.env, ...env };
  delete clean.JEST_WORKER_ID; // the app is a user's program, not a jest worker
  if (!env.BUTTER_DEBUG) delete clean.BUTTER_DEBUG;
  const r = spawnSync(command, args, { cwd: dir, env: clean, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stderr: r.stderr, out: `${r.stdout}${r.stderr}` };
}

const dir = project();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const tsx = path.join(REPO, 'node_modules', '.bin', 'tsx');

test('run as a program: the message, code and fix, no trace, exit code 1', () => {
  const r = run(dir, tsx, ['main.ts']);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe([
    'error: region "mars" is not a aws region name (in s/dev) [NETWORK_REGION_INVALID]',
    '  fix: use a region such as us-east-1',
    '(set BUTTER_DEBUG=1 to see where it was raised)',
    '',
  ].join('\n'));
});

test('BUTTER_DEBUG=1 shows the trace', () => {
  const r = run(dir, tsx, ['main.ts'], { BUTTER_DEBUG: '1' });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('[NETWORK_REGION_INVALID]');
  expect(r.stderr).toMatch(FRAME);
});

test('an error that is not a ButterError keeps its trace', () => {
  const r = run(dir, tsx, ['main.ts'], { BUG: '1' });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('TypeError: a bug, not a ButterError');
  expect(r.stderr).toMatch(FRAME);
});

test('through npx cdktf synth: the message, no trace', () => {
  const r = run(dir, 'npx', ['cdktf', 'synth'], { CHECKPOINT_DISABLE: '1', CI: '1' });
  expect(r.code).not.toBe(0);
  expect(r.out).toContain('region "mars" is not a aws region name (in s/dev) [NETWORK_REGION_INVALID]');
  expect(r.out).toContain('fix: use a region such as us-east-1');
  expect(r.out).not.toMatch(FRAME);
}, 120_000);
