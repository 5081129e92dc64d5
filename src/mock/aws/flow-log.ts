import { OperationContext, ResourceType } from '../framework/types';
import { block, computed, optional, optionalComputed } from '../schema/dsl';
import { oneOf } from '../schema/validators';
import { JsonObject, ObjectValue } from '../values/value';
import { arn, awsError, effectiveTags, num, objects, planCommon, readTags, REGION_ATTRIBUTE, regionOf, str, tagAttributes } from './common';
import { find, Kind, regionalStore, requireVpc, SubnetRecord, Tags, updateTags } from './model';
import { readRecord } from '../framework/records';
import { importById } from './resource-import';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - one resource per flow log, TrafficType required for VPC/subnet/interface logs, aggregation 60 or 600 s,
 *   DeliverLogsPermissionArn for CloudWatch Logs and not for S3: Amazon EC2 API Reference, CreateFlowLogs
 * - destinations and the role: Amazon VPC User Guide, Publish flow logs to CloudWatch Logs / to Amazon S3
 */

/**
 * `aws_flow_log` (EC2 CreateFlowLogs), for VPCs and subnets: what is logged (ACCEPT, REJECT or
 * ALL traffic) and where to: a CloudWatch Logs group, which needs a role the service assumes to
 * write (DeliverLogsPermissionArn), or an S3 bucket, which takes none. A flow log cannot change:
 * every setting replaces it.
 */

const FLOW_LOG = 'flow_log';
const DEFAULT_FORMAT = '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';
const SOURCES = ['vpc_id', 'subnet_id', 'eni_id', 'transit_gateway_id', 'transit_gateway_attachment_id', 'regional_nat_gateway_id'] as const;

interface FlowLogRecord extends JsonObject {
  id: string;
  region: string;
  resource_id: string;
  source: string;
  traffic_type: string;
  log_destination_type: string;
  log_destination: string;
  iam_role_arn: string | null;
  log_format: string;
  max_aggregation_interval: number;
  tags: Tags;
}

function flowLogState(ctx: OperationContext, f: FlowLogRecord, state: ObjectValue | null): ObjectValue {
  return {
    id: f.id,
    arn: arn('ec2', f.region, `vpc-flow-log/${f.id}`),
    region: f.region,
    ...Object.fromEntries(SOURCES.map((s) => [s, s === f.source ? f.resource_id : null])),
    traffic_type: f.traffic_type,
    log_destination_type: f.log_destination_type,
    log_destination: f.log_destination,
    iam_role_arn: f.iam_role_arn,
    log_format: f.log_format,
    max_aggregation_interval: f.max_aggregation_interval,
    deliver_cross_account_role: state?.deliver_cross_account_role ?? null,
    destination_options: state?.destination_options ?? null,
    ...readTags(ctx, f.tags, state),
  };
}

const flowLogs = regionalStore<FlowLogRecord>(FLOW_LOG, (id) => awsError('InvalidFlowLogId.NotFound', `Flow log ${id} does not exist`));

