import { awsError } from './common';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - JSON with a Statement, Effect Allow or Deny (MalformedPolicyDocument): IAM User Guide, IAM JSON policy element reference
 * - 10,240 characters per inline role policy, 2,048 per trust policy, whitespace not counted (LimitExceeded: Cannot exceed quota for PolicySize): IAM User Guide, IAM and AWS STS quotas
 */

/**
 * IAM's checks on a policy document (MalformedPolicyDocument): JSON, an object with a Statement
 * (one or a list), each with an Effect of Allow or Deny. Size: an inline role policy may be at
 * most 10,240 characters, a trust policy 2,048 (the default quota), as IAM counts them without
 * whitespace.
 */
export function checkPolicyDocument(text: string, path: string, maxChars: number): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw awsError('MalformedPolicyDocument', 'This policy contains invalid Json', [path]);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw awsError('MalformedPolicyDocument', 'Syntax errors in policy.', [path]);
  }
  const statements = (doc as Record<string, unknown>).Statement;
  const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  if (list.length === 0) throw awsError('MalformedPolicyDocument', 'Missing required field Statement', [path]);
  for (const s of list) {
    const effect = typeof s === 'object' && s !== null ? (s as Record<string, unknown>).Effect : undefined;
    if (effect !== 'Allow' && effect !== 'Deny') throw awsError('MalformedPolicyDocument', 'Invalid effect: must be Allow or Deny', [path]);
  }
  const size = text.replace(/\s+/g, '').length;
  if (size > maxChars) {
    throw awsError('LimitExceeded', `Cannot exceed quota for PolicySize: ${maxChars}`, [path]);
  }
}
