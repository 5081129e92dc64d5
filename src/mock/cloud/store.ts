import * as fs from 'node:fs';
import * as path from 'node:path';
import { ButterError } from '../../errors';
import { isUnknown } from '../values/unknown';
import { isObjectValue, Json, JsonObject, ObjectValue, setKey } from '../values/value';
import { writeFileAtomic } from '../../util/atomic-file';
import { Cloud } from './cloud';
import { acquireLock, LockOptions } from './file-lock';
import { awsStyleId, numericId } from './ids';

/**
 * A provider's simulated cloud, kept in one JSON file that is never lost or half-written:
 *
 * - every change goes through {@link CloudStore.transaction}: take the lock, read the file afresh,
 *   run the change, write the whole file atomically, release the lock;
 * - reads look at the file as it is now (re-read whenever it changed since the last look), so a
 *   long-lived process always sees what other processes committed;
 * - a file that cannot be parsed is reported, never replaced.
 *
 * Terraform starts a new plugin process for every phase, and several deploys may run at once; the
 * file, not any process's memory, is the truth.
 */

/** The file's content. */
export interface CloudDocument {
  readonly format: typeof FORMAT;
  readonly provider: string;
  /** Bumped by every committed change. */
  serial: number;
  /** Counter behind generated ids. */
  sequence: number;
  /** kind → id → object. */
  objects: { [kind: string]: { [id: string]: JsonObject } };
  /**
   * Creates Terraform may not know about yet (see {@link PendingCreates}), by key; absent when
   * there are none. Not part of the simulated cloud: `Cloud` never shows it.
   */
  pendingCreates?: { [key: string]: PendingCreate };
}

/**
 * A journal entry written in the same transaction as a create: the object exists in the cloud, but
 * until Terraform shows it knows the object (by refreshing, updating or deleting it), Terraform
 * may have died before saving it in its state. The framework uses these to adopt such orphans.
 */
export interface PendingCreate {
  /** The resource type, e.g. `aws_vpc`. */
  readonly type: string;
  /** What Terraform asked for (see framework/journal.ts). */
  readonly fingerprint: string;
  /** The provider session (one per Terraform run) that created it. */
  readonly session: string;
  /**
   * What the cloud decided: the values of the state returned to Terraform that were unknown in
   * the plan (framework/merge.ts `unknownParts`); the fingerprint stands for the rest.
   */
  readonly decided: Json;
}

/** The journal of unconfirmed creates, as the framework sees it inside a read or transaction. */
export interface PendingCreates {
  /** Whether there is an entry under `key`. */
  has(key: string): boolean;
  /** The entry under `key`, or undefined. */
  get(key: string): PendingCreate | undefined;
  /** The entries `filter` accepts (it sees them uncopied: do not change them), oldest first. */
  find(filter: (entry: PendingCreate, key: string) => boolean): Array<[key: string, entry: PendingCreate]>;
  /** Record an entry (transactions only). */
  add(key: string, entry: PendingCreate): void;
  /** Drop an entry; false if there was none (transactions only). */
  remove(key: string): boolean;
}

const FORMAT = 'butter-mock-cloud/1';

/** The state file exists but is not a mock cloud state Butter can read. */
export class CloudStateError extends ButterError {
  constructor(file: string, problem: string) {
    super('MOCK_STATE_UNREADABLE', `the mock cloud state cannot be read: ${problem}`, {
      file,
      hint: 'fix the file, or move it away (that forgets everything in this mock cloud); Butter never overwrites it',
    });
    this.name = 'CloudStateError';
  }
}

/**
 * The folder holding mock cloud state: `$BUTTER_MOCK_STATE_DIR`, else `.butter/mock-cloud` in the
 * current directory.
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.BUTTER_MOCK_STATE_DIR || path.join(process.cwd(), '.butter', 'mock-cloud');
}

/** One provider's simulated cloud on disk. */
export class CloudStore {
  /** The store for `provider` in `dir` (file `<dir>/<provider>.json`). */
  public static forProvider(provider: string, dir: string = defaultStateDir()): CloudStore {
    return new CloudStore(path.join(path.resolve(dir), `${provider}.json`), provider);
  }

  private cached?: { readonly stamp: string; readonly doc: CloudDocument };
  private queue: Promise<unknown> = Promise.resolve();

  constructor(public readonly file: string, public readonly provider: string, private readonly lockOptions: LockOptions = {}) {}

  /** Run `fn` against the current state, read-only. */
  public read<T>(fn: (cloud: Cloud, pending: PendingCreates) => T): T {
    const view = new CloudView(this.current(), false);
    return fn(view, view.pending);
  }

