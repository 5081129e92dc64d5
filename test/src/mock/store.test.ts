import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudStateError, CloudStore } from '../../../src/mock/cloud/store';
import { acquireLock, LockTimeoutError, readLock } from '../../../src/mock/cloud/file-lock';
import { scratch } from './helpers/terraform';
import { UNKNOWN } from '../../../src/mock';

/** The mock cloud's state on disk: atomic, locked, never silently lost. */
describe('cloud store', () => {
  const { dir, cleanup } = scratch('store');
  afterAll(cleanup);
  let n = 0;
  const fresh = (): CloudStore => CloudStore.forProvider('aws', path.join(dir, `s${n++}`));

  test('a transaction commits its changes as one atomic write; a read sees them', async () => {
    const store = fresh();
    expect(store.read((c) => c.list('vpc'))).toEqual([]);
    const id = await store.transaction((c) => {
      const vpcId = c.nextId('vpc');
      c.put('vpc', vpcId, { id: vpcId, cidr: '10.0.0.0/16' });
      return vpcId;
    });
    expect(id).toMatch(/^vpc-[0-9a-f]{17}$/);
    const doc = JSON.parse(fs.readFileSync(store.file, 'utf8'));
    expect(doc).toMatchObject({ format: 'butter-mock-cloud/1', provider: 'aws', serial: 1, sequence: 1 });
    expect(store.read((c) => c.get('vpc', id))).toEqual({ id, cidr: '10.0.0.0/16' });
    expect(fs.readdirSync(path.dirname(store.file)).sort()).toEqual(['aws.json', 'aws.json.bak']); // the backup; no temp or lock files left
  });

  test('another store on the same file (another process) sees committed changes at once', async () => {
    const a = fresh();
    const b = new CloudStore(a.file, 'aws');
    expect(b.read((c) => c.list('vpc'))).toEqual([]);
    await a.transaction((c) => c.put('vpc', 'v1', { id: 'v1' }));
    expect(b.read((c) => c.list('vpc'))).toEqual([{ id: 'v1' }]);
    await a.transaction((c) => c.delete('vpc', 'v1'));
    expect(b.read((c) => c.list('vpc'))).toEqual([]);
  });

  test('list filters by fields or predicate; objects are copies', async () => {
    const store = fresh();
    await store.transaction((c) => {
      c.put('subnet', 's2', { id: 's2', vpc: 'v1', tags: { a: '1' } });
      c.put('subnet', 's1', { id: 's1', vpc: 'v1', tags: { a: '2' } });
      c.put('subnet', 's3', { id: 's3', vpc: 'v2', tags: null });
    });
    store.read((c) => {
      expect(c.list('subnet', { vpc: 'v1' }).map((s) => s.id)).toEqual(['s1', 's2']);
      expect(c.list('subnet', { tags: { a: '1' } }).map((s) => s.id)).toEqual(['s2']);
      expect(c.list('subnet', (s, id) => id === 's3' || s.vpc === 'none').map((s) => s.id)).toEqual(['s3']);
      const s1 = c.get('subnet', 's1');
      if (s1) s1.vpc = 'changed';
      expect(c.get('subnet', 's1')?.vpc).toBe('v1');
    });
  });

  test('reads are read-only; failed transactions write nothing; unknowns cannot be stored', async () => {
    const store = fresh();
    expect(() => store.read((c) => c.put('vpc', 'v', { id: 'v' }))).toThrow('only changes during apply');
    await expect(store.transaction((c) => {
      c.put('vpc', 'v', { id: 'v' });
      throw new Error('nope');
    })).rejects.toThrow('nope');
    expect(fs.existsSync(store.file)).toBe(false);
    await expect(store.transaction((c) => c.put('vpc', 'v', { id: UNKNOWN } as never))).rejects.toThrow('vpc/v.id: cannot store an unknown value');
  });

  test('ids: AWS style and numeric, never repeated, reproducible for a fresh cloud', async () => {
    const ids = await fresh().transaction((c) => [c.nextId('subnet'), c.nextId('subnet'), c.nextNumericId()]);
    expect(ids[0]).toMatch(/^subnet-[0-9a-f]{17}$/);
    expect(ids[1]).not.toEqual(ids[0]);
    expect(ids[2]).toMatch(/^[1-9]\d{18}$/);
    expect(await fresh().transaction((c) => [c.nextId('subnet'), c.nextId('subnet'), c.nextNumericId()])).toEqual(ids);
  });

  test('a damaged state file is reported and never overwritten', async () => {
    const store = fresh();
    fs.mkdirSync(path.dirname(store.file), { recursive: true });
    fs.writeFileSync(store.file, '{"format": "butter-mock-cloud/1", "objects": {');
    expect(() => store.read((c) => c.list('vpc'))).toThrow(CloudStateError);
    await expect(store.transaction((c) => c.put('vpc', 'v', { id: 'v' }))).rejects.toThrow('Butter never overwrites it');
    expect(fs.readFileSync(store.file, 'utf8')).toBe('{"format": "butter-mock-cloud/1", "objects": {');
  });

  test('a lock left by a dead process is taken over; a live holder makes others wait', async () => {
    const lockFile = path.join(dir, 'test.lock');
    fs.writeFileSync(lockFile, JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), token: 'dead', since: 'then' }));
    const release = await acquireLock(lockFile, { timeoutMs: 1000 });
    expect(readLock(lockFile)?.pid).toBe(process.pid);
    const waiting = acquireLock(lockFile, { timeoutMs: 150 });
    await expect(waiting).rejects.toThrow(LockTimeoutError);
    await expect(acquireLock(lockFile, { timeoutMs: 150 })).rejects.toThrow(`held by pid ${process.pid}`);
    const later = acquireLock(lockFile, { timeoutMs: 2000 });
    setTimeout(release, 50);
    (await later)();
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  test('transactions arriving together share one write, each all-or-nothing, in order', async () => {
    const store = fresh();
    await store.transaction((c) => c.put('vpc', 'v0', { id: 'v0' }));
    const serial = JSON.parse(fs.readFileSync(store.file, 'utf8')).serial;
    const outcomes = await Promise.allSettled([
      store.transaction((c) => {
        c.put('vpc', 'a', { id: 'a' });
        return c.nextId('vpc');
      }),
      store.transaction((c) => {
        c.put('vpc', 'b', { id: 'b' });
        c.delete('vpc', 'v0');
        c.nextId('vpc');
        throw new Error('b fails');
      }),
      store.transaction((c) => {
        // Sees what the transaction before it in the batch committed, and nothing of the failed one.
        expect(c.list('vpc').map((v) => v.id)).toEqual(['a', 'v0']);
        c.put('vpc', 'c', { id: 'c' });
        return c.nextId('vpc');
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const ids = outcomes.map((o) => (o.status === 'fulfilled' ? o.value : undefined));
    expect(ids[2]).not.toEqual(ids[0]);
    const doc = JSON.parse(fs.readFileSync(store.file, 'utf8'));
    expect(doc.serial).toBe(serial + 1); // one write for the whole batch
    expect(doc.sequence).toBe(2); // the failed transaction's id was not consumed
    expect(store.read((c) => c.list('vpc').map((v) => v.id))).toEqual(['a', 'c', 'v0']);
  });

  test('a read never sees a change before it is on disk', async () => {
    const store = fresh();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = store.transaction(async (c) => {
      c.put('vpc', 'x', { id: 'x' });
      await gate;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fs.existsSync(`${store.file}.lock`)).toBe(true); // the transaction is running
    expect(store.read((c) => c.get('vpc', 'x'))).toBeUndefined();
    release();
    await running;
    expect(store.read((c) => c.get('vpc', 'x'))).toEqual({ id: 'x' });
  });

  test('a transaction aborted while waiting its turn fails at once and writes nothing', async () => {
    const store = fresh();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = store.transaction(async (c) => {
      c.put('vpc', 'first', { id: 'first' });
      await gate;
    });
    const controller = new AbortController();
    const second = store.transaction((c) => c.put('vpc', 'second', { id: 'second' }), controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort(new Error('Terraform went away'));
    await expect(second).rejects.toThrow('Terraform went away');
    release();
    await first;
    expect(store.read((c) => c.list('vpc').map((v) => v.id))).toEqual(['first']);
  });

  test('a change by another writer is seen even when the file keeps its inode, size and time', async () => {
    const a = fresh();
    const b = new CloudStore(a.file, 'aws');
    await a.transaction((c) => c.put('counter', 'c', { n: 1 }));
    const time = new Date('2030-01-01T00:00:00Z');
    fs.utimesSync(a.file, time, time);
    const before = fs.statSync(a.file);
    expect(b.read((c) => c.get('counter', 'c'))).toEqual({ n: 1 });
    // What another process's write looks like (a new commit token, a changed object), written in
    // place with the same length and time.
    const text = fs.readFileSync(a.file, 'utf8');
    const token = JSON.parse(text).commit as string;
    const changed = text.replace(token, token.replace(/./g, (ch) => (ch === '0' ? '1' : '0'))).replace('{"n":1}', '{"n":2}');
    expect(changed.length).toBe(text.length);
    fs.writeFileSync(a.file, changed);
    fs.utimesSync(a.file, time, time);
    expect(fs.statSync(a.file)).toMatchObject({ ino: before.ino, size: before.size, mtimeMs: before.mtimeMs });
    expect(b.read((c) => c.get('counter', 'c'))).toEqual({ n: 2 });
    await a.transaction((c) => c.put('counter', 'c', { n: (c.get<{ n: number }>('counter', 'c')?.n ?? 0) + 1 }));
    expect(b.read((c) => c.get('counter', 'c'))).toEqual({ n: 3 });
  });

  test('a file written by an earlier version (indented, no commit token) is read, followed and rewritten', async () => {
    const store = fresh();
    fs.mkdirSync(path.dirname(store.file), { recursive: true });
    const legacy = (n: number) => `${JSON.stringify({ format: 'butter-mock-cloud/1', provider: 'aws', serial: n, sequence: 0, objects: { counter: { c: { n } } } }, null, 2)}\n`;
    fs.writeFileSync(store.file, legacy(1));
    expect(store.read((c) => c.get('counter', 'c'))).toEqual({ n: 1 });
    fs.writeFileSync(store.file, legacy(2));
    expect(store.read((c) => c.get('counter', 'c'))).toEqual({ n: 2 });
    await store.transaction((c) => c.put('counter', 'c', { n: 3 }));
    const doc = JSON.parse(fs.readFileSync(store.file, 'utf8'));
    expect(doc).toMatchObject({ serial: 3, objects: { counter: { c: { n: 3 } } } });
    expect(typeof doc.commit).toBe('string');
  });

  test('transactions from several processes at once lose no update', async () => {
    const stateDir = path.join(dir, 'concurrent');
    const script = path.join(__dirname, 'fixtures', 'increment.ts');
    const run = (): Promise<void> => new Promise((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', script, stateDir, '25'], { cwd: path.resolve(__dirname, '../../..') },
        (e, _out, err) => (e ? reject(new Error(err)) : resolve()));
    });
    await Promise.all([run(), run(), run()]);
    const store = CloudStore.forProvider('counter', stateDir);
    expect(store.read((c) => c.get('counter', 'c'))).toEqual({ n: 75 });
  });
});
