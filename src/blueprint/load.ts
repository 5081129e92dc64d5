/**
 * Loading blueprints: file → YAML → schema check → the normalized shapes of types.ts.
 *
 * Everything a user can get wrong becomes a ButterError whose `file` is the path as the caller
 * gave it, whose `key` is the dotted path inside (`instance.disks[0].size`) and whose `line` is
 * where that key is written. Every problem of a file is reported at once, in document order
 * (several as one `BLUEPRINT_INVALID` error listing them), so the same file always gives the
 * same error and one run shows everything to fix.
 *
 * Loaded files are cached by absolute path while the blueprint and its startup scripts are
 * unchanged (file-cache.ts): synthesizing 100 services from one blueprint reads and validates it
 * once. Results are deep-frozen, so no caller can change what the next one gets.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ZodMiniType } from '../util/zod';
import { ButterError, cut, displayPath, isButterError } from '../errors';
import { isYamlProblem, ParsedYaml, parseYaml } from './yaml';
import { FileCache, ReadLog, readTracked } from './file-cache';
import { MAX_BLUEPRINT_BYTES, MAX_SCRIPT_BYTES, MAX_SCRIPTS_TOTAL_BYTES } from '../util/input-file';
import { BlueprintCodes, BlueprintKind, combineLocated, formatKey, issuesToErrors, LocatedError, parseKey, suggest } from './issues';
import { networkSchema, parseCidr, RawNetworkBlueprint, RawServiceBlueprint, serviceSchema } from './schema';
import {
  CloudName, HealthCheckSpec, ImageSpec, ImageSpecs, InitializationSpec, LoadBalancerSpec, NetworkBlueprint, ServiceBlueprint, TemplateVarSpec,
} from './types';

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
  targetCpuPercent: 60,
  healthCheck: { intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 3, unhealthyThreshold: 3, gracePeriodSeconds: 300 },
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
  return cached('service', file, (doc, shown, log) => buildService(doc.value, { file: shown }, log, doc.lineOf));
}

/** Read, validate and normalize a Network blueprint file (or a folder holding `blueprint.yml`). */
export function loadNetworkBlueprint(file: string): NetworkBlueprint {
  return cached('network', file, (doc, shown) => buildNetwork(doc.value, shown, doc.lineOf));
}

/** Validate and normalize a Service blueprint given as data (the YAML's shape, snake_case keys). */
export function parseServiceBlueprint(obj: unknown, source: BlueprintSource = {}): ServiceBlueprint {
  return buildService(obj, source);
}

/** Validate and normalize a Network blueprint given as data. */
export function parseNetworkBlueprint(obj: unknown, source: Pick<BlueprintSource, 'file'> = {}): NetworkBlueprint {
  return buildNetwork(obj, source.file);
}

/** Forget every cached blueprint (tests; long-running processes that edit blueprints in place). */
export function clearBlueprintCache(): void {
  cache.clear();
}

// ---------------------------------------------------------------- validation

type LineOf = (path: readonly PropertyKey[]) => number | undefined;

/**
 * Every problem of a blueprint is reported in one error, in document order: a person fixing a
 * shared blueprint should not need one run per mistake. Problems are collected from the schema,
 * from the startup scripts (checked even when other keys are wrong) and from normalization.
 */
class Problems {
  private readonly found: LocatedError[] = [];

  constructor(private readonly input: unknown, private readonly file: string | undefined, private readonly lineOf?: LineOf) {}

  public add(...found: LocatedError[]): void {
    this.found.push(...found);
  }

  /** Run `fn`; a ButterError it throws is recorded (at its key) instead of stopping the load. */
  public attempt<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (!isButterError(e)) throw e;
      this.found.push({ path: e.key ? parseKey(e.key) : [], error: e });
      return undefined;
    }
  }

  public get empty(): boolean {
    return this.found.length === 0;
  }

  /** Throw them all as one error, if there are any. */
  public throwIfAny(): void {
    if (this.found.length) throw combineLocated(this.found, this.input, { file: this.file, lineOf: this.lineOf });
  }
}

/** The top level must be a mapping: anything else is one problem, reported alone. */
function checkTop(obj: unknown, kind: BlueprintKind, file: string | undefined): void {
  const where = { file };
  const example = `see example-blueprints/${kind === 'network' ? 'network' : 'aws-nginx'}/blueprint.yml`;
  if (obj === null || obj === undefined) {
    throw new ButterError(BlueprintCodes.EMPTY, 'the blueprint is empty', { ...where, hint: `add its sections (${kind === 'network' ? '`network:`' : '`instance:`, `image:`...'}); ${example}` });
  }
  if (typeof obj !== 'object' || Array.isArray(obj)) {
    const got = Array.isArray(obj) ? 'a list' : `a single value (${cut(JSON.stringify(obj) ?? String(obj))})`;
    throw new ButterError(BlueprintCodes.NOT_MAPPING, `the top level must be a mapping of sections, got ${got}`, {
      ...where,
      hint: `start lines at the left margin with section names such as \`${kind === 'network' ? 'network' : 'instance'}:\`; ${example}`,
    });
  }
}

