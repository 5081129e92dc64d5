/**
 * Configurations of Terraform's built-in `terraform_data` resource that the mock deploy benchmark
 * compares against (mock-deploy.ts). Pure: JSON in, JSON out.
 *
 * - {@link floorConfig}: the floor, N resources with one short string each.
 * - {@link sameValuesConfig}: the same N resources, each carrying its stack's resource's configured
 *   values as `input`, with the same dependency edges. Terraform then plans, stores and diffs as
 *   many values as the real stack, with no provider at all: what this configuration costs Terraform
 *   itself. The difference between the two floors is the weight of the configuration, which no
 *   provider can remove.
 */

/** A Terraform JSON configuration (the parts read here). */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly [key: string]: unknown;
}

/** `count` terraform_data resources with one short string each: the floor. */
export function floorConfig(count: number): TerraformJson {
  const resource: Record<string, Record<string, unknown>> = {};
  for (let i = 0; i < count; i++) resource[`r${i}`] = { input: `value-${i}` };
  return { resource: { terraform_data: resource } };
}

/** Meta-arguments: they steer Terraform (or name a provider) rather than describe the object. */
const META = new Set(['lifecycle', 'depends_on', 'provider', 'count', 'for_each', 'provisioner', 'connection']);

/** `${...}` interpolations; the body stops at the first `}` (Butter's references have none inside). */
const INTERPOLATION = /\$\{([^}]*)\}/g;
/** A reference to a managed resource in an expression: `<type>.<name>`, as written by cdktf. */
const RESOURCE_REFERENCE = /(?<![\w.-])([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g;

/** The terraform_data name standing for resource `type.name`. */
function stand(type: string, name: string): string {
  return `${type}__${name}`;
}

/**
 * Every managed resource of `config` as a terraform_data resource whose `input` is the resource's
 * own arguments, interpolations replaced by literal text (Terraform cannot evaluate references to
 * resources that are not there), and whose `depends_on` lists the resources it referred to, so the
 * graph keeps its shape. Data sources, locals and outputs are left out.
 */
export function sameValuesConfig(config: TerraformJson): TerraformJson {
  const types = new Set(Object.keys(config.resource ?? {}));
  const resource: Record<string, Record<string, unknown>> = {};
  for (const [type, byName] of Object.entries(config.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const deps = new Set<string>();
      const args = Object.fromEntries(Object.entries(body).filter(([k]) => !META.has(k)));
      const input = literal(args, (ref) => {
        for (const m of ref.matchAll(RESOURCE_REFERENCE)) {
          if (types.has(m[1]) && config.resource?.[m[1]]?.[m[2]]) deps.add(`terraform_data.${stand(m[1], m[2])}`);
        }
      });
      resource[stand(type, name)] = { input, ...(deps.size > 0 ? { depends_on: [...deps].sort() } : {}) };
    }
  }
  return { resource: { terraform_data: resource } };
}

/** `value` with every interpolation turned into plain text; `onReference` sees each one's body. */
function literal(value: unknown, onReference: (expression: string) => void): unknown {
  if (typeof value === 'string') {
    return value.replace(INTERPOLATION, (_, body: string) => {
      onReference(body);
      return `ref(${body.replace(/[^\w.-]/g, '_')})`;
    });
  }
  if (Array.isArray(value)) return value.map((v) => literal(v, onReference));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literal(v, onReference)]));
  }
  return value;
}
