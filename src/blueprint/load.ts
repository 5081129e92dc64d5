/**
 * Loading blueprints: file → YAML → schema check → the normalized shapes of types.ts.
 *
 * Everything a user can get wrong becomes a ButterError whose `file` is the path as the caller
 * gave it and whose `key` is the dotted path inside (`instance.disks[0].size`). Only the first
 * problem is reported (unknown keys first, then document order), so the same file always gives
 * the same error.
 *
 * Loaded files are cached by absolute path while the blueprint and its startup scripts are
 * unchanged (file-cache.ts): synthesizing 100 services from one blueprint reads and validates it
 * once. Results are deep-frozen, so no caller can change what the next one gets.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { z } from 'zod';
import { ButterError } from '../errors';
import { FileCache, ReadLog, readTracked } from './file-cache';
import { BlueprintCodes, BlueprintKind, formatKey, issuesToError, suggest } from './issues';
import { networkSchema, parseCidr, RawNetworkBlueprint, RawServiceBlueprint, serviceSchema } from './schema';
import { CloudName, ImageSpec, ImageSpecs, InitializationSpec, NetworkBlueprint, ServiceBlueprint, TemplateVarSpec } from './types';

export { BlueprintCodes };

/** The network used when a Network is given no blueprint: a /16 from 10.0.0.0/8, NAT per zone. */
export const DEFAULT_NETWORK_BLUEPRINT: NetworkBlueprint = deepFreeze({
  allowedPrivateCidr: '10.0.0.0/8',
  sizeBits: 16,
  nat: 'per-zone',
});

/** Defaults of a Service blueprint (normalized units; types.ts documents each). */
const SERVICE_DEFAULTS = {
  subnetworkMaxInstanceCount: 256,
  availabilityZones: 3,
  memoryMiB: 1024,
  cpus: 1,
  diskType: 'standard',
} as const;

/** Where a blueprint built in code comes from, for error messages and relative script paths. */
export interface BlueprintSource {
  /** Shown in errors and kept as `blueprint.file`. @default - none */
  readonly file?: string;
  /** Folder that `initialization[].path` is relative to. @default - `file`'s folder, else the current directory */
  readonly dir?: string;
}

/** Read, validate and normalize a Service blueprint file (or a folder holding `blueprint.yml`). */
export function loadServiceBlueprint(file: string): ServiceBlueprint {
  return cached('service', file, (obj, shown, log) => buildService(obj, { file: shown }, log));
}

/** Read, validate and normalize a Network blueprint file (or a folder holding `blueprint.yml`). */
export function loadNetworkBlueprint(file: string): NetworkBlueprint {
  return cached('network', file, (obj, shown) => parseNetworkBlueprint(obj, { file: shown }));
}

/** Validate and normalize a Service blueprint given as data (the YAML's shape, snake_case keys). */
export function parseServiceBlueprint(obj: unknown, source: BlueprintSource = {}): ServiceBlueprint {
  return buildService(obj, source);
}

/** Validate and normalize a Network blueprint given as data. */
export function parseNetworkBlueprint(obj: unknown, source: Pick<BlueprintSource, 'file'> = {}): NetworkBlueprint {
  const raw = validate(obj, 'network', source.file) as RawNetworkBlueprint;
  return deepFreeze(toNetwork(raw, source.file));
}

/** Forget every cached blueprint (tests; long-running processes that edit blueprints in place). */
export function clearBlueprintCache(): void {
  cache.clear();
}

// ---------------------------------------------------------------- validation

function validate(obj: unknown, kind: BlueprintKind, file: string | undefined): unknown {
  const where = { file };
  const example = `see example-blueprints/${kind === 'network' ? 'network' : 'aws-nginx'}/blueprint.yml`;
  if (obj === null || obj === undefined) {
    throw new ButterError(BlueprintCodes.EMPTY, 'the blueprint is empty', { ...where, hint: `add its sections (${kind === 'network' ? '`network:`' : '`instance:`, `image:`...'}); ${example}` });
  }
  if (typeof obj !== 'object' || Array.isArray(obj)) {
    const got = Array.isArray(obj) ? 'a list' : `a single value (${JSON.stringify(obj)})`;
    throw new ButterError(BlueprintCodes.NOT_MAPPING, `the top level must be a mapping of sections, got ${got}`, {
      ...where,
      hint: `start lines at the left margin with section names such as \`${kind === 'network' ? 'network' : 'instance'}:\`; ${example}`,
    });
  }
  const [schema, otherSchema] = kind === 'service' ? [serviceSchema, networkSchema] : [networkSchema, serviceSchema];
  const result = (schema as z.ZodType).safeParse(obj);
  if (!result.success) throw issuesToError(result.error.issues, { file, input: obj, kind, schema, otherSchema });
  return result.data;
}