/** The schema's verdict: the validated data, or undefined with every problem added to `problems`. */
function validate(obj: unknown, kind: BlueprintKind, file: string | undefined, problems: Problems): unknown {
  const [schema, otherSchema] = kind === 'service' ? [serviceSchema, networkSchema] : [networkSchema, serviceSchema];
  const result = (schema as ZodMiniType).safeParse(obj);
  if (result.success) return result.data;
  problems.add(...issuesToErrors(result.error.issues, { file, input: obj, kind, schema, otherSchema }));
  return undefined;
}

// ---------------------------------------------------------------- normalization

function buildNetwork(obj: unknown, file: string | undefined, lineOf?: LineOf): NetworkBlueprint {
  checkTop(obj, 'network', file);
  const problems = new Problems(obj, file, lineOf);
  const raw = validate(obj, 'network', file, problems) as RawNetworkBlueprint | undefined;
  const network = raw && problems.attempt(() => toNetwork(raw, file));
  problems.throwIfAny();
  return deepFreeze(network!);
}

/** `log` collects the scripts read, so a cached blueprint notices when one of them changes. */
function buildService(obj: unknown, source: BlueprintSource, log?: ReadLog, lineOf?: LineOf): ServiceBlueprint {
  const file = source.file;
  checkTop(obj, 'service', file);
  const problems = new Problems(obj, file, lineOf);
  const raw = validate(obj, 'service', file, problems) as RawServiceBlueprint | undefined;
  const dir = source.dir ?? (file ? path.dirname(path.resolve(file)) : process.cwd());
  const sources = readScripts(obj, file, dir, problems, log);
  const service = raw && problems.empty ? problems.attempt(() => toService(raw, file, sources)) : undefined;
  problems.throwIfAny();
  return deepFreeze(service!);
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
  return { ...(file !== undefined && { file }), allowedPrivateCidr, sizeBits, nat: n.nat ?? DEFAULT_NETWORK_BLUEPRINT.nat, ...(n.flow_logs !== undefined && { flowLogs: n.flow_logs }) };
}

function toService(raw: RawServiceBlueprint, file: string | undefined, sources: ReadonlyMap<number, Script>): ServiceBlueprint {
  const i = raw.instance ?? {};
  const scripts = (raw.initialization ?? []).map((entry, n) => initialization(entry, n, sources.get(n)!));
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
      ...(i.google !== undefined && {
        google: {
          ...(i.google.os_login !== undefined && { osLogin: i.google.os_login }),
          ...(i.google.block_project_ssh_keys !== undefined && { blockProjectSshKeys: i.google.block_project_ssh_keys }),
          ...(i.google.serial_port !== undefined && { serialPort: i.google.serial_port }),
        },
      }),
    },
    image: images(raw.image),
    initialization: scripts,
    ...(raw.load_balancer !== undefined && { loadBalancer: loadBalancer(raw.load_balancer) }),
    ...(raw.health_check !== undefined && { healthCheck: healthCheck(raw.health_check) }),
    ...(raw.scaling !== undefined && {
      scaling: { min: raw.scaling.min, max: raw.scaling.max, targetCpuPercent: raw.scaling.target_cpu_percent ?? SERVICE_DEFAULTS.targetCpuPercent },
    }),
  };
}

function loadBalancer(lb: NonNullable<RawServiceBlueprint['load_balancer']>): LoadBalancerSpec {
  const type = lb.type ?? 'application';
  const listeners = lb.listeners ?? [{ protocol: type === 'application' ? 'http' as const : 'tcp' as const, port: 80 }];
  return {
    type,
    scheme: lb.scheme ?? 'internet-facing',
    listeners: listeners.map((l) => ({
      protocol: l.protocol,
      port: l.port,
      targetPort: l.target_port ?? l.port,
      ...(l.certificate !== undefined && { certificate: l.certificate }),
    })),
    ...(lb.allowed_cidrs !== undefined && { allowedCidrs: lb.allowed_cidrs.map((c) => c.trim()) }),
  };
}

