import { isUnknown } from '../values/unknown';
import { isObjectValue, Json, JsonObject, ObjectValue, setKey } from '../values/value';
import { Cloud } from './cloud';
import { awsStyleId, numericId } from './ids';
import type { CloudDocument, PendingCreate, PendingCreates } from './store';

/**
 * The {@link Cloud} API over a {@link CloudDocument}, and the copy-on-write drafts transactions
 * change.
 *
 * Documents are never changed in place once committed: a read may hold one while a transaction
 * builds the next, and a transaction that fails must leave no trace. So a transaction works on a
 * {@link Draft}, which shares every object with the document it started from and copies only the
 * maps it changes (one kind's id map, the journal). Stored objects themselves are immutable:
 * `put` stores a fresh copy and every read hands out a copy.
 */

/** A transaction's private version of a document. */
export class Draft {
  /** The draft document; becomes the committed one when the transaction succeeds. */
  public readonly doc: CloudDocument;
  /** True once anything changed. */
  public dirty = false;
  /** Maps this draft copied (or made); the others are still shared with the base document. */
  private readonly ownKinds = new Set<string>();
  private ownPending = false;

  constructor(base: CloudDocument) {
    this.doc = { ...base, objects: { ...base.objects } };
  }

  /** The id map of `kind`, copied the first time this draft changes it. */
  public kindForWrite(kind: string): { [id: string]: JsonObject } {
    // Once copied the map is this draft's own, but `delete` drops a kind's map when it empties.
    if (!this.ownKinds.has(kind) || !hasOwn(this.doc.objects, kind)) {
      const copy: { [id: string]: JsonObject } = {};
      const current = hasOwn(this.doc.objects, kind) ? this.doc.objects[kind] : {};
      for (const id of Object.keys(current)) setKey(copy, id, current[id]);
      setKey(this.doc.objects, kind, copy);
      this.ownKinds.add(kind);
    }
    this.dirty = true;
    return this.doc.objects[kind];
  }

  /** The create journal, copied the first time this draft changes it. */
  public pendingForWrite(): { [key: string]: PendingCreate } {
    if (!this.ownPending || this.doc.pendingCreates === undefined) {
      const copy: { [key: string]: PendingCreate } = {};
      const current = this.doc.pendingCreates ?? {};
      for (const key of Object.keys(current)) setKey(copy, key, current[key]);
      this.doc.pendingCreates = copy;
      this.ownPending = true;
    }
    this.dirty = true;
    return this.doc.pendingCreates!;
  }

  /** The next value of the id counter. */
  public advance(): number {
    this.dirty = true;
    return ++this.doc.sequence;
  }
}

/** A read-only view of a committed document, or a writable view of a draft. */
export class CloudView implements Cloud {
  public readonly pending: PendingCreates;
  private readonly doc: CloudDocument;
  private readonly draft: Draft | undefined;

  constructor(source: CloudDocument | Draft) {
    this.draft = source instanceof Draft ? source : undefined;
    this.doc = source instanceof Draft ? source.doc : source;
    this.pending = new PendingView(this.doc, this.draft);
  }

  public get writable(): boolean {
    return this.draft !== undefined;
  }

  public get provider(): string {
    return this.doc.provider;
  }

  public get<T extends JsonObject = JsonObject>(kind: string, id: string): T | undefined {
    const objects = this.kindMap(kind);
    const object = objects && hasOwn(objects, id) ? objects[id] : undefined;
    return object === undefined ? undefined : (copyJson(object, `${kind}/${id}`) as T);
  }

  public list<T extends JsonObject = JsonObject>(kind: string, filter?: Partial<NoInfer<T>> | ((object: NoInfer<T>, id: string) => boolean)): T[] {
    const objects = this.kindMap(kind) ?? {};
    const matches = typeof filter === 'function' ? filter
      : filter ? (o: T) => Object.entries(filter).every(([k, v]) => JSON.stringify(o[k]) === JSON.stringify(v))
        : () => true;
    return Object.keys(objects).sort()
      .map((id) => [id, copyJson(objects[id], `${kind}/${id}`) as T] as const)
      .filter(([id, o]) => matches(o, id))
      .map(([, o]) => o);
  }

