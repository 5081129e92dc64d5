/**
 * IPv4 arithmetic for VPCs and subnets: parsing CIDR blocks, containment and overlap, and handing
 * out addresses the way a VPC does (the first four and the last address of a subnet are AWS's).
 */

/** A parsed IPv4 CIDR block. */
export interface Cidr {
  /** The network address as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefix: number;
  /** Number of addresses. */
  readonly size: number;
  readonly text: string;
}

/** An address like `10.0.1.4` as a number. */
export function ipToNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

/** A number as a dotted address. */
export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** Parse `a.b.c.d/n`; null when it is not a well-formed network address (host bits set, etc.). */
export function parseCidr(text: string): Cidr | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return null;
  const base = octets.reduce((n, o) => n * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) return null;
  return { base, prefix, size, text };
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;
}

/** True when the blocks share any address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}

/** True when `ip` is inside `cidr`. */
export function containsIp(cidr: Cidr, ip: string): boolean {
  const n = ipToNumber(ip);
  return n >= cidr.base && n < cidr.base + cidr.size;
}

/**
 * The lowest free address of a subnet, skipping the five AWS keeps (network address, VPC router,
 * DNS, reserved for future use, broadcast); null when the subnet is full.
 */
export function lowestFreeAddress(subnet: Cidr, used: ReadonlySet<string>): string | null {
  for (let n = subnet.base + 4; n < subnet.base + subnet.size - 1; n++) {
    const ip = numberToIp(n);
    if (!used.has(ip)) return ip;
  }
  return null;
}