export const flowLog: ResourceType = {
  name: 'aws_flow_log',
  schema: {
    attributes: {
      arn: computed('string'),
      deliver_cross_account_role: optional('string', { forceNew: true }),
      eni_id: optional('string', { forceNew: true }),
      iam_role_arn: optional('string', { forceNew: true }),
      id: computed('string'),
      log_destination: optionalComputed('string', { forceNew: true }),
      log_destination_type: optional('string', { default: 'cloud-watch-logs', forceNew: true, validate: oneOf('cloud-watch-logs', 's3', 'kinesis-data-firehose') }),
      log_format: optionalComputed('string', { forceNew: true }),
      max_aggregation_interval: optional('number', { default: 600, forceNew: true, validate: oneOf(60, 600) }),
      region: REGION_ATTRIBUTE,
      regional_nat_gateway_id: optional('string', { forceNew: true }),
      subnet_id: optional('string', { forceNew: true }),
      traffic_type: optional('string', { forceNew: true, validate: oneOf('ACCEPT', 'REJECT', 'ALL') }),
      transit_gateway_attachment_id: optional('string', { forceNew: true }),
      transit_gateway_id: optional('string', { forceNew: true }),
      vpc_id: optional('string', { forceNew: true }),
      ...tagAttributes(),
    },
    blocks: {
      destination_options: block('list', {
        attributes: {
          file_format: optional('string', { validate: oneOf('plain-text', 'parquet') }),
          hive_compatible_partitions: optional('bool', { default: false }),
          per_hour_partition: optional('bool', { default: false }),
        },
      }, { maxItems: 1, forceNew: true }),
    },
  },
  validate(ctx) {
    const given = SOURCES.filter((s) => ctx.config[s] !== null && ctx.config[s] !== undefined);
    if (given.length !== 1) {
      ctx.error('Invalid combination of arguments', { detail: `"${given[1] ?? SOURCES[0]}": exactly one of \`${SOURCES.join(',')}\` must be specified` });
    }
  },
  plan(ctx) {
    planCommon(ctx);
  },
  create(ctx) {
    const p = ctx.planned;
    const region = regionOf(ctx, p);
    const source = SOURCES.find((s) => str(p[s]) !== null)!;
    const resourceId = str(p[source]) as string;
    if (source === 'vpc_id') requireVpc(ctx.cloud, resourceId, region, ['vpc_id']);
    else if (source === 'subnet_id') {
      if (!find<SubnetRecord>(ctx.cloud, Kind.subnet, resourceId, region)) throw awsError('InvalidSubnetID.NotFound', `The subnet ID '${resourceId}' does not exist`, ['subnet_id']);
    } else {
      throw awsError('UnsupportedOperation', `the Butter mock cloud simulates flow logs of VPCs and subnets, not ${source}`, [source]);
    }
    const traffic = str(p.traffic_type);
    if (!traffic) throw awsError('InvalidParameter', 'TrafficType is required for VPC, subnet and network interface flow logs', ['traffic_type']);
    const type = str(p.log_destination_type) ?? 'cloud-watch-logs';
    const destination = str(p.log_destination);
    const role = str(p.iam_role_arn);
    if (type === 'cloud-watch-logs') {
      if (!destination) throw awsError('InvalidParameter', 'LogDestination (or LogGroupName) is required for cloud-watch-logs', ['log_destination']);
      if (!/^arn:aws:logs:[a-z0-9-]+:\d{12}:log-group:[.\-_/#A-Za-z0-9]+(:\*)?$/.test(destination)) {
        throw awsError('InvalidParameter', `LogDestination ${destination} is not a CloudWatch Logs log group ARN`, ['log_destination']);
      }
      if (!role) throw awsError('InvalidParameter', 'DeliverLogsPermissionArn is required to publish flow logs to CloudWatch Logs', ['iam_role_arn']);
      if (!/^arn:aws:iam::\d{12}:role\/.+$/.test(role)) throw awsError('InvalidParameter', `DeliverLogsPermissionArn ${role} is not an IAM role ARN`, ['iam_role_arn']);
    } else if (type === 's3') {
      if (!destination || !/^arn:aws:s3:::[a-z0-9.-]{3,63}(\/.*)?$/.test(destination)) throw awsError('InvalidParameter', 'LogDestination must be an S3 bucket ARN for s3 flow logs', ['log_destination']);
      if (role) throw awsError('InvalidParameter', 'DeliverLogsPermissionArn is not applicable for s3 delivery', ['iam_role_arn']);
    } else {
      throw awsError('UnsupportedOperation', 'the Butter mock cloud does not simulate flow logs to Kinesis Data Firehose', ['log_destination_type']);
    }
    if (objects(p.destination_options).length > 0 && type !== 's3') {
      throw awsError('InvalidParameter', 'DestinationOptions are only supported for s3 flow logs', ['destination_options']);
    }
    const id = ctx.cloud.nextId('fl');
    const record = ctx.cloud.put<FlowLogRecord>(FLOW_LOG, id, {
      id,
      region,
      resource_id: resourceId,
      source,
      traffic_type: traffic,
      log_destination_type: type,
      log_destination: destination.replace(/:\*$/, ''),
      iam_role_arn: role,
      log_format: str(p.log_format) ?? DEFAULT_FORMAT,
      max_aggregation_interval: num(p.max_aggregation_interval) ?? 600,
      tags: effectiveTags(ctx, p.tags) as Tags,
    });
    return flowLogState(ctx, record, p);
  },
  import: importById({ format: 'fl-<id> (the flow log id)', prefix: 'fl', malformedCode: 'InvalidFlowLogId.Malformed' }),
  read: readRecord(flowLogs, flowLogState),
  // Only tags change in place.
  update: updateTags(flowLogs, flowLogState),
  delete(ctx) {
    const f = find<FlowLogRecord>(ctx.cloud, FLOW_LOG, str(ctx.state.id) ?? '', regionOf(ctx, ctx.state));
    if (f) ctx.cloud.delete(FLOW_LOG, f.id);
  },
};
