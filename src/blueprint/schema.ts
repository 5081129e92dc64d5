/**
 * The shape of blueprint YAML, as zod schemas. Keys are the seed's snake_case. Every object is
 * strict so a misspelt key is an error instead of a silently ignored setting.
 *
 * Defaults are NOT applied here (load.ts fills them while mapping to types.ts): this file says
 * what may be written, load.ts says what it means. Each leaf carries a `KeyDoc` (an example and
 * what it expects) that issues.ts uses to write hints, so the hint text lives next to the key.
 *
 * Sizes are parsed here (as transforms) rather than later so that a bad size is reported in
 * document order together with every other problem.
 */
import * as z from '../util/zod';
import { isButterError } from '../errors';
import { parseSize, toGiB } from './sizes';

/** Help for one key, read by issues.ts when that key is wrong or missing. */
export interface KeyDoc {
  /** A correct line, e.g. `memory: 4GB`. */
  readonly example?: string;
  /** What the value should be, e.g. `a size such as 4GB` (used when the type is wrong). */
  readonly expects?: string;
  /** Extra advice appended to every hint about this key. */
  readonly advice?: string;
  /** For free-form mappings: what their keys are called (`variable name`), for bad-key errors. */
  readonly keyName?: string;
}

/** Docs for schema nodes. A private registry: zod's global one is shared with other code. */
export const keyDocs = z.registry<KeyDoc>();

function doc<T extends z.$ZodType>(schema: T, d: KeyDoc): T {
  keyDocs.add(schema, d);
  return schema;
}

/** A custom problem raised inside a schema; issues.ts turns `params` into the ButterError. */
export interface CustomProblem {
  readonly code: string;
  readonly problem: string;
  readonly hint?: string;
}

type Ctx = z.$RefinementCtx<unknown>;

function report(ctx: Ctx, p: CustomProblem, path?: PropertyKey[]): void {
  ctx.addIssue({ code: 'custom', message: p.problem, params: { ...p }, ...(path ? { path } : {}) });
}

/** A size, parsed to MiB (memory) or whole GiB (disks) by sizes.ts; its error becomes an issue. */
function size(parse: (v: unknown) => number, d: KeyDoc) {
  return doc(
    z.pipe(z.unknown(), z.transform((value, ctx) => {
      // A transform is handed the parse payload itself (no `addIssue`): its issues are pushed.
      if (value === undefined) {
        // Reported like any other missing key (issues.ts words it and takes the hint from `d`).
        ctx.issues.push({ code: 'invalid_type', expected: 'string', input: value, message: 'missing', path: [] });
        return z.NEVER;
      }
      try {
        return parse(value);
      } catch (e) {
        if (!isButterError(e)) throw e;
        const p: CustomProblem = { code: e.code, problem: e.problem, hint: e.hint };
        ctx.issues.push({ code: 'custom', input: value, message: p.problem, params: { ...p }, path: [] });
        return z.NEVER;
      }
    })),
    d,
  );
}

const WHOLE = 'a whole number';

const text = (d: KeyDoc) => doc(z.string().check(z.minLength(1)), { expects: 'text', ...d });

// ---------------------------------------------------------------- service blueprint

const disk = z.strictObject({
  size: size((v) => toGiB(v), { example: 'size: 8GB', expects: 'a size such as 8GB' }),
  type: z.optional(text({ example: 'type: standard', advice: 'Butter types are standard, ssd and magnetic; a cloud-native name such as gp3 or pd-ssd also works' })),
  device_name: z.optional(text({ example: 'device_name: /dev/sda1' })),
});

const instanceType = doc(
  z.union([
    text({ example: 'type: t3.micro' }),
    z.strictObject({
      aws: z.optional(text({ example: 'aws: t3.micro' })),
      google: z.optional(text({ example: 'google: e2-small' })),
    }).check(z.refine((t) => t.aws || t.google, {
      params: { code: 'BLUEPRINT_MISSING_KEY', problem: 'names no instance type', hint: 'give `aws:` and/or `google:`, e.g. `type: {aws: t3.micro, google: e2-small}`' },
    })),
  ]),
  { expects: 'an instance type name or a per-cloud mapping', example: 'type: {aws: t3.micro, google: e2-small}' },
);

