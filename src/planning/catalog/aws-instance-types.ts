/**
 * EC2 instance types Butter fits instances to.
 *
 * Prices: on-demand, Linux, shared tenancy, USD per hour, region **us-east-1**, as listed on
 * AWS's public EC2 pricing in 2025 (p4d reflects the June 2025 P4/P5 price cut). Other regions
 * cost more or less, but the *order* of types by price is almost always the same, and the order
 * is all fitting uses. Refresh these facts when AWS changes prices; the catalog test checks the
 * shape of the data, not the prices themselves.
 *
 * Deliberately a curated subset: current general purpose (M), compute (C), memory (R),
 * burstable (T) and GPU (G, P) families in both architectures, so a fit is always one of the
 * common, widely available types. Pinning (`instance.type`) is checked against the same list.
 */
import { Architecture } from '../../blueprint/types';
import { AwsInstanceFacts, MIB_PER_GIB } from './types';

/** `[size, vCPUs, memory GiB, USD/hour, GPUs]`: one row per size of a family. */
type Row = readonly [size: string, vcpus: number, memoryGiB: number, pricePerHour: number, gpus?: number];

/** Facts every size of a family shares. */
interface FamilyTraits {
  readonly burstable?: boolean;
  readonly gpuModel?: string;
  readonly previousGeneration?: boolean;
}

/** Expand a family's rows; keeps the table below short enough to review by eye. */
function family(name: string, architecture: Architecture, rows: readonly Row[], traits: FamilyTraits = {}): AwsInstanceFacts[] {
  return rows.map(([size, vcpus, memoryGiB, pricePerHour, gpus = 0]) => ({
    name: `${name}.${size}`,
    family: name,
    vcpus,
    memoryMiB: memoryGiB * MIB_PER_GIB,
    gpus,
    ...(gpus > 0 ? { gpuModel: traits.gpuModel } : {}),
    architecture,
    burstable: traits.burstable ?? false,
    pricePerHour,
    ...(traits.previousGeneration ? { previousGeneration: true } : {}),
  }));
}

/** Burstable sizes share vCPU and memory across t3 / t3a / t4g; only prices differ. */
function burstable(name: string, architecture: Architecture, prices: readonly number[]): AwsInstanceFacts[] {
  const shapes: readonly (readonly [string, number, number])[] = [
    ['nano', 2, 0.5], ['micro', 2, 1], ['small', 2, 2], ['medium', 2, 4],
    ['large', 2, 8], ['xlarge', 4, 16], ['2xlarge', 8, 32],
  ];
  return family(name, architecture, shapes.map(([size, vcpus, gib], i) => [size, vcpus, gib, prices[i]] as const), {
    burstable: true,
  });
}

