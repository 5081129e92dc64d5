import { Cloud } from '../cloud/cloud';
import { ObjectValue } from '../values/value';
import { isUnknown } from '../values/unknown';
import { ResourceType, ReadContext, UpdateContext, CreateContext, OperationContext } from '../framework/types';
import { computed, optional, optionalComputed } from '../schema/dsl';
import { set } from '../values/cty-type';
import {
  ACCOUNT_ID, arn, awsError, effectiveTags, objects, planCommon, readTags, REGION_ATTRIBUTE, regionOf, str, tagAttributes, timeoutsBlock,
} from './common';
import { find, InstanceRecord, Kind, namePrefixFromName, requireVpc, SecurityGroupRecord, SecurityGroupRuleRecord, Tags, uniqueName } from './model';
import { importById } from './resource-import';
import { loadBalancerDependents } from './load-balancer';
import { INLINE_RULE, inlineView, newRule, putRule, reconcileInline } from './security-group-rules';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - group names (not sg-*, not 'default', unique per VPC), ASCII descriptions up to 255: Amazon EC2 API Reference, CreateSecurityGroup
 * - VPCIdNotSpecified without a default VPC: Amazon EC2 API Reference, Common error codes
 * - deleting a group still referenced (DependencyViolation): Amazon VPC User Guide, Delete a security group
 */

/**
 * Security groups: `aws_security_group` and `aws_default_security_group` (the group every VPC
 * is born with, which the resource adopts rather than creates).
 *
 * As in EC2, a new group has one egress rule allowing everything, which the provider revokes at
 * once (so only configured rules exist), and a VPC's default group lets its members talk to each
 * other and out anywhere until someone manages it.
 */

/** Create the default security group of a new VPC, with AWS's two default rules. */
export function createDefaultSecurityGroup(cloud: Cloud, vpcId: string, region: string): SecurityGroupRecord {
  const id = cloud.nextId('sg');
  const group = cloud.put<SecurityGroupRecord>(Kind.securityGroup, id, {
    id, region, vpc_id: vpcId, name: 'default', description: 'default VPC security group', is_default: true, tags: {},
  });
  putRule(cloud, newRule(group, false, { referenced_group_id: id }));
  putRule(cloud, newRule(group, true, { cidr_ipv4: '0.0.0.0/0' }));
  return group;
}

/** Remove a group and its rules (used when its VPC goes, and by delete). */
export function removeGroup(cloud: Cloud, id: string): void {
  for (const r of cloud.list<SecurityGroupRuleRecord>(Kind.securityGroupRule, (r) => r.group_id === id)) cloud.delete(Kind.securityGroupRule, r.id);
  cloud.delete(Kind.securityGroup, id);
}

/** What still uses a group: running instances, and rules of other groups referencing it. */
export function groupDependents(cloud: Cloud, id: string): string[] {
  const instances = cloud.list<InstanceRecord>(Kind.instance, (i) => i.security_groups.includes(id)).map((i) => `instance ${i.id}`);
  const rules = cloud.list<SecurityGroupRuleRecord>(Kind.securityGroupRule, (r) => r.referenced_group_id === id && r.group_id !== id)
    .map((r) => `rule ${r.id} of ${r.group_id}`);
  return [...instances, ...rules, ...loadBalancerDependents(cloud, (lb) => lb.security_groups.includes(id))];
}

const GROUP_ATTRIBUTES = {
  arn: computed('string'),
  id: computed('string'),
  owner_id: computed('string'),
  region: REGION_ATTRIBUTE,
  revoke_rules_on_delete: optional('bool', { default: false }),
  ingress: optionalComputed(set(INLINE_RULE)),
  egress: optionalComputed(set(INLINE_RULE)),
  ...tagAttributes(),
};

function groupState(ctx: OperationContext, cloud: Cloud, g: SecurityGroupRecord, state: ObjectValue | null): ObjectValue {
  return {
    id: g.id,
    name_prefix: namePrefixFromName(g.name),
    arn: arn('ec2', g.region, `security-group/${g.id}`),
    owner_id: ACCOUNT_ID,
    name: g.name,
    description: g.description,
    vpc_id: g.vpc_id,
    region: g.region,
    ingress: inlineView(cloud, g, false, state?.ingress ?? null),
    egress: inlineView(cloud, g, true, state?.egress ?? null),
    ...readTags(ctx, g.tags, state),
  };
}

/** Apply the inline rules that are configured (null inline attributes leave rules alone). */
function applyInline(ctx: CreateContext, group: SecurityGroupRecord, onCreate: boolean): void {
  for (const [attribute, egress] of [['ingress', false], ['egress', true]] as const) {
    const configured = ctx.config[attribute];
    if (configured === null && !onCreate) continue;
    const planned = ctx.planned[attribute];
    const entries = isUnknown(planned) || configured === null ? [] : objects(planned);
    reconcileInline(ctx.cloud, group, egress, entries, attribute);
  }
}

/**
 * Groups import by id. `revoke_rules_on_delete` is never read back; its default is false, which
 * the SDK does not tell from unset, so an import plans no change for it.
 */
const importGroup = importById({
  format: 'sg-<id>', prefix: 'sg', malformedCode: 'InvalidGroupId.Malformed', zeroDefaults: { revoke_rules_on_delete: false },
});

function readGroup(ctx: ReadContext): ObjectValue | null {
  const g = find<SecurityGroupRecord>(ctx.cloud, Kind.securityGroup, str(ctx.state.id) ?? '', regionOf(ctx, ctx.state));
  return g ? groupState(ctx, ctx.cloud, g, ctx.state) : null;
}

