import * as fs from 'node:fs';
import { ButterError } from '../errors';

/**
 * A resource or data source instance from Terraform state, whatever the source: a state file
 * (format 4) or `terraform show -json`. Everything that reads deployed infrastructure
 * (inventory, reachability) works on this one shape.
 */
export interface StateResource {
  readonly mode: 'managed' | 'data';
  /** `aws_vpc`, `google_compute_firewall`, ... */
  readonly type: string;
  /** Terraform name (the cdktf logical id). */
  readonly name: string;
  /** `count`/`for_each` key, if any. */
  readonly index?: number | string;
  /** Attribute values as Terraform stored them. */
  readonly attributes: Readonly<Record<string, any>>;
}

/** Resources of a local state file; a missing file means nothing is deployed. */
export function readStateFile(file: string): StateResource[] {
  if (!fs.existsSync(file)) return [];
  let doc: any;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ButterError('STATE_INVALID', `Terraform state is not valid JSON: ${(e as Error).message}`, {
      file,
      hint: 'restore the file from its .backup next to it',
    });
  }
  return fromStateDocument(doc, file);
}

/** Resources of a parsed state document (format version 4). */
export function fromStateDocument(doc: any, file?: string): StateResource[] {
  if (doc?.version !== 4 || !Array.isArray(doc.resources)) {
    throw new ButterError('STATE_INVALID', 'not a Terraform state (format version 4)', { file, hint: 'point Butter at a terraform.tfstate file' });
  }
  return doc.resources.flatMap((r: any) => (r.instances ?? []).map((i: any) => ({
    mode: r.mode,
    type: r.type,
    name: r.name,
    index: i.index_key,
    attributes: i.attributes ?? {},
  })));
}

/** Resources of `terraform show -json` output (root module and child modules). */
export function fromShowJson(doc: any): StateResource[] {
  const out: StateResource[] = [];
  const walk = (module: any) => {
    for (const r of module?.resources ?? []) {
      out.push({ mode: r.mode, type: r.type, name: r.name, index: r.index, attributes: r.values ?? {} });
    }
    for (const child of module?.child_modules ?? []) walk(child);
  };
  walk(doc?.values?.root_module);
  return out;
}
