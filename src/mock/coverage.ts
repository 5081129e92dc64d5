import { ButterError } from '../errors';
import { BUILTIN_PROVIDERS } from './catalog';
import { ProviderEntry } from './provider-entry';

/**
 * Checking a synthesized configuration against what the mock cloud simulates, before Terraform
 * runs. Terraform itself rejects a type missing from a provider's schema with its own message
 * ("The provider hashicorp/aws does not support resource type …"); checking first lets Butter say
 * plainly that the mock, not AWS, lacks it.
 */

/** A resource or data source type the mock cloud cannot serve. */
export interface UnsimulatedType {
  readonly provider: string;
  readonly kind: 'resource' | 'data';
  readonly type: string;
}

/**
 * The types in `config` (Terraform JSON, e.g. `cdk.tf.json`) that belong to a provider in
 * `catalog` (by type-name prefix: `aws_…`) but are not simulated.
 */
export function unsimulatedTypes(config: { resource?: object; data?: object }, catalog: readonly ProviderEntry[] = BUILTIN_PROVIDERS): UnsimulatedType[] {
  const missing: UnsimulatedType[] = [];
  const loaded = new Map<string, { resources: Set<string>; data: Set<string> }>();
  const simulated = (provider: ProviderEntry): { resources: Set<string>; data: Set<string> } => {
    let s = loaded.get(provider.name);
    if (!s) {
      const d = provider.load();
      s = { resources: new Set(d.resources.map((r) => r.name)), data: new Set((d.dataSources ?? []).map((r) => r.name)) };
      loaded.set(provider.name, s);
    }
    return s;
  };
  for (const [kind, types] of [['resource', config.resource], ['data', config.data]] as const) {
    for (const type of Object.keys(types ?? {})) {
      const provider = catalog.find((p) => type.startsWith(`${p.name}_`));
      if (!provider) continue;
      const known = simulated(provider);
      if (!(kind === 'resource' ? known.resources : known.data).has(type)) missing.push({ provider: provider.name, kind, type });
    }
  }
  return missing;
}

/** Throw a ButterError (`MOCK_UNSIMULATED_TYPE`) naming every type in `config` the mock lacks. */
export function assertSimulated(config: { resource?: object; data?: object }, catalog: readonly ProviderEntry[] = BUILTIN_PROVIDERS): void {
  const missing = unsimulatedTypes(config, catalog);
  if (missing.length === 0) return;
  const names = missing.map((m) => (m.kind === 'data' ? `data source ${m.type}` : m.type));
  throw new ButterError('MOCK_UNSIMULATED_TYPE', `the Butter mock cloud does not simulate ${names.join(', ')} yet`, {
    hint: 'deploy to the real cloud, or add the simulation under src/mock/<provider>/',
  });
}
