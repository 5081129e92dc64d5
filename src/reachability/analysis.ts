import { ButterError } from '../errors';
import { Port, Protocol } from '../model/port';
import { editDistance } from '../util/edit-distance';
import { AddressRange, canonicalCidr, coveredBy, hasPublicAddress, overlaps, rangeOf } from './addresses';
import { admittedSummary, listOf, portsText, ruleText, sourceLabel, unreachableBecause } from './explain';
import { AccessRule, Cloud, NetworkNode, ReachabilityModel, ServiceKey, ServiceNode, ShadowedRule, TrafficSource } from './model';
import { PortInput, admittedRange, mergePorts, portOf, portOverlaps, rangePort, uncoveredPorts } from './ports';
import { compareRules } from './read';
import { GOOGLE_HEALTH_CHECK_RANGES } from '../planning/balancer-plan';

/** A service as a question names it: `dev/web`, `web` when only one network has one, or an object. */
export type ServiceRef = ServiceKey | { readonly network: string; readonly name: string } | ServiceNode;

/** A traffic source as a question names it: a service, a CIDR block or address (`10.0.0.0/16`, `1.2.3.4`). */
export type SourceRef = ServiceRef | TrafficSource;

/** An answer: yes or no, why, and the rules that decided it. */
export interface Verdict {
  readonly allowed: boolean;
  /** One sentence naming the rules that allow it, or what is missing. */
  readonly reason: string;
  /** The rules that admit (some of) the traffic asked about; all of it when allowed. */
  readonly rules: readonly AccessRule[];
}

/** Whether the internet can reach a service: all three conditions, each reported. */
export interface InternetVerdict extends Verdict {
  /** Rules admit the port from some public address. */
  readonly admitted: boolean;
  /** The service's instances have public addresses. */
  readonly publicAddress: boolean;
  /** Packets from the internet are routed to them. */
  readonly internetRoute: boolean;
  /**
   * The load balancer the internet reaches the service through, when that is how (the service
   * itself then usually has no public address). @default - none: reached directly, or not at all
   */
  readonly through?: ServiceKey;
}

/** A service that rules open to public addresses, and whether that really exposes it. */
export interface ServiceExposure {
  readonly service: ServiceNode;
  /** Ports the rules admit from public addresses, merged. */
  readonly ports: readonly Port[];
  /** The rules with a public source. */
  readonly rules: readonly AccessRule[];
  /** Why it is, or is not, reachable from the internet. */
  readonly reason: string;
}

/** Every service reachable from the internet, and those whose public rules cannot be used. */
export interface ExposureReport {
  readonly exposed: readonly ServiceExposure[];
  /** Public rules, but no public address or no internet route. */
  readonly notExposed: readonly ServiceExposure[];
}

/** A rule with its source block parsed once. */
interface IndexedRule {
  readonly rule: AccessRule;
  readonly range?: AddressRange;
  /** Its source block holds some public address. */
  readonly public: boolean;
}

type Query =
  | { readonly kind: 'service'; readonly node: ServiceNode; readonly ranges: readonly AddressRange[]; readonly label: string }
  | { readonly kind: 'cidr'; readonly range: AddressRange; readonly label: string };

/** A part of the question no rule set covers; `partial` when rules admit only some of the source. */
interface Gap {
  readonly port: Port;
  readonly partial: boolean;
}

/**
 * Answers about who can reach what, from a {@link ReachabilityModel}: the seed's
 * `paths.has_access`, `internet_accessible` and `list`, plus an exposure report.
 *
 * Built once (indexes by destination and by source), then each question looks only at the
 * rules into its destination. Semantics are containment, not overlap: traffic is allowed only
 * if the rules together admit the *whole* source (every address of a CIDR block; every subnet
 * of a service, or the service by name) on the *whole* port range asked about.
 */
