import * as fc from 'fast-check';
import { ALL_RULES, CheckedStack, runChecks } from '../../../src/checks';

type Section = Record<string, Record<string, object>>;
const tf = (resource: Section, data: Section = {}) => ({ resource, data });

/** The findings of one rule in one document. */
function findings(ruleId: string, doc: object) {
  const rule = ALL_RULES.find((r) => r.id === ruleId)!;
  return runChecks([new CheckedStack('fixture', doc as any)], { rules: [rule] }).findings;
}

const lt = (over: object = {}) => ({
  image_id: 'ami-1', instance_type: 't3.micro',
  metadata_options: { http_tokens: 'required' },
  block_device_mappings: [{ device_name: '/dev/sda1', ebs: { encrypted: 'true', volume_size: 8 } }],
  ...over,
});
const vpc = { vpc: { cidr_block: '10.0.0.0/16' } };
const template = (over: object = {}) => ({
  machine_type: 'e2-small', tags: ['web'],
  metadata: { 'enable-oslogin': 'TRUE', 'block-project-ssh-keys': 'TRUE', 'serial-port-enable': 'FALSE' },
  disk: [{ boot: true, source_image: 'debian-cloud/debian-12' }],
  network_interface: [{ subnetwork: 'sub' }],
  shielded_instance_config: { enable_secure_boot: true, enable_vtpm: true, enable_integrity_monitoring: true },
  ...over,
});
const ingress = (over: object) => ({ security_group_id: '${aws_security_group.sg.id}', ip_protocol: 'tcp', from_port: 22, to_port: 22, ...over });