function healthCheck(h: NonNullable<RawServiceBlueprint['health_check']>): HealthCheckSpec {
  const d = SERVICE_DEFAULTS.healthCheck;
  return {
    ...(h.protocol !== undefined && { protocol: h.protocol }),
    ...(h.path !== undefined && { path: h.path }),
    ...(h.port !== undefined && { port: h.port }),
    intervalSeconds: h.interval ?? d.intervalSeconds,
    timeoutSeconds: h.timeout ?? d.timeoutSeconds,
    healthyThreshold: h.healthy_threshold ?? d.healthyThreshold,
    unhealthyThreshold: h.unhealthy_threshold ?? d.unhealthyThreshold,
    gracePeriodSeconds: h.grace_period ?? d.gracePeriodSeconds,
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

/** A startup script as read: its real path and its text. */
interface Script {
  readonly path: string;
  readonly source: string;
}

function initialization(entry: RawInit, n: number, script: Script): InitializationSpec {
  const vars: Record<string, TemplateVarSpec> = {};
  for (const [name, v] of Object.entries(entry.vars ?? {})) {
    vars[name] = { required: v?.required ?? false, ...(v?.default !== undefined && { default: v.default }) };
  }
  return { path: script.path, source: script.source, vars, key: `initialization[${n}]` };
}

/**
 * Every startup script the blueprint names with a usable path, by entry index, read from the
 * unvalidated blueprint so that script problems are reported with every other problem.
 */
function readScripts(obj: unknown, file: string | undefined, dir: string, problems: Problems, log?: ReadLog): Map<number, Script> {
  const out = new Map<number, Script>();
  const entries = (obj as { initialization?: unknown }).initialization;
  if (!Array.isArray(entries)) return out;
  entries.forEach((entry: unknown, n) => {
    const given = (entry as { path?: unknown } | null)?.path;
    if (typeof given !== 'string' || given === '') return; // the schema reports it
    const key = `initialization[${n}].path`;
    const script = problems.attempt(() => {
      const real = containedScript(given, { dir, file, key });
      // Read through the checked real path (a symlink swapped afterwards cannot lead out); shown
      // and kept as the path the blueprint wrote.
      const source = readTracked(real, {
        code: BlueprintCodes.SCRIPT_UNREADABLE, what: 'startup script', maxBytes: MAX_SCRIPT_BYTES, shown: cut(given), file, key,
      }, log);
      return { path: path.resolve(dir, given), source };
    });
    if (script) out.set(n, script);
  });
  problems.attempt(() => checkScriptsTotal([...out.values()], file));
  return out;
}

/** Google's metadata limit for all of an instance's scripts together (input-file.ts says why). */
function checkScriptsTotal(scripts: readonly Script[], file: string | undefined): void {
  const total = scripts.reduce((sum, s) => sum + Buffer.byteLength(s.source), 0);
  if (total > MAX_SCRIPTS_TOTAL_BYTES) {
    throw new ButterError(BlueprintCodes.SCRIPT_UNREADABLE, `the startup scripts add up to ${Math.ceil(total / 1024)} KiB, more than the ${MAX_SCRIPTS_TOTAL_BYTES / 1024} KiB an instance's metadata can hold`, {
      file,
      key: 'initialization',
      hint: 'make the scripts smaller: download large content at boot instead of embedding it',
    });
  }
}

interface ScriptContext {
  readonly dir: string;
  readonly file?: string;
  readonly key: string;
}

/**
 * The real path of the script `given` names, which must be inside the blueprint's folder even
 * after following symlinks: a blueprint from someone else must not be able to put
 * `/etc/passwd`, `~/.aws/credentials` or `/proc/self/environ` into user data.
 */
function containedScript(given: string, { dir, file, key }: ScriptContext): string {
  const outside = (problem: string) => new ButterError(BlueprintCodes.SCRIPT_OUTSIDE, `startup script "${cut(given)}" ${problem}`, {
    file,
    key,
    hint: `startup scripts must be files inside the blueprint's folder (${displayPath(dir)}); copy the script there and give its relative path`,
  });
  if (path.isAbsolute(given)) throw outside('is an absolute path');
  const abs = path.resolve(dir, given);
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch (e) {
    if (!isInside(realDir(dir), path.resolve(realDir(dir), given))) throw outside('is outside the blueprint\'s folder');
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw scriptNotFound(abs, given, { dir, file, key });
    throw new ButterError(BlueprintCodes.SCRIPT_UNREADABLE, `startup script "${cut(given)}" cannot be resolved (${code})`, {
      file, key, hint: 'check the path and the permissions of the folders on it',
    });
  }
  if (!isInside(realDir(dir), real)) throw outside(`is outside the blueprint's folder (it leads to ${real})`);
  return real;
}

function realDir(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel !== '' && !rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel);
}

function scriptNotFound(abs: string, given: string, { dir, file, key }: ScriptContext): ButterError {
  const parent = realDir(path.dirname(abs));
  const listable = fs.statSync(parent, { throwIfNoEntry: false })?.isDirectory() && (parent === realDir(dir) || isInside(realDir(dir), parent));
  const siblings = listable ? fs.readdirSync(parent) : [];
  const close = suggest(path.basename(abs), siblings);
  return new ButterError(BlueprintCodes.SCRIPT_NOT_FOUND, `startup script "${cut(given)}" does not exist (looked for ${abs})`, {
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
  parse: (doc: ParsedYaml, shown: string, log: ReadLog) => T,
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

function readYaml(abs: string, shown: string, log: ReadLog): ParsedYaml {
  const text = readTracked(abs, { code: BlueprintCodes.UNREADABLE, what: 'the blueprint', maxBytes: MAX_BLUEPRINT_BYTES, shown }, log);
  // js-yaml's default schema (YAML 1.2 core) reads the seed's `True`/`False` as booleans; the
  // YAML 1.1 words `yes`/`no`/`on`/`off` stay text, and issues.ts says so when one is used.
  const parsed = parseYaml(text, { filename: shown });
  if (isYamlProblem(parsed)) {
    throw new ButterError(parsed.problem.startsWith('YAML syntax') ? BlueprintCodes.YAML : BlueprintCodes.TOO_COMPLEX, parsed.problem, { file: shown, hint: parsed.hint });
  }
  return parsed;
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