export class Reachability {
  private readonly byKey = new Map<ServiceKey, ServiceNode>();
  private readonly byName = new Map<string, ServiceNode[]>();
  private readonly cloudOf = new Map<string, Cloud>();
  private readonly subnetRanges = new Map<ServiceKey, AddressRange[]>();
  private readonly into = new Map<ServiceKey, IndexedRule[]>();
  private readonly outOf = new Map<string, AccessRule[]>();
  private readonly shadowedInto = new Map<ServiceKey, ShadowedRule[]>();
  private readonly sorted: readonly AccessRule[];

  constructor(public readonly model: ReachabilityModel) {
    for (const n of model.networks) this.cloudOf.set(n.name, n.cloud);
    for (const s of model.services) {
      this.byKey.set(s.key, s);
      push(this.byName, s.name, s);
      this.subnetRanges.set(s.key, s.subnets.map((c) => rangeOf(c)).filter((r): r is AddressRange => r !== undefined));
    }
    for (const rule of model.rules) {
      const range = rule.source.kind === 'cidr' ? rangeOf(rule.source.cidr) : undefined;
      // Google's health-check probers have public addresses but are not the internet.
      const prober = range !== undefined && this.cloudOf.get(rule.network) === 'google' && GOOGLE_PROBERS.some((p) => coveredBy(range, [p]));
      push(this.into, rule.destination, { rule, range, public: range !== undefined && hasPublicAddress(range) && !prober });
      push(this.outOf, sourceLabel(rule.source), rule);
    }
    for (const s of model.shadowed ?? []) push(this.shadowedInto, s.rule.destination, s);
    // The readers sort already; a hand-made model may not be sorted.
    this.sorted = Object.freeze([...model.rules].sort(compareRules));
  }

  /** The networks read, by name. */
  public get networks(): readonly NetworkNode[] {
    return this.model.networks;
  }

  /** The services read, by key. */
  public get services(): readonly ServiceNode[] {
    return this.model.services;
  }

  /** The service a reference names; a ButterError suggesting names when there is none. */
  public service(ref: ServiceRef): ServiceNode {
    if (typeof ref === 'object' && ref !== null) {
      const key = 'key' in ref && typeof ref.key === 'string' ? ref.key : `${ref.network}/${ref.name}`;
      return this.service(key);
    }
    const text = String(ref);
    const exact = this.byKey.get(text);
    if (exact) return exact;
    const named = text.includes('/') ? [] : this.byName.get(text) ?? [];
    if (named.length === 1) return named[0];
    if (named.length > 1) {
      throw new ButterError('REACHABILITY_AMBIGUOUS_SERVICE', `"${text}" names a service in ${named.length} networks`, {
        hint: `name it with its network: ${named.map((s) => s.key).join(' or ')}`,
      });
    }
    throw new ButterError('REACHABILITY_UNKNOWN_SERVICE', `no service "${text}" in ${this.networkList()}`, { hint: this.suggest(text) });
  }

  /** Every rule into a service. */
  public rulesTo(destination: ServiceRef): readonly AccessRule[] {
    return (this.into.get(this.service(destination).key) ?? []).map((r) => r.rule);
  }

  /** Every rule naming this source: a service, or exactly this CIDR block. */
  public rulesFrom(source: SourceRef): readonly AccessRule[] {
    const q = this.query(source);
    return this.outOf.get(q.kind === 'cidr' ? canonicalCidr(q.label)! : q.label) ?? [];
  }

  /** Every allowed flow (source, destination, protocol and ports, the rule), in a stable order. */
  public paths(): readonly AccessRule[] {
    return this.sorted;
  }

