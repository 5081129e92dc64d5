import * as fs from 'node:fs';
import * as path from 'node:path';
import { outputFolder, readManifest, synthesizeApp } from '../../../src/deploy/synth';
import { tempDir } from '../../helpers/synth';
import { butterErrorOf, butterErrorOfAsync } from '../../helpers/errors';

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
});
