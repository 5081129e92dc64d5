import { ButterError } from '../src/errors';
import { parseCidr, formatCidr } from '../src/planning/ipv4';

/**
 * Something traffic can come from: a Service, or a CIDR block such as the internet.
 * Modelled on aws-cdk-lib's `IPeer`, minus everything cloud-specific: the cloud renderers
 * decide how a peer becomes a security-group reference or a firewall source.
 */
export interface IPeer {
  /** What kind of peer this is, so renderers and reachability can tell them apart. */
  readonly peerKind: 'cidr' | 'service' | 'balancer';
  /** A short id, unique among peers of one network, usable in construct ids (`web`, `cidr-0.0.0.0-0`). */
  readonly peerId: string;
}

/** A block of IPv4 addresses as a traffic source; `0.0.0.0/0` is the whole internet. */
export class CidrBlock implements IPeer {
  public readonly peerKind = 'cidr' as const;
  /** The normalized block, e.g. `203.0.113.0/24`. */
  public readonly cidr: string;

  constructor(cidr: string) {
    // Normalize once so `10.0.0.0/8` and ` 10.0.0.0/8 ` name the same peer; parseCidr rejects
    // host bits, which would otherwise silently widen or narrow a firewall rule.
    this.cidr = formatCidr(parseCidr(cidr.trim()));
  }

  public get peerId(): string {
    return `cidr-${this.cidr.replace(/[./]/g, '-')}`;
  }

  /** True for `0.0.0.0/0`. */
  public get isInternet(): boolean {
    return this.cidr === '0.0.0.0/0';
  }

  public toString(): string {
    return this.cidr;
  }
}

/** Every IPv4 address: what the seed called `CidrBlock("0.0.0.0/0")`. */
export const Internet = new CidrBlock('0.0.0.0/0');

/** Factory methods in the style of aws-cdk-lib's `ec2.Peer`. */
export class Peer {
  /** A CIDR block. */
  public static ipv4(cidr: string): CidrBlock {
    return new CidrBlock(cidr);
  }

  /** The whole IPv4 internet. */
  public static anyIpv4(): CidrBlock {
    return Internet;
  }

  /** True if `x` is a peer (duck-typed so peers from another copy of the library still work). */
  public static isPeer(x: unknown): x is IPeer {
    return typeof x === 'object' && x !== null && 'peerKind' in x && 'peerId' in x;
  }

  private constructor() {}
}

/** Raised when a string is given where a peer was needed, with the fix spelled out. */
export function asPeer(x: unknown, what: string): IPeer {
  if (Peer.isPeer(x)) return x;
  if (typeof x === 'string') return new CidrBlock(x);
  throw new ButterError('PATH_INVALID_PEER', `${what} must be a Service or a CIDR block`, {
    hint: 'pass a Service, Internet, or new CidrBlock("203.0.113.0/24")',
  });
}
