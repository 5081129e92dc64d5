import { compileSchema } from '../../../src/mock/schema/compile';
import { block, computed, optional, required } from '../../../src/mock/schema/dsl';
import { schemaMessage } from '../../../src/mock/schema/to-proto';
import { ipv4Cidr, intBetween, oneOf, lengthBetween, matches } from '../../../src/mock/schema/validators';
import { list, map, object, set } from '../../../src/mock/values/cty-type';

/** The schema DSL: mistakes caught at start-up, and what goes on the wire. */
describe('schema', () => {
  test('mistakes in a schema throw when the provider is built', () => {
    expect(() => compileSchema({ attributes: { a: { type: 'string' } } }, 't')).toThrow('t.a: say whether');
    expect(() => compileSchema({ attributes: { a: { type: 'string', required: true, computed: true } } }, 't')).toThrow('cannot also be');
    expect(() => compileSchema({ attributes: { a: required('string', { default: 'x' }) } }, 't')).toThrow('cannot also be');
    expect(() => compileSchema({ attributes: { Bad: optional('string') } }, 't')).toThrow('lower_snake_case');
    expect(() => compileSchema({ attributes: { a: optional('string') }, blocks: { a: block('list', {}) } }, 't')).toThrow('both as an attribute and as a block');
    expect(() => compileSchema({ blocks: { b: block('single', {}, { maxItems: 2 }) } }, 't')).toThrow('at most one');
  });

  test('the wire schema: cty JSON types, flags, nesting modes, versions', () => {
    const schema = compileSchema({
      version: 3,
      attributes: {
        name: required('string', { description: 'The name.' }),
        size: optional('number', { default: 1 }),
        tags: optional(map('string')),
        ports: optional(set('number')),
        obj: optional(object({ a: 'string' }, ['a'])),
        id: computed('string'),
      },
      blocks: {
        rules: block('set', { attributes: { port: required('number') }, blocks: { deep: block('list', {}) } }, { minItems: 1, maxItems: 5 }),
        one: block('single', {}),
        grp: block('group', {}),
        labelled: block('map', {}),
      },
    }, 't');
    const message = schemaMessage(schema) as { version: number; block: { attributes: Record<string, unknown>[]; block_types: Record<string, unknown>[] } };
    expect(message.version).toBe(3);
    const attrs = Object.fromEntries(message.block.attributes.map((a) => [a.name, { ...a, type: JSON.parse(String(a.type)) }]));
    expect(attrs.name).toMatchObject({ type: 'string', required: true, optional: false, computed: false, description: 'The name.' });
    expect(attrs.size).toMatchObject({ type: 'number', optional: true, computed: true });
    expect(attrs.tags.type).toEqual(['map', 'string']);
    expect(attrs.ports.type).toEqual(['set', 'number']);
    expect(attrs.obj.type).toEqual(['object', { a: 'string' }, ['a']]);
    expect(message.block.block_types.map((b) => [b.type_name, b.nesting, b.min_items, b.max_items])).toEqual([
      ['rules', 3, 1, 5], ['one', 1, 0, 0], ['grp', 5, 0, 0], ['labelled', 4, 0, 0],
    ]);
    expect(schema.block.hasForceNew).toBe(false);
    expect(list('string')).toEqual(['list', 'string']);
  });

  test('validators', () => {
    expect(ipv4Cidr()('10.0.0.0/16')).toBeUndefined();
    expect(ipv4Cidr()('10.0.0.0/33')).toContain('expected an IPv4 CIDR');
    expect(ipv4Cidr()('10.0.0.1/16')).toContain('not a network address');
    expect(oneOf('a', 'b')('c')).toBe('expected one of "a", "b", got "c"');
    expect(intBetween(1, 3)(2)).toBeUndefined();
    expect(intBetween(1, 3)(2.5)).toContain('whole number');
    expect(lengthBetween(1, 2)('abc')).toContain('1 to 2 characters');
    expect(matches(/^x/, 'an x-word')('y')).toBe('expected an x-word, got "y"');
  });
});
