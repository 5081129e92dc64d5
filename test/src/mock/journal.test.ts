import * as fs from 'node:fs';
import { computed, ObjectValue, optional, ProviderDefinition, required, ResourceType, set, UNKNOWN } from '../../../src/mock';
import { CloudDocument } from '../../../src/mock/cloud/store';
import { canonical, createFingerprint } from '../../../src/mock/framework/journal';
import { resolveUnknowns, unknownParts } from '../../../src/mock/framework/merge';
import { compileSchema } from '../../../src/mock/schema/compile';
import { encodeDynamicValue } from '../../../src/mock/values/dynamic-value';
import { demoProvider, thing } from './fixtures/demo-provider';
import { Harness } from './helpers/service';

/**
 * The create journal (framework/journal.ts): a create committed by the cloud but never saved by a
 * Terraform that was killed is adopted by the next run's identical create instead of duplicated,
 * and nothing Terraform knows about is ever adopted.
 */

/** A resource with no uniqueness rule of its own: identical creates make distinct objects. */
const note: ResourceType = {
  name: 'mock_note',
  schema: {
    attributes: {
      text: required('string'),
      labels: optional(set('string')),
      id: computed('string'),
      created: computed('number'),
    },
  },
  create(ctx) {
    const id = ctx.cloud.nextId('note');
    const created = ctx.cloud.list('note').length + 1;
    ctx.cloud.put('note', id, { id, text: ctx.planned.text, labels: ctx.planned.labels, created });
    return { id, created };
  },
  read(ctx) {
    return ctx.cloud.get('note', ctx.state.id as string) ?? null;
  },
  update(ctx) {
    const id = ctx.prior.id as string;
    ctx.cloud.put('note', id, { ...ctx.cloud.get('note', id), text: ctx.planned.text, labels: ctx.planned.labels });
  },
  delete(ctx) {
    ctx.cloud.delete('note', ctx.state.id as string);
  },
};

const notes: ProviderDefinition = {
  name: 'notes',
  schema: { attributes: { region: optional('string') } },
  resources: [note],
};

const planned = (text: string, labels: string[] | null = null): ObjectValue => ({ text, labels, id: UNKNOWN, created: UNKNOWN });

