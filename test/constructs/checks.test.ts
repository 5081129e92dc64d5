import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { Checks, Internet, Path, Port, Service } from '../../constructs';
import { installButterMatchers } from '../../constructs/testing';
import { CheckedStack, runChecks } from '../../src/checks';
import { awsStack, googleServiceBody, googleStack, serviceBody, synthJson, tempDir, writeBlueprint } from '../helpers/synth';
import { butterErrorOf } from '../helpers/errors';

installButterMatchers();

const dir = tempDir('butter-checks-');
const pub = writeBlueprint(dir, 'pub', serviceBody({ instance: { public_ip: true, memory: '4GB', cpus: 1 } }));
const priv = writeBlueprint(dir, 'priv', serviceBody());

/** Warnings/errors cdktf recorded on a construct. */
function annotations(c: { node: { metadata: Array<{ type: string; data: unknown }> } }): string[] {
  return c.node.metadata.filter((m) => m.type.startsWith('@cdktf/')).map((m) => `${m.type} ${String(m.data)}`);
}

/** The stack's file as `cdktf synth` writes it (with `//` metadata), parsed. */
function fullSynth(stack: TerraformStack): any {
  const out = Testing.fullSynth(stack);
  return JSON.parse(fs.readFileSync(path.join(out, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8'));
}

describe('admin ports from the internet', () => {
  test('a Path admitting the internet to SSH on a public service warns at synth and is a BUTTER-NET-001 finding', () => {
    const { stack, network } = awsStack();
    const svc = new Service(network, 'bastion', { blueprint: pub, count: 1 });
    const ssh = new Path(Internet, svc, 22);
    expect(annotations(ssh).join('\n')).toMatch(/warn.*0\.0\.0\.0\/0 may reach bastion on tcp:22.*BUTTER-NET-001/);
    const report = Checks.report(stack);
    expect(report.findings.map((f) => [f.ruleId, f.severity, f.constructPath])).toContainEqual(['BUTTER-NET-001', 'high', 'test/dev/bastion/from-cidr-0-0-0-0-0-tcp-22/rule']);
    expect(stack).not.toPassChecks();
  });

  test('all ports from a public range warn too; a private range or a web port does not', () => {
    const { network } = awsStack();
    const svc = new Service(network, 'web', { blueprint: pub, count: 1 });
    expect(annotations(new Path(Internet, svc, Port.allTraffic())).join()).toMatch(/admin ports 22, 3389/);
    expect(annotations(new Path(Internet, svc, 443))).toEqual([]);
    expect(annotations(new Path('10.0.0.0/8', svc, 22))).toEqual([]);
  });

  test('on a service with no public address the rule is ineffective: BUTTER-NET-002 (low), not exposure', () => {
    const { stack, network } = awsStack();
    const svc = new Service(network, 'db', { blueprint: priv, count: 1 });
    new Path(Internet, svc, 22);
    const ids = Checks.report(stack).findings.map((f) => `${f.ruleId} ${f.severity}`);
    expect(ids).toContain('BUTTER-NET-002 low');
    expect(ids).not.toContain('BUTTER-NET-001 high');
    expect(Checks.report(stack).findings.find((f) => f.ruleId === 'BUTTER-NET-002')!.message).toContain('dev/db has no public address');
  });

  test('the same on Google: a firewall rule to a private service is ineffective, to a public one an exposure', () => {
    const { stack, network } = googleStack();
    const body = (publicIp: boolean) => googleServiceBody({ instance: { public_ip: publicIp, memory: '4GB', cpus: 1 } });
    new Path(Internet, new Service(network, 'a', { blueprint: writeBlueprint(dir, 'ga', body(true)), count: 1 }), 3389);
    new Path(Internet, new Service(network, 'b', { blueprint: writeBlueprint(dir, 'gb', body(false)), count: 1 }), 3389);
    const found = Checks.report(stack).findings.filter((f) => f.ruleId.startsWith('BUTTER-NET'));
    expect(found.map((f) => `${f.ruleId} ${f.constructPath?.split('/')[2]}`).sort()).toEqual(['BUTTER-NET-001 a', 'BUTTER-NET-002 b']);
  });

  test('an acknowledged Path: no warning, the finding is suppressed with the reason, recorded in the synthesized JSON', () => {
    const { stack, network } = awsStack();
    const svc = new Service(network, 'bastion', { blueprint: pub, count: 1 });
    const ssh = new Path(Internet, svc, 22, { acknowledgeAdminPortExposure: 'break-glass bastion, keys only' });
    expect(annotations(ssh)).toEqual([]);
    expect(stack).toPassChecks({ minSeverity: 'high' });
    // The file alone (what `butter check --file` reads) carries the suppression.
    const doc = fullSynth(stack);
    const report = runChecks([CheckedStack.parse('test', doc)]);
    expect(report.findings.filter((f) => f.ruleId === 'BUTTER-NET-001')).toEqual([]);
    expect(report.suppressed.map((f) => [f.ruleId, f.suppressed!.reason])).toEqual([['BUTTER-NET-001', 'acknowledged on the Path: break-glass bastion, keys only']]);
  });

  test('an empty acknowledgement is refused', () => {
    const { network } = awsStack();
    const svc = new Service(network, 'bastion', { blueprint: pub, count: 1 });
    expect(butterErrorOf(() => new Path(Internet, svc, 22, { acknowledgeAdminPortExposure: '  ' })).code).toBe('PATH_ACKNOWLEDGEMENT_INVALID');
  });
});

describe('Checks', () => {
  test('suppress on a construct silences that rule for the resources under it only, with the reason in each resource\'s metadata', () => {
    const { stack, network } = awsStack();
    Checks.suppress(network, 'BUTTER-AWS-004', 'flow logs go to the central account');
    const doc = fullSynth(stack);
    const vpc = Object.values(doc.resource.aws_vpc)[0] as any;
    expect(vpc['//'].butter.suppressions).toEqual([{ id: 'BUTTER-AWS-004', reason: 'flow logs go to the central account' }]);
    const report = runChecks([CheckedStack.parse('test', doc)]);
    expect(report.findings.map((f) => f.ruleId)).not.toContain('BUTTER-AWS-004');
    expect(report.suppressed.map((f) => f.ruleId)).toEqual(['BUTTER-AWS-004']);
  });

  test('Checks.of an app with no stack yet is an error saying to call it after creating them', () => {
    expect(butterErrorOf(() => Checks.of(Testing.app())).code).toBe('CHECK_SCOPE_EMPTY');
  });

  test('suppressions need a rule id and a reason', () => {
    const { network } = awsStack();
    expect(butterErrorOf(() => Checks.suppress(network, 'BUTTER-AWS-004', '')).code).toBe('CHECK_SUPPRESSION_INVALID');
    expect(butterErrorOf(() => Checks.suppress(network, 'not an id ${x}', 'why')).code).toBe('CHECK_SUPPRESSION_INVALID');
  });

  test('Checks.of(app): synth annotates each finding\'s construct (warnings; errors from errorSeverity up)', () => {
    const { app, stack, network } = awsStack();
    Checks.of(app, { errorSeverity: 'high' }); // the stack exists already: cdktf runs aspects per stack
    const svc = new Service(network, 'bastion', { blueprint: pub, count: 1 });
    const ssh = new Path(Internet, svc, 22);
    Testing.synth(stack, true); // aspects, then validations, as cdktf synth runs them
    const rule = ssh.node.findChild('rule');
    expect(annotations(rule).join('\n')).toMatch(/@cdktf\/error \[BUTTER-NET-001\]/);
    const vpc = network.node.findChild('vpc');
    expect(annotations(vpc).join('\n')).toMatch(/@cdktf\/warn \[BUTTER-AWS-004\]/);
  });
});

describe('Google secure defaults', () => {
  test('instance templates turn OS Login on, block project SSH keys and turn the serial port off', () => {
    const { stack, network } = googleStack();
    new Service(network, 'web', { blueprint: writeBlueprint(dir, 'gweb', googleServiceBody()), count: 1 });
    const t = Object.values(synthJson(stack).resource.google_compute_instance_template)[0] as any;
    expect(t.metadata).toEqual({ 'enable-oslogin': 'TRUE', 'block-project-ssh-keys': 'TRUE', 'serial-port-enable': 'FALSE' });
    Checks.suppress(network, 'BUTTER-GCP-008', 'flow logs are tested below');
    expect(stack).toPassChecks();
  });

  test('each is overridable in the blueprint; the override is recorded and reported', () => {
    const { stack, network } = googleStack();
    const bp = writeBlueprint(dir, 'gover', googleServiceBody({ instance: { memory: '4GB', cpus: 1, google: { os_login: false, serial_port: true } } }));
    const svc = new Service(network, 'legacy', { blueprint: bp, count: 1 });
    const t = Object.values(synthJson(stack).resource.google_compute_instance_template)[0] as any;
    expect(t.metadata).toEqual({ 'enable-oslogin': 'FALSE', 'block-project-ssh-keys': 'TRUE', 'serial-port-enable': 'TRUE' });
    const full = Object.values(fullSynth(stack).resource.google_compute_instance_template)[0] as any;
    expect(full['//'].butter.overrides).toEqual({ 'enable-oslogin': 'FALSE', 'serial-port-enable': 'TRUE' });
    expect(annotations(svc).join()).toMatch(/info.*overrides Butter's Google VM defaults: enable-oslogin=FALSE, serial-port-enable=TRUE/);
    const found = Checks.report(stack).findings.filter((f) => f.ruleId === 'BUTTER-GCP-001' || f.ruleId === 'BUTTER-GCP-003');
    expect(found.map((f) => [f.ruleId, f.blueprintFile, f.blueprintKey])).toEqual([
      ['BUTTER-GCP-001', expect.stringMatching(/gover\/blueprint\.yml$/), 'instance.google.os_login'],
      ['BUTTER-GCP-003', expect.stringMatching(/gover\/blueprint\.yml$/), 'instance.google.serial_port'],
    ]);
  });

  test('network.flow_logs: on gives every subnetwork flow logs', () => {
    const nb = writeBlueprint(dir, 'net-logs', { network: { flow_logs: 'on' } });
    const { stack, network } = googleStack({ blueprint: nb });
    new Service(network, 'web', { blueprint: writeBlueprint(dir, 'gweb2', googleServiceBody()), count: 1 });
    const subnet = Object.values(synthJson(stack).resource.google_compute_subnetwork)[0] as any;
    expect(subnet.log_config).toEqual({ aggregation_interval: 'INTERVAL_5_SEC', flow_sampling: 0.5, metadata: 'INCLUDE_ALL_METADATA' });
    expect(stack).toPassChecks();
  });

  test('network.flow_logs takes on or off only: anything else is a blueprint error naming the key', () => {
    const nb = writeBlueprint(dir, 'net-bad', { network: { flow_logs: 'sometimes' } });
    const e = butterErrorOf(() => googleStack({ blueprint: nb }));
    expect(e.key).toBe('network.flow_logs');
  });

  test('bad override values are blueprint errors naming the key', () => {
    const bp = writeBlueprint(dir, 'gbad', googleServiceBody({ instance: { google: { os_login: 'yes please' } } }));
    const { network } = googleStack();
    const e = butterErrorOf(() => new Service(network, 'x', { blueprint: bp }));
    expect(e.key).toBe('instance.google.os_login');
  });
});

describe('where findings point', () => {
  test('AWS launch template findings name the blueprint file and key (recorded in the synthesized JSON)', () => {
    const { stack, network } = awsStack();
    new Service(network, 'web', { blueprint: pub, count: 1 });
    const report = runChecks([CheckedStack.parse('test', fullSynth(stack))]);
    // A public IP no rule uses: the launch template, from this blueprint, key instance.public_ip.
    const f = report.findings.find((x) => x.ruleId === 'BUTTER-AWS-005')!;
    expect(f.constructPath).toBe('test/dev/web/template');
    expect(f.blueprintFile).toMatch(/pub\/blueprint\.yml$/);
    expect(f.blueprintKey).toBe('instance.public_ip');
    // The network's VPC names the network blueprint's key (none given here: no file).
    expect(report.findings.find((x) => x.ruleId === 'BUTTER-AWS-004')!.blueprintKey).toBeUndefined();
  });
});
