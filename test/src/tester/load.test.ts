import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadFixture } from '../../../src/tester/load';
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
});
