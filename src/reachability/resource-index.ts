import type { StateResource } from '../state/resources';

/**
 * One resource as both readers see it: from a synthesized `cdk.tf.json` (attributes are the
 * configuration, references are `${type.name.attr}` strings) or from Terraform state
 * (attributes are the stored values, references are resolved ids and self links).
 */
export type TfResource = StateResource;

/** `${aws_security_group.web_sg_1234.id}` and `${data.aws_instances.x.ids}`: one whole reference. */
const REFERENCE = /^\$\{(data\.)?([A-Za-z0-9_]+)\.([^.\s}[\]]+)(?:\[[^\]]*\])?\.[^}]*\}$/;

/**
 * Answers "which resource does this attribute point at" for both forms, so the per-cloud
 * extractors are written once: a synthesized reference is looked up by address, a state value
 * by the identifying attributes of resources of the expected type (id, name, self link, ARN).
 * Indexes are built per type on first use: a reader touches a dozen types of the hundreds a
 * stack may hold.
 */
export class ResourceIndex {
  private readonly byType = new Map<string, TfResource[]>();
  private readonly byAddress = new Map<string, TfResource>();
  private readonly byKey = new Map<string, Map<string, TfResource>>();

  constructor(resources: readonly TfResource[]) {
    for (const r of resources) {
      const typeKey = `${r.mode}:${r.type}`;
      let list = this.byType.get(typeKey);
      if (!list) this.byType.set(typeKey, (list = []));
      list.push(r);
      // Synthesized resources have no count/for_each here (cdktf unrolls them), so the
      // address is unique; for state the first instance stands for the resource.
      const address = `${r.mode}:${r.type}.${r.name}`;
      if (!this.byAddress.has(address)) this.byAddress.set(address, r);
    }
  }

  /** Every resource (or, with `mode: 'data'`, data source) of a type. */
  public all(type: string, mode: 'managed' | 'data' = 'managed'): readonly TfResource[] {
    return this.byType.get(`${mode}:${type}`) ?? [];
  }

  /**
   * The resource of `type` that `ref` points at, or `undefined` (a literal id of something
   * outside the stack, a token this reader cannot follow, or nothing at all).
   */
  public resolve(ref: unknown, type: string, mode: 'managed' | 'data' = 'managed'): TfResource | undefined {
    if (typeof ref !== 'string' || ref === '') return undefined;
    const m = REFERENCE.exec(ref);
    if (m) {
      const refMode = m[1] ? 'data' : 'managed';
      return refMode === mode && m[2] === type ? this.byAddress.get(`${mode}:${type}.${m[3]}`) : undefined;
    }
    return this.keysOf(type, mode).get(normalizeRef(ref));
  }

  /** True when `value` is a whole `${...}` reference (known only at deploy time). */
  public static isReference(value: unknown): boolean {
    return typeof value === 'string' && value.includes('${');
  }

  private keysOf(type: string, mode: 'managed' | 'data'): Map<string, TfResource> {
    const typeKey = `${mode}:${type}`;
    let keys = this.byKey.get(typeKey);
    if (keys) return keys;
    keys = new Map();
    for (const r of this.all(type, mode)) {
      for (const attr of ['id', 'name', 'self_link', 'self_link_unique', 'arn']) {
        const value = r.attributes[attr];
        if (typeof value === 'string' && value !== '' && !keys.has(normalizeRef(value))) keys.set(normalizeRef(value), r);
      }
    }
    this.byKey.set(typeKey, keys);
    return keys;
  }
}

/**
 * Google names one object as `projects/p/global/networks/n`, as a full self link, or as a self
 * link with `?uniqueId=...`; compare them in the short form. AWS ids pass through unchanged.
 */
export function normalizeRef(ref: string): string {
  return ref.replace(/^https:\/\/(www|compute)\.googleapis\.com\/compute\/(v1|beta)\//, '').replace(/\?.*$/, '');
}

/** The Terraform address of a resource: `aws_x.name`, `aws_x.name[0]`, `data.aws_y.name`. */
export function addressOf(r: TfResource): string {
  const index = r.index === undefined || r.index === null ? '' : typeof r.index === 'number' ? `[${r.index}]` : `[${JSON.stringify(r.index)}]`;
  return `${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}${index}`;
}

/** A nested block as a list, however it was written: a list (state), one object (cdktf) or absent. */
export function blocks(value: unknown): any[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

/** Terraform booleans arrive as `true` or `"true"` (the AWS provider keeps some as strings). */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** A resource's tags: `tags`, or `tags_all` when the provider added default tags. */
export function tagOf(r: TfResource, key: string): string | undefined {
  const value = r.attributes.tags?.[key] ?? r.attributes.tags_all?.[key];
  return typeof value === 'string' ? value : undefined;
}
