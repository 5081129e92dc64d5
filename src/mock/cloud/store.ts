import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ButterError } from '../../errors';
import { readIfExists, writeFileAtomic } from '../../util/atomic-file';
import { isObjectValue, Json, JsonObject } from '../values/value';
import { Cloud } from './cloud';
import { documentProblems } from './document-schema';
import { startsWith } from './file-head';
import { acquireLock, LockOptions } from './file-lock';
import { CloudView, Draft } from './view';

/**
 * A provider's simulated cloud, kept in one JSON file that is never lost or half-written:
 *
 * - every change goes through {@link CloudStore.transaction}: take the lock, make sure the
 *   document is the file's latest, run the change, write the whole file atomically (fsync'd)
 *   before answering, release the lock;
 * - reads look at the file as it is now, so a long-lived process always sees what other processes
 *   committed, and never what is not yet on disk;
 * - a file that cannot be parsed, or is not of a mock cloud document's shape
 *   (document-schema.ts), is reported, never replaced, and nothing is read from it;
 * - every write also leaves a copy of the new document beside the file (`<file>.bak`, see
 *   {@link backupFile}): when the file is damaged, `butter mock restore` ({@link restoreBackup})
 *   puts back the last good version.
 *
 * Terraform starts a new plugin process for every phase, and several deploys may run at once; the
 * file, not any process's memory, is the truth. A process keeps the last version it read or wrote
 * in memory and parses the file again only when another process changed it: every write puts a
 * new random commit token in the file's first bytes, which a look at those bytes compares.
 */

/** The file's content. */
export interface CloudDocument {
  readonly format: typeof FORMAT;
  readonly provider: string;
  /** Bumped by every write (one write commits a batch of transactions). */
  serial: number;
  /**
   * Random, new with every write: the first bytes of the file (up to this field) tell a process
   * whether the file still holds the version it knows, without reading the rest.
   */
  commit?: string;
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
      hint: 'bring back the last good version with `butter mock restore` (the damaged file is kept aside), or fix the file; '
        + 'Butter never overwrites it, and deploys and plans stop until it can be read',
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

  /** The document as this process last read or wrote it, and how to tell it is still the file's. */
  private known?: Snapshot;
  private readonly queue: Array<QueuedTransaction<unknown>> = [];
  private draining?: Promise<void>;

  constructor(public readonly file: string, public readonly provider: string, private readonly lockOptions: LockOptions = {}) {}

  /** Run `fn` against the current state, read-only. */
  public read<T>(fn: (cloud: Cloud, pending: PendingCreates) => T): T {
    const view = new CloudView(this.current().doc);
    return fn(view, view.pending);
  }

