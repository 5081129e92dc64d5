import { TerraformProvider } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { Network } from '../network';
import { recordBlueprint } from '../checks';

/** How long flow log records are kept: a year covers most incident look-backs and audits. */
const RETENTION_DAYS = 365;

/**
 * `network.flow_logs: on` on AWS: a flow log of all the VPC's traffic (accepted and rejected)
 * to a CloudWatch Logs group, written by a role that only the flow logs service can assume and
 * that may only write to that group.
 */
export function renderAwsFlowLogs(network: Network, provider: TerraformProvider | undefined, vpcId: string, tags: Record<string, string>): FlowLog {
  const group = new CloudwatchLogGroup(network, 'flow-logs', {
    provider,
    name: `/butter/${network.networkName}/vpc-flow-logs`,
    retentionInDays: RETENTION_DAYS,
    tags,
  });
  const role = new IamRole(network, 'flow-logs-role', {
    provider,
    // IAM names are global to the account: a generated suffix keeps networks of the same name
    // in other regions or stacks apart.
    namePrefix: 'butter-flow-logs-',
    description: `VPC flow logs of Butter network ${network.networkName}`,
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }),
    tags,
  });
  new IamRolePolicy(network, 'flow-logs-policy', {
    provider,
    name: 'write-flow-logs',
    role: role.name,
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams'],
        Resource: [group.arn, `${group.arn}:*`],
      }],
    }),
  });
  const flowLog = new FlowLog(network, 'flow-log', {
    provider,
    vpcId,
    trafficType: 'ALL',
    logDestinationType: 'cloud-watch-logs',
    logDestination: group.arn,
    iamRoleArn: role.arn,
    maxAggregationInterval: 60,
    tags,
  });
  recordBlueprint(flowLog, network.blueprint.file);
  return flowLog;
}
