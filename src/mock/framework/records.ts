import { str } from '../values/read';
import { JsonObject, ObjectValue } from '../values/value';
import { CreateContext, OperationContext, ReadContext, UpdateContext } from './types';

/**
 * Where a simulated type keeps its objects: one record per object, of one kind, in the cloud.
 * Most types render their state from that record; `readRecord`, `priorRecord` and `claimId` are
 * the read, update and create prologues they would otherwise each spell out, so a new type is
 * mostly its schema and its rules.
 */
export interface RecordStore<R extends JsonObject> {
  /** The record kind in the cloud, e.g. `vpc`. */
  readonly kind: string;
  /** The record a state (or prior state) names, or undefined when the cloud has none. */
  find(ctx: OperationContext, state: ObjectValue): R | undefined;
  /** The real API's error for an object that is gone (given its id). */
  notFound(id: string): Error;
  /** The real API's error for a create whose id is taken (given the id). */
  alreadyExists?(id: string): Error;
}

/** `read`: the rendered record, or null once the object is gone (Terraform then recreates it). */
export function readRecord<R extends JsonObject>(
  store: RecordStore<R>,
  render: (ctx: ReadContext, record: R, state: ObjectValue) => ObjectValue,
): (ctx: ReadContext) => ObjectValue | null {
  return (ctx) => {
    const record = store.find(ctx, ctx.state);
    return record ? render(ctx, record, ctx.state) : null;
  };
}

/** The record an update changes; the API's not-found error when it is gone. */
export function priorRecord<R extends JsonObject>(ctx: UpdateContext, store: RecordStore<R>): R {
  const record = store.find(ctx, ctx.prior);
  if (!record) throw store.notFound(str(ctx.prior.id) ?? '');
  return record;
}

/** On create, an id no object holds yet; the API's conflict error when one does. */
export function claimId<R extends JsonObject>(ctx: CreateContext, store: RecordStore<R>, id: string): string {
  if (ctx.cloud.get(store.kind, id) !== undefined) {
    throw store.alreadyExists ? store.alreadyExists(id) : new Error(`${store.kind} ${id} already exists`);
  }
  return id;
}