  /**
   * Whether `source` may send `port` traffic to `destination`: the seed's `has_access`.
   * @param source a service (`dev/lb`, `lb`, an object) or a CIDR block or address
   * @param port a number (TCP unless `protocol` says otherwise), a Port, or `udp:53`-style text
   */
  public hasAccess(source: SourceRef, destination: ServiceRef, port: PortInput, protocol?: Protocol): Verdict {
    const q = this.query(source);
    const dest = this.service(destination);
    const p = portOf(port, protocol);
    const what = `${p} from ${q.label} to ${dest.key}`;
    if (q.kind === 'service' && q.node.network !== dest.network) {
      return {
        allowed: false,
        reason: `${q.label} and ${dest.key} are in different networks (no peering): no rule can admit traffic between them`,
        rules: [],
      };
    }
    const { rules, gaps } = this.cover(q, dest, p);
    if (gaps.length === 0) {
      const by = rules.length === 1 ? `allowed by ${ruleText(rules[0])}` : `allowed by these rules together: ${listOf(rules.map(ruleText))}`;
      return { allowed: true, reason: `${q.label} can reach ${dest.key} on ${p}: ${by}${this.publicNote(q, dest)}`, rules };
    }
    const all = this.rulesTo(dest);
    if (rules.length === 0) {
      return { allowed: false, reason: `no rule admits ${what}; ${admittedSummary(dest.key, all, this.shadowedInto.get(dest.key) ?? [])}`, rules };
    }
    const missing = gaps.map((g) => g.partial ? `on ${g.port} the rules admit only part of ${q.label}` : `no rule admits ${g.port}`);
    return {
      allowed: false,
      reason: `not all of ${what} is admitted (${missing.join('; ')}): rules must admit the whole source and port range; ${rules.length === 1 ? 'the rule' : 'rules'} admitting part of it: ${listOf(rules.map(ruleText))}`,
      rules,
    };
  }

  /**
   * Whether the internet can reach `service` on `port`: a rule admits the port from some public
   * address, AND the instances have public addresses, AND packets are routed to them.
   */
  public internetAccessible(service: ServiceRef, port: PortInput, protocol?: Protocol): InternetVerdict {
    const dest = this.service(service);
    const p = portOf(port, protocol);
    const publicRules = (this.into.get(dest.key) ?? []).filter((r) => r.public && portOverlaps(r.rule.port, p));
    const rules = publicRules.map((r) => r.rule);
    const admitted = admits(rules, p);
    const why = unreachableBecause(dest, this.cloudOf.get(dest.network));
    const checks = { admitted, publicAddress: dest.publicAddress, internetRoute: dest.internetRoute };
    if (admitted && why.length === 0) {
      const by = rules.length === 1 ? ruleText(rules[0]) : listOf(rules.map(ruleText));
      return { allowed: true, ...checks, rules, reason: `${dest.key} is reachable from the internet on ${p}: it has a public address and an internet route, and ${by} admit${rules.length === 1 ? 's' : ''} it` };
    }
    if (!admitted) {
      const exposedPorts = mergePorts((this.into.get(dest.key) ?? []).filter((r) => r.public).map((r) => r.rule.port));
      why.unshift(rules.length > 0
        ? `rules admit only part of ${p} from public addresses (${listOf(rules.map(ruleText))})`
        : `no rule admits ${p} from a public address${exposedPorts.length > 0 ? ` (public rules admit ${portsText(exposedPorts)})` : ''}`);
    }
    const via = this.throughBalancer(dest, p);
    if (via.verdict) return { ...via.verdict, ...checks };
    why.push(...via.notes);
    return { allowed: false, ...checks, rules, reason: `${dest.key} is not reachable from the internet on ${p}: ${why.join('; ')}` };
  }

  /** The balancers in front of a service (those whose listeners forward to it). */
  public balancersOf(service: ServiceRef): readonly ServiceNode[] {
    const key = this.service(service).key;
    return this.model.services.filter((s) => s.balancer?.target === key);
  }

