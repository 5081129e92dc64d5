import { Cloud } from '../cloud/cloud';
import { canonicalKey } from '../values/compare';
import { list, object, set } from '../values/cty-type';
import { ObjectValue, Value } from '../values/value';
import { CloudError } from '../framework/diagnostics';
import { awsError, bool, num, objects, str, strings } from './common';
import { find, Kind, SecurityGroupRecord, SecurityGroupRuleRecord } from './model';
import { awsQuota } from './quotas';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - protocols, ports, descriptions, duplicates (InvalidPermission.Duplicate): Amazon EC2 API Reference, AuthorizeSecurityGroupIngress and IpPermission
 * - referenced groups in the same VPC: Amazon VPC User Guide, Security group referencing
 * - rules per group (RulesPerSecurityGroupLimitExceeded): Amazon VPC User Guide, Amazon VPC quotas
 * - inline "-1" with ports: terraform-provider-aws, aws_security_group (expandIPPerms)
 */

/**
 * Security group rules as EC2 keeps them: one record (`sgr-…`) per source or destination. The
 * inline `ingress`/`egress` attributes of aws_security_group group them back by protocol, ports
 * and description, the way the provider shows them.
 */

/** The object type of one inline `ingress`/`egress` entry. */
export const INLINE_RULE = object({
  cidr_blocks: list('string'),
  description: 'string',
  from_port: 'number',
  ipv6_cidr_blocks: list('string'),
  prefix_list_ids: list('string'),
  protocol: 'string',
  security_groups: set('string'),
  self: 'bool',
  to_port: 'number',
});

const PROTOCOL_NUMBERS: Record<string, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6' };

/** EC2's spelling of a protocol: `-1` for all, names for icmp/tcp/udp/icmpv6, else the number. */
export function normalizeProtocol(p: string): string {
  const lower = p.toLowerCase();
  if (lower === 'all' || lower === '-1') return '-1';
  return PROTOCOL_NUMBERS[lower] ?? lower;
}

/**
 * Protocols EC2 takes (Amazon EC2 API Reference, IpPermission.IpProtocol): tcp, udp, icmp,
 * icmpv6, a protocol number (0-255), or -1 for all; anything else is refused.
 */
export function validProtocol(protocol: string): boolean {
  return ['-1', 'tcp', 'udp', 'icmp', 'icmpv6'].includes(protocol) || (/^\d{1,3}$/.test(protocol) && Number(protocol) <= 255);
}

/** True for protocols whose rules carry a port range. */
export function hasPorts(protocol: string): boolean {
  return protocol === 'tcp' || protocol === 'udp';
}

/** The rules of a group in one direction. */
export function rulesOf(cloud: Cloud, groupId: string, egress: boolean): SecurityGroupRuleRecord[] {
  return cloud.list<SecurityGroupRuleRecord>(Kind.securityGroupRule, (r) => r.group_id === groupId && r.is_egress === egress);
}

/** The characters EC2 allows in a rule's description (and at most 255 of them). */
const RULE_DESCRIPTION = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{0,255}$/;

/** What makes two rules the same rule for EC2 (everything but id, description and tags). */
export function ruleIdentity(r: Pick<SecurityGroupRuleRecord, 'group_id' | 'is_egress' | 'ip_protocol' | 'from_port' | 'to_port' | 'cidr_ipv4' | 'cidr_ipv6' | 'prefix_list_id' | 'referenced_group_id'>): string {
  const ports = r.ip_protocol === '-1' ? '' : `${r.from_port ?? ''}-${r.to_port ?? ''}`;
  return [r.group_id, r.is_egress, r.ip_protocol, ports, r.cidr_ipv4, r.cidr_ipv6, r.prefix_list_id, r.referenced_group_id].join('|');
}

/** How EC2 describes a rule in InvalidPermission errors. */
export function describeRule(r: SecurityGroupRuleRecord): string {
  const peer = r.cidr_ipv4 ?? r.cidr_ipv6 ?? r.prefix_list_id ?? r.referenced_group_id ?? '?';
  const protocol = r.ip_protocol === '-1' ? 'ALL' : r.ip_protocol.toUpperCase();
  const ports = r.ip_protocol === '-1' ? '' : `, from port: ${r.from_port ?? ''}, to port: ${r.to_port ?? ''}`;
  return `peer: ${peer}, ${protocol}${ports}, ALLOW`;
}

/**
 * Check a rule as AuthorizeSecurityGroupIngress/Egress would: ports present for TCP/UDP, a
 * referenced group that exists in the same VPC, not a duplicate of an existing rule.
 */
