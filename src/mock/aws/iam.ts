import { priorRecord, readRecord, RecordStore } from '../framework/records';
import { OperationContext, ResourceType } from '../framework/types';
import { block, computed, optional, optionalComputed, required } from '../schema/dsl';
import { intBetween } from '../schema/validators';
import { set } from '../values/cty-type';
import { JsonObject, ObjectValue } from '../values/value';
import { ACCOUNT_ID, awsError, effectiveTags, hashHex, num, objects, planTags, readTags, str, strings, tagAttributes } from './common';
import { namePrefixFromName, Tags, uniqueName } from './model';
import { checkPolicyDocument } from './policy-document';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - role names [\w+=,.@-]{1,64}, EntityAlreadyExists, MaxSessionDuration 3600-43200: IAM API Reference, CreateRole
 * - DeleteConflict while inline policies remain: IAM API Reference, DeleteRole
 * - NoSuchEntity, MalformedPolicyDocument: IAM API Reference, PutRolePolicy
 * - trust policy 2,048 and inline role policies 10,240 characters: IAM User Guide, IAM and AWS STS quotas
 */

/**
 * `aws_iam_role` and `aws_iam_role_policy` (inline policies), as IAM keeps them. IAM is global:
 * no region, names unique in the account, ARNs without a region. A role cannot be deleted while
 * inline policies remain (DeleteConflict) unless `force_detach_policies`; a policy needs its
 * role (NoSuchEntity); documents must be valid policies (MalformedPolicyDocument).
 */

const ROLE = 'iam_role';
const ROLE_POLICY = 'iam_role_policy';
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

interface RoleRecord extends JsonObject {
  name: string;
  path: string;
  arn: string;
  unique_id: string;
  create_date: string;
  assume_role_policy: string;
  description: string;
  max_session_duration: number;
  permissions_boundary: string | null;
  tags: Tags;
}

interface RolePolicyRecord extends JsonObject {
  role: string;
  name: string;
  policy: string;
}

/** IAM is global: roles are keyed by name, inline policies by ROLE:POLICY (their id). */
const roles: RecordStore<RoleRecord> = {
  kind: ROLE,
  find: (ctx, state) => ctx.cloud.get<RoleRecord>(ROLE, str(state.id) ?? ''),
  notFound: (id) => awsError('NoSuchEntity', `The role with name ${id} cannot be found.`),
};
const rolePolicies: RecordStore<RolePolicyRecord> = {
  kind: ROLE_POLICY,
  find: (ctx, state) => ctx.cloud.get<RolePolicyRecord>(ROLE_POLICY, str(state.id) ?? ''),
  notFound: (id) => awsError('NoSuchEntity', `The role policy ${id} cannot be found.`),
};

function roleState(ctx: OperationContext, r: RoleRecord, state: ObjectValue | null): ObjectValue {
  return {
    id: r.name,
    name: r.name,
    name_prefix: namePrefixFromName(r.name),
    path: r.path,
    arn: r.arn,
    unique_id: r.unique_id,
    create_date: r.create_date,
    assume_role_policy: r.assume_role_policy,
    description: r.description,
    max_session_duration: r.max_session_duration,
    permissions_boundary: r.permissions_boundary,
    force_detach_policies: state?.force_detach_policies ?? false,
    managed_policy_arns: [],
    ...readTags(ctx, r.tags, state),
  };
}

