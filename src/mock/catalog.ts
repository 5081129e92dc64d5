import { ProviderDefinition } from './framework/types';
import { ProviderEntry } from './provider-entry';

/**
 * The providers the mock cloud answers as for Butter: `hashicorp/aws` and `hashicorp/google`, at
 * the versions cdktf writes into `required_providers`.
 *
 * The AWS and Google simulations live in `./aws` and `./google`; each `index.ts` exports
 * `provider: ProviderDefinition`. Until one exists, its entry serves an empty provider, which
 * answers every resource type with "the Butter mock cloud does not simulate … yet".
 */
export const BUILTIN_PROVIDERS: readonly ProviderEntry[] = [
  {
    name: 'aws',
    source: 'registry.terraform.io/hashicorp/aws',
    // What @cdktf/provider-aws 21.22.1 pins.
    version: '6.25.0',
    load: () => loadSimulation('aws'),
  },
  {
    name: 'google',
    source: 'registry.terraform.io/hashicorp/google',
    // What @cdktf/provider-google 16.12.1 pins.
    version: '6.50.0',
    load: () => loadSimulation('google'),
  },
];

/**
 * Load `./<name>`, or an empty provider while that module does not exist yet. The `require`s are
 * literal and inside `try` so that bundlers include a simulation once it exists and otherwise
 * leave the call alone.
 */
function loadSimulation(name: 'aws' | 'google'): ProviderDefinition {
  let exports: { provider?: ProviderDefinition };
  try {
    exports = name === 'aws' ? require('./aws') : require('./google');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'MODULE_NOT_FOUND' && err.message.includes(`'./${name}'`)) return { name, resources: [], dataSources: [] };
    throw e;
  }
  if (!exports.provider) throw new Error(`src/mock/${name} does not export "provider"`);
  return exports.provider;
}
