import { CtyType } from './cty-type';

/**
 * The structure of a value, as the codec walks it. Both attribute types and schema blocks compile
 * to shapes, so decoding, encoding and comparing values is one piece of code for both.
 *
 * `nullAsEmpty` carries the one place where blocks differ from attributes: Terraform represents an
 * absent LIST/SET/MAP nested block as an empty collection and an absent GROUP block as an object of
 * nulls, never as null, and rejects a provider that answers with null there.
 */
export type Shape = PrimitiveShape | CollectionShape | ObjectShape | TupleShape;

/** string, number, bool, or dynamic (any type, carried with its type on the wire). */
export interface PrimitiveShape {
  readonly kind: 'string' | 'number' | 'bool' | 'dynamic';
}

/** list, set or map of one element shape. */
export interface CollectionShape {
  readonly kind: 'list' | 'set' | 'map';
  readonly element: Shape;
  readonly nullAsEmpty: boolean;
}

/** An object type or a block: a fixed set of named attributes. */
export interface ObjectShape {
  readonly kind: 'object';
  readonly attributes: ReadonlyMap<string, Shape>;
  readonly nullAsEmpty: boolean;
}

/** A tuple: fixed-length, each position its own shape. */
export interface TupleShape {
  readonly kind: 'tuple';
  readonly elements: readonly Shape[];
}

const PRIMITIVES: Record<string, PrimitiveShape> = {
  string: { kind: 'string' },
  number: { kind: 'number' },
  bool: { kind: 'bool' },
  dynamic: { kind: 'dynamic' },
};

/** The shape of an attribute type. */
export function shapeOf(type: CtyType): Shape {
  if (typeof type === 'string') return PRIMITIVES[type];
  switch (type[0]) {
    case 'list':
    case 'set':
    case 'map':
      return { kind: type[0], element: shapeOf(type[1]), nullAsEmpty: false };
    case 'object': {
      const attributes = new Map<string, Shape>();
      for (const [name, t] of Object.entries(type[1])) attributes.set(name, shapeOf(t));
      return { kind: 'object', attributes, nullAsEmpty: false };
    }
    case 'tuple':
      return { kind: 'tuple', elements: type[1].map(shapeOf) };
  }
}

/** The cty type a shape stands for (blocks become the object/collection types Terraform implies). */
export function typeOf(shape: Shape): CtyType {
  switch (shape.kind) {
    case 'string':
    case 'number':
    case 'bool':
    case 'dynamic':
      return shape.kind;
    case 'list':
    case 'set':
    case 'map':
      return [shape.kind, typeOf(shape.element)];
    case 'object': {
      const attributes: Record<string, CtyType> = {};
      for (const [name, s] of shape.attributes) attributes[name] = typeOf(s);
      return ['object', attributes];
    }
    case 'tuple':
      return ['tuple', shape.elements.map(typeOf)];
  }
}
