import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { CheckedStack, runChecks, toSarif } from '../../../src/checks';
import { tempDir } from '../../helpers/synth';
import { butterInProcess as butter } from '../cli/helpers';

// The official schema is written in JSON Schema draft-04, which ajv 8 does not load by name. It
// uses nothing whose meaning changed after draft-04 (no boolean exclusiveMinimum/Maximum), so
// only the draft-04 spelling of its own id changes: `id` becomes `$id`.
const { $schema: _draft, id: schemaId, ...official } = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
const schema = { $id: schemaId, ...official };
// unicodeRegExp off: the schema's language-tag pattern is valid only without the u flag.
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
addFormats(ajv);
const validateSarif = ajv.compile(schema);

/** A small stack with an exposure (SSH from anywhere), an IMDSv1 template and a suppressed finding. */
const BAD = {
  '//': { metadata: { stackName: 'shop' } },
  resource: {
    aws_vpc: { vpc: { '//': { butter: { suppressions: [{ id: 'BUTTER-AWS-004', reason: 'central flow logs' }] } }, cidr_block: '10.0.0.0/16' } },
    aws_default_security_group: { d: { vpc_id: '${aws_vpc.vpc.id}' } },
    aws_security_group: { sg: {} },
    aws_vpc_security_group_ingress_rule: { ssh: { '//': { metadata: { path: 'shop/ssh' } }, security_group_id: '${aws_security_group.sg.id}', cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp', from_port: 22, to_port: 22 } },
    aws_launch_template: { lt: { metadata_options: { http_tokens: 'optional' }, block_device_mappings: [{ device_name: '/dev/xvda', ebs: { encrypted: true } }] } },
  },
};
const GOOD = {
  resource: {
    aws_vpc: { vpc: { cidr_block: '10.0.0.0/16' } },
    aws_default_security_group: { d: { vpc_id: '${aws_vpc.vpc.id}' } },
    aws_flow_log: { f: { vpc_id: '${aws_vpc.vpc.id}' } },
  },
};

describe('SARIF', () => {
  test('the log validates against the official SARIF 2.1.0 schema, with rule metadata, locations and suppressions', () => {
    const report = runChecks([CheckedStack.parse('x', BAD)]);
    const log = toSarif(report, { fileOf: () => 'cdktf.out/stacks/shop/cdk.tf.json' });
    expect(validateSarif(log)).toBe(true);
    expect(validateSarif.errors ?? []).toEqual([]);
    const run = log.runs[0];
    expect(run.tool.driver.rules!.find((r) => r.id === 'BUTTER-AWS-001')!.properties).toEqual(expect.objectContaining({ checkov: ['CKV_AWS_79'], 'security-severity': '8.0' }));
    const ssh = run.results!.find((r) => r.ruleId === 'BUTTER-NET-001')!;
    expect(ssh.level).toBe('error');
    expect(ssh.locations![0].physicalLocation!.artifactLocation!.uri).toBe('cdktf.out/stacks/shop/cdk.tf.json');
    expect(ssh.locations![0].logicalLocations![0].name).toBe('aws_vpc_security_group_ingress_rule.ssh');
    expect(run.tool.driver.rules![ssh.ruleIndex!].id).toBe('BUTTER-NET-001');
    const suppressed = run.results!.find((r) => r.ruleId === 'BUTTER-AWS-004')!;
    expect(suppressed.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'central flow logs' }]);
  });

  test('a schema violation is caught by the validator (the test can fail)', () => {
    const log: any = toSarif(runChecks([CheckedStack.parse('x', BAD)]));
    log.runs[0].results[0].level = 'fatal';
    expect(validateSarif(log)).toBe(false);
  });
});

describe('butter check --file', () => {
  const dir = tempDir('butter-check-cli-');
  const bad = path.join(dir, 'shop', 'cdk.tf.json');
  const good = path.join(dir, 'good', 'cdk.tf.json');
  fs.mkdirSync(path.dirname(bad));
  fs.mkdirSync(path.dirname(good));
  fs.writeFileSync(bad, JSON.stringify(BAD));
  fs.writeFileSync(good, JSON.stringify(GOOD));

  test('text: findings with resource, construct path and fix; suppressed ones listed; exit 1', async () => {
    const r = await butter('check', '--file', bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('HIGH BUTTER-NET-001 shop: aws_vpc_security_group_ingress_rule.ssh admits 0.0.0.0/0 to port 22');
    expect(r.stdout).toContain('resource: aws_vpc_security_group_ingress_rule.ssh (construct shop/ssh)');
    expect(r.stdout).toContain('suppressed MEDIUM BUTTER-AWS-004');
    expect(r.stdout).toMatch(/2 findings \(2 high\) at or above low, 1 suppressed/);
    expect(r.stderr).toContain('[CHECK_FAILED]');
  });

  test('--min-severity: below the threshold nothing is reported and the exit code is 0', async () => {
    const r = await butter('check', '--file', bad, '--min-severity', 'critical', '--format', 'json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.findings).toEqual([]);
    expect(out.suppressed.map((f: any) => f.ruleId)).toEqual(['BUTTER-AWS-004']);
  });

  test('a clean file passes (exit 0); --format sarif is valid SARIF naming the file', async () => {
    expect((await butter('check', '--file', good)).code).toBe(0);
    const r = await butter('check', '--file', bad, '--format', 'sarif');
    const log = JSON.parse(r.stdout);
    expect(validateSarif(log)).toBe(true);
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(/shop\/cdk\.tf\.json$/);
  });

  test('hostile input: not JSON, not an object, a folder, a missing file, a bad severity are clear errors', async () => {
    const junk = path.join(dir, 'junk.json');
    fs.writeFileSync(junk, '{"resource": ');
    const list = path.join(dir, 'list.json');
    fs.writeFileSync(list, '[1,2,3]');
    for (const [args, code] of [
      [['--file', junk], 'CHECK_INPUT_INVALID'], [['--file', list], 'CHECK_INPUT_INVALID'],
      [['--file', dir], 'CHECK_FILE_MISSING'], [['--file', path.join(dir, 'nope.json')], 'CHECK_FILE_MISSING'],
    ] as const) {
      const r = await butter('check', ...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`[${code}]`);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    }
    expect((await butter('check', '--file', good, '--min-severity', 'extreme')).code).toBe(2);
    expect((await butter('check', '--file', good, '--format', 'xml')).code).toBe(2);
    expect((await butter('check', 'some-stack', '--file', good)).stderr).toContain('[CHECK_STACKS_WITH_FILE]');
  });

  test('--help exits 0 and lists the options', async () => {
    const r = await butter('check', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--format <format>[\s\S]*--min-severity <severity>/);
  });
});
