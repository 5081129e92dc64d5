import { DynamicValueMessage } from '../values/dynamic-value';

/**
 * Protocol messages as @grpc/proto-loader hands them over: plain objects, field names as in
 * `proto/tfplugin6.proto`, unset fields at their defaults.
 */

/** Request fields the provider service reads (the union over all RPCs; each uses some). */
export interface ProviderRequest {
  readonly type_name?: string;
  readonly config?: DynamicValueMessage | null;
  readonly prior_state?: DynamicValueMessage | null;
  readonly proposed_new_state?: DynamicValueMessage | null;
  readonly planned_state?: DynamicValueMessage | null;
  readonly current_state?: DynamicValueMessage | null;
  readonly prior_private?: Uint8Array | null;
  readonly planned_private?: Uint8Array | null;
  readonly private?: Uint8Array | null;
  /** ImportResourceState. */
  readonly id?: string;
  /** UpgradeResourceState: the schema version the state was written with. */
  readonly version?: number;
  readonly raw_state?: { readonly json?: Uint8Array | null; readonly flatmap?: Record<string, string> | null } | null;
  readonly terraform_version?: string;
  /** MoveResourceState. */
  readonly target_type_name?: string;
}

/** A response message. */
export type ProviderResponse = Record<string, unknown>;
