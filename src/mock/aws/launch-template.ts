import { Cloud } from '../cloud/cloud';
import { awsQuota } from './quotas';
import { compileSchema } from '../schema/compile';
import { block, computed, optional, optionalComputed, required, SchemaSpec } from '../schema/dsl';
import { set, map } from '../values/cty-type';
import { valuesEqual } from '../values/compare';
import { isUnknown, UNKNOWN } from '../values/unknown';
import { isObjectValue, JsonObject, ObjectValue, Value } from '../values/value';
import { OperationContext, PlanContext, ResourceType } from '../framework/types';
import { priorRecord, readRecord } from '../framework/records';
import {
  arn, awsError, bool, effectiveTags, num, planCommon, readTags, REGION_ATTRIBUTE, regionOf, str, tagAttributes, toJson,
} from './common';
import { instanceRequirementsBlock, requireInstanceType } from './instance-types';
import {
  Kind, LaunchTemplateRecord, namePrefixFromName, stores, Tags, uniqueName,
} from './model';
import { importById } from './resource-import';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - template names unique per region (InvalidLaunchTemplateName.AlreadyExistsException), base64 user data (InvalidUserData.Malformed), instance types: Amazon EC2 API Reference, CreateLaunchTemplate and RequestLaunchTemplateData
 * - versions: Amazon EC2 User Guide, Modify a launch template (manage launch template versions)
 * - 5,000 templates per Region (MaxTemplateLimitExceeded): Amazon EC2 User Guide, launch template restrictions
 * - instance type names: the EC2 API's InstanceType enumeration (data/ec2-instance-types.ts)
 */

/**
 * `aws_launch_template`. Every change to what instances are launched with (image, type, user
 * data, network interfaces, disks...) creates a new *version*: `latest_version` goes up, and with
 * `update_default_version` the default version follows. Tags and the default version change the
 * template itself, not its versions. The cloud keeps every version's data, so groups launch from
 * exactly the version they name.
 */

/** Attributes of the template itself; everything else is version data. */
const TEMPLATE_FIELDS = new Set(['arn', 'default_version', 'id', 'latest_version', 'name', 'name_prefix', 'region', 'tags', 'tags_all', 'update_default_version']);

