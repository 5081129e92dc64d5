/**
 * The benchmark's own dependencies (aws-cdk-lib, for the comparison) live in bench/package.json
 * and bench/node_modules, never in the library's package.json: installed on first run from the
 * lock file, so every machine compares against the same AWS CDK version.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './build';

const BENCH = path.join(ROOT, 'bench');

export function ensureBenchDependencies(): void {
  if (fs.existsSync(path.join(BENCH, 'node_modules', 'aws-cdk-lib', 'package.json'))) return;
  console.log('Installing the benchmark dependencies (npm ci --prefix bench) ...');
  const r = spawnSync('npm', ['ci', '--prefix', BENCH, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm ci --prefix bench failed');
}

/** Versions of what is compared, for the record. */
export function versions(): Record<string, string> {
  const v = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version as string;
  return {
    node: process.version,
    cdktf: v(path.join(ROOT, 'node_modules', 'cdktf')),
    '@cdktf/provider-aws': v(path.join(ROOT, 'node_modules', '@cdktf', 'provider-aws')),
    'aws-cdk-lib': v(path.join(BENCH, 'node_modules', 'aws-cdk-lib')),
  };
}