  public put<T extends JsonObject>(kind: string, id: string, value: T | ObjectValue): T {
    const draft = this.mustWrite('put');
    const stored = copyJson(value, `${kind}/${id}`) as JsonObject;
    setKey(draft.kindForWrite(kind), id, stored);
    return copyJson(stored, `${kind}/${id}`) as T;
  }

  public delete(kind: string, id: string): boolean {
    const draft = this.mustWrite('delete');
    const current = this.kindMap(kind);
    if (!current || !hasOwn(current, id)) return false;
    const objects = draft.kindForWrite(kind);
    delete objects[id];
    if (Object.keys(objects).length === 0) delete this.doc.objects[kind];
    return true;
  }

  public nextId(prefix: string): string {
    return awsStyleId(prefix, this.doc.provider, this.mustWrite('nextId').advance());
  }

  public nextNumericId(): string {
    return numericId(this.doc.provider, this.mustWrite('nextId').advance());
  }

  private kindMap(kind: string): { [id: string]: JsonObject } | undefined {
    return hasOwn(this.doc.objects, kind) ? this.doc.objects[kind] : undefined;
  }

  private mustWrite(operation: string): Draft {
    if (!this.draft) {
      throw new Error(`cloud.${operation}() during plan, read or import: the mock cloud only changes during apply`);
    }
    return this.draft;
  }
}

/** {@link PendingCreates} over a document's `pendingCreates`. */
class PendingView implements PendingCreates {
  constructor(private readonly doc: CloudDocument, private readonly draft: Draft | undefined) {}

  public has(key: string): boolean {
    const all = this.doc.pendingCreates;
    return all !== undefined && hasOwn(all, key);
  }

  public get(key: string): PendingCreate | undefined {
    return this.has(key) ? (copyJson(this.doc.pendingCreates![key], `pending create ${key}`) as unknown as PendingCreate) : undefined;
  }

  public find(filter: (entry: PendingCreate, key: string) => boolean): Array<[string, PendingCreate]> {
    const all = this.doc.pendingCreates ?? {};
    return Object.keys(all).filter((key) => filter(all[key], key)).map((key) => [key, this.get(key)!]);
  }

  public add(key: string, entry: PendingCreate): void {
    const stored = copyJson(entry, `pending create ${key}`) as unknown as PendingCreate;
    const all = this.mustWrite().pendingForWrite();
    delete all[key]; // re-adding moves the entry to the end: entries stay oldest first
    setKey(all, key, stored);
  }

  public remove(key: string): boolean {
    const draft = this.mustWrite();
    if (!this.has(key)) return false;
    const all = draft.pendingForWrite();
    delete all[key];
    if (Object.keys(all).length === 0) delete this.doc.pendingCreates;
    return true;
  }

  private mustWrite(): Draft {
    if (!this.draft) throw new Error('the create journal only changes in a transaction');
    return this.draft;
  }
}

function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/**
 * A deep copy that must be plain JSON: an unknown (or a function, undefined, NaN) has no place in
 * the cloud, and catching it here names the object rather than corrupting the file.
 */
export function copyJson(value: unknown, where: string): Json {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${where}: cannot store the number ${value}`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => copyJson(v, `${where}[${i}]`));
  if (isObjectValue(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) setKey(out, k, copyJson(v, `${where}.${k}`));
    }
    return out;
  }
  const what = isUnknown(value) ? 'an unknown value (resolve it first)' : value === undefined ? 'undefined' : typeof value;
  throw new Error(`${where}: cannot store ${what}; the cloud holds JSON data only`);
}
