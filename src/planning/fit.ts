/**
 * Instance fitting: from "what each instance needs" (vCPUs, memory, GPUs, the image's
 * architecture) to a concrete instance / machine type. Pure: bundled catalogs, no cdktf, no
 * network, so the same blueprint always gets the same type and plans can be tested offline.
 */
import { ButterError } from '../errors';
import { Architecture, CloudName, InstanceSelection } from '../blueprint/types';
import { AWS_INSTANCE_TYPES } from './catalog/aws-instance-types';
import { GOOGLE_ACCELERATORS, GOOGLE_CUSTOM_SERIES, GOOGLE_MACHINE_TYPES } from './catalog/google-machine-types';
import { AwsInstanceFacts, GoogleCustomSeriesRules, GoogleMachineFacts, MIB_PER_GIB } from './catalog/types';
import { editDistance } from '../util/edit-distance';

/** What one instance needs. */
export interface FitRequest {
  /** vCPUs, at least. */
  readonly cpus: number;
  /** Memory in MiB, at least. */
  readonly memoryMiB: number;
  /** GPUs, at least; 0 means "no GPU type at all". */
  readonly gpus: number;
  /** The image's architecture; the type must match it exactly. */
  readonly architecture: Architecture;
}

/** A chosen AWS instance type. */
export interface AwsFit {
  /** Instance type name, e.g. `t3a.medium`. */
  readonly type: string;
  /** Catalog facts of that type. */
  readonly facts: AwsInstanceFacts;
  /** One sentence for people reading plans: the requirement, the price and why this type. */
  readonly reason: string;
}

/** Options of {@link fitAwsInstanceType}. */
export interface AwsFitOptions {
  /**
   * Whether burstable (T family) types may be chosen. They are the cheapest for small, mostly
   * idle services, but sustained CPU beyond their baseline costs extra.
   * @default true
   */
  readonly allowBurstable?: boolean;
}

/**
 * The cheapest AWS type for `req`, ties broken by name so the answer never depends on catalog
 * order. Rules, each for a reason:
 * - same architecture as the image: an arm64 AMI does not boot on x86_64 and vice versa;
 * - at least the vCPUs, memory and GPUs asked for: that is the request;
 * - no GPU type when no GPU is asked for: GPU types are priced for the GPU, and their capacity
 *   is scarce, so one is never a sensible way to buy plain CPU and memory;
 * - no superseded type: a newer family gives as much for the same money or less.
 * Throws `INSTANCE_NO_FIT` naming the biggest candidate when nothing is big enough.
 */
export function fitAwsInstanceType(req: FitRequest, opts: AwsFitOptions = {}): AwsFit {
  checkRequest(req);
  const options = AWS_INSTANCE_TYPES
    .filter((t) => !t.previousGeneration)
    .filter((t) => t.architecture === req.architecture)
    .filter((t) => opts.allowBurstable !== false || !t.burstable)
    .filter((t) => (req.gpus === 0 ? t.gpus === 0 : t.gpus > 0))
    .map((t): Option<AwsInstanceFacts> => ({ ...t, label: t.name, capacity: t.vcpus, item: t }));
  const best = cheapest(options, req);
  if (!best) throw noFit("AWS instance type in Butter's catalog", req, biggest(options));
  const t = best.item;
  return {
    type: t.name,
    facts: t,
    reason:
      `${t.name} is the cheapest current-generation ${req.architecture} type with ${describe(req)}: ` +
      `${count(t.vcpus, 'vCPU')}, ${size(t.memoryMiB)}${gpuText(t.gpus, t.gpuModel)}${t.burstable ? ', burstable' : ''}, ` +
      `${money(t.pricePerHour)}/h on demand in us-east-1`,
  };
}

/** A `{min, max}` range of EC2 attribute-based selection. */
export type AwsRange = { readonly min?: number; readonly max?: number };

/**
 * EC2 attribute-based instance selection (`instance_requirements` of a launch template), with
 * the cdktf property names so it can be passed on as it is. A type alias (not an interface)
 * so it is also a plain `Record<string, unknown>`.
 */
