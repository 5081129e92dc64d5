import { ButterError } from '../errors';

/** Transport protocols a Path can allow. `all` means every protocol and port. */
export type Protocol = 'tcp' | 'udp' | 'icmp' | 'all';

/**
 * A protocol and port range, modelled on aws-cdk-lib's `ec2.Port`.
 *
 * For ICMP the "ports" are the ICMP type and code (-1 meaning any), as the cloud APIs take them.
 * Instances are immutable and compare by value (`equals`, `key`), which Paths use to reject
 * duplicates and reachability uses to answer questions.
 */
export class Port {
  /** One TCP port (1 to 65535: port 0 reaches nothing). */
  public static tcp(port: number): Port {
    return new Port('tcp', refuseZero('tcp', port), port);
  }

  /** A TCP port range, inclusive. */
  public static tcpRange(from: number, to: number): Port {
    return new Port('tcp', from, to);
  }

  /** Every TCP port. */
  public static allTcp(): Port {
    return new Port('tcp', 0, 65535);
  }

  /** One UDP port (1 to 65535: port 0 reaches nothing). */
  public static udp(port: number): Port {
    return new Port('udp', refuseZero('udp', port), port);
  }

  /** A UDP port range, inclusive. */
  public static udpRange(from: number, to: number): Port {
    return new Port('udp', from, to);
  }

  /** Every UDP port. */
  public static allUdp(): Port {
    return new Port('udp', 0, 65535);
  }

  /** ICMP of one type (and optionally one code); ping is `Port.icmpType(8)`. */
  public static icmpType(type: number, code = -1): Port {
    return new Port('icmp', type, code);
  }

  /** Every ICMP message. */
  public static allIcmp(): Port {
    return new Port('icmp', -1, -1);
  }

  /** Every protocol and port. Use sparingly: it is what "no firewall" means. */
  public static allTraffic(): Port {
    return new Port('all', 0, 65535);
  }

  /** A number means that TCP port (the seed's `paths.add(a, b, 80)`). */
  public static of(port: number | Port): Port {
    return port instanceof Port ? port : Port.tcp(port);
  }

  /**
   * Parse `80`, `tcp:80`, `udp:53`, `tcp:8000-8080`, `icmp`, `icmp:8`, `all` (CLI and YAML input).
   */
  public static parse(text: string): Port {
    const m = /^(?:(tcp|udp|icmp|all)(?::)?)?(\d+)?(?:-(\d+))?$/i.exec(text.trim());
    if (!m || (!m[1] && !m[2])) {
      throw new ButterError('PORT_INVALID', `"${text}" is not a port`, {
        hint: 'write a port as 80, tcp:80, udp:53, tcp:8000-8080, icmp, icmp:8 or all',
      });
    }
    const protocol = (m[1]?.toLowerCase() ?? 'tcp') as Protocol;
    if (protocol === 'all') return Port.allTraffic();
    if (protocol === 'icmp') return m[2] === undefined ? Port.allIcmp() : Port.icmpType(Number(m[2]), m[3] === undefined ? -1 : Number(m[3]));
    if (m[2] === undefined) return new Port(protocol, 0, 65535);
    const from = Number(m[2]);
    const to = m[3] === undefined ? from : Number(m[3]);
    // 0-65535 is how every port is written; any other range or port from 0 is a mistake.
    if (!(from === 0 && to === 65535)) refuseZero(protocol, from, text);
    return new Port(protocol, from, to);
  }

  private constructor(
    /** The protocol. */
    public readonly protocol: Protocol,
    /** First port of the range (ICMP: the type, -1 for any). */
    public readonly from: number,
    /** Last port of the range, inclusive (ICMP: the code, -1 for any). */
    public readonly to: number,
  ) {
    if (protocol === 'tcp' || protocol === 'udp') {
      if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > 65535 || from > to) {
        throw new ButterError('PORT_INVALID', `${protocol} port range ${from}-${to} is invalid`, {
          hint: 'ports are whole numbers from 0 to 65535, and a range goes from low to high',
        });
      }
    }
    if (protocol === 'icmp' && (!Number.isInteger(from) || !Number.isInteger(to) || from < -1 || from > 255 || to < -1 || to > 255)) {
      throw new ButterError('PORT_INVALID', `ICMP type ${from} code ${to} is invalid`, {
        hint: 'ICMP types and codes are 0 to 255, or -1 for any',
      });
    }
  }

  /** True if every packet this port admits is also admitted by `other` (containment). */
  public within(other: Port): boolean {
    if (other.protocol === 'all') return true;
    if (this.protocol !== other.protocol) return false;
    if (this.protocol === 'icmp') {
      const typeOk = other.from === -1 || other.from === this.from;
      const codeOk = other.to === -1 || other.to === this.to;
      return typeOk && codeOk;
    }
    return this.from >= other.from && this.to <= other.to;
  }

  /** Value equality. */
  public equals(other: Port): boolean {
    return this.protocol === other.protocol && this.from === other.from && this.to === other.to;
  }

  /** A short stable key, also valid in construct ids: `tcp-80`, `tcp-8000-8080`, `icmp-all`. */
  public get key(): string {
    if (this.protocol === 'all') return 'all';
    if (this.protocol === 'icmp') {
      if (this.from === -1) return 'icmp-all';
      return this.to === -1 ? `icmp-${this.from}` : `icmp-${this.from}-${this.to}`;
    }
    if (this.from === 0 && this.to === 65535) return `${this.protocol}-all`;
    return this.from === this.to ? `${this.protocol}-${this.from}` : `${this.protocol}-${this.from}-${this.to}`;
  }

  /** Human form, as used in graph labels: `tcp:80`, `tcp:8000-8080`, `icmp`, `all`. */
  public toString(): string {
    return this.key.replace('-', ':').replace(/^icmp:all$/, 'icmp');
  }
}

/**
 * `port`, unless it is 0: no traffic goes to TCP or UDP port 0, so a Path, rule or question with
 * it would admit or ask about nothing. Ranges made inside Butter (`tcpRange`) may start at 0.
 */
function refuseZero(protocol: string, port: number, text = `${protocol}:${port}`): number {
  if (port === 0) {
    throw new ButterError('PORT_INVALID', `"${text}": ${protocol} port 0 is not a port traffic can use`, {
      hint: `ports are 1 to 65535; for every ${protocol} port write "${protocol}" (or ${protocol}:1-65535)`,
    });
  }
  return port;
}