/** The catalog. Order is irrelevant; fitting sorts. */
export const AWS_INSTANCE_TYPES: readonly AwsInstanceFacts[] = [
  // Burstable: cheapest for small, mostly idle services.
  ...burstable('t3', 'x86_64', [0.0052, 0.0104, 0.0208, 0.0416, 0.0832, 0.1664, 0.3328]),
  ...burstable('t3a', 'x86_64', [0.0047, 0.0094, 0.0188, 0.0376, 0.0752, 0.1504, 0.3008]),
  ...burstable('t4g', 'arm64', [0.0042, 0.0084, 0.0168, 0.0336, 0.0672, 0.1344, 0.2688]),

  // General purpose, 4 GiB per vCPU.
  ...family('m7i', 'x86_64', [
    ['large', 2, 8, 0.1008], ['xlarge', 4, 16, 0.2016], ['2xlarge', 8, 32, 0.4032], ['4xlarge', 16, 64, 0.8064],
    ['8xlarge', 32, 128, 1.6128], ['12xlarge', 48, 192, 2.4192], ['16xlarge', 64, 256, 3.2256],
    ['48xlarge', 192, 768, 9.6768],
  ]),
  ...family('m7a', 'x86_64', [
    ['medium', 1, 4, 0.05796], ['large', 2, 8, 0.11592], ['xlarge', 4, 16, 0.23184], ['2xlarge', 8, 32, 0.46368],
    ['4xlarge', 16, 64, 0.92736], ['8xlarge', 32, 128, 1.85472],
  ]),
  ...family('m7g', 'arm64', [
    ['medium', 1, 4, 0.0408], ['large', 2, 8, 0.0816], ['xlarge', 4, 16, 0.1632], ['2xlarge', 8, 32, 0.3264],
    ['4xlarge', 16, 64, 0.6528], ['8xlarge', 32, 128, 1.3056], ['12xlarge', 48, 192, 1.9584],
    ['16xlarge', 64, 256, 2.6112],
  ]),
  ...family('m6i', 'x86_64', [
    ['large', 2, 8, 0.096], ['xlarge', 4, 16, 0.192], ['2xlarge', 8, 32, 0.384], ['4xlarge', 16, 64, 0.768],
    ['8xlarge', 32, 128, 1.536],
  ]),

  // Compute optimized, 2 GiB per vCPU.
  ...family('c7i', 'x86_64', [
    ['large', 2, 4, 0.08925], ['xlarge', 4, 8, 0.1785], ['2xlarge', 8, 16, 0.357], ['4xlarge', 16, 32, 0.714],
    ['8xlarge', 32, 64, 1.428], ['12xlarge', 48, 96, 2.142], ['16xlarge', 64, 128, 2.856],
  ]),
  ...family('c7g', 'arm64', [
    ['medium', 1, 2, 0.0363], ['large', 2, 4, 0.0725], ['xlarge', 4, 8, 0.145], ['2xlarge', 8, 16, 0.29],
    ['4xlarge', 16, 32, 0.58], ['8xlarge', 32, 64, 1.16], ['12xlarge', 48, 96, 1.74], ['16xlarge', 64, 128, 2.32],
  ]),

  // Memory optimized, 8 GiB per vCPU.
  ...family('r7i', 'x86_64', [
    ['large', 2, 16, 0.1323], ['xlarge', 4, 32, 0.2646], ['2xlarge', 8, 64, 0.5292], ['4xlarge', 16, 128, 1.0584],
    ['8xlarge', 32, 256, 2.1168], ['12xlarge', 48, 384, 3.1752], ['16xlarge', 64, 512, 4.2336],
    ['48xlarge', 192, 1536, 12.7008],
  ]),
  ...family('r7g', 'arm64', [
    ['medium', 1, 8, 0.0536], ['large', 2, 16, 0.1071], ['xlarge', 4, 32, 0.2142], ['2xlarge', 8, 64, 0.4284],
    ['4xlarge', 16, 128, 0.8568], ['8xlarge', 32, 256, 1.7136], ['12xlarge', 48, 384, 2.5704],
    ['16xlarge', 64, 512, 3.4272],
  ]),

  // GPU. Sizes whose price falls as they grow (g5.16xlarge, g4dn.16xlarge: more CPU, fewer GPUs
  // than the 12xlarge) are left out so every family's price rises with size.
  ...family('g4dn', 'x86_64', [
    ['xlarge', 4, 16, 0.526, 1], ['2xlarge', 8, 32, 0.752, 1], ['4xlarge', 16, 64, 1.204, 1],
    ['8xlarge', 32, 128, 2.176, 1], ['12xlarge', 48, 192, 3.912, 4],
  ], { gpuModel: 'NVIDIA T4' }),
  ...family('g5', 'x86_64', [
    ['xlarge', 4, 16, 1.006, 1], ['2xlarge', 8, 32, 1.212, 1], ['4xlarge', 16, 64, 1.624, 1],
    ['8xlarge', 32, 128, 2.448, 1], ['12xlarge', 48, 192, 5.672, 4],
  ], { gpuModel: 'NVIDIA A10G' }),
  ...family('g5g', 'arm64', [
    ['xlarge', 4, 8, 0.42, 1], ['2xlarge', 8, 16, 0.556, 1], ['4xlarge', 16, 32, 0.828, 1],
    ['8xlarge', 32, 64, 1.372, 1], ['16xlarge', 64, 128, 2.744, 2],
  ], { gpuModel: 'NVIDIA T4G' }),
  ...family('p4d', 'x86_64', [['24xlarge', 96, 1152, 21.957642, 8]], { gpuModel: 'NVIDIA A100' }),

  // Superseded: a newer family above offers as much for the same or less. Kept so that pinning
  // them still validates; fitting skips them. (AWS's own "current generation" flag may differ.)
  ...family('m5', 'x86_64', [['large', 2, 8, 0.096]], { previousGeneration: true }),
  ...family('m4', 'x86_64', [['large', 2, 8, 0.1]], { previousGeneration: true }),
  ...family('t2', 'x86_64', [['micro', 1, 1, 0.0116]], { burstable: true, previousGeneration: true }),
];
