import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { buildExamples } from '../../../example-blueprints/stacks';
import { MockCloud, startMockCloud } from '../../../src/mock';
import { ProviderResponse } from '../../../src/mock/framework/messages';
import { ProviderService } from '../../../src/mock/framework/provider-service';
import { decodeDynamicValue, DynamicValueMessage } from '../../../src/mock/values/dynamic-value';
import { ObjectValue, Value } from '../../../src/mock/values/value';
import { AwsHarness } from './aws/harness';
import { baseNetwork, GoogleHarness, groupConfig, templateConfig } from './google/helpers';
import { scratch, terraformEnv, tf } from './helpers/terraform';

/**
 * `terraform import` for every resource type the mock clouds simulate, with the import ids the
 * real providers document (hashicorp/aws 6.x: the type's id, `ROUTETABLEID_DESTINATION`,
 * `SUBNETID/ROUTETABLEID`, an optional `@<region>`; hashicorp/google 6.x: every
 * `projects/{{project}}/...`, `{{project}}/{{name}}`, `{{name}}`... form), and with what the real
 * providers cannot read back (configuration-only settings), which decides what a plan shows
 * after an import.
 */

/** A diagnostic as Terraform shows it. */
interface Problem {
  readonly summary: string;
  readonly detail: string;
}

/** The outcome of an import: the state Terraform would record, or the problems it would print. */
interface Imported {
  readonly state: ObjectValue | null;
  readonly problems: Problem[];
}

function problemsOf(response: ProviderResponse): Problem[] {
  return ((response.diagnostics as { severity: number; summary: string; detail: string }[] | undefined) ?? [])
    .filter((d) => d.severity === 1)
    .map((d) => ({ summary: d.summary, detail: d.detail }));
}

/**
 * What Terraform does for `terraform import` / an import block: ImportResourceState, then
 * ReadResource on the state it returned; a read finding nothing is Terraform's "Cannot import
 * non-existent remote object".
 */
async function importResource(service: ProviderService, type: string, id: string): Promise<Imported> {
  const shape = service.schemaOf('resource', type)!.block.shape;
  const imported = await service.ImportResourceState({ type_name: type, id });
  const problems = problemsOf(imported);
  if (problems.length > 0) return { state: null, problems };
  const [resource] = imported.imported_resources as { state: DynamicValueMessage; private: Buffer }[];
  const read = await service.ReadResource({ type_name: type, current_state: resource.state, private: resource.private });
  const readProblems = problemsOf(read);
  if (readProblems.length > 0) return { state: null, problems: readProblems };
  const state = decodeDynamicValue(read.new_state as DynamicValueMessage, shape);
  return state ? { state, problems: [] } : { state: null, problems: [{ summary: 'Cannot import non-existent remote object', detail: '' }] };
}

/** The imported state, failing the test with the problems when there is none. */
async function mustImport(service: ProviderService, type: string, id: string): Promise<ObjectValue> {
  const { state, problems } = await importResource(service, type, id);
  if (!state) throw new Error(`import ${type} "${id}": ${problems.map((p) => `${p.summary} (${p.detail})`).join('; ')}`);
  return state;
}

/** The single problem of a failed import. */
async function importProblem(service: ProviderService, type: string, id: string): Promise<Problem> {
  const { state, problems } = await importResource(service, type, id);
  expect(state).toBeNull();
  expect(problems).toHaveLength(1);
  return problems[0];
}

const NOT_FOUND = 'Cannot import non-existent remote object';

/** Attributes `created` has a value for that `imported` lacks: what `read` failed to fill. */
function unfilled(created: ObjectValue, imported: ObjectValue, notReadBack: ObjectValue): string[] {
  return Object.keys(created).filter((k) => !(k in notReadBack) && created[k] !== null && imported[k] === null);
}

