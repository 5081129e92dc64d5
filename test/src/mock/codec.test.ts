import { fromJson, fromMsgpack, pack, toWire, unpack, conform, ValueError } from '../../../src/mock/values/codec';
import { list, map, object, set, tuple } from '../../../src/mock/values/cty-type';
import { shapeOf } from '../../../src/mock/values/shape';
import { isUnknown, Unknown, UNKNOWN } from '../../../src/mock/values/unknown';
import { valuesEqual } from '../../../src/mock/values/compare';
import { compileSchema } from '../../../src/mock/schema/compile';
import { block, computed, optional, required } from '../../../src/mock/schema/dsl';

/** cty msgpack/JSON ⇄ JS values, driven by schema shapes. */

const schema = compileSchema({
  attributes: {
    name: required('string'),
    count: optional('number'),
    enabled: optional('bool'),
    tags: optional(map('string')),
    ports: optional(set('number')),
    pair: optional(tuple('string', 'number')),
    settings: optional(object({ a: 'string', b: list('bool') })),
    anything: optional('dynamic'),
    id: computed('string'),
  },
  blocks: {
    single: block('single', { attributes: { x: optional('string') } }),
    items: block('list', { attributes: { port: required('number'), note: optional('string') } }),
    members: block('set', { attributes: { who: required('string') } }),
    named: block('map', { attributes: { v: optional('number') } }),
    group: block('group', { attributes: { g: optional('string') }, blocks: { inner: block('list', { attributes: { i: optional('number') } }) } }),
  },
}, 'test');
const shape = schema.block.shape;

/** Encode like Terraform would (a plain object through msgpack), decode through the codec. */
const roundTrip = (value: unknown): unknown => fromMsgpack(unpack(pack(toWire(value, shape))), shape);

describe('codec', () => {
  test('objects carry every attribute; absent blocks are empty, not null', () => {
    const value = fromMsgpack(unpack(pack({ name: 'n' })), shape);
    expect(value).toEqual({
      name: 'n', count: null, enabled: null, tags: null, ports: null, pair: null, settings: null, anything: null, id: null,
      single: null, items: [], members: [], named: {}, group: { g: null, inner: [] },
    });
  });

  test('round trip of a full value, including nested blocks, sets, tuples and dynamic', () => {
    const value = {
      name: 'n', count: 3, enabled: true, tags: { a: 'b' }, ports: [443, 80], pair: ['x', 1.5],
      settings: { a: 's', b: [true, false] }, anything: { deep: ['x', 2] }, id: 'i-1',
      single: { x: 'y' }, items: [{ port: 1, note: null }], members: [{ who: 'me' }], named: { k: { v: 2 } },
      group: { g: 'grp', inner: [{ i: 7 }] },
    };
    expect(roundTrip(value)).toEqual(value);
  });

  test('extra attributes are dropped, missing ones become null', () => {
    expect(conform({ a: 'x', surprise: 1 }, shapeOf(object({ a: 'string', b: 'number' })))).toEqual({ a: 'x', b: null });
  });

  test('unknowns (ext 0) and refined unknowns (ext 12) decode to Unknown and encode back unchanged', () => {
    // A refined unknown as cty writes it: ext 12 with a msgpack map of refinements ({1: true} = not null).
    const refinements = Buffer.from([0x81, 0x01, 0xc3]);
    const ext12 = Buffer.concat([Buffer.from([0xc7, refinements.length, 12]), refinements]);
    const ext0 = Buffer.from([0xd4, 0, 0]);
    // { name: <refined unknown>, id: <unknown> } as a msgpack map
    const bytes = Buffer.concat([Buffer.from([0x82, 0xa4]), Buffer.from('name'), ext12, Buffer.from([0xa2]), Buffer.from('id'), ext0]);
    const value = fromMsgpack(unpack(bytes), shape) as Record<string, unknown>;
    expect(isUnknown(value.name)).toBe(true);
    expect((value.name as Unknown).refinements).toEqual(Uint8Array.from(refinements));
    expect(value.id).toBe(UNKNOWN);
    const again = pack(toWire(value, shape));
    expect(again.includes(ext0)).toBe(true); // exactly cty's encoding of a plain unknown
    expect(again.includes(Buffer.concat([Buffer.from([12]), refinements]))).toBe(true); // ext 12, same payload
    expect(fromMsgpack(unpack(again), shape)).toEqual(value);
  });

  test('an unknown nested anywhere survives a round trip', () => {
    const value = roundTrip({ name: 'n', tags: UNKNOWN, items: [{ port: UNKNOWN, note: 'x' }], settings: { a: UNKNOWN, b: null } }) as Record<string, unknown>;
    expect(value.tags).toBe(UNKNOWN);
    expect(value.items).toEqual([{ port: UNKNOWN, note: 'x' }]);
    expect(value.settings).toEqual({ a: UNKNOWN, b: null });
  });

  test('numbers arrive as int, float or decimal string', () => {
    const numbers = shapeOf(list('number'));
    expect(fromMsgpack(unpack(pack([1, 2.5, '12345678901234567890', -3])), numbers)).toEqual([1, 2.5, 12345678901234567890, -3]);
    expect(() => fromMsgpack(['x'], numbers)).toThrow(ValueError);
  });

  test('strings accept numbers and bools like cty conversion; bools accept "true"', () => {
    expect(conform([1, true], shapeOf(list('string')))).toEqual(['1', 'true']);
    expect(conform('false', shapeOf('bool'))).toBe(false);
  });

  test('dynamic values travel as [type JSON, value] in msgpack', () => {
    const wire = toWire('hello', shapeOf('dynamic')) as [Buffer, unknown];
    expect(Buffer.from(wire[0]).toString()).toBe('"string"');
    expect(fromMsgpack(unpack(pack(wire)), shapeOf('dynamic'))).toBe('hello');
  });

  test('JSON state (UpgradeResourceState) decodes by schema, dynamic in {value, type} form', () => {
    const value = fromJson({ name: 'n', count: '4', anything: { value: ['a'], type: ['list', 'string'] } }, shape) as Record<string, unknown>;
    expect(value).toMatchObject({ name: 'n', count: 4, anything: ['a'], items: [] });
  });

  test('type errors name the path', () => {
    expect(() => conform({ name: 'n', items: [{ port: 'eighty' }] }, shape)).toThrow('items[0].port: expected a number, got string "eighty"');
  });

  test('set equality ignores order; unknowns are never equal', () => {
    const s = shapeOf(set('number'));
    expect(valuesEqual([1, 2], [2, 1], s)).toBe(true);
    expect(valuesEqual([1, 2], [1, 2], shapeOf(list('number')))).toBe(true);
    expect(valuesEqual([1, 2], [2, 1], shapeOf(list('number')))).toBe(false);
    expect(valuesEqual(UNKNOWN, UNKNOWN)).toBe(false);
  });
});