export type AwsInstanceRequirements = {
  /** At least the vCPUs asked for. */
  readonly vcpuCount: AwsRange;
  /** At least the memory asked for, MiB. */
  readonly memoryMib: AwsRange;
  /** GPUs: at least `gpus`, or exactly 0 (no accelerator of any kind) when none are asked for. */
  readonly acceleratorCount: AwsRange;
  /** `['gpu']` when GPUs are asked for, so FPGAs and inference chips don't count. */
  readonly acceleratorTypes?: readonly string[];
  /**
   * Stands in for architecture, which the requirements cannot name: Graviton
   * (`amazon-web-services`) for arm64, Intel and AMD for x86_64.
   */
  readonly cpuManufacturers: readonly string[];
  /** `['current']`: the same "no superseded types" rule as cheapest fitting. */
  readonly instanceGenerations: readonly string[];
  /** `included` (EC2's default is `excluded`) so both modes consider the same types. */
  readonly burstablePerformance: 'included' | 'excluded';
};

/** The 'requirements' mode on AWS: let EC2 pick among all types that satisfy `req`. */
export function awsInstanceRequirements(req: FitRequest, opts: AwsFitOptions = {}): AwsInstanceRequirements {
  checkRequest(req);
  return {
    vcpuCount: { min: req.cpus },
    memoryMib: { min: req.memoryMiB },
    acceleratorCount: req.gpus > 0 ? { min: req.gpus } : { max: 0 },
    ...(req.gpus > 0 ? { acceleratorTypes: ['gpu'] } : {}),
    cpuManufacturers: req.architecture === 'arm64' ? ['amazon-web-services'] : ['intel', 'amd'],
    instanceGenerations: ['current'],
    burstablePerformance: opts.allowBurstable === false ? 'excluded' : 'included',
  };
}

/** A GPU attached to a Google machine (`guest_accelerator`). */
export interface GoogleGuestAccelerator {
  /** Accelerator type, e.g. `nvidia-tesla-t4`. */
  readonly type: string;
  /** How many. */
  readonly count: number;
}

/** A chosen Google machine type. */
export interface GoogleFit {
  /** Machine type name, e.g. `e2-medium`, `g2-standard-4` or `n2-custom-2-5120`. */
  readonly type: string;
  /** Facts of that type (computed for custom types). */
  readonly facts: GoogleMachineFacts;
  /** GPUs to attach, for n1 machines; absent otherwise. */
  readonly guestAccelerator?: GoogleGuestAccelerator;
  /** USD per hour in us-central1, attached GPUs included. */
  readonly pricePerHour: number;
  /** One sentence for people reading plans: the requirement, the price and why this type. */
  readonly reason: string;
}

/** Options of {@link fitGoogleMachineType}. */
export interface GoogleFitOptions {
  /**
   * `cheapest`: the cheapest predefined type (or n1 + attached GPUs); `requirements`: the
   * cheapest custom type sized to the request.
   */
  readonly mode: InstanceSelection;
}

/**
 * The cheapest Google machine for `req` (same rules as {@link fitAwsInstanceType}). GPUs come
 * either built in (g2, L4) or attached to an n1 machine, whichever costs less. In
 * 'requirements' mode a custom e2/n2 type is sized to the request instead; custom types take no
 * GPUs and are x86 only, so GPU and arm64 requests fall back to the predefined catalog (the
 * reason says so). Throws `INSTANCE_NO_FIT` when nothing is big enough.
 */
export function fitGoogleMachineType(req: FitRequest, opts: GoogleFitOptions = { mode: 'cheapest' }): GoogleFit {
  checkRequest(req);
  if (opts.mode === 'requirements') {
    if (req.gpus === 0 && req.architecture === 'x86_64') return fitGoogleCustomType(req);
    const fit = fitGooglePredefined(req);
    const why = req.gpus > 0 ? 'custom machine types take no GPUs' : 'custom machine types are x86_64 only';
    return { ...fit, reason: `${why}, so a predefined type: ${fit.reason}` };
  }
  return fitGooglePredefined(req);
}

