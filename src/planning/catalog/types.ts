/**
 * Shapes of the bundled instance catalogs. Pure data: the catalogs are plain typed arrays so
 * fitting is deterministic, works offline and can be reviewed in a diff when prices change.
 */
import { Architecture } from '../../blueprint/types';

/** MiB in one GiB. Clouds quote memory in GiB ("GB" on Google's price list means GiB). */
export const MIB_PER_GIB = 1024;

/** One EC2 instance type. */
export interface AwsInstanceFacts {
  /** API name, e.g. `t3.medium`. */
  readonly name: string;
  /** The part before the dot, e.g. `t3`. Prices only compare meaningfully within a family. */
  readonly family: string;
  /** vCPUs the guest sees. For burstable types this is more than the sustained baseline. */
  readonly vcpus: number;
  /** Memory in MiB. */
  readonly memoryMiB: number;
  /** GPUs attached. 0 for everything but the GPU families. */
  readonly gpus: number;
  /** GPU model (`NVIDIA T4`), when `gpus > 0`. */
  readonly gpuModel?: string;
  /** CPU architecture; an AMI only boots on types of its own architecture. */
  readonly architecture: Architecture;
  /**
   * True for the T families: CPU beyond a baseline is paid in credits (or, in unlimited mode,
   * in surplus charges), so sustained heavy CPU costs more than the hourly price suggests.
   */
  readonly burstable: boolean;
  /** On-demand Linux price in USD per hour, in us-east-1. */
  readonly pricePerHour: number;
  /**
   * True when Butter considers the type superseded (a newer family gives as much for the same
   * money or less). Fitting never picks these; pinning one is still allowed.
   * @default false
   */
  readonly previousGeneration?: boolean;
}

/** Shape within a Google series: how memory relates to vCPUs. */
export type GoogleShape = 'shared' | 'standard' | 'highmem' | 'highcpu' | 'custom';

/** One Compute Engine machine type (predefined, or a custom type Butter computed). */
export interface GoogleMachineFacts {
  /** API name, e.g. `e2-standard-2` or `n2-custom-2-5120`. */
  readonly name: string;
  /** Series, e.g. `e2`, `n2`, `g2`. Prices only compare meaningfully within a series and shape. */
  readonly series: string;
  /** `standard` / `highmem` / `highcpu`, `shared` for fractional-core types, `custom` for custom ones. */
  readonly shape: GoogleShape;
  /** vCPUs the guest sees. */
  readonly vcpus: number;
  /**
   * Shared-core types only (`e2-micro`/`small`/`medium`): the sustained share of a vCPU the
   * type is sold as (0.25, 0.5, 1). Google sizes these by that share, so fitting does too.
   * @default - not shared-core; `vcpus` is the capacity
   */
  readonly sharedCoreVcpus?: number;
  /** Memory in MiB. */
  readonly memoryMiB: number;
  /** Built-in GPUs (g2 types come with L4s). 0 otherwise; n1 GPUs are attached separately. */
  readonly gpus: number;
  /** Built-in GPU model, when `gpus > 0`. */
  readonly gpuModel?: string;
  /** CPU architecture (`t2a` is Arm). */
  readonly architecture: Architecture;
  /** On-demand price in USD per hour in us-central1, built-in GPUs included. */
  readonly pricePerHour: number;
  /**
   * True for the series that take attachable GPUs (`guest_accelerator`): only n1 among the
   * types Butter knows. @default false
   */
  readonly acceptsAccelerators?: boolean;
}

/** How many of one accelerator an n1 machine may carry, and how big that machine may be. */
export interface GoogleAcceleratorLimit {
  /** GPUs attached. Only these counts are allowed. */
  readonly count: number;
  /** Largest vCPU count of the machine carrying them. */
  readonly maxVcpus: number;
  /** Largest memory of the machine carrying them, in MiB. */
  readonly maxMemoryMiB: number;
}

/** A GPU that can be attached to an n1 machine (`guest_accelerator`). */
export interface GoogleAcceleratorFacts {
  /** API name, e.g. `nvidia-tesla-t4`. */
  readonly type: string;
  /** Marketing name, e.g. `NVIDIA T4`. */
  readonly model: string;
  /** Machine series it attaches to. */
  readonly series: string;
  /** On-demand price per GPU in USD per hour, in us-central1. */
  readonly pricePerHour: number;
  /** Allowed counts, ascending. */
  readonly limits: readonly GoogleAcceleratorLimit[];
}

/** Rules and prices of one series' custom machine types (`n2-custom-2-5120`). */
export interface GoogleCustomSeriesRules {
  /** Series, e.g. `n2`. */
  readonly series: string;
  /** Name prefix before `-<vcpus>-<memoryMiB>`, e.g. `n2-custom`. */
  readonly prefix: string;
  /** Allowed vCPU counts, ascending. */
  readonly vcpuCounts: readonly number[];
  /** Least memory per vCPU, MiB. */
  readonly minMemoryMiBPerVcpu: number;
  /** Most memory per vCPU, MiB (without extended memory, which Butter does not use). */
  readonly maxMemoryMiBPerVcpu: number;
  /** Memory must be a multiple of this, MiB. */
  readonly memoryStepMiB: number;
  /** Most memory of any custom type of the series, MiB. */
  readonly maxMemoryMiB: number;
  /** USD per vCPU per hour, us-central1. */
  readonly vcpuPricePerHour: number;
  /** USD per GiB of memory per hour, us-central1. */
  readonly memoryGiBPricePerHour: number;
  /** CPU architecture of the series. */
  readonly architecture: Architecture;
}
