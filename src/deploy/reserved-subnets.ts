/**
 * The subnets of deployed state, for `butter deploy`/`plan` to hand to the app before it
 * synthesizes (see `RESERVED_SUBNETS_ENV` in src/planning/address-book.ts for why).
 *
 * Only the states at hand on this machine are read: the mock deploy's own files
 * (`.butter/mock/stacks/<stack>/butter.tfstate`) and cdktf's local state files
 * (`terraform.<stack>.tfstate`), mock and real alike, since one ledger serves both. Declared
 * remote backends are not pulled here: that needs `terraform init` per stack and credentials on
 * every deploy; state-sources.ts reads them for the `--deployed` questions.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readStateFile } from '../state/resources';
import { writeFileAtomic } from '../util/atomic-file';
import { RESERVED_SUBNETS_ENV } from '../planning/address-book';
import { mockStateFile } from './deploy';

/** Attribute holding a subnet's block, per Terraform resource type. */
const SUBNET_CIDR_ATTRIBUTE: Readonly<Record<string, string>> = {
  aws_subnet: 'cidr_block',
  google_compute_subnetwork: 'ip_cidr_range',
};

/** Every subnet CIDR in the state files at hand in project `cwd`, sorted, without duplicates. */
export function deployedSubnets(cwd: string): string[] {
  const files: string[] = [];
  const stacks = path.join(cwd, '.butter', 'mock', 'stacks');
  if (fs.existsSync(stacks)) for (const name of fs.readdirSync(stacks)) files.push(mockStateFile(cwd, name));
  for (const f of fs.readdirSync(cwd)) if (/^terraform\..+\.tfstate$/.test(f)) files.push(path.join(cwd, f));
  const found = new Set<string>();
  for (const file of files) {
    if (!fs.existsSync(file)) continue;
    for (const r of readStateFile(file)) {
      const attribute = r.mode === 'managed' ? SUBNET_CIDR_ATTRIBUTE[r.type] : undefined;
      const value = attribute ? r.attributes[attribute] : undefined;
      if (typeof value === 'string' && value !== '') found.add(value);
    }
  }
  return [...found].sort();
}

/**
 * Write the deployed subnets of `cwd` to `.butter/deployed-subnets.txt` and return the
 * environment naming it for the app; an empty environment when nothing is deployed.
 */
export function reservedSubnetsEnv(cwd: string): Record<string, string> {
  const subnets = deployedSubnets(cwd);
  if (subnets.length === 0) return {};
  const file = path.join(cwd, '.butter', 'deployed-subnets.txt');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, `${subnets.join('\n')}\n`);
  return { [RESERVED_SUBNETS_ENV]: file };
}
