import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { backupFile, CloudStateError, CloudStore, restoreBackup, assertCloudStateReadable } from '../../../src/mock/cloud/store';
import { documentProblems } from '../../../src/mock/cloud/document-schema';
import { scratch } from './helpers/terraform';

/**
 * The mock cloud's record of the wrong shape (the issue's `objects.subnet = "garbage"`,
 * `objects.vpc = null`) is refused like unparsable JSON, naming the file and the JSON paths of
 * what is wrong; the last good document is kept as `<file>.bak` and restored from it.
 */
describe('mock cloud record', () => {
  const { dir, cleanup } = scratch('record');
  afterAll(cleanup);
  let n = 0;
  /** A store holding one VPC and two subnets. */
  const deployed = async (): Promise<CloudStore> => {
    const store = CloudStore.forProvider('aws', path.join(dir, `r${n++}`));
    await store.transaction((c) => {
      c.put('vpc', 'vpc-1', { id: 'vpc-1' });
      c.put('subnet', 'subnet-1', { id: 'subnet-1' });
      c.put('subnet', 'subnet-2', { id: 'subnet-2' });
    });
    return store;
  };
  const damage = (store: CloudStore, change: (doc: any) => void): void => {
    const doc = JSON.parse(fs.readFileSync(store.file, 'utf8'));
    change(doc);
    fs.writeFileSync(store.file, JSON.stringify(doc));
  };

  test('a record of the wrong shape is refused on load, naming the file and each problem\'s JSON path; nothing is read or written', async () => {
    const store = await deployed();
    damage(store, (doc) => {
      doc.objects.subnet = 'garbage';
      doc.objects.vpc = null;
    });
    const damaged = fs.readFileSync(store.file, 'utf8');
    // Another process (a new plugin, `butter plan`): the store above knows the file by its head,
    // which a hand edit keeping the commit token does not change.
    const reader = new CloudStore(store.file, 'aws');
    let error: unknown;
    try {
      reader.read((c) => c.list('subnet'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CloudStateError);
    const message = (error as Error).message;
    expect(message).toContain(store.file);
    expect(message).toContain('objects.subnet: expected an object, got a string');
    expect(message).toContain('objects.vpc: expected an object, got null');
    expect(message).toContain('[MOCK_STATE_UNREADABLE]');
    expect(message).toContain('butter mock restore');
    expect(message).not.toContain('garbage'); // a value is never echoed (it may be large or secret)
    await expect(reader.transaction((c) => c.put('vpc', 'v', { id: 'v' }))).rejects.toThrow(CloudStateError);
    expect(fs.readFileSync(store.file, 'utf8')).toBe(damaged);
    expect(() => assertCloudStateReadable(path.dirname(store.file))).toThrow('objects.subnet');
  });

  test('each part of the frame is checked: counters, objects, the create journal; only the first few problems are listed', () => {
    const good = { format: 'butter-mock-cloud/1', provider: 'aws', serial: 3, sequence: 9, objects: { vpc: { 'vpc-1': { id: 'vpc-1' } } } };
    expect(documentProblems(good)).toEqual([]);
    expect(documentProblems({ ...good, serial: -1 })[0]).toMatch(/^serial: /);
    expect(documentProblems({ ...good, sequence: '9' })).toEqual(['sequence: expected number, got a string']);
    expect(documentProblems({ ...good, objects: [] })).toEqual(['objects: expected an object, got an array']);
    expect(documentProblems({ ...good, objects: { vpc: { 'vpc-1': [1] } } })).toEqual(['objects.vpc.vpc-1: expected an object, got an array']);
    expect(documentProblems({ ...good, pendingCreates: { 'aws_vpc/x': { type: 'aws_vpc' } } })[0]).toBe('pendingCreates["aws_vpc/x"].fingerprint: missing (expected string)');
    const many = documentProblems({ ...good, objects: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i])) });
    expect(many).toHaveLength(4);
    expect(many[3]).toBe('and 7 more');
  });

  test('hostile documents never crash the check (any JSON value, anywhere in the frame)', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.jsonValue(), (objects, pending) => {
      const problems = documentProblems({ format: 'butter-mock-cloud/1', provider: 'aws', serial: 0, sequence: 0, objects, pendingCreates: pending });
      expect(Array.isArray(problems)).toBe(true);
      expect(problems.length).toBeLessThanOrEqual(4);
    }), { numRuns: 300 });
    // A key like __proto__ is data, never a prototype.
    expect(documentProblems(JSON.parse('{"format":"butter-mock-cloud/1","provider":"aws","serial":0,"sequence":0,"objects":{"__proto__":{"x":{}}}}'))).toEqual([]);
  });

  test('every write keeps the new document as <file>.bak; restore brings it back and keeps the damaged file aside', async () => {
    const store = await deployed();
    const good = fs.readFileSync(store.file, 'utf8');
    expect(fs.readFileSync(backupFile(store.file), 'utf8')).toBe(good);
    damage(store, (doc) => {
      doc.objects.subnet = 'garbage';
    });
    const damaged = fs.readFileSync(store.file, 'utf8');

    const outcome = await restoreBackup('aws', path.dirname(store.file));
    expect(outcome).toMatchObject({ provider: 'aws', action: 'restored', objects: 3 });
    expect(fs.readFileSync(store.file, 'utf8')).toBe(good);
    expect(fs.readFileSync(outcome.keptAside!, 'utf8')).toBe(damaged);
    expect(new CloudStore(store.file, 'aws').read((c) => c.list('subnet'))).toHaveLength(2);
    // Readable: nothing to do.
    expect((await restoreBackup('aws', path.dirname(store.file))).action).toBe('readable');
    expect(fs.readFileSync(store.file, 'utf8')).toBe(good);
  });

  test('restore refuses a backup that is damaged too, and says when there is none', async () => {
    const store = await deployed();
    fs.writeFileSync(store.file, '{');
    fs.writeFileSync(backupFile(store.file), JSON.stringify({ format: 'butter-mock-cloud/1', provider: 'aws', serial: 1, sequence: 1, objects: { vpc: null } }));
    await expect(restoreBackup('aws', path.dirname(store.file))).rejects.toMatchObject({ code: 'MOCK_BACKUP_UNREADABLE' });
    expect(fs.readFileSync(store.file, 'utf8')).toBe('{');
    fs.rmSync(backupFile(store.file));
    await expect(restoreBackup('aws', path.dirname(store.file))).rejects.toMatchObject({ code: 'MOCK_BACKUP_MISSING' });
  });

  test('a file written before backups existed gets one the first time it is read', async () => {
    const store = await deployed();
    fs.rmSync(backupFile(store.file));
    const other = new CloudStore(store.file, 'aws'); // another process: parses the file
    expect(other.read((c) => c.list('vpc'))).toHaveLength(1);
    expect(fs.readFileSync(backupFile(store.file), 'utf8')).toBe(fs.readFileSync(store.file, 'utf8'));
  });
});
