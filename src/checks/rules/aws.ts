import { CheckedResource, CheckedStack, blocks, boolOf, isExpression } from '../stack';
import type { Rule, Violation } from '../types';
import { isPublicCidr, strings, violation } from './common';

const INSTANCE_TYPES = ['aws_launch_template', 'aws_instance', 'aws_launch_configuration'];

/** BUTTER-AWS-001: instances must require IMDSv2 session tokens (or turn the endpoint off). */
export const imdsV2: Rule = {
  id: 'BUTTER-AWS-001',
  severity: 'high',
  title: 'Launch templates and instances require IMDSv2',
  description: 'Without http_tokens = "required", any process that can make the instance send a GET request (SSRF) reads the instance metadata, including role credentials.',
  fix: 'set metadata_options { http_tokens = "required" } (Butter\'s launch templates always do)',
  references: { checkov: ['CKV_AWS_79'], trivy: ['AVD-AWS-0028', 'AVD-AWS-0130'] },
  check: (stack) => INSTANCE_TYPES.flatMap((type) => stack.all(type)).flatMap((r): Violation[] => {
    // An instance launched from a template takes the template's metadata options unless it sets its own.
    if (fromTemplate(r) && r.attributes.metadata_options === undefined) return [];
    const options = blocks(r.attributes.metadata_options)[0] ?? {};
    if (isExpression(options.http_tokens) || isExpression(options.http_endpoint)) return [];
    if (options.http_endpoint === 'disabled' || options.http_tokens === 'required') return [];
    return [violation(r, `${describe(r)} allows IMDSv1: metadata_options.http_tokens is ${options.http_tokens === undefined ? 'not set (optional)' : `"${options.http_tokens}"`}`)];
  }),
};

/** BUTTER-AWS-002: every EBS volume a launch template or instance makes is encrypted. */
export const ebsEncryption: Rule = {
  id: 'BUTTER-AWS-002',
  severity: 'high',
  title: 'EBS volumes of launch templates and instances are encrypted',
  description: 'An unencrypted root or data volume (and its snapshots) can be read by anyone who gets a copy. checkov has no such check for launch templates.',
  fix: 'set encrypted = true on every block device (ebs { encrypted = true } in launch templates); Butter\'s launch templates encrypt every disk',
  references: { checkov: ['CKV_AWS_8'], trivy: ['AVD-AWS-0131', 'AVD-AWS-0008'] },
  check: (stack) => [
    ...stack.all('aws_launch_template').flatMap((r) => {
      const mappings = blocks(r.attributes.block_device_mappings);
      if (mappings.length === 0) return [violation(r, `${describe(r)} leaves root volume encryption to the image's snapshot and the account default (no block_device_mappings)`)];
      return mappings
        .filter((m) => !m.virtual_name && !m.no_device && boolOf(blocks(m.ebs)[0]?.encrypted) !== true && !isExpression(blocks(m.ebs)[0]?.encrypted))
        .map((m) => violation(r, `${describe(r)}: volume ${m.device_name ?? '(unnamed)'} is not encrypted`));
    }),
    ...['aws_instance', 'aws_launch_configuration'].flatMap((type) => stack.all(type)).flatMap((r) => {
      const out: Violation[] = [];
      const root = blocks(r.attributes.root_block_device)[0];
      if (!root && fromTemplate(r)) return out; // the template's block device mappings apply
      if (!root || (boolOf(root.encrypted) !== true && !isExpression(root.encrypted))) out.push(violation(r, `${describe(r)}: the root volume is not encrypted`));
      for (const d of blocks(r.attributes.ebs_block_device)) {
        if (boolOf(d.encrypted) !== true && !isExpression(d.encrypted)) out.push(violation(r, `${describe(r)}: volume ${d.device_name ?? '(unnamed)'} is not encrypted`));
      }
      return out;
    }),
    ...stack.all('aws_ebs_volume').filter((r) => boolOf(r.attributes.encrypted) !== true && !isExpression(r.attributes.encrypted))
      .map((r) => violation(r, `${describe(r)} is not encrypted`)),
  ],
};

/** BUTTER-AWS-003: each VPC's default security group is managed and empty. */
export const defaultSecurityGroup: Rule = {
  id: 'BUTTER-AWS-003',
  severity: 'medium',
  title: 'The default security group of every VPC has no rules',
  description: 'AWS creates every VPC with a default security group that lets its members talk to each other and reach anywhere; anything launched without a group lands in it.',
  fix: 'add an aws_default_security_group for the VPC with no ingress and no egress blocks (Butter\'s Network does)',
  references: { checkov: ['CKV2_AWS_12'], trivy: ['AVD-AWS-0173'] },
  check: (stack) => {
    const out: Violation[] = [];
    const managed = new Set<CheckedResource>();
    for (const g of stack.all('aws_default_security_group')) {
      const vpc = stack.resolve(g.attributes.vpc_id, 'aws_vpc');
      if (vpc) managed.add(vpc);
      const rules = [...blocks(g.attributes.ingress), ...blocks(g.attributes.egress)];
      if (rules.length > 0) out.push(violation(g, `${describe(g)} keeps ${rules.length} rule${rules.length === 1 ? '' : 's'}`));
    }
    for (const vpc of stack.all('aws_vpc')) {
      if (!managed.has(vpc)) out.push(violation(vpc, `${describe(vpc)} leaves its default security group open between members and to anywhere (no aws_default_security_group empties it)`));
    }
    return out;
  },
};