/** `instance.google`: overrides of Butter's secure Google VM defaults (checks issue). */
const googleInstance = z.strictObject({
  os_login: z.optional(doc(z.boolean(), { example: 'os_login: true', advice: 'Butter turns OS Login on; false leaves SSH access to keys in metadata' })),
  block_project_ssh_keys: z.optional(doc(z.boolean(), { example: 'block_project_ssh_keys: true' })),
  serial_port: z.optional(doc(z.boolean(), { example: 'serial_port: false', advice: 'the interactive serial console is off unless this is true' })),
});

const instance = z.strictObject({
  google: z.optional(googleInstance),
  public_ip: z.optional(doc(z.boolean(), { example: 'public_ip: true' })),
  memory: z.optional(size((v) => parseSize(v), { example: 'memory: 4GB', expects: 'a size such as 4GB' })),
  cpus: z.optional(doc(z.number().check(z.positive()), { example: 'cpus: 2' })),
  gpu: z.optional(doc(z.union([z.boolean(), z.int().check(z.minimum(0))]), { example: 'gpu: false', expects: 'true, false or a number of GPUs' })),
  disks: z.optional(doc(z.array(disk), { example: 'disks: [{size: 8GB}]' })),
  type: z.optional(instanceType),
  selection: z.optional(doc(z.enum(['cheapest', 'requirements']), { example: 'selection: cheapest' })),
  architecture: z.optional(doc(z.enum(['x86_64', 'arm64']), { example: 'architecture: x86_64' })),
});

const awsImage = z.strictObject({
  name: text({ example: 'name: "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"' }),
  owner: z.optional(text({ example: 'owner: "099720109477"', advice: 'usually unnecessary: well-known publishers are found from the name' })),
});

const googleImage = z
  .strictObject({
    family: z.optional(text({ example: 'family: ubuntu-2204-lts' })),
    name: z.optional(text({ example: 'name: ubuntu-2204-jammy-v20240319' })),
    project: z.optional(text({ example: 'project: ubuntu-os-cloud' })),
    // Accepted as a synonym because the flat form (and other Butter messages) call it `owner`.
    owner: z.optional(text({ example: 'project: ubuntu-os-cloud' })),
  })
  .check(
    z.refine((g) => !(g.project && g.owner && g.project !== g.owner), {
      path: ['owner'],
      params: { code: 'BLUEPRINT_INVALID_VALUE', problem: 'gives both `project` and `owner`, and they differ', hint: 'keep only `project` (the project publishing the image)' },
    }),
    z.refine((g) => g.family || g.name, {
      path: ['family'],
      params: { code: 'BLUEPRINT_MISSING_KEY', problem: 'a Google image needs a `family` or a `name`', hint: 'add `family: ubuntu-2204-lts` (or `name:` for one exact image)' },
    }),
  );

const image = z
  .strictObject({
    name: z.optional(text({ example: 'name: "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"' })),
    family: z.optional(text({ example: 'family: ubuntu-2204-lts' })),
    owner: z.optional(text({ example: 'owner: ubuntu-os-cloud' })),
    aws: z.optional(awsImage),
    google: z.optional(googleImage),
  })
  .check(z.refine((i) => i.name || i.family || i.aws || i.google, {
    params: { code: 'BLUEPRINT_MISSING_KEY', problem: 'names no image', hint: 'add `name:` (AWS AMI name pattern), `family:` (Google), or per-cloud `aws:` / `google:` entries' },
  }));

/** Template variable names become nunjucks identifiers, so they must be valid ones. */
export const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// `NAME:` with nothing under it declares an optional variable without a default.
const templateVar = z.nullable(
  z
    .strictObject({
      required: z.optional(doc(z.boolean(), { example: 'required: true' })),
      default: z.optional(z.unknown()),
    })
    .check(z.refine((v) => !(v.required && v.default !== undefined), {
      path: ['default'],
      params: { code: 'BLUEPRINT_INVALID_VALUE', problem: 'a required variable cannot have a default', hint: 'remove `required: true` or remove `default:`' },
    })),
);