const SCHEMA: SchemaSpec = {
  attributes: {
    arn: computed('string'),
    default_version: optionalComputed('number'),
    description: optional('string'),
    disable_api_stop: optional('bool'),
    disable_api_termination: optional('bool'),
    ebs_optimized: optional('string'),
    id: computed('string'),
    image_id: optional('string'),
    instance_initiated_shutdown_behavior: optional('string'),
    instance_type: optional('string'),
    kernel_id: optional('string'),
    key_name: optional('string'),
    latest_version: computed('number'),
    name: optionalComputed('string', { forceNew: true }),
    name_prefix: optionalComputed('string', { forceNew: true }),
    ram_disk_id: optional('string'),
    region: REGION_ATTRIBUTE,
    security_group_names: optional(set('string')),
    update_default_version: optional('bool'),
    user_data: optional('string'),
    vpc_security_group_ids: optional(set('string')),
    ...tagAttributes(),
  },
  blocks: {
    block_device_mappings: block('list', {
      attributes: { device_name: optional('string'), no_device: optional('string'), virtual_name: optional('string') },
      blocks: {
        ebs: block('list', {
          attributes: {
            delete_on_termination: optional('string'),
            encrypted: optional('string'),
            iops: optionalComputed('number'),
            kms_key_id: optional('string'),
            snapshot_id: optional('string'),
            throughput: optionalComputed('number'),
            volume_initialization_rate: optional('number'),
            volume_size: optionalComputed('number'),
            volume_type: optionalComputed('string'),
          },
        }, { maxItems: 1 }),
      },
    }),
    capacity_reservation_specification: block('list', {
      attributes: { capacity_reservation_preference: optional('string') },
      blocks: {
        capacity_reservation_target: block('list', {
          attributes: { capacity_reservation_id: optional('string'), capacity_reservation_resource_group_arn: optional('string') },
        }, { maxItems: 1 }),
      },
    }, { maxItems: 1 }),
    cpu_options: block('list', {
      attributes: { amd_sev_snp: optional('string'), core_count: optional('number'), threads_per_core: optional('number') },
    }, { maxItems: 1 }),
    credit_specification: block('list', { attributes: { cpu_credits: optional('string') } }, { maxItems: 1 }),
    enclave_options: block('list', { attributes: { enabled: optional('bool') } }, { maxItems: 1 }),
    hibernation_options: block('list', { attributes: { configured: required('bool') } }, { maxItems: 1 }),
    iam_instance_profile: block('list', { attributes: { arn: optional('string'), name: optional('string') } }, { maxItems: 1 }),
    instance_market_options: block('list', {
      attributes: { market_type: optional('string') },
      blocks: {
        spot_options: block('list', {
          attributes: {
            block_duration_minutes: optional('number'),
            instance_interruption_behavior: optional('string'),
            max_price: optional('string'),
            spot_instance_type: optional('string'),
            valid_until: optionalComputed('string'),
          },
        }, { maxItems: 1 }),
      },
    }, { maxItems: 1 }),
    instance_requirements: instanceRequirementsBlock(),
    license_specification: block('set', { attributes: { license_configuration_arn: required('string') } }),
    maintenance_options: block('list', { attributes: { auto_recovery: optionalComputed('string') } }, { maxItems: 1 }),
    metadata_options: block('list', {
      attributes: {
        http_endpoint: optionalComputed('string'),
        http_protocol_ipv6: optionalComputed('string'),
        http_put_response_hop_limit: optionalComputed('number'),
        http_tokens: optionalComputed('string'),
        instance_metadata_tags: optionalComputed('string'),
      },
    }, { maxItems: 1 }),
    monitoring: block('list', { attributes: { enabled: optional('bool') } }, { maxItems: 1 }),
    network_interfaces: block('list', {
      attributes: {
        associate_carrier_ip_address: optional('string'),
        associate_public_ip_address: optional('string'),
        delete_on_termination: optional('string'),
        description: optional('string'),
        device_index: optional('number'),
        interface_type: optional('string'),
        ipv4_address_count: optional('number'),
        ipv4_addresses: optional(set('string')),
        ipv4_prefix_count: optional('number'),
        ipv4_prefixes: optional(set('string')),
        ipv6_address_count: optional('number'),
        ipv6_addresses: optional(set('string')),
        ipv6_prefix_count: optional('number'),
        ipv6_prefixes: optional(set('string')),
        network_card_index: optional('number'),
        network_interface_id: optional('string'),
        primary_ipv6: optional('string'),
        private_ip_address: optional('string'),
        security_groups: optional(set('string')),
        subnet_id: optional('string'),
      },
      blocks: {
        connection_tracking_specification: block('list', {
          attributes: { tcp_established_timeout: optional('number'), udp_stream_timeout: optional('number'), udp_timeout: optional('number') },
        }, { maxItems: 1 }),
        ena_srd_specification: block('list', {
          attributes: { ena_srd_enabled: optional('bool') },
          blocks: { ena_srd_udp_specification: block('list', { attributes: { ena_srd_udp_enabled: optional('bool') } }, { maxItems: 1 }) },
        }, { maxItems: 1 }),
      },
    }),
    placement: block('list', {
      attributes: {
        affinity: optional('string'),
        availability_zone: optional('string'),
        group_id: optional('string'),
        group_name: optional('string'),
        host_id: optional('string'),
        host_resource_group_arn: optional('string'),
        partition_number: optional('number'),
        spread_domain: optional('string'),
        tenancy: optional('string'),
      },
    }, { maxItems: 1 }),
    private_dns_name_options: block('list', {
      attributes: {
        enable_resource_name_dns_a_record: optional('bool'),
        enable_resource_name_dns_aaaa_record: optional('bool'),
        hostname_type: optional('string'),
      },
    }, { maxItems: 1 }),
    tag_specifications: block('list', { attributes: { resource_type: optional('string'), tags: optional(map('string')) } }),
  },
};

const SHAPE = compileSchema(SCHEMA, 'aws_launch_template').block.shape;