/** Option payload for Google: the machine and what is attached to it. */
interface GoogleChoice {
  readonly facts: GoogleMachineFacts;
  readonly guestAccelerator?: GoogleGuestAccelerator;
  readonly gpuModel?: string;
}

function fitGooglePredefined(req: FitRequest): GoogleFit {
  const options = googleOptions(req);
  const best = cheapest(options, req);
  if (!best) throw noFit("Google machine type in Butter's catalog", req, biggest(options));
  const { facts, guestAccelerator, gpuModel } = best.item;
  const attached = guestAccelerator ? ` with ${guestAccelerator.count} × ${guestAccelerator.type}` : '';
  return {
    type: facts.name,
    facts,
    ...(guestAccelerator ? { guestAccelerator } : {}),
    pricePerHour: best.pricePerHour,
    reason:
      `${facts.name}${attached} is the cheapest ${req.architecture} choice with ${describe(req)}: ` +
      `${count(best.capacity, 'vCPU')}${facts.sharedCoreVcpus !== undefined ? ' (shared core)' : ''}, ` +
      `${size(facts.memoryMiB)}${gpuText(best.gpus, gpuModel)}, ${money(best.pricePerHour)}/h on demand in us-central1`,
  };
}

/**
 * Everything that could serve `req` on Google, before size checks: plain predefined types
 * when no GPU is wanted; otherwise g2 types and every allowed n1 + accelerator pairing (n1 is
 * the only series taking attachable GPUs, and each GPU count caps the machine's size).
 */
function googleOptions(req: FitRequest): Option<GoogleChoice>[] {
  const types = GOOGLE_MACHINE_TYPES.filter((t) => t.architecture === req.architecture);
  const plain = (t: GoogleMachineFacts): Option<GoogleChoice> => ({
    label: t.name,
    capacity: t.sharedCoreVcpus ?? t.vcpus,
    memoryMiB: t.memoryMiB,
    gpus: t.gpus,
    gpuModel: t.gpuModel,
    pricePerHour: t.pricePerHour,
    item: { facts: t, gpuModel: t.gpuModel },
  });
  if (req.gpus === 0) return types.filter((t) => t.gpus === 0).map(plain);

  const builtIn = types.filter((t) => t.gpus > 0).map(plain);
  const attached = types
    .filter((t) => t.acceptsAccelerators)
    .flatMap((t) =>
      GOOGLE_ACCELERATORS.filter((a) => a.series === t.series).flatMap((a) =>
        a.limits
          .filter((l) => t.vcpus <= l.maxVcpus && t.memoryMiB <= l.maxMemoryMiB)
          .map((l): Option<GoogleChoice> => ({
            label: `${t.name}+${a.type}x${l.count}`,
            capacity: t.vcpus,
            memoryMiB: t.memoryMiB,
            gpus: l.count,
            gpuModel: a.model,
            pricePerHour: usd(t.pricePerHour + l.count * a.pricePerHour),
            item: { facts: t, guestAccelerator: { type: a.type, count: l.count }, gpuModel: a.model },
          })),
      ),
    );
  return [...builtIn, ...attached];
}

/**
 * 'requirements' mode: per custom series, the smallest valid shape holding the request, then
 * the cheaper series. Smallest is cheapest: within a series price only rises with vCPUs and
 * memory.
 */
