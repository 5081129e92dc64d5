import * as fs from 'node:fs';
import * as path from 'node:path';
import { ButterError, displayPath } from '../errors';
import type { BlueprintTest } from './fixture';

/** The file a blueprint folder's test lives in. */
export const FIXTURE_FILE = 'blueprint_fixture.ts';
/** The blueprint a blueprint folder's test deploys. */
export const TESTED_BLUEPRINT_FILE = 'blueprint.yml';

/** The methods every fixture must have (teardown is optional). */
const REQUIRED = ['setupBeforeTestedService', 'setupAfterTestedService', 'verify'] as const;

/**
 * Load `DIR/blueprint_fixture.ts` and make its fixture: the default export, or else the export
 * named `BlueprintTest` (the seed's convention), either a class (constructed with no arguments)
 * or an object. Requiring a `.ts` file works because `butter` runs under tsx's require hook (and
 * jest transforms TypeScript); any other loader must be able to require TypeScript too.
 */
export function loadFixture(blueprintDir: string): BlueprintTest {
  const file = path.join(path.resolve(blueprintDir), FIXTURE_FILE);
  if (!fs.existsSync(file)) {
    throw new ButterError('FIXTURE_NOT_FOUND', 'blueprint test fixture not found', {
      file: displayPath(file),
      hint: `write ${FIXTURE_FILE} in the blueprint folder, exporting a class that implements BlueprintTest (src/tester/fixture.ts)`,
    });
  }
  let mod: unknown;
  try {
    mod = require(file);
  } catch (e) {
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
