/**
 * The workspace file, `butter.workspace.json`: the desired Networks, Services and Paths of
 * someone working without writing a stack (the `butter network|service|paths` commands and the
 * {@link Client}). Pure: reading, validating and writing the file; no cdktf, no Terraform.
 *
 * The file records what *is deployed* (a change is written only after Terraform applied it), so
 * it can be committed and reviewed like any other infrastructure code.
 */
import * as path from 'node:path';
import * as z from '../util/zod';
import { ButterError, cut } from '../errors';
import { readJsonFile } from '../util/json-file';
import { formatKey, suggest } from '../blueprint/issues';
import { writeFileAtomic } from '../util/atomic-file';
import { Port } from '../model/port';
import { formatCidr, parseCidr } from '../planning/ipv4';

/** The workspace file's name inside the workspace folder. */
export const WORKSPACE_FILE = 'butter.workspace.json';

/** Where a workspace deploys: the local mock of a cloud, or the real cloud with your credentials. */
export type Target = 'mock-aws' | 'mock-google' | 'aws' | 'google';

/** Every target, in the order help texts list them. */
export const TARGETS: readonly Target[] = ['mock-aws', 'mock-google', 'aws', 'google'];

/** A Network of the workspace. */
export interface WorkspaceNetwork {
  readonly name: string;
  /**
   * Network blueprint, relative to the workspace folder.
   * @default - the default network (10.0.0.0/8 range, a /16, NAT per zone)
   */
  readonly blueprint?: string;
}

/** A Service of the workspace. */
export interface WorkspaceService {
  /** The network it is in. */
  readonly network: string;
  readonly name: string;
  /** Service blueprint, relative to the workspace folder. */
  readonly blueprint: string;
  /**
   * Instances to run.
   * @default - one per zone of the blueprint
   */
  readonly count?: number;
  /**
   * Values of the startup scripts' template variables.
   * @default {}
   */
  readonly vars?: Readonly<Record<string, unknown>>;
}

/** A Path of the workspace: traffic allowed into `destination`. */
export interface WorkspacePath {
  readonly network: string;
  /** A service of the same network, or a CIDR block (`0.0.0.0/0` is the internet). */
  readonly source: string;
  /** A service of the network. */
  readonly destination: string;
  /** `80`, `tcp:80`, `udp:53`, `tcp:8000-8080`, `icmp`, `all`; stored in the canonical form. */
  readonly port: string;
}

/**
 * Where the workspace's stacks keep their Terraform state on real clouds, so a team can share
 * one workspace through git plus a backend. Only names, never credentials: those come from the
 * environment as Terraform reads them (PG_CONN_STR, AWS_*, GOOGLE_*). Each network is one stack
 * with its own state: the settings are prefixes, completed per network. Mock targets keep the
 * mock's own state whatever this says, as `butter deploy --mock` does.
 */
export type WorkspaceBackend =
  | { readonly type: 'local' }
  /** Terraform's pg backend: schema `<schemaPrefix>_<network>`. @default schemaPrefix 'butter' */
  | { readonly type: 'pg'; readonly schemaPrefix?: string }
  /** s3: object `<keyPrefix>/ws-<network>.tfstate` in `bucket`. @default keyPrefix 'butter' */
  | { readonly type: 's3'; readonly bucket: string; readonly keyPrefix?: string; readonly region?: string }
  /** gcs: prefix `<prefix>/ws-<network>` in `bucket`. @default prefix 'butter' */
  | { readonly type: 'gcs'; readonly bucket: string; readonly prefix?: string };

/** The whole workspace file. */
export interface Workspace {
  /** Format version; bumped on incompatible changes. */
  readonly version: 1;
  readonly target: Target;
  readonly region: string;
  /**
   * Google Cloud project (Google targets only).
   * @default - none
   */
  readonly project?: string;
  /**
   * Where real-cloud state lives.
   * @default - local: `terraform.ws-<network>.tfstate` in the workspace folder
   */
  readonly backend?: WorkspaceBackend;
  readonly networks: readonly WorkspaceNetwork[];
  readonly services: readonly WorkspaceService[];
  readonly paths: readonly WorkspacePath[];
}

