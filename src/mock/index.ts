/**
 * The Butter mock cloud: Terraform providers, written in Node.js, that answer as
 * `hashicorp/aws` and `hashicorp/google` and simulate those clouds locally, so the real Terraform
 * CLI can init, plan, apply and destroy offline. See README.md in this folder.
 *
 * - Simulations (src/mock/aws, src/mock/google) implement {@link ResourceType} and
 *   {@link DataSourceType} and export a {@link ProviderDefinition}.
 * - The Butter CLI runs Terraform against {@link startMockCloud} (reattach, the fast default);
 *   `cdktf deploy` users get a mirror from {@link prepareMirror}.
 */

// For simulations
export type * from './framework/types';
export { CloudError } from './framework/diagnostics';
export type { AttributePath, Diagnostic, DiagnosticOptions, PathStep } from './framework/diagnostics';
export type { Cloud } from './cloud/cloud';
export { block, computed, optional, optionalComputed, required } from './schema/dsl';
export type { AttributeOptions, AttributeSpec, BlockSpec, Nesting, NestedBlockSpec, SchemaSpec, Validator } from './schema/dsl';
export * from './schema/validators';
export { list, map, object, set, tuple } from './values/cty-type';
export type { CtyType, PrimitiveType } from './values/cty-type';
export { isUnknown, isWhollyKnown, Unknown, UNKNOWN } from './values/unknown';
export type { Json, JsonObject, ObjectValue, Value } from './values/value';
export { valuesEqual } from './values/compare';

// For running Terraform against the mock cloud
export { BUILTIN_PROVIDERS } from './catalog';
export { findProvider } from './provider-entry';
export type { ProviderEntry } from './provider-entry';
export { startMockCloud } from './launch/daemon';
export type { MockCloud, MockCloudOptions } from './launch/daemon';
export { prepareMirror, terraformPlatform, stopMirrorDaemon, mirrorLauncher } from './launch/mirror';
export { stopLaunchDaemon } from './launch/launch-client';
export type { Mirror, MirrorOptions } from './launch/mirror';
export type { Launcher, LauncherOptions } from './launch/launcher';
export { ensureBundle } from './launch/bundle';
export type { BundleOptions } from './launch/bundle';
export type { PluginCommand } from './launch/command';
export type { ReattachConfig, ReattachProviders } from './launch/reattach';
export { runMain } from './launch/run';
export { assertSimulated, unsimulatedTypes } from './coverage';
export type { UnsimulatedType } from './coverage';
export { CloudStateError, CloudStore, defaultStateDir } from './cloud/store';
