import * as path from 'node:path';
import { Argument, Command, Option } from 'commander';
import type { Target } from '../client';
import { Interrupt, InterruptedError, isInterrupted } from '../deploy/interrupt';
import { ButterError, isButterError } from '../errors';
import { shellQuote } from '../mock/launch/command';
import { messageOf, TEST_ACTIONS, TestAction, TestPhase, TestReport } from '../tester/report';
import { readTesterState } from '../tester/state';

interface TestFlags {
  readonly dir: string;
  readonly debug?: boolean;
  readonly blueprintDir: string;
  readonly cloud?: Target;
  readonly stateDir?: string;
  readonly region?: string;
  readonly project?: string;
}

const TARGETS: readonly Target[] = ['mock-aws', 'mock-google', 'aws', 'google'];

/** `butter test --blueprint-dir DIR setup|verify|teardown|run`: the seed's `butter-test`. */
export function registerTestCommands(program: Command): void {
  program
    .command('test')
    .description('test a blueprint end to end with its fixture (DIR/blueprint_fixture.ts): deploy it, verify it, tear it down')
    .addArgument(new Argument('<action>', 'run = setup, verify and teardown (which always happens)').choices(TEST_ACTIONS))
    .requiredOption('--blueprint-dir <folder>', 'the folder holding blueprint.yml and blueprint_fixture.ts')
    .addOption(new Option('--cloud <target>', 'where to deploy (default: where it was set up, else the mock of the fixture\'s first cloud)').choices(TARGETS))
    .option('--state-dir <folder>', 'where the test keeps its state between invocations (default: <blueprint-dir>/.butter-test)')
    .option('--region <region>', 'the region to deploy to (default: us-east-1 on AWS, us-central1 on Google)')
    .option('--project <project>', 'the Google Cloud project')
    .addHelpText('after', [
      '',
      'Exit codes: 0 the test (or phase) passed, 1 it failed, 2 usage error.',
      '`setup`, `verify` and `teardown` may run as separate invocations: the state is kept in the state folder.',
    ].join('\n'))
    .action(async (action: TestAction, _opts, cmd: Command) => {
      const o = cmd.optsWithGlobals<TestFlags>();
      // Loaded on use: the tester brings the Client, cdktf and the constructs, which other
      // commands do not need. (require, not import(): tsx resolves a dynamic import as ESM,
      // which wants file extensions.)
      const { runBlueprintTest } = require('../tester/runner') as typeof import('../tester/runner');
      // Signals stop the test as they stop `butter deploy`: the Client's changes and their
      // Terraform runs join this listener (interrupt.ts); no phase starts Terraform after one.
      const interrupt = Interrupt.listen();
      let report: TestReport;
      try {
        report = await runBlueprintTest(action, {
          blueprintDir: path.resolve(o.dir, o.blueprintDir),
          target: o.cloud,
          stateDir: stateDirOf(o),
          region: o.region,
          project: o.project,
          progress: (line) => process.stderr.write(`${line}\n`),
        }).catch((e) => {
          // A fixture that cannot be loaded: its own stack says where, the ButterError's does not.
          const cause = (e as { cause?: unknown })?.cause;
          if (o.debug && cause instanceof Error && cause.stack) process.stderr.write(`caused by: ${cause.stack}\n`);
          throw e;
        });
      } catch (e) {
        if (interrupt.received) throw testInterrupted(interrupt.received, action, undefined, o);
        throw e;
      } finally {
        interrupt.dispose();
      }
      process.stdout.write(formatReport(report));
      if (!report.ok && interrupt.received) throw testInterrupted(interrupt.received, action, report, o);
      if (!report.ok) throw failure(report, o);
    });
}

/** The test's state folder, as the runner resolves it. */
function stateDirOf(o: TestFlags): string {
  return o.stateDir === undefined ? path.resolve(o.dir, o.blueprintDir, '.butter-test') : path.resolve(o.dir, o.stateDir);
}

/** The command that tears the test down. */
function teardownCommand(o: TestFlags): string {
  return `butter test --blueprint-dir ${shellQuote(o.blueprintDir)}${o.stateDir ? ` --state-dir ${shellQuote(o.stateDir)}` : ''} teardown`;
}

/**
 * A test stopped by a signal: the phase it stopped in (the first that failed because of it) and
 * how to go on, from what the test's state folder says is still deployed.
 */
function testInterrupted(signal: NodeJS.Signals, action: TestAction, report: TestReport | undefined, o: TestFlags): InterruptedError {
  const failed = report?.phases.filter((p) => p.status === 'failed') ?? [];
  const byInterrupt = failed.find((p) => isInterrupted(p.error) || /\binterrupted by SIG[A-Z]+/.test(messageOf(p.error)));
  const phase: TestPhase | undefined = (byInterrupt ?? failed[failed.length - 1])?.phase;
  const teardown = teardownCommand(o);
  let deployed: boolean;
  try {
    deployed = readTesterState(stateDirOf(o)) !== undefined;
  } catch {
    deployed = true; // a state file is there, even if unreadable: a teardown says what is wrong
  }
  const resume = phase === 'teardown' ? `run \`${teardown}\` again to finish the teardown`
    : deployed ? `what the test deployed is still there: \`${teardown}\` destroys it; then run the test again`
      : 'nothing of the test is deployed: run it again';
  return new InterruptedError(signal, `test ${action}`, {
    state: `${phase ? `in its ${phase} phase; ` : ''}a running Terraform finished the changes in progress and saved its state, and no later phase ran Terraform`,
    resume,
  });
}

/** The result table, for people (stdout). */
export function formatReport(report: TestReport): string {
  const verdict = report.ok ? 'PASSED' : 'FAILED';
  const lines = [`blueprint test ${report.service} on ${report.target} (network ${report.network}): ${verdict}`];
  for (const p of report.phases) lines.push(`  ${p.phase.padEnd(9)} ${p.status.padEnd(8)} ${p.seconds.toFixed(1).padStart(6)}s`);
  return `${lines.join('\n')}\n`;
}

/** A phase's error in words: the tester's own teardown report is already a list of reasons. */
function describe(error: unknown): string {
  return isButterError(error) && error.code === 'TEST_TEARDOWN_FAILED' ? error.problem.replace(/^teardown did not finish:\n\s*/, '') : messageOf(error);
}

/** Continuation lines indented under the phase name, blank lines dropped. */
function indent(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).join('\n    ');
}

/** The error that makes the exit code 1, naming every failed phase and what is left deployed. */
function failure(report: TestReport, o: TestFlags): ButterError {
  const failed = report.phases.filter((p) => p.status === 'failed');
  if (o.debug) {
    for (const p of failed) if (p.error instanceof Error && p.error.stack) process.stderr.write(`${p.phase}: ${p.error.stack}\n`);
  }
  const reasons = failed.map((p) => `${p.phase}: ${indent(describe(p.error))}`);
  const teardown = report.phases.find((p) => p.phase === 'teardown');
  const again = teardownCommand(o);
  const hint = teardown?.status === 'passed' ? 'everything the test deployed was destroyed; fix the blueprint or the fixture and run it again'
    : teardown?.status === 'failed' ? `the teardown did not finish: fix the cause and run \`${again}\` again`
      : report.action === 'verify' ? `the deployment is still there: fix it and verify again, or \`${again}\``
        : `what the setup deployed is still there: \`${again}\` destroys it`;
  return new ButterError('TEST_FAILED', `blueprint test ${report.service} on ${report.target} failed\n  ${reasons.join('\n  ')}`, { hint });
}
