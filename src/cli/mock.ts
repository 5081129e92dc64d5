import * as path from 'node:path';
import { Command } from 'commander';
import { ButterError } from '../errors';
import { shellQuote } from '../mock/launch/command';
import { CdktfMockSetup, mockCloudStatus, MockCloudStatus, resetMockCloud, setupCdktfMock, shellExports } from '../deploy/mock-setup';
import { mockStateDir } from '../deploy/deploy';
import { providersInStateDir, restoreBackup } from '../mock/cloud/store';
import { table } from './table';

interface GlobalOptions {
  readonly dir: string;
}

/** `butter mock setup`, `butter mock status`, `butter mock reset`, `butter mock restore`. */
export function registerMockCommands(program: Command): void {
  const mock = program
    .command('mock')
    .description('the local mock cloud: set it up for `cdktf deploy`, see what it holds, reset it');

  mock
    .command('setup')
    .description('write the Terraform mirror that lets `cdktf deploy` use the mock cloud, and print the environment for it')
    .option('--shell', 'print only the `export` lines (eval "$(butter mock setup --shell)")')
    .option('--json', 'print the mirror, state folder and environment as JSON')
    .action(async (_opts, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { shell?: boolean; json?: boolean }>();
      if (o.shell && o.json) throw new ButterError('CLI_USAGE', '--shell and --json cannot be combined', { hint: 'pick one output form' });
      const setup = await setupCdktfMock({ cwd: o.dir });
      if (o.json) process.stdout.write(`${JSON.stringify(setup, null, 2)}\n`);
      else if (o.shell) process.stdout.write(shellExports(setup.env));
      else process.stdout.write(describeSetup(setup, o.dir));
    });

  mock
    .command('status')
    .description('what the mock cloud holds: objects per kind and provider')
    .option('--json', 'print the status as JSON')
    .action((_opts, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { json?: boolean }>();
      const status = mockCloudStatus(o.dir);
      process.stdout.write(o.json ? `${JSON.stringify(status, null, 2)}\n` : describeStatus(status, o.dir));
      // What the cloud holds is not known: say so in the exit code too, for scripts.
      const unreadable = status.providers.filter((p) => p.error);
      if (unreadable.length > 0) {
        throw new ButterError('MOCK_STATE_UNREADABLE', `the mock cloud state cannot be read: ${unreadable.map((p) => rel(o.dir, p.file)).join(', ')}`, {
          hint: 'run `butter mock restore` to bring back the last good version (the damaged file is kept aside)',
        });
      }
    });

  mock
    .command('restore')
    .description('bring back the last good mock cloud state (kept beside it as <provider>.json.bak) when the state cannot be read')
    .action(async (_opts, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>();
      const dir = mockStateDir(o.dir);
      const providers = providersInStateDir(dir);
      if (providers.length === 0) return void process.stdout.write(`mock cloud ${rel(o.dir, dir)}: nothing to restore\n`);
      for (const provider of providers) {
        const r = await restoreBackup(provider, dir);
        if (r.action === 'readable') process.stdout.write(`${provider}: ${rel(o.dir, r.file)} is readable, left as it is\n`);
        else {
          const aside = r.keptAside ? `; the damaged file is now ${rel(o.dir, r.keptAside)}` : '';
          process.stdout.write(`${provider}: restored ${rel(o.dir, r.file)} from its backup (${r.objects} objects)${aside}\n`);
        }
      }
    });

  mock
    .command('reset')
    .description('delete the mock cloud state (refused while it holds anything, unless --force)')
    .option('--force', 'delete it even though objects are still deployed')
    .action(async (_opts, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { force?: boolean }>();
      const outcome = await resetMockCloud({ cwd: o.dir, force: o.force });
      const where = rel(o.dir, outcome.stateDir);
      if (outcome.removed.length === 0) process.stdout.write(`mock cloud ${where}: nothing to reset\n`);
      else {
        const forgot = outcome.forgotten ? ` (${outcome.forgotten} objects forgotten)` : '';
        process.stdout.write(`mock cloud ${where}: reset${forgot}\n`);
      }
    });
}

function describeSetup(setup: CdktfMockSetup, cwd: string): string {
  return [
    `mock cloud mirror ready: ${rel(cwd, setup.mirrorDir)} (${setup.providers.join(', ')})`,
    `mock cloud state: ${rel(cwd, setup.stateDir)} (shared with \`butter deploy\`)`,
    '',
    'Set this environment in your shell, then `npx cdktf deploy <stack>` and `npx cdktf destroy <stack>`',
    `use the mock cloud (or run: eval "$(npx butter mock setup${dirFlag(cwd)} --shell)"):`,
    '',
    shellExports(setup.env).trimEnd(),
    '',
  ].join('\n');
}

function describeStatus(status: MockCloudStatus, cwd: string): string {
  const lines = [`mock cloud: ${rel(cwd, status.stateDir)}`];
  if (status.providers.length === 0) lines.push('  nothing deployed yet');
  const rows: string[][] = [];
  for (const p of status.providers) {
    if (p.error) lines.push(`  ${p.provider}: cannot be read: ${p.error.replace(/^the mock cloud state cannot be read: /, '')} (${rel(cwd, p.file)})`);
    else if (p.objects === 0) lines.push(`  ${p.provider}: empty`);
    else for (const [kind, n] of Object.entries(p.kinds)) rows.push([p.provider, kind, String(n)]);
  }
  let out = `${lines.join('\n')}\n`;
  if (rows.length) out += table(['PROVIDER', 'KIND', 'COUNT'], rows, '  ');
  out += `total: ${status.objects} objects\n`;
  out += status.mirror.ready
    ? `cdktf mirror: ${rel(cwd, status.mirror.dir)} (environment: butter mock setup --shell)\n`
    : 'cdktf mirror: not set up (run `butter mock setup` to use `cdktf deploy` with the mock cloud)\n';
  return out;
}

/** ` --dir <folder>` unless the project is the current folder. */
function dirFlag(cwd: string): string {
  return path.resolve(cwd) === process.cwd() ? '' : ` --dir ${shellQuote(path.resolve(cwd))}`;
}

/** A path relative to the project folder when inside it. */
function rel(cwd: string, p: string): string {
  const r = path.relative(path.resolve(cwd), p);
  return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : p;
}