// ---------------------------------------------------------------- normalization

/** `log` collects the scripts read, so a cached blueprint notices when one of them changes. */
function buildService(obj: unknown, source: BlueprintSource, log?: ReadLog): ServiceBlueprint {
  const raw = validate(obj, 'service', source.file) as RawServiceBlueprint;
  const dir = source.dir ?? (source.file ? path.dirname(path.resolve(source.file)) : process.cwd());
  return deepFreeze(toService(raw, source.file, dir, log));
}

function toNetwork(raw: RawNetworkBlueprint, file: string | undefined): NetworkBlueprint {
  const n = raw.network ?? {};
  const allowedPrivateCidr = n.allowed_private_cidr?.trim() ?? DEFAULT_NETWORK_BLUEPRINT.allowedPrivateCidr;
  const sizeBits = n.legacy_network_size_bits ?? DEFAULT_NETWORK_BLUEPRINT.sizeBits;
  const [, prefix] = parseCidr(allowedPrivateCidr)!;
  if (sizeBits > 32 - prefix) {
    throw new ButterError(BlueprintCodes.INVALID_VALUE, `a ${sizeBits}-bit network (/${32 - sizeBits}) does not fit in ${allowedPrivateCidr}`, {
      file,
      key: 'network.legacy_network_size_bits',
      hint: `use at most ${32 - prefix}, or widen network.allowed_private_cidr`,
    });
  }
  return { ...(file !== undefined && { file }), allowedPrivateCidr, sizeBits, nat: n.nat ?? DEFAULT_NETWORK_BLUEPRINT.nat };
}

function toService(raw: RawServiceBlueprint, file: string | undefined, dir: string, log?: ReadLog): ServiceBlueprint {
  const i = raw.instance ?? {};
  return {
    ...(file !== undefined && { file }),
    subnetworkMaxInstanceCount: raw.network?.subnetwork_max_instance_count ?? SERVICE_DEFAULTS.subnetworkMaxInstanceCount,
    availabilityZones: raw.placement?.availability_zones ?? SERVICE_DEFAULTS.availabilityZones,
    instance: {
      publicIp: i.public_ip ?? false,
      memoryMiB: i.memory ?? SERVICE_DEFAULTS.memoryMiB,
      cpus: i.cpus ?? SERVICE_DEFAULTS.cpus,
      gpus: i.gpu === true ? 1 : i.gpu === false || i.gpu === undefined ? 0 : i.gpu,
      disks: (i.disks ?? []).map((d) => ({
        sizeGiB: d.size,
        type: d.type ?? SERVICE_DEFAULTS.diskType,
        ...(d.device_name !== undefined && { deviceName: d.device_name }),
      })),
      ...(i.type !== undefined && { type: instanceTypes(i.type, file) }),
      selection: i.selection ?? 'cheapest',
      ...(i.architecture !== undefined && { architecture: i.architecture }),
    },
    image: images(raw.image),
    initialization: (raw.initialization ?? []).map((entry, n) => initialization(entry, n, file, dir, log)),
  };
}

/**
 * `type: t3.micro` (one name) is assigned to the cloud whose naming it follows: AWS types are
 * `family.size` (always a dot), Google machine types are `series-kind[-n]` (never a dot).
 */
function instanceTypes(t: string | { aws?: string; google?: string }, file: string | undefined): Partial<Record<CloudName, string>> {
  if (typeof t !== 'string') return { ...(t.aws && { aws: t.aws }), ...(t.google && { google: t.google }) };
  if (/^[a-z0-9-]+\.[a-z0-9-]+$/i.test(t)) return { aws: t };
  if (/^[a-z0-9]+(-[a-z0-9]+)+$/i.test(t)) return { google: t };
  throw new ButterError(BlueprintCodes.INVALID_VALUE, `cannot tell which cloud the instance type "${t}" belongs to`, {
    file,
    key: 'instance.type',
    hint: 'name it per cloud, e.g. `type: {aws: t3.micro, google: e2-small}`',
  });
}

function images(img: RawServiceBlueprint['image']): ImageSpecs {
  if (!img) return {};
  const spec = (s: { name?: string; family?: string; owner?: string }): ImageSpec => ({
    ...(s.name !== undefined && { name: s.name }),
    ...(s.family !== undefined && { family: s.family }),
    ...(s.owner !== undefined && { owner: s.owner }),
  });
  const flat = spec(img);
  return {
    ...(Object.keys(flat).length > 0 && { default: flat }),
    ...(img.aws && { aws: spec(img.aws) }),
    // Google images are published by a project; ImageSpec calls the publisher `owner` on both clouds.
    ...(img.google && { google: spec({ ...img.google, owner: img.google.project ?? img.google.owner }) }),
  };
}

