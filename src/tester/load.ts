import * as fs from 'node:fs';
import Module = require('node:module');
import * as path from 'node:path';
import { ButterError, displayPath } from '../errors';
import type { BlueprintTest } from './fixture';

/** The file a blueprint folder's test lives in (or its JavaScript forms, {@link FIXTURE_FILES}). */
export const FIXTURE_FILE = 'blueprint_fixture.ts';
/** Every name a fixture may have: TypeScript, CommonJS or ES module JavaScript. */
export const FIXTURE_FILES = ['blueprint_fixture.ts', 'blueprint_fixture.js', 'blueprint_fixture.mjs'] as const;
/** The blueprint a blueprint folder's test deploys. */
export const TESTED_BLUEPRINT_FILE = 'blueprint.yml';

/** The methods every fixture must have (teardown is optional). */
const REQUIRED = ['setupBeforeTestedService', 'setupAfterTestedService', 'verify'] as const;

/**
 * Load the blueprint folder's fixture (`blueprint_fixture.ts`, `.js` or `.mjs`) and make it: the
 * default export, or else the export named `BlueprintTest` (the seed's convention), either a
 * class (constructed with no arguments) or an object.
 *
 * JavaScript is required as it is (an `.mjs` file through Node's require of ES modules, Node
 * 20.19 and later). TypeScript needs a loader: the one already running (tsx, ts-node, jest),
 * else the project's own tsx or ts-node, registered on first use; Butter brings none.
 */
export function loadFixture(blueprintDir: string): BlueprintTest {
  const dir = path.resolve(blueprintDir);
  const found = FIXTURE_FILES.filter((f) => fs.existsSync(path.join(dir, f)));
  const file = path.join(dir, found[0] ?? FIXTURE_FILE);
  if (found.length === 0) {
    throw new ButterError('FIXTURE_NOT_FOUND', 'blueprint test fixture not found', {
      file: displayPath(file),
      hint: `write ${FIXTURE_FILE} (or blueprint_fixture.js / .mjs) in the blueprint folder, exporting a class that implements BlueprintTest (src/tester/fixture.ts)`,
    });
  }
  if (found.length > 1) {
    throw new ButterError('FIXTURE_AMBIGUOUS', `the blueprint folder has ${found.length} fixtures: ${found.join(', ')}`, {
      file: displayPath(file),
      hint: 'keep one of them (a compiled copy next to its source counts as a second one)',
    });
  }
  if (path.extname(file) === '.ts') ensureTypeScriptLoader(file, [dir, process.cwd()]);
  let mod: unknown;
  try {
    mod = require(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code === 'ERR_REQUIRE_ESM') {
      throw withCause(new ButterError('FIXTURE_LOAD_FAILED', 'the fixture is an ES module, which this Node.js cannot load synchronously', {
        file: displayPath(file),
        hint: `use Node.js 20.19 or later (this is ${process.version}), or write the fixture as CommonJS (.js) or TypeScript (.ts)`,
      }), e);
    }
    throw withCause(new ButterError('FIXTURE_LOAD_FAILED', `the fixture could not be loaded: ${shortMessage(e)}`, {
      file: displayPath(file),
      hint: 'fix the error in the fixture (run with --debug for the stack trace)',
    }), e);
  }
  const exported = pickExport(mod);
  if (exported === undefined) {
    throw new ButterError('FIXTURE_INVALID', 'the fixture has no default export and no export named BlueprintTest', {
      file: displayPath(file),
      hint: 'export the fixture class: `export default class MyTest implements BlueprintTest { ... }`',
    });
  }
  const fixture = instantiate(exported, file);
  const missing = REQUIRED.filter((m) => typeof (fixture as any)[m] !== 'function');
  if (typeof (fixture as any).teardown !== 'undefined' && typeof (fixture as any).teardown !== 'function') missing.push('teardown' as any);
  if (missing.length) {
    throw new ButterError('FIXTURE_INVALID', `the fixture does not implement ${missing.join(', ')}`, {
      file: displayPath(file),
      hint: 'implement every method of the BlueprintTest interface (src/tester/fixture.ts)',
    });
  }
  checkClouds(fixture, file);
  return fixture;
}

