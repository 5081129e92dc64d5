import * as fs from 'node:fs';
import * as path from 'node:path';
import { MockCloud, startMockCloud } from '../../../src/mock';
import { AWS_CASES } from './fidelity/aws-cases';
import { FidelityCase, mergeCases, QUOTA_WORKSPACE } from './fidelity/corpus';
import { GOOGLE_CASES } from './fidelity/google-cases';
import { scratch, terraform, terraformEnv, tf, TfResult } from './helpers/terraform';

/**
 * The fidelity corpus (fidelity/): every case a documented rule of the real API or provider,
 * applied to the mock through the real Terraform CLI. Cases of one kind share one configuration,
 * and the four kinds run in parallel workspaces against one mock cloud: refusals at validate time
 * (terraform validate), at plan time (terraform plan), at apply time (one apply, in which every
 * refused case fails on its own resource while the others go on), and accepted cases (one apply,
 * then a plan that must be clean except where the real provider drifts too). Cases whose
 * configuration is hundreds of KB get a workspace of their own (`large`), also in parallel.
 */

const CASES: readonly FidelityCase[] = [...AWS_CASES, ...GOOGLE_CASES];

interface ErrorBlock {
  readonly address: string | null;
  readonly text: string;
}

/** The error diagnostics in Terraform's plain (-no-color) output, with the resource each names. */
function errorBlocks(r: TfResult): ErrorBlock[] {
  return (r.stdout + '\n' + r.stderr).split(/\n(?=Error: )/).filter((b) => b.startsWith('Error: '))
    .map((text) => ({ address: /\n\s+with ([^,\s]+),/.exec(text)?.[1] ?? null, text: text.replace(/\s+/g, ' ') }));
}

const header = {
  terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '6.25.0' }, google: { source: 'hashicorp/google', version: '6.50.0' } } },
  provider: { aws: [{ region: 'us-east-1' }], google: [{ project: 'fidelity', region: 'us-central1' }] },
};

describe('fidelity corpus: the mock agrees with the documented rules of the real APIs', () => {
  const tmp = scratch('fidelity');
  const clouds: MockCloud[] = [];
  const results = new Map<string, Promise<TfResult[]>>();

  const kind = (c: FidelityCase): string => c.workspace ?? ('refused' in c.expect ? c.expect.refused : 'accepted');
  // One mock cloud (state store) per workspace, so the parallel runs do not queue on one store's lock.
  const run = async (name: string, steps: (dir: string, env: NodeJS.ProcessEnv) => Promise<TfResult[]>): Promise<TfResult[]> => {
    const dir = path.join(tmp.dir, name);
    fs.mkdirSync(dir, { recursive: true });
    const cloud = await startMockCloud({ stateDir: path.join(dir, 'state'), mode: 'in-process' });
    clouds.push(cloud);
    const env = terraformEnv(dir, cloud.env);
    const cases = CASES.filter((c) => kind(c) === name);
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ ...header, ...mergeCases(cases) }, null, 1));
    await tf(dir, env, 0, 'init', '-input=false');
    return steps(dir, env);
  };

  // Quotas as a user who changed them would have them: the quota cases need 5 objects, not 201.
  const savedQuotas = process.env.BUTTER_MOCK_QUOTAS;

  beforeAll(async () => {
    process.env.BUTTER_MOCK_QUOTAS = JSON.stringify({ aws: { subnets_per_vpc: 4 }, google: { firewall_rules_per_project: 4 } });
    results.set('validate', run('validate', async (dir, env) => [await terraform(dir, env, 'validate')]));
    results.set('plan', run('plan', async (dir, env) => [await terraform(dir, env, 'plan', '-input=false')]));
    results.set('apply', run('apply', async (dir, env) => [await terraform(dir, env, 'apply', '-input=false', '-auto-approve', '-parallelism=30')]));
    results.set('large', run('large', async (dir, env) => [await terraform(dir, env, 'apply', '-input=false', '-auto-approve')]));
    results.set('accepted', run('accepted', async (dir, env) => {
      const applied = await terraform(dir, env, 'apply', '-input=false', '-auto-approve', '-parallelism=30');
      return [applied, await terraform(dir, env, 'plan', '-input=false', '-detailed-exitcode')];
    }));
    await Promise.all(results.values());
    // Region- and project-wide quotas, lowered for the quota cases alone (the mock reads the variable on each check).
    process.env.BUTTER_MOCK_QUOTAS = JSON.stringify(QUOTA_WORKSPACE);
    results.set('quota', run('quota', async (dir, env) => [await terraform(dir, env, 'apply', '-input=false', '-auto-approve', '-parallelism=30')]));
    await results.get('quota');
  }, 240_000);
  afterAll(async () => {
    if (savedQuotas === undefined) delete process.env.BUTTER_MOCK_QUOTAS;
    else process.env.BUTTER_MOCK_QUOTAS = savedQuotas;
    await Promise.all(clouds.map((c) => c.stop()));
    tmp.cleanup();
  });

  test('the corpus: at least the 53 cases issue 17 measured, each with its rule and source, ids unique', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(53);
    expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
    for (const c of CASES) {
      expect(c.rule.length).toBeGreaterThan(10);
      expect(c.source.length).toBeGreaterThan(10);
    }
    // The 11th disagreement (unsimulated types) runs through the mirror: unsimulated.test.ts.
    expect(CASES.filter((c) => c.issue17)).toHaveLength(10);
  });

  const refused = CASES.filter((c) => 'refused' in c.expect);
  test.each(refused.map((c) => [c.id, c] as const))('%s is refused with the real error', async (_id, c) => {
    const expectation = c.expect as { refused: string; at: string; error: RegExp };
    const [result] = await results.get(kind(c))!;
    expect(result.code).toBe(1);
    const blocks = errorBlocks(result).filter((b) => b.address?.startsWith(expectation.at));
    expect(blocks.map((b) => b.text)).toContainEqual(expect.stringMatching(expectation.error));
  });

  test('the refusals fail only where a case expects them (no stray error, no crash)', async () => {
    for (const name of ['validate', 'plan', 'apply', 'large', 'quota']) {
      const [result] = await results.get(name)!;
      const expected = refused.filter((c) => kind(c) === name).map((c) => (c.expect as { at: string }).at);
      const stray = errorBlocks(result).filter((b) => !expected.some((at) => b.address?.startsWith(at)));
      expect(stray.map((b) => b.text)).toEqual([]);
      expect(result.stdout + result.stderr).not.toMatch(/panic|stack trace|TypeError|bug in the simulation/i);
    }
  });

  test('accepted cases apply, and plan clean afterwards except where the real provider drifts too', async () => {
    const [applied, plan] = await results.get('accepted')!;
    expect(errorBlocks(applied).map((b) => b.text)).toEqual([]);
    expect(applied.code).toBe(0);
    const changing = [...plan.stdout.matchAll(/# (\S+) will be updated in-place/g)].map((m) => m[1]).sort();
    const drifting = CASES.flatMap((c) => ('drifts' in c.expect ? [c.expect.drifts] : [])).sort();
    expect(changing).toEqual(drifting);
    expect(plan.stdout).toContain(`Plan: 0 to add, ${drifting.length} to change, 0 to destroy.`);
    expect(plan.code).toBe(drifting.length > 0 ? 2 : 0);
  });
});