function fitGoogleCustomType(req: FitRequest): GoogleFit {
  const fits = GOOGLE_CUSTOM_SERIES.map((rules) => smallestCustomType(rules, req)).filter(
    (f): f is GoogleMachineFacts => f !== undefined,
  );
  const best = fits.sort((a, b) => a.pricePerHour - b.pricePerHour || compareText(a.name, b.name))[0];
  if (!best) {
    const largest = GOOGLE_CUSTOM_SERIES.map((r) => {
      const v = r.vcpuCounts[r.vcpuCounts.length - 1];
      return customTypeFacts(r, v, Math.min(r.maxMemoryMiB, v * r.maxMemoryMiBPerVcpu));
    });
    const top = largest.sort((a, b) => b.vcpus - a.vcpus || b.memoryMiB - a.memoryMiB)[0];
    const sized: Sized = { label: top.name, capacity: top.vcpus, memoryMiB: top.memoryMiB, gpus: 0 };
    throw noFit('Google custom machine type (e2, n2)', req, sized);
  }
  return {
    type: best.name,
    facts: best,
    pricePerHour: best.pricePerHour,
    reason:
      `${best.name} is the cheapest custom type with ${describe(req)}: ${count(best.vcpus, 'vCPU')}, ` +
      `${size(best.memoryMiB)}, ${money(best.pricePerHour)}/h on demand in us-central1`,
  };
}

/**
 * The smallest custom type of one series for `req`, or undefined. vCPUs are rounded up to an
 * allowed count; memory is rounded up to the step and raised to the per-vCPU minimum; when the
 * memory exceeds the per-vCPU maximum, more vCPUs are taken (Google sells no other way).
 */
export function smallestCustomType(rules: GoogleCustomSeriesRules, req: FitRequest): GoogleMachineFacts | undefined {
  if (req.gpus > 0 || req.architecture !== rules.architecture) return undefined;
  for (const vcpus of rules.vcpuCounts) {
    if (vcpus < req.cpus) continue;
    const memoryMiB = roundUp(Math.max(req.memoryMiB, vcpus * rules.minMemoryMiBPerVcpu), rules.memoryStepMiB);
    if (memoryMiB > rules.maxMemoryMiB) return undefined; // more vCPUs only raise the minimum
    if (memoryMiB <= vcpus * rules.maxMemoryMiBPerVcpu) return customTypeFacts(rules, vcpus, memoryMiB);
  }
  return undefined;
}

/** Facts of `<prefix>-<vcpus>-<memoryMiB>`, priced from the series' rates. Does not validate. */
function customTypeFacts(rules: GoogleCustomSeriesRules, vcpus: number, memoryMiB: number): GoogleMachineFacts {
  return {
    name: `${rules.prefix}-${vcpus}-${memoryMiB}`,
    series: rules.series,
    shape: 'custom',
    vcpus,
    memoryMiB,
    gpus: 0,
    architecture: rules.architecture,
    pricePerHour: usd(vcpus * rules.vcpuPricePerHour + (memoryMiB / MIB_PER_GIB) * rules.memoryGiBPricePerHour),
  };
}

/**
 * Check a Google custom type name (`n2-custom-2-5120`) against its series' rules. Returns the
 * facts, or the rule it breaks; undefined when the name is not a custom name Butter knows.
 */
export function checkGoogleCustomType(name: string): { facts: GoogleMachineFacts } | { problem: string } | undefined {
  const m = /^([a-z0-9]+-custom)-(\d+)-(\d+)$/.exec(name);
  const rules = m ? GOOGLE_CUSTOM_SERIES.find((r) => r.prefix === m[1]) : undefined;
  if (!m || !rules) return undefined;
  const vcpus = Number(m[2]);
  const memoryMiB = Number(m[3]);
  if (!rules.vcpuCounts.includes(vcpus)) {
    return { problem: `${rules.series} custom vCPU counts are ${describeCounts(rules.vcpuCounts)}; ${vcpus} is not one` };
  }
  if (memoryMiB % rules.memoryStepMiB !== 0) {
    return { problem: `custom memory must be a multiple of ${rules.memoryStepMiB} MiB; ${memoryMiB} is not` };
  }
  const min = vcpus * rules.minMemoryMiBPerVcpu;
  const max = Math.min(rules.maxMemoryMiB, vcpus * rules.maxMemoryMiBPerVcpu);
  if (memoryMiB < min || memoryMiB > max) {
    return { problem: `${rules.series} custom types with ${vcpus} vCPUs take ${min} to ${max} MiB, not ${memoryMiB}` };
  }
  return { facts: customTypeFacts(rules, vcpus, memoryMiB) };
}