/** Values EC2 reports for version data the configuration leaves to it. */
const CLOUD_DEFAULTS: Record<string, Value> = {
  iops: 0,
  throughput: 0,
  volume_size: 0,
  volume_type: '',
  http_endpoint: 'enabled',
  http_protocol_ipv6: 'disabled',
  http_put_response_hop_limit: 1,
  http_tokens: 'optional',
  instance_metadata_tags: 'disabled',
  auto_recovery: 'default',
  valid_until: '',
};

/** Replace the unknowns inside nested blocks with what EC2 would report. */
function fillCloudDefaults(v: Value, name = ''): Value {
  if (isUnknown(v)) return CLOUD_DEFAULTS[name] ?? null;
  if (Array.isArray(v)) return v.map((e) => fillCloudDefaults(e, name));
  if (isObjectValue(v)) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, fillCloudDefaults(e, k)]));
  return v;
}

/** The version data of a planned value (unknowns in nested blocks resolved). */
function versionData(planned: ObjectValue): JsonObject {
  const data: ObjectValue = {};
  for (const [k, v] of Object.entries(planned)) if (!TEMPLATE_FIELDS.has(k)) data[k] = fillCloudDefaults(v, k);
  return toJson(data);
}

/** True when any version attribute differs between two values (unknown counts as different). */
function versionDiffers(before: ObjectValue, after: ObjectValue): boolean {
  for (const [name, shape] of SHAPE.attributes) {
    if (TEMPLATE_FIELDS.has(name)) continue;
    if (!valuesEqual(before[name], after[name], shape)) return true;
  }
  return false;
}

/** True when the plan may change launch data (a new version, decided at apply). */
function versionChanged(ctx: PlanContext): boolean {
  return !ctx.prior || versionDiffers(ctx.prior, ctx.planned);
}

/** Launch template data EC2 would refuse outright. */
function checkVersionData(data: JsonObject): void {
  const type = str(data.instance_type as Value);
  if (type !== null) requireInstanceType(type);
  const userData = str(data.user_data as Value);
  if (userData !== null) {
    const compact = userData.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
      throw awsError('InvalidUserData.Malformed', 'Invalid BASE64 encoding of user data.', ['user_data'],
        'Launch templates take user data base64-encoded: wrap it in base64encode().');
    }
  }
}

function templateState(ctx: OperationContext, t: LaunchTemplateRecord, state: ObjectValue | null): ObjectValue {
  const data = t.versions[String(t.latest_version)] ?? {};
  return {
    ...(data as ObjectValue),
    id: t.id,
    arn: arn('ec2', t.region, `launch-template/${t.id}`),
    name: t.name,
    name_prefix: namePrefixFromName(t.name),
    region: t.region,
    default_version: t.default_version,
    latest_version: t.latest_version,
    ...readTags(ctx, t.tags, state),
  };
}

