import { GOOGLE_ACCELERATORS, GOOGLE_MACHINE_TYPES } from '../../planning/catalog/google-machine-types';
import { Architecture } from '../../blueprint/types';
import { GoogleAcceleratorFacts } from '../../planning/catalog/types';
import { checkGoogleCustomType } from '../../planning/fit';
import { apiError, invalidField } from './common';
import { acceleratorZones, machineTypeNames } from './data/machine-types';

/**
 * Machine types and GPUs. The mock offers every predefined machine type of the families Google
 * documents (data/machine-types.ts), in the zones Google offers them (the accelerator-optimized
 * series only where their GPUs are), and custom e2/n2 types that satisfy Google's custom-type
 * rules; anything else is refused as Compute Engine refuses a type it does not have. Butter's
 * fitter keeps choosing from its own curated, priced catalog (whose facts the mock reuses when it
 * has them).
 */

/** What the mock knows of a machine type. */
export interface MachineType {
  readonly name: string;
  readonly series: string;
  readonly architecture: Architecture;
  /** Only N1 types take attached GPUs (`guest_accelerator`); the A and G series come with theirs. */
  readonly acceptsAccelerators?: boolean;
}

let catalog: Map<string, MachineType> | undefined;

/**
 * Arm series: Tau T2A (Ampere Altra), C4A and N4A (Google Axion), A4X (NVIDIA Grace). Source: the
 * machine family pages, https://cloud.google.com/compute/docs/general-purpose-machines and
 * https://cloud.google.com/compute/docs/accelerator-optimized-machines.
 */
const ARM_SERIES = new Set(['t2a', 'c4a', 'n4a', 'a4x']);

/** Every predefined machine type, built on first use (start-up does not pay for it). */
export function machineTypes(): ReadonlyMap<string, MachineType> {
  if (!catalog) {
    catalog = new Map();
    for (const name of machineTypeNames()) {
      const series = name.split('-')[0];
      catalog.set(name, { name, series, architecture: ARM_SERIES.has(series) ? 'arm64' : 'x86_64', acceptsAccelerators: series === 'n1' });
    }
    // The fitter's catalog is a subset; its facts win where they say more.
    for (const t of GOOGLE_MACHINE_TYPES) catalog.set(t.name, t);
  }
  return catalog;
}

/** The facts of a machine type (a full URL or `zones/z/machineTypes/x` works too). */
export function findMachineType(name: string): MachineType | { problem: string } | undefined {
  const short = name.replace(/^.*\/machineTypes\//, '');
  const known = machineTypes().get(short);
  if (known) return known;
  const custom = checkGoogleCustomType(short);
  if (!custom) return undefined;
  return 'facts' in custom ? custom.facts : custom;
}

/** Whether Google offers the machine type in `zone` (accelerator-optimized types only in some zones). */
export function offeredIn(machine: MachineType, zone: string): boolean {
  const zones = acceleratorZones(machine.name);
  return zones === undefined || zones.includes(zone);
}

/**
 * The machine type's facts, or Compute Engine's error:
 * `Invalid value for field 'resource.properties.machineType': 'x'. Machine type with name 'x' does not exist in zone 'z'.`
 */
export function requireMachineType(name: string, action: string, field: string, zone: string, path: (string | number)[]): MachineType {
  const found = findMachineType(name);
  const short = name.replace(/^.*\/machineTypes\//, '');
  if (found === undefined) {
    throw invalidField(action, field, short, `Machine type with name '${short}' does not exist in zone '${zone}'.`, path);
  }
  if ('problem' in found) throw invalidField(action, field, short, `Invalid custom machine type: ${found.problem}.`, path);
  return found;
}

/**
 * At launch in a zone: Compute Engine's 404 for a type its zone does not offer (an A2 in a zone
 * without A100s), as instance creation reports a zonal resource the zone lacks ("The resource
 * 'projects/p/zones/z/acceleratorTypes/nvidia-tesla-p4' was not found", quoted in
 * github.com/fastai/course-v3 pull 430; a MIG's instances fail the same way,
 * hashicorp/terraform-provider-google issue 5951).
 */
export function requireMachineTypeInZone(machine: MachineType, project: string, zone: string, action: string, path: (string | number)[]): void {
  if (!offeredIn(machine, zone)) {
    throw apiError(action, 404, `The resource 'projects/${project}/zones/${zone}/machineTypes/${machine.name}' was not found`, 'notFound', path,
      `Google offers ${machine.name} only in ${acceleratorZones(machine.name)?.join(', ')} (of the mock's zones).`);
  }
}

/** An attachable GPU type (`nvidia-tesla-t4`, or its URL), or undefined. */
export function findAccelerator(type: string): GoogleAcceleratorFacts | undefined {
  const short = type.replace(/^.*\/acceleratorTypes\//, '');
  return GOOGLE_ACCELERATORS.find((a) => a.type === short);
}
