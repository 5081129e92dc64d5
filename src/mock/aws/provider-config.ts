import { ConfigureContext } from '../framework/types';
import { block, BlockSpec, optional } from '../schema/dsl';
import { list, map, set } from '../values/cty-type';
import { isObjectValue, ObjectValue, Value } from '../values/value';
import { findRegion } from './regions';

/**
 * The `provider "aws"` block. The schema accepts what people commonly write in it (credentials,
 * profiles, the skip_* switches, default_tags, ignore_tags, assume_role, endpoints), so existing
 * configurations work unchanged; the mock needs none of the credentials and never reads them.
 * What it does use: `region`, `default_tags`, `ignore_tags`, `allowed_account_ids`,
 * `forbidden_account_ids` and `skip_region_validation`.
 */

/** The endpoints people override most (e.g. for LocalStack); the mock ignores them. */
const ENDPOINT_SERVICES = ['autoscaling', 'ec2', 'elb', 'elbv2', 'iam', 's3', 'ssm', 'sts'];

export const PROVIDER_SCHEMA: BlockSpec = {
  attributes: {
    region: optional('string', { description: 'The region; also read from AWS_REGION or AWS_DEFAULT_REGION.' }),
    access_key: optional('string'),
    secret_key: optional('string', { sensitive: true }),
    token: optional('string', { sensitive: true }),
    profile: optional('string'),
    shared_config_files: optional(list('string')),
    shared_credentials_files: optional(list('string')),
    allowed_account_ids: optional(set('string')),
    forbidden_account_ids: optional(set('string')),
    custom_ca_bundle: optional('string'),
    ec2_metadata_service_endpoint: optional('string'),
    ec2_metadata_service_endpoint_mode: optional('string'),
    http_proxy: optional('string'),
    https_proxy: optional('string'),
    no_proxy: optional('string'),
    insecure: optional('bool'),
    max_retries: optional('number'),
    retry_mode: optional('string'),
    s3_us_east_1_regional_endpoint: optional('string'),
    s3_use_path_style: optional('bool'),
    skip_credentials_validation: optional('bool'),
    skip_metadata_api_check: optional('string'),
    skip_region_validation: optional('bool'),
    skip_requesting_account_id: optional('bool'),
    sts_region: optional('string'),
    tag_policy_compliance: optional('string'),
    token_bucket_rate_limiter_capacity: optional('number'),
    use_dualstack_endpoint: optional('bool'),
    use_fips_endpoint: optional('bool'),
  },
  blocks: {
    assume_role: block('list', {
      attributes: {
        duration: optional('string'),
        external_id: optional('string'),
        policy: optional('string'),
        policy_arns: optional(set('string')),
        role_arn: optional('string'),
        session_name: optional('string'),
        source_identity: optional('string'),
        tags: optional(map('string')),
        transitive_tag_keys: optional(set('string')),
      },
    }),
    assume_role_with_web_identity: block('list', {
      attributes: {
        duration: optional('string'),
        policy: optional('string'),
        policy_arns: optional(set('string')),
        role_arn: optional('string'),
        session_name: optional('string'),
        web_identity_token: optional('string'),
        web_identity_token_file: optional('string'),
      },
    }, { maxItems: 1 }),
    default_tags: block('list', { attributes: { tags: optional(map('string')) } }, { maxItems: 1 }),
    endpoints: block('set', { attributes: Object.fromEntries(ENDPOINT_SERVICES.map((s) => [s, optional('string')])) }),
    ignore_tags: block('list', {
      attributes: { keys: optional(set('string')), key_prefixes: optional(set('string')) },
    }, { maxItems: 1 }),
  },
};

/** The configured region (or the environment's), or '' when there is none. */
export function providerRegion(config: ObjectValue): string {
  const r = config.region;
  if (typeof r === 'string' && r !== '') return r;
  return process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || '';
}

/** default_tags and ignore_tags, as resources apply them to `tags_all`. */
export interface TagPolicy {
  readonly defaults: Record<string, string>;
  ignored(key: string): boolean;
}

export function tagPolicy(config: ObjectValue): TagPolicy {
  const defaults: Record<string, string> = {};
  for (const d of blocks(config.default_tags)) {
    if (isObjectValue(d.tags)) for (const [k, v] of Object.entries(d.tags)) if (typeof v === 'string') defaults[k] = v;
  }
  const keys = new Set<string>();
  const prefixes: string[] = [];
  for (const i of blocks(config.ignore_tags)) {
    for (const k of Array.isArray(i.keys) ? i.keys : []) if (typeof k === 'string') keys.add(k);
    for (const p of Array.isArray(i.key_prefixes) ? i.key_prefixes : []) if (typeof p === 'string') prefixes.push(p);
  }
  return { defaults, ignored: (key) => keys.has(key) || prefixes.some((p) => key.startsWith(p)) };
}

function blocks(v: Value | undefined): ObjectValue[] {
  return Array.isArray(v) ? v.filter(isObjectValue) : [];
}

/**
 * ConfigureProvider: a region is needed and must exist; the account must be allowed. Sources:
 * terraform-provider-aws, provider configuration (region required, `skip_region_validation`,
 * `allowed_account_ids` / `forbidden_account_ids`), whose diagnostics these are.
 */
export function configureProvider(ctx: ConfigureContext, account: string): void {
  const region = providerRegion(ctx.config);
  if (region === '') {
    ctx.error('Missing required argument', {
      detail: 'The argument "region" is required, but no definition was found (set it in the provider block, or AWS_REGION).',
      path: ['region'],
    });
    return;
  }
  if (!findRegion(region) && ctx.config.skip_region_validation !== true) {
    ctx.error(`invalid AWS Region: ${region}`, {
      detail: 'The Butter mock cloud knows the commercial AWS regions (us-east-1, eu-west-1, ...). '
        + 'Set skip_region_validation = true to use another name; it then gets zones a, b and c.',
      path: ['region'],
    });
  }
  const allowed = Array.isArray(ctx.config.allowed_account_ids) ? ctx.config.allowed_account_ids : [];
  if (allowed.length > 0 && !allowed.includes(account)) {
    ctx.error(`AWS account ID not allowed: ${account}`, { detail: 'The mock cloud\'s account is 123456789012.' });
  }
  const forbidden = Array.isArray(ctx.config.forbidden_account_ids) ? ctx.config.forbidden_account_ids : [];
  if (forbidden.includes(account)) ctx.error(`AWS account ID not allowed: ${account}`);
}
