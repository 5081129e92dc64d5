import { ConfigureContext, OperationContext, PlanContext } from '../framework/types';
import { AttributeSpec, block, BlockSpec, computed, optional, optionalComputed } from '../schema/dsl';
import { list, map } from '../values/cty-type';
import { isUnknown, isWhollyKnown, UNKNOWN } from '../values/unknown';
import { ObjectValue, Value } from '../values/value';
import { apiError, planChanges, str, stringMap } from './common';
import { findRegion, regionOfZone } from './regions';

/**
 * The `provider "google"` block. The schema takes what people commonly write in it
 * (credentials, access tokens, impersonation, default labels, batching, custom endpoints of the
 * main services), so existing configurations work unchanged; the mock never reads credentials.
 * What it uses: `project`, `region`, `zone` (a region when `region` is unset), `default_labels`
 * and the attribution label settings. As in the real provider, `project`, `region` and `zone`
 * also come from the environment (GOOGLE_PROJECT, GOOGLE_REGION, GOOGLE_ZONE and their aliases).
 */

/** Services whose endpoint people override most; the mock ignores the values. */
const ENDPOINT_SERVICES = [
  'compute', 'container', 'storage', 'iam', 'iam_credentials', 'resource_manager', 'resource_manager_v3',
  'service_usage', 'dns', 'cloud_run_v2', 'secret_manager', 'logging', 'monitoring', 'pubsub', 'sql',
];

export const PROVIDER_SCHEMA: BlockSpec = {
  attributes: {
    project: optional('string'),
    region: optional('string'),
    zone: optional('string'),
    credentials: optional('string'),
    access_token: optional('string'),
    impersonate_service_account: optional('string'),
    impersonate_service_account_delegates: optional(list('string')),
    billing_project: optional('string'),
    user_project_override: optional('bool'),
    request_timeout: optional('string'),
    request_reason: optional('string'),
    scopes: optional(list('string')),
    universe_domain: optional('string'),
    default_labels: optional(map('string')),
    add_terraform_attribution_label: optional('bool'),
    terraform_attribution_label_addition_strategy: optional('string'),
    ...Object.fromEntries(ENDPOINT_SERVICES.map((s): [string, AttributeSpec] => [`${s}_custom_endpoint`, optional('string')])),
  },
  blocks: {
    batching: block('list', { attributes: { enable_batching: optional('bool'), send_after: optional('string') } }, { maxItems: 1 }),
    external_credentials: block('list', {
      attributes: { audience: optional('string'), service_account_email: optional('string'), identity_token: optional('string') },
    }, { maxItems: 1 }),
  },
};

/** The label the provider adds to resources it creates (provider 6.x default). */
export const ATTRIBUTION_LABEL = 'goog-terraform-provisioned';

function fromEnv(...names: string[]): string | null {
  for (const n of names) if (process.env[n]) return process.env[n] as string;
  return null;
}

/** The provider's project (configured, else from the environment), or null. */
export function providerProject(config: ObjectValue): string | null {
  return str(config.project) || fromEnv('GOOGLE_PROJECT', 'GOOGLE_CLOUD_PROJECT', 'GCLOUD_PROJECT', 'CLOUDSDK_CORE_PROJECT');
}

/** The provider's zone, or null. */
export function providerZone(config: ObjectValue): string | null {
  return str(config.zone) || fromEnv('GOOGLE_ZONE', 'GCLOUD_ZONE', 'CLOUDSDK_COMPUTE_ZONE');
}