  /**
   * Whether the internet reaches `dest` on `p` through one of its balancers: a listener that
   * forwards to `p`, reachable from the internet, and rules admitting the balancer into `dest`
   * on `p`. The verdict when one does; otherwise why each balancer does not, as notes.
   */
  private throughBalancer(dest: ServiceNode, p: Port): { verdict?: Verdict & { through: ServiceKey }; notes: string[] } {
    const notes: string[] = [];
    for (const lb of this.balancersOf(dest)) {
      const listener = lb.balancer!.listeners.find((l) => p.within(l.targetPort));
      if (!listener) {
        notes.push(`its load balancer ${lb.key} forwards only ${portsText(mergePorts(lb.balancer!.listeners.map((l) => l.targetPort)))}`);
        continue;
      }
      const front = this.internetAccessible(lb.key, listener.port);
      const back = this.hasAccess(lb.key, dest.key, p);
      if (front.allowed && back.allowed) {
        return {
          notes,
          verdict: {
            allowed: true,
            through: lb.key,
            rules: [...front.rules, ...back.rules],
            reason: `${dest.key} is reachable from the internet on ${p} through its load balancer ${lb.key}: the internet reaches ${lb.key} on ${listener.port} `
              + `(${listOf(front.rules.map(ruleText))}), which forwards to ${dest.key} on ${p} (${listOf(back.rules.map(ruleText))})`
              + (dest.publicAddress ? '' : `; ${dest.key} itself has no public address`),
          },
        };
      }
      notes.push(front.allowed ? `its load balancer ${lb.key} may not send ${p} to it` : `its load balancer ${lb.key} is not reachable from the internet on ${listener.port}`);
    }
    return { notes };
  }

  /** Every service rules open to public addresses: those really exposed, and those that are not and why. */
  public exposure(): ExposureReport {
    const exposed: ServiceExposure[] = [];
    const notExposed: ServiceExposure[] = [];
    for (const service of this.model.services) {
      const rules = (this.into.get(service.key) ?? []).filter((r) => r.public).map((r) => r.rule);
      if (rules.length === 0) continue;
      const ports = mergePorts(rules.map((r) => r.port));
      const why = unreachableBecause(service, this.cloudOf.get(service.network));
      if (why.length === 0) {
        exposed.push({ service, ports, rules, reason: `reachable from the internet on ${portsText(ports)} (${listOf(rules.map(ruleText))})` });
      } else {
        const fronts = this.balancersOf(service.key).map((b) => b.key);
        const note = fronts.length > 0 ? `; the internet reaches it through ${listOf(fronts)}` : '';
        notExposed.push({ service, ports, rules, reason: `not exposed because ${why.join(' and ')}, although rules admit ${portsText(ports)} from public addresses${note}` });
      }
    }
    return { exposed, notExposed };
  }

  /**
   * The rules into `dest` that admit some of the traffic asked about, and the parts of the
   * question (port ranges) their union does not cover.
   */
  private cover(q: Query, dest: ServiceNode, port: Port): { rules: AccessRule[]; gaps: Gap[] } {
    const candidates = (this.into.get(dest.key) ?? []).filter((r) => portOverlaps(r.rule.port, port) && touches(r, q));
    // The common case: one rule admits all of it.
    const single = candidates.find((r) => port.within(r.rule.port) && sourceCovered([r], q));
    if (single) return { rules: [single.rule], gaps: [] };
    const rules = candidates.map((r) => r.rule);
    if (port.protocol !== 'tcp' && port.protocol !== 'udp') {
      // ICMP types and "every protocol" are not ranges: one rule must hold the port, the
      // sources of such rules may still add up.
      const holding = candidates.filter((r) => port.within(r.rule.port));
      return { rules, gaps: sourceCovered(holding, q) ? [] : [{ port, partial: holding.length > 0 }] };
    }
    // Split the port range where any rule's range starts or ends; within a piece the same
    // rules apply throughout, so the sources must add up piece by piece.
    const spans = candidates.map((r) => ({ r, span: admittedRange(r.rule.port, port)! }));
    const cuts = new Set<number>([port.from, port.to + 1]);
    for (const { span } of spans) {
      if (span[0] > port.from) cuts.add(span[0]);
      if (span[1] < port.to) cuts.add(span[1] + 1);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const gaps: Array<{ from: number; to: number; partial: boolean }> = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const from = points[i];
      const to = points[i + 1] - 1;
      const holding = spans.filter(({ span }) => span[0] <= from && span[1] >= to).map(({ r }) => r);
      if (sourceCovered(holding, q)) continue;
      const partial = holding.length > 0;
      const last = gaps[gaps.length - 1];
      if (last && last.to === from - 1 && last.partial === partial) last.to = to;
      else gaps.push({ from, to, partial });
    }
    const protocol = port.protocol;
    return { rules, gaps: gaps.map((g) => ({ port: rangePort(protocol, g.from, g.to), partial: g.partial })) };
  }

