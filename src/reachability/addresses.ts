import { intToIp, tryParseIp } from '../planning/ipv4';

/**
 * Sets of IPv4 addresses as inclusive integer intervals, for the questions reachability asks of
 * rule sources: does the union of these blocks contain that whole block (containment, never mere
 * overlap), what is left of a block once a deny rule's ranges are taken out, does a block hold
 * any public address. Intervals rather than CIDR blocks because unions and differences of
 * blocks are not blocks.
 */
export interface AddressRange {
  /** First address, as an unsigned 32-bit integer. */
  readonly lo: number;
  /** Last address, inclusive. */
  readonly hi: number;
}

const SPACE = 2 ** 32;
const BLOCK = /^([\d.]+)(?:\/(\d{1,2}))?$/;

/**
 * The addresses of `a.b.c.d/n` or of a bare `a.b.c.d` (a /32, as Google's source ranges allow).
 * Lenient where the clouds are: host bits are masked off (`10.0.0.5/8` is `10.0.0.0/8`).
 * Anything else (a deploy-time token, an IPv6 block) is `undefined`: the caller decides what an
 * unreadable source means.
 */
export function rangeOf(text: unknown): AddressRange | undefined {
  if (typeof text !== 'string') return undefined;
  const m = BLOCK.exec(text.trim());
  const ip = m ? tryParseIp(m[1]) : undefined;
  const prefix = m?.[2] === undefined ? 32 : Number(m[2]);
  if (ip === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const lo = ip - (ip % size);
  return { lo, hi: lo + size - 1 };
}

/** The canonical `a.b.c.d/n` of a block (`undefined` when `text` is not one, see {@link rangeOf}). */
export function canonicalCidr(text: unknown): string | undefined {
  const r = rangeOf(text);
  return r && rangeToCidrs(r)[0];
}

/** True when the two ranges share an address. */
export function overlaps(a: AddressRange, b: AddressRange): boolean {
  return a.lo <= b.hi && b.lo <= a.hi;
}

/** True when every address of `target` is in some range of `ranges` (their union contains it). */
export function coveredBy(target: AddressRange, ranges: readonly AddressRange[]): boolean {
  let next = target.lo;
  // Sorted by start, each range that starts at or before `next` pushes the covered prefix on.
  for (const r of [...ranges].filter((x) => overlaps(x, target)).sort((a, b) => a.lo - b.lo)) {
    if (r.lo > next) return false;
    if (r.hi >= next) next = r.hi + 1;
    if (next > target.hi) return true;
  }
  return next > target.hi;
}

/** What is left of `from` once every range of `minus` is taken out, in address order. */
export function subtract(from: AddressRange, minus: readonly AddressRange[]): AddressRange[] {
  const out: AddressRange[] = [];
  let next = from.lo;
  for (const r of [...minus].filter((x) => overlaps(x, from)).sort((a, b) => a.lo - b.lo)) {
    if (r.lo > next) out.push({ lo: next, hi: r.lo - 1 });
    next = Math.max(next, r.hi + 1);
    if (next > from.hi) return out;
  }
  if (next <= from.hi) out.push({ lo: next, hi: from.hi });
  return out;
}

/** The addresses both `a` and some range of `others` hold. */
export function intersect(a: AddressRange, others: readonly AddressRange[]): AddressRange[] {
  return subtract(a, subtract(a, others));
}

/** The fewest CIDR blocks that make up a range (a difference of blocks is rarely one block). */
export function rangeToCidrs(range: AddressRange): string[] {
  const out: string[] = [];
  let lo = range.lo;
  while (lo <= range.hi) {
    // The largest block that starts at `lo` (aligned) and does not pass the end.
    let size = 1;
    while (size < SPACE && lo % (size * 2) === 0 && lo + size * 2 - 1 <= range.hi) size *= 2;
    out.push(`${intToIp(lo)}/${32 - Math.log2(size)}`);
    lo += size;
  }
  return out;
}

/**
 * Blocks that are not reachable from the public internet (IANA special-purpose blocks that
 * are not globally reachable): "this network", RFC 1918, shared address space, loopback, link
 * local, IETF protocol assignments, benchmarking, multicast and reserved. The documentation
 * blocks (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) are deliberately left out: examples
 * and tests use them to stand for real addresses ("our office"), so they count as public.
 */
const NOT_PUBLIC: readonly AddressRange[] = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12',
  '192.0.0.0/24', '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4',
].map((c) => rangeOf(c)!);

/** True when the range holds at least one public (globally reachable) address. */
export function hasPublicAddress(range: AddressRange): boolean {
  return !coveredBy(range, NOT_PUBLIC);
}
