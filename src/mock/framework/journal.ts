import { createHash, randomUUID } from 'node:crypto';
import { CloudStore } from '../cloud/store';
import { Shape } from '../values/shape';
import { isUnknown } from '../values/unknown';
import { isObjectValue, ObjectValue, Value } from '../values/value';

/**
 * The create journal: how an apply killed midway converges on the next one.
 *
 * Terraform records an object in its state only once the provider has answered, and its state
 * on disk lags further: remote backends save it at most every 20 s, and the local backend
 * rewrites the whole file after every change by truncating it first, so a kill at that moment
 * leaves it empty. Killed (SIGKILL, a crash, a lost machine), Terraform leaves orphans: objects the
 * cloud created that it does not know. The next apply creates them again, failing on a duplicate
 * (AlreadyExists, InvalidPermission.Duplicate…) or silently doubling them.
 *
 * So every create also records, in the same cloud transaction, a {@link PendingCreate}: the
 * object's type, what the cloud decided for it, the session (one per Terraform run) that made it,
 * and a fingerprint of what Terraform asked for. A later create of the same type and fingerprint
 * from another session adopts the object instead of making a new one, if it still exists. An
 * entry goes away only when Terraform shows it knows the object: when it refreshes it (every plan
 * refreshes everything in its state), updates it or deletes it. Adopting is not such a sign (the
 * adopting run may be killed before it saves the object, as the creating one was): the entry
 * stays, under the adopting session. Within one session nothing is adopted, so two identical
 * resources in one apply stay two objects.
 */

/** A new provider session id: one per Terraform run (each ConfigureProvider). */
export function newSession(): string {
  return randomUUID();
}

/**
 * What Terraform asked for when it planned a create: the type, the provider configuration (two
 * aliases in different regions never share objects) and the planned value, whose unknowns (what
 * the cloud decides) all look alike. Any known difference gives another fingerprint.
 */
export function createFingerprint(typeName: string, providerConfig: ObjectValue, planned: ObjectValue, shape: Shape): string {
  const text = `${typeName}\n${canonical(providerConfig, undefined)}\n${canonical(planned, shape)}`;
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The journal key of an object: type and id. Types whose state has no string `id` are not
 * journaled (every AWS and Google resource has one).
 */
export function journalKey(typeName: string, state: ObjectValue | null): string | undefined {
  const id = state?.id;
  return typeof id === 'string' && id !== '' ? `${typeName}/${id}` : undefined;
}

/**
 * A serialization that is the same for equal values: object keys sorted, set elements sorted
 * (where the shape says it is a set), unknowns as a marker no JSON value can produce.
 */
export function canonical(value: Value | undefined, shape: Shape | undefined): string {
  if (value === undefined || value === null) return 'null';
  if (isUnknown(value)) return '?';
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    const element = (i: number): Shape | undefined => {
      if (shape?.kind === 'list' || shape?.kind === 'set') return shape.element;
      return shape?.kind === 'tuple' ? shape.elements[i] : undefined;
    };
    const items = value.map((v, i) => canonical(v, element(i)));
    if (shape?.kind === 'set') items.sort();
    return `[${items.join(',')}]`;
  }
  if (!isObjectValue(value)) return JSON.stringify(value);
  const attribute = (k: string): Shape | undefined => {
    if (shape?.kind === 'object') return shape.attributes.get(k);
    return shape?.kind === 'map' ? shape.element : undefined;
  };
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k], attribute(k))}`).join(',')}}`;
}

/**
 * Removing journal entries of objects Terraform showed it knows, from refreshes. Terraform
 * refreshes up to ten objects at once; the store commits transactions that arrive together in
 * one write (CloudStore's group commit), so each confirmation is simply its own transaction.
 */
export class Confirmations {
  constructor(private readonly store: CloudStore) {}

  /** Drop the entry under `key`; resolves once that is on disk. */
  public async confirm(key: string): Promise<void> {
    await this.store.transaction((_cloud, pending) => {
      pending.remove(key);
    });
  }
}
