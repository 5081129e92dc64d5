import { CloudError } from '../framework/diagnostics';
import { ImportContext, ReadContext } from '../framework/types';
import { isObjectValue, ObjectValue, Value } from '../values/value';
import { globalId, regionalId, stringMap } from './common';
import { providerProject, providerRegion } from './provider-config';

/**
 * `terraform import` as hashicorp/google 6.x does it for the Compute Engine types: the id may
 * take any of the type's documented forms (`projects/{{project}}/regions/{{region}}/subnetworks/{{name}}`,
 * `{{project}}/{{region}}/{{name}}`, `{{region}}/{{name}}`, `{{name}}`), tried in that order,
 * with the provider's project and region standing in for the parts left out; the state id is
 * then rebuilt in the type's own form.
 *
 * What the provider cannot read back is mirrored too, since it decides what a plan shows after
 * an import:
 *
 * - configuration-only attributes (the generated resources' "virtual fields", `params`,
 *   `timeouts`, a template's `name_prefix`...): `read` keeps the state's value, and an import
 *   starts from the importer's default, or null where it sets none;
 * - `labels` and `terraform_labels`: `read` reports only the keys the state already names, so
 *   after an import they are empty and a configuration with labels plans an in-place update
 *   (`effective_labels`, all of the object's labels, is read in full).
 */

/** The parts of an import id, by the names its formats use (`project`, `region`, `name`, `router`...). */
export type ImportFields = Readonly<Record<string, string>>;

/** How a type imports. */
export interface ImportSpec {
  /** The accepted id formats, as the provider documents them, most specific first. */
  readonly formats: readonly string[];
  /** The state id for the parsed parts. */
  id(fields: ImportFields): string;
  /**
   * Attributes the provider never reads back, with the value an import gives them (the
   * importer's default for virtual fields, else null).
   * @default - none
   */
  readonly configOnly?: ObjectValue;
  /**
   * The type has `labels`, `terraform_labels` and `effective_labels`.
   * @default false
   */
  readonly labels?: boolean;
  /**
   * A last adjustment of the read view for what else depends on the state (a template's
   * `metadata_startup_script`).
   * @default - none
   */
  adjust?(view: ObjectValue, state: ObjectValue): ObjectValue;
}

/**
 * The id forms and state id of a regional Compute Engine resource in `collection`
 * (`addresses`, `subnetworks`...): the four forms the provider documents for every such type.
 */
export function regionalForms(collection: string): Pick<ImportSpec, 'formats' | 'id'> {
  return {
    formats: [`projects/{{project}}/regions/{{region}}/${collection}/{{name}}`, '{{project}}/{{region}}/{{name}}', '{{region}}/{{name}}', '{{name}}'],
    id: (f) => regionalId(f.project, f.region, collection, f.name),
  };
}

/** The same for a global resource (`networks`, `firewalls`...): three forms. */
export function globalForms(collection: string): Pick<ImportSpec, 'formats' | 'id'> {
  return {
    formats: [`projects/{{project}}/global/${collection}/{{name}}`, '{{project}}/{{name}}', '{{name}}'],
    id: (f) => globalId(f.project, collection, f.name),
  };
}

/** `{{name}}` placeholders become named groups matching one path segment. */
function formatPattern(format: string): RegExp {
  const source = format.split(/(\{\{[a-z_]+\}\})/).map((part) => {
    const field = /^\{\{([a-z_]+)\}\}$/.exec(part);
    return field ? `(?<${field[1]}>[^/]+)` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('');
  return new RegExp(`^${source}$`);
}

/**
 * The parts of `ctx.id` by the first format it matches; the provider's project and region fill
 * in what the id leaves out (when the type's full format has them). An id matching no format is
 * refused with the list of formats, as the provider does.
 */
export function parseImportId(ctx: ImportContext, formats: readonly string[]): ImportFields {
  for (const format of formats) {
    const groups = formatPattern(format).exec(ctx.id)?.groups;
    if (!groups) continue;
    const fields: Record<string, string> = { ...groups };
    const full = formats[0];
    if (fields.project === undefined && full.includes('{{project}}')) fields.project = defaultOf(ctx, 'project', providerProject(ctx.provider.config));
    if (fields.region === undefined && full.includes('{{region}}')) fields.region = defaultOf(ctx, 'region', providerRegion(ctx.provider.config));
    return fields;
  }
  throw new CloudError(`Import id "${ctx.id}" doesn't match any of the accepted formats`, {
    detail: `${ctx.typeName} imports with any of: ${formats.join(', ')}.`,
  });
}

function defaultOf(ctx: ImportContext, field: 'project' | 'region', fallback: string | null): string {
  if (fallback) return fallback;
  throw new CloudError(`Cannot import ${ctx.typeName} "${ctx.id}": the id names no ${field} and the provider has none`, {
    detail: `Give the ${field} in the id (the type's full format is the first of its accepted formats), or set it in the provider block.`,
  });
}

/** Only the keys of `names` (a map value) taken from `labels`: how the provider reads label maps back. */
function namedLabels(labels: Record<string, string>, names: Value | undefined): Record<string, string> {
  return Object.fromEntries(Object.keys(stringMap(names)).map((k) => [k, labels[k] ?? '']));
}

/**
 * What `read` reports given the cloud's view of the object (`view`, the stored Terraform view
 * plus live values) and the state being refreshed.
 */
export function refreshedView(spec: ImportSpec, view: ObjectValue, state: ObjectValue): ObjectValue {
  const out: ObjectValue = { ...view };
  for (const name of Object.keys(spec.configOnly ?? {})) out[name] = state[name] ?? null;
  if (spec.labels) {
    const all = stringMap(view.effective_labels);
    // An unset `labels` stays null (the provider's empty map, which plans the same).
    out.labels = isObjectValue(state.labels) ? namedLabels(all, state.labels) : null;
    out.terraform_labels = namedLabels(all, state.terraform_labels);
  }
  return spec.adjust ? spec.adjust(out, state) : out;
}

/** The state an import starts from, before `read` completes it. */
function importedState(spec: ImportSpec, id: string): ObjectValue {
  const state: ObjectValue = { id, ...spec.configOnly };
  if (spec.labels) {
    state.labels = null;
    state.terraform_labels = {};
  }
  return state;
}

/**
 * The `import` and `read` of a type from its plain read (`base`: the cloud's view of the object
 * whose id the state holds, or null): import parses the id, and both apply what the provider
 * reads back and what it cannot.
 */
export function importable(spec: ImportSpec, base: (ctx: ReadContext) => ObjectValue | null): {
  import(ctx: ImportContext): ObjectValue | null;
  read(ctx: ReadContext): ObjectValue | null;
} {
  const read = (ctx: ReadContext): ObjectValue | null => {
    const view = base(ctx);
    return view ? refreshedView(spec, view, ctx.state) : null;
  };
  return {
    import(ctx) {
      const state = importedState(spec, spec.id(parseImportId(ctx, spec.formats)));
      return read({ ...ctx, state });
    },
    read,
  };
}