/**
 * Check a pinned `instance.type`: it must be in Butter's catalog (or, on Google, be a valid
 * e2/n2 custom type), so a typo fails at plan time rather than at apply time, and with a
 * suggestion. With `req`, the type's architecture must also match the image's. Returns the
 * type's facts. Throws `INSTANCE_TYPE_UNKNOWN` / `INSTANCE_ARCHITECTURE_MISMATCH`.
 */
export function validatePinnedType(cloud: 'aws', name: string, req?: Pick<FitRequest, 'architecture'>): AwsInstanceFacts;
export function validatePinnedType(cloud: 'google', name: string, req?: Pick<FitRequest, 'architecture'>): GoogleMachineFacts;
export function validatePinnedType(
  cloud: CloudName,
  name: string,
  req?: Pick<FitRequest, 'architecture'>,
): AwsInstanceFacts | GoogleMachineFacts;
export function validatePinnedType(
  cloud: CloudName,
  name: string,
  req?: Pick<FitRequest, 'architecture'>,
): AwsInstanceFacts | GoogleMachineFacts {
  const key = `instance.type.${cloud}`;
  const names = (cloud === 'aws' ? AWS_INSTANCE_TYPES : GOOGLE_MACHINE_TYPES).map((t) => t.name);
  let facts: AwsInstanceFacts | GoogleMachineFacts | undefined =
    cloud === 'aws' ? AWS_INSTANCE_TYPES.find((t) => t.name === name) : GOOGLE_MACHINE_TYPES.find((t) => t.name === name);
  if (!facts && cloud === 'google') {
    const custom = checkGoogleCustomType(name);
    if (custom && 'problem' in custom) {
      throw new ButterError('INSTANCE_TYPE_UNKNOWN', `${name} is not a valid custom machine type: ${custom.problem}`, {
        key,
        hint: 'fix the custom type, or drop instance.type.google and set selection: requirements to have Butter size one',
      });
    }
    facts = custom?.facts;
  }
  if (!facts) {
    const close = closeNames(name, names);
    const kind = cloud === 'aws' ? 'an EC2 instance' : 'a Compute Engine machine';
    throw new ButterError('INSTANCE_TYPE_UNKNOWN', `${name} is not ${kind} type Butter knows`, {
      key,
      hint:
        (close.length > 0 ? `did you mean ${close.join(', ')}? Otherwise ` : '') +
        (name.includes('custom') ? 'Butter checks custom types of the e2 and n2 series only; ' : '') +
        `remove instance.type.${cloud} to let Butter fit a type to instance.cpus / memory / gpu`,
    });
  }
  if (req && req.architecture !== facts.architecture) {
    throw new ButterError('INSTANCE_ARCHITECTURE_MISMATCH',
      `${name} is ${facts.architecture} but the image is ${req.architecture}; it would not boot`, {
        key,
        hint: `pin a ${req.architecture} type, or use a ${facts.architecture} image`,
      });
  }
  return facts;
}

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

/** One purchasable choice, in the units fitting compares. */
interface Sized {
  /** Unique name used for the tie-break and in messages. */
  readonly label: string;
  /** vCPUs it counts for (the sustained share for shared-core types). */
  readonly capacity: number;
  readonly memoryMiB: number;
  readonly gpus: number;
  readonly gpuModel?: string;
}
interface Option<T> extends Sized {
  readonly pricePerHour: number;
  readonly item: T;
}

/** Cheapest option that holds `req`; ties by label, so catalog order never matters. */
function cheapest<T>(options: readonly Option<T>[], req: FitRequest): Option<T> | undefined {
  return options
    .filter((o) => o.capacity >= req.cpus && o.memoryMiB >= req.memoryMiB && o.gpus >= req.gpus)
    .sort((a, b) => a.pricePerHour - b.pricePerHour || compareText(a.label, b.label))[0];
}