/** The TypeScript loaders Butter looks for in the user's project, in order, and how to start each. */
const TYPESCRIPT_LOADERS: ReadonlyArray<{ name: string; module: string; register(loader: any): void }> = [
  { name: 'tsx', module: 'tsx/cjs/api', register: (tsx) => tsx.register() },
  { name: 'ts-node', module: 'ts-node', register: (tsNode) => tsNode.register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } }) },
];

/**
 * True when something already compiles TypeScript on require: tsx, ts-node, or jest's transform.
 * Jest's is known by its worker's environment and its globals together: a process a test starts
 * (`butter test` run by a user's jest test) inherits JEST_WORKER_ID but has no `expect`.
 */
export function typeScriptLoaderActive(): boolean {
  if ('.ts' in (Module as unknown as { _extensions: Record<string, unknown> })._extensions) return true;
  return process.env.JEST_WORKER_ID !== undefined && typeof (globalThis as { expect?: unknown }).expect === 'function';
}

/** The first TypeScript loader installed where `searchFrom` folders can require it. */
export function findTypeScriptLoader(searchFrom: readonly string[]): { name: string; file: string; register(loader: any): void } | undefined {
  for (const loader of TYPESCRIPT_LOADERS) {
    try {
      return { ...loader, file: require.resolve(loader.module, { paths: [...searchFrom] }) };
    } catch {
      // not installed there: try the next
    }
  }
  return undefined;
}

/**
 * Make `require` of a .ts file work: nothing to do under a running loader, else register the
 * project's own tsx or ts-node, else a FIXTURE_LOADER_MISSING error saying what to install.
 */
export function ensureTypeScriptLoader(file: string, searchFrom: readonly string[], active = typeScriptLoaderActive()): void {
  if (active) return;
  const loader = findTypeScriptLoader(searchFrom);
  if (!loader) {
    throw new ButterError('FIXTURE_LOADER_MISSING', 'the fixture is TypeScript and no TypeScript loader is installed', {
      file: displayPath(file),
      hint: 'install one in your project (npm install --save-dev tsx, or ts-node), or write the fixture as blueprint_fixture.js',
    });
  }
  try {
    loader.register(require(loader.file));
  } catch (e) {
    throw withCause(new ButterError('FIXTURE_LOADER_FAILED', `${loader.name} could not be started to load the TypeScript fixture: ${shortMessage(e)}`, {
      file: displayPath(file),
      hint: `reinstall ${loader.name}, or write the fixture as blueprint_fixture.js`,
    }), e);
  }
}

/**
 * The exported fixture. A TypeScript `export default` compiles to `exports.default`; a file that
 * assigns `module.exports = class ...` gives the class itself (a function) as the module.
 */
function pickExport(mod: unknown): unknown {
  if (typeof mod === 'function' || mod === null || typeof mod !== 'object') return mod ?? undefined;
  const m = mod as Record<string, unknown>;
  return m.default ?? m.BlueprintTest;
}

function instantiate(exported: unknown, file: string): BlueprintTest {
  if (typeof exported !== 'function') return exported as BlueprintTest;
  try {
    return new (exported as new () => BlueprintTest)();
  } catch (e) {
    throw withCause(new ButterError('FIXTURE_LOAD_FAILED', `the fixture's constructor failed: ${shortMessage(e)}`, {
      file: displayPath(file),
      hint: 'the fixture class must be constructible with no arguments',
    }), e);
  }
}

function checkClouds(fixture: BlueprintTest, file: string): void {
  const clouds = fixture.clouds;
  if (clouds === undefined) return;
  if (!Array.isArray(clouds) || clouds.length === 0 || clouds.some((c) => c !== 'aws' && c !== 'google')) {
    throw new ButterError('FIXTURE_INVALID', `clouds must list 'aws' and/or 'google', not ${JSON.stringify(clouds)}`, {
      file: displayPath(file),
      key: 'clouds',
    });
  }
}

/**
 * An error's message, at most a few lines: enough for a compile error's place and reason (tsx
 * puts them on the lines after "Transform failed"), not a wall of code frames.
 */
export function shortMessage(e: unknown, lines = 4): string {
  const message = e instanceof Error ? e.message : String(e);
  const kept = message.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  return kept.slice(0, lines).join('\n  ') + (kept.length > lines ? ' ...' : '');
}

/** Keep the original error (its stack is shown with --debug). */
export function withCause<E extends Error>(error: E, cause: unknown): E {
  Object.defineProperty(error, 'cause', { value: cause, enumerable: false, configurable: true });
  return error;
}
