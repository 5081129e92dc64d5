import { z } from 'zod';

/**
 * The shape of a mock cloud document (store.ts `CloudDocument`), checked whenever a file is
 * loaded. A file of the wrong shape is refused like one that is not JSON: resource code that
 * read `objects.vpc = null` as "no VPCs" once made Terraform forget every VPC, and a string
 * where an id map belongs was counted letter by letter.
 *
 * What is checked is the document's frame (the fields, kinds of id maps, objects as JSON
 * objects, the create journal's entries); the fields of each object are the provider's business.
 */
const jsonObject = z.record(z.string(), z.unknown());

const pendingCreate = z.object({
  type: z.string(),
  fingerprint: z.string(),
  session: z.string(),
  decided: z.unknown(),
});

/** Everything but `format` and `provider`, which store.ts checks first with their own messages. */
export const cloudDocumentSchema = z.object({
  format: z.string(),
  provider: z.string(),
  serial: z.int().nonnegative(),
  commit: z.string().optional(),
  sequence: z.int().nonnegative(),
  objects: z.record(z.string(), z.record(z.string(), jsonObject)),
  pendingCreates: z.record(z.string(), pendingCreate).optional(),
});

/** At most this many problems are named (a file of the wrong shape often has hundreds). */
const SHOWN = 3;

/**
 * What is wrong with `doc` as a mock cloud document: the first few problems, each with its JSON
 * path (`objects.subnet: expected an id map (object), got string`), and how many more; empty
 * when nothing is.
 */
export function documentProblems(doc: unknown): string[] {
  const result = cloudDocumentSchema.safeParse(doc);
  if (result.success) return [];
  const issues = result.error.issues;
  const shown = issues.slice(0, SHOWN).map((issue) => `${jsonPath(issue.path)}: ${describe(issue, doc)}`);
  if (issues.length > SHOWN) shown.push(`and ${issues.length - SHOWN} more`);
  return shown;
}

function jsonPath(parts: readonly PropertyKey[]): string {
  if (parts.length === 0) return '(document)';
  return parts.map((p, i) => (typeof p === 'number' ? `[${p}]`
    : /^[A-Za-z_$][\w$-]*$/.test(String(p)) ? `${i ? '.' : ''}${String(p)}` : `[${JSON.stringify(String(p))}]`)).join('');
}

/** zod's message, with the kind of value actually found (never the value: it may be large). */
function describe(issue: z.core.$ZodIssue, doc: unknown): string {
  if (issue.code !== 'invalid_type') return issue.message;
  const found = valueAt(doc, issue.path);
  const expected = issue.expected === 'record' ? 'an object' : issue.expected;
  return found === undefined ? `missing (expected ${expected})` : `expected ${expected}, got ${kindOf(found.value)}`;
}

function valueAt(doc: unknown, parts: readonly PropertyKey[]): { value: unknown } | undefined {
  let value = doc;
  for (const p of parts) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, p)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[p];
  }
  return { value };
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `a string`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the number ${value}` : 'a fractional number';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
