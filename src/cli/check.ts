import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { ButterError } from '../errors';
import { CheckedStack, formatJson, formatText, runChecks, SEVERITIES, Severity, toSarif } from '../checks';
import { outputFolder, readManifest, selectStacks, synthesizeApp } from '../deploy/synth';
import { streamProgress } from '../deploy/progress';

/** A synthesized file larger than this is refused rather than read into memory. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

interface CheckFlags {
  readonly dir: string;
  readonly file?: string[];
  readonly format: 'text' | 'json' | 'sarif';
  readonly minSeverity: Severity;
  readonly synth: boolean;
  readonly output?: string;
}

/**
 * `butter check [stacks...] [--file cdk.tf.json ...]`: the policy checks over synthesized
 * stacks (the app's, synthesized first unless --no-synth) or any Terraform JSON files. Exit 1
 * when a finding at or above --min-severity remains (suppressed findings never count).
 */
export function registerCheckCommands(program: Command): void {
  program
    .command('check [stacks...]')
    .description('policy checks over the synthesized stacks (or any Terraform JSON with --file); exit 1 when a finding at or above --min-severity remains')
    .option('--file <file>', 'check this Terraform JSON file instead of the app\'s stacks (repeatable)', collect)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .addOption(new Option('--min-severity <severity>', 'report and fail on findings at or above this').choices([...SEVERITIES]).default('low'))
    .option('--no-synth', 'check the stacks in the output folder as they are, without running the cdktf app')
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .action(async (stackNames: string[], _opts, cmd: Command) => {
      const o = cmd.optsWithGlobals<CheckFlags>();
      const inputs = await loadStacks(o, stackNames);
      const report = runChecks(inputs.map((i) => i.stack), { minSeverity: o.minSeverity });
      const files = new Map(inputs.map((i) => [i.stack.name, i.file]));
      const text = o.format === 'json' ? formatJson(report)
        : o.format === 'sarif' ? `${JSON.stringify(toSarif(report, { fileOf: (s) => files.get(s) ?? s }), null, 2)}\n`
          : formatText(report);
      if (o.output) fs.writeFileSync(path.resolve(o.output), text);
      else process.stdout.write(text);
      if (report.findings.length > 0) {
        throw new ButterError('CHECK_FAILED', `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'} at or above ${report.minSeverity}`, {
          hint: 'fix them (each finding says how), or suppress one with a reason: Checks.suppress(construct, RULE_ID, why)',
        });
      }
    });
}

/** The stacks to check, each with the file it came from (relative, for reports). */
async function loadStacks(o: CheckFlags, names: readonly string[]): Promise<Array<{ stack: CheckedStack; file: string }>> {
  if (o.file && o.file.length > 0) {
    if (names.length > 0) {
      throw new ButterError('CHECK_STACKS_WITH_FILE', 'stack names and --file cannot be combined', { hint: 'pass either stack names (of the cdktf app) or files' });
    }
    return o.file.map((f) => {
      const file = path.resolve(f);
      const name = path.basename(path.dirname(file)) || path.basename(file);
      return { stack: CheckedStack.parse(name, readFile(file), f), file: relative(file) };
    });
  }
  const cwd = path.resolve(o.dir);
  const all = o.synth ? await streamProgress().step('synthesize', () => synthesizeApp({ cwd })) : manifest(cwd);
  return selectStacks(all, names).map((s) => ({ stack: CheckedStack.parse(s.name, readFile(s.file), s.file), file: relative(s.file) }));
}

function manifest(cwd: string) {
  const outdir = outputFolder(cwd);
  if (!fs.existsSync(path.join(outdir, 'manifest.json'))) {
    throw new ButterError('SYNTH_OUTPUT_MISSING', `nothing is synthesized in ${relative(outdir)}`, { hint: 'run `butter synth` first, or leave out --no-synth' });
  }
  return readManifest(outdir);
}

function readFile(file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new ButterError('CHECK_FILE_MISSING', 'no such file', { file: relative(file), hint: 'pass a synthesized stack, e.g. cdktf.out/stacks/<stack>/cdk.tf.json' });
  }
  if (!stat.isFile()) throw new ButterError('CHECK_FILE_MISSING', 'not a file', { file: relative(file), hint: 'pass the cdk.tf.json file, not its folder' });
  if (stat.size > MAX_FILE_BYTES) {
    throw new ButterError('CHECK_INPUT_INVALID', `the file is ${Math.round(stat.size / 1048576)} MiB, over the ${MAX_FILE_BYTES / 1048576} MiB limit`, {
      file: relative(file), hint: 'check one stack\'s cdk.tf.json at a time',
    });
  }
  return fs.readFileSync(file, 'utf8');
}

function relative(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
