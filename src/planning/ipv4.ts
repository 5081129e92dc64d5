/**
 * IPv4 CIDR arithmetic. Pure functions, no cdktf: used by address planning and reachability
 * analysis.
 *
 * Addresses are plain JavaScript numbers holding an unsigned 32-bit value (0 .. 2^32-1).
 * JavaScript's bitwise operators work on *signed* 32-bit integers, so every bitwise result is
 * passed through `>>> 0` to bring it back to the unsigned range; sizes and offsets use ordinary
 * arithmetic because a /0 holds 2^32 addresses, which does not fit in 32 bits.
 */
import { ButterError } from '../errors';

/** A parsed IPv4 CIDR block. Always canonical: no host bits set in `base`. */
export interface Cidr {
  /** First address of the block, as an unsigned 32-bit integer. */
  readonly base: number;
  /** Prefix length, 0 to 32. */
  readonly prefix: number;
}

/** Functions that take a block accept it parsed or as `a.b.c.d/n` text. */
export type CidrInput = string | Cidr;

/** Number of addresses in 2^32, one more than the largest address. */
const ADDRESS_SPACE = 2 ** 32;

// Decimal octet without leading zeros: `010` is rejected because some tools read it as octal.
const OCTET = /^(0|[1-9][0-9]{0,2})$/;
const PREFIX = /^(0|[1-9][0-9]?)$/;

/**
 * Private IPv4 ranges Butter will carve networks from: RFC 1918 plus the RFC 6598 shared
 * address space (100.64.0.0/10), which both clouds accept for VPC / subnet ranges.
 */
export const PRIVATE_IPV4_RANGES: readonly Cidr[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
].map((s) => parseCidr(s));

/** Parse `a.b.c.d` to an unsigned 32-bit integer, or `undefined` if it is not one. */
export function tryParseIp(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** `a.b.c.d` to an unsigned 32-bit integer. Throws `IP_INVALID`. */
export function ipToInt(ip: string): number {
  const value = tryParseIp(ip);
  if (value === undefined) {
    throw new ButterError('IP_INVALID', `'${ip}' is not an IPv4 address`, {
      hint: 'write four decimal numbers from 0 to 255 separated by dots, e.g. 10.0.0.1',
    });
  }
  return value;
}

/** Unsigned 32-bit integer to `a.b.c.d`. A value outside 0..2^32-1 is a bug (RangeError). */
export function intToIp(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value >= ADDRESS_SPACE) {
    throw new RangeError(`not an IPv4 address value: ${value}`);
  }
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** Netmask of a prefix length as an unsigned integer (`/24` gives 0xffffff00). */
export function prefixMask(prefix: number): number {
  checkPrefix(prefix);
  // `x << 32` is `x << 0` in JavaScript (shift counts are taken mod 32), so /0 is special.
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Number of addresses in a block of this prefix length (`/24` gives 256, `/0` gives 2^32). */
export function cidrSize(prefix: number): number {
  checkPrefix(prefix);
  return 2 ** (32 - prefix);
}

function checkPrefix(prefix: number): void {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
    throw new RangeError(`not an IPv4 prefix length: ${prefix}`);
  }
}

/**
 * Parse `a.b.c.d/n` strictly. Throws `CIDR_INVALID` for anything else, including a block with
 * host bits set (`10.0.0.1/8`): accepting it silently would hide a typo in the user's intent.
 */
export function parseCidr(text: string): Cidr {
  const invalid = (why: string, hint: string): ButterError =>
    new ButterError('CIDR_INVALID', `'${text}' is not a valid IPv4 CIDR block: ${why}`, { hint });
  const usage = 'write it as a.b.c.d/n, e.g. 10.0.0.0/16';
  if (typeof text !== 'string') throw invalid('not text', usage);
  const slash = text.split('/');
  if (slash.length !== 2) throw invalid('expected exactly one "/"', usage);
  const [ipText, prefixText] = slash as [string, string];
  const base = tryParseIp(ipText);
  if (base === undefined) throw invalid(`'${ipText}' is not an IPv4 address`, usage);
  if (!PREFIX.test(prefixText) || Number(prefixText) > 32) {
    throw invalid(`prefix '${prefixText}' is not a number from 0 to 32`, usage);
  }
  const prefix = Number(prefixText);
  const network = (base & prefixMask(prefix)) >>> 0;
  if (network !== base) {
    throw invalid(
      `host bits are set (the /${prefix} block containing ${ipText} starts at ${intToIp(network)})`,
      `did you mean ${intToIp(network)}/${prefix}?`,
    );
  }
  return { base, prefix };
}

/** Parse if needed. */
export function toCidr(input: CidrInput): Cidr {
  return typeof input === 'string' ? parseCidr(input) : input;
}

/** `a.b.c.d/n` text of a block. */
export function formatCidr(cidr: Cidr): string {
  return `${intToIp(cidr.base)}/${cidr.prefix}`;
}

/** Last address of a block (the broadcast address of a subnet), as an unsigned integer. */
export function cidrLast(input: CidrInput): number {
  const cidr = toCidr(input);
  return cidr.base + cidrSize(cidr.prefix) - 1;
}

/** True when every address of `inner` is in `outer` (a block contains itself). */
export function cidrContains(outer: CidrInput, inner: CidrInput): boolean {
  const o = toCidr(outer);
  const i = toCidr(inner);
  return i.prefix >= o.prefix && (i.base & prefixMask(o.prefix)) >>> 0 === o.base;
}

/**
 * True when the blocks share any address. Aligned blocks can only nest or be disjoint (they
 * never partly overlap), so overlap is containment one way or the other.
 */
export function cidrOverlaps(a: CidrInput, b: CidrInput): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** True when `ip` (text or unsigned integer) is inside the block. */
export function cidrContainsIp(block: CidrInput, ip: string | number): boolean {
  const value = typeof ip === 'string' ? ipToInt(ip) : ip;
  return cidrContains(block, { base: value, prefix: 32 });
}

/**
 * The `n`th address of a block as text: 0 is the block's own address, 1 the next (Google's
 * gateway, AWS's router); a negative `n` counts back from the end, -1 being the last address.
 * An `n` outside the block is a bug (RangeError).
 */
export function nthHost(block: CidrInput, n: number): string {
  const cidr = toCidr(block);
  const size = cidrSize(cidr.prefix);
  if (!Number.isInteger(n) || n >= size || n < -size) {
    throw new RangeError(`address #${n} is outside ${formatCidr(cidr)} (${size} addresses)`);
  }
  return intToIp(cidr.base + (n < 0 ? size + n : n));
}

/** True when the block lies entirely inside one of {@link PRIVATE_IPV4_RANGES}. */
export function isPrivateCidr(block: CidrInput): boolean {
  const cidr = toCidr(block);
  return PRIVATE_IPV4_RANGES.some((range) => cidrContains(range, cidr));
}

/** Order blocks by first address, then larger (shorter prefix) first; for sorting output. */
export function compareCidrs(a: Cidr, b: Cidr): number {
  return a.base - b.base || a.prefix - b.prefix;
}
