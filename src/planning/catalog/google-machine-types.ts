/**
 * Compute Engine machine types, attachable GPUs and custom-type rules Butter fits instances to.
 *
 * Prices: on-demand, USD per hour, region **us-central1**, as listed on Google's public VM
 * pricing in 2025, without sustained-use or committed-use discounts. Google bills most series
 * per vCPU and per GiB of memory, so those prices are computed from the two published rates
 * (which reproduces the per-type list prices); shared-core, Tau T2A and G2 types are listed
 * with their own prices. Other regions differ in level, rarely in order, and order is all
 * fitting uses. Refresh when Google changes prices.
 */
import { Architecture } from '../../blueprint/types';
import {
  GoogleAcceleratorFacts,
  GoogleCustomSeriesRules,
  GoogleMachineFacts,
  GoogleShape,
  MIB_PER_GIB,
} from './types';

/** A series' two published rates, USD per hour. */
interface ResourceRates {
  readonly vcpu: number;
  readonly memoryGiB: number;
}

/** Published us-central1 rates of the series priced by resource. */
const RATES: Readonly<Record<'e2' | 'n2' | 'n2d' | 'c3' | 'n1', ResourceRates>> = {
  e2: { vcpu: 0.021811, memoryGiB: 0.002923 },
  n2: { vcpu: 0.031611, memoryGiB: 0.004237 },
  n2d: { vcpu: 0.027502, memoryGiB: 0.003686 },
  c3: { vcpu: 0.03398, memoryGiB: 0.00455 },
  n1: { vcpu: 0.031611, memoryGiB: 0.004237 },
};

