import * as fs from 'node:fs';
import * as path from 'node:path';
import { REAL_PROVIDER_TYPES } from '../data/real-provider-types';
import { Diagnostic } from './diagnostics';

/**
 * Saying "the mock does not simulate X" on every path, not only through `butter deploy`.
 *
 * Terraform asks a provider for its schema before it reads a configuration, and answers a type
 * missing from the schema with its own "The provider hashicorp/aws does not support resource type
 * …", which claims the real provider lacks it. A schema cannot declare types generically (every
 * argument a configuration sets must be in the type's schema). So the plugin, which Terraform
 * starts in its working directory, looks at the configuration there (the root module's `*.tf` and
 * `*.tf.json`, and the modules `terraform init` installed) for types of its own provider that it
 * does not simulate, and answers GetProviderSchema with an error naming them. Types the real
 * provider does not have either are left to Terraform's own message, which is then right.
 *
 * The configuration is untrusted: only regular files of at most 32 MiB are read, at most 2,000 of
 * them across at most 200 module folders (within the working directory), and what is read is only
 * searched for type names.
 */

const MAX_FILE_BYTES = 32 * 1024 * 1024;
const MAX_FILES = 2000;
const MAX_MODULES = 200;

/** A resource or data source type a configuration uses. */
export interface UsedType {
  readonly kind: 'resource' | 'data';
  readonly type: string;
  /** The file that uses it, relative to the working directory. */
  readonly file: string;
}

/** `resource "aws_vpc" "main" {` / `data "aws_ami" "x" {` at the start of a line (HCL). */
const HCL_BLOCK = /^[ \t]*(resource|data)[ \t]+"?([A-Za-z][A-Za-z0-9_-]*)"?/gm;

function typesInFile(file: string, rel: string, out: UsedType[]): void {
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return;
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return;
  }
  if (file.endsWith('.json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return; // Terraform reports bad JSON itself.
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    for (const kind of ['resource', 'data'] as const) {
      const block = (parsed as Record<string, unknown>)[kind];
      if (typeof block === 'object' && block !== null && !Array.isArray(block)) {
        for (const type of Object.keys(block)) out.push({ kind, type, file: rel });
      }
    }
    return;
  }
  for (const m of text.matchAll(HCL_BLOCK)) out.push({ kind: m[1] as 'resource' | 'data', type: m[2], file: rel });
}

/** Module folders `terraform init` installed (`.terraform/modules/modules.json`), inside `dir`. */
function moduleDirs(dir: string): string[] {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, '.terraform', 'modules', 'modules.json'), 'utf8')) as { Modules?: { Dir?: unknown }[] };
    const root = path.resolve(dir);
    return (manifest.Modules ?? [])
      .map((m) => (typeof m.Dir === 'string' ? path.resolve(dir, m.Dir) : ''))
      .filter((d) => d !== '' && d !== root && d.startsWith(root + path.sep))
      .slice(0, MAX_MODULES);
  } catch {
    return [];
  }
}

/** The resource and data source types the configuration in `dir` uses. */
export function configuredTypes(dir: string): UsedType[] {
  const out: UsedType[] = [];
  let files = 0;
  for (const folder of [path.resolve(dir), ...moduleDirs(dir)]) {
    let names: string[];
    try {
      names = fs.readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      if (!name.endsWith('.tf') && !name.endsWith('.tf.json')) continue;
      if (++files > MAX_FILES) return out;
      const file = path.join(folder, name);
      typesInFile(file, path.relative(dir, file) || name, out);
    }
  }
  return out;
}

let realTypes: Map<string, { resources: Set<string>; dataSources: Set<string> }> | undefined;

/** Whether the real provider `provider` (aws, google) has the type. */
export function realProviderHas(provider: string, kind: 'resource' | 'data', type: string): boolean {
  realTypes ??= new Map(Object.entries(REAL_PROVIDER_TYPES).map(([p, t]) => [p, {
    resources: new Set(t.resources.split(/\s+/).filter(Boolean)),
    dataSources: new Set(t.dataSources.split(/\s+/).filter(Boolean)),
  }]));
  const known = realTypes.get(provider);
  const prefix = `${provider}_`;
  if (!known || !type.startsWith(prefix)) return false;
  return (kind === 'resource' ? known.resources : known.dataSources).has(type.slice(prefix.length));
}

/**
 * Error diagnostics for the types of `provider` that the configuration in `dir` uses, the real
 * provider has, and the mock does not simulate.
 */
export function unsimulatedDiagnostics(
  dir: string, provider: string, simulated: { resources: ReadonlySet<string>; data: ReadonlySet<string> },
): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const used of configuredTypes(dir)) {
    if (!used.type.startsWith(`${provider}_`)) continue;
    if ((used.kind === 'resource' ? simulated.resources : simulated.data).has(used.type)) continue;
    if (!realProviderHas(provider, used.kind, used.type)) continue;
    const key = `${used.kind} ${used.type}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const what = used.kind === 'data' ? `data source ${used.type}` : `resource type ${used.type}`;
    out.push({
      severity: 'error',
      summary: `the Butter mock cloud does not simulate ${what} (the real provider hashicorp/${provider} has it)`,
      detail: `${used.file} uses it. The mock ${provider} cloud simulates only some types (see src/mock/${provider}/README.md); `
        + 'deploy this configuration to the real cloud, or leave the type out of what you test against the mock.',
    });
  }
  return out;
}