export const iamRole: ResourceType = {
  name: 'aws_iam_role',
  schema: {
    attributes: {
      arn: computed('string'),
      assume_role_policy: required('string'),
      create_date: computed('string'),
      description: optional('string'),
      force_detach_policies: optional('bool', { default: false }),
      id: computed('string'),
      managed_policy_arns: optionalComputed(set('string'), { deprecated: true }),
      max_session_duration: optional('number', { default: 3600, validate: intBetween(3600, 43200) }),
      name: optionalComputed('string', { forceNew: true }),
      name_prefix: optionalComputed('string', { forceNew: true }),
      path: optional('string', { default: '/', forceNew: true }),
      permissions_boundary: optional('string'),
      unique_id: computed('string'),
      ...tagAttributes(),
    },
    blocks: {
      inline_policy: block('set', { attributes: { name: optional('string'), policy: optional('string') } }),
    },
  },
  validate(ctx) {
    const name = ctx.config.name;
    if (typeof name === 'string' && !ROLE_NAME.test(name)) {
      ctx.error('invalid value for name', { detail: 'must match [\\w+=,.@-]{1,64}', path: ['name'] });
    }
    if (typeof name === 'string' && typeof ctx.config.name_prefix === 'string') {
      ctx.error('Conflicting configuration arguments', { detail: '"name": conflicts with name_prefix', path: ['name'] });
    }
    const path = ctx.config.path;
    if (typeof path === 'string' && !/^\/([\x21-\x7e]{0,510}\/)?$/.test(path)) {
      ctx.error('invalid value for path', { detail: 'must begin and end with / and contain only printable ASCII', path: ['path'] });
    }
  },
  plan(ctx) {
    planTags(ctx);
  },
  create(ctx) {
    const p = ctx.planned;
    for (const a of ['inline_policy', 'managed_policy_arns'] as const) {
      if ((a === 'inline_policy' ? objects(p[a]) : strings(p[a])).length > 0) {
        throw awsError('UnsupportedOperation', `the Butter mock cloud does not simulate aws_iam_role's ${a}`, [a], 'Use aws_iam_role_policy for inline policies.');
      }
    }
    const name = str(p.name) ?? uniqueName(ctx.cloud, str(p.name_prefix));
    if (!ROLE_NAME.test(name)) throw awsError('ValidationError', `1 validation error detected: Value '${name}' at 'roleName' failed to satisfy constraint`, ['name']);
    if (ctx.cloud.get(ROLE, name)) throw awsError('EntityAlreadyExists', `Role with name ${name} already exists.`, ['name']);
    checkPolicyDocument(str(p.assume_role_policy) ?? '', 'assume_role_policy', 2048);
    const path = str(p.path) ?? '/';
    const record = ctx.cloud.put<RoleRecord>(ROLE, name, {
      name,
      path,
      arn: `arn:aws:iam::${ACCOUNT_ID}:role${path}${name}`,
      unique_id: `AROA${hashHex(`role:${name}:${ctx.cloud.nextNumericId()}`, 17).toUpperCase()}`,
      create_date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      assume_role_policy: str(p.assume_role_policy) ?? '',
      description: str(p.description) ?? '',
      max_session_duration: num(p.max_session_duration) ?? 3600,
      permissions_boundary: str(p.permissions_boundary),
      tags: effectiveTags(ctx, p.tags) as Tags,
    });
    return roleState(ctx, record, p);
  },
  import(ctx) {
    return { id: ctx.id, force_detach_policies: false };
  },
  read: readRecord(roles, roleState),
  update(ctx) {
    const r = priorRecord(ctx, roles);
    checkPolicyDocument(str(ctx.planned.assume_role_policy) ?? '', 'assume_role_policy', 2048);
    const updated = ctx.cloud.put<RoleRecord>(ROLE, r.name, {
      ...r,
      assume_role_policy: str(ctx.planned.assume_role_policy) ?? '',
      description: str(ctx.planned.description) ?? '',
      max_session_duration: num(ctx.planned.max_session_duration) ?? 3600,
      permissions_boundary: str(ctx.planned.permissions_boundary),
      tags: effectiveTags(ctx, ctx.planned.tags) as Tags,
    });
    return roleState(ctx, updated, ctx.planned);
  },
  delete(ctx) {
    const name = str(ctx.state.id) ?? '';
    if (!ctx.cloud.get(ROLE, name)) return;
    const policies = ctx.cloud.list<RolePolicyRecord>(ROLE_POLICY, (p) => p.role === name);
    if (policies.length > 0 && ctx.state.force_detach_policies !== true) {
      throw awsError('DeleteConflict', 'Cannot delete entity, must delete policies first.', undefined,
        `Role ${name} still has inline policies: ${policies.map((p) => p.name).join(', ')}.`);
    }
    for (const p of policies) ctx.cloud.delete(ROLE_POLICY, `${p.role}:${p.name}`);
    ctx.cloud.delete(ROLE, name);
  },
};

export const iamRolePolicy: ResourceType = {
  name: 'aws_iam_role_policy',
  schema: {
    attributes: {
      id: computed('string'),
      name: optionalComputed('string', { forceNew: true }),
      name_prefix: optional('string', { forceNew: true }),
      policy: required('string'),
      role: required('string', { forceNew: true }),
    },
  },
  validate(ctx) {
    const name = ctx.config.name;
    if (typeof name === 'string' && !/^[\w+=,.@-]{1,128}$/.test(name)) {
      ctx.error('invalid value for name', { detail: 'must match [\\w+=,.@-]{1,128}', path: ['name'] });
    }
  },
  create(ctx) {
    const role = str(ctx.planned.role) ?? '';
    if (!ctx.cloud.get(ROLE, role)) throw awsError('NoSuchEntity', `The role with name ${role} cannot be found.`, ['role']);
    const name = str(ctx.planned.name) ?? uniqueName(ctx.cloud, str(ctx.planned.name_prefix));
    const policy = str(ctx.planned.policy) ?? '';
    checkPolicyDocument(policy, 'policy', 10240);
    ctx.cloud.put<RolePolicyRecord>(ROLE_POLICY, `${role}:${name}`, { role, name, policy });
    return { id: `${role}:${name}`, name, role, policy, name_prefix: ctx.planned.name_prefix ?? null };
  },
  import(ctx) {
    if (!/^[^:]+:[^:]+$/.test(ctx.id)) {
      throw awsError('ValidationError', `unexpected format of ID (${ctx.id}), expected ROLE-NAME:POLICY-NAME`);
    }
    return { id: ctx.id };
  },
  read: readRecord(rolePolicies, (_ctx, p) => ({ id: `${p.role}:${p.name}`, role: p.role, name: p.name, policy: p.policy })),
  update(ctx) {
    const id = str(ctx.prior.id) ?? '';
    const p = priorRecord(ctx, rolePolicies);
    const policy = str(ctx.planned.policy) ?? '';
    checkPolicyDocument(policy, 'policy', 10240);
    ctx.cloud.put<RolePolicyRecord>(ROLE_POLICY, id, { ...p, policy });
    return { id, policy };
  },
  delete(ctx) {
    ctx.cloud.delete(ROLE_POLICY, str(ctx.state.id) ?? '');
  },
};
