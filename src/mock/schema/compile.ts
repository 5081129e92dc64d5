import { Json } from '../values/value';
import { ObjectShape, Shape, shapeOf } from '../values/shape';
import { AttributeSpec, BlockSpec, Nesting, SchemaSpec, Validator } from './dsl';

/**
 * Schemas checked and prepared once, when a provider is built: shapes for the codec, flags
 * resolved (a `default` makes an attribute optional+computed), validators as a list. Mistakes in
 * a simulation's schema throw here, at start-up, rather than as odd Terraform errors later.
 */

/** An attribute ready for planning and encoding. */
export interface Attribute {
  readonly name: string;
  readonly shape: Shape;
  readonly spec: AttributeSpec;
  readonly required: boolean;
  readonly optional: boolean;
  readonly computed: boolean;
  readonly forceNew: boolean;
  readonly default?: Json;
  readonly validators: readonly Validator[];
}

/** A nested block type ready for planning and encoding. */
export interface NestedBlock {
  readonly name: string;
  readonly nesting: Nesting;
  readonly block: Block;
  /** The shape of the attribute holding the block(s) in the parent object. */
  readonly shape: Shape;
  readonly minItems: number;
  readonly maxItems: number;
  readonly forceNew: boolean;
}

/** A block (the top level of a schema, or a nested block's body). */
export interface Block {
  readonly attributes: readonly Attribute[];
  readonly blocks: readonly NestedBlock[];
  /** The object shape of one instance of this block. */
  readonly shape: ObjectShape;
  /** True when this block or anything inside it is forceNew (so planning must look inside). */
  readonly hasForceNew: boolean;
  readonly description?: string;
}

/** A resource's, data source's or provider's schema. */
export interface Schema {
  readonly version: number;
  readonly block: Block;
}

/** Options for {@link compileSchema}. */
export interface CompileOptions {
  /**
   * Treat every configurable attribute as forceNew: for resource types that cannot be updated
   * in place (they define no `update`).
   * @default false
   */
  readonly allForceNew?: boolean;
}

const NAME = /^[a-z_][a-z0-9_]*$/;

/** Check and prepare a schema. `owner` names it in errors (`aws_vpc`). */
export function compileSchema(spec: SchemaSpec, owner: string, options: CompileOptions = {}): Schema {
  const version = spec.version ?? 0;
  if (!Number.isInteger(version) || version < 0) throw new Error(`${owner}: schema version must be a whole number >= 0`);
  return { version, block: compileBlock(spec, owner, options.allForceNew ?? false) };
}

function compileBlock(spec: BlockSpec, where: string, allForceNew: boolean, nullAsEmpty = false): Block {
  const attributes = Object.entries(spec.attributes ?? {}).map(([name, a]) => compileAttribute(name, a, `${where}.${name}`, allForceNew));
  const blocks = Object.entries(spec.blocks ?? {}).map(([name, b]): NestedBlock => {
    const path = `${where}.${name}`;
    checkName(name, path);
    if (spec.attributes && Object.prototype.hasOwnProperty.call(spec.attributes, name)) {
      throw new Error(`${path}: declared both as an attribute and as a block`);
    }
    const body = compileBlock(b, path, allForceNew, b.nesting === 'group');
    const minItems = b.minItems ?? 0;
    const maxItems = b.maxItems ?? 0;
    if (b.nesting === 'single' || b.nesting === 'group') {
      if (minItems > 1 || maxItems > 1) throw new Error(`${path}: a ${b.nesting} block has at most one item`);
    }
    return {
      name,
      nesting: b.nesting,
      block: body,
      shape: blockFieldShape(b.nesting, body.shape),
      minItems,
      maxItems,
      forceNew: (b.forceNew ?? false) || allForceNew,
    };
  });
  const shapeAttributes = new Map<string, Shape>();
  for (const a of attributes) shapeAttributes.set(a.name, a.shape);
  for (const b of blocks) shapeAttributes.set(b.name, b.shape);
  return {
    attributes,
    blocks,
    shape: { kind: 'object', attributes: shapeAttributes, nullAsEmpty },
    hasForceNew: attributes.some((a) => a.forceNew) || blocks.some((b) => b.forceNew || b.block.hasForceNew),
    description: spec.description,
  };
}

function compileAttribute(name: string, spec: AttributeSpec, where: string, allForceNew: boolean): Attribute {
  checkName(name, where);
  const hasDefault = spec.default !== undefined;
  const required = spec.required ?? false;
  const optional = (spec.optional ?? false) || hasDefault;
  const computed = (spec.computed ?? false) || hasDefault;
  if (required && (optional || computed)) throw new Error(`${where}: a required attribute cannot also be optional, computed or have a default`);
  if (!required && !optional && !computed) throw new Error(`${where}: say whether the attribute is required, optional or computed`);
  const configurable = required || optional;
  const validators = spec.validate === undefined ? [] : typeof spec.validate === 'function' ? [spec.validate] : [...spec.validate];
  return {
    name,
    shape: shapeOf(spec.type),
    spec,
    required,
    optional,
    computed,
    forceNew: configurable && ((spec.forceNew ?? false) || allForceNew),
    default: spec.default,
    validators,
  };
}

function blockFieldShape(nesting: Nesting, element: ObjectShape): Shape {
  switch (nesting) {
    case 'single':
    case 'group':
      return element;
    case 'list':
    case 'set':
    case 'map':
      return { kind: nesting, element, nullAsEmpty: true };
  }
}

function checkName(name: string, where: string): void {
  if (!NAME.test(name)) throw new Error(`${where}: names are lower_snake_case`);
}
