import type { Target } from '../client';

/** What `butter test` can be asked to do. */
export type TestAction = 'setup' | 'verify' | 'teardown' | 'run';
export const TEST_ACTIONS: readonly TestAction[] = ['setup', 'verify', 'teardown', 'run'];

/** One phase of a blueprint test. */
export type TestPhase = 'setup' | 'verify' | 'teardown';

/** How one phase went. */
export interface PhaseOutcome {
  readonly phase: TestPhase;
  /** `skipped`: verify after a failed setup. */
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly seconds: number;
  /** Why it failed. */
  readonly error?: unknown;
}

/** How a `butter test` invocation went. */
export interface TestReport {
  readonly ok: boolean;
  readonly action: TestAction;
  readonly target: Target;
  readonly network: string;
  readonly service: string;
  readonly phases: readonly PhaseOutcome[];
}

/** The message of whatever was thrown. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