describe('AWS: import ids and imported state', () => {
  const aws = new AwsHarness();
  const made: Record<string, ObjectValue> = {};
  const b64 = (s: string): string => Buffer.from(s).toString('base64');

  beforeAll(async () => {
    await aws.configure({ region: 'us-east-1' });
    const tags = { Name: 'dev', team: 'core' };
    made.vpc = await aws.create('aws_vpc', { cidr_block: '10.0.0.0/16', enable_dns_hostnames: true, tags });
    made.subnet = await aws.create('aws_subnet', {
      vpc_id: made.vpc.id, cidr_block: '10.0.1.0/24', availability_zone: 'us-east-1a', map_public_ip_on_launch: true, tags,
    });
    made.igw = await aws.create('aws_internet_gateway', { vpc_id: made.vpc.id, tags });
    made.table = await aws.create('aws_route_table', { vpc_id: made.vpc.id, tags });
    made.route = await aws.create('aws_route', { route_table_id: made.table.id, destination_cidr_block: '0.0.0.0/0', gateway_id: made.igw.id });
    made.subnetAssociation = await aws.create('aws_route_table_association', { subnet_id: made.subnet.id, route_table_id: made.table.id });
    made.gatewayAssociation = await aws.create('aws_route_table_association', { gateway_id: made.igw.id, route_table_id: made.table.id });
    made.eip = await aws.create('aws_eip', { domain: 'vpc', tags });
    made.nat = await aws.create('aws_nat_gateway', { allocation_id: made.eip.id, subnet_id: made.subnet.id, tags });
    made.sg = await aws.create('aws_security_group', { name: 'dev-web', description: 'web servers', vpc_id: made.vpc.id, tags });
    made.defaultSg = await aws.create('aws_default_security_group', { vpc_id: made.vpc.id, tags });
    made.ingress = await aws.create('aws_vpc_security_group_ingress_rule', {
      security_group_id: made.sg.id, cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp', from_port: 443, to_port: 443, description: 'https', tags,
    });
    made.egress = await aws.create('aws_vpc_security_group_egress_rule', { security_group_id: made.sg.id, cidr_ipv4: '0.0.0.0/0', ip_protocol: '-1' });
    const ami = await aws.data('aws_ami', {
      most_recent: true, owners: ['099720109477'],
      filter: [{ name: 'name', values: ['ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*'] }, { name: 'architecture', values: ['x86_64'] }],
    });
    made.template = await aws.create('aws_launch_template', {
      name: 'dev-web', image_id: ami.id, instance_type: 't3.micro', user_data: b64('#cloud-config\npackages: [nginx]\n'),
      update_default_version: true, vpc_security_group_ids: [made.sg.id],
      metadata_options: [{ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 }],
      block_device_mappings: [{ device_name: '/dev/sda1', ebs: [{ volume_type: 'gp3', volume_size: 10, encrypted: 'true' }] }],
      tags,
    });
    made.group = await aws.create('aws_autoscaling_group', {
      name: 'dev-web', min_size: 1, max_size: 1, desired_capacity: 1, vpc_zone_identifier: [made.subnet.id],
      launch_template: [{ id: made.template.id, version: String(made.template.latest_version) }],
      instance_refresh: [{ strategy: 'Rolling', preferences: [{ min_healthy_percentage: 50 }] }],
      tag: [{ key: 'Name', value: 'dev-web', propagate_at_launch: true }],
    });
    made.subnetB = await aws.create('aws_subnet', { vpc_id: made.vpc.id, cidr_block: '10.0.2.0/24', availability_zone: 'us-east-1b', tags });
    made.lb = await aws.create('aws_lb', {
      name: 'dev-web-lb', internal: false, load_balancer_type: 'application', security_groups: [made.sg.id],
      subnets: [made.subnet.id, made.subnetB.id], drop_invalid_header_fields: true, tags,
    });
    made.targetGroup = await aws.create('aws_lb_target_group', {
      name: 'dev-web-80', port: 80, protocol: 'HTTP', vpc_id: made.vpc.id, deregistration_delay: '30',
      health_check: [{ path: '/', port: '80', protocol: 'HTTP', interval: 30, timeout: 5, healthy_threshold: 3, unhealthy_threshold: 3, matcher: '200-399' }], tags,
    });
    made.listener = await aws.create('aws_lb_listener', {
      load_balancer_arn: made.lb.arn, port: 80, protocol: 'HTTP', default_action: [{ type: 'forward', target_group_arn: made.targetGroup.arn }], tags,
    });
    const [instance] = aws.objects<{ id: string }>('instance');
    made.attachment = await aws.create('aws_lb_target_group_attachment', { target_group_arn: made.targetGroup.arn, target_id: instance.id, port: 8080 });
    made.policy = await aws.create('aws_autoscaling_policy', {
      name: 'dev-web-cpu', autoscaling_group_name: 'dev-web', policy_type: 'TargetTrackingScaling',
      target_tracking_configuration: [{ target_value: 60, predefined_metric_specification: [{ predefined_metric_type: 'ASGAverageCPUUtilization' }] }],
    });
  });
  afterAll(() => aws.cleanup());

  /**
   * Each type with its import id(s): the import must give what Terraform holds after a refresh of
   * the created object, except for the settings the real provider never reads back, which an
   * import leaves null (the configuration then plans an in-place update, as for real).
   */
  const cases: [type: string, key: string, ids: (m: Record<string, ObjectValue>) => string[], notReadBack?: ObjectValue][] = [
    ['aws_vpc', 'vpc', (m) => [String(m.vpc.id), `${m.vpc.id}@us-east-1`]],
    ['aws_subnet', 'subnet', (m) => [String(m.subnet.id)]],
    ['aws_internet_gateway', 'igw', (m) => [String(m.igw.id)]],
    ['aws_route_table', 'table', (m) => [String(m.table.id)]],
    ['aws_route', 'route', (m) => [`${m.table.id}_0.0.0.0/0`, `${m.table.id}_0.0.0.0/0@us-east-1`]],
    ['aws_route_table_association', 'subnetAssociation', (m) => [`${m.subnet.id}/${m.table.id}`]],
    ['aws_route_table_association', 'gatewayAssociation', (m) => [`${m.igw.id}/${m.table.id}`]],
    ['aws_eip', 'eip', (m) => [String(m.eip.allocation_id)]],
    ['aws_nat_gateway', 'nat', (m) => [String(m.nat.id)]],
    ['aws_security_group', 'sg', (m) => [String(m.sg.id)]],
    ['aws_default_security_group', 'defaultSg', (m) => [String(m.defaultSg.id)]],
    ['aws_vpc_security_group_ingress_rule', 'ingress', (m) => [String(m.ingress.id)]],
    ['aws_vpc_security_group_egress_rule', 'egress', (m) => [String(m.egress.id)]],
    ['aws_launch_template', 'template', (m) => [String(m.template.id)], { update_default_version: null }],
    ['aws_autoscaling_group', 'group', () => ['dev-web'], { instance_refresh: [], wait_for_capacity_timeout: null }],
    ['aws_lb', 'lb', (m) => [String(m.lb.arn), `${m.lb.arn}@us-east-1`]],
    ['aws_lb_target_group', 'targetGroup', (m) => [String(m.targetGroup.arn)]],
    ['aws_lb_listener', 'listener', (m) => [String(m.listener.arn)]],
    ['aws_lb_target_group_attachment', 'attachment', (m) => [`${m.attachment.target_group_arn},${m.attachment.target_id},8080`]],
    ['aws_autoscaling_policy', 'policy', () => ['dev-web/dev-web-cpu', 'dev-web/dev-web-cpu@us-east-1']],
  ];

  test.each(cases)('%s imports as what a refresh reports (%s)', async (type, key, ids, notReadBack = {}) => {
    const refreshed = (await aws.read(type, made[key]))!;
    for (const id of ids(made)) {
      const imported = await mustImport(aws.service, type, id);
      expect(imported).toEqual({ ...refreshed, ...notReadBack });
      expect(unfilled(made[key], imported, notReadBack)).toEqual([]);
    }
    // What an import cannot know, the created object had.
    for (const name of Object.keys(notReadBack)) expect(refreshed[name]).not.toEqual(notReadBack[name]);
  });

  test('an id ending in @<region> imports from that region; without it, from the provider\'s', async () => {
    const west = await aws.create('aws_vpc', { cidr_block: '10.1.0.0/16', region: 'us-west-2' });
    expect(await mustImport(aws.service, 'aws_vpc', `${west.id}@us-west-2`)).toMatchObject({ id: west.id, region: 'us-west-2' });
    expect((await importProblem(aws.service, 'aws_vpc', String(west.id))).summary).toBe(NOT_FOUND);
    expect((await importProblem(aws.service, 'aws_vpc', `${made.vpc.id}@us-west-2`)).summary).toBe(NOT_FOUND);
    const unknown = await importProblem(aws.service, 'aws_vpc', `${west.id}@mars-north-1`);
    expect(unknown.summary).toContain('"mars-north-1" is not a region');
    expect(unknown.detail).toContain('vpc-<id>, optionally followed by @<region>');
  });

  test('ids that name nothing: Terraform\'s "non-existent remote object"', async () => {
    for (const [type, id] of [
      ['aws_vpc', 'vpc-0000000000000000a'],
      ['aws_autoscaling_group', 'no-such-group'],
      ['aws_route', `${made.table.id}_10.9.0.0/16`],
      ['aws_route_table_association', `subnet-0000000000000000a/${made.table.id}`],
      ['aws_vpc_security_group_ingress_rule', String(made.egress.id)],
      ['aws_lb', String(made.lb.arn).replace(/[0-9a-f]{16}$/, '0123456789abcdef')],
      ['aws_lb_target_group', String(made.targetGroup.arn).replace('us-east-1', 'us-west-2')],
      ['aws_autoscaling_policy', 'dev-web/no-such-policy'],
      ['aws_lb_target_group_attachment', `${made.targetGroup.arn},i-0000000000000000a`],
    ]) {
      expect((await importProblem(aws.service, type, id)).summary).toBe(NOT_FOUND);
    }
  });

  test('ids of the wrong shape name the expected format', async () => {
    const malformed = await importProblem(aws.service, 'aws_vpc', String(made.subnet.id));
    expect(malformed.summary).toBe(`InvalidVpcID.Malformed: Invalid id: "${made.subnet.id}"`);
    expect(malformed.detail).toContain('vpc-<id>');
    const route = await importProblem(aws.service, 'aws_route', String(made.table.id));
    expect(route.summary).toContain('expected ROUTETABLEID_DESTINATION');
    expect(route.detail).toContain('rtb-<id>_<IPv4 CIDR>');
    const association = await importProblem(aws.service, 'aws_route_table_association', `${made.subnet.id}_${made.table.id}`);
    expect(association.summary).toContain('expected SUBNETID/ROUTETABLEID or GATEWAYID/ROUTETABLEID');
    expect((await importProblem(aws.service, 'aws_launch_template', 'dev-web')).summary).toContain('InvalidLaunchTemplateId.Malformed');
    expect((await importProblem(aws.service, 'aws_autoscaling_policy', 'dev-web-cpu')).summary).toContain('expected <asg-name>/<policy-name>');
    expect((await importProblem(aws.service, 'aws_lb_target_group_attachment', String(made.targetGroup.arn))).summary).toContain('expected TARGETGROUPARN,TARGETID[,PORT]');
  });
});

