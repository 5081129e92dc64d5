import { AwsHarness, expectProblem } from './harness';
import { ObjectValue } from '../../../../src/mock/values/value';

/**
 * The simulated flow logs and what they need (a CloudWatch Logs group, an IAM role and its
 * inline policy), driven like Terraform would: one test per API rule, with the real error codes.
 */
describe('AWS mock cloud: flow logs, log groups, IAM roles', () => {
  let aws: AwsHarness;
  beforeEach(async () => {
    aws = new AwsHarness();
    expect(await aws.configure({ region: 'us-east-1' })).toEqual([]);
  });
  afterEach(() => aws.cleanup());

  const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const WRITE = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: '*' }] });
  const vpc = () => aws.create('aws_vpc', { cidr_block: '10.0.0.0/16' });
  const group = (extra: ObjectValue = {}) => aws.create('aws_cloudwatch_log_group', { name: '/butter/dev/vpc-flow-logs', retention_in_days: 365, ...extra });
  const role = (extra: ObjectValue = {}) => aws.create('aws_iam_role', { name_prefix: 'butter-flow-logs-', assume_role_policy: TRUST, ...extra });

  test('a log group: id is the name, ARN in the real format, names unique per region', async () => {
    const g = await group();
    expect(g).toMatchObject({ id: '/butter/dev/vpc-flow-logs', arn: 'arn:aws:logs:us-east-1:123456789012:log-group:/butter/dev/vpc-flow-logs', retention_in_days: 365, log_group_class: 'STANDARD' });
    await expectProblem(group(), /^ResourceAlreadyExistsException/);
    await expect(group({ region: 'eu-west-1' })).resolves.toMatchObject({ region: 'eu-west-1' });
    expect(await aws.read('aws_cloudwatch_log_group', g)).toEqual(g);
  });

  test('log group retention must be one the API offers; names only of the allowed characters', async () => {
    await expectProblem(group({ retention_in_days: 42 }), /./);
    await expectProblem(group({ name: 'bad name!' }), /invalid value for name/);
  });

  test('a role: generated name from the prefix, global ARN, AROA unique id; trust policy must be a policy', async () => {
    const r = await role();
    expect(String(r.name)).toMatch(/^butter-flow-logs-\d{26}$/);
    expect(r.arn).toBe(`arn:aws:iam::123456789012:role/${r.name}`);
    expect(String(r.unique_id)).toMatch(/^AROA[0-9A-F]{17}$/);
    await expectProblem(role({ name: r.name as string, name_prefix: null }), /^EntityAlreadyExists/);
    await expectProblem(role({ assume_role_policy: '{not json' }), /^MalformedPolicyDocument/);
    await expectProblem(role({ assume_role_policy: JSON.stringify({ Statement: [{ Effect: 'Maybe' }] }) }), /^MalformedPolicyDocument: Invalid effect/);
  });

  test('an inline policy needs its role; the role cannot go while the policy remains (DeleteConflict)', async () => {
    await expectProblem(aws.create('aws_iam_role_policy', { role: 'nobody', name: 'p', policy: WRITE }), /^NoSuchEntity/);
    const r = await role();
    const p = await aws.create('aws_iam_role_policy', { role: r.name as string, name: 'write-flow-logs', policy: WRITE });
    expect(p.id).toBe(`${r.name}:write-flow-logs`);
    await expectProblem(aws.destroy('aws_iam_role', r), /^DeleteConflict/);
    await aws.destroy('aws_iam_role_policy', p);
    await aws.destroy('aws_iam_role', r);
    expect(await aws.read('aws_iam_role', r)).toBeNull();
  });

  test('a flow log to CloudWatch Logs: VPC must exist, a log group ARN and a role ARN are required', async () => {
    const v = await vpc();
    const g = await group();
    const r = await role();
    const base = { vpc_id: v.id as string, traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs', log_destination: g.arn as string, iam_role_arn: r.arn as string };
    const f = await aws.create('aws_flow_log', base);
    expect(String(f.id)).toMatch(/^fl-[0-9a-f]+$/);
    expect(f).toMatchObject({ arn: `arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/${f.id}`, max_aggregation_interval: 600, vpc_id: v.id });
    expect(String(f.log_format)).toContain('${srcaddr} ${dstaddr}');
    await expectProblem(aws.create('aws_flow_log', { ...base, iam_role_arn: null }), /^InvalidParameter: DeliverLogsPermissionArn is required/);
    await expectProblem(aws.create('aws_flow_log', { ...base, vpc_id: 'vpc-0123456789abcdef0' }), /^InvalidVpcID\.NotFound/);
    await expectProblem(aws.create('aws_flow_log', { ...base, log_destination: 'arn:aws:s3:::bucket' }), /^InvalidParameter: LogDestination/);
    await expectProblem(aws.create('aws_flow_log', { ...base, traffic_type: null }), /^InvalidParameter: TrafficType is required/);
    await expectProblem(aws.create('aws_flow_log', { ...base, max_aggregation_interval: 30 }), /./);
    // To S3: no role.
    await expectProblem(aws.create('aws_flow_log', { ...base, log_destination_type: 's3', log_destination: 'arn:aws:s3:::logs-bucket' }), /^InvalidParameter: DeliverLogsPermissionArn is not applicable/);
    await expect(aws.create('aws_flow_log', { ...base, log_destination_type: 's3', log_destination: 'arn:aws:s3:::logs-bucket', iam_role_arn: null })).resolves.toMatchObject({ log_destination_type: 's3' });
    expect(await aws.read('aws_flow_log', f)).toEqual(f);
    await aws.destroy('aws_flow_log', f);
    expect(await aws.read('aws_flow_log', f)).toBeNull();
  });

  test('exactly one source: a VPC, a subnet, an interface...', async () => {
    const v = await vpc();
    await expectProblem(aws.create('aws_flow_log', { traffic_type: 'ALL', log_destination_type: 's3', log_destination: 'arn:aws:s3:::logs-bucket' }), /Invalid combination of arguments/);
    const s = await aws.create('aws_subnet', { vpc_id: v.id as string, cidr_block: '10.0.1.0/24', availability_zone: 'us-east-1a' });
    await expectProblem(aws.create('aws_flow_log', { vpc_id: v.id as string, subnet_id: s.id as string, traffic_type: 'ALL', log_destination_type: 's3', log_destination: 'arn:aws:s3:::logs-bucket' }), /Invalid combination of arguments/);
    await expect(aws.create('aws_flow_log', { subnet_id: s.id as string, traffic_type: 'REJECT', log_destination_type: 's3', log_destination: 'arn:aws:s3:::logs-bucket' })).resolves.toMatchObject({ subnet_id: s.id });
  });

  test('a changed retention updates the group in place; a changed class replaces it', async () => {
    const g = await group();
    const { state, replaced } = await aws.update('aws_cloudwatch_log_group', g, { name: '/butter/dev/vpc-flow-logs', retention_in_days: 30 });
    expect(replaced).toBe(false);
    expect(state.retention_in_days).toBe(30);
    const plan = await aws.plan('aws_cloudwatch_log_group', state, { name: '/butter/dev/vpc-flow-logs', retention_in_days: 30, log_group_class: 'INFREQUENT_ACCESS' });
    expect(plan.replace).toContain('log_group_class');
  });
});