export function checkRule(cloud: Cloud, group: SecurityGroupRecord, rule: SecurityGroupRuleRecord, path: (string | number)[], ignoreId?: string): void {
  if (!validProtocol(rule.ip_protocol)) {
    // EC2 AuthorizeSecurityGroupIngress/Egress: IpProtocol must be tcp, udp, icmp, icmpv6, a number or -1.
    // EC2's text, as hashicorp/terraform-provider-aws issue 1793 quotes it: "InvalidParameterValue:
    // Invalid value 'all' for IP protocol. Unknown protocol."
    throw awsError('InvalidParameterValue', `Invalid value '${rule.ip_protocol}' for IP protocol. Unknown protocol.`, path,
      'EC2 takes tcp, udp, icmp, icmpv6, a protocol number (0-255) or -1 (all traffic).');
  }
  if (rule.description !== null && !RULE_DESCRIPTION.test(rule.description)) {
    throw awsError('InvalidParameterValue',
      'Invalid rule description. Valid descriptions are strings less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*',
      [...path, 'description'], `Got ${JSON.stringify(rule.description)}.`);
  }
  if (hasPorts(rule.ip_protocol) && (rule.from_port === null || rule.to_port === null)) {
    throw awsError('InvalidParameterValue', "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange", path);
  }
  if (hasPorts(rule.ip_protocol) && rule.from_port !== null && rule.to_port !== null
    && (rule.from_port < 0 || rule.to_port > 65535 || rule.from_port > rule.to_port)) {
    throw awsError('InvalidParameterValue', `Invalid TCP/UDP port range ${rule.from_port}-${rule.to_port}`, path);
  }
  if (rule.referenced_group_id !== null) {
    const other = find<SecurityGroupRecord>(cloud, Kind.securityGroup, rule.referenced_group_id, group.region);
    if (!other) throw awsError('InvalidGroup.NotFound', `The security group '${rule.referenced_group_id}' does not exist`, path);
    if (other.vpc_id !== group.vpc_id) {
      throw awsError('InvalidGroup.NotFound', 'You have specified two resources that belong to different networks.', path,
        `${rule.referenced_group_id} is in ${other.vpc_id}, ${group.id} in ${group.vpc_id}; rules can only reference groups of the same VPC (or a peered one, which the mock does not simulate).`);
    }
  }
  const identity = ruleIdentity(rule);
  const siblings = rulesOf(cloud, group.id, rule.is_egress).filter((r) => r.id !== ignoreId);
  const duplicate = siblings.find((r) => ruleIdentity(r) === identity);
  if (duplicate) {
    throw awsError('InvalidPermission.Duplicate', `the specified rule "${describeRule(rule)}" already exists`, path,
      `It exists as ${duplicate.id}.`);
  }
  checkRuleQuota(siblings, rule, path);
}

/**
 * Amazon VPC quotas, "Inbound or outbound rules per security group" (L-0EA8095F, default 60):
 * counted per direction and separately for IPv4 and IPv6; a rule that references a security
 * group or a prefix list counts once for each. AuthorizeSecurityGroupIngress/Egress then fails
 * with RulesPerSecurityGroupLimitExceeded: "The maximum number of rules per security group has been
 * reached." (the text as aws-samples/aws-cloudfront-samples issue 53 and dan-v/awslambdaproxy issue
 * 25 quote it).
 */
function checkRuleQuota(siblings: readonly SecurityGroupRuleRecord[], rule: SecurityGroupRuleRecord, path: (string | number)[]): void {
  const limit = awsQuota('rules_per_security_group');
  const v4 = (r: SecurityGroupRuleRecord): boolean => r.cidr_ipv6 === null;
  const v6 = (r: SecurityGroupRuleRecord): boolean => r.cidr_ipv4 === null;
  for (const [family, counts] of [['IPv4', v4], ['IPv6', v6]] as const) {
    if (counts(rule) && siblings.filter(counts).length + 1 > limit) {
      throw awsError('RulesPerSecurityGroupLimitExceeded', 'The maximum number of rules per security group has been reached.', path,
        `The group has ${limit} ${rule.is_egress ? 'outbound' : 'inbound'} ${family} rules, the quota (AWS's default is 60; `
        + 'set BUTTER_MOCK_QUOTAS {"aws": {"rules_per_security_group": N}} for a raised quota).');
    }
  }
}

/** A new rule record (id to be assigned). */
export function newRule(group: SecurityGroupRecord, egress: boolean, fields: Partial<SecurityGroupRuleRecord>): SecurityGroupRuleRecord {
  return {
    id: '',
    region: group.region,
    group_id: group.id,
    is_egress: egress,
    ip_protocol: '-1',
    from_port: null,
    to_port: null,
    cidr_ipv4: null,
    cidr_ipv6: null,
    prefix_list_id: null,
    referenced_group_id: null,
    description: null,
    tags: {},
    ...fields,
  };
}

/** Store a rule under a fresh `sgr-` id. */
export function putRule(cloud: Cloud, rule: SecurityGroupRuleRecord): SecurityGroupRuleRecord {
  const id = cloud.nextId('sgr');
  return cloud.put(Kind.securityGroupRule, id, { ...rule, id });
}