export const launchTemplate: ResourceType = {
  name: 'aws_launch_template',
  schema: SCHEMA,
  validate(ctx) {
    if (ctx.config.update_default_version === true && ctx.config.default_version !== null) {
      ctx.error('Conflicting configuration arguments', { detail: '"default_version": conflicts with update_default_version', path: ['default_version'] });
    }
  },
  plan(ctx) {
    planCommon(ctx);
    if (!ctx.prior) return;
    if (versionChanged(ctx)) {
      ctx.planned.latest_version = UNKNOWN;
      if (ctx.planned.update_default_version === true) ctx.planned.default_version = UNKNOWN;
    }
  },
  create(ctx) {
    const region = regionOf(ctx, ctx.planned);
    const name = str(ctx.planned.name) ?? uniqueName(ctx.cloud, str(ctx.planned.name_prefix));
    if (!/^[a-zA-Z0-9().\-/_]{3,128}$/.test(name)) {
      throw awsError('InvalidLaunchTemplateName.MalformedException',
        'A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.', ['name']);
    }
    if (ctx.cloud.list<LaunchTemplateRecord>(Kind.launchTemplate, (t) => t.region === region && t.name === name).length > 0) {
      throw awsError('InvalidLaunchTemplateName.AlreadyExistsException', `Launch template name already in use.`, ['name'],
        `A launch template named "${name}" already exists in ${region}.`);
    }
    checkTemplateQuota(ctx.cloud, region);
    const data = versionData(ctx.planned);
    checkVersionData(data);
    const id = ctx.cloud.nextId('lt');
    const record = ctx.cloud.put<LaunchTemplateRecord>(Kind.launchTemplate, id, {
      id, region, name, default_version: 1, latest_version: 1, versions: { 1: data }, tags: effectiveTags(ctx, ctx.planned.tags) as Tags,
    });
    return templateState(ctx, record, ctx.planned);
  },
  // The provider reads the latest version's data back (user data included), but never
  // `update_default_version`, which only steers its updates: it is null after an import, so a
  // configuration that sets it plans an in-place update, as with the real provider.
  import: importById({ format: 'lt-<id>', prefix: 'lt', malformedCode: 'InvalidLaunchTemplateId.Malformed' }),
  read: readRecord(stores.launchTemplate, templateState),
  update(ctx) {
    const t = priorRecord(ctx, stores.launchTemplate);
    const id = t.id;
    let { latest_version: latest, default_version: defaultVersion } = t;
    const versions = { ...t.versions };
    // A change planned with unknown values (user data from a data source read at apply) may
    // turn out to be none: like the provider, make a version only for data that differs.
    const data = versionData(ctx.planned);
    if (isUnknown(ctx.planned.latest_version) && versionDiffers(t.versions[String(latest)] as ObjectValue, data as ObjectValue)) {
      checkVersionData(data);
      latest += 1;
      versions[String(latest)] = data;
      if (bool(ctx.planned.update_default_version) === true) defaultVersion = latest;
    }
    const wanted = num(ctx.planned.default_version);
    if (wanted !== null && !isUnknown(ctx.planned.default_version)) {
      if (!versions[String(wanted)]) {
        throw awsError('InvalidLaunchTemplateId.VersionNotFound', `Could not find launch template version ${wanted} for ${id}.`, ['default_version']);
      }
      defaultVersion = wanted;
    }
    const updated = ctx.cloud.put<LaunchTemplateRecord>(Kind.launchTemplate, id, {
      ...t, versions, latest_version: latest, default_version: defaultVersion, tags: effectiveTags(ctx, ctx.planned.tags) as Tags,
    });
    return templateState(ctx, updated, ctx.planned);
  },
  delete(ctx) {
    // EC2 deletes a template even while groups use it (their later launches fail).
    ctx.cloud.delete(Kind.launchTemplate, str(ctx.state.id) ?? '');
  },
};

/** A launch template's data at `version` (`$Latest`, `$Default` or a number), or an EC2 error. */
export function templateVersion(t: LaunchTemplateRecord, version: string | null, path: (string | number)[]): { version: number; data: ObjectValue } {
  const v = version === null || version === '$Default' ? t.default_version : version === '$Latest' ? t.latest_version : Number(version);
  const data = t.versions[String(v)];
  if (!data) {
    throw awsError('InvalidLaunchTemplateId.VersionNotFound', `Could not find launch template version ${version} for ${t.id}.`, path);
  }
  return { version: v, data: data as ObjectValue };
}

/**
 * Amazon EC2 User Guide, launch template restrictions: 5,000 launch templates per Region.
 * CreateLaunchTemplate then fails with EC2's text, as aws/karpenter-provider-aws issue 8686 quotes
 * it: "MaxTemplateLimitExceeded: Account has already reached max permitted templates".
 */
function checkTemplateQuota(cloud: Cloud, region: string): void {
  const limit = awsQuota('launch_templates_per_region');
  if (cloud.list<LaunchTemplateRecord>(Kind.launchTemplate, (t) => t.region === region).length >= limit) {
    throw awsError('MaxTemplateLimitExceeded', 'Account has already reached max permitted templates', ['name'],
      `${region} has ${limit} launch templates, the quota (AWS's default is 5,000 per Region; BUTTER_MOCK_QUOTAS {"aws": {"launch_templates_per_region": N}} raises it).`);
  }
}
