import { CloudDocument, PendingCreate } from '../../../../src/mock/cloud/store';
import { CloudView, Draft } from '../../../../src/mock/cloud/view';

/** Copy-on-write drafts: a transaction's changes never reach the document it started from. */
describe('cloud view drafts', () => {
  const entry = (type: string): PendingCreate => ({ type, fingerprint: 'f', session: 's', decided: null });
  const base = (): CloudDocument => ({
    format: 'butter-mock-cloud/1',
    provider: 'aws',
    serial: 4,
    sequence: 7,
    objects: { vpc: { v1: { id: 'v1' } }, subnet: { s1: { id: 's1', vpc: 'v1' } } },
    pendingCreates: { 'aws_vpc/v1': entry('aws_vpc') },
  });

  test('changes go to the draft only; untouched maps and objects stay shared', () => {
    const doc = base();
    const before = JSON.stringify(doc);
    const draft = new Draft(doc);
    const cloud = new CloudView(draft);
    const id = cloud.nextId('vpc');
    cloud.put('vpc', id, { id });
    cloud.delete('vpc', 'v1');
    cloud.pending.remove('aws_vpc/v1');
    cloud.pending.add(`aws_vpc/${id}`, entry('aws_vpc'));

    expect(JSON.stringify(doc)).toBe(before);
    expect(draft.dirty).toBe(true);
    expect(draft.doc.sequence).toBe(8);
    expect(Object.keys(draft.doc.objects.vpc)).toEqual([id]);
    expect(Object.keys(draft.doc.pendingCreates ?? {})).toEqual([`aws_vpc/${id}`]);
    expect(draft.doc.objects.subnet).toBe(doc.objects.subnet); // not copied: nothing changed there
    expect(new CloudView(doc).get('vpc', 'v1')).toEqual({ id: 'v1' });
  });

  test('a kind or journal emptied and filled again in one draft', () => {
    const doc = base();
    const draft = new Draft(doc);
    const cloud = new CloudView(draft);
    expect(cloud.delete('subnet', 's1')).toBe(true);
    expect(draft.doc.objects).not.toHaveProperty('subnet');
    cloud.put('subnet', 's2', { id: 's2' });
    expect(cloud.list('subnet')).toEqual([{ id: 's2' }]);
    expect(cloud.pending.remove('aws_vpc/v1')).toBe(true);
    expect(draft.doc.pendingCreates).toBeUndefined();
    cloud.pending.add('aws_subnet/s2', entry('aws_subnet'));
    expect(cloud.pending.find(() => true).map(([key]) => key)).toEqual(['aws_subnet/s2']);
    expect(doc.objects.subnet).toEqual({ s1: { id: 's1', vpc: 'v1' } });
    expect(Object.keys(doc.pendingCreates ?? {})).toEqual(['aws_vpc/v1']);
  });

  test('a draft that changes nothing stays clean; a committed document is read-only', () => {
    const doc = base();
    const draft = new Draft(doc);
    const cloud = new CloudView(draft);
    expect(cloud.get('vpc', 'v1')).toEqual({ id: 'v1' });
    expect(cloud.delete('vpc', 'nope')).toBe(false);
    expect(cloud.pending.remove('nope')).toBe(false);
    expect(draft.dirty).toBe(false);
    const committed = new CloudView(doc);
    expect(committed.writable).toBe(false);
    expect(() => committed.put('vpc', 'v2', { id: 'v2' })).toThrow('only changes during apply');
    expect(() => committed.pending.add('k', entry('aws_vpc'))).toThrow('only changes in a transaction');
  });
});