  /**
   * Run `fn` against the latest state with the right to change it, holding the lock, and commit
   * its changes when it succeeds: resolves once they are on disk. Nothing is written when it
   * throws or `signal` was aborted before it returned (Terraform went away mid-request), as if the
   * request never reached the cloud. Transactions in one process run one after another; across
   * processes the lock file orders them.
   *
   * Transactions that arrive while others run are committed together (group commit): one lock,
   * one write and one fsync for the batch, each transaction still all-or-nothing on its own.
   */
  public transaction<T>(fn: (cloud: Cloud, pending: PendingCreates) => T | Promise<T>, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      this.queue.push(new QueuedTransaction(fn, signal, resolve, reject) as QueuedTransaction<unknown>);
      this.draining ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Requests Terraform sent together arrive in the same turn of the event loop: one batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) await this.commit(this.queue.splice(0));
    this.draining = undefined;
  }

  /** Run a batch of transactions under the lock and write their changes once. Never throws. */
  private async commit(batch: Array<QueuedTransaction<unknown>>): Promise<void> {
    let release: () => void;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      release = await acquireLock(`${this.file}.lock`, this.lockOptions);
    } catch (e) {
      for (const entry of batch) if (entry.state === 'queued') entry.reject(e);
      return;
    }
    try {
      const done: Array<[QueuedTransaction<unknown>, unknown]> = [];
      let base: CloudDocument;
      try {
        base = this.current().doc;
      } catch (e) {
        for (const entry of batch) if (entry.state === 'queued') entry.reject(e);
        return;
      }
      let doc = base;
      for (const entry of batch) {
        if (entry.state !== 'queued') continue; // aborted while waiting for the lock
        entry.state = 'running';
        const draft = new Draft(doc);
        try {
          const view = new CloudView(draft);
          const result = await entry.fn(view, view.pending);
          entry.signal?.throwIfAborted();
          if (draft.dirty) doc = draft.doc;
          done.push([entry, result]);
        } catch (e) {
          entry.reject(e);
        }
      }
      if (doc !== base) {
        try {
          this.write(doc);
        } catch (e) {
          for (const [entry] of done) entry.reject(e);
          return;
        }
      }
      for (const [entry, result] of done) entry.resolve(result);
    } finally {
      release();
    }
  }

  /**
   * Write `doc` (a draft no one else holds) as the new file content, with a new commit token.
   * Synchronously, blocking the event loop for the millisecond or two a write and its fsyncs take:
   * the same steps as asynchronous calls, each a round trip through libuv's thread pool while
   * Terraform keeps both cores busy, took about 5 ms per write instead of 1.2 (median, measured
   * in a deploy of the aws-haproxy example) for no gain in total deploy time.
   */
  private write(doc: CloudDocument): void {
    doc.serial += 1;
    doc.commit = randomBytes(8).toString('hex');
    const { head, text } = serialize(doc);
    try {
      writeFileAtomic(this.file, text);
      this.known = { doc, proof: { head } };
      writeBackup(this.file, text);
    } catch (e) {
      this.known = undefined; // the file may hold either version: read it again
      throw e;
    }
  }

  /**
   * The state as in the file now. The file is parsed only when it is not a version this process
   * knows, which it tells from the first bytes: every write puts a new random commit token there.
   */
  private current(): Snapshot {
    if (this.known && this.holds(this.known)) return this.known;
    this.known = this.load();
    return this.known;
  }

  private holds(snapshot: Snapshot): boolean {
    const proof = snapshot.proof;
    if ('head' in proof) return startsWith(this.file, proof.head);
    if ('text' in proof) return readIfExists(this.file) === proof.text;
    return !fs.existsSync(this.file);
  }

  private load(): Snapshot {
    const text = readIfExists(this.file);
    if (text === undefined) return { doc: { format: FORMAT, provider: this.provider, serial: 0, sequence: 0, objects: {} }, proof: { missing: true } };
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new CloudStateError(this.file, `not valid JSON (${(e as Error).message})`);
    }
    const loaded = checkDocument(this.file, doc, this.provider);
    // A file an older version wrote has no backup yet: it is good, keep it.
    if (!fs.existsSync(backupFile(this.file))) writeBackup(this.file, text);
    // A file this version wrote is recognised by its head; an older one (no commit token) by its text.
    const head = typeof loaded.commit === 'string' ? headOf(loaded) : undefined;
    return { doc: loaded, proof: head !== undefined && text.startsWith(head) ? { head } : { text } };
  }
}

/** `doc` (parsed from `file`) as a document of `provider`'s cloud, or a CloudStateError naming what is wrong. */
function checkDocument(file: string, doc: unknown, provider: string): CloudDocument {
  if (!isObjectValue(doc) || doc.format !== FORMAT) throw new CloudStateError(file, `not a ${FORMAT} document`);
  if (doc.provider !== provider) throw new CloudStateError(file, `it belongs to provider "${String(doc.provider)}"`);
  const problems = documentProblems(doc);
  if (problems.length > 0) throw new CloudStateError(file, `not a mock cloud record of the right shape: ${problems.join('; ')}`);
  return doc as unknown as CloudDocument;
}

/** Where the last good version of the document in `file` is kept. */
export function backupFile(file: string): string {
  return `${file}.bak`;
}

/**
 * Keep `text` (a document just written or read and checked) as the backup. Not fsync'd: the
 * state file itself is, and a backup that a power cut left short is refused when restored.
 * Best effort: a backup that cannot be written never fails the change it copies.
 */
