/**
 * The fidelity corpus: plain Terraform configurations (Terraform JSON), each one documented rule of
 * the real API or provider, with where it is documented, applied to the mock through the real
 * Terraform CLI by fidelity.test.ts. A case is either refused with the real error (at validate,
 * plan or apply time, as the real provider refuses it), accepted and planning clean afterwards, or
 * accepted and drifting on the next plan (where the real provider does so).
 *
 * Every case names its resources after its id, so the cases of one kind run together in one
 * configuration; grow the corpus with every rule added to the mock.
 */

/** Terraform JSON: the blocks a case adds to the configuration. */
export interface TfJson {
  readonly resource?: Record<string, Record<string, object>>;
  readonly data?: Record<string, Record<string, object>>;
}

export interface FidelityCase {
  /** Unique; also the prefix of the case's resource names. */
  readonly id: string;
  /** The rule, as the documentation states it. */
  readonly rule: string;
  /** Where the rule is documented. */
  readonly source: string;
  /** One of the 11 disagreements issue 17 counted. */
  readonly issue17?: boolean;
  /**
   * `quota`: the case lowers a quota that counts a whole region or project (QUOTA_WORKSPACE), so it
   * runs in a workspace of its own, after the others, where nothing else counts against it.
   * `large`: the case's configuration holds hundreds of KB (a metadata limit), which makes
   * Terraform slow at every other resource of its configuration (measured: the apply workspace
   * took 11 s with the two such cases, 5 s without them), so it is applied on its own, in parallel.
   */
  readonly workspace?: 'quota' | 'large';
  readonly expect:
    | { readonly refused: 'validate' | 'plan' | 'apply'; readonly at: string; readonly error: RegExp }
    | { readonly accepted: true }
    | { readonly drifts: string };
  readonly config: TfJson;
}

/**
 * The quotas of the `quota` workspace (BUTTER_MOCK_QUOTAS while it runs): low enough that its few
 * cases reach them. Region-wide AWS quotas are reached in a region of their own each (us-east-1 for
 * Auto Scaling groups, us-west-2 for launch templates, eu-west-1 for vCPUs).
 */
export const QUOTA_WORKSPACE = {
  aws: { auto_scaling_groups_per_region: 2, launch_templates_per_region: 3, on_demand_standard_vcpus: 4 },
  google: { subnetworks_per_project: 2 },
};

/** Merge the cases' blocks into one configuration; a name used twice must mean the same thing. */
export function mergeCases(cases: readonly FidelityCase[]): TfJson {
  const out: { resource: Record<string, Record<string, object>>; data: Record<string, Record<string, object>> } = { resource: {}, data: {} };
  for (const c of cases) {
    for (const block of ['resource', 'data'] as const) {
      for (const [type, named] of Object.entries(c.config[block] ?? {})) {
        out[block][type] ??= {};
        for (const [name, body] of Object.entries(named)) {
          const existing = out[block][type][name];
          if (existing && JSON.stringify(existing) !== JSON.stringify(body)) throw new Error(`${c.id}: ${block}.${type}.${name} is defined differently elsewhere`);
          out[block][type][name] = body;
        }
      }
    }
  }
  return {
    ...(Object.keys(out.resource).length > 0 ? { resource: out.resource } : {}),
    ...(Object.keys(out.data).length > 0 ? { data: out.data } : {}),
  };
}

/** `{ [type]: { [name]: body } }`, for writing cases compactly. */
export function r(type: string, name: string, body: object): Record<string, Record<string, object>> {
  return { [type]: { [name]: body } };
}

/** Several `r(...)` merged. */
export function rs(...parts: Record<string, Record<string, object>>[]): Record<string, Record<string, object>> {
  const out: Record<string, Record<string, object>> = {};
  for (const p of parts) for (const [type, named] of Object.entries(p)) out[type] = { ...out[type], ...named };
  return out;
}