describe('Google: import ids and imported state', () => {
  const g = new GoogleHarness();
  const made: Record<string, ObjectValue> = {};

  beforeAll(async () => {
    await g.configure({ project: 'test-project', region: 'us-central1' });
    const { network, subnet } = await baseNetwork(g);
    Object.assign(made, { network, subnet });
    made.firewall = await g.must('google_compute_firewall', {
      name: 'web-in', network: network.id, allow: [{ protocol: 'tcp', ports: ['80'] }], source_ranges: ['0.0.0.0/0'], target_tags: ['web'],
    });
    made.router = await g.must('google_compute_router', { name: 'rtr', network: network.id });
    made.nat = await g.must('google_compute_router_nat', {
      name: 'nat', router: made.router.name, nat_ip_allocate_option: 'AUTO_ONLY', source_subnetwork_ip_ranges_to_nat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
    });
    made.address = await g.must('google_compute_address', {
      name: 'ip-0', address_type: 'INTERNAL', subnetwork: subnet.id, address: '10.0.0.20', labels: { team: 'core' },
    });
    made.template = await g.must('google_compute_instance_template', templateConfig(subnet, { labels: { team: 'core' } }));
    made.scripted = await g.must('google_compute_instance_template', templateConfig(subnet, {
      name_prefix: 'boot-', metadata: null, metadata_startup_script: '#!/bin/sh\necho boot\n',
    }));
    made.group = await g.must('google_compute_region_instance_group_manager', groupConfig(made.template));
    made.config = await g.must('google_compute_region_per_instance_config', {
      name: 'web-0', region_instance_group_manager: made.group.name, minimal_action: 'REPLACE', remove_instance_on_destroy: true,
      preserved_state: [{ internal_ip: [{ interface_name: 'nic0', auto_delete: 'NEVER', ip_address: [{ address: made.address.self_link }] }] }],
    });
  });
  afterAll(() => g.cleanup());

  const templateName = (): string => String(made.template.name);
  const labelViews = { labels: null, terraform_labels: {} };

  /**
   * Every documented id format of every type, and how the imported state differs from a refresh
   * of the created object: what the provider cannot read back.
   */
  const cases: [type: string, key: string, ids: () => string[], notReadBack: ObjectValue][] = [
    ['google_compute_network', 'network', () => ['projects/test-project/global/networks/net', 'test-project/net', 'net'], {}],
    ['google_compute_subnetwork', 'subnet', () => [
      'projects/test-project/regions/us-central1/subnetworks/net-sub', 'test-project/us-central1/net-sub', 'us-central1/net-sub', 'net-sub',
    ], {}],
    ['google_compute_firewall', 'firewall', () => ['projects/test-project/global/firewalls/web-in', 'test-project/web-in', 'web-in'], {}],
    ['google_compute_router', 'router', () => [
      'projects/test-project/regions/us-central1/routers/rtr', 'test-project/us-central1/rtr', 'us-central1/rtr', 'rtr',
    ], {}],
    // The provider never reads auto_network_tier back; unset in the configuration, it plans no change.
    ['google_compute_router_nat', 'nat', () => [
      'projects/test-project/regions/us-central1/routers/rtr/nat', 'test-project/us-central1/rtr/nat', 'us-central1/rtr/nat', 'rtr/nat',
    ], { auto_network_tier: null }],
    ['google_compute_address', 'address', () => [
      'projects/test-project/regions/us-central1/addresses/ip-0', 'test-project/us-central1/ip-0', 'us-central1/ip-0', 'ip-0',
    ], labelViews],
    ['google_compute_instance_template', 'template', () => [
      `projects/test-project/global/instanceTemplates/${templateName()}`, `test-project/${templateName()}`, templateName(),
    ], { ...labelViews, name_prefix: null }],
    ['google_compute_region_instance_group_manager', 'group', () => [
      'projects/test-project/regions/us-central1/instanceGroupManagers/web', 'test-project/us-central1/web', 'us-central1/web', 'web',
    ], {}],
    ['google_compute_region_per_instance_config', 'config', () => [
      'projects/test-project/regions/us-central1/instanceGroupManagers/web/web-0', 'test-project/us-central1/web/web-0', 'us-central1/web/web-0', 'web/web-0',
    ], { minimal_action: 'NONE', remove_instance_on_destroy: false }],
  ];

  test.each(cases)('%s imports from every documented id format (%s)', async (type, key, ids, notReadBack) => {
    const refreshed = (await g.read(type, made[key]))!;
    for (const id of ids()) {
      const imported = await mustImport(g.h.service, type, id);
      expect(imported).toEqual({ ...refreshed, ...notReadBack });
      expect(unfilled(made[key], imported, notReadBack)).toEqual([]);
    }
  });

  test('a template\'s startup script comes back in metadata, as the provider reads it without state', async () => {
    expect(made.scripted).toMatchObject({ metadata: null, metadata_startup_script: '#!/bin/sh\necho boot\n' });
    const imported = await mustImport(g.h.service, 'google_compute_instance_template', String(made.scripted.name));
    expect(imported).toMatchObject({ metadata: { 'startup-script': '#!/bin/sh\necho boot\n' }, metadata_startup_script: null, name_prefix: null });
  });

  test('after an import, labels update the template in place; a name_prefix in the configuration replaces it', async () => {
    const type = 'google_compute_instance_template';
    const imported = await mustImport(g.h.service, type, templateName());
    // Terraform's proposal: the imported state with what the configuration sets.
    const labels = { team: 'core' };
    expect((await g.h.plan(type, imported, { ...imported, labels, name_prefix: 'web-' })).replace).toEqual([['name_prefix']]);
    // With name_prefix ignored (lifecycle ignore_changes), only the provider's label views change.
    const plan = await g.h.plan(type, imported, { ...imported, labels });
    expect(plan.replace).toEqual([]);
    expect(plan.planned).toEqual({ ...imported, labels, terraform_labels: labels });
    const applied = await g.h.apply(type, imported, plan.planned);
    expect(applied.diagnostics).toEqual([]);
    expect(applied.state).toMatchObject({ id: made.template.id, labels, terraform_labels: labels, effective_labels: made.template.effective_labels });
    expect(g.list('instance_template')).toHaveLength(2);
  });

  test('ids that name nothing: Terraform\'s "non-existent remote object"', async () => {
    for (const [type, id] of [
      ['google_compute_network', 'nope'],
      ['google_compute_subnetwork', 'europe-west1/net-sub'],
      ['google_compute_router_nat', 'rtr/nope'],
      ['google_compute_region_per_instance_config', 'web/web-9'],
      ['google_compute_address', 'other-project/us-central1/ip-0'],
    ]) {
      expect((await importProblem(g.h.service, type, id)).summary).toBe(NOT_FOUND);
    }
  });

  test('an id matching no format is refused with the accepted formats', async () => {
    const network = await importProblem(g.h.service, 'google_compute_network', 'projects/test-project/regions/us-central1/networks/net');
    expect(network.summary).toBe('Import id "projects/test-project/regions/us-central1/networks/net" doesn\'t match any of the accepted formats');
    expect(network.detail).toBe('google_compute_network imports with any of: projects/{{project}}/global/networks/{{name}}, {{project}}/{{name}}, {{name}}.');
    const nat = await importProblem(g.h.service, 'google_compute_router_nat', 'nat');
    expect(nat.detail).toContain('{{router}}/{{name}}');
  });

  test('an id without a project needs the provider\'s', async () => {
    const bare = new GoogleHarness();
    try {
      await bare.configure({ region: 'us-central1' });
      const problem = await importProblem(bare.h.service, 'google_compute_network', 'net');
      expect(problem.summary).toBe('Cannot import google_compute_network "net": the id names no project and the provider has none');
    } finally {
      bare.cleanup();
    }
  });
});

