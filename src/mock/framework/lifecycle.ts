import { CloudStore } from '../cloud/store';
import { Cloud } from '../cloud/cloud';
import { Schema } from '../schema/compile';
import { fromJson } from '../values/codec';
import { JsonObject, ObjectValue, Value } from '../values/value';
import { AttributePath, CloudError } from './diagnostics';
import { firstUnknown, overlay, resolveUnknowns } from './merge';
import { GenericPlan, planChange } from './plan';
import { DataSourceType, OperationContext, ResourceType } from './types';

/**
 * What each resource RPC means, on decoded values: the generic rules around the callbacks of a
 * {@link ResourceType} or {@link DataSourceType}. (ProviderService does the wire side: decoding,
 * encoding, diagnostics.)
 */

/** A simulated type with its compiled schema, the cloud, and a way to make callback contexts. */
export interface Simulated<T> {
  readonly type: T;
  readonly schema: Schema;
  readonly store: CloudStore;
  context(cloud: Cloud): OperationContext;
}

/** PlanResourceChange for a create (`prior` null) or update: the generic plan, then the type's hook. */
export async function planResource(r: Simulated<ResourceType>, prior: ObjectValue | null, proposed: ObjectValue,
  config: ObjectValue): Promise<GenericPlan> {
  const plan = planChange(r.schema.block, prior, proposed, config);
  if (r.type.plan) {
    await r.store.read((cloud) => r.type.plan?.({
      ...r.context(cloud),
      prior,
      config,
      proposed,
      planned: plan.planned,
      requireReplace: (path: AttributePath) => plan.requiresReplace.push(path),
    }));
  }
  return plan;
}

/**
 * ApplyResourceChange: create (no prior state), update, or delete (no planned state), as one cloud
 * transaction that commits only if everything succeeds and `signal` was not aborted. Returns the
 * new state: the planned value with its unknowns filled from what the callback returned.
 */
export async function applyResource(r: Simulated<ResourceType>, prior: ObjectValue | null, planned: ObjectValue | null,
  config: ObjectValue, signal: AbortSignal): Promise<ObjectValue | null> {
  const { type, schema } = r;
  try {
    return await r.store.transaction(async (cloud) => {
      const base = { ...r.context(cloud), signal };
      if (planned === null) {
        if (prior !== null) await type.delete({ ...base, state: prior });
        return null;
      }
      const result = prior === null
        ? await type.create({ ...base, planned, config })
        : type.update ? await type.update({ ...base, planned, config, prior }) : undefined;
      const resolved = resolveUnknowns(planned, result ?? {}, schema.block.shape) as ObjectValue;
      mustBeKnown(resolved, `${type.name} ${prior === null ? 'create' : 'update'}`);
      return resolved;
    }, signal);
  } catch (e) {
    if (!signal.aborted) throw e;
    throw new CloudError(`${type.name}: the apply was interrupted; the mock cloud was left unchanged`, {
      detail: String((signal.reason as Error | undefined)?.message ?? signal.reason),
    });
  }
}

/** ReadResource: the state refreshed from the cloud, or null when the object is gone. */
export async function readResource(r: Simulated<ResourceType>, state: ObjectValue): Promise<ObjectValue | null> {
  const found = await r.store.read((cloud) => r.type.read({ ...r.context(cloud), state }));
  const refreshed = found === null ? null : overlay(state, found, r.schema.block.shape);
  mustBeKnown(refreshed, `${r.type.name} read`);
  return refreshed;
}

/** ImportResourceState: the type's `import`, or `{ id }` for `read` to complete. */
export async function importResource(r: Simulated<ResourceType>, id: string): Promise<ObjectValue> {
  const { type, schema } = r;
  let state: Value;
  if (type.import) {
    state = await r.store.read((cloud) => type.import?.({ ...r.context(cloud), id }) ?? null);
  } else if (schema.block.attributes.some((a) => a.name === 'id')) {
    state = { id };
  } else {
    throw new CloudError(`${type.name} cannot be imported into the Butter mock cloud`);
  }
  if (state === null) throw new CloudError(`Cannot import ${type.name} "${id}": no such object in the mock cloud`);
  const imported = overlay({}, state as ObjectValue, schema.block.shape);
  mustBeKnown(imported, `${type.name} import`);
  return imported;
}

/** UpgradeResourceState: stored JSON (written under schema `version`) in the current schema. */
export function upgradeResource(type: ResourceType, schema: Schema, stored: JsonObject, version: number): ObjectValue {
  if (version > schema.version) {
    throw new CloudError(`${type.name}: the state was written by schema version ${version}, newer than this mock cloud's ${schema.version}`);
  }
  const current = version < schema.version && type.upgrade ? type.upgrade(stored, version) : stored;
  return fromJson(current, schema.block.shape) as ObjectValue;
}

/** ReadDataSource: the data merged over the configuration. */
export async function readDataSource(d: Simulated<DataSourceType>, config: ObjectValue): Promise<ObjectValue> {
  const found = await d.store.read((cloud) => d.type.read({ ...d.context(cloud), config }));
  const state = overlay(config, found, d.schema.block.shape);
  mustBeKnown(state, `data.${d.type.name} read`);
  return state;
}

/** Terraform accepts no unknown in a state; name the first one, which is a simulation bug. */
function mustBeKnown(value: Value, operation: string): void {
  const path = firstUnknown(value);
  if (path) throw new Error(`${operation} left ${path.join('.') || 'the value'} unknown; every value must be known once the cloud has acted`);
}
