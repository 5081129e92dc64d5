import { ButterError } from '../errors';
import { Reachability, fromSynthesized, TerraformJson } from '../reachability';
import type { Suppression } from './types';

/**
 * One resource or data source of a synthesized stack, as rules see it. `attributes` is the
 * configuration without cdktf's `//` metadata; everything in it may be missing, of an
 * unexpected type, or a `${...}` expression known only at deploy time.
 */
export interface CheckedResource {
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  /** `type.name`, or `data.type.name`. */
  readonly address: string;
  /** The configuration (it still holds cdktf's `//` metadata, which rules ignore). */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** The construct path cdktf records in `//.metadata.path`, when there is one. */
  readonly constructPath?: string;
  /** Suppressions recorded in `//.butter.suppressions` (by `Checks.suppress`). */
  readonly suppressions: readonly Suppression[];
  /** The Butter blueprint this resource was made from (`//.butter.blueprint`), if recorded. */
  readonly blueprintFile?: string;
}

/**
 * A synthesized stack indexed for rules: resources by type and by address, and (lazily) the
 * reachability analysis of it. Built from any Terraform JSON document, not only Butter's.
 */
export class CheckedStack {
  public readonly resources: readonly CheckedResource[];
  private readonly byType = new Map<string, CheckedResource[]>();
  private readonly byAddress = new Map<string, CheckedResource>();
  private reach: Reachability | null | undefined;

  constructor(public readonly name: string, public readonly config: TerraformJson) {
    const list: CheckedResource[] = [];
    for (const [mode, section] of [['managed', config.resource], ['data', config.data]] as const) {
      if (!isObject(section)) continue;
      for (const [type, byName] of Object.entries(section)) {
        if (!isObject(byName)) continue;
        for (const [name, body] of Object.entries(byName)) {
          const attrs = isObject(body) ? body : {};
          // The document's own object (no copy: a stack may hold tens of thousands); rules
          // never read cdktf's `//` metadata in it.
          const attributes = attrs as Record<string, unknown>;
          const meta = attributes['//'];
          const m = isObject(meta) ? meta : {};
          const butter = isObject(m.butter) ? m.butter : {};
          const path = isObject(m.metadata) && typeof m.metadata.path === 'string' ? m.metadata.path : undefined;
          const r: CheckedResource = {
            mode, type, name, attributes,
            address: mode === 'data' ? `data.${type}.${name}` : `${type}.${name}`,
            constructPath: path,
            suppressions: readSuppressions(butter.suppressions),
            blueprintFile: typeof butter.blueprint === 'string' ? butter.blueprint : undefined,
          };
          list.push(r);
          const key = `${mode}:${type}`;
          let forType = this.byType.get(key);
          if (!forType) this.byType.set(key, (forType = []));
          forType.push(r);
          this.byAddress.set(r.address, r);
        }
      }
    }
    this.resources = list;
  }

  /** A stack from its JSON text or parsed document; a clear error for anything else. */
  public static parse(name: string, input: string | unknown, file?: string): CheckedStack {
    let doc: unknown = input;
    if (typeof input === 'string') {
      try {
        doc = JSON.parse(input);
      } catch (e) {
        throw new ButterError('CHECK_INPUT_INVALID', `not valid JSON: ${(e as Error).message}`, {
          file, hint: 'pass a synthesized Terraform JSON file (cdktf.out/stacks/<stack>/cdk.tf.json)',
        });
      }
    }
    if (!isObject(doc)) {
      throw new ButterError('CHECK_INPUT_INVALID', 'a Terraform JSON document must be an object', {
        file, hint: 'pass a synthesized Terraform JSON file (cdktf.out/stacks/<stack>/cdk.tf.json)',
      });
    }
    const meta = (doc['//'] as any)?.metadata?.stackName;
    return new CheckedStack(typeof meta === 'string' && meta !== '' ? meta : name, doc as TerraformJson);
  }

  /** Every managed resource (or, with `mode: 'data'`, data source) of a type. */
  public all(type: string, mode: 'managed' | 'data' = 'managed'): readonly CheckedResource[] {
    return this.byType.get(`${mode}:${type}`) ?? [];
  }

  /** The resource a whole `${type.name.attr}` reference points at, if it is in this stack. */
  public resolve(ref: unknown, type?: string): CheckedResource | undefined {
    if (typeof ref !== 'string') return undefined;
    const m = /^\$\{(data\.)?([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?(?:\.[^}]*)?\}$/.exec(ref);
    if (!m || (type && m[2] !== type)) return undefined;
    return this.byAddress.get(`${m[1] ? 'data.' : ''}${m[2]}.${m[3]}`);
  }

  /**
   * The reachability analysis of this stack (Butter's networks and services), or `undefined`
   * when it cannot be built (a stack of resources Butter did not make may confuse it): rules
   * then judge resources one by one.
   */
  public get reachability(): Reachability | undefined {
    if (this.reach === undefined) {
      try {
        this.reach = new Reachability(fromSynthesized({ stack: this.name, config: this.config }));
      } catch {
        this.reach = null;
      }
    }
    return this.reach ?? undefined;
  }
}

function readSuppressions(value: unknown): Suppression[] {
  if (!Array.isArray(value)) return [];
  return value.filter((s): s is Suppression => isObject(s) && typeof s.id === 'string' && typeof s.reason === 'string' && s.reason.trim() !== '');
}

/** A plain object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A nested block as a list: Terraform JSON writes one block as an object or a list of them. */
export function blocks(v: unknown): Record<string, any>[] {
  if (Array.isArray(v)) return v.filter(isObject);
  return isObject(v) ? [v] : [];
}

/** True when the value is (or holds) an expression known only at deploy time. */
export function isExpression(v: unknown): boolean {
  return typeof v === 'string' && v.includes('${');
}

/** A literal boolean, from `true`/`"true"`; undefined when absent or an expression. */
export function boolOf(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && !isExpression(v)) {
    const t = v.trim().toLowerCase();
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
  }
  return undefined;
}
