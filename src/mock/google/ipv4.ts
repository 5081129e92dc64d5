import { isIPv4 } from 'node:net';

/**
 * IPv4 arithmetic for subnetworks and addresses. Written independently of Butter's own address
 * planner (src/planning), so the mock cloud checks the planner instead of agreeing with it.
 */

/** A parsed CIDR block: first address and prefix length. */
export interface Block {
  readonly base: number;
  readonly prefix: number;
}

export function ipToNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** What is wrong with a CIDR text, or undefined when it is a valid network address with prefix. */
export function cidrProblem(text: string): string | undefined {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(text);
  if (!m || !isIPv4(m[1]) || Number(m[2]) > 32) return 'Must be a valid IPv4 CIDR range, e.g. 10.0.0.0/24.';
  const block = { base: ipToNumber(m[1]), prefix: Number(m[2]) };
  if (block.base % size(block) !== 0) return `${text} has host bits set; the network address would be ${numberToIp(block.base - (block.base % size(block)))}/${block.prefix}.`;
  return undefined;
}

/** Parse a CIDR block (callers check {@link cidrProblem} first). */
export function parseBlock(text: string): Block {
  const [ip, prefix] = text.split('/');
  return { base: ipToNumber(ip), prefix: Number(prefix) };
}

export function size(block: Block): number {
  return 2 ** (32 - block.prefix);
}

export function last(block: Block): number {
  return block.base + size(block) - 1;
}

export function overlaps(a: Block, b: Block): boolean {
  return a.base <= last(b) && b.base <= last(a);
}

export function containsBlock(outer: Block, inner: Block): boolean {
  return inner.base >= outer.base && last(inner) <= last(outer);
}

export function containsIp(block: Block, ip: string): boolean {
  const n = ipToNumber(ip);
  return n >= block.base && n <= last(block);
}

/**
 * The four addresses Google reserves in every subnet's primary range: the network address, the
 * default gateway (first host), the second-to-last address, and the broadcast address.
 */
export function reservedAddresses(block: Block): number[] {
  return [block.base, block.base + 1, last(block) - 1, last(block)];
}

/** The subnet's gateway (its first host address). */
export function gatewayOf(block: Block): string {
  return numberToIp(block.base + 1);
}

/** The lowest usable address of `block` not in `used` (nor reserved), or undefined when full. */
export function firstFree(block: Block, used: ReadonlySet<string>): string | undefined {
  const reserved = new Set(reservedAddresses(block));
  for (let n = block.base; n <= last(block); n++) {
    if (reserved.has(n)) continue;
    const ip = numberToIp(n);
    if (!used.has(ip)) return ip;
  }
  return undefined;
}

/** True for a syntactically valid IPv4 address. */
export function isIp(text: string): boolean {
  return isIPv4(text);
}
