/**
 * Subnet sizing and *stable* address allocation. Pure: no cdktf, no file access (the ledger's
 * file lives in `ledger.ts`).
 *
 * Why a ledger: a pure function of today's service set cannot keep addresses stable. When a new
 * service's natural place collides with an existing one, somebody has to move, and moving a
 * subnet in the cloud means replacing it and everything in it (the renumbering AWS CDK users
 * hit: aws-cdk issues 28644 and 6683). So, like AWS CDK's `cdk.context.json`, every block handed
 * out is recorded, recorded blocks are reused as they are, and new blocks only go to free space.
 */
import { ButterError, cut, withErrorLocation } from '../errors';
import {
  Cidr,
  cidrContains,
  cidrLast,
  cidrOverlaps,
  cidrSize,
  CidrInput,
  formatCidr,
  isPrivateCidr,
  parseCidr,
  PRIVATE_IPV4_RANGES,
  toCidr,
} from './ipv4';

// ---------------------------------------------------------------------------------------------
// Subnet sizing
// ---------------------------------------------------------------------------------------------

/** What a cloud allows for one subnet. */
export interface SubnetRules {
  /** Cloud the rules belong to. */
  readonly cloud: 'aws' | 'google';
  /** Addresses the cloud keeps for itself in every subnet (network, router, DNS, broadcast…). */
  readonly reservedPerSubnet: number;
  /** Shortest allowed prefix, i.e. the largest subnet (AWS /16, Google /8). */
  readonly minPrefix: number;
  /** Longest allowed prefix, i.e. the smallest subnet (AWS /28, Google /29). */
  readonly maxPrefix: number;
}

/** AWS: 5 reserved addresses per subnet (network, router, DNS, future use, broadcast); /16 to /28. */
export const AWS_SUBNET_RULES: SubnetRules = { cloud: 'aws', reservedPerSubnet: 5, minPrefix: 16, maxPrefix: 28 };

/** Google Cloud: 4 reserved addresses per IPv4 subnet range (network, gateway, two at the end); /8 to /29. */
export const GOOGLE_SUBNET_RULES: SubnetRules = {
  cloud: 'google',
  reservedPerSubnet: 4,
  minPrefix: 8,
  maxPrefix: 29,
};

/**
 * Prefix of the smallest subnet that holds `instancesPerSubnet` instances once the cloud's
 * reserved addresses are taken out, never smaller than the cloud allows.
 * Throws `SUBNET_SIZE_INVALID` for a count below 1, `SUBNET_SIZE_IMPOSSIBLE` when even the
 * largest allowed subnet is too small.
 */
export function subnetPrefixFor(instancesPerSubnet: number, rules: SubnetRules): number {
  const key = 'network.subnetwork_max_instance_count';
  if (!Number.isInteger(instancesPerSubnet) || instancesPerSubnet < 1) {
    throw new ButterError('SUBNET_SIZE_INVALID', `a subnet must hold a whole number of instances, at least 1 (got ${instancesPerSubnet})`, {
      key,
      hint: 'set subnetwork_max_instance_count to a positive whole number',
    });
  }
  const needed = instancesPerSubnet + rules.reservedPerSubnet;
  // Walk from the smallest allowed subnet up; the first that fits is the tightest.
  for (let prefix = rules.maxPrefix; prefix >= rules.minPrefix; prefix--) {
    if (cidrSize(prefix) >= needed) return prefix;
  }
  const most = cidrSize(rules.minPrefix) - rules.reservedPerSubnet;
  throw new ButterError(
    'SUBNET_SIZE_IMPOSSIBLE',
    `${instancesPerSubnet} instances do not fit in one ${rules.cloud} subnet (the largest, a /${rules.minPrefix}, holds ${most} after ${rules.reservedPerSubnet} reserved addresses)`,
    {
      key,
      hint: `lower subnetwork_max_instance_count or spread over more availability_zones so each zone's subnet needs at most ${most} instances`,
    },
  );
}

