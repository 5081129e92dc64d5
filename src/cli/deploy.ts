import { Command } from 'commander';
import { runStacks, DeployAction, StackOutcome } from '../deploy/deploy';
import { streamProgress } from '../deploy/progress';
import { synthesizeApp } from '../deploy/synth';
import { showDeployed } from './show';

interface GlobalOptions {
  readonly dir: string;
}

interface DeployFlags {
  readonly mock: boolean;
  readonly show?: boolean;
}

/** `butter synth`, `butter plan`, `butter deploy`, `butter destroy`. */
export function registerDeployCommands(program: Command): void {
  program
    .command('synth')
    .description('synthesize the cdktf app (cdktf.json) to Terraform JSON')
    .action(async (_opts, cmd: Command) => {
      const { dir } = cmd.optsWithGlobals<GlobalOptions>();
      const stacks = await streamProgress().step('synthesize', () => synthesizeApp({ cwd: dir }));
      for (const s of stacks) process.stdout.write(`${s.name}\t${s.file}\n`);
    });

  for (const [name, action, what] of [
    ['plan', 'plan', 'show what deploying would change'],
    ['deploy', 'deploy', 'synthesize and deploy stacks (to the local mock cloud unless --no-mock)'],
    ['destroy', 'destroy', 'destroy deployed stacks'],
  ] as const) {
    const cmd = program
      .command(`${name} [stacks...]`)
      .description(what)
      .option('--mock', 'use the local mock cloud (the default)', true)
      .option('--no-mock', 'use the real clouds, with your own credentials');
    if (action === 'deploy') cmd.option('--show', 'print what is deployed afterwards');
    cmd.action(async (stacks: string[], _opts, c: Command) => {
      const o = c.optsWithGlobals<GlobalOptions & DeployFlags>();
      const outcomes = await runStacks({ cwd: o.dir, action: action as DeployAction, stacks, mock: o.mock, progress: streamProgress(), handleSignals: true });
      printOutcomes(outcomes);
      if (o.show) await showDeployed({ cwd: o.dir, mock: o.mock, stacks: outcomes.map((x) => x.stack) });
    });
  }
}

function printOutcomes(outcomes: readonly StackOutcome[]): void {
  for (const o of outcomes) process.stdout.write(`${o.stack}: ${o.summary || 'done'}\n`);
}