/**
 * The examples, deployed by the real Terraform CLI, then forgotten (`terraform state rm`) and
 * imported back with import blocks in the real providers' id formats: every object is found,
 * nothing is created, replaced or destroyed, and the only changes planned are the settings the
 * real providers cannot read back (and what Terraform can only know at apply because of them).
 * Once those are applied, the plan is empty and no instance was touched; then everything destroys.
 */
describe('importing the deployed examples with import blocks', () => {
  const tmp = scratch('import');
  const stateDir = path.join(tmp.dir, 'cloud');
  let cloud: MockCloud;
  let env: NodeJS.ProcessEnv;
  const work = (stack: string): string => path.join(tmp.dir, stack);

  beforeAll(async () => {
    const out = path.join(tmp.dir, 'synth');
    const app = new App({ outdir: out });
    buildExamples(app, { addressLedger: false });
    app.synth();
    cloud = await startMockCloud({ stateDir });
    env = terraformEnv(tmp.dir, cloud.env);
    await Promise.all(['aws-haproxy', 'gce-haproxy'].map(async (stack) => {
      const config = JSON.parse(fs.readFileSync(path.join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      config.terraform.backend = { local: { path: 'terraform.tfstate' } };
      fs.mkdirSync(work(stack), { recursive: true });
      fs.writeFileSync(path.join(work(stack), 'cdk.tf.json'), JSON.stringify(config, null, 2));
      await tf(work(stack), env, 0, 'init', '-input=false');
      await tf(work(stack), env, 0, 'apply', '-input=false', '-auto-approve');
    }));
  });
  afterAll(async () => {
    await cloud?.stop();
    tmp.cleanup();
  });

  interface ResourceChange {
    address: string;
    mode: string;
    change: { actions: string[]; before: Record<string, unknown>; after: Record<string, unknown>; after_unknown: Record<string, unknown>; importing?: object };
  }

  interface StateResource {
    address: string;
    mode: string;
    type: string;
    values: Record<string, Value>;
  }

  /** What the import plan changes: attributes with a new value, and those known only after apply, by address. */
  interface ImportPlan {
    readonly imported: number;
    readonly changes: Record<string, string[]>;
    readonly deferred: Record<string, string[]>;
  }

  const hasUnknown = (v: unknown): boolean => v === true || (typeof v === 'object' && v !== null && Object.values(v).some(hasUnknown));

  /**
   * Forget every managed resource, import them all back with `ids` (one plan, then apply of that
   * plan), and return what the import plan changed. The plan after that must be empty.
   */
  async function forgetAndImport(stack: string, ids: (r: StateResource, index: number) => string): Promise<ImportPlan> {
    const dir = work(stack);
    const shown = JSON.parse((await tf(dir, env, 0, 'show', '-json')).stdout);
    const managed = (shown.values.root_module.resources as StateResource[]).filter((r) => r.mode === 'managed');
    await tf(dir, env, 0, 'state', 'rm', ...managed.map((r) => r.address));
    const byType = new Map<string, number>();
    const blocks = managed.map((r) => {
      const index = byType.get(r.type) ?? 0;
      byType.set(r.type, index + 1);
      return { to: r.address, id: ids(r, index) };
    });
    fs.writeFileSync(path.join(dir, 'imports.tf.json'), JSON.stringify({ import: blocks }, null, 2));
    await tf(dir, env, 2, 'plan', '-input=false', '-detailed-exitcode', '-out=import.plan');
    const plan = JSON.parse((await tf(dir, env, 0, 'show', '-json', 'import.plan')).stdout);
    const changes: Record<string, string[]> = {};
    const deferred: Record<string, string[]> = {};
    let imported = 0;
    for (const rc of plan.resource_changes as ResourceChange[]) {
      if (rc.mode !== 'managed') continue;
      if (rc.change.importing) imported += 1;
      expect([rc.address, rc.change.actions]).toEqual([rc.address, [expect.stringMatching(/^(no-op|update)$/)]]);
      const { before, after, after_unknown: unknown } = rc.change;
      const later = Object.keys(unknown).filter((k) => hasUnknown(unknown[k])).sort();
      const changed = Object.keys(after).filter((k) => !later.includes(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
      if (changed.length > 0) changes[rc.address] = changed;
      if (later.length > 0) deferred[rc.address] = later;
    }
    expect(imported).toBe(managed.length);
    const applied = await tf(dir, env, 0, 'apply', '-input=false', 'import.plan');
    const updated = new Set([...Object.keys(changes), ...Object.keys(deferred)]).size;
    expect(applied.stdout).toContain(`Resources: ${managed.length} imported, 0 added, ${updated} changed, 0 destroyed.`);
    await tf(dir, env, 0, 'plan', '-input=false', '-detailed-exitcode');
    return { imported, changes, deferred };
  }

  /** The changes, by resource type: each address's attributes must be those of its type. */
  function byType(changes: Record<string, string[]>): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [address, attributes] of Object.entries(changes)) {
      const type = address.split('.')[0];
      expect([address, attributes]).toEqual([address, out[type] ?? attributes]);
      out[type] = attributes;
    }
    return out;
  }

  /** The mock cloud's records of one kind, by id. */
  const cloudObjects = (file: string, kind: string): Record<string, unknown> =>
    JSON.parse(fs.readFileSync(path.join(stateDir, file), 'utf8')).objects[kind] ?? {};

  const leftIn = (file: string): string[] => {
    const doc = JSON.parse(fs.readFileSync(path.join(stateDir, file), 'utf8'));
    return Object.entries(doc.objects as Record<string, object>).filter(([kind, objects]) => kind !== 'meta' && Object.keys(objects).length > 0).map(([k]) => k);
  };

  test('aws-haproxy: every resource imports by its documented id; only what AWS cannot report changes', async () => {
    const instances = cloudObjects('aws.json', 'instance');
    const templates = cloudObjects('aws.json', 'launch_template');
    expect(Object.keys(instances)).toHaveLength(9);
    const { imported, changes, deferred } = await forgetAndImport('aws-haproxy', (r, i) => {
      const v = r.values;
      switch (r.type) {
        case 'aws_route': return `${v.route_table_id}_${v.destination_cidr_block}`;
        case 'aws_route_table_association': return `${v.subnet_id}/${v.route_table_id}${i % 2 ? '@us-east-1' : ''}`;
        case 'aws_autoscaling_group': return String(v.name);
        case 'aws_eip': return String(v.allocation_id);
        default: return `${v.id}${i % 2 ? '@us-east-1' : ''}`;
      }
    });
    expect(imported).toBe(46);
    // Auto Scaling never reports the provider's own settings (wait_for_capacity_timeout: the open
    // hashicorp/terraform-provider-aws#10334; instance_refresh), nor EC2 update_default_version.
    expect(byType(changes)).toEqual({
      aws_autoscaling_group: ['instance_refresh', 'wait_for_capacity_timeout'],
      aws_launch_template: ['update_default_version'],
    });
    expect(Object.keys(changes)).toHaveLength(4);
    // The web group having changes, Terraform reads the data source listing its instances (which
    // depends on it) at apply, so HAProxy's user data is known only then: the lb template and the
    // lb group's version are "known after apply"...
    expect(Object.entries(deferred).map(([address, attributes]) => [address.split('_').slice(0, -1).join('_'), attributes])).toEqual([
      ['aws_autoscaling_group.dev_lb_group', ['launch_template']],
      ['aws_launch_template.dev_lb_template', ['default_version', 'latest_version', 'user_data']],
    ]);
    // ...and turn out unchanged: no new template version, no instance replaced.
    expect(cloudObjects('aws.json', 'instance')).toEqual(instances);
    expect(cloudObjects('aws.json', 'launch_template')).toEqual(templates);
    await tf(work('aws-haproxy'), env, 0, 'destroy', '-input=false', '-auto-approve');
    expect(leftIn('aws.json')).toEqual([]);
  });

  test('gce-haproxy: every resource imports from one of its documented id formats; only what Google cannot report changes', async () => {
    const dir = work('gce-haproxy');
    const instances = cloudObjects('google.json', 'instance');
    expect(Object.keys(instances)).toHaveLength(9);
    // The provider never reads name_prefix back, and it forces replacement: adopting templates
    // made with name_prefix takes ignore_changes, as with the real provider.
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
    for (const template of Object.values(config.resource.google_compute_instance_template) as { lifecycle: Record<string, unknown> }[]) {
      template.lifecycle = { ...template.lifecycle, ignore_changes: ['name_prefix'] };
    }
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(config, null, 2));

    const { imported, changes, deferred } = await forgetAndImport('gce-haproxy', (r, i) => {
      const v = r.values;
      const [project, region, name] = [v.project, v.region, v.name];
      switch (r.type) {
        case 'google_compute_network': return String(name);
        case 'google_compute_firewall': return `${project}/${name}`;
        case 'google_compute_subnetwork': return i % 2 ? `${region}/${name}` : `projects/${project}/regions/${region}/subnetworks/${name}`;
        case 'google_compute_router': return `${project}/${region}/${name}`;
        case 'google_compute_router_nat': return `${v.router}/${name}`;
        case 'google_compute_address': return [`projects/${project}/regions/${region}/addresses/${name}`, `${project}/${region}/${name}`, `${region}/${name}`, String(name)][i % 4];
        case 'google_compute_instance_template': return String(name);
        case 'google_compute_region_instance_group_manager': return String(name);
        case 'google_compute_region_per_instance_config': return i % 2 ? `${v.region_instance_group_manager}/${name}` : `${region}/${v.region_instance_group_manager}/${name}`;
        default: throw new Error(`no import id for ${r.type}`);
      }
    });
    expect(imported).toBe(34);
    expect(deferred).toEqual({});
    // Labels come back only for keys the state names; the per-instance configs' update and
    // destroy behaviour is Terraform's, which the importer sets to its defaults.
    expect(byType(changes)).toEqual({
      google_compute_address: ['labels', 'terraform_labels'],
      google_compute_instance_template: ['labels', 'terraform_labels'],
      google_compute_region_per_instance_config: ['minimal_action', 'remove_instance_on_destroy'],
    });
    expect(Object.keys(changes)).toHaveLength(12 + 2 + 9);
    // The per-instance configs now say REPLACE, yet nothing was recreated.
    expect(cloudObjects('google.json', 'instance')).toEqual(instances);
    await tf(dir, env, 0, 'destroy', '-input=false', '-auto-approve');
    expect(leftIn('google.json')).toEqual([]);
  });
});
