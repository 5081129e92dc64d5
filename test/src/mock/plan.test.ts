import { computed, optional, optionalComputed, required, block, ResourceType, UNKNOWN, isUnknown, ObjectValue, list } from '../../../src/mock';
import { demoProvider } from './fixtures/demo-provider';
import { Harness } from './helpers/service';

/** PlanResourceChange's generic semantics, through the service as Terraform calls it. */

const prior: ObjectValue = {
  id: 'thing-1', arn: 'arn:mock:thing/thing-1', name: 'alpha', size: 2, network: null, tags: { a: 'b' }, labels: ['x'],
  zone: 'north-a', delay_ms: null, secret: null, rule: [{ port: 80, note: null, rule_id: 'r0' }],
};

describe('plan', () => {
  const h = new Harness(demoProvider);
  afterAll(() => h.cleanup());

  test('create: computed nulls become unknown, defaults fill in, nested computed too', async () => {
    const config = { name: 'alpha', rule: [{ port: 80 }] };
    const { planned, replace, response } = await h.plan('mock_thing', null, config);
    expect(response.diagnostics).toEqual([]);
    expect(planned).toMatchObject({ name: 'alpha', size: 1, tags: null, network: null });
    expect(planned?.id).toBe(UNKNOWN);
    expect(planned?.arn).toBe(UNKNOWN);
    expect(planned?.zone).toBe(UNKNOWN); // optional+computed, not configured
    expect((planned?.rule as ObjectValue[])[0]).toEqual({ port: 80, note: null, rule_id: UNKNOWN });
    expect(replace).toEqual([]);
  });

  test('a configured optional+computed value is kept as configured on create', async () => {
    const { planned } = await h.plan('mock_thing', null, { name: 'alpha', zone: 'south-b' });
    expect(planned?.zone).toBe('south-b');
  });

  test('no change: the plan equals the prior state', async () => {
    const { planned, replace } = await h.plan('mock_thing', prior, prior);
    expect(planned).toEqual(prior);
    expect(replace).toEqual([]);
  });

  test('update in place keeps prior computed values', async () => {
    const { planned, replace } = await h.plan('mock_thing', prior, { ...prior, size: 5, tags: null });
    expect(planned).toMatchObject({ id: 'thing-1', arn: 'arn:mock:thing/thing-1', size: 5, tags: null });
    expect(replace).toEqual([]);
  });

  test('removing a setting that has a default plans the default again', async () => {
    const { planned, replace } = await h.plan('mock_thing', { ...prior, size: 7 }, { ...prior, size: 7 }, { ...prior, size: null });
    expect(planned?.size).toBe(1);
    expect(replace).toEqual([]);
  });

  test('a changed forceNew attribute requires replacement; so does one becoming unknown', async () => {
    expect((await h.plan('mock_thing', prior, { ...prior, name: 'beta' })).replace).toEqual([['name']]);
    expect((await h.plan('mock_thing', prior, { ...prior, name: UNKNOWN })).replace).toEqual([['name']]);
    expect((await h.plan('mock_thing', prior, { ...prior, name: 'beta', zone: 'south-a' })).replace).toEqual([['name'], ['zone']]);
  });

  test('a new nested block element gets unknown computed values; matched ones keep theirs', async () => {
    const rule = [{ port: 80, note: null, rule_id: 'r0' }, { port: 8080, note: null, rule_id: null }];
    const { planned } = await h.plan('mock_thing', prior, { ...prior, rule });
    expect(planned?.rule).toEqual([{ port: 80, note: null, rule_id: 'r0' }, { port: 8080, note: null, rule_id: UNKNOWN }]);
  });

  test('destroy: a null proposal plans null', async () => {
    const { planned, response } = await h.plan('mock_thing', prior, null, null);
    expect(planned).toBeNull();
    expect(response.diagnostics).toEqual([]);
  });

  test('unknown configuration values pass through the plan', async () => {
    const { planned } = await h.plan('mock_thing', null, { name: 'alpha', tags: UNKNOWN, rule: UNKNOWN });
    expect(planned?.tags).toBe(UNKNOWN);
    expect(planned?.rule).toBe(UNKNOWN);
  });
});

describe('plan hooks and schema options', () => {
  const gadget: ResourceType = {
    name: 'mock_gadget',
    schema: {
      attributes: {
        name: required('string'),
        mode: optional('string'),
        version: computed('number'),
        etag: computed('string'),
        derived: optionalComputed('string'),
      },
      blocks: {
        disk: block('list', { attributes: { size: required('number', { forceNew: true }), label: optional('string') } }),
        boot: block('single', { attributes: { image: required('string') } }, { forceNew: true }),
      },
    },
    plan(ctx) {
      // Every real change gets a new etag; a mode change replaces the gadget.
      if (ctx.prior && ctx.prior.name !== ctx.planned.name) ctx.planned.etag = UNKNOWN;
      if (ctx.prior && ctx.prior.mode !== ctx.planned.mode) ctx.requireReplace(['mode']);
      if (ctx.planned.derived === null || isUnknown(ctx.planned.derived)) ctx.planned.derived = `from-${String(ctx.config.name)}`;
    },
    create: () => ({ version: 1, etag: 'e1' }),
    read: (ctx) => ctx.state,
    update: () => ({ etag: 'e2' }),
    delete: () => undefined,
  };
  const fixed: ResourceType = {
    name: 'mock_fixed',
    schema: { attributes: { name: required('string'), note: optional('string'), tags: optional(list('string')), id: computed('string') } },
    create: () => ({ id: 'f-1' }),
    read: (ctx) => ctx.state,
    delete: () => undefined,
  };
  const h = new Harness({ name: 'mock', resources: [gadget, fixed] });
  afterAll(() => h.cleanup());
  const before: ObjectValue = { name: 'g', mode: 'a', version: 1, etag: 'e1', derived: 'from-g', disk: [{ size: 10, label: null }], boot: { image: 'img' } };

  test('the hook sees the generic plan and can mark unknowns and ask for replacement', async () => {
    const created = await h.plan('mock_gadget', null, { name: 'g' });
    expect(created.planned).toMatchObject({ version: UNKNOWN, etag: UNKNOWN, derived: 'from-g' });
    const renamed = await h.plan('mock_gadget', before, { ...before, name: 'h' });
    expect(renamed.planned).toMatchObject({ etag: UNKNOWN, version: 1 });
    expect(renamed.replace).toEqual([]);
    expect((await h.plan('mock_gadget', before, { ...before, mode: 'b' })).replace).toEqual([['mode']]);
  });

  test('forceNew inside nested blocks: by element path in lists, whole block when forceNew', async () => {
    expect((await h.plan('mock_gadget', before, { ...before, disk: [{ size: 20, label: null }] })).replace).toEqual([['disk', 0, 'size']]);
    expect((await h.plan('mock_gadget', before, { ...before, disk: [{ size: 10, label: 'x' }] })).replace).toEqual([]);
    expect((await h.plan('mock_gadget', before, { ...before, disk: [] })).replace).toEqual([['disk']]);
    expect((await h.plan('mock_gadget', before, { ...before, boot: { image: 'other' } })).replace).toEqual([['boot']]);
  });

  test('a type without update treats every configurable attribute as forceNew', async () => {
    const p: ObjectValue = { name: 'f', note: null, tags: null, id: 'f-1' };
    expect((await h.plan('mock_fixed', p, { ...p, note: 'changed' })).replace).toEqual([['note']]);
    expect((await h.plan('mock_fixed', p, p)).replace).toEqual([]);
  });
});
