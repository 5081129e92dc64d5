import { CloudStore, PendingCreates } from '../cloud/store';
import { Cloud } from '../cloud/cloud';
import { Schema } from '../schema/compile';
import { fromJson } from '../values/codec';
import { Json, JsonObject, ObjectValue, Value } from '../values/value';
import { AttributePath, CloudError } from './diagnostics';
import { createFingerprint, journalKey } from './journal';
import { firstUnknown, overlay, resolveUnknowns, unknownParts } from './merge';
import { GenericPlan, planChange } from './plan';
import { Awaitable, DataSourceType, OperationContext, ResourceType } from './types';

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
  /** The create journal (journal.ts): this Terraform run's session, and confirming known objects. */
  readonly journal: {
    readonly session: string;
    /** Drop the journal entry under `key` now that Terraform showed it knows the object. */
    confirm(key: string): Promise<void>;
  };
  /** The provider's {@link ProviderDefinition.afterApply}. */
  readonly afterApply?: (cloud: Cloud) => Awaitable<void>;
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
 *
 * A create first looks for an orphan to adopt (see journal.ts) and records itself in the create
 * journal; an update or delete shows Terraform knows the object, which drops its entry.
 */
export async function applyResource(r: Simulated<ResourceType>, prior: ObjectValue | null, planned: ObjectValue | null,
  config: ObjectValue, signal: AbortSignal): Promise<ObjectValue | null> {
  const { type } = r;
  try {
    await apiLatency(signal);
    return await r.store.transaction(async (cloud, pending) => {
      const state = await applyIn(r, cloud, pending, prior, planned, config, signal);
      await r.afterApply?.(cloud);
      return state;
    }, signal);
  } catch (e) {
    if (!signal.aborted) throw e;
    throw new CloudError(`${type.name}: the apply was interrupted; the mock cloud was left unchanged`, {
      detail: String((signal.reason as Error | undefined)?.message ?? signal.reason),
    });
  }
}

/**
 * How long each create, update or delete takes to answer (`BUTTER_MOCK_LATENCY_MS`, at most a
 * minute; 0, the default, answers at once). A real cloud takes seconds: this is how to see what a
 * deploy does while one is under way (an interrupt, a second user), without racing a fast mock.
 */
const LATENCY_MS = Math.min(60_000, Math.max(0, Math.floor(Number(process.env.BUTTER_MOCK_LATENCY_MS ?? 0)) || 0));

function apiLatency(signal: AbortSignal): Promise<void> {
  if (LATENCY_MS === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, LATENCY_MS);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

/** The create, update or delete of {@link applyResource}, inside its transaction. */
async function applyIn(r: Simulated<ResourceType>, cloud: Cloud, pending: PendingCreates, prior: ObjectValue | null,
  planned: ObjectValue | null, config: ObjectValue, signal: AbortSignal): Promise<ObjectValue | null> {
  const { type, schema } = r;
  const base = { ...r.context(cloud), signal };
  const known = journalKey(type.name, prior);
  if (known) pending.remove(known);
  if (planned === null) {
    if (prior !== null) await type.delete({ ...base, state: prior });
    return null;
  }
  if (prior !== null) {
    const result = type.update ? await type.update({ ...base, planned, config, prior }) : undefined;
    const updated = resolveUnknowns(planned, result ?? {}, schema.block.shape) as ObjectValue;
    mustBeKnown(updated, `${type.name} update`);
    return updated;
  }
  const fingerprint = createFingerprint(type.name, base.provider.config, planned, schema.block.shape);
  const adopted = await adoptOrphan(r, cloud, pending, planned, fingerprint);
  if (adopted) return adopted;
  const result = await type.create({ ...base, planned, config });
  const created = resolveUnknowns(planned, result, schema.block.shape) as ObjectValue;
  mustBeKnown(created, `${type.name} create`);
  const key = journalKey(type.name, created);
  if (key) {
    const decided = (unknownParts(planned, created, schema.block.shape) ?? null) as Json;
    pending.add(key, { type: type.name, fingerprint, session: r.journal.session, decided });
  }
  return created;
}

/**
 * An object an earlier Terraform run had created for the same request and died before saving in
 * its state: its state for this create, or undefined. Entries of objects that are gone are dropped.
 *
 * The adopted object's entry stays, now under this run's session: adopting is a create as far as
 * Terraform knows, and this run may die before saving it just as the creating one did (killed
 * between this transaction's commit and Terraform receiving the answer, or before its state
 * reached the backend). Were the entry dropped here, the object would be in neither Terraform's
 * state nor the journal, and the next run would create it again. Like a create's entry, it goes
 * once Terraform refreshes, updates or deletes the object.
 */
async function adoptOrphan(r: Simulated<ResourceType>, cloud: Cloud, pending: PendingCreates, planned: ObjectValue,
  fingerprint: string): Promise<ObjectValue | undefined> {
  const shape = r.schema.block.shape;
  const candidates = pending.find((e) => e.type === r.type.name && e.fingerprint === fingerprint && e.session !== r.journal.session);
  for (const [key, entry] of candidates) {
    // The orphan's state: this plan (equal to the orphan's) with what the cloud decided then.
    const state = resolveUnknowns(planned, entry.decided, shape) as ObjectValue;
    const found = await r.type.read({ ...r.context(cloud), state });
    if (found === null) {
      pending.remove(key);
      continue;
    }
    // Known planned values win; the cloud's current values fill what was unknown.
    const adopted = resolveUnknowns(planned, overlay(state, found, shape), shape) as ObjectValue;
    mustBeKnown(adopted, `${r.type.name} create (adopting ${key})`);
    pending.add(key, { ...entry, session: r.journal.session });
    return adopted;
  }
  return undefined;
}

/**
 * ReadResource: the state refreshed from the cloud, or null when the object is gone. Terraform
 * refreshes what its state holds, so an object still in the create journal is confirmed (one
 * small transaction, only then).
 */
export async function readResource(r: Simulated<ResourceType>, state: ObjectValue): Promise<ObjectValue | null> {
  const key = journalKey(r.type.name, state);
  const [found, unconfirmed] = await r.store.read(async (cloud, pending) => [
    await r.type.read({ ...r.context(cloud), state }),
    key !== undefined && pending.has(key),
  ] as const);
  if (unconfirmed) await r.journal.confirm(key!);
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
  // Terraform's own wording for an id that names nothing (it says so when `read` finds nothing
  // after a passthrough import), so both ways of not finding an object read the same.
  if (state === null) {
    throw new CloudError('Cannot import non-existent remote object', {
      detail: `No ${type.name} matches the import id "${id}" in the Butter mock cloud (check the id, and the provider's region or project).`,
    });
  }
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
