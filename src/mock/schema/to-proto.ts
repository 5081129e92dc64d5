import { Block, Schema } from './compile';
import { Nesting } from './dsl';

/**
 * Compiled schemas → `tfplugin6.Schema` messages (plain objects in the shape @grpc/proto-loader
 * serializes, field names as in the .proto file).
 */

const NESTING: Record<Nesting, number> = { single: 1, list: 2, set: 3, map: 4, group: 5 };

/** The protocol message for a schema. */
export function schemaMessage(schema: Schema): object {
  return { version: schema.version, block: blockMessage(schema.block, schema.version) };
}

function blockMessage(block: Block, version: number): object {
  return {
    version,
    description: block.description ?? '',
    attributes: block.attributes.map((a) => ({
      name: a.name,
      // The type travels as the JSON text of the cty type.
      type: Buffer.from(JSON.stringify(a.spec.type)),
      description: a.spec.description ?? '',
      required: a.required,
      optional: a.optional,
      computed: a.computed,
      sensitive: a.spec.sensitive ?? false,
      deprecated: a.spec.deprecated ?? false,
    })),
    block_types: block.blocks.map((b) => ({
      type_name: b.name,
      block: blockMessage(b.block, version),
      nesting: NESTING[b.nesting],
      min_items: b.minItems,
      max_items: b.maxItems,
    })),
  };
}
