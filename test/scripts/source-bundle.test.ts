import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers/synth';

// The checkout's runner of its TypeScript sources (bin/butter, the examples' cdktf app).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sourceModule } = require('../../scripts/source-bundle.js') as { sourceModule(entry: string): Promise<string> };

/** Load a bundle as Node would (jest's own module registry would transform it again). */
function load(file: string): Record<string, unknown> {
  const m = { exports: {} as Record<string, unknown> };
  // eslint-disable-next-line no-new-func
  new Function('module', 'exports', 'require', fs.readFileSync(file, 'utf8'))(m, m.exports, require);
  return m.exports;
}

describe('scripts/source-bundle.js', () => {
  const made: string[] = [];
  afterAll(() => made.forEach((f) => fs.rmSync(f, { force: true })));

  async function bundle(entry: string): Promise<string> {
    const out = await sourceModule(entry);
    made.push(out, out.replace(/\.js$/, '.inputs.json'));
    return out;
  }

  test('each source keeps its own __dirname; a changed or new source file rebuilds the bundle, an unchanged one is reused', async () => {
    const dir = tempDir('butter-source-bundle-');
    const entry = path.join(dir, 'entry.ts');
    fs.writeFileSync(path.join(dir, 'helper.ts'), 'export const where: string = __dirname;\n');
    fs.writeFileSync(entry, "import { where } from './helper';\nexport const value: number = 1;\nexport const helperDir = where;\n");

    const out = await bundle(entry);
    // Outside the checkout (a test's cdktf project), the bundle stays beside its entry.
    expect(out).toBe(path.join(dir, '.source-bundle', 'entry.js'));
    expect(load(out)).toMatchObject({ value: 1, helperDir: dir });

    const built = fs.statSync(out).mtimeMs;
    expect(await bundle(entry)).toBe(out);
    expect(fs.statSync(out).mtimeMs).toBe(built); // fresh: not rebuilt

    fs.writeFileSync(entry, "import { where } from './helper';\nexport const value: number = 2;\nexport const helperDir = where;\n");
    expect(load(await bundle(entry)).value).toBe(2);

    // A file appearing next to the sources may change what an import resolves to.
    const rebuilt = fs.statSync(out).mtimeMs;
    fs.writeFileSync(path.join(dir, 'helper.js'), 'exports.where = "shadow";\n');
    fs.utimesSync(dir, new Date(), new Date(Date.now() + 5000));
    await bundle(entry);
    expect(fs.statSync(out).mtimeMs).not.toBe(rebuilt); // the folder changed: built again
    expect(load(out).helperDir).toBe(dir); // (and helper.ts still wins over helper.js)
  });
});