/**
 * Names of networks and services: they become construct ids, Terraform stack names, folder
 * names and (sanitized) cloud resource names, so keep them to what all of those accept.
 */
const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;
const NAME_RULE = 'a letter, then up to 62 letters, digits, `-` or `_`';

const name = z.string().check(z.regex(NAME));
/**
 * A backend setting: plain names and paths only. No `${`/`%{` (Terraform templates), quotes,
 * spaces, control characters, `..` segments or leading `/`: the values end up in Terraform JSON
 * and must only ever mean a name.
 */
const setting = z.string().check(z.regex(/^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/));
/** A PostgreSQL schema name prefix (the network is appended): an unquoted identifier. */
const pgIdentifier = z.string().check(z.regex(/^[a-z_][a-z0-9_]{0,39}$/));
const backend = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('local') }),
  z.strictObject({ type: z.literal('pg'), schemaPrefix: z.optional(pgIdentifier) }),
  z.strictObject({ type: z.literal('s3'), bucket: setting, keyPrefix: z.optional(setting), region: z.optional(setting) }),
  z.strictObject({ type: z.literal('gcs'), bucket: setting, prefix: z.optional(setting) }),
]);
const nonEmpty = z.string().check(z.minLength(1));
const schema = z.strictObject({
  version: z.literal(1),
  target: z.enum(TARGETS as [Target, ...Target[]]),
  region: nonEmpty,
  project: z.optional(nonEmpty),
  backend: z.optional(backend),
  networks: z.array(z.strictObject({ name, blueprint: z.optional(nonEmpty) })),
  services: z.array(z.strictObject({
    network: name,
    name,
    blueprint: nonEmpty,
    count: z.optional(z.int().check(z.minimum(0))),
    vars: z.optional(z.record(z.string(), z.unknown())),
  })),
  paths: z.array(z.strictObject({
    network: name,
    source: nonEmpty,
    destination: name,
    port: z.union([nonEmpty, z.int()]),
  })),
});

/** A workspace with nothing in it yet. */
export function emptyWorkspace(target: Target, region: string, project?: string): Workspace {
  return { version: 1, target, region, ...(project ? { project } : {}), networks: [], services: [], paths: [] };
}

/** True for the targets served by the local mock cloud. */
export function isMockTarget(target: Target): boolean {
  return target.startsWith('mock-');
}

/** The cloud a target builds on. */
export function cloudOf(target: Target): 'aws' | 'google' {
  return target.endsWith('google') ? 'google' : 'aws';
}

/**
 * Read and validate the workspace file; undefined when there is none yet. Throws
 * `WORKSPACE_INVALID` naming the file and the key of the first problem.
 */
export function readWorkspace(file: string): Workspace | undefined {
  const value = readJsonFile(file, {
    code: 'WORKSPACE_INVALID',
    what: 'the workspace file',
    readHint: 'check that it is a readable file',
    syntaxHint: 'fix the JSON syntax (restore it from version control if unsure)',
  });
  if (value === undefined) return undefined;
  return parseWorkspace(value, file);
}

/** Validate a parsed workspace document (shape, then references between its entries). */
export function parseWorkspace(value: unknown, file?: string): Workspace {
  const result = schema.safeParse(value);
  if (!result.success) {
    // A misspelt key also makes the right one "missing": report the misspelling, which says both.
    const issues = result.error.issues;
    throw issueError(issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0], value, file);
  }
  const raw = result.data;
  const ws: Workspace = {
    ...raw,
    // Ports are kept canonical so that `80` and `tcp:80` are one path.
    paths: raw.paths.map((p, i) => ({ ...p, port: canonicalPort(p.port, { file, key: `paths[${i}].port` }) })),
  };
  checkReferences(ws, file);
  return ws;
}

/** Write the workspace atomically (a crash leaves the old or the new file, never half of one). */
export function writeWorkspace(file: string, ws: Workspace): void {
  writeFileAtomic(file, `${JSON.stringify(ws, null, 2)}\n`);
}