describe('create journal', () => {
  let h: Harness;
  beforeEach(() => {
    h = new Harness(notes);
  });
  afterEach(() => h.cleanup());

  const doc = (): CloudDocument => JSON.parse(fs.readFileSync(h.store.file, 'utf8'));
  const cloudNotes = (): ObjectValue[] => h.store.read((c) => c.list('note'));
  const pendingIds = (): string[] => Object.keys(doc().pendingCreates ?? {}).map((key) => key.replace('mock_note/', ''));
  const providerShape = compileSchema(notes.schema!, 'provider').block.shape;
  /** A new Terraform run: ConfigureProvider starts a new session. */
  const newRun = async (region = 'north'): Promise<void> => {
    const r = await h.service.ConfigureProvider({ config: encodeDynamicValue({ region }, providerShape) });
    expect(r.diagnostics).toEqual([]);
  };
  const create = async (value: ObjectValue): Promise<ObjectValue> => {
    const { state, diagnostics } = await h.apply('mock_note', null, value);
    expect(diagnostics).toEqual([]);
    return state!;
  };
  const refresh = async (state: ObjectValue): Promise<ObjectValue | null> => {
    const r = await h.service.ReadResource({ type_name: 'mock_note', current_state: h.dv('mock_note', state) });
    expect(r.diagnostics).toEqual([]);
    return h.decode('mock_note', r.new_state);
  };

  test('a create orphaned by a killed run is adopted by the next run, not duplicated', async () => {
    await newRun();
    const orphan = await create(planned('hello', ['b', 'a']));
    expect(pendingIds()).toEqual([orphan.id]);
    // Terraform died before saving `orphan`; the next run asks for the same thing.
    await newRun();
    const again = await create(planned('hello', ['a', 'b']));
    // The orphan's cloud-decided values, the new plan's known ones (equal but for a set's order).
    expect(again).toEqual({ ...orphan, labels: ['a', 'b'] });
    expect(cloudNotes()).toHaveLength(1);
    // Known once Terraform refreshes it (the next plan): then a third run's identical create makes a new object.
    await newRun();
    await refresh(again);
    expect(doc().pendingCreates).toBeUndefined();
    const third = await create(planned('hello', ['a', 'b']));
    expect(third.id).not.toEqual(orphan.id);
    expect(cloudNotes()).toHaveLength(2);
  });

  test('an adopted orphan stays in the journal, under the adopting run, until Terraform shows it knows it', async () => {
    await newRun();
    const orphan = await create(planned('kept'));
    const [firstEntry] = Object.values(doc().pendingCreates!);
    // The second run adopts it and is killed before its Terraform saves the answer (the commit
    // reached the disk, the answer never reached Terraform's state): the object is still an orphan.
    await newRun();
    expect((await create(planned('kept'))).id).toBe(orphan.id);
    const [adoptedEntry] = Object.values(doc().pendingCreates!);
    expect(pendingIds()).toEqual([orphan.id]);
    expect(adoptedEntry).toEqual({ ...firstEntry, session: expect.any(String) });
    expect(adoptedEntry.session).not.toBe(firstEntry.session);
    // Not adopted twice by the run that adopted it: an identical second resource is a new object.
    const sibling = await create(planned('kept'));
    expect(sibling.id).not.toBe(orphan.id);
    // The third run adopts both again instead of duplicating them.
    await newRun();
    const third = [await create(planned('kept')), await create(planned('kept'))].map((n) => n.id).sort();
    expect(third).toEqual([orphan.id, sibling.id].sort());
    expect(cloudNotes()).toHaveLength(2);
    expect(pendingIds().sort()).toEqual([orphan.id, sibling.id].sort());
  });

  test('never within one session: two identical resources in one apply are two objects', async () => {
    await newRun();
    const a = await create(planned('same'));
    const b = await create(planned('same'));
    expect(a.id).not.toEqual(b.id);
    expect(cloudNotes()).toHaveLength(2);
    // Two orphans, two identical creates in the next run: each adopts one.
    await newRun();
    const adopted = [await create(planned('same')), await create(planned('same'))].map((s) => s.id).sort();
    expect(adopted).toEqual([a.id, b.id].sort());
    expect(cloudNotes()).toHaveLength(2);
  });

  test('only the same request is adopted: any known difference, another type or provider configuration creates', async () => {
    await newRun();
    await create(planned('one', ['x']));
    await newRun();
    await create(planned('one', ['y']));
    await create(planned('two', ['x']));
    await newRun('south');
    await create(planned('one', ['x']));
    expect(cloudNotes()).toHaveLength(4);
  });

  test('an object Terraform refreshed is confirmed and never adopted; later refreshes write nothing', async () => {
    await newRun();
    const tracked = await create(planned('mine'));
    await newRun();
    expect(await refresh(tracked)).toEqual(tracked);
    expect(doc().pendingCreates).toBeUndefined();
    const serial = doc().serial;
    await refresh(tracked);
    expect(doc().serial).toBe(serial);
    const other = await create(planned('mine'));
    expect(other.id).not.toEqual(tracked.id);
    expect(cloudNotes()).toHaveLength(2);
  });

  test('refreshes of many new objects arriving together confirm them in one write', async () => {
    await newRun();
    const states: ObjectValue[] = [];
    for (let i = 0; i < 10; i++) states.push(await create(planned(`n${i}`)));
    await newRun();
    const serial = doc().serial;
    await Promise.all(states.map(refresh));
    expect(doc().pendingCreates).toBeUndefined();
    expect(doc().serial - serial).toBe(1);
  });

  test('an update confirms the object; a delete takes its entry with it', async () => {
    await newRun();
    const updated = await create(planned('u'));
    const deleted = await create(planned('d'));
    await newRun();
    const u = await h.apply('mock_note', updated, { ...updated, text: 'u2' });
    expect(u.diagnostics).toEqual([]);
    expect(await h.apply('mock_note', deleted, null)).toMatchObject({ diagnostics: [], state: null });
    expect(doc().pendingCreates).toBeUndefined();
    await newRun();
    await create(planned('u2'));
    await create(planned('d'));
    expect(cloudNotes().map((n) => n.text).sort()).toEqual(['d', 'u2', 'u2']);
  });

  test('an orphan gone from the cloud is not adopted, and its entry is dropped', async () => {
    await newRun();
    const orphan = await create(planned('gone'));
    await h.store.transaction((c) => c.delete('note', orphan.id as string));
    await newRun();
    const fresh = await create(planned('gone'));
    expect(fresh.id).not.toEqual(orphan.id);
    expect(pendingIds()).toEqual([fresh.id]);
  });

  test('a failed create records nothing', async () => {
    const demo = new Harness(demoProvider);
    try {
      const thing: ObjectValue = {
        id: UNKNOWN, arn: UNKNOWN, name: 'dup', size: 1, network: null, tags: null, labels: null, zone: 'north-a',
        delay_ms: null, secret: null, rule: [],
      };
      const first = await demo.apply('mock_thing', null, thing);
      const second = await demo.apply('mock_thing', null, thing);
      expect(second.diagnostics).toEqual(['ThingAlreadyExists: a thing named "dup" already exists']);
      const entries = JSON.parse(fs.readFileSync(demo.store.file, 'utf8')).pendingCreates;
      expect(Object.keys(entries)).toEqual([`mock_thing/${String(first.state?.id)}`]);
    } finally {
      demo.cleanup();
    }
  });
});