  /**
   * Run `fn` against the latest state with the right to change it, holding the lock, and commit
   * its changes when it succeeds. Nothing is written when it throws or `signal` was aborted
   * (Terraform went away mid-request), as if the request never reached the cloud. Transactions in
   * one process run one after another; across processes the lock file orders them.
   */
  public transaction<T>(fn: (cloud: Cloud, pending: PendingCreates) => T | Promise<T>, signal?: AbortSignal): Promise<T> {
    const run = async (): Promise<T> => {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const release = await acquireLock(`${this.file}.lock`, { ...this.lockOptions, signal });
      try {
        const doc = this.load();
        const view = new CloudView(doc, true);
        const result = await fn(view, view.pending);
        signal?.throwIfAborted();
        if (view.dirty) {
          doc.serial += 1;
          writeFileAtomic(this.file, `${JSON.stringify(doc, null, 2)}\n`);
          this.cached = undefined;
        }
        return result;
      } finally {
        release();
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The state as on disk now, re-read only when the file changed since the last call. */
  private current(): CloudDocument {
    const stamp = fileStamp(this.file);
    if (this.cached?.stamp !== stamp) this.cached = { stamp, doc: this.load() };
    return this.cached.doc;
  }

  private load(): CloudDocument {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { format: FORMAT, provider: this.provider, serial: 0, sequence: 0, objects: {} };
      throw e;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new CloudStateError(this.file, `not valid JSON (${(e as Error).message})`);
    }
    if (!isObjectValue(doc) || doc.format !== FORMAT || !isObjectValue(doc.objects)) {
      throw new CloudStateError(this.file, `not a ${FORMAT} document`);
    }
    if (doc.provider !== this.provider) throw new CloudStateError(this.file, `it belongs to provider "${String(doc.provider)}"`);
    return doc as unknown as CloudDocument;
  }
}

/** Identifies a version of a file: a rename gives a new inode, a write a new mtime or size. */
function fileStamp(file: string): string {
  try {
    const s = fs.statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** The {@link Cloud} API over a document. */
class CloudView implements Cloud {
  public dirty = false;
  public readonly pending: PendingCreates;

  constructor(private readonly doc: CloudDocument, public readonly writable: boolean) {
    this.pending = new PendingView(doc, this);
  }

  public get provider(): string {
    return this.doc.provider;
  }

  public get<T extends JsonObject = JsonObject>(kind: string, id: string): T | undefined {
    const object = this.kindMap(kind)?.[id];
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
    this.mustWrite('put');
    const stored = copyJson(value, `${kind}/${id}`) as JsonObject;
    (this.doc.objects[kind] ??= {})[id] = stored;
    this.dirty = true;
    return copyJson(stored, `${kind}/${id}`) as T;
  }

  public delete(kind: string, id: string): boolean {
    this.mustWrite('delete');
    const objects = this.kindMap(kind);
    if (!objects || !(id in objects)) return false;
    delete objects[id];
    if (Object.keys(objects).length === 0) delete this.doc.objects[kind];
    this.dirty = true;
    return true;
  }

  public nextId(prefix: string): string {
    return awsStyleId(prefix, this.doc.provider, this.advance());
  }

  public nextNumericId(): string {
    return numericId(this.doc.provider, this.advance());
  }

  private advance(): number {
    this.mustWrite('nextId');
    this.dirty = true;
    return ++this.doc.sequence;
  }

  private kindMap(kind: string): { [id: string]: JsonObject } | undefined {
    return Object.prototype.hasOwnProperty.call(this.doc.objects, kind) ? this.doc.objects[kind] : undefined;
  }

  private mustWrite(operation: string): void {
    if (!this.writable) {
      throw new Error(`cloud.${operation}() during plan, read or import: the mock cloud only changes during apply`);
    }
  }
}

/** {@link PendingCreates} over a document's `pendingCreates`, sharing its view's dirty flag. */
class PendingView implements PendingCreates {
  constructor(private readonly doc: CloudDocument, private readonly view: CloudView) {}

  public has(key: string): boolean {
    const all = this.doc.pendingCreates;
    return all !== undefined && Object.prototype.hasOwnProperty.call(all, key);
  }

  public get(key: string): PendingCreate | undefined {
    return this.has(key) ? (copyJson(this.doc.pendingCreates![key], `pending create ${key}`) as unknown as PendingCreate) : undefined;
  }

  public find(filter: (entry: PendingCreate, key: string) => boolean): Array<[string, PendingCreate]> {
    const all = this.doc.pendingCreates ?? {};
    return Object.keys(all).filter((key) => filter(all[key], key)).map((key) => [key, this.get(key)!]);
  }

  public add(key: string, entry: PendingCreate): void {
    this.mustWrite();
    const stored = copyJson(entry, `pending create ${key}`) as unknown as PendingCreate;
    const all = (this.doc.pendingCreates ??= {});
    delete all[key]; // re-adding moves the entry to the end: entries stay oldest first
    setKey(all, key, stored);
    this.view.dirty = true;
  }

  public remove(key: string): boolean {
    this.mustWrite();
    const all = this.doc.pendingCreates;
    if (!all || !Object.prototype.hasOwnProperty.call(all, key)) return false;
    delete all[key];
    if (Object.keys(all).length === 0) delete this.doc.pendingCreates;
    this.view.dirty = true;
    return true;
  }

  private mustWrite(): void {
    if (!this.view.writable) throw new Error('the create journal only changes in a transaction');
  }
}

/**
 * A deep copy that must be plain JSON: an unknown (or a function, undefined, NaN) has no place in
 * the cloud, and catching it here names the object rather than corrupting the file.
 */
function copyJson(value: unknown, where: string): Json {
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