/** Instances each zone's subnet must hold when `maxInstanceCount` are spread over `zones`. */
export function instancesPerZone(maxInstanceCount: number, zones: number): number {
  checkZones(zones);
  return Math.ceil(maxInstanceCount / zones);
}

/** Throws `ZONE_COUNT_INVALID` unless `zones` is a whole number of at least 1. */
function checkZones(zones: number): void {
  if (!Number.isInteger(zones) || zones < 1) {
    throw new ButterError('ZONE_COUNT_INVALID', `availability zone count must be a whole number, at least 1 (got ${zones})`, {
      key: 'placement.availability_zones',
      hint: 'set availability_zones to 1 or more',
    });
  }
}

// ---------------------------------------------------------------------------------------------
// The ledger: blocks already handed out
// ---------------------------------------------------------------------------------------------

/**
 * Every address block Butter has handed out, kept between runs (see `ledger.ts` for the file).
 * JSON-serializable; written with sorted keys so changes diff cleanly in version control.
 */
export interface Ledger {
  /** Format version; bumped on incompatible changes. */
  readonly version: 1;
  /** Allocations per network name. */
  readonly networks: Readonly<Record<string, LedgerNetwork>>;
}

/** One network's block and the subnets carved from it. */
export interface LedgerNetwork {
  /** The network's block, e.g. `10.0.0.0/16`. */
  readonly cidr: string;
  /** Subnets per service name, including services absent from the latest run (still reserved). */
  readonly services: Readonly<Record<string, LedgerService>>;
}

/** One service's subnets. */
export interface LedgerService {
  /** Prefix length of every subnet in `subnets`. */
  readonly prefix: number;
  /** One subnet per zone, in zone order (index i belongs to the service's i-th zone). */
  readonly subnets: readonly string[];
}

/** A ledger with nothing allocated. */
export function emptyLedger(): Ledger {
  return { version: 1, networks: {} };
}

const LEDGER_HINT =
  'the ledger records address blocks already in use: restore it from version control, or correct the entry by hand. ' +
  'Deleting the file plans every address afresh, which can renumber (replace) existing networks and subnets';

