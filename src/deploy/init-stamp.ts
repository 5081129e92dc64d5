import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../util/atomic-file';

/**
 * When a mock stack's `terraform init` can be skipped.
 *
 * `init` sets up a working folder from the configuration's `terraform` block (backend and
 * required providers) and its modules; with the mock cloud's providers reattached nothing is
 * installed, and the state server's address (which changes every run) reaches Terraform through
 * its environment, not the backend block. So once a folder was initialized, another init with
 * the same `terraform` block, modules and reattached providers changes nothing, yet costs 0.1 s
 * a stack. After a successful init, the key of what it depended on is kept inside `.terraform`
 * (deleting that folder forgets it), with the stamp of the backend settings init wrote there
 * (`.terraform/terraform.tfstate`): an init run by hand, with another backend block, changes
 * that file and so invalidates the key. The next run compares both.
 *
 * Only reattached providers: through the filesystem mirror, init installs plugins and writes the
 * dependency lock file, and always runs.
 */
const STAMP = path.join('.terraform', 'butter-init.json');
const BACKEND_SETTINGS = path.join('.terraform', 'terraform.tfstate');

/**
 * The key of what init depends on in a stack's configuration (its cdk.tf.json, as written into
 * the folder), or undefined when it must always run.
 */
export function initKey(config: unknown, env: Readonly<Record<string, string>>): string | undefined {
  if (!env.TF_REATTACH_PROVIDERS) return undefined;
  try {
    const c = config as { terraform?: unknown; module?: Record<string, { source?: unknown; version?: unknown } | null> };
    const modules = Object.entries(c.module ?? {}).map(([name, m]) => [name, m?.source, m?.version]);
    const reattached = Object.keys(JSON.parse(env.TF_REATTACH_PROVIDERS) as Record<string, unknown>).sort();
    return createHash('sha256').update(JSON.stringify([c.terraform, modules, reattached, env.TF_CLI_CONFIG_FILE ?? ''])).digest('hex');
  } catch {
    return undefined; // not an object: init runs, and Terraform says what is wrong
  }
}

/** True when `workdir` was initialized for `key`, by Butter, and not again since. */
export function initIsCurrent(workdir: string, key: string | undefined): boolean {
  if (key === undefined) return false;
  try {
    const recorded = JSON.parse(fs.readFileSync(path.join(workdir, STAMP), 'utf8')) as { key?: string; backend?: string };
    return recorded.key === key && recorded.backend === backendStamp(workdir);
  } catch {
    return false;
  }
}

/** Remember that `workdir` was initialized for `key`; with no key, forget any earlier one. */
export function recordInit(workdir: string, key: string | undefined): void {
  const file = path.join(workdir, STAMP);
  const backend = backendStamp(workdir);
  if (key === undefined || backend === undefined) fs.rmSync(file, { force: true });
  else writeFileAtomic(file, JSON.stringify({ key, backend }));
}

function backendStamp(workdir: string): string | undefined {
  try {
    const s = fs.statSync(path.join(workdir, BACKEND_SETTINGS));
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return undefined;
  }
}
