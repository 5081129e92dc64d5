/**
 * The apples-to-apples check: Butter and the bare cdktf app must synthesize the same Terraform
 * resource and data types, as many of each. If they did not, the timing ratio would compare
 * different infrastructures. Run on small N (the counts scale linearly, so small N suffices).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runChild, Sample } from './measure';

export interface TypeCounts { [type: string]: number }

export interface ParityResult {
  readonly n: number;
  readonly butter: TypeCounts;
  readonly bare: TypeCounts;
  /** CloudFormation resource types of the AWS CDK app (a different resource set; for reference). */
  readonly awscdk: TypeCounts;
  /** Types whose counts differ between Butter and bare (empty when they match). */
  readonly mismatches: string[];
  /**
   * Attribute paths (`aws_subnet.lifecycle.precondition[].condition`) present on one side only:
   * the same types with different nested blocks would still be different work. Reported, not
   * fatal, so a new Butter attribute shows up here until bare.ts gets it too.
   */
  readonly shapeDifferences: { butterOnly: string[]; bareOnly: string[] };
  /** Sizes of the synthesized documents, in bytes. */
  readonly bytes: { butter: number; bare: number; awscdk: number };
}

/** `resource.aws_vpc` -> `aws_vpc`, `data.aws_ami` -> `data.aws_ami`: how many blocks of each. */
export function terraformTypeCounts(file: string): TypeCounts {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  const counts: TypeCounts = {};
  for (const [type, blocks] of Object.entries<Record<string, unknown>>(doc.resource ?? {})) counts[type] = Object.keys(blocks).length;
  for (const [type, blocks] of Object.entries<Record<string, unknown>>(doc.data ?? {})) counts[`data.${type}`] = Object.keys(blocks).length;
  counts['(locals)'] = Object.keys(doc.locals ?? {}).length;
  return counts;
}

function cloudFormationTypeCounts(file: string): TypeCounts {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  const counts: TypeCounts = {};
  for (const r of Object.values<{ Type: string }>(doc.Resources ?? {})) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  return counts;
}

/** Every attribute path used by each resource/data type, array indexes folded into `[]`. */
export function attributePaths(file: string): Set<string> {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  const paths = new Set<string>();
  const walk = (prefix: string, value: unknown): void => {
    if (Array.isArray(value)) value.forEach((v) => walk(`${prefix}[]`, v));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) if (k !== '//') walk(`${prefix}.${k}`, v);
    } else paths.add(prefix);
  };
  for (const section of ['resource', 'data']) {
    for (const [type, blocks] of Object.entries<Record<string, unknown>>(doc[section] ?? {})) {
      for (const block of Object.values(blocks)) walk(section === 'data' ? `data.${type}` : type, block);
    }
  }
  return paths;
}

async function synthKeep(workload: string, n: number): Promise<Sample> {
  const r = await runChild(workload, n, { keepOutput: true });
  if (!r.ok) throw new Error(`${workload} N=${n} failed (${r.reason}):\n${r.detail}`);
  return r;
}

export async function checkParity(n: number): Promise<ParityResult> {
  const [butter, bare, cdk] = [await synthKeep('butter', n), await synthKeep('bare', n), await synthKeep('awscdk-novalidate', n)];
  try {
    const tf = (s: Sample) => path.join(s.outdir!, 'stacks', 'bench', 'cdk.tf.json');
    const cfn = path.join(cdk.outdir!, 'bench.template.json');
    const b = terraformTypeCounts(tf(butter));
    const r = terraformTypeCounts(tf(bare));
    const types = [...new Set([...Object.keys(b), ...Object.keys(r)])].sort();
    const bp = attributePaths(tf(butter));
    const rp = attributePaths(tf(bare));
    return {
      n,
      butter: b,
      bare: r,
      awscdk: cloudFormationTypeCounts(cfn),
      mismatches: types.filter((t) => b[t] !== r[t]),
      shapeDifferences: { butterOnly: [...bp].filter((x) => !rp.has(x)).sort(), bareOnly: [...rp].filter((x) => !bp.has(x)).sort() },
      bytes: { butter: fs.statSync(tf(butter)).size, bare: fs.statSync(tf(bare)).size, awscdk: fs.statSync(cfn).size },
    };
  } finally {
    for (const s of [butter, bare, cdk]) fs.rmSync(path.dirname(s.outdir!), { recursive: true, force: true });
  }
}