type RawInit = NonNullable<RawServiceBlueprint['initialization']>[number];

function initialization(entry: RawInit, n: number, file: string | undefined, dir: string, log?: ReadLog): InitializationSpec {
  const key = `initialization[${n}]`;
  const scriptPath = path.resolve(dir, entry.path);
  const vars: Record<string, TemplateVarSpec> = {};
  for (const [name, v] of Object.entries(entry.vars ?? {})) {
    vars[name] = { required: v?.required ?? false, ...(v?.default !== undefined && { default: v.default }) };
  }
  return { path: scriptPath, source: readScript(scriptPath, entry.path, { dir, file, key: `${key}.path`, log }), vars, key };
}

interface ScriptContext {
  readonly dir: string;
  readonly file?: string;
  readonly key: string;
  readonly log?: ReadLog;
}

function readScript(abs: string, given: string, { dir, file, key, log }: ScriptContext): string {
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (stat?.isFile()) return readTracked(abs, log);
  const what = stat ? 'is not a file' : 'does not exist';
  const siblings = fs.existsSync(path.dirname(abs)) ? fs.readdirSync(path.dirname(abs)) : [];
  const close = suggest(path.basename(abs), siblings);
  throw new ButterError(BlueprintCodes.SCRIPT_NOT_FOUND, `startup script "${given}" ${what} (looked for ${abs})`, {
    file,
    key,
    hint: close
      ? `did you mean "${path.join(path.dirname(given), close)}"?`
      : `paths are relative to the blueprint's folder (${dir}); create the file or fix the path`,
  });
}

// ---------------------------------------------------------------- files, YAML and the cache

/** Per blueprint file: one result per spelling of its path (`file` is the path as given). */
const cache = new FileCache<Map<string, ServiceBlueprint | NetworkBlueprint>>();

function cached<T extends ServiceBlueprint | NetworkBlueprint>(
  kind: BlueprintKind,
  given: string,
  parse: (obj: unknown, shown: string, log: ReadLog) => T,
): T {
  const { abs, shown } = locate(given);
  const key = `${kind}:${abs}`;
  const variants = cache.get(key) as Map<string, T> | undefined;
  if (variants) {
    const same = variants.get(shown);
    if (same) return same;
    const copy = deepFreeze({ ...variants.values().next().value!, file: shown });
    variants.set(shown, copy);
    return copy;
  }
  const log: ReadLog = new Map();
  const result = parse(readYaml(abs, shown, log), shown, log);
  cache.set(key, new Map([[shown, result]]), log);
  return result;
}

/** The file to read for `given`: itself, or `blueprint.yml` inside it if it is a folder. */
function locate(given: string): { abs: string; shown: string } {
  const abs = path.resolve(given);
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (!stat) {
    throw new ButterError(BlueprintCodes.NOT_FOUND, 'blueprint file not found', {
      file: given,
      hint: `check the path (relative paths are resolved from ${process.cwd()})`,
    });
  }
  if (!stat.isDirectory()) return { abs, shown: given };
  for (const name of ['blueprint.yml', 'blueprint.yaml']) {
    if (fs.statSync(path.join(abs, name), { throwIfNoEntry: false })?.isFile()) {
      return { abs: path.join(abs, name), shown: path.join(given, name) };
    }
  }
  throw new ButterError(BlueprintCodes.NOT_FOUND, 'is a folder without a blueprint.yml', {
    file: given,
    hint: 'give the blueprint file itself, or a folder containing blueprint.yml',
  });
}

function readYaml(abs: string, shown: string, log: ReadLog): unknown {
  let text: string;
  try {
    text = readTracked(abs, log);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? 'read error';
    throw new ButterError(BlueprintCodes.UNREADABLE, `cannot read the blueprint (${reason})`, { file: shown, hint: 'check the file permissions' });
  }
  try {
    // js-yaml's default schema (YAML 1.2 core) reads the seed's `True`/`False` as booleans; the
    // YAML 1.1 words `yes`/`no`/`on`/`off` stay text, and issues.ts says so when one is used.
    return yaml.load(text, { filename: shown });
  } catch (e) {
    if (!(e instanceof yaml.YAMLException)) throw e;
    const line = e.mark ? e.mark.line + 1 : undefined;
    const at = e.mark ? ` at line ${line}, column ${e.mark.column + 1}` : '';
    throw new ButterError(BlueprintCodes.YAML, `YAML syntax error${at}: ${e.reason}`, {
      file: shown,
      hint: `fix the YAML${line ? ` around line ${line}` : ''}: indent with spaces (not tabs), put a space after \`:\`, and quote values containing \`: \` or \` #\``,
    });
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }
  return value;
}

// Exported for tests and tools that want to show keys the same way errors do.
export { formatKey };
