import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensureTypeScriptLoader, findTypeScriptLoader, loadFixture } from '../../../src/tester/load';
import { butterErrorOf } from '../../helpers/errors';

/** Loading `blueprint_fixture.ts`: which export is the fixture, and what is refused. */
describe('loadFixture', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-fixture-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  let n = 0;
  /** A blueprint folder whose fixture file holds `source` (a new folder each time: require caches). */
  function folder(source?: string): string {
    const dir = path.join(root, `bp${++n}`);
    fs.mkdirSync(dir);
    if (source !== undefined) fs.writeFileSync(path.join(dir, 'blueprint_fixture.ts'), source);
    return dir;
  }

  const methods = `
    async setupBeforeTestedService() { return { Answer: 42 }; }
    async setupAfterTestedService() {}
    async verify() {}`;

  const caught = butterErrorOf;

  test('the default export class is constructed (TypeScript, with types)', async () => {
    const fixture = loadFixture(folder(`
      interface Vars { readonly [k: string]: unknown }
      export default class MyTest { public readonly made: number = Date.now(); ${methods} }
      export const unrelated: Vars = {};`));
    expect((fixture as any).made).toEqual(expect.any(Number));
    await expect(fixture.setupBeforeTestedService({} as any)).resolves.toEqual({ Answer: 42 });
  });

  test('without a default export, the export named BlueprintTest (the seed\'s name)', () => {
    const fixture = loadFixture(folder(`export class Other {}\nexport class BlueprintTest { kind = 'named'; ${methods} }`));
    expect((fixture as any).kind).toBe('named');
  });

  test('an exported object is used as it is', () => {
    const fixture = loadFixture(folder(`export default {
      clouds: ['google'],
      async setupBeforeTestedService() { return {}; },
      async setupAfterTestedService() {},
      async verify() {},
    };`));
    expect(fixture.clouds).toEqual(['google']);
  });

  test('a missing fixture file names the file', () => {
    const dir = folder();
    const e = caught(() => loadFixture(dir));
    expect(e.code).toBe('FIXTURE_NOT_FOUND');
    expect(e.file).toBe(path.join(dir, 'blueprint_fixture.ts'));
    expect(e.message).toMatch(/blueprint_fixture\.ts: blueprint test fixture not found \[FIXTURE_NOT_FOUND\]\n {2}fix: write blueprint_fixture\.ts/);
  });

  test('a fixture missing required methods names them', () => {
    const e = caught(() => loadFixture(folder('export default class T { async verify() {} }')));
    expect(e.code).toBe('FIXTURE_INVALID');
    expect(e.problem).toBe('the fixture does not implement setupBeforeTestedService, setupAfterTestedService');
  });

  test('no usable export', () => {
    const e = caught(() => loadFixture(folder('export class Something {}')));
    expect(e.code).toBe('FIXTURE_INVALID');
    expect(e.problem).toMatch(/no default export and no export named BlueprintTest/);
  });

  test('a fixture that throws while loading or constructing is FIXTURE_LOAD_FAILED with the reason', () => {
    const load = caught(() => loadFixture(folder(`throw new Error('cannot find the backends');`)));
    expect(load.code).toBe('FIXTURE_LOAD_FAILED');
    expect(load.problem).toBe('the fixture could not be loaded: cannot find the backends');
    expect((load as any).cause).toBeInstanceOf(Error);
    const ctor = caught(() => loadFixture(folder(`export default class T { constructor() { throw new Error('needs an argument'); } ${methods} }`)));
    expect(ctor.code).toBe('FIXTURE_LOAD_FAILED');
    expect(ctor.problem).toBe("the fixture's constructor failed: needs an argument");
  });

  test('a syntax error is reported with its place, in a few lines', () => {
    const dir = folder('export default class T {\n  async verify( {}\n}');
    const e = caught(() => loadFixture(dir));
    expect(e.code).toBe('FIXTURE_LOAD_FAILED');
    expect(e.problem).toContain('blueprint_fixture.ts:');
    expect(e.problem.split('\n').length).toBeLessThanOrEqual(4);
  });

  test('clouds must name aws and/or google', () => {
    const e = caught(() => loadFixture(folder(`export default class T { clouds = ['azure']; ${methods} }`)));
    expect(e.code).toBe('FIXTURE_INVALID');
    expect(e.key).toBe('clouds');
  });

  test('a CommonJS .js fixture is loaded as it is', () => {
    const dir = folder();
    fs.writeFileSync(path.join(dir, 'blueprint_fixture.js'), `module.exports = class T { constructor() { this.kind = 'js'; } ${methods} };`);
    expect((loadFixture(dir) as any).kind).toBe('js');
  });

  test('an .mjs fixture is loaded (a separate node process: jest cannot load ES modules synchronously)', () => {
    const dir = folder();
    fs.writeFileSync(path.join(dir, 'blueprint_fixture.mjs'), `export default class T { kind = 'mjs'; clouds = ['aws']; ${methods} }`);
    const repo = path.resolve(__dirname, '..', '..', '..');
    const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e',
      `const f = require('./src/tester/load.ts').loadFixture(${JSON.stringify(dir)}); console.log(f.kind, f.clouds.join())`], { cwd: repo, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('mjs aws');
  });

  test('two fixtures in one folder are refused by name', () => {
    const dir = folder(`export default class T { ${methods} }`);
    fs.writeFileSync(path.join(dir, 'blueprint_fixture.js'), 'module.exports = {};');
    const e = caught(() => loadFixture(dir));
    expect(e.code).toBe('FIXTURE_AMBIGUOUS');
    expect(e.problem).toBe('the blueprint folder has 2 fixtures: blueprint_fixture.ts, blueprint_fixture.js');
  });

  describe('TypeScript fixtures outside a TypeScript loader', () => {
    /** A project folder with a fake loader package in its node_modules. */
    function projectWith(pkg: 'tsx' | 'ts-node', registerBody: string): string {
      const dir = path.join(root, `project${++n}`);
      const pkgDir = path.join(dir, 'node_modules', pkg);
      fs.mkdirSync(pkgDir, { recursive: true });
      const manifest = pkg === 'tsx' ? { name: pkg, exports: { './cjs/api': './api.js' } } : { name: pkg, main: 'index.js' };
      fs.writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify(manifest));
      fs.writeFileSync(path.join(pkgDir, pkg === 'tsx' ? 'api.js' : 'index.js'), `exports.register = (options) => { ${registerBody} };`);
      return dir;
    }

    test('no tsx or ts-node where the fixture is: FIXTURE_LOADER_MISSING says what to install', () => {
      const empty = path.join(root, `empty${++n}`);
      fs.mkdirSync(empty);
      expect(findTypeScriptLoader([empty])).toBeUndefined();
      const e = caught(() => ensureTypeScriptLoader(path.join(empty, 'blueprint_fixture.ts'), [empty], false));
      expect(e.code).toBe('FIXTURE_LOADER_MISSING');
      expect(e.problem).toBe('the fixture is TypeScript and no TypeScript loader is installed');
      expect(e.hint).toBe('install one in your project (npm install --save-dev tsx, or ts-node), or write the fixture as blueprint_fixture.js');
    });

    test("the project's tsx is registered (before ts-node); ts-node with transpileOnly when it is the only one", () => {
      const tsx = projectWith('tsx', 'globalThis.__butterLoader = "tsx " + JSON.stringify(options);');
      fs.mkdirSync(path.join(tsx, 'node_modules', 'ts-node'));
      expect(findTypeScriptLoader([tsx])?.name).toBe('tsx');
      ensureTypeScriptLoader(path.join(tsx, 'blueprint_fixture.ts'), [tsx], false);
      expect((globalThis as any).__butterLoader).toBe('tsx undefined');
      const tsNode = projectWith('ts-node', 'globalThis.__butterLoader = "ts-node " + JSON.stringify(options);');
      ensureTypeScriptLoader(path.join(tsNode, 'blueprint_fixture.ts'), [tsNode], false);
      expect((globalThis as any).__butterLoader).toBe('ts-node {"transpileOnly":true,"compilerOptions":{"module":"commonjs"}}');
    });

    test('a loader that fails to start is FIXTURE_LOADER_FAILED naming it', () => {
      const broken = projectWith('tsx', 'throw new Error("esbuild binary missing");');
      const e = caught(() => ensureTypeScriptLoader(path.join(broken, 'blueprint_fixture.ts'), [broken], false));
      expect(e.code).toBe('FIXTURE_LOADER_FAILED');
      expect(e.problem).toBe('tsx could not be started to load the TypeScript fixture: esbuild binary missing');
    });

    test('under a running loader (jest here) nothing is registered', () => {
      const empty = path.join(root, `empty${++n}`);
      fs.mkdirSync(empty);
      expect(() => ensureTypeScriptLoader(path.join(empty, 'blueprint_fixture.ts'), [empty])).not.toThrow();
    });
  });
});