/** `80`, `'tcp:80'` → `'tcp:80'`; throws `PORT_INVALID` with the key. */
export function canonicalPort(port: number | string, where: { file?: string; key?: string } = {}): string {
  try {
    return Port.parse(String(port)).toString();
  } catch (e) {
    if (e instanceof ButterError) throw e.withLocation(where);
    throw e;
  }
}

/**
 * A path source as stored: a service name as it is, a CIDR block normalized, `internet` as
 * `0.0.0.0/0`. Undefined when it is neither a known service nor a CIDR block.
 */
export function canonicalSource(source: string, services: readonly string[]): string | undefined {
  if (services.includes(source)) return source;
  if (source.toLowerCase() === 'internet') return '0.0.0.0/0';
  try {
    return formatCidr(parseCidr(source.trim()));
  } catch {
    return undefined;
  }
}

/** Throws `NAME_INVALID` unless `value` is a valid network or service name. */
export function checkName(kind: 'network' | 'service', value: string): void {
  if (!NAME.test(value)) {
    throw new ButterError('NAME_INVALID', `"${cut(value)}" is not a valid ${kind} name`, { hint: `use ${NAME_RULE}` });
  }
}

/** The closest of `candidates` to `word`, as a hint ("did you mean ...?" or the list of names). */
export function nameHint(word: string, candidates: readonly string[], what: string): string {
  if (candidates.length === 0) return `there are no ${what}s yet`;
  const close = suggest(word, candidates);
  return close ? `did you mean "${close}"? (${what}s: ${candidates.join(', ')})` : `${what}s are: ${candidates.join(', ')}`;
}

function checkReferences(ws: Workspace, file?: string): void {
  const fail = (key: string, problem: string, hint: string) => new ButterError('WORKSPACE_INVALID', problem, { file, key, hint });
  const networks = ws.networks.map((n) => n.name);
  ws.networks.forEach((n, i) => {
    if (networks.indexOf(n.name) !== i) throw fail(`networks[${i}].name`, `network "${n.name}" is listed twice`, 'keep one entry per network');
  });
  const seen = new Set<string>();
  ws.services.forEach((s, i) => {
    if (!networks.includes(s.network)) throw fail(`services[${i}].network`, `network "${s.network}" is not in "networks"`, nameHint(s.network, networks, 'network'));
    const id = `${s.network}/${s.name}`;
    if (seen.has(id)) throw fail(`services[${i}].name`, `service "${id}" is listed twice`, 'keep one entry per service');
    seen.add(id);
  });
  const paths = new Set<string>();
  ws.paths.forEach((p, i) => {
    if (!networks.includes(p.network)) throw fail(`paths[${i}].network`, `network "${p.network}" is not in "networks"`, nameHint(p.network, networks, 'network'));
    const services = ws.services.filter((s) => s.network === p.network).map((s) => s.name);
    if (!services.includes(p.destination)) {
      throw fail(`paths[${i}].destination`, `service "${p.destination}" is not in network "${p.network}"`, nameHint(p.destination, services, 'service'));
    }
    if (canonicalSource(p.source, services) !== p.source) {
      throw fail(`paths[${i}].source`, `"${p.source}" is neither a service of network "${p.network}" nor a CIDR block`,
        `use a service name (${services.join(', ') || 'none yet'}) or a block such as 0.0.0.0/0`);
    }
    const id = `${p.network} ${p.source} ${p.destination} ${p.port}`;
    if (paths.has(id)) throw fail(`paths[${i}]`, `the path from ${p.source} to ${p.destination} on ${p.port} is listed twice`, 'keep one entry per path');
    paths.add(id);
  });
}