const initialization = z.strictObject({
  path: text({ example: 'path: setup.sh', advice: "the path is relative to the blueprint file's folder" }),
  vars: z.optional(doc(z.record(z.string().check(z.regex(VAR_NAME)), templateVar), {
    example: 'vars: {PrivateIps: {required: true}}',
    keyName: 'variable name',
    advice: 'variable names are letters, digits and underscores, not starting with a digit (they are template names)',
  })),
});

// ---------------------------------------------------------------- balancing, health, scaling

const wholeIn = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));
const port = (d: KeyDoc) => doc(wholeIn(1, 65535), { expects: 'a port number from 1 to 65535', ...d });
const seconds = (min: number, max: number, d: KeyDoc) =>
  doc(wholeIn(min, max), { expects: `a whole number of seconds from ${min} to ${max}`, ...d });

const listener = z.strictObject({
  protocol: doc(z.enum(['http', 'https', 'tcp', 'udp']), {
    example: 'protocol: http',
    advice: 'an application balancer takes http and https, a network balancer tcp and udp',
  }),
  port: port({ example: 'port: 80' }),
  target_port: z.optional(port({ example: 'target_port: 8080', advice: "the instances' port; the listener's port when left out" })),
  certificate: z.optional(text({
    example: 'certificate: arn:aws:acm:us-east-1:123456789012:certificate/...',
    advice: 'AWS: an ACM certificate ARN; Google: the name or self link of a regional SSL certificate',
  })),
});

/** A check that runs even when parts of the value are malformed, so every problem is reported at once. */
const always = { when: () => true };

const loadBalancer = z
  .strictObject({
    type: z.optional(doc(z.enum(['application', 'network']), { example: 'type: application', advice: 'application: HTTP/HTTPS; network: TCP/UDP' })),
    scheme: z.optional(doc(z.enum(['internet-facing', 'internal']), { example: 'scheme: internet-facing' })),
    listeners: z.optional(doc(z.array(listener).check(z.minLength(1), z.maxLength(10)), { example: 'listeners: [{protocol: http, port: 80}]' })),
    allowed_cidrs: z.optional(doc(z.array(z.string().check(z.superRefine((v, ctx) => {
      const problem = cidrProblem(v);
      if (problem) report(ctx, problem);
    }))).check(z.minLength(1), z.maxLength(50)), {
      example: 'allowed_cidrs: [0.0.0.0/0]',
      advice: 'who may reach the listeners; the internet (0.0.0.0/0) when internet-facing, the network when internal, if left out',
    })),
  })
  .check(z.superRefine((lb, ctx) => {
    // Runs even when some listener is malformed (`always`): hence the type guards on what it reads.
    const type = lb.type === 'network' ? 'network' : 'application';
    const all = Array.isArray(lb.listeners) ? lb.listeners : [];
    all.forEach((l, i) => {
      if (typeof l !== 'object' || l === null) return;
      const fits = type === 'application' ? ['http', 'https'] : ['tcp', 'udp'];
      if (typeof l.protocol === 'string' && ['http', 'https', 'tcp', 'udp'].includes(l.protocol) && !fits.includes(l.protocol)) {
        report(ctx, {
          code: 'BLUEPRINT_INVALID_VALUE',
          problem: `a ${type} balancer cannot listen on ${l.protocol}`,
          hint: `use ${fits.join(' or ')}, or set \`type: ${type === 'application' ? 'network' : 'application'}\``,
        }, ['listeners', i, 'protocol']);
      }
      if (l.protocol === 'https' && l.certificate === undefined) {
        report(ctx, {
          code: 'BLUEPRINT_MISSING_KEY',
          problem: 'an https listener needs a certificate',
          hint: 'add `certificate:` (AWS: an ACM certificate ARN; Google: a regional SSL certificate), or listen on http',
        }, ['listeners', i, 'certificate']);
      }
      if (l.protocol !== 'https' && l.certificate !== undefined) {
        report(ctx, {
          code: 'BLUEPRINT_INVALID_VALUE',
          problem: `only https listeners take a certificate (this one is ${l.protocol})`,
          hint: 'remove `certificate:` or set `protocol: https`',
        }, ['listeners', i, 'certificate']);
      }
      const twin = all.findIndex((o) => typeof o === 'object' && o !== null && o.port === l.port && (o.protocol === l.protocol || type === 'application'));
      if (typeof l.port === 'number' && twin !== i) {
        report(ctx, {
          code: 'BLUEPRINT_INVALID_VALUE',
          problem: `port ${l.port} is already taken by listeners[${twin}]`,
          hint: 'give each listener its own port',
        }, ['listeners', i, 'port']);
      }
    });
  }, always));

