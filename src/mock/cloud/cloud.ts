import { JsonObject, ObjectValue } from '../values/value';

/**
 * The simulated cloud's data, as resource code sees it: objects of some kind (`vpc`, `subnet`,
 * `instance`…) under an id, like the records behind a real cloud API. Each provider (aws, google)
 * has its own. Objects are JSON (no unknowns) and are copied in and out, so changing an object you
 * got does nothing until you `put` it back.
 *
 * During plan, read and import the cloud is read-only; during apply, changes are committed to disk
 * together when the RPC succeeds, and dropped when it fails or Terraform goes away mid-way.
 */
export interface Cloud {
  /** Which provider's cloud this is (`aws`, `google`). */
  readonly provider: string;
  /** False during plan, read and import: `put`, `delete` and `nextId` then throw. */
  readonly writable: boolean;
  /** The object of `kind` with `id`, or undefined. */
  get<T extends JsonObject = JsonObject>(kind: string, id: string): T | undefined;
  /**
   * All objects of `kind`, optionally only those matching `filter` (a predicate, or an object
   * whose fields must all be equal), in id order.
   */
  list<T extends JsonObject = JsonObject>(kind: string, filter?: Partial<NoInfer<T>> | ((object: NoInfer<T>, id: string) => boolean)): T[];
  /**
   * Store `value` as the object of `kind` with `id` (replacing any). Returns a copy. Values taken
   * from `ctx.planned` may be stored as they are: at apply time configuration is always known,
   * and storing an unknown throws.
   */
  put<T extends JsonObject>(kind: string, id: string, value: T | ObjectValue): T;
  /** Remove an object; false if there was none. */
  delete(kind: string, id: string): boolean;
  /**
   * A new id in the AWS style: `vpc` → `vpc-0a1b2c3d4e5f67890` (the prefix, a dash and 17 hex
   * digits). Ids never repeat within one cloud; they are derived from a counter, so a fresh cloud
   * hands out the same ids every time (stable test output).
   */
  nextId(prefix: string): string;
  /** A new numeric id in the Google style: 19 decimal digits, as a string. */
  nextNumericId(): string;
}