function ledgerError(key: string, problem: string): ButterError {
  // Keys hold names from the file, which may be megabytes long.
  return new ButterError('LEDGER_INVALID', `invalid address ledger: ${problem}`, { key: cut(key, 200), hint: LEDGER_HINT });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(value: Record<string, unknown>, allowed: readonly string[], key: string): void {
  for (const k of Object.keys(value)) {
    if (!allowed.includes(k)) throw ledgerError(key ? `${key}.${k}` : k, `unknown key '${cut(k)}'`);
  }
}

function parseLedgerCidr(value: unknown, key: string): Cidr {
  if (typeof value !== 'string') throw ledgerError(key, 'expected a CIDR block string');
  // The longest block is 18 characters (255.255.255.255/32); do not parse (or quote) megabytes.
  if (value.length > 18) throw ledgerError(key, `'${cut(value, 40)}' is not a CIDR block (${value.length} characters)`);
  try {
    return parseCidr(value);
  } catch (e) {
    if (e instanceof ButterError) throw ledgerError(key, e.problem);
    throw e;
  }
}

/** Names in a fixed, locale-independent order (UTF-16 code units), for stable output. */
function sortedNames(names: Iterable<string>): string[] {
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Check that `value` is a well-formed ledger (shape, canonical CIDRs, every subnet inside its
 * network, no overlaps) and return a canonical copy with sorted keys. Throws `LEDGER_INVALID`
 * with the key path of the first problem of shape; the caller adds the file name.
 *
 * Overlapping or duplicate blocks are `LEDGER_CONFLICT` (all of them at once, see
 * {@link ledgerConflicts}): the state a git merge leaves when two branches each added a service
 * (or a network) from the same base: both took the lowest free block, and JSON hunks of
 * different keys merge cleanly. They are refused rather than repaired: the planner trusts every
 * entry as "in use", and guessing which of two clashing entries is deployed could move the
 * wrong one.
 *
 * Linear in the ledger's size apart from one sort per network, so a hostile ledger of a million
 * entries (the 16 MiB file cap allows about that) is answered in about a second.
 */
export function validateLedger(value: unknown): Ledger {
  if (!isPlainObject(value)) throw ledgerError('', 'expected an object with "version" and "networks"');
  checkKeys(value, ['version', 'networks'], '');
  if (value.version !== 1) throw ledgerError('version', `unsupported version ${JSON.stringify(value.version)} (expected 1)`);
  if (!isPlainObject(value.networks)) throw ledgerError('networks', 'expected an object of networks');
  const networkBlocks: Entry[] = [];
  const conflicts: ButterError[] = [];
  const networks: Array<[string, LedgerNetwork]> = [];
  for (const name of sortedNames(Object.keys(value.networks))) {
    const key = `networks.${name}`;
    const net = value.networks[name];
    if (!isPlainObject(net)) throw ledgerError(key, 'expected an object with "cidr" and "services"');
    checkKeys(net, ['cidr', 'services'], key);
    const block = parseLedgerCidr(net.cidr, `${key}.cidr`);
    networkBlocks.push({ owner: name, cidr: block, key: `${key}.cidr` });
    if (!isPlainObject(net.services)) throw ledgerError(`${key}.services`, 'expected an object of services');
    const taken: Entry[] = [];
    const services: Array<[string, LedgerService]> = [];
    for (const serviceName of sortedNames(Object.keys(net.services))) {
      const skey = `${key}.services.${serviceName}`;
      const svc = net.services[serviceName];
      if (!isPlainObject(svc)) throw ledgerError(skey, 'expected an object with "prefix" and "subnets"');
      checkKeys(svc, ['prefix', 'subnets'], skey);
      const prefix = svc.prefix;
      if (typeof prefix !== 'number' || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
        throw ledgerError(`${skey}.prefix`, 'expected a prefix length from 0 to 32');
      }
      if (!Array.isArray(svc.subnets) || svc.subnets.length === 0) {
        throw ledgerError(`${skey}.subnets`, 'expected a non-empty list of CIDR blocks');
      }
      const subnets = svc.subnets.map((text: unknown, i: number) => {
        const ikey = `${skey}.subnets[${i}]`;
        const subnet = parseLedgerCidr(text, ikey);
        if (subnet.prefix !== prefix) throw ledgerError(ikey, `${formatCidr(subnet)} is not a /${prefix} as "prefix" says`);
        if (!cidrContains(block, subnet)) throw ledgerError(ikey, `${formatCidr(subnet)} is outside network ${formatCidr(block)}`);
        taken.push({ owner: serviceName, cidr: subnet, key: ikey });
        return formatCidr(subnet);
      });
      services.push([serviceName, { prefix, subnets }]);
    }
    conflicts.push(...ledgerConflicts(taken).map(([a, b]) => subnetConflict(name, a, b)));
    networks.push([name, { cidr: formatCidr(block), services: Object.fromEntries(services) }]);
  }
  conflicts.unshift(...ledgerConflicts(networkBlocks).map(([a, b]) => networkConflict(a, b)));
  if (conflicts.length > 0) throw ButterError.combine('LEDGER_CONFLICT', conflicts, { hint: CONFLICT_HINT });
  // Object.fromEntries defines own properties, so even a network named `__proto__` is safe.
  return { version: 1, networks: Object.fromEntries(networks) };
}

/** One block of the ledger, with whose it is and where it is written. */
interface Entry {
  readonly owner: string;
  readonly cidr: Cidr;
  readonly key: string;
}

/**
 * Every pair of `entries` that overlap (at most {@link MAX_CONFLICTS}), each as (the earlier
 * block, the later one). One sort and one sweep: aligned blocks nest or are disjoint, so a block
 * overlaps an earlier one exactly when it starts before the furthest end seen so far, and the
 * entry with that end is the one it overlaps.
 */
export function ledgerConflicts(entries: readonly Entry[]): Array<[Entry, Entry]> {
  // Stable sort: among equal starts the larger block first, then written order.
  const sorted = [...entries].sort((a, b) => a.cidr.base - b.cidr.base || a.cidr.prefix - b.cidr.prefix);
  const found: Array<[Entry, Entry]> = [];
  let widest: Entry | undefined;
  for (const entry of sorted) {
    if (widest && entry.cidr.base <= cidrLast(widest.cidr)) {
      found.push([widest, entry]);
      if (found.length >= MAX_CONFLICTS) break;
    }
    if (!widest || cidrLast(entry.cidr) > cidrLast(widest.cidr)) widest = entry;
  }
  return found;
}

/** More conflicts than this are not looked for (the error shows at most 20 anyway). */
const MAX_CONFLICTS = 21;

const CONFLICT_HINT =
  'this is what merging two branches that each added a service (or network) leaves: both took the same free block. ' +
  'Keep the entry of the one that is deployed, delete the entry of the one that was not deployed yet from the ledger ' +
  '(butter.lock.json, or butter.workspace.lock.json for the workspace), and synth again: it gets a free block. ' +
  'If both are deployed, delete one and redeploy it (its subnets are replaced)';

function subnetConflict(network: string, a: Entry, b: Entry): ButterError {
  const what = a.owner === b.owner
    ? `service '${cut(a.owner)}' lists ${formatCidr(a.cidr)} and ${formatCidr(b.cidr)}, which overlap`
    : `services '${cut(a.owner)}' (${formatCidr(a.cidr)}) and '${cut(b.owner)}' (${formatCidr(b.cidr)}) ` +
      (a.cidr.base === b.cidr.base && a.cidr.prefix === b.cidr.prefix ? 'hold the same block' : 'hold overlapping blocks');
  const fix = a.owner === b.owner
    ? `delete the entry networks.${cut(network)}.services.${cut(a.owner)} and synth again`
    : `delete the entry of the service that was not deployed yet (networks.${cut(network)}.services.${cut(a.owner)} or ` +
      `networks.${cut(network)}.services.${cut(b.owner)}) and synth again: it gets a free block`;
  return new ButterError('LEDGER_CONFLICT', `address ledger conflict in network '${cut(network)}': ${what}`, { key: cut(b.key, 200), hint: fix });
}

function networkConflict(a: Entry, b: Entry): ButterError {
  return new ButterError(
    'LEDGER_CONFLICT',
    `address ledger conflict: networks '${cut(a.owner)}' (${formatCidr(a.cidr)}) and '${cut(b.owner)}' (${formatCidr(b.cidr)}) ` +
      (a.cidr.base === b.cidr.base && a.cidr.prefix === b.cidr.prefix ? 'hold the same block' : 'hold overlapping blocks'),
    {
      key: cut(b.key, 200),
      hint: `delete the entry of the network that was not deployed yet (networks.${cut(a.owner)} or networks.${cut(b.owner)}) and synth again: it gets a free block`,
    },
  );
}

// ---------------------------------------------------------------------------------------------
// The planner
// ---------------------------------------------------------------------------------------------

/** Working state of one network: its block and its services' subnets. */
interface NetworkState {
  cidr: Cidr;
  services: Map<string, { prefix: number; subnets: Cidr[] }>;
  /**
   * Every block in use, as address intervals sorted by start: the services' subnets, and the
   * blocks given up in this run (a re-sized or released service's old subnets). Those are not
   * written to the ledger, but nothing else may take them in this run: the old subnet still
   * exists in the cloud until this deploy replaces it. So within a run blocks are only ever
   * added, keeping this index is one sorted insert per block, and each allocation is a single
   * sweep instead of collecting and sorting the whole network again (that rebuild made
   * planning N services O(N² log N): half a second at N=1000).
   */
  busy: Interval[];
}

/** An inclusive range of addresses. */
interface Interval {
  readonly start: number;
  readonly end: number;
}

/** Options of {@link AddressPlanner}. */
export interface PlannerOptions {
  /**
   * Blocks known to be in use although the ledger may not record them: the subnets of deployed
   * Terraform state (see `address-book.ts`). No new subnet is placed on them; recorded entries
   * are returned as they are (a service's own deployed subnets are among these).
   * @default []
   */
  readonly reserved?: readonly CidrInput[];
}

/** What {@link AddressPlanner.ledger} returns. */
export interface LedgerResult {
  /** The ledger to save: previous entries kept, this run's allocations added. */
  readonly ledger: Ledger;
  /** Whether it differs from the ledger the planner started from (i.e. needs saving). */
  readonly changed: boolean;
}

/**
 * Allocates network blocks and per-zone service subnets, stably across runs.
 *
 * Start it from the previous ledger, ask for every network (`networkBlock`) and then every
 * service (`serviceSubnets`), and save `ledger()` afterwards. Guarantees:
 * - a recorded allocation that still matches the request is returned unchanged, whatever else
 *   was added, removed or reordered;
 * - new allocations take the lowest free aligned blocks, avoiding everything in the ledger,
 *   including services and networks not requested in this run (they may still exist in the
 *   cloud until the deploy removes them); only {@link release} frees them;
 * - blocks never overlap: networks with each other, and subnets within a network.
 */
export class AddressPlanner {
  private readonly previous: Ledger;
  private readonly networks = new Map<string, NetworkState>();
  /** Network blocks given up in this run (see {@link NetworkState.busy}). */
  private readonly retiredNetworks: Cidr[] = [];
  /** Requests seen this run, so a second, different request for the same name is caught. */
  private readonly networkRequests = new Map<string, string>();
  private readonly serviceRequests = new Map<string, string>();

  /** Blocks in use that the ledger may not know of (see {@link PlannerOptions.reserved}), sorted. */
  private readonly reserved: readonly Cidr[];

  /**
   * @param previous the ledger saved by the last run (validated here; throws `LEDGER_INVALID`
   * or `LEDGER_CONFLICT`).
   */
  constructor(previous: Ledger = emptyLedger(), options: PlannerOptions = {}) {
    this.previous = validateLedger(previous);
    this.reserved = (options.reserved ?? []).map((r) => toCidr(r)).sort((a, b) => a.base - b.base);
    for (const [name, net] of Object.entries(this.previous.networks)) {
      const services = new Map<string, { prefix: number; subnets: Cidr[] }>();
      for (const [serviceName, svc] of Object.entries(net.services)) {
        services.set(serviceName, { prefix: svc.prefix, subnets: svc.subnets.map((s) => parseCidr(s)) });
      }
      const cidr = parseCidr(net.cidr);
      // One sort, not a sorted insert per block: a ledger of many entries must stay quick.
      const blocks = [...services.values()].flatMap((svc) => svc.subnets);
      const busy = [...blocks, ...this.reservedIn(cidr)].map((b) => ({ start: b.base, end: cidrLast(b) })).sort((a, b) => a.start - b.start);
      this.networks.set(name, { cidr, services, busy });
    }
  }

  /** The reserved blocks that share addresses with `block`, as busy intervals. */
  private reservedIn(block: Cidr): Cidr[] {
    return this.reserved.filter((r) => cidrOverlaps(r, block));
  }

  /**
   * The block of network `network`: a `/(32 - sizeBits)` inside `allowedCidr`. Reuses the
   * recorded block when it still has that size and lies in `allowedCidr`; otherwise (first
   * run, or the size or range changed) takes the lowest free one, dropping the network's
   * recorded subnets, which belonged to the old block.
   * Throws `CIDR_INVALID`, `CIDR_NOT_PRIVATE`, `NETWORK_SIZE_INVALID`, `ADDRESS_SPACE_EXHAUSTED`.
   */
  public networkBlock(network: string, allowedCidr: string, sizeBits: number): string {
    const allowed = withErrorLocation({ key: 'network.allowed_private_cidr' }, () => parseCidr(allowedCidr));
    if (!isPrivateCidr(allowed)) {
      throw new ButterError('CIDR_NOT_PRIVATE', `${formatCidr(allowed)} is not a private address range`, {
        key: 'network.allowed_private_cidr',
        hint: `use a range inside ${PRIVATE_IPV4_RANGES.map(formatCidr).join(', ')}`,
      });
    }
    const hostBitsAvailable = 32 - allowed.prefix;
    if (!Number.isInteger(sizeBits) || sizeBits < 1 || sizeBits > hostBitsAvailable) {
      throw new ButterError(
        'NETWORK_SIZE_INVALID',
        `legacy_network_size_bits ${sizeBits} does not give a block inside ${formatCidr(allowed)}`,
        {
          key: 'network.legacy_network_size_bits',
          hint: `use a whole number from 1 to ${hostBitsAvailable} (${hostBitsAvailable} is the whole of ${formatCidr(allowed)}), or widen allowed_private_cidr`,
        },
      );
    }
    const prefix = 32 - sizeBits;

    const request = `${formatCidr(allowed)} ${sizeBits}`;
    const seen = this.networkRequests.get(network);
    if (seen !== undefined && seen !== request) {
      throw new ButterError('NETWORK_CONFLICT', `network '${network}' is requested twice with different address settings`, {
        hint: 'give each network a unique name',
      });
    }

    const existing = this.networks.get(network);
    if (existing && existing.cidr.prefix === prefix && cidrContains(allowed, existing.cidr)) {
      this.networkRequests.set(network, request);
      return formatCidr(existing.cidr);
    }

    const occupied = [...this.retiredNetworks];
    for (const [name, state] of this.networks) if (name !== network) occupied.push(state.cidr);
    const block = firstFree(allowed, prefix, mergedIntervals(occupied));
    if (block === undefined) {
      throw new ButterError(
        'ADDRESS_SPACE_EXHAUSTED',
        `no free /${prefix} is left in ${formatCidr(allowed)} for network '${network}' (${occupied.length} other network block(s) recorded)`,
        {
          key: 'network.legacy_network_size_bits',
          hint: 'lower legacy_network_size_bits, widen allowed_private_cidr, or release networks that no longer exist from the address ledger',
        },
      );
    }
    if (existing) this.retiredNetworks.push(existing.cidr);
    const busy = this.reservedIn(block).map((b) => ({ start: b.base, end: cidrLast(b) }));
    this.networks.set(network, { cidr: block, services: new Map(), busy });
    this.networkRequests.set(network, request);
    return formatCidr(block);
  }

  /**
   * `zones` subnets of prefix `prefix` for `service` inside network `network` (call
   * {@link networkBlock} for it first), one per zone in zone order.
   *
   * A recorded entry with the same prefix and zone count is returned unchanged. With the same
   * prefix but a different zone count, the first zones keep their subnets and only the extra
   * zones get new ones (so adding a zone does not renumber the others). A changed prefix
   * re-allocates the whole service, to space that excludes its old subnets.
   * Throws `ZONE_COUNT_INVALID`, `SUBNET_SIZE_INVALID`, `SERVICE_CONFLICT`, `ADDRESS_SPACE_EXHAUSTED`.
   */
  public serviceSubnets(network: string, service: string, zones: number, prefix: number): string[] {
    const net = this.networks.get(network);
    if (!net || !this.networkRequests.has(network)) {
      // Programming error in the caller, not something a blueprint author can fix.
      throw new Error(`AddressPlanner: networkBlock('${network}', …) must be called before serviceSubnets`);
    }
    checkZones(zones);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
      throw new ButterError('SUBNET_SIZE_INVALID', `subnet prefix /${prefix} is not a whole number from 0 to 32`, {
        key: 'network.subnetwork_max_instance_count',
      });
    }
    const exhaustedHint =
      'raise legacy_network_size_bits, lower subnetwork_max_instance_count, or use fewer availability_zones; ' +
      'services removed from the app keep their subnets reserved in the address ledger until released';
    if (prefix < net.cidr.prefix) {
      throw new ButterError(
        'ADDRESS_SPACE_EXHAUSTED',
        `service '${service}' needs /${prefix} subnets, larger than network '${network}' itself (${formatCidr(net.cidr)})`,
        { key: 'network.subnetwork_max_instance_count', hint: exhaustedHint },
      );
    }

    const id = `${network}\u0000${service}`;
    const request = `${zones} ${prefix}`;
    const seen = this.serviceRequests.get(id);
    if (seen !== undefined && seen !== request) {
      throw new ButterError('SERVICE_CONFLICT', `service '${service}' in network '${network}' is requested twice with different sizes`, {
        hint: 'give each service in a network a unique name',
      });
    }

    const existing = net.services.get(service);
    if (existing && existing.prefix === prefix && existing.subnets.length === zones) {
      this.serviceRequests.set(id, request);
      return existing.subnets.map(formatCidr);
    }

    // Decide what this service keeps and what it gives up, without touching state until the
    // allocation has succeeded (an exhaustion error must leave the planner unchanged). Every
    // block of the network stays off-limits, this service's old ones included: `net.busy`.
    const kept = existing && existing.prefix === prefix ? existing.subnets.slice(0, zones) : [];

    const added = allocateSubnets(net.cidr, prefix, zones - kept.length, net.busy);
    if (added === undefined) {
      const reservedOnly = [...net.services.keys()].filter(
        (name) => name !== service && !this.serviceRequests.has(`${network}\u0000${name}`),
      ).length;
      throw new ButterError(
        'ADDRESS_SPACE_EXHAUSTED',
        `network '${network}' (${formatCidr(net.cidr)}) has no room for service '${service}': it needs ${zones - kept.length} more /${prefix} subnet(s)` +
          (reservedOnly > 0 ? `; ${reservedOnly} service(s) not in this app still hold reserved subnets` : ''),
        { key: 'network.subnetwork_max_instance_count', hint: exhaustedHint },
      );
    }
    for (const block of added) insertInterval(net.busy, block);
    net.services.set(service, { prefix, subnets: [...kept, ...added] });
    this.serviceRequests.set(id, request);
    return [...kept, ...added].map(formatCidr);
  }

  /**
   * Forget `service`'s subnets (or, without `service`, the whole network) so later runs can
   * reuse the space. Use it once the resources are destroyed. The space stays off-limits for
   * the rest of this run, since the old resources may still exist until this deploy finishes.
   * Returns whether anything was recorded.
   */
  public release(network: string, service?: string): boolean {
    const net = this.networks.get(network);
    if (!net) return false;
    if (service === undefined) {
      this.retiredNetworks.push(net.cidr);
      this.networks.delete(network);
      this.networkRequests.delete(network);
      for (const id of [...this.serviceRequests.keys()]) {
        if (id.startsWith(`${network}\u0000`)) this.serviceRequests.delete(id);
      }
      return true;
    }
    const svc = net.services.get(service);
    if (!svc) return false;
    net.services.delete(service);
    this.serviceRequests.delete(`${network}\u0000${service}`);
    return true;
  }

  /** The ledger to save (sorted keys) and whether it changed since the planner was created. */
  public ledger(): LedgerResult {
    const networks: Array<[string, LedgerNetwork]> = [];
    for (const name of sortedNames(this.networks.keys())) {
      const state = this.networks.get(name)!;
      const services: Array<[string, LedgerService]> = [];
      for (const serviceName of sortedNames(state.services.keys())) {
        const svc = state.services.get(serviceName)!;
        services.push([serviceName, { prefix: svc.prefix, subnets: svc.subnets.map(formatCidr) }]);
      }
      networks.push([name, { cidr: formatCidr(state.cidr), services: Object.fromEntries(services) }]);
    }
    const ledger: Ledger = { version: 1, networks: Object.fromEntries(networks) };
    // Both sides are canonical (sorted, normalized), so equal content means equal JSON.
    return { ledger, changed: JSON.stringify(ledger) !== JSON.stringify(this.previous) };
  }
}

// ---------------------------------------------------------------------------------------------
// Free-space search
// ---------------------------------------------------------------------------------------------

/**
 * The lowest block of `prefix` inside `range`, aligned to its own size, that overlaps nothing
 * in `busy` (intervals sorted by start; they may overlap each other); `undefined` if none.
 *
 * Rather than test every aligned position (2^21 of them for /29s in a /8), sweep the sorted
 * intervals once: when a candidate hits an interval, the next candidate is the first aligned
 * position after that interval's end. O(n) for n busy intervals, whatever the sizes.
 */
function firstFree(range: Cidr, prefix: number, busy: readonly Interval[]): Cidr | undefined {
  if (prefix < range.prefix) return undefined;
  const size = cidrSize(prefix);
  const end = cidrLast(range);
  // range.base is aligned to the range's size, which is a multiple of `size`.
  let candidate = range.base;
  let i = 0;
  while (candidate + size - 1 <= end) {
    while (i < busy.length && busy[i]!.end < candidate) i++;
    const next = busy[i];
    if (next === undefined || next.start > candidate + size - 1) return { base: candidate, prefix };
    candidate = Math.ceil((next.end + 1) / size) * size;
  }
  return undefined;
}

/** Blocks as sorted, disjoint, inclusive address intervals (overlapping or touching ones joined). */
function mergedIntervals(blocks: readonly Cidr[]): Interval[] {
  const sorted = blocks.map((b) => ({ start: b.base, end: cidrLast(b) })).sort((a, b) => a.start - b.start);
  const merged: Array<{ start: number; end: number }> = [];
  for (const iv of sorted) {
    const last = merged[merged.length - 1];
    if (last && iv.start <= last.end + 1) last.end = Math.max(last.end, iv.end);
    else merged.push({ ...iv });
  }
  return merged;
}

/**
 * `count` free, aligned `/prefix` blocks inside `range`. When the service is new to the range
 * and has several zones, first try to place them side by side in one aligned group (a block of
 * the next power of two), so a service's subnets sit together; fall back to first fit per
 * subnet, which only fails when the space truly is full.
 */
function allocateSubnets(range: Cidr, prefix: number, count: number, busy: readonly Interval[]): Cidr[] | undefined {
  if (count === 0) return [];
  const size = cidrSize(prefix);
  if (count > 1) {
    const groupPrefix = prefix - Math.ceil(Math.log2(count));
    const group = groupPrefix >= range.prefix ? firstFree(range, groupPrefix, busy) : undefined;
    if (group) return Array.from({ length: count }, (_, i) => ({ base: group.base + i * size, prefix }));
  }
  const taken = [...busy];
  const result: Cidr[] = [];
  for (let i = 0; i < count; i++) {
    const block = firstFree(range, prefix, taken);
    if (!block) return undefined;
    insertInterval(taken, block);
    result.push(block);
  }
  return result;
}

/** Insert `block` into intervals sorted by start, keeping them sorted (binary search). */
function insertInterval(intervals: Interval[], block: Cidr): void {
  const start = block.base;
  let lo = 0;
  let hi = intervals.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (intervals[mid]!.start <= start) lo = mid + 1;
    else hi = mid;
  }
  intervals.splice(lo, 0, { start, end: cidrLast(block) });
}