const healthCheck = z
  .strictObject({
    protocol: z.optional(doc(z.enum(['http', 'tcp']), { example: 'protocol: http' })),
    path: z.optional(doc(z.string().check(z.regex(/^\/[\x21-\x7e]{0,1023}$/)), { example: 'path: /healthz', expects: 'a path starting with /, printable characters only' })),
    port: z.optional(port({ example: 'port: 80' })),
    interval: z.optional(seconds(5, 300, { example: 'interval: 30' })),
    timeout: z.optional(seconds(2, 120, { example: 'timeout: 5' })),
    healthy_threshold: z.optional(doc(wholeIn(2, 10), { example: 'healthy_threshold: 3', expects: 'a whole number from 2 to 10' })),
    unhealthy_threshold: z.optional(doc(wholeIn(2, 10), { example: 'unhealthy_threshold: 3', expects: 'a whole number from 2 to 10' })),
    grace_period: z.optional(seconds(0, 7200, { example: 'grace_period: 300', advice: 'how long a new instance may be unhealthy before it is replaced' })),
  })
  .check(z.superRefine((h, ctx) => {
    if (typeof (h.timeout ?? 5) !== 'number' || typeof (h.interval ?? 30) !== 'number') return;
    if ((h.timeout ?? 5) >= (h.interval ?? 30)) {
      report(ctx, {
        code: 'BLUEPRINT_INVALID_VALUE',
        problem: `the timeout (${h.timeout ?? 5}s) must be shorter than the interval (${h.interval ?? 30}s)`,
        hint: 'lower `timeout:` or raise `interval:`',
      }, [h.timeout !== undefined ? 'timeout' : 'interval']);
    }
    if (h.protocol === 'tcp' && h.path !== undefined) {
      report(ctx, { code: 'BLUEPRINT_INVALID_VALUE', problem: 'a tcp health check has no path', hint: 'remove `path:` or set `protocol: http`' }, ['path']);
    }
  }, always));

const scaling = z
  .strictObject({
    min: doc(wholeIn(0, 1000), { example: 'min: 2', expects: 'a whole number of instances' }),
    max: doc(wholeIn(1, 1000), { example: 'max: 10', expects: 'a whole number of instances' }),
    target_cpu_percent: z.optional(doc(z.number().check(z.gt(0), z.maximum(100)), { example: 'target_cpu_percent: 60', expects: 'a percentage above 0, at most 100' })),
  })
  .check(z.superRefine((s, ctx) => {
    if (typeof s.min !== 'number' || typeof s.max !== 'number') return;
    if (s.min > s.max) {
      report(ctx, { code: 'BLUEPRINT_INVALID_VALUE', problem: `min (${s.min}) is more than max (${s.max})`, hint: 'make min at most max' }, ['min']);
    }
  }, always));

