import { ButterError } from '../errors';
import { Port, Protocol } from '../model/port';

/** A port as a question takes it: `80` (TCP), `Port.udp(53)`, or text: `udp:53`, `tcp:8000-8080`. */
export type PortInput = number | Port | string;

/**
 * The port a question is about. A number is TCP unless `protocol` says otherwise (the seed's
 * `has_access(a, b, 80)`); text is parsed as the CLI parses it.
 */
export function portOf(port: PortInput, protocol?: Protocol): Port {
  if (port instanceof Port) return port;
  if (typeof port === 'string') return Port.parse(protocol && /^\d+(-\d+)?$/.test(port.trim()) ? `${protocol}:${port.trim()}` : port);
  if (typeof port !== 'number') {
    throw new ButterError('PORT_INVALID', `${String(port)} is not a port`, { hint: 'pass a number (TCP), a Port, or text such as udp:53' });
  }
  switch (protocol ?? 'tcp') {
    case 'tcp': return Port.tcp(port);
    case 'udp': return Port.udp(port);
    case 'icmp': return Port.icmpType(port);
    default: return Port.allTraffic();
  }
}

/**
 * The range of `query.protocol` ports that a rule's port admits, or `undefined` when it admits
 * none of them. Only for TCP and UDP questions: a rule for every protocol admits every port.
 */
export function admittedRange(rule: Port, query: Port): [number, number] | undefined {
  if (rule.protocol === 'all') return [0, 65535];
  if (rule.protocol !== query.protocol) return undefined;
  return rule.from <= query.to && query.from <= rule.to ? [rule.from, rule.to] : undefined;
}

/** True when the rule's port admits some of what `query` asks about. */
export function portOverlaps(rule: Port, query: Port): boolean {
  if (rule.protocol === 'all' || query.protocol === 'all') return true;
  if (rule.protocol !== query.protocol) return false;
  if (rule.protocol === 'icmp') return query.within(rule) || rule.within(query);
  return rule.from <= query.to && query.from <= rule.to;
}

/** Ranges of `query` (TCP/UDP) that none of `ranges` covers, in order. */
export function uncoveredPorts(query: Port, ranges: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let next = query.from;
  for (const [from, to] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (to < next) continue;
    if (from > query.to) break;
    if (from > next) out.push([next, from - 1]);
    next = Math.max(next, to + 1);
    if (next > query.to) return out;
  }
  if (next <= query.to) out.push([next, query.to]);
  return out;
}

/** A TCP/UDP range as a Port. */
export function rangePort(protocol: 'tcp' | 'udp', from: number, to: number): Port {
  return protocol === 'tcp' ? Port.tcpRange(from, to) : Port.udpRange(from, to);
}

/**
 * What a deny of `denied` leaves of `port`. A rule for every protocol is taken as TCP, UDP and
 * ICMP (the protocols Paths can name), so a partial deny of it forgets the rarer protocols (GRE,
 * ESP, SCTP): answers about those are not supported.
 */
export function subtractPort(port: Port, denied: Port): Port[] {
  if (denied.protocol === 'all' || port.within(denied)) return [];
  if (port.protocol === 'all') return [Port.allTcp(), Port.allUdp(), Port.allIcmp()].flatMap((p) => subtractPort(p, denied));
  if (port.protocol === 'icmp' || port.protocol !== denied.protocol) return [port];
  return uncoveredPorts(port, [[denied.from, denied.to]]).map(([from, to]) => rangePort(port.protocol as 'tcp' | 'udp', from, to));
}

/**
 * The fewest ports that admit what `ports` admit together (for reports): overlapping and
 * adjacent ranges of one protocol joined, everything under a rule for every protocol dropped.
 */
export function mergePorts(ports: readonly Port[]): Port[] {
  if (ports.some((p) => p.protocol === 'all')) return [Port.allTraffic()];
  const out: Port[] = [];
  for (const protocol of ['tcp', 'udp'] as const) {
    const ranges = ports.filter((p) => p.protocol === protocol).map((p) => [p.from, p.to] as [number, number]).sort((a, b) => a[0] - b[0]);
    let current: [number, number] | undefined;
    for (const r of ranges) {
      if (current && r[0] <= current[1] + 1) current[1] = Math.max(current[1], r[1]);
      else {
        if (current) out.push(rangePort(protocol, current[0], current[1]));
        current = [...r];
      }
    }
    if (current) out.push(rangePort(protocol, current[0], current[1]));
  }
  const icmp = ports.filter((p) => p.protocol === 'icmp');
  if (icmp.some((p) => p.from === -1)) out.push(Port.allIcmp());
  else out.push(...dedupe(icmp));
  return out;
}

function dedupe(ports: readonly Port[]): Port[] {
  const seen = new Map<string, Port>();
  for (const p of ports) seen.set(p.key, p);
  return [...seen.values()].sort(comparePorts);
}

const PROTOCOL_ORDER: Record<Protocol, number> = { all: 0, tcp: 1, udp: 2, icmp: 3 };

/** Stable order of ports: by protocol (all, tcp, udp, icmp), then range. */
export function comparePorts(a: Port, b: Port): number {
  return PROTOCOL_ORDER[a.protocol] - PROTOCOL_ORDER[b.protocol] || a.from - b.from || a.to - b.to;
}