/** Largest option by GPUs, then vCPUs, then memory: what the user could ask for at most. */
function biggest(options: readonly Sized[]): Sized | undefined {
  return [...options].sort(
    (a, b) => b.gpus - a.gpus || b.capacity - a.capacity || b.memoryMiB - a.memoryMiB || compareText(a.label, b.label),
  )[0];
}

function noFit(what: string, req: FitRequest, top: Sized | undefined): ButterError {
  const problem =
    `no ${req.architecture} ${what} has ${describe(req)}` +
    (top
      ? `; the biggest candidate is ${top.label} ` +
        `(${count(top.capacity, 'vCPU')}, ${size(top.memoryMiB)}${gpuText(top.gpus, top.gpuModel)})`
      : '');
  const hint = top
    ? `ask for at most ${count(top.capacity, 'vCPU')}, ${size(top.memoryMiB)}` +
      (req.gpus > 0 ? ` and ${count(top.gpus, 'GPU')}` : '') +
      ' per instance and run more instances instead'
    : `no ${req.architecture} type offers ${req.gpus > 0 ? 'GPUs' : 'this'}; use an image of another architecture`;
  return new ButterError('INSTANCE_NO_FIT', problem, { hint });
}

/** Reject requests no catalog could answer sensibly (the blueprint loader should catch these). */
function checkRequest(req: FitRequest): void {
  const ok =
    Number.isFinite(req.cpus) && req.cpus > 0 &&
    Number.isFinite(req.memoryMiB) && req.memoryMiB > 0 &&
    Number.isInteger(req.gpus) && req.gpus >= 0;
  if (!ok) {
    throw new ButterError('INSTANCE_REQUEST_INVALID',
      `cannot fit ${req.cpus} vCPUs, ${req.memoryMiB} MiB and ${req.gpus} GPUs`, {
        hint: 'instance.cpus and instance.memory must be positive, instance.gpu a whole number',
      });
  }
}

function describe(req: FitRequest): string {
  const gpus = req.gpus > 0 ? ` and ${count(req.gpus, 'GPU')}` : ' and no GPU';
  return `at least ${count(req.cpus, 'vCPU')}, ${size(req.memoryMiB)}${gpus}`;
}

function count(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** Whole GiB as GiB (what blueprints say: `memory: 4GB`), anything else in MiB. */
function size(mib: number): string {
  return mib >= MIB_PER_GIB && mib % MIB_PER_GIB === 0 ? `${mib / MIB_PER_GIB} GiB` : `${mib} MiB`;
}

function gpuText(gpus: number, model?: string): string {
  return gpus > 0 ? `, ${gpus} × ${model ?? 'GPU'}` : '';
}

function money(usdPerHour: number): string {
  return `$${Number(usdPerHour.toFixed(6))}`;
}

function usd(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

function roundUp(n: number, step: number): number {
  return Math.ceil(n / step) * step;
}

/** Code-point order: locale-independent, so ties break the same on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A count list as arithmetic runs: `2 to 32 in steps of 2, 36 to 128 in steps of 4`. */
function describeCounts(counts: readonly number[]): string {
  const runs: { from: number; to: number; step: number }[] = [];
  for (const n of counts) {
    const run = runs[runs.length - 1];
    if (run && (run.from === run.to || n - run.to === run.step)) {
      run.step = n - run.to;
      run.to = n;
    } else {
      runs.push({ from: n, to: n, step: 0 });
    }
  }
  return runs.map((r) => (r.from === r.to ? `${r.from}` : `${r.from} to ${r.to} in steps of ${r.step}`)).join(', ');
}

/** Up to three catalog names close to a misspelt one (edit distance), closest first. */
function closeNames(name: string, names: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(name.length / 4));
  return names
    .map((n) => ({ n, d: editDistance(name.toLowerCase(), n) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || compareText(a.n, b.n))
    .slice(0, 3)
    .map((x) => x.n);
}

