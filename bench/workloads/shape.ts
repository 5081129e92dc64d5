/**
 * What every workload builds, written once so the three implementations cannot drift apart:
 * one AWS network in us-east-1 with three zones, N services of three instances (one per zone),
 * and a path on port 80 from each service to the next one (i -> i+1).
 */
import * as path from 'node:path';

export const REGION = 'us-east-1';
export const ZONES = 3;
export const PORT = 80;
/** What Butter's fitting picks for 1 vCPU / 4 GiB on amd64; the bare and CDK versions pin it. */
export const INSTANCE_TYPE = 't3a.medium';
export const IMAGE_NAME = 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*';
/** Canonical, the owner Butter fills in for `ubuntu/images/` names. */
export const IMAGE_OWNER = '099720109477';
export const DISK_GIB = 8;

/** bench/fixtures, found from the precompiled copy (bench/.build/bench/workloads) and the source alike. */
export function fixturesDir(): string {
  let dir = __dirname;
  while (path.basename(dir) !== 'bench' || path.basename(path.dirname(dir)) === '.build') dir = path.dirname(dir);
  return path.join(dir, 'fixtures');
}

/** Service names, zero-padded so construct ids sort like the numbers. */
export function serviceName(i: number): string {
  return `svc${String(i).padStart(4, '0')}`;
}
