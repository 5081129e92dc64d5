/**
 * Names for Google Cloud resources. Pure: no cdktf, no file access.
 *
 * Google names most Compute Engine resources with RFC 1035 labels: a lowercase letter, then
 * lowercase letters, digits and hyphens, not ending in a hyphen, at most 63 characters. Butter
 * builds names from the network's and service's construct ids, which may be anything (`Web`,
 * `api_v2`, a 200-character id), so each name is made valid here, and three promises hold:
 *
 * - **valid**: every result matches {@link GOOGLE_NAME_PATTERN} and fits the length asked for;
 * - **stable**: a name depends only on its own parts, never on other services or their order,
 *   so adding a service never renames (replaces) another one's resources;
 * - **unique**: names that are already valid are kept as they are (readable); any that had to
 *   change (case, characters, length) get a hash of the original parts, so two inputs that clean
 *   up to the same text still differ. The one ambiguity left, joining parts with `-` (network
 *   `a-b` + service `c` vs network `a` + service `b-c`), is caught by {@link GoogleNameBook}.
 */
import { createHash } from 'node:crypto';
import { ButterError } from '../errors';

/** What Google accepts for resource names (instances, networks, firewall rules, templates...). */
export const GOOGLE_NAME_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Longest resource name Google accepts. */
export const GOOGLE_NAME_MAX_LENGTH = 63;

/** Hex digits of the hash suffix: 32 bits, plenty to tell apart the names of one project. */
const HASH_LENGTH = 8;

/** Options of {@link googleName}. */
export interface GoogleNameOptions {
  /**
   * Longest result. Some fields take less than 63: a managed instance group's
   * `base_instance_name` (58, Google appends `-xxxx`), a template's `name_prefix` (37).
   * @default 63
   */
  readonly maxLength?: number;
}

/**
 * A valid, stable Google resource name for `parts` (joined with `-`): the parts themselves when
 * they already form a valid name that fits, otherwise a cleaned-up, truncated form ending in a
 * hash of the original parts (`my-very-long-serv…-1a2b3c4d`).
 */
export function googleName(parts: readonly string[], opts: GoogleNameOptions = {}): string {
  const max = opts.maxLength ?? GOOGLE_NAME_MAX_LENGTH;
  if (!Number.isInteger(max) || max < HASH_LENGTH + 3 || max > GOOGLE_NAME_MAX_LENGTH) {
    throw new RangeError(`googleName: maxLength must be ${HASH_LENGTH + 3} to ${GOOGLE_NAME_MAX_LENGTH}, not ${max}`);
  }
  const raw = parts.join('-');
  if (raw.length <= max && GOOGLE_NAME_PATTERN.test(raw)) return raw;

  const head = clean(raw).slice(0, max - HASH_LENGTH - 1).replace(/-+$/, '');
  return `${head}-${hashOf(parts)}`;
}

/**
 * Lowercase, every run of other characters as one hyphen, starting with a letter (`b-` for
 * Butter in front of a digit or nothing), no hyphen at the end.
 */
function clean(raw: string): string {
  const text = raw.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '').replace(/-+$/, '');
  return /^[a-z]/.test(text) ? text : `b-${text}`.replace(/-+$/, '');
}

/** Hash of the parts as a list (so `['a-b','c']` and `['a','b-c']` hash differently). */
function hashOf(parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, HASH_LENGTH);
}

/** What Google accepts for label values: lowercase letters, digits, `_` and `-`, at most 63. */
export const GOOGLE_LABEL_VALUE_PATTERN = /^[a-z0-9_-]{0,63}$/;

/**
 * A valid label value for `value` (labels carry the network and service names, like AWS tags):
 * the value itself when valid, otherwise cleaned up and ending in a hash, as {@link googleName}.
 */
export function googleLabelValue(value: string): string {
  if (GOOGLE_LABEL_VALUE_PATTERN.test(value)) return value;
  const head = value.toLowerCase().replace(/[^a-z0-9_-]+/g, '_').slice(0, GOOGLE_NAME_MAX_LENGTH - HASH_LENGTH - 1);
  return `${head}-${hashOf([value])}`;
}

/**
 * The names handed out in one Google project, so that two resources of one kind can never be
 * given the same name (Terraform would only find out at apply time, half way through a deploy).
 *
 * One book per (app, project), like the address ledger's books; `kind` separates name spaces
 * (a subnetwork and a firewall rule may share a name; two firewall rules may not).
 */
export class GoogleNameBook {
  private static readonly books = new WeakMap<object, Map<string, GoogleNameBook>>();

  /** The book of `project` in the app identified by `owner` (constructs pass the tree's root). */
  public static of(owner: object, project: string): GoogleNameBook {
    let perOwner = GoogleNameBook.books.get(owner);
    if (!perOwner) GoogleNameBook.books.set(owner, (perOwner = new Map()));
    let book = perOwner.get(project);
    if (!book) perOwner.set(project, (book = new GoogleNameBook(project)));
    return book;
  }

  /** `kind \0 name` → who holds it. */
  private readonly taken = new Map<string, string>();

  constructor(public readonly project: string) {}

  /**
   * Record that `holder` (a construct path) uses `name` for a resource of `kind`, and return the
   * name. The same holder may claim its name again; anyone else gets `GOOGLE_NAME_COLLISION`.
   */
  public claim(kind: string, name: string, holder: string): string {
    const key = `${kind}\u0000${name}`;
    const other = this.taken.get(key);
    if (other !== undefined && other !== holder) {
      throw new ButterError('GOOGLE_NAME_COLLISION',
        `${holder} and ${other} would both be the ${kind} "${name}" in Google project ${this.project}`, {
          constructPath: holder,
          hint: 'rename one of the networks or services. Butter joins names with "-", so network "a-b" with ' +
            'service "c" meets network "a" with service "b-c"',
        });
    }
    this.taken.set(key, holder);
    return name;
  }
}
