import { ImportContext } from '../framework/types';
import { ObjectValue } from '../values/value';
import { awsError } from './common';
import { providerRegion } from './provider-config';
import { findRegion } from './regions';

/**
 * Sources of the rules in this file: terraform-provider-aws 6 documentation, each resource's
 * "Import" section (id formats) and "Enhanced region support" (the `@<region>` suffix); a region
 * outside the partition is refused as the provider refuses it.
 */

/**
 * `terraform import` ids as hashicorp/aws 6.x takes them. Every simulated type is regional, and
 * provider 6's enhanced region support lets any import id end in `@<region>` to import an object
 * of another region than the provider's (`vpc-0a1b2c3d@eu-west-1`). Without it the object is
 * looked up in the provider's region.
 *
 * Most types import by their own id (the provider passes it through and `read` fills the rest),
 * so an import hook only has to check the id's shape and note the region; types whose import id
 * is not their state id (routes, route table associations) parse it themselves.
 */

/** An import id with its region resolved. */
export interface AwsImportId {
  /** The id without the `@<region>` suffix. */
  readonly id: string;
  /** The suffix's region, else the provider's. */
  readonly region: string;
}

/**
 * Split `id[@region]`. An unknown region is refused here, as the provider validates it against
 * the partition before calling any API.
 */
export function splitRegion(ctx: ImportContext, format: string): AwsImportId {
  const at = ctx.id.lastIndexOf('@');
  if (at < 0) return { id: ctx.id, region: providerRegion(ctx.provider.config) };
  const region = ctx.id.slice(at + 1);
  if (!findRegion(region)) {
    throw awsError('InvalidParameterValue', `Invalid import ID "${ctx.id}": "${region}" is not a region of partition aws`, undefined,
      `Expected ${format}, optionally followed by @<region> (for example @us-west-2).`);
  }
  return { id: ctx.id.slice(0, at), region };
}

/** How a type that imports by its own id checks that id. */
export interface IdImportProps {
  /** What the id looks like, for messages: `vpc-<id>`. */
  readonly format: string;
  /** The id's prefix (`vpc`, `sg`...); ids are `<prefix>-<hex>`. @default - any non-empty id */
  readonly prefix?: string;
  /** EC2's error code for an id of the wrong shape (`InvalidVpcID.Malformed`). @default 'ValidationError' */
  readonly malformedCode?: string;
  /**
   * Attributes the provider never reads back whose schema default is the type's zero value
   * (false, 0, ""). The SDK treats an unset value and the zero value alike, so after an import the
   * plan shows no change for them; the mock records the default so its plans agree.
   * @default - none
   */
  readonly zeroDefaults?: ObjectValue;
}

/**
 * An import hook for a type whose import id is its state id: the state `{ id, region }` (plus
 * the zero defaults) for `read` to complete; `read` finding nothing makes Terraform report
 * "Cannot import non-existent remote object", as with the real provider.
 */
export function importById(props: IdImportProps): (ctx: ImportContext) => ObjectValue {
  return (ctx) => {
    const { id, region } = splitRegion(ctx, props.format);
    const shaped = props.prefix ? new RegExp(`^${props.prefix}-[0-9a-f]+$`).test(id) : id.length > 0;
    if (!shaped) {
      throw awsError(props.malformedCode ?? 'ValidationError', `Invalid id: "${id}"`, undefined,
        `The import id must be ${props.format}, optionally followed by @<region>.`);
    }
    return { id, region, ...props.zeroDefaults };
  };
}

/**
 * For types imported by what they join (`ROUTETABLEID_DESTINATION`, `SUBNETID/ROUTETABLEID`):
 * the id's two parts around `separator` and its region. `problem` is the provider's own error
 * for an id of another shape, `format` the fuller description for the hint.
 */
export function splitPair(ctx: ImportContext, separator: string, problem: (id: string) => string, format: string): { parts: [string, string]; region: string } {
  const { id, region } = splitRegion(ctx, format);
  const parts = id.split(separator);
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw awsError('ValidationError', problem(id), undefined,
      `The import id of an ${ctx.typeName} is ${format}, optionally followed by @<region>.`);
  }
  return { parts: [parts[0], parts[1]], region };
}
