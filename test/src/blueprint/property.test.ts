/**
 * Property test: valid blueprints (the examples and the good fixtures), mutated the ways a
 * careless or hostile author would (keys dropped, duplicated, renamed or retyped, random
 * scalars, deep nesting, anchors and aliases, long strings, stray characters), either load or
 * fail with a ButterError: never another exception, and never slowly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import * as yaml from 'js-yaml';
import { clearBlueprintCache, loadNetworkBlueprint, loadServiceBlueprint } from '../../../src/blueprint/load';
import { ButterError } from '../../../src/errors';
import { tempDir } from '../../helpers/synth';

const REPO = path.resolve(__dirname, '..', '..', '..');

/** Each valid blueprint copied with its folder (scripts included) into a temp folder. */
const sources = (() => {
  const work = tempDir('butter-property-');
  const out: Array<{ kind: 'service' | 'network'; file: string; text: string }> = [];
  const add = (folder: string, name: string, kind: 'service' | 'network') => {
    const copy = path.join(work, `${out.length}`);
    fs.cpSync(folder, copy, { recursive: true });
    const file = path.join(copy, name);
    out.push({ kind, file, text: fs.readFileSync(file, 'utf8') });
  };
  for (const name of fs.readdirSync(path.join(REPO, 'example-blueprints'))) {
    const folder = path.join(REPO, 'example-blueprints', name);
    if (fs.existsSync(path.join(folder, 'blueprint.yml'))) add(folder, 'blueprint.yml', /network/.test(name) ? 'network' : 'service');
  }
  const good = path.join(REPO, 'test', 'fixtures', 'blueprints', 'good');
  for (const name of fs.readdirSync(good).filter((n) => n.endsWith('.yml'))) add(good, name, name.startsWith('network') ? 'network' : 'service');
  return out;
})();

/** Load `text` as blueprint `n` (written over its copy); return what was thrown, if anything. */
function loadText(n: number, text: string): unknown {
  const { file, kind } = sources[n];
  fs.writeFileSync(file, text);
  clearBlueprintCache();
  const t0 = Date.now();
  try {
    (kind === 'network' ? loadNetworkBlueprint : loadServiceBlueprint)(file);
    return undefined;
  } catch (e) {
    return e;
  } finally {
    // "never slowly": one load of a file of at most a few hundred KB stays well under this.
    expect(Date.now() - t0).toBeLessThan(3000);
  }
}

function expectButterErrorOrNothing(thrown: unknown): void {
  if (thrown === undefined) return;
  if (!(thrown instanceof ButterError)) throw thrown; // shows the real exception and its trace
  expect(thrown.message).not.toMatch(/\n\s+at /);
  expect(thrown.message.length).toBeLessThan(20_000);
}

// ---------------------------------------------------------------- value mutations

type Json = unknown;

const scalar = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('4GB', '0GB', '-1', '.inf', 'yes', 'True', '${file("/etc/passwd")}', '{{ range.constructor }}', '../../etc/passwd', '/proc/self/environ', 'setup.sh'),
);

const anyValue: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), tie('v'), { maxKeys: 3 })),
})).v;

/** Paths of every node of `v` (objects' keys and arrays' indexes). */
function pathsOf(v: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...pathsOf(x, [...prefix, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, [...prefix, k]));
  return out;
}

type Mutation = (parent: any, key: string | number) => void;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant<Mutation>((p, k) => { if (Array.isArray(p)) p.splice(Number(k), 1); else delete p[k]; }), // drop
  anyValue.map<Mutation>((v) => (p, k) => { p[k] = v; }), // retype / random value
  fc.string({ maxLength: 12 }).map<Mutation>((name) => (p, k) => { if (Array.isArray(p)) p.push(p[Number(k)]); else p[name] = p[k]; }), // duplicate under another name
  fc.integer({ min: 1, max: 200 }).map<Mutation>((depth) => (p, k) => { let v = p[k]; for (let i = 0; i < depth; i++) v = [v]; p[k] = v; }), // deep nesting
  fc.integer({ min: 1, max: 200_000 }).map<Mutation>((len) => (p, k) => { p[k] = 'x'.repeat(len); }), // long string
);

test('mutated blueprints load or fail with a ButterError', () => {
  fc.assert(
    fc.property(fc.nat(sources.length - 1), fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 4 }), (n, mutations) => {
      const doc = yaml.load(sources[n].text) as Json;
      const root = { doc };
      for (const [pick, mutate] of mutations) {
        const paths = pathsOf(root.doc, ['doc']);
        const at = paths[pick % paths.length];
        const parent = at.slice(0, -1).reduce<any>((v, k) => v[k], root);
        mutate(parent, at[at.length - 1]);
      }
      expectButterErrorOrNothing(loadText(n, yaml.dump(root.doc ?? null, { noRefs: false, lineWidth: -1 })));
    }),
    { numRuns: 120, seed: 4242 },
  );
});

// ---------------------------------------------------------------- text mutations

/** Anchors and aliases: a billion-laughs table, a self reference, an alias to nothing. */
const aliasText = fc.oneof(
  fc.integer({ min: 2, max: 12 }).map((levels) => {
    const lines = ['  l0: &l0 [a, a, a, a, a, a, a, a, a, a]'];
    for (let i = 1; i < levels; i++) lines.push(`  l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
    return `bomb:\n${lines.join('\n')}\n`;
  }),
  fc.constant('instance: &self {disks: [*self]}\n'),
  fc.constant('image: *nothing\n'),
  fc.constant('base: &b {memory: 4GB}\ninstance: {<<: *b, cpus: 2}\n'),
);

const textMutation = fc.oneof(
  fc.tuple(fc.nat(), fc.string({ maxLength: 10 })).map(([at, s]) => (t: string) => t.slice(0, at % (t.length + 1)) + s + t.slice(at % (t.length + 1))),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => (t: string) => { const lines = t.split('\n'); const i = a % lines.length; lines.splice(b % lines.length, 0, lines[i]); return lines.join('\n'); }), // duplicate a line (key)
  fc.tuple(fc.nat(), fc.nat({ max: 20 })).map(([a, n]) => (t: string) => { const lines = t.split('\n'); lines.splice(a % lines.length, n); return lines.join('\n'); }), // drop lines
  aliasText.map((s) => (t: string) => `${t}\n${s}`),
  fc.integer({ min: 1, max: 50_000 }).map((n) => (t: string) => `${t}\ndeep: ${'['.repeat(n)}${']'.repeat(n)}\n`),
  fc.constantFrom('\t', '\u0000', '\uFEFF', '---\n', '%YAML 1.1\n', '!!js/function f\n', '? ', '&', '*').map((s) => (t: string) => s + t),
);

test('blueprint text with stray characters, duplicate keys, aliases or deep nesting fails with a ButterError', () => {
  fc.assert(
    fc.property(fc.nat(sources.length - 1), fc.array(textMutation, { minLength: 1, maxLength: 3 }), (n, edits) => {
      const text = edits.reduce((t, edit) => edit(t), sources[n].text);
      expectButterErrorOrNothing(loadText(n, text));
    }),
    { numRuns: 120, seed: 2424 },
  );
});
