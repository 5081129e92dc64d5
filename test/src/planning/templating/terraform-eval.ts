/**
 * Test helper: evaluate Terraform templates with the real `terraform` CLI.
 *
 * Each template becomes an output of one provider-less configuration (in Terraform JSON, where
 * every string is a template, exactly as Butter's synthesized user data is), its variables are
 * passed with a var file, and one `terraform apply` evaluates them all.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { devNull, tmpdir } from 'os';
import { join } from 'path';

/** A Terraform variable: its type constraint and value. */
export interface TfVariable {
  readonly type: string;
  readonly value: unknown;
}

/** One template to evaluate. */
export interface TfCase {
  /** Output name (a Terraform identifier). */
  readonly name: string;
  /** Terraform template text. */
  readonly template: string;
  /** Variables it references as `var.NAME`. */
  readonly variables: Readonly<Record<string, TfVariable>>;
}

/** True if a `terraform` binary is on PATH. */
export function terraformAvailable(): boolean {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore', env: terraformEnv(devNull) });
    return true;
  } catch {
    return false;
  }
}

/** Evaluate all cases in one Terraform run; returns each output's string value by case name. */
export function evaluateWithTerraform(cases: readonly TfCase[]): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'butter-tf-eval-'));
  try {
    const variable: Record<string, { type: string }> = {};
    const values: Record<string, unknown> = {};
    const output: Record<string, { value: string }> = {};
    for (const c of cases) {
      for (const [name, v] of Object.entries(c.variables)) {
        variable[name] = { type: v.type };
        values[name] = v.value;
      }
      output[c.name] = { value: c.template };
    }
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ variable, output }, null, 2));
    writeFileSync(join(dir, 'values.tfvars.json'), JSON.stringify(values, null, 2));
    const cliConfig = join(dir, 'cli.tfrc');
    writeFileSync(cliConfig, '');
    const env = terraformEnv(cliConfig);
    const run = (args: string[]) => {
      try {
        return execFileSync('terraform', args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        const err = e as { stdout?: string; stderr?: string };
        throw new Error(`terraform ${args[0]} failed:\n${err.stderr ?? ''}\n${err.stdout ?? ''}`);
      }
    };
    run(['init', '-input=false', '-no-color']);
    run(['apply', '-auto-approve', '-input=false', '-no-color', '-var-file=values.tfvars.json']);
    const outputs = JSON.parse(run(['output', '-json'])) as Record<string, { value: string }>;
    return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Environment for a terraform child: no user CLI config, no update checks, no prompts. */
function terraformEnv(cliConfig: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
    TF_INPUT: '0',
  };
}