/** Round to a millionth of a dollar, as the price list does. */
function usd(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/**
 * One shape of a resource-priced series: `<series>-<shape>-<vcpus>` for each vCPU count, with
 * `gibPerVcpu` of memory each.
 */
function shape(
  series: keyof typeof RATES,
  shapeName: Exclude<GoogleShape, 'shared' | 'custom'>,
  gibPerVcpu: number,
  vcpuCounts: readonly number[],
  extra: Partial<Pick<GoogleMachineFacts, 'acceptsAccelerators'>> = {},
): GoogleMachineFacts[] {
  const rates = RATES[series];
  return vcpuCounts.map((vcpus) => ({
    name: `${series}-${shapeName}-${vcpus}`,
    series,
    shape: shapeName,
    vcpus,
    memoryMiB: vcpus * gibPerVcpu * MIB_PER_GIB,
    gpus: 0,
    architecture: 'x86_64' as Architecture,
    pricePerHour: usd(vcpus * rates.vcpu + vcpus * gibPerVcpu * rates.memoryGiB),
    ...extra,
  }));
}

/** E2 shared-core types: sold (and fitted) by their sustained fraction of a vCPU. */
const E2_SHARED: readonly GoogleMachineFacts[] = (
  [
    ['e2-micro', 0.25, 1, 0.008376],
    ['e2-small', 0.5, 2, 0.016751],
    ['e2-medium', 1, 4, 0.033503],
  ] as const
).map(([name, share, gib, price]) => ({
  name,
  series: 'e2',
  shape: 'shared',
  vcpus: 2,
  sharedCoreVcpus: share,
  memoryMiB: gib * MIB_PER_GIB,
  gpus: 0,
  architecture: 'x86_64',
  pricePerHour: price,
}));

/** Tau T2A: Ampere Altra (Arm), 4 GiB per vCPU, $0.0385 per vCPU-hour including its memory. */
const T2A: readonly GoogleMachineFacts[] = [1, 2, 4, 8, 16, 32, 48].map((vcpus) => ({
  name: `t2a-standard-${vcpus}`,
  series: 't2a',
  shape: 'standard',
  vcpus,
  memoryMiB: vcpus * 4 * MIB_PER_GIB,
  gpus: 0,
  architecture: 'arm64',
  pricePerHour: usd(vcpus * 0.0385),
}));

/**
 * G2: NVIDIA L4 GPUs built in, 4 GiB per vCPU. g2-standard-32 (one GPU, cheaper than the
 * two-GPU -24) and the 48/96 sizes are left out so the series' price rises with size.
 */
const G2: readonly GoogleMachineFacts[] = (
  [
    [4, 1, 0.70683228],
    [8, 1, 0.85362431],
    [12, 1, 1.00041635],
    [16, 1, 1.14720838],
    [24, 2, 2.00083269],
  ] as const
).map(([vcpus, gpus, price]) => ({
  name: `g2-standard-${vcpus}`,
  series: 'g2',
  shape: 'standard',
  vcpus,
  memoryMiB: vcpus * 4 * MIB_PER_GIB,
  gpus,
  gpuModel: 'NVIDIA L4',
  architecture: 'x86_64',
  pricePerHour: price,
}));

/** The predefined catalog. Order is irrelevant; fitting sorts. */
export const GOOGLE_MACHINE_TYPES: readonly GoogleMachineFacts[] = [
  ...E2_SHARED,
  ...shape('e2', 'standard', 4, [2, 4, 8, 16, 32]),
  ...shape('e2', 'highmem', 8, [2, 4, 8, 16]),
  ...shape('e2', 'highcpu', 1, [2, 4, 8, 16, 32]),
  ...shape('n2', 'standard', 4, [2, 4, 8, 16, 32]),
  ...shape('n2', 'highmem', 8, [2, 4, 8, 16, 32]),
  ...shape('n2', 'highcpu', 1, [2, 4, 8, 16, 32]),
  ...shape('n2d', 'standard', 4, [2, 4, 8, 16, 32]),
  ...shape('c3', 'standard', 4, [4, 8, 22, 44]),
  ...shape('c3', 'highmem', 8, [4, 8, 22, 44]),
  ...shape('c3', 'highcpu', 2, [4, 8, 22, 44]),
  // N1 is older, but it is the one series that takes attachable GPUs (T4, V100, ...).
  ...shape('n1', 'standard', 3.75, [1, 2, 4, 8, 16], { acceptsAccelerators: true }),
  ...T2A,
  ...G2,
];

/**
 * GPUs attachable to n1 machines, with Google's per-count limits on the carrying machine
 * (vCPUs, memory). All are offered in some us-central1 zones.
 */
export const GOOGLE_ACCELERATORS: readonly GoogleAcceleratorFacts[] = [
  {
    type: 'nvidia-tesla-t4',
    model: 'NVIDIA T4',
    series: 'n1',
    pricePerHour: 0.35,
    limits: [
      { count: 1, maxVcpus: 48, maxMemoryMiB: 312 * MIB_PER_GIB },
      { count: 2, maxVcpus: 48, maxMemoryMiB: 312 * MIB_PER_GIB },
      { count: 4, maxVcpus: 96, maxMemoryMiB: 624 * MIB_PER_GIB },
    ],
  },
  {
    type: 'nvidia-tesla-p4',
    model: 'NVIDIA P4',
    series: 'n1',
    pricePerHour: 0.6,
    limits: [
      { count: 1, maxVcpus: 24, maxMemoryMiB: 156 * MIB_PER_GIB },
      { count: 2, maxVcpus: 48, maxMemoryMiB: 312 * MIB_PER_GIB },
      { count: 4, maxVcpus: 96, maxMemoryMiB: 624 * MIB_PER_GIB },
    ],
  },
  {
    type: 'nvidia-tesla-p100',
    model: 'NVIDIA P100',
    series: 'n1',
    pricePerHour: 1.46,
    limits: [
      { count: 1, maxVcpus: 16, maxMemoryMiB: 104 * MIB_PER_GIB },
      { count: 2, maxVcpus: 32, maxMemoryMiB: 208 * MIB_PER_GIB },
      { count: 4, maxVcpus: 64, maxMemoryMiB: 208 * MIB_PER_GIB },
    ],
  },
  {
    type: 'nvidia-tesla-v100',
    model: 'NVIDIA V100',
    series: 'n1',
    pricePerHour: 2.48,
    limits: [
      { count: 1, maxVcpus: 12, maxMemoryMiB: 78 * MIB_PER_GIB },
      { count: 2, maxVcpus: 24, maxMemoryMiB: 156 * MIB_PER_GIB },
      { count: 4, maxVcpus: 48, maxMemoryMiB: 312 * MIB_PER_GIB },
      { count: 8, maxVcpus: 96, maxMemoryMiB: 624 * MIB_PER_GIB },
    ],
  },
];

/** `from, from+step, ..., to`. */
function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let n = from; n <= to; n += step) out.push(n);
  return out;
}

/**
 * Custom machine type rules (`e2-custom-4-8192`, `n2-custom-2-5120`): whole vCPU counts from a
 * fixed list, 0.5 to 8 GiB per vCPU, memory in 256 MiB steps. Extended memory (more than
 * 8 GiB per vCPU, N2 only, billed higher) is not used. E2 custom is billed at the E2 rates;
 * N2 custom carries Google's custom premium over predefined N2.
 */
export const GOOGLE_CUSTOM_SERIES: readonly GoogleCustomSeriesRules[] = [
  {
    series: 'e2',
    prefix: 'e2-custom',
    vcpuCounts: range(2, 32, 2),
    minMemoryMiBPerVcpu: 512,
    maxMemoryMiBPerVcpu: 8 * MIB_PER_GIB,
    memoryStepMiB: 256,
    maxMemoryMiB: 128 * MIB_PER_GIB,
    vcpuPricePerHour: RATES.e2.vcpu,
    memoryGiBPricePerHour: RATES.e2.memoryGiB,
    architecture: 'x86_64',
  },
  {
    series: 'n2',
    prefix: 'n2-custom',
    vcpuCounts: [...range(2, 32, 2), ...range(36, 128, 4)],
    minMemoryMiBPerVcpu: 512,
    maxMemoryMiBPerVcpu: 8 * MIB_PER_GIB,
    memoryStepMiB: 256,
    maxMemoryMiB: 864 * MIB_PER_GIB,
    vcpuPricePerHour: 0.033174,
    memoryGiBPricePerHour: 0.004446,
    architecture: 'x86_64',
  },
];
