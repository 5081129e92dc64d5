import { Command, CommanderError } from 'commander';
import { isButterError } from '../errors';
import { registerCheckCommands } from './check';
import { registerDeployCommands } from './deploy';
import { registerMockCommands } from './mock';
import { registerPathsCommands } from './paths';
import { registerPathsEditCommands } from './workspace-paths';
import { registerGraphCommands } from './graph';
import { registerNetworkCommands } from './network';
import { registerServiceCommands } from './service';
import { registerTestCommands } from './test';

/** Exit codes: the CLI's contract with scripts. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * The `butter` command line: a thin layer over the library. Each command module registers its
 * subcommands; this file only owns conventions (exit codes, errors without stack traces unless
 * `--debug`, no colour when not a terminal).
 */
export function buildProgram(): Command {
  const program = new Command('butter')
    .description('Networks, services and paths from blueprints, on AWS, Google Cloud and a local mock cloud')
    .option('-C, --dir <folder>', 'the cdktf project folder', process.cwd())
    .option('--debug', 'show stack traces of unexpected errors')
    .showHelpAfterError()
    .exitOverride();
  program.configureOutput({ outputError: (text, write) => write(text) });
  registerDeployCommands(program);
  registerMockCommands(program);
  // `paths list|check|exposure` read what is (to be) deployed; `allow|revoke` edit the workspace.
  registerPathsEditCommands(registerPathsCommands(program));
  registerGraphCommands(program);
  registerNetworkCommands(program);
  registerServiceCommands(program);
  registerTestCommands(program);
  registerCheckCommands(program);
  return program;
}

/** Run the CLI; resolves to the exit code (never throws, never calls process.exit). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return EXIT.ok;
  } catch (e) {
    return reportError(e, argv.includes('--debug'));
  }
}

function reportError(e: unknown, debug: boolean): number {
  if (e instanceof CommanderError) {
    // --help and --version end with an exit code of 0 through the same path.
    return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (isButterError(e)) {
    process.stderr.write(`error: ${e.message}\n`);
    if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
    return EXIT.failure;
  }
  const err = e as Error;
  process.stderr.write(`internal error: ${err?.message ?? String(e)}\n`);
  process.stderr.write(debug ? `${err?.stack ?? ''}\n` : 'run again with --debug for the stack trace, and please report it\n');
  return EXIT.failure;
}