function writeBackup(file: string, text: string): void {
  const temp = `${backupFile(file)}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, backupFile(file));
  } catch {
    fs.rmSync(temp, { force: true });
  }
}

/** What {@link restoreBackup} did for one provider's file. */
export interface RestoreOutcome {
  readonly provider: string;
  readonly file: string;
  /** `restored`: the backup is the file now; `readable`: the file was fine, nothing done. */
  readonly action: 'restored' | 'readable';
  /** Where the damaged file was moved (kept, never deleted), when there was one. */
  readonly keptAside?: string;
  /** Objects in the restored document. */
  readonly objects?: number;
}

/**
 * Put back the last good document of `provider`'s cloud in `dir` from its backup, when the file
 * cannot be read (or is missing while a backup exists). Holds the cloud's lock, as every change
 * does. The damaged file is moved aside (`<file>.damaged-<time>`), never deleted. A backup that
 * is itself unreadable is refused with what is wrong with it.
 */
export async function restoreBackup(provider: string, dir: string, lockOptions: LockOptions = {}): Promise<RestoreOutcome> {
  const store = CloudStore.forProvider(provider, dir);
  const file = store.file;
  const release = await acquireLock(`${file}.lock`, { timeoutMs: 10_000, ...lockOptions });
  try {
    if (fs.existsSync(file)) {
      try {
        store.read(() => undefined);
        return { provider, file, action: 'readable' };
      } catch (e) {
        if (!(e instanceof CloudStateError)) throw e;
      }
    }
    const bak = backupFile(file);
    const text = readIfExists(bak);
    if (text === undefined) {
      throw new ButterError('MOCK_BACKUP_MISSING', `there is no backup of the mock cloud state ${file}`, {
        file: bak, hint: 'fix the state file by hand, or `butter mock reset --force` to start with an empty mock cloud',
      });
    }
    let doc: CloudDocument;
    try {
      doc = checkDocument(bak, JSON.parse(text), provider);
    } catch (e) {
      const problem = e instanceof CloudStateError ? e.problem : `not valid JSON (${(e as Error).message})`;
      throw new ButterError('MOCK_BACKUP_UNREADABLE', `the backup cannot be restored either: ${problem}`, {
        file: bak, hint: 'fix one of the two files by hand, or `butter mock reset --force` to start with an empty mock cloud',
      });
    }
    let keptAside: string | undefined;
    if (fs.existsSync(file)) {
      keptAside = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      fs.renameSync(file, keptAside);
    }
    writeFileAtomic(file, text);
    const objects = Object.values(doc.objects).reduce((n, ids) => n + Object.keys(ids).length, 0);
    return { provider, file, action: 'restored', keptAside, objects };
  } finally {
    release();
  }
}

/**
 * Providers with a state file or a backup in `dir` (`aws.json`, `aws.json.bak`), sorted: what
 * `butter mock restore` looks at.
 */
export function providersInStateDir(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const providers = names.map((n) => /^([a-z0-9_-]+)\.json(?:\.bak)?$/.exec(n)?.[1]).filter((p): p is string => p !== undefined);
  return [...new Set(providers)].sort();
}

/**
 * Throw the CloudStateError of the first provider's state in `dir` that cannot be read: a deploy
 * or plan checks this before Terraform runs, so it fails with this message instead of one
 * diagnostic per resource (and never plans on what a damaged record seems to say).
 */
export function assertCloudStateReadable(dir: string): void {
  for (const provider of providersInStateDir(dir)) {
    const store = CloudStore.forProvider(provider, dir);
    if (fs.existsSync(store.file)) store.read(() => undefined);
  }
}

/** A version of the document, and how to tell the file still holds it. */
interface Snapshot {
  readonly doc: CloudDocument;
  readonly proof: { readonly head: string } | { readonly text: string } | { readonly missing: true };
}

/** A transaction waiting for, or in, its batch. */
class QueuedTransaction<T> {
  public state: 'queued' | 'running' | 'settled' = 'queued';
  // Aborted while still waiting its turn: give up at once; once running, `fn` sees the signal.
  private readonly onAbort = (): void => {
    if (this.state === 'queued') this.reject(this.signal?.reason);
  };

  constructor(public readonly fn: (cloud: Cloud, pending: PendingCreates) => T | Promise<T>, public readonly signal: AbortSignal | undefined,
    private readonly onResolve: (value: T) => void, private readonly onReject: (e: unknown) => void) {
    signal?.addEventListener('abort', this.onAbort);
  }

  public resolve(value: T): void {
    this.settle();
    this.onResolve(value);
  }

  public reject(e: unknown): void {
    this.settle();
    this.onReject(e);
  }

  private settle(): void {
    this.state = 'settled';
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}

/**
 * The file's text: compact JSON, and its head: the fields up to the commit token, which identify
 * this version. The whole file is rewritten on every commit, so its text is assembled from pieces
 * cached by identity: a committed object, and a committed kind's id map, never change (view.ts
 * copies a map before changing it), so only what a commit touched is serialized again.
 */
function serialize(doc: CloudDocument): { head: string; text: string } {
  const head = headOf(doc);
  const pending = doc.pendingCreates ? `,"pendingCreates":${mapJson(doc.pendingCreates)}` : '';
  const objects = Object.keys(doc.objects).map((kind) => `${JSON.stringify(kind)}:${mapJson(doc.objects[kind])}`);
  return { head, text: `${head}"sequence":${doc.sequence},"objects":{${objects.join(',')}}${pending}}\n` };
}

const jsonTexts = new WeakMap<object, string>();

/** JSON of an id map of immutable objects, e.g. `{"vpc-1":{...},"vpc-2":{...}}`. */
function mapJson(map: { readonly [id: string]: object }): string {
  let text = jsonTexts.get(map);
  if (text === undefined) {
    text = `{${Object.keys(map).map((id) => `${JSON.stringify(id)}:${objectJson(map[id])}`).join(',')}}`;
    jsonTexts.set(map, text);
  }
  return text;
}

function objectJson(object: object): string {
  let text = jsonTexts.get(object);
  if (text === undefined) {
    text = JSON.stringify(object);
    jsonTexts.set(object, text);
  }
  return text;
}

function headOf(doc: CloudDocument): string {
  return `{"format":${JSON.stringify(FORMAT)},"provider":${JSON.stringify(doc.provider)},"serial":${doc.serial},"commit":${JSON.stringify(doc.commit)},`;
}