/** One zod issue as a ButterError naming the key, in words (zod's own wording is not shown). */
function issueError(issue: z.$ZodIssue, input: unknown, file?: string): ButterError {
  const key = issue.path.length ? formatKey(issue.path) : undefined;
  const at = (problem: string, hint: string, k = key) => new ButterError('WORKSPACE_INVALID', problem, { file, key: k, hint });
  const value = issue.path.reduce<any>((v, seg) => (v == null ? undefined : v[seg as any]), input);
  if (issue.path[0] === 'backend') {
    const backendError = backendIssue(issue, value, at);
    if (backendError) return backendError;
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      const bad = issue.keys[0];
      const allowed = allowedKeys(issue.path);
      const close = suggest(bad, allowed);
      return at(`unknown key "${bad}"`, close ? `did you mean "${close}"?` : `remove it; allowed keys: ${allowed.join(', ')}`, formatKey([...issue.path, bad]));
    }
    case 'invalid_type':
      if (value === undefined) return at(`missing required key "${String(issue.path[issue.path.length - 1] ?? '')}"`, 'add it (see the README for the format)');
      return at(`expected ${issue.expected === 'array' ? 'a list' : issue.expected}, got ${quoted(value)}`, 'fix the value');
    case 'invalid_value':
      return at(`${quoted(value)} is not one of: ${issue.values.map(String).join(', ')}`,
        typeof value === 'string' && suggest(value, issue.values.map(String)) ? `did you mean "${suggest(value, issue.values.map(String))}"?` : 'use one of those');
    case 'invalid_format':
      return at(`${quoted(value)} is not a valid name`, `use ${NAME_RULE}`);
    default:
      return at(`${quoted(value)} is not valid here`, 'fix the value (see the README for the format)');
  }
}

/** Words for the backend's issues: which backends, which characters, and where credentials go. */
function backendIssue(issue: z.$ZodIssue, value: unknown, at: (problem: string, hint: string, k?: string) => ButterError): ButterError | undefined {
  const last = issue.path[issue.path.length - 1];
  // Untrusted values are quoted, not echoed whole (a megabyte of bucket name stays out of the message).
  const text = JSON.stringify(value) ?? String(value);
  const shown = text.length > 80 ? `${text.slice(0, 60)}… (${text.length} characters)` : text;
  if (last === 'type' || issue.code === 'invalid_union') {
    return at(`${shown} is not a backend Butter configures`, 'use one of: local, pg, s3, gcs (any other backend: declare it in a cdktf stack)', 'backend.type');
  }
  if (issue.code === 'invalid_format') {
    return at(`${shown} is not a valid ${String(last)}`, last === 'schemaPrefix'
      ? 'use lower-case letters, digits and `_`, starting with a letter or `_` (at most 40)'
      : 'use letters, digits, `.`, `_`, `-` and `/` (a plain name: no spaces, quotes, `..` or Terraform expressions)');
  }
  if (issue.code === 'unrecognized_keys') {
    return at(`unknown key "${issue.keys[0]}" in "backend"`, 'credentials and connection strings never go in the workspace file: Terraform reads them from the environment (PG_CONN_STR, AWS_*, GOOGLE_*); other keys: type, schemaPrefix, bucket, keyPrefix, region, prefix', `backend.${issue.keys[0]}`);
  }
  return undefined;
}

/** A value from the file as JSON, cut to a readable length. */
function quoted(value: unknown): string {
  return cut(JSON.stringify(value) ?? String(value));
}

function allowedKeys(at: readonly PropertyKey[]): string[] {
  const section = at.find((seg) => typeof seg === 'string');
  if (section === 'networks') return ['name', 'blueprint'];
  if (section === 'services') return ['network', 'name', 'blueprint', 'count', 'vars'];
  if (section === 'paths') return ['network', 'source', 'destination', 'port'];
  if (section === 'backend') return ['type', 'schemaPrefix', 'bucket', 'keyPrefix', 'region', 'prefix'];
  return ['version', 'target', 'region', 'project', 'backend', 'networks', 'services', 'paths'];
}

/** A path relative to the workspace folder as stored (`/` separators, so the file is portable). */
export function toStoredPath(dir: string, file: string): string {
  return path.relative(dir, path.resolve(file)).split(path.sep).join('/');
}

/** A stored path back to an absolute one. */
export function fromStoredPath(dir: string, stored: string): string {
  return path.resolve(dir, stored);
}
