import * as fs from 'node:fs';
import * as path from 'node:path';
import { butterErrorIn, outputFolder, readManifest, synthesizeApp } from '../../../src/deploy/synth';
import { ButterError } from '../../../src/errors';
import { tempDir } from '../../helpers/synth';
import { butterErrorOf, butterErrorOfAsync } from '../../helpers/errors';
import { isAlive } from '../../../src/util/process';

/** Where synthesized stacks are found: one rule for synth, deploy --no-synth and paths. */
describe('outputFolder', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('butter-outdir-')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cdktfJson = (text: string) => fs.writeFileSync(path.join(dir, 'cdktf.json'), text);

  test("cdktf.json's output, resolved against the project folder", () => {
    cdktfJson(JSON.stringify({ app: 'true', output: 'build/tf' }));
    expect(outputFolder(dir)).toBe(path.join(dir, 'build', 'tf'));
  });

  test("cdktf's default without an output key, or without cdktf.json at all", () => {
    expect(outputFolder(dir)).toBe(path.join(dir, 'cdktf.out'));
    cdktfJson(JSON.stringify({ app: 'true' }));
    expect(outputFolder(dir)).toBe(path.join(dir, 'cdktf.out'));
  });

  test('a cdktf.json that is not JSON is an error naming the file, not a silent default', () => {
    cdktfJson('{ "app": ');
    const e = butterErrorOf(() => outputFolder(dir));
    expect(e.code).toBe('CDKTF_JSON_INVALID');
    expect(e.file).toBe(path.join(dir, 'cdktf.json'));
  });

  test('a cdktf.json that is JSON but not an object is an error, not a crash', () => {
    for (const text of ['null', '[]', '42']) {
      cdktfJson(text);
      const e = butterErrorOf(() => outputFolder(dir));
      expect(e.code).toBe('CDKTF_JSON_INVALID');
      expect(e.file).toBe(path.join(dir, 'cdktf.json'));
    }
  });

  test('an output that is not a folder name is an error naming the key', () => {
    cdktfJson(JSON.stringify({ app: 'true', output: 42 }));
    const e = butterErrorOf(() => outputFolder(dir));
    expect(e.code).toBe('CDKTF_JSON_INVALID');
    expect(e.key).toBe('output');
  });

  test('synthesizeApp writes where outputFolder says, and needs a cdktf.json with an app', async () => {
    expect((await butterErrorOfAsync(synthesizeApp({ cwd: dir }))).code).toBe('CDKTF_JSON_MISSING');
    cdktfJson(JSON.stringify({ output: 'out' }));
    expect((await butterErrorOfAsync(synthesizeApp({ cwd: dir }))).key).toBe('app');
    // An app that writes an empty manifest where it is told (CDKTF_OUTDIR).
    cdktfJson(JSON.stringify({ app: `node -e "require('fs').mkdirSync(process.env.CDKTF_OUTDIR,{recursive:true});require('fs').writeFileSync(process.env.CDKTF_OUTDIR+'/manifest.json','{\\"stacks\\":{}}')"`, output: 'out' }));
    await expect(synthesizeApp({ cwd: dir })).resolves.toEqual([]);
    expect(readManifest(outputFolder(dir))).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'out', 'manifest.json'))).toBe(true);
  });

  test('an aborted synth kills the app with its children and rejects with the reason (graph --serve drops drawings no one waits for)', async () => {
    // An app whose shell starts a long child, as `npx tsx main.ts` does: killing the shell alone would leave it.
    cdktfJson(JSON.stringify({ app: 'sleep 60 & echo $! > child.pid; wait', output: 'out' }));
    const abort = new AbortController();
    const started = Date.now();
    const synth = synthesizeApp({ cwd: dir, signal: abort.signal });
    const pidFile = path.join(dir, 'child.pid');
    while (!fs.existsSync(pidFile) || fs.readFileSync(pidFile, 'utf8').trim() === '') await new Promise((r) => setTimeout(r, 20));
    const child = Number(fs.readFileSync(pidFile, 'utf8'));
    abort.abort(new Error('no one waits'));
    await expect(synth).rejects.toThrow('no one waits');
    expect(Date.now() - started).toBeLessThan(30_000);
    // Killed with its group (a zombie until init reaps it: its parent, the shell, is gone).
    const end = Date.now() + 5_000;
    while (isAlive(child) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(isAlive(child)).toBe(false);
    // Aborted before it starts: nothing runs.
    await expect(synthesizeApp({ cwd: dir, signal: AbortSignal.abort(new Error('already')) })).rejects.toThrow('already');
  });
});

describe('butterErrorIn: the ButterError an app stopped on, from its output', () => {
  const one = new ButterError('NETWORK_REGION_INVALID', 'region "mars" is not a aws region name', { hint: 'use a region such as us-east-1' });
  const several = ButterError.combine('BLUEPRINT_INVALID', [
    new ButterError('BLUEPRINT_INVALID_VALUE', 'expected a number', { file: 'b.yml', key: 'instance.cpus', line: 2, hint: 'write it like `cpus: 2`' }),
    new ButterError('BLUEPRINT_UNKNOWN_KEY', 'unknown key `memroy`', { file: 'b.yml', key: 'instance.memroy', line: 3, hint: 'did you mean `memory`?' }),
  ], { file: 'b.yml' });

  test.each([
    ['Butter\'s handler (error: ...)', one, (e: ButterError) => `npx tsx main.ts\nerror: ${e.message}\n(set BUTTER_DEBUG=1 to see where it was raised)\n`],
    ['Node\'s report (BUTTER_DEBUG=1)', one, (e: ButterError) => `/x/network.ts:181\n    throw new ButterError(\n          ^\n\nButterError: ${e.message}\n    at validateNetworkProps (/x/network.ts:181:11)\n`],
    ['several problems', several, (e: ButterError) => `error: ${e.message}\n(set BUTTER_DEBUG=1 to see where it was raised)\n`],
  ])('%s', (_what, error, output) => {
    const found = butterErrorIn(output(error))!;
    expect(found.code).toBe(error.code);
    expect(found.message).toBe(error.message);
    expect(found.issues.map((i) => i.code)).toEqual(error.issues.map((i) => i.code));
  });
});
