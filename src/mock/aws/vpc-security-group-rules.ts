import { ObjectValue } from '../values/value';
import { isUnknown } from '../values/unknown';
import { ResourceType, OperationContext } from '../framework/types';
import { computed, optional, required } from '../schema/dsl';
import { ipv4Cidr } from '../schema/validators';
import {
  arn, awsError, effectiveTags, frameworkTagAttributes, num, planCommon, readTags, REGION_ATTRIBUTE, regionOf, str,
} from './common';
import { find, Kind, requireSecurityGroup, SecurityGroupRuleRecord, Tags } from './model';
import { importById } from './resource-import';
import { checkRule, newRule, normalizeProtocol } from './security-group-rules';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - exactly one peer: terraform-provider-aws, aws_vpc_security_group_ingress_rule (ExactlyOneOf)
 * - -1 rules keep no ports (FromPort/ToPort -1): Amazon EC2 API Reference, IpPermission
 */

/**
 * `aws_vpc_security_group_ingress_rule` and `aws_vpc_security_group_egress_rule`: one rule
 * each, with its own `sgr-` id, as Butter renders every Path and every egress. Everything but
 * the group can change in place (ModifySecurityGroupRules keeps the rule id).
 */

const PEERS = ['cidr_ipv4', 'cidr_ipv6', 'prefix_list_id', 'referenced_security_group_id'] as const;

function ruleFields(planned: ObjectValue): Partial<SecurityGroupRuleRecord> {
  const protocol = normalizeProtocol(str(planned.ip_protocol) ?? '-1');
  return {
    ip_protocol: protocol,
    from_port: protocol === '-1' ? null : num(planned.from_port),
    to_port: protocol === '-1' ? null : num(planned.to_port),
    cidr_ipv4: str(planned.cidr_ipv4),
    cidr_ipv6: str(planned.cidr_ipv6),
    prefix_list_id: str(planned.prefix_list_id),
    referenced_group_id: str(planned.referenced_security_group_id),
    description: str(planned.description),
  };
}

function ruleState(ctx: OperationContext, r: SecurityGroupRuleRecord, state: ObjectValue | null): ObjectValue {
  // Keep the configuration's spelling of an equivalent protocol ("TCP", "6", "all").
  const spelled = str(state?.ip_protocol);
  const protocol = spelled !== null && normalizeProtocol(spelled) === r.ip_protocol ? spelled : r.ip_protocol;
  return {
    id: r.id,
    security_group_rule_id: r.id,
    arn: arn('ec2', r.region, `security-group-rule/${r.id}`),
    region: r.region,
    security_group_id: r.group_id,
    ip_protocol: protocol,
    // EC2 keeps no ports for all-traffic (-1) rules and describes them as -1; the provider reads
    // that back, except where the configuration left the port out (it stays null).
    from_port: r.ip_protocol === '-1' ? (num(state?.from_port) === null ? null : -1) : r.from_port,
    to_port: r.ip_protocol === '-1' ? (num(state?.to_port) === null ? null : -1) : r.to_port,
    cidr_ipv4: r.cidr_ipv4,
    cidr_ipv6: r.cidr_ipv6,
    prefix_list_id: r.prefix_list_id,
    referenced_security_group_id: r.referenced_group_id,
    description: r.description,
    ...readTags(ctx, r.tags, state),
  };
}

function ruleType(name: string, egress: boolean): ResourceType {
  return {
    name,
    schema: {
      attributes: {
        arn: computed('string'),
        cidr_ipv4: optional('string', { validate: ipv4Cidr() }),
        cidr_ipv6: optional('string'),
        description: optional('string'),
        from_port: optional('number'),
        id: computed('string'),
        ip_protocol: required('string'),
        prefix_list_id: optional('string'),
        referenced_security_group_id: optional('string'),
        region: REGION_ATTRIBUTE,
        security_group_id: required('string', { forceNew: true }),
        security_group_rule_id: computed('string'),
        to_port: optional('number'),
        ...frameworkTagAttributes(),
      },
    },
    validate(ctx) {
      const set = PEERS.filter((p) => ctx.config[p] !== null);
      if (set.some((p) => isUnknown(ctx.config[p]))) return;
      if (set.length !== 1) {
        ctx.error('Invalid Attribute Combination', {
          detail: `Exactly one of these attributes must be configured: [${PEERS.join(',')}]`,
          path: set.length > 1 ? [set[1]] : [],
        });
      }
    },
    plan(ctx) {
      planCommon(ctx);
    },
    create(ctx) {
      const region = regionOf(ctx, ctx.planned);
      const group = requireSecurityGroup(ctx.cloud, str(ctx.planned.security_group_id) ?? '', region);
      const rule = newRule(group, egress, { ...ruleFields(ctx.planned), tags: effectiveTags(ctx, ctx.planned.tags) as Tags });
      checkRule(ctx.cloud, group, rule, []);
      const id = ctx.cloud.nextId('sgr');
      const stored = ctx.cloud.put(Kind.securityGroupRule, id, { ...rule, id });
      return ruleState(ctx, stored, ctx.planned);
    },
    import: importById({ format: 'sgr-<id> (the security group rule id)', prefix: 'sgr', malformedCode: 'InvalidSecurityGroupRuleId.Malformed' }),
    read(ctx) {
      const r = find<SecurityGroupRuleRecord>(ctx.cloud, Kind.securityGroupRule, str(ctx.state.id) ?? '', regionOf(ctx, ctx.state));
      return r && r.is_egress === egress ? ruleState(ctx, r, ctx.state) : null;
    },
    update(ctx) {
      const region = regionOf(ctx, ctx.prior);
      const id = str(ctx.prior.id) ?? '';
      const existing = find<SecurityGroupRuleRecord>(ctx.cloud, Kind.securityGroupRule, id, region);
      if (!existing) throw awsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
      const group = requireSecurityGroup(ctx.cloud, existing.group_id, region);
      const rule = { ...existing, ...ruleFields(ctx.planned), tags: effectiveTags(ctx, ctx.planned.tags) as Tags };
      checkRule(ctx.cloud, group, rule, [], id);
      return ruleState(ctx, ctx.cloud.put(Kind.securityGroupRule, id, rule), ctx.planned);
    },
    delete(ctx) {
      ctx.cloud.delete(Kind.securityGroupRule, str(ctx.state.id) ?? '');
    },
  };
}

export const ingressRule = ruleType('aws_vpc_security_group_ingress_rule', false);
export const egressRule = ruleType('aws_vpc_security_group_egress_rule', true);
