import { ProviderDefinition } from './framework/types';

/**
 * A provider the mock cloud can serve: a Terraform provider address and version (what
 * `required_providers` asks for, so `terraform init` accepts us) paired with the simulation
 * that serves it. Kept apart from the built-in catalog so that an entry point serving other
 * providers (the tests' demo provider) does not pull in the AWS and Google simulations.
 */
export interface ProviderEntry {
  /** Terraform's local name and the provider binary's name: `aws`. */
  readonly name: string;
  /** Full source address: `registry.terraform.io/hashicorp/aws`. */
  readonly source: string;
  /** The version to answer as (the one pinned by the cdktf provider bindings). */
  readonly version: string;
  /** The simulation (loaded only in the process that serves it). */
  load(): ProviderDefinition;
}

/** The entry called `name`, or an error listing the ones there are. */
export function findProvider(catalog: readonly ProviderEntry[], name: string): ProviderEntry {
  const entry = catalog.find((e) => e.name === name);
  if (!entry) throw new Error(`unknown mock provider "${name}" (known: ${catalog.map((e) => e.name).join(', ')})`);
  return entry;
}