describe('create fingerprint', () => {
  const shape = compileSchema(note.schema, 'mock_note').block.shape;
  const fp = (value: ObjectValue, config: ObjectValue = { region: 'north' }, type = 'mock_note'): string => createFingerprint(type, config, value, shape);

  test('unknowns all look alike; every known difference counts', () => {
    const base = fp(planned('a', ['x', 'y']));
    expect(fp(planned('a', ['y', 'x']))).toBe(base); // a set's order is not a difference
    expect(fp({ ...planned('a', ['x', 'y']), created: UNKNOWN })).toBe(base);
    expect(fp(planned('b', ['x', 'y']))).not.toBe(base);
    expect(fp(planned('a', ['x']))).not.toBe(base);
    expect(fp(planned('a', ['x', 'y']), { region: 'south' })).not.toBe(base);
    expect(fp(planned('a', ['x', 'y']), { region: 'north' }, 'mock_other')).not.toBe(base);
    // Known against unknown, null against empty, a string that looks like the marker.
    expect(fp({ ...planned('a', ['x', 'y']), created: 1 })).not.toBe(base);
    expect(fp(planned('a', null))).not.toBe(fp(planned('a', [])));
    expect(fp({ ...planned('?', null) })).not.toBe(fp({ ...planned('?', null), text: UNKNOWN }));
  });

  test('canonical form: keys sorted, lists ordered, sets not', () => {
    expect(canonical({ b: 1, a: [2, 1] }, undefined)).toBe('{"a":[2,1],"b":1}');
    expect(canonical({ text: 'x', labels: ['b', 'a'], id: UNKNOWN, created: null }, shape))
      .toBe('{"created":null,"id":?,"labels":["a","b"],"text":"x"}');
  });
});

describe('what the journal keeps of a created object', () => {
  const shape = compileSchema(thing.schema, 'mock_thing').block.shape;
  const planned: ObjectValue = {
    id: UNKNOWN, arn: UNKNOWN, name: 'a', size: 1, network: null, tags: { k: 'v' }, labels: ['x'], zone: UNKNOWN,
    delay_ms: null, secret: 's', rule: [{ port: 80, note: null, rule_id: UNKNOWN }, { port: 443, note: 'tls', rule_id: UNKNOWN }],
  };
  const created: ObjectValue = {
    ...planned, id: 'thing-1', arn: 'arn:mock:thing/thing-1', zone: 'north-a',
    rule: [{ port: 80, note: null, rule_id: 'r0' }, { port: 443, note: 'tls', rule_id: 'r1' }],
  };

  test('only what was unknown, enough to rebuild the state from an equal plan', () => {
    const parts = unknownParts(planned, created, shape);
    expect(parts).toEqual({ id: 'thing-1', arn: 'arn:mock:thing/thing-1', zone: 'north-a', rule: [{ rule_id: 'r0' }, { rule_id: 'r1' }] });
    expect(resolveUnknowns(planned, parts, shape)).toEqual(created);
    expect(unknownParts(created, created, shape)).toBeUndefined();
  });
});