/** The provider's region: `region`, else the region of `zone`, else the environment's; or null. */
export function providerRegion(config: ObjectValue): string | null {
  const region = str(config.region) || fromEnv('GOOGLE_REGION', 'GCLOUD_REGION', 'CLOUDSDK_COMPUTE_REGION');
  if (region) return region.replace(/^.*\/regions\//, '');
  const zone = providerZone(config);
  return zone ? zone.replace(/-[a-z]$/, '') : null;
}

/** The project a resource lives in (its own, else the provider's); the provider's error without one. */
export function projectOf(ctx: OperationContext, value: ObjectValue | null, action: string): string {
  const project = (value ? str(value.project) : null) ?? providerProject(ctx.provider.config);
  if (!project) throw apiError(action, 400, 'project: required field is not set', 'required', ['project']);
  return project;
}

/** The region of a regional resource (its own, else the provider's). */
export function regionOf(ctx: OperationContext, value: ObjectValue | null, action: string): string {
  const region = (value ? str(value.region) : null) ?? providerRegion(ctx.provider.config);
  if (!region) {
    throw apiError(action, 400, "Cannot determine region: set in this resource, or set provider-level 'region' or 'zone'.", 'required', ['region']);
  }
  return region.replace(/^.*\/regions\//, '');
}

/** Google's answer for a region it does not have. */
/** Project and region of a regional resource being created; the region must exist. */
export function regionalTarget(ctx: OperationContext, value: ObjectValue, action: string): { project: string; region: string } {
  const project = projectOf(ctx, value, action);
  const region = regionOf(ctx, value, action);
  if (!findRegion(region)) throw apiError(action, 404, `The resource 'projects/${project}/regions/${region}' was not found`, 'notFound', ['region']);
  return { project, region };
}

/**
 * Plan `project` (and `region` for regional types) known, as the provider's CustomizeDiff does:
 * the resource's own value, else the provider's. A change of the provider's project or region
 * replaces the resources that followed it.
 */
export function planLocation(ctx: PlanContext, regional: boolean): void {
  const plan = (name: 'project' | 'region', fallback: string | null): void => {
    const configured = ctx.config[name];
    if (isUnknown(configured)) return;
    const wanted = str(configured) ?? fallback;
    if (wanted === null) return;
    if (ctx.prior && str(ctx.prior[name]) !== wanted) ctx.requireReplace([name]);
    ctx.planned[name] = wanted;
  };
  plan('project', providerProject(ctx.provider.config));
  if (regional) plan('region', providerRegion(ctx.provider.config));
}

/** `labels` plus what the provider manages for them (`terraform_labels`, `effective_labels`). */
export function labelAttributes(forceNew = false): Record<string, AttributeSpec> {
  return {
    labels: optional(map('string'), { forceNew }),
    terraform_labels: computed(map('string')),
    effective_labels: computed(map('string')),
  };
}

/**
 * Plan `terraform_labels` (default_labels overlaid with `labels`) and `effective_labels` (the
 * object's labels updated with those, plus the attribution label, added on creation, or always
 * with the PROACTIVE strategy), known at plan time as the provider does.
 */
export function planLabels(ctx: PlanContext): void {
  const labels = ctx.planned.labels;
  if (!isWhollyKnown(labels)) {
    ctx.planned.terraform_labels = UNKNOWN;
    ctx.planned.effective_labels = UNKNOWN;
    markLabelFingerprint(ctx);
    return;
  }
  const terraform = { ...stringMap(ctx.provider.config.default_labels), ...stringMap(labels) };
  // The object's labels with Terraform's set, minus those Terraform stopped managing: labels
  // others set stay (after an import `terraform_labels` is empty, so all of them stay).
  const effective: Record<string, Value> = { ...stringMap(ctx.prior?.effective_labels), ...terraform };
  for (const key of Object.keys(stringMap(ctx.prior?.terraform_labels))) if (!(key in terraform)) delete effective[key];
  const config = ctx.provider.config;
  const attribution = config.add_terraform_attribution_label !== false;
  const proactive = config.terraform_attribution_label_addition_strategy === 'PROACTIVE';
  const hadIt = ctx.prior !== null && ATTRIBUTION_LABEL in stringMap(ctx.prior.effective_labels);
  if (attribution && (ctx.prior === null || proactive || hadIt)) effective[ATTRIBUTION_LABEL] = 'true';
  else delete effective[ATTRIBUTION_LABEL];
  ctx.planned.terraform_labels = terraform;
  ctx.planned.effective_labels = effective;
  markLabelFingerprint(ctx);
}

/** A type with a `label_fingerprint` (addresses, forwarding rules) gets a new one with new labels. */
function markLabelFingerprint(ctx: PlanContext): void {
  if (ctx.prior && 'label_fingerprint' in ctx.prior && planChanges(ctx, 'effective_labels')) ctx.planned.label_fingerprint = UNKNOWN;
}

/** ConfigureProvider: a region or zone that is set must exist (the mock knows Google's regions). */
export function configureProvider(ctx: ConfigureContext): void {
  const region = str(ctx.config.region);
  if (region && !findRegion(region.replace(/^.*\/regions\//, ''))) {
    ctx.warn(`Unknown region "${region}"`, {
      detail: 'The Butter mock cloud knows Google\'s public regions (us-central1, europe-west1, ...); regional resources there will fail.',
      path: ['region'],
    });
  }
  const zone = str(ctx.config.zone);
  if (zone && !regionOfZone(zone)) {
    ctx.warn(`Unknown zone "${zone}"`, { detail: 'The Butter mock cloud knows the zones of Google\'s public regions.', path: ['zone'] });
  }
  const strategy = str(ctx.config.terraform_attribution_label_addition_strategy);
  if (strategy && strategy !== 'CREATION_ONLY' && strategy !== 'PROACTIVE') {
    ctx.error(`terraform_attribution_label_addition_strategy must be one of CREATION_ONLY, PROACTIVE, got "${strategy}"`, {
      path: ['terraform_attribution_label_addition_strategy'],
    });
  }
}

/** `project` as every resource declares it: optional, filled from the provider, forceNew. */
export const PROJECT_ATTRIBUTE: AttributeSpec = optionalComputed('string', { forceNew: true });

/** `region` as regional resources declare it. */
export const REGION_ATTRIBUTE: AttributeSpec = optionalComputed('string', { forceNew: true });