/** BUTTER-AWS-004: every VPC has flow logs. */
export const vpcFlowLogs: Rule = {
  id: 'BUTTER-AWS-004',
  severity: 'medium',
  title: 'VPCs have flow logs',
  description: 'Without flow logs there is no record of which addresses talked to which, accepted or rejected, when an incident has to be investigated.',
  fix: 'add an aws_flow_log for the VPC (in a Butter network blueprint: network.flow_logs: cloudwatch or s3)',
  references: { checkov: ['CKV2_AWS_11'], trivy: ['AVD-AWS-0178'] },
  check: (stack) => {
    const logged = new Set(stack.all('aws_flow_log').map((f) => stack.resolve(f.attributes.vpc_id, 'aws_vpc')).filter(Boolean));
    return stack.all('aws_vpc').filter((vpc) => !logged.has(vpc)).map((vpc) => violation(vpc, `${describe(vpc)} has no flow log`, { blueprintKey: 'network.flow_logs' }));
  },
};

/**
 * BUTTER-AWS-005: instances get public addresses only when something admits the internet.
 * Unlike a resource-by-resource scanner, a public address that a public ingress rule of the
 * instances' own security groups uses is by design (an internet-facing load balancer), not a
 * finding; one that nothing admits traffic to only widens the attack surface.
 */
export const awsPublicIp: Rule = {
  id: 'BUTTER-AWS-005',
  severity: 'medium',
  title: 'Instances have public IPs only when the internet is meant to reach them',
  description: 'A public address on an instance that no security group rule opens to the internet serves no purpose and is one rule away from exposure.',
  fix: 'set instance.public_ip: false in the blueprint (the instances go out through NAT), or add the Path from the internet the address is for',
  references: { checkov: ['CKV_AWS_88'], trivy: ['AVD-AWS-0009'] },
  check: (stack) => {
    const publicGroups = publicSecurityGroups(stack);
    const out: Violation[] = [];
    for (const r of [...stack.all('aws_launch_template'), ...stack.all('aws_instance'), ...stack.all('aws_launch_configuration')]) {
      const nics = blocks(r.attributes.network_interfaces);
      const wantsPublic = boolOf(r.attributes.associate_public_ip_address) === true || nics.some((n) => boolOf(n.associate_public_ip_address) === true);
      if (!wantsPublic) continue;
      const groups = [r.attributes.vpc_security_group_ids, r.attributes.security_groups, ...nics.map((n) => n.security_groups)].flatMap(strings);
      if (groups.some((g) => { const sg = stack.resolve(g, 'aws_security_group'); return sg !== undefined && publicGroups.has(sg); })) continue;
      out.push(violation(r, `${describe(r)} gives instances a public IP, but no rule of their security groups admits the internet`, { blueprintKey: 'instance.public_ip' }));
    }
    return out;
  },
};

/** BUTTER-AWS-006: AMI lookups name an owner. */
export const amiOwner: Rule = {
  id: 'BUTTER-AWS-006',
  severity: 'high',
  title: 'AMI lookups name the image owner',
  description: 'An aws_ami lookup by name without owners matches public images of any account: anyone can publish an AMI with the expected name and have it picked (AMI name squatting).',
  fix: 'set owners (Canonical 099720109477, amazon ...); in a blueprint, image.owner',
  references: { trivy: ['AVD-AWS-0344'] },
  check: (stack) => stack.all('aws_ami', 'data')
    .filter((r) => !isExpression(r.attributes.owners) && strings(r.attributes.owners).length === 0)
    .map((r) => violation(r, `${describe(r)} looks an image up without owners: any account's public AMI may match`, { blueprintKey: 'image.owner' })),
};

/** Security groups with an ingress rule from a public address (any resource form). */
function publicSecurityGroups(stack: CheckedStack): Set<CheckedResource> {
  const out = new Set<CheckedResource>();
  const add = (ref: unknown) => { const sg = stack.resolve(ref, 'aws_security_group'); if (sg) out.add(sg); };
  for (const r of stack.all('aws_vpc_security_group_ingress_rule')) {
    if (isPublicCidr(r.attributes.cidr_ipv4) || isPublicCidr(r.attributes.cidr_ipv6)) add(r.attributes.security_group_id);
  }
  for (const r of stack.all('aws_security_group_rule')) {
    if (r.attributes.type === 'ingress' && [...strings(r.attributes.cidr_blocks), ...strings(r.attributes.ipv6_cidr_blocks)].some(isPublicCidr)) add(r.attributes.security_group_id);
  }
  for (const sg of stack.all('aws_security_group')) {
    if (blocks(sg.attributes.ingress).some((i) => [...strings(i.cidr_blocks), ...strings(i.ipv6_cidr_blocks)].some(isPublicCidr))) out.add(sg);
  }
  return out;
}

/** An aws_instance launched from a launch template. */
function fromTemplate(r: CheckedResource): boolean {
  return r.type === 'aws_instance' && blocks(r.attributes.launch_template).length > 0;
}

function describe(r: CheckedResource): string {
  return r.address;
}

export const awsRules: readonly Rule[] = [imdsV2, ebsEncryption, defaultSecurityGroup, vpcFlowLogs, awsPublicIp, amiOwner];
