import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { ButterError, isButterError } from '../errors';
import { registerCheckCommands } from './check';
import { InterruptedError } from '../deploy/interrupt';
import { registerDeployCommands } from './deploy';
import { registerMockCommands } from './mock';
import { registerPathsCommands } from './paths';
import { registerPathsEditCommands } from './workspace-paths';
import { registerGraphCommands } from './graph';
import { registerNetworkCommands } from './network';
import { registerServiceCommands } from './service';
import { registerTestCommands } from './test';

/**
 * Exit codes: the CLI's contract with scripts. A deploy, plan or destroy stopped by a signal exits
 * with the shell's 128 + signal number: 130 (SIGINT), 143 (SIGTERM), 129 (SIGHUP).
 */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** The ButterError code of a command line that is wrong in itself (exit 2, like commander's errors). */
export const USAGE_ERROR = 'CLI_USAGE';

/**
 * Butter's version, from its own package.json: the nearest one above this file that names
 * butter-cdktf. Searched for, because this file sits at src/cli in the repository and at
 * dist/src/cli in the installed package.
 */
export function butterVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'butter-cdktf' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json here (or not JSON): keep looking upwards
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

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
    .version(butterVersion(), '-V, --version', 'print Butter\'s version')
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
  shortUsageErrors(program);
  return program;
}

/** `butter mock status`: the words that run `cmd`. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The two lines after a usage error: the command's usage, and where the whole help is. */
function usageLines(cmd: Command): string {
  return `usage: ${commandPath(cmd)} ${cmd.usage()}
run \`${commandPath(cmd)} --help\` for the options and commands\n`;
}

/**
 * A usage error prints the error, the command's one usage line and a pointer to --help (the
 * whole help buries the error). A command group run without a command (`butter mock`) is such an
 * error too, instead of commander's full help.
 */
function shortUsageErrors(cmd: Command): void {
  cmd.showHelpAfterError(usageLines(cmd).trimEnd());
  if (cmd.commands.length > 0 && cmd.parent) {
    cmd.allowExcessArguments(true).action(() => {
      const names = cmd.commands.map((c) => c.name()).filter((n) => n !== 'help');
      const problem = cmd.args.length ? `unknown command '${cmd.args[0]}'` : 'a command is needed';
      throw new ButterError(USAGE_ERROR, `${problem}: \`${commandPath(cmd)}\` takes ${names.join(', ')}`, {
        hint: `run \`${commandPath(cmd)} --help\` for what each does`,
      });
    });
  }
  for (const sub of cmd.commands) shortUsageErrors(sub);
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
    if (e instanceof InterruptedError) return e.exitCode;
    return e.code === USAGE_ERROR ? EXIT.usage : EXIT.failure;
  }
  const err = e as Error;
  process.stderr.write(`internal error: ${err?.message ?? String(e)}\n`);
  process.stderr.write(debug ? `${err?.stack ?? ''}\n` : 'run again with --debug for the stack trace, and please report it\n');
  return EXIT.failure;
}