function updateGroup(ctx: UpdateContext): ObjectValue {
  const region = regionOf(ctx, ctx.prior);
  const g = find<SecurityGroupRecord>(ctx.cloud, Kind.securityGroup, str(ctx.prior.id) ?? '', region);
  if (!g) throw awsError('InvalidGroup.NotFound', `The security group '${str(ctx.prior.id)}' does not exist`);
  const updated = ctx.cloud.put(Kind.securityGroup, g.id, { ...g, tags: effectiveTags(ctx, ctx.planned.tags) as Tags });
  applyInline(ctx, updated, false);
  return groupState(ctx, ctx.cloud, updated, ctx.planned);
}

export const securityGroup: ResourceType = {
  name: 'aws_security_group',
  schema: {
    version: 1,
    attributes: {
      ...GROUP_ATTRIBUTES,
      name: optionalComputed('string', { forceNew: true }),
      name_prefix: optionalComputed('string', { forceNew: true }),
      description: optional('string', { default: 'Managed by Terraform', forceNew: true }),
      vpc_id: optionalComputed('string', { forceNew: true }),
    },
    blocks: { timeouts: timeoutsBlock('create', 'delete') },
  },
  validate(ctx) {
    const name = ctx.config.name;
    if (typeof name === 'string' && ctx.config.name_prefix !== null && !isUnknown(ctx.config.name_prefix)) {
      ctx.error('Conflicting configuration arguments', { detail: '"name": conflicts with name_prefix', path: ['name'] });
    }
  },
  plan: planCommon,
  create(ctx) {
    const region = regionOf(ctx, ctx.planned);
    const vpcId = str(ctx.planned.vpc_id);
    if (vpcId === null) {
      throw awsError('VPCIdNotSpecified', 'No default VPC for this user', ['vpc_id'],
        'The mock account has no default VPC (like accounts whose default VPCs were deleted): set vpc_id.');
    }
    const vpc = requireVpc(ctx.cloud, vpcId, region);
    const prefix = str(ctx.planned.name_prefix);
    const name = str(ctx.planned.name) ?? uniqueName(ctx.cloud, prefix);
    if (name.startsWith('sg-')) {
      throw awsError('InvalidParameterValue', `Invalid value '${name}' for groupName. Group names may not be in the format sg-*.`, ['name']);
    }
    if (name === 'default') throw awsError('InvalidGroup.Reserved', "The security group 'default' is reserved", ['name']);
    const description = str(ctx.planned.description) ?? '';
    if (!/^[\x20-\x7e]{0,255}$/.test(description)) {
      throw awsError('InvalidParameterValue', `Value (${description}) for parameter GroupDescription is invalid. Character sets beyond ASCII are not supported.`, ['description']);
    }
    const clash = ctx.cloud.list<SecurityGroupRecord>(Kind.securityGroup, (g) => g.vpc_id === vpc.id && g.name === name);
    if (clash.length > 0) {
      throw awsError('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpc.id}'`, ['name'],
        `The existing group is ${clash[0].id}.`);
    }
    const id = ctx.cloud.nextId('sg');
    const group = ctx.cloud.put<SecurityGroupRecord>(Kind.securityGroup, id, {
      id, region, vpc_id: vpc.id, name, description, is_default: false,
      tags: effectiveTags(ctx, ctx.planned.tags) as Tags,
    });
    // EC2 gives every new group an allow-all egress rule; the provider revokes it right away.
    applyInline(ctx, group, true);
    return groupState(ctx, ctx.cloud, group, ctx.planned);
  },
  import: importGroup,
  read: readGroup,
  update: updateGroup,
  delete(ctx) {
    const region = regionOf(ctx, ctx.state);
    const id = str(ctx.state.id) ?? '';
    const g = find<SecurityGroupRecord>(ctx.cloud, Kind.securityGroup, id, region);
    if (!g) return;
    const dependents = groupDependents(ctx.cloud, id);
    if (dependents.length > 0) {
      throw awsError('DependencyViolation', `resource ${id} has a dependent object`, undefined,
        `Still used by: ${dependents.join(', ')}.`);
    }
    removeGroup(ctx.cloud, id);
  },
};

export const defaultSecurityGroup: ResourceType = {
  name: 'aws_default_security_group',
  schema: {
    version: 1,
    attributes: {
      ...GROUP_ATTRIBUTES,
      name: computed('string'),
      name_prefix: computed('string'),
      description: computed('string'),
      vpc_id: optionalComputed('string', { forceNew: true }),
    },
  },
  plan: planCommon,
  create(ctx) {
    const region = regionOf(ctx, ctx.planned);
    const vpcId = str(ctx.planned.vpc_id);
    if (vpcId === null) throw awsError('VPCIdNotSpecified', 'No default VPC for this user', ['vpc_id']);
    const vpc = requireVpc(ctx.cloud, vpcId, region);
    const g = ctx.cloud.get<SecurityGroupRecord>(Kind.securityGroup, vpc.default_security_group_id);
    if (!g) throw awsError('InvalidGroup.NotFound', `The default security group of ${vpc.id} does not exist`);
    // Adopting the group removes every rule it has, then adds the configured ones.
    const adopted = ctx.cloud.put(Kind.securityGroup, g.id, { ...g, tags: effectiveTags(ctx, ctx.planned.tags) as Tags });
    applyInline(ctx, adopted, true);
    return groupState(ctx, ctx.cloud, adopted, ctx.planned);
  },
  // The provider imports a VPC's default group by its id, like any group.
  import: importGroup,
  read: readGroup,
  update: updateGroup,
  delete() {
    // The default group cannot be deleted; the provider only forgets it (it goes with its VPC).
  },
};
