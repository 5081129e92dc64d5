import { GOOGLE_ACCELERATORS, GOOGLE_MACHINE_TYPES } from '../../planning/catalog/google-machine-types';
import { GoogleAcceleratorFacts, GoogleMachineFacts } from '../../planning/catalog/types';
import { checkGoogleCustomType } from '../../planning/fit';
import { invalidField } from './common';

/**
 * Machine types and GPUs: the mock cloud offers Butter's own catalog (predefined types, plus
 * custom e2/n2 types that satisfy Google's custom-type rules), so whatever Butter fits or a user
 * pins is checked against the same facts, and anything else is refused as Compute Engine
 * refuses a type it does not have.
 */

/** The facts of a machine type (a full URL or `zones/z/machineTypes/x` works too). */
export function findMachineType(name: string): GoogleMachineFacts | { problem: string } | undefined {
  const short = name.replace(/^.*\/machineTypes\//, '');
  const known = GOOGLE_MACHINE_TYPES.find((t) => t.name === short);
  if (known) return known;
  const custom = checkGoogleCustomType(short);
  if (!custom) return undefined;
  return 'facts' in custom ? custom.facts : custom;
}

/**
 * The machine type's facts, or Compute Engine's error:
 * `Invalid value for field 'resource.properties.machineType': 'x'. Machine type with name 'x' does not exist in zone 'z'.`
 */
export function requireMachineType(name: string, action: string, field: string, zone: string, path: (string | number)[]): GoogleMachineFacts {
  const found = findMachineType(name);
  const short = name.replace(/^.*\/machineTypes\//, '');
  if (found === undefined) {
    throw invalidField(action, field, short, `Machine type with name '${short}' does not exist in zone '${zone}'.`, path);
  }
  if ('problem' in found) throw invalidField(action, field, short, `Invalid custom machine type: ${found.problem}.`, path);
  return found;
}

/** An attachable GPU type (`nvidia-tesla-t4`, or its URL), or undefined. */
export function findAccelerator(type: string): GoogleAcceleratorFacts | undefined {
  const short = type.replace(/^.*\/acceleratorTypes\//, '');
  return GOOGLE_ACCELERATORS.find((a) => a.type === short);
}
