/**
 * Terraform's "known after apply": a value that is not decided yet.
 *
 * On the wire (cty msgpack) an unknown is msgpack extension type 0. Terraform 1.3+ may instead send
 * a *refined* unknown (extension type 12) that carries hints such as "not null" or "starts with
 * arn:". Butter does not reason about refinements, but keeps their bytes so a value that comes in
 * refined goes back out exactly as it came (Terraform checks planned values against config).
 */
export class Unknown {
  /** The ext-12 payload when Terraform refined this unknown; `undefined` for a plain unknown. */
  public readonly refinements?: Uint8Array;

  constructor(refinements?: Uint8Array) {
    this.refinements = refinements;
  }

  /** Unknowns never belong in JSON (cloud state, Terraform state); make a slip visible. */
  public toJSON(): string {
    return '<unknown>';
  }
}

/** The plain unknown. Resource code marks attributes "known after apply" with it. */
export const UNKNOWN: Unknown = new Unknown();

/** True when `v` is unknown (plain or refined). */
export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

/** True when `v` contains no unknown at any depth. */
export function isWhollyKnown(v: unknown): boolean {
  if (v instanceof Unknown) return false;
  if (Array.isArray(v)) return v.every(isWhollyKnown);
  if (v !== null && typeof v === 'object') return Object.values(v).every(isWhollyKnown);
  return true;
}