  private query(source: SourceRef): Query {
    if (typeof source === 'object' && source !== null && 'kind' in source) {
      return source.kind === 'cidr' ? this.cidrQuery(source.cidr) : this.serviceQuery(source.service);
    }
    if (typeof source === 'string' && /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(source.trim())) return this.cidrQuery(source);
    return this.serviceQuery(source);
  }

  private cidrQuery(cidr: string): Query {
    const range = rangeOf(cidr);
    if (!range) {
      throw new ButterError('CIDR_INVALID', `'${cidr}' is not an IPv4 address or CIDR block`, { hint: 'write it as a.b.c.d or a.b.c.d/n, e.g. 10.0.0.0/16' });
    }
    return { kind: 'cidr', range, label: cidr.trim() };
  }

  private serviceQuery(ref: ServiceRef): Query {
    const node = this.service(ref);
    return { kind: 'service', node, ranges: this.subnetRanges.get(node.key) ?? [], label: node.key };
  }

  /** A note for CIDR questions: the rules may admit the internet, the routing may not. */
  private publicNote(q: Query, dest: ServiceNode): string {
    if (q.kind !== 'cidr' || !hasPublicAddress(q.range)) return '';
    const why = unreachableBecause(dest, this.cloudOf.get(dest.network));
    return why.length === 0 ? '' : ` (but ${dest.key} is not reachable from the internet: ${why.join('; ')})`;
  }

  private networkList(): string {
    const names = this.model.networks.map((n) => n.name);
    return names.length === 0 ? 'the input (it holds no Butter network)' : `network${names.length === 1 ? '' : 's'} ${names.join(', ')}`;
  }

  private suggest(text: string): string {
    const keys = [...this.byKey.keys()];
    if (keys.length === 0) return 'build the stack with Butter Networks and Services first';
    const scored = keys.map((key) => ({ key, d: Math.min(editDistance(text, key), editDistance(text, key.split('/')[1])) })).sort((a, b) => a.d - b.d || (a.key < b.key ? -1 : 1));
    const best = scored[0];
    if (best.d <= Math.max(2, Math.floor(text.length / 3))) return `did you mean ${best.key}?`;
    return `known services: ${listOf(keys.sort(), 10)}`;
  }
}

/** Google's health-check ranges (see src/planning/balancer-plan.ts). */
const GOOGLE_PROBERS: readonly AddressRange[] = GOOGLE_HEALTH_CHECK_RANGES.map((c) => rangeOf(c)!);

/** True when the rule's source shares addresses with (or names) the queried source. */
function touches(r: IndexedRule, q: Query): boolean {
  if (q.kind === 'cidr') return r.range !== undefined && overlaps(r.range, q.range);
  if (r.rule.source.kind === 'service') return r.rule.source.service === q.node.key;
  return r.range !== undefined && q.ranges.some((s) => overlaps(r.range!, s));
}

/**
 * True when the rules' sources together contain the whole queried source: a CIDR block inside
 * the union of their blocks; a service named by one of them, or all its subnets inside the
 * union of their blocks. A rule naming a service never admits a CIDR question: it admits the
 * service's instances, not whatever else has an address in their range.
 */
function sourceCovered(rules: readonly IndexedRule[], q: Query): boolean {
  const ranges = rules.filter((r) => r.range !== undefined).map((r) => r.range!);
  if (q.kind === 'cidr') return coveredBy(q.range, ranges);
  if (rules.some((r) => r.rule.source.kind === 'service' && r.rule.source.service === q.node.key)) return true;
  return q.ranges.length > 0 && q.ranges.every((s) => coveredBy(s, ranges));
}

/** True when the rules' ports together admit every port of `port`. */
function admits(rules: readonly AccessRule[], port: Port): boolean {
  if (port.protocol !== 'tcp' && port.protocol !== 'udp') return rules.some((r) => port.within(r.port));
  const spans = rules.map((r) => admittedRange(r.port, port)).filter((s): s is [number, number] => s !== undefined);
  return uncoveredPorts(port, spans).length === 0;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