/** For every rule: a Terraform JSON fixture it flags, and one it passes. */
const FIXTURES: Record<string, { fail: object; pass: object; count?: number }> = {
  'BUTTER-NET-001': {
    fail: tf({ aws_security_group: { sg: {} }, aws_vpc_security_group_ingress_rule: { ssh: ingress({ cidr_ipv4: '0.0.0.0/0' }) } }),
    pass: tf({ aws_security_group: { sg: {} }, aws_vpc_security_group_ingress_rule: { ssh: ingress({ cidr_ipv4: '10.0.0.0/8' }), web: ingress({ cidr_ipv4: '0.0.0.0/0', from_port: 443, to_port: 443 }) } }),
  },
  'BUTTER-AWS-001': {
    fail: tf({ aws_launch_template: { lt: lt({ metadata_options: { http_tokens: 'optional' } }) }, aws_instance: { i: { ami: 'ami-1', root_block_device: { encrypted: true } } } }),
    pass: tf({ aws_launch_template: { lt: lt() }, aws_instance: { i: { metadata_options: { http_endpoint: 'disabled' } } } }),
    count: 2,
  },
  'BUTTER-AWS-002': {
    fail: tf({ aws_launch_template: { lt: lt({ block_device_mappings: [{ device_name: '/dev/sda1', ebs: { volume_size: 8 } }] }), bare: lt({ block_device_mappings: undefined }) } }),
    pass: tf({ aws_launch_template: { lt: lt() }, aws_instance: { i: { root_block_device: { encrypted: true } } } }),
    count: 2,
  },
  'BUTTER-AWS-003': {
    fail: tf({ aws_vpc: { ...vpc, other: { cidr_block: '10.1.0.0/16' } }, aws_default_security_group: { d: { vpc_id: '${aws_vpc.vpc.id}', ingress: [{ protocol: '-1', self: true, from_port: 0, to_port: 0 }] } } }),
    pass: tf({ aws_vpc: vpc, aws_default_security_group: { d: { vpc_id: '${aws_vpc.vpc.id}' } } }),
    count: 2,
  },
  'BUTTER-AWS-004': {
    fail: tf({ aws_vpc: vpc }),
    pass: tf({ aws_vpc: vpc, aws_flow_log: { f: { vpc_id: '${aws_vpc.vpc.id}', traffic_type: 'ALL' } } }),
  },
  'BUTTER-AWS-005': {
    fail: tf({ aws_security_group: { sg: {} }, aws_launch_template: { lt: lt({ network_interfaces: { associate_public_ip_address: 'true', security_groups: ['${aws_security_group.sg.id}'] } }) } }),
    pass: tf({
      aws_security_group: { sg: {} },
      aws_vpc_security_group_ingress_rule: { web: ingress({ cidr_ipv4: '0.0.0.0/0', from_port: 443, to_port: 443 }) },
      aws_launch_template: { lt: lt({ network_interfaces: { associate_public_ip_address: 'true', security_groups: ['${aws_security_group.sg.id}'] } }), private: lt({ network_interfaces: { associate_public_ip_address: 'false' } }) },
    }),
  },
  'BUTTER-AWS-006': {
    fail: tf({}, { aws_ami: { ubuntu: { most_recent: true, filter: [{ name: 'name', values: ['ubuntu/images/*'] }] } } }),
    pass: tf({}, { aws_ami: { ubuntu: { most_recent: true, owners: ['099720109477'] } } }),
  },
  'BUTTER-GCP-001': {
    fail: tf({
      google_compute_region_instance_template: { t: template({ metadata: { 'enable-oslogin': 'FALSE' } }) },
      google_compute_region_instance_group_manager: { g: { all_instances_config: { metadata: { 'enable-oslogin': 'false' } } } },
    }),
    pass: tf({ google_compute_instance_template: { t: template() }, google_compute_region_instance_group_manager: { g: {} } }),
    count: 2,
  },
  'BUTTER-GCP-002': {
    fail: tf({ google_compute_instance_template: { t: template({ metadata: {} }) } }),
    pass: tf({ google_compute_instance_template: { t: template() } }),
  },
  'BUTTER-GCP-003': {
    fail: tf({ google_compute_instance: { vm: template({ metadata: { 'serial-port-enable': 'true' } }) } }),
    pass: tf({ google_compute_instance: { vm: template() } }),
  },
  'BUTTER-GCP-004': {
    fail: tf({ google_compute_instance_template: { t: template({ shielded_instance_config: undefined }) } }),
    pass: tf({ google_compute_instance_template: { t: template() } }),
  },
  'BUTTER-GCP-005': {
    fail: tf({ google_compute_instance_template: { t: template({ service_account: { scopes: ['cloud-platform'] } }) } }),
    pass: tf({ google_compute_instance_template: { t: template({ service_account: { email: 'app@p.iam.gserviceaccount.com', scopes: ['cloud-platform'] } }) } }),
  },
  'BUTTER-GCP-006': {
    fail: tf({ google_compute_firewall: { f: { network: 'n', source_ranges: ['10.0.0.0/8'], allow: [{ protocol: 'tcp', ports: ['80'] }] } } }),
    pass: tf({ google_compute_firewall: { f: { network: 'n', source_ranges: ['10.0.0.0/8'], target_tags: ['web'], allow: [{ protocol: 'tcp', ports: ['80'] }] }, deny: { network: 'n', deny: [{ protocol: 'all' }] } } }),
  },
  'BUTTER-GCP-007': {
    fail: tf({}, { google_compute_image: { img: { family: 'debian-12' } } }),
    pass: tf({}, { google_compute_image: { img: { family: 'debian-12', project: 'debian-cloud' } } }),
  },
  'BUTTER-GCP-008': {
    fail: tf({ google_compute_subnetwork: { s: { ip_cidr_range: '10.0.0.0/24', network: 'n' } } }),
    pass: tf({ google_compute_subnetwork: { s: { ip_cidr_range: '10.0.0.0/24', network: 'n', log_config: { aggregation_interval: 'INTERVAL_5_SEC' } }, proxy: { purpose: 'REGIONAL_MANAGED_PROXY' } } }),
  },
  'BUTTER-GCP-009': {
    fail: tf({ google_compute_instance_template: { t: template({ network_interface: [{ subnetwork: 's', access_config: [{}] }] }) } }),
    pass: tf({
      google_compute_instance_template: { t: template({ network_interface: [{ subnetwork: 's', access_config: [{}] }] }) },
      google_compute_firewall: { web: { network: 'n', source_ranges: ['0.0.0.0/0'], target_tags: ['web'], allow: [{ protocol: 'tcp', ports: ['443'] }] } },
    }),
  },
  'BUTTER-LB-001': {
    // A public ALB's HTTP listener, and a Google regional external ALB on an HTTP proxy.
    fail: tf({
      aws_lb: { pub: { internal: false, load_balancer_type: 'application' } },
      aws_lb_listener: { http: { load_balancer_arn: '${aws_lb.pub.arn}', port: 80, protocol: 'HTTP', default_action: [{ type: 'forward', target_group_arn: 'tg' }] } },
      google_compute_region_target_http_proxy: { p: { url_map: 'm' } },
      google_compute_forwarding_rule: { f: { load_balancing_scheme: 'EXTERNAL_MANAGED', port_range: '80', target: '${google_compute_region_target_http_proxy.p.id}' } },
    }),
    count: 2,
    // HTTPS; HTTP that only redirects to HTTPS; HTTP on an internal balancer or an internal Google one.
    pass: tf({
      aws_lb: { pub: { internal: false }, int: { internal: true } },
      aws_lb_listener: {
        https: { load_balancer_arn: '${aws_lb.pub.arn}', port: 443, protocol: 'HTTPS', certificate_arn: 'arn:aws:acm:us-east-1:123456789012:certificate/x', default_action: [{ type: 'forward', target_group_arn: 'tg' }] },
        redirect: { load_balancer_arn: '${aws_lb.pub.arn}', port: 80, protocol: 'HTTP', default_action: [{ type: 'redirect', redirect: [{ protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' }] }] },
        inside: { load_balancer_arn: '${aws_lb.int.arn}', port: 80, protocol: 'HTTP', default_action: [{ type: 'forward', target_group_arn: 'tg' }] },
      },
      google_compute_region_target_http_proxy: { p: { url_map: 'm' } },
      google_compute_forwarding_rule: { f: { load_balancing_scheme: 'INTERNAL_MANAGED', port_range: '80', target: '${google_compute_region_target_http_proxy.p.id}' } },
    }),
  },
  'BUTTER-LB-002': {
    fail: tf({ aws_lb: { a: { load_balancer_type: 'application' } } }),
    pass: tf({ aws_lb: { a: { load_balancer_type: 'application', drop_invalid_header_fields: true }, n: { load_balancer_type: 'network' } } }),
  },
};

describe('rules', () => {
  test('every rule has a failing and a passing fixture (BUTTER-NET-002 is tested on Butter stacks)', () => {
    expect(Object.keys(FIXTURES).sort()).toEqual(ALL_RULES.map((r) => r.id).filter((id) => id !== 'BUTTER-NET-002').sort());
  });

  test.each(Object.entries(FIXTURES))('%s flags its failing fixture and passes its passing one', (id, { fail, pass, count }) => {
    const found = findings(id, fail);
    expect(found).toHaveLength(count ?? 1);
    for (const f of found) {
      expect(f.ruleId).toBe(id);
      expect(f.address).toMatch(/^(data\.)?[a-z0-9_]+\.[a-z0-9_]+$/);
      expect(f.fix.length).toBeGreaterThan(10);
    }
    expect(findings(id, pass)).toEqual([]);
  });

  test('ids are unique and stable in form; each rule documents what, fix and severity', () => {
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
    for (const r of ALL_RULES) {
      expect(r.id).toMatch(/^BUTTER-(AWS|GCP|NET|LB)-\d{3}$/);
      expect(['low', 'medium', 'high', 'critical']).toContain(r.severity);
      expect(r.title && r.description && r.fix).toBeTruthy();
    }
  });

  test('admin ports: ranges and all-protocol rules count, every form of rule is read', () => {
    const doc = tf({
      aws_security_group: { sg: { ingress: [{ protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['0.0.0.0/0'] }] } },
      aws_security_group_rule: { r: { type: 'ingress', security_group_id: 'sg-1', protocol: 'tcp', from_port: 3000, to_port: 4000, cidr_blocks: ['1.2.3.0/24'] } },
      google_compute_firewall: { f: { network: 'n', source_ranges: ['0.0.0.0/0'], target_tags: ['x'], allow: [{ protocol: 'tcp' }] } },
    });
    const found = findings('BUTTER-NET-001', doc);
    expect(found.map((f) => f.address).sort()).toEqual(['aws_security_group.sg', 'aws_security_group_rule.r', 'google_compute_firewall.f']);
    expect(found.find((f) => f.address === 'aws_security_group_rule.r')!.message).toContain('port 3389');
    expect(found.find((f) => f.address === 'aws_security_group.sg')!.message).toContain('every port');
  });

  test('instances made from templates inherit what they leave out: no finding for it', () => {
    const doc = tf({
      aws_instance: { i: { launch_template: { id: '${aws_launch_template.lt.id}' } } },
      google_compute_instance_from_template: { vm: { name: 'vm', source_instance_template: '${google_compute_instance_template.t.self_link}' } },
    });
    for (const id of ['BUTTER-AWS-001', 'BUTTER-AWS-002', 'BUTTER-GCP-001', 'BUTTER-GCP-002', 'BUTTER-GCP-003', 'BUTTER-GCP-004']) expect(findings(id, doc)).toEqual([]);
    // What they set themselves still counts.
    const own = tf({ google_compute_instance_from_template: { vm: { metadata: { 'enable-oslogin': 'FALSE' } } } });
    expect(findings('BUTTER-GCP-001', own)).toHaveLength(1);
  });

  test('values known only at deploy time are not findings', () => {
    const doc = tf({ aws_launch_template: { lt: lt({ metadata_options: { http_tokens: '${var.tokens}' } }) }, aws_vpc_security_group_ingress_rule: { r: ingress({ cidr_ipv4: '${var.cidr}' }) } });
    expect(findings('BUTTER-AWS-001', doc)).toEqual([]);
    expect(findings('BUTTER-NET-001', doc)).toEqual([]);
  });

  test('hostile or odd documents: wrong types everywhere never throw', () => {
    const odd = [
      {}, { resource: null }, { resource: [] }, { resource: { aws_vpc: null } }, { resource: { aws_vpc: { v: null } } },
      { resource: { aws_launch_template: { lt: { metadata_options: 'x', block_device_mappings: 7 } } } },
      { resource: { google_compute_instance_template: { t: { metadata: [1, 2], shielded_instance_config: 'on', service_account: [null, 3] } } } },
      { resource: { google_compute_firewall: { f: { allow: [{ protocol: 7, ports: [null, {}] }], source_ranges: 'nope' } } } },
      { resource: { aws_vpc_security_group_ingress_rule: { r: { cidr_ipv4: '999.1.1.1/99', ip_protocol: null } } } },
      { resource: { unknown_type: { x: { anything: true } } }, data: { aws_ami: { a: { owners: 'amazon' } } } },
    ];
    for (const doc of odd) expect(() => runChecks([new CheckedStack('odd', doc as any)])).not.toThrow();
  });
});

describe('any Terraform JSON (property)', () => {
  const TYPES = ['aws_launch_template', 'aws_instance', 'aws_vpc', 'aws_default_security_group', 'aws_security_group', 'aws_security_group_rule',
    'aws_vpc_security_group_ingress_rule', 'aws_flow_log', 'google_compute_instance_template', 'google_compute_region_instance_template',
    'google_compute_region_instance_group_manager', 'google_compute_firewall', 'google_compute_subnetwork', 'google_compute_instance', 'other_type'];

  test('rules never throw on resources of known types with arbitrary JSON bodies, and findings always name a resource of the document', () => {
    const body = fc.dictionary(fc.constantFrom('metadata', 'metadata_options', 'block_device_mappings', 'ingress', 'allow', 'source_ranges', 'cidr_ipv4',
      'ip_protocol', 'from_port', 'to_port', 'network_interface', 'service_account', 'shielded_instance_config', 'vpc_id', 'tags', '//', 'all_instances_config'), fc.jsonValue());
    const doc = fc.record({
      resource: fc.dictionary(fc.constantFrom(...TYPES), fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), body)),
      data: fc.dictionary(fc.constantFrom('aws_ami', 'google_compute_image'), fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.jsonValue())),
    });
    fc.assert(fc.property(doc, (d) => {
      const stack = new CheckedStack('p', d as any);
      const report = runChecks([stack]);
      const addresses = new Set(stack.resources.map((r) => r.address));
      return [...report.findings, ...report.suppressed].every((f) => addresses.has(f.address));
    }), { numRuns: 300 });
  });
});
