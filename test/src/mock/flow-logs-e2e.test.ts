import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { Network, Service } from '../../../constructs';
import { CheckedStack, runChecks } from '../../../src/checks';
import { googleServiceBody, writeBlueprint } from '../../helpers/synth';
import { inProcessCloud, tf } from './helpers/terraform';

/**
 * `network.flow_logs: on` through the real Terraform CLI against the mock clouds: an AWS
 * network (VPC flow log to a CloudWatch Logs group, with its role and policy) and a Google
 * service (subnetwork flow logs) deploy, plan clean, pass the flow-log checks, and destroy.
 */
describe('flow logs on the mock clouds with the real Terraform CLI', () => {
  const ws = inProcessCloud('flow-logs-e2e', ['aws', 'google']);
  const { dir, stateDir, work } = ws;

  test('deploy, plan clean, destroy', async () => {
    const netBlueprint = writeBlueprint(dir, 'net', { network: { flow_logs: 'on' } });
    const stack = new TerraformStack(Testing.app(), 'logs');
    new Network(stack, 'awsnet', { cloud: 'aws', region: 'us-east-1', blueprint: netBlueprint, addressLedger: false });
    const gnet = new Network(stack, 'gnet', { cloud: 'google', region: 'us-central1', project: 'butter-test', blueprint: netBlueprint, addressLedger: false });
    new Service(gnet, 'web', { blueprint: writeBlueprint(dir, 'web', googleServiceBody()), count: 1 });
    const json = Testing.synth(stack);
    const report = runChecks([CheckedStack.parse('logs', json)]);
    expect(report.findings.filter((f) => f.ruleId === 'BUTTER-AWS-004' || f.ruleId === 'BUTTER-GCP-008')).toEqual([]);

    fs.writeFileSync(path.join(work, 'main.tf.json'), json);
    await tf(work, ws.env, 0, 'init', '-input=false');
    await tf(work, ws.env, 0, 'apply', '-input=false', '-auto-approve');
    const aws = JSON.parse(fs.readFileSync(path.join(stateDir, 'aws.json'), 'utf8')).objects;
    const [flowLog] = Object.values(aws.flow_log) as any[];
    const [vpc] = Object.values(aws.vpc) as any[];
    expect(flowLog).toMatchObject({ resource_id: vpc.id, traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs', log_destination: 'arn:aws:logs:us-east-1:123456789012:log-group:/butter/awsnet/vpc-flow-logs' });
    expect(flowLog.iam_role_arn).toMatch(/^arn:aws:iam::123456789012:role\/butter-flow-logs-\d{26}$/);
    expect(Object.values(aws.iam_role_policy).map((p: any) => p.name)).toEqual(['write-flow-logs']);
    const google = JSON.parse(fs.readFileSync(path.join(stateDir, 'google.json'), 'utf8')).objects;
    const [subnet] = Object.values(google.subnetwork) as any[];
    expect(subnet.attributes.log_config).toEqual([expect.objectContaining({ aggregation_interval: 'INTERVAL_5_SEC', flow_sampling: 0.5 })]);
    await tf(work, ws.env, 0, 'plan', '-input=false', '-detailed-exitcode');
    await tf(work, ws.env, 0, 'destroy', '-input=false', '-auto-approve');
    const after = JSON.parse(fs.readFileSync(path.join(stateDir, 'aws.json'), 'utf8')).objects;
    for (const kind of ['flow_log', 'log_group', 'iam_role', 'iam_role_policy']) expect(Object.keys(after[kind] ?? {})).toEqual([]);
  }, 180_000);
});
