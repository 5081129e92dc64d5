import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from '../util/zod';
import { ButterError, cut, displayPath } from '../errors';
import { writeFileAtomic } from '../util/atomic-file';

/**
 * What `butter test setup` leaves for `verify` and `teardown`, which may run as later,
 * separate invocations: `<state dir>/tester.json`. Next to it the test's Client keeps its
 * workspace, synthesized stacks and (on the mock) the mock cloud, so everything a test deployed
 * is found again from the state folder alone.
 */
export interface TesterState {
  readonly version: 1;
  /** Where it is deployed (mock-aws, aws, ...). */
  readonly target: 'mock-aws' | 'mock-google' | 'aws' | 'google';
  readonly network: string;
  readonly service: string;
  /**
   * `setting-up` from the moment the setup starts deploying until it finished: a setup that
   * failed or was killed leaves it, so only teardown is offered. `ready` once it is complete.
   */
  readonly phase: 'setting-up' | 'ready';
  /** The template variables the fixture returned (absent until it did). */
  readonly vars?: Record<string, unknown>;
}

const STATE_FILE = 'tester.json';

const schema = z.strictObject({
  version: z.literal(1),
  target: z.enum(['mock-aws', 'mock-google', 'aws', 'google']),
  network: z.string().check(z.minLength(1)),
  service: z.string().check(z.minLength(1)),
  phase: z.enum(['setting-up', 'ready']),
  vars: z.optional(z.record(z.string(), z.unknown())),
});

/** The tester state file of a state folder. */
export function testerStateFile(stateDir: string): string {
  return path.join(stateDir, STATE_FILE);
}

/** The state left by a setup, or undefined when there is none (never set up, or torn down). */
export function readTesterState(stateDir: string): TesterState | undefined {
  const file = testerStateFile(stateDir);
  if (!fs.existsSync(file)) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw invalid(file, undefined, `not valid JSON (${(e as Error).message})`);
  }
  const parsed = schema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(file, issue.path.join('.') || undefined, problemOf(issue));
  }
  return parsed.data as TesterState;
}

/** Record the state (atomically: a killed tester leaves the old or the new state, whole). */
export function writeTesterState(stateDir: string, state: TesterState): void {
  writeFileAtomic(testerStateFile(stateDir), `${JSON.stringify(state, null, 2)}\n`);
}

/** Forget the test (after a complete teardown). */
export function removeTesterState(stateDir: string): void {
  fs.rmSync(testerStateFile(stateDir), { force: true });
}

/** An issue in words (the functional zod carries no English messages; Butter writes its own). */
function problemOf(issue: z.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      // The keys are the file's, and may be of any length: cut to a readable one.
      return `unknown key ${cut(issue.keys.map((k) => JSON.stringify(k)).join(', '))}`;
    case 'invalid_value':
      return `not one of: ${issue.values.map(String).join(', ')}`;
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'too_small':
      return 'empty';
    default:
      return 'not a valid value';
  }
}

function invalid(file: string, key: string | undefined, problem: string): ButterError {
  return new ButterError('TEST_STATE_INVALID', `the blueprint test's state cannot be read: ${problem}`, {
    file: displayPath(file),
    key,
    hint: 'Butter writes this file itself; if it was edited, restore it. Deleting it forgets what the test deployed',
  });
}