export const serviceSchema = z.strictObject({
  network: z.optional(z.strictObject({
    subnetwork_max_instance_count: z.optional(doc(z.int().check(z.minimum(1)), { example: 'subnetwork_max_instance_count: 256', expects: WHOLE })),
  })),
  placement: z.optional(z.strictObject({
    availability_zones: z.optional(doc(wholeIn(1, 6), { example: 'availability_zones: 3', expects: WHOLE })),
  })),
  instance: z.optional(instance),
  image: z.optional(image),
  initialization: z.optional(doc(z.array(initialization), { example: 'initialization: [{path: setup.sh}]' })),
  load_balancer: z.optional(loadBalancer),
  health_check: z.optional(healthCheck),
  scaling: z.optional(scaling),
}).check(z.superRefine((bp, ctx) => {
  // Subnets are sized for the most instances the group may ever run.
  const room = bp?.network?.subnetwork_max_instance_count ?? 256;
  if (typeof room === 'number' && typeof bp?.scaling?.max === 'number' && bp.scaling.max > room) {
    report(ctx, {
      code: 'BLUEPRINT_INVALID_VALUE',
      problem: `max (${bp.scaling.max}) is more than the subnets are sized for (network.subnetwork_max_instance_count: ${room})`,
      hint: `raise network.subnetwork_max_instance_count to at least ${bp.scaling.max}, or lower max`,
    }, ['scaling', 'max']);
  }
}, { when: (payload) => typeof payload.value === 'object' && payload.value !== null }));

export type RawServiceBlueprint = z.output<typeof serviceSchema>;

// ---------------------------------------------------------------- network blueprint

export const networkSchema = z.strictObject({
  network: z.optional(z.strictObject({
    legacy_network_size_bits: z.optional(doc(wholeIn(4, 16), {
      example: 'legacy_network_size_bits: 16',
      expects: WHOLE,
      advice: 'it is the number of host bits of the network block (16 = a /16); AWS allows /16 (16) down to /28 (4)',
    })),
    allowed_private_cidr: z.optional(doc(z.string().check(z.superRefine((v, ctx) => {
      const problem = privateCidrProblem(v);
      if (problem) report(ctx, problem);
    })), { example: 'allowed_private_cidr: 10.0.0.0/8' })),
    nat: z.optional(doc(z.enum(['per-zone', 'single', 'none']), { example: 'nat: per-zone' })),
    flow_logs: z.optional(doc(z.enum(['off', 'on']), { example: 'flow_logs: on', advice: 'on: AWS VPC flow logs to CloudWatch Logs, Google subnet flow logs' })),
  })),
});

export type RawNetworkBlueprint = z.output<typeof networkSchema>;

// ---------------------------------------------------------------- CIDR checks

/** RFC 1918 private ranges: a network's addresses must not collide with the internet's. */
const PRIVATE_RANGES: ReadonlyArray<readonly [string, number]> = [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
];

/** Parse `a.b.c.d/n` to [address as uint32, prefix length], or undefined. */
export function parseCidr(cidr: string): [number, number] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  return [octets.reduce((acc, o) => acc * 256 + o, 0), prefix];
}

function formatIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/**
 * Any IPv4 block, private or public (who may reach a balancer); `example` is the block the hint
 * writes for a value that is not a block at all.
 */
function cidrProblem(cidr: string, example = '`203.0.113.0/24`, or `0.0.0.0/0` for the internet'): CustomProblem | undefined {
  const code = 'BLUEPRINT_INVALID_VALUE';
  const parsed = parseCidr(cidr);
  if (!parsed) return { code, problem: `"${cidr}" is not an IPv4 CIDR block`, hint: `write it like ${example}` };
  const [addr, prefix] = parsed;
  const blockSize = 2 ** (32 - prefix);
  const base = addr - (addr % blockSize);
  if (base !== addr) return { code, problem: `"${cidr}" has host bits set`, hint: `did you mean \`${formatIp(base)}/${prefix}\`?` };
  return undefined;
}

function privateCidrProblem(cidr: string): CustomProblem | undefined {
  const code = 'BLUEPRINT_INVALID_VALUE';
  const malformed = cidrProblem(cidr, '`10.0.0.0/8`');
  if (malformed) return malformed;
  const [addr, prefix] = parseCidr(cidr)!;
  const inside = PRIVATE_RANGES.some(([start, len]) => {
    const [s] = parseCidr(`${start}/${len}`)!;
    return prefix >= len && addr >= s && addr < s + 2 ** (32 - len);
  });
  if (!inside) {
    return {
      code,
      problem: `"${cidr}" is not a private range`,
      hint: 'use a block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (RFC 1918)',
    };
  }
  return undefined;
}
