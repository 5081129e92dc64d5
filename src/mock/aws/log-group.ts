import { claimId, priorRecord, readRecord, RecordStore } from '../framework/records';
import { ResourceType } from '../framework/types';
import { computed, optional, optionalComputed } from '../schema/dsl';
import { oneOf } from '../schema/validators';
import { JsonObject, ObjectValue } from '../values/value';
import { OperationContext } from '../framework/types';
import { arn, awsError, bool, effectiveTags, num, planCommon, readTags, REGION_ATTRIBUTE, regionOf, str, tagAttributes } from './common';
import { namePrefixFromName, Tags, uniqueName } from './model';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - names 1-512 of [.-_/#A-Za-z0-9], unique per region (ResourceAlreadyExistsException): CloudWatch Logs API Reference, CreateLogGroup
 * - retention values: CloudWatch Logs API Reference, PutRetentionPolicy
 * - skip_destroy, deletion protection: Terraform AWS provider docs, aws_cloudwatch_log_group
 */

/**
 * `aws_cloudwatch_log_group`, as CloudWatch Logs keeps them: names unique per region (the id
 * is the name), the retention periods the API accepts, a class that cannot change. With
 * `skip_destroy` Terraform forgets the group and leaves it (and its logs) in the cloud; a group
 * with deletion protection cannot be deleted.
 */

export const LOG_GROUP = 'log_group';
const RETENTION = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export interface LogGroupRecord extends JsonObject {
  name: string;
  region: string;
  retention_in_days: number;
  kms_key_id: string;
  log_group_class: string;
  deletion_protection_enabled: boolean;
  tags: Tags;
}

function logGroupState(ctx: OperationContext, g: LogGroupRecord, state: ObjectValue | null): ObjectValue {
  return {
    id: g.name,
    name: g.name,
    name_prefix: namePrefixFromName(g.name),
    arn: arn('logs', g.region, `log-group:${g.name}`),
    region: g.region,
    retention_in_days: g.retention_in_days,
    kms_key_id: g.kms_key_id || null,
    log_group_class: g.log_group_class,
    deletion_protection_enabled: g.deletion_protection_enabled,
    skip_destroy: state?.skip_destroy ?? false,
    ...readTags(ctx, g.tags, state),
  };
}

const key = (region: string, name: string) => `${region}/${name}`;

/** Log groups are named per region: the record is keyed by region and name. */
const logGroups: RecordStore<LogGroupRecord> = {
  kind: LOG_GROUP,
  find: (ctx, state) => ctx.cloud.get<LogGroupRecord>(LOG_GROUP, key(regionOf(ctx, state), str(state.id) ?? '')),
  notFound: () => awsError('ResourceNotFoundException', 'The specified log group does not exist.'),
  alreadyExists: () => awsError('ResourceAlreadyExistsException', 'The specified log group already exists', ['name']),
};

export const logGroup: ResourceType = {
  name: 'aws_cloudwatch_log_group',
  schema: {
    attributes: {
      arn: computed('string'),
      deletion_protection_enabled: optionalComputed('bool'),
      id: computed('string'),
      kms_key_id: optional('string'),
      log_group_class: optionalComputed('string', { forceNew: true, validate: oneOf('STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY') }),
      name: optionalComputed('string', { forceNew: true }),
      name_prefix: optionalComputed('string', { forceNew: true }),
      region: REGION_ATTRIBUTE,
      retention_in_days: optional('number', { default: 0, validate: oneOf(...RETENTION) }),
      skip_destroy: optional('bool', { default: false }),
      ...tagAttributes(),
    },
  },
  validate(ctx) {
    const name = ctx.config.name;
    if (typeof name === 'string' && !/^[.\-_/#A-Za-z0-9]{1,512}$/.test(name)) {
      ctx.error('invalid value for name', { detail: 'must be 1-512 characters of letters, digits and . - _ / #', path: ['name'] });
    }
    if (typeof name === 'string' && typeof ctx.config.name_prefix === 'string') {
      ctx.error('Conflicting configuration arguments', { detail: '"name": conflicts with name_prefix', path: ['name'] });
    }
  },
  plan(ctx) {
    planCommon(ctx);
  },
  create(ctx) {
    const p = ctx.planned;
    const region = regionOf(ctx, p);
    const name = str(p.name) ?? uniqueName(ctx.cloud, str(p.name_prefix));
    const record = ctx.cloud.put<LogGroupRecord>(LOG_GROUP, claimId(ctx, logGroups, key(region, name)), {
      name,
      region,
      retention_in_days: num(p.retention_in_days) ?? 0,
      kms_key_id: str(p.kms_key_id) ?? '',
      log_group_class: str(p.log_group_class) ?? 'STANDARD',
      deletion_protection_enabled: bool(p.deletion_protection_enabled) ?? false,
      tags: effectiveTags(ctx, p.tags) as Tags,
    });
    return logGroupState(ctx, record, p);
  },
  import(ctx) {
    const [name, region] = ctx.id.split('@');
    return { id: name, ...(region ? { region } : {}), skip_destroy: false };
  },
  read: readRecord(logGroups, logGroupState),
  update(ctx) {
    const g = priorRecord(ctx, logGroups);
    const updated = ctx.cloud.put<LogGroupRecord>(LOG_GROUP, key(g.region, g.name), {
      ...g,
      retention_in_days: num(ctx.planned.retention_in_days) ?? 0,
      kms_key_id: str(ctx.planned.kms_key_id) ?? '',
      deletion_protection_enabled: bool(ctx.planned.deletion_protection_enabled) ?? g.deletion_protection_enabled,
      tags: effectiveTags(ctx, ctx.planned.tags) as Tags,
    });
    return logGroupState(ctx, updated, ctx.planned);
  },
  delete(ctx) {
    const region = regionOf(ctx, ctx.state);
    const id = key(region, str(ctx.state.id) ?? '');
    const g = ctx.cloud.get<LogGroupRecord>(LOG_GROUP, id);
    if (!g || ctx.state.skip_destroy === true) return;
    if (g.deletion_protection_enabled) {
      throw awsError('ValidationException', `Log group ${g.name} has deletion protection enabled`, undefined, 'Set deletion_protection_enabled = false first.');
    }
    ctx.cloud.delete(LOG_GROUP, id);
  },
};