/** The rules one inline `ingress`/`egress` entry stands for. */
function expandInline(group: SecurityGroupRecord, egress: boolean, entry: ObjectValue, attribute: string): SecurityGroupRuleRecord[] {
  const protocol = normalizeProtocol(str(entry.protocol) ?? '-1');
  const [from, to] = [num(entry.from_port) ?? 0, num(entry.to_port) ?? 0];
  if (protocol === '-1' && (from !== 0 || to !== 0)) {
    // The provider's own check (expandIPPerms, internal/service/ec2/vpc_security_group.go) before calling EC2;
    // its text checked against that file on 2026-12-06.
    throw new CloudError(`from_port (${from}) and to_port (${to}) must both be 0 to use the 'ALL' "-1" protocol!`, { path: [attribute] });
  }
  const base: Partial<SecurityGroupRuleRecord> = {
    ip_protocol: protocol,
    from_port: protocol === '-1' ? null : num(entry.from_port),
    to_port: protocol === '-1' ? null : num(entry.to_port),
    description: str(entry.description) || null,
  };
  const out: SecurityGroupRuleRecord[] = [];
  for (const c of strings(entry.cidr_blocks)) out.push(newRule(group, egress, { ...base, cidr_ipv4: c }));
  for (const c of strings(entry.ipv6_cidr_blocks)) out.push(newRule(group, egress, { ...base, cidr_ipv6: c }));
  for (const p of strings(entry.prefix_list_ids)) out.push(newRule(group, egress, { ...base, prefix_list_id: p }));
  for (const g of strings(entry.security_groups)) out.push(newRule(group, egress, { ...base, referenced_group_id: g }));
  if (bool(entry.self) === true) out.push(newRule(group, egress, { ...base, referenced_group_id: group.id }));
  return out;
}

/**
 * Make a group's rules in one direction exactly `entries` (inline configuration): rules not
 * listed are revoked (including ones made by standalone rule resources, as the real provider
 * does), missing ones authorized.
 */
export function reconcileInline(cloud: Cloud, group: SecurityGroupRecord, egress: boolean, entries: readonly ObjectValue[], attribute: string): void {
  const wanted = new Map<string, SecurityGroupRuleRecord>();
  for (const e of entries) for (const r of expandInline(group, egress, e, attribute)) wanted.set(ruleIdentity(r), r);
  const existing = rulesOf(cloud, group.id, egress);
  for (const r of existing) {
    const w = wanted.get(ruleIdentity(r));
    if (!w) cloud.delete(Kind.securityGroupRule, r.id);
    else if (w.description !== r.description) cloud.put(Kind.securityGroupRule, r.id, { ...r, description: w.description });
  }
  const have = new Set(existing.map(ruleIdentity));
  for (const [identity, r] of wanted) {
    if (have.has(identity)) continue;
    checkRule(cloud, group, r, [attribute]);
    putRule(cloud, r);
  }
}

/**
 * The inline view of a group's rules in one direction: rules with the same protocol, ports and
 * description make one entry. Entries equal to one in `previous` (the state) keep its spelling
 * (`protocol = "TCP"` vs `"tcp"`), so refreshes show no spurious changes.
 */
export function inlineView(cloud: Cloud, group: SecurityGroupRecord, egress: boolean, previous: Value): ObjectValue[] {
  const entries = new Map<string, ObjectValue & { cidr_blocks: string[]; ipv6_cidr_blocks: string[]; prefix_list_ids: string[]; security_groups: string[] }>();
  for (const r of rulesOf(cloud, group.id, egress)) {
    const key = [r.ip_protocol, r.from_port, r.to_port, r.description].join('|');
    let e = entries.get(key);
    if (!e) {
      e = {
        cidr_blocks: [],
        description: r.description ?? '',
        from_port: r.from_port ?? 0,
        ipv6_cidr_blocks: [],
        prefix_list_ids: [],
        protocol: r.ip_protocol,
        security_groups: [],
        self: false,
        to_port: r.to_port ?? 0,
      };
      entries.set(key, e);
    }
    if (r.cidr_ipv4) e.cidr_blocks.push(r.cidr_ipv4);
    if (r.cidr_ipv6) e.ipv6_cidr_blocks.push(r.cidr_ipv6);
    if (r.prefix_list_id) e.prefix_list_ids.push(r.prefix_list_id);
    if (r.referenced_group_id === group.id) e.self = true;
    else if (r.referenced_group_id) e.security_groups.push(r.referenced_group_id);
  }
  const prior = objects(previous);
  return [...entries.values()].map((e) => prior.find((p) => sameInline(p, e)) ?? e);
}

function sameInline(a: ObjectValue, b: ObjectValue): boolean {
  const norm = (e: ObjectValue): string => {
    const protocol = normalizeProtocol(str(e.protocol) ?? '-1');
    return canonicalKey({
      protocol,
      from: protocol === '-1' ? 0 : num(e.from_port) ?? 0,
      to: protocol === '-1' ? 0 : num(e.to_port) ?? 0,
      description: str(e.description) ?? '',
      cidr: [...strings(e.cidr_blocks)].sort(),
      ipv6: [...strings(e.ipv6_cidr_blocks)].sort(),
      prefix: [...strings(e.prefix_list_ids)].sort(),
      groups: [...strings(e.security_groups)].sort(),
      self: bool(e.self) === true,
    });
  };
  return norm(a) === norm(b);
}
