import { TerraformStack, Testing } from 'cdktf';
import { ButterError } from '../../src/errors';
import { Reachability, fromSynthesized, ServiceRef, SourceRef, TerraformJson } from '../../src/reachability';
import { PortInput, portOf } from '../../src/reachability/ports';
import { Service } from '../service';
import { Checks, ChecksOptions } from '../checks';
import { CheckedStack, CheckReport, formatText, runChecks } from '../../src/checks';
import { CidrBlock, IPeer } from '../peer';

/** What the matchers assert on: a stack, its synthesized JSON (text or parsed), or a Reachability (e.g. from state). */
export type ReachabilitySubject = TerraformStack | TerraformJson | string | Reachability;

/** A traffic source: a Service construct, a CidrBlock (`Internet`), a CIDR text or a service name. */
export type TrafficPeer = Service | CidrBlock | IPeer | SourceRef;

/** A destination: a Service construct, or its name (`web`, or `dev/web` when several networks have one). */
export type TrafficTarget = Service | ServiceRef;

/**
 * The Reachability of a subject. A stack is synthesized once and its model kept until the
 * stack's constructs change (a Path added or removed), so many assertions on one stack cost
 * one synthesis; changes made through escape hatches (`addOverride`) are not seen until then.
 */
export function stackReachability(subject: ReachabilitySubject): Reachability {
  if (subject instanceof Reachability) return subject;
  if (TerraformStack.isStack(subject)) return fromStack(subject);
  if (typeof subject === 'string') return cached(textCache, subject, () => new Reachability(fromSynthesized(subject)));
  if (typeof subject === 'object' && subject !== null) return cachedObject(subject as TerraformJson);
  throw new ButterError('REACHABILITY_SUBJECT_INVALID', `cannot check reachability of ${subject === null ? 'null' : typeof subject}`, {
    hint: 'expect() a TerraformStack, its synthesized JSON (text or parsed), or a Reachability',
  });
}

const stackCache = new WeakMap<TerraformStack, { fingerprint: string; reach: Reachability }>();
const objectCache = new WeakMap<object, Reachability>();
const textCache = new Map<string, Reachability>();

function fromStack(stack: TerraformStack): Reachability {
  // Every construct's path: adding or removing a Path, Service or Network changes it.
  const fingerprint = stack.node.findAll().map((c) => c.node.path).join('\n');
  const hit = stackCache.get(stack);
  if (hit && hit.fingerprint === fingerprint) return hit.reach;
  const reach = new Reachability(fromSynthesized({ stack: stack.node.id, config: JSON.parse(Testing.synth(stack)) }));
  stackCache.set(stack, { fingerprint, reach });
  return reach;
}

function cachedObject(doc: TerraformJson): Reachability {
  let reach = objectCache.get(doc);
  if (!reach) objectCache.set(doc, (reach = new Reachability(fromSynthesized(doc))));
  return reach;
}

/** A few recent documents by text (tests assert on one or two at a time). */
function cached(cache: Map<string, Reachability>, key: string, make: () => Reachability): Reachability {
  let reach = cache.get(key);
  if (!reach) {
    reach = make();
    if (cache.size >= 8) cache.delete(cache.keys().next().value!);
    cache.set(key, reach);
  }
  return reach;
}

/** A construct or peer as the analysis names it. */
export function sourceOf(peer: TrafficPeer): SourceRef {
  if (peer instanceof Service) return { network: peer.network.networkName, name: peer.serviceName };
  if (peer instanceof CidrBlock) return peer.cidr;
  if (typeof peer === 'object' && peer !== null && 'peerKind' in peer) {
    if (peer.peerKind === 'cidr' && typeof (peer as any).cidr === 'string') return (peer as any).cidr;
    throw new ButterError('REACHABILITY_PEER_INVALID', `peer ${peer.peerId} is neither a Service nor a CIDR block`, {
      hint: 'pass a Service, a CidrBlock (Internet), or a CIDR or service name as text',
    });
  }
  return peer as SourceRef;
}

function targetOf(target: TrafficTarget): ServiceRef {
  return target instanceof Service ? { network: target.network.networkName, name: target.serviceName } : target;
}

function label(peer: TrafficPeer | TrafficTarget): string {
  if (peer instanceof Service) return `${peer.network.networkName}/${peer.serviceName}`;
  if (peer instanceof CidrBlock) return peer.cidr;
  if (typeof peer === 'object' && peer !== null) return 'key' in peer ? String(peer.key) : 'cidr' in peer ? String(peer.cidr) : 'service' in peer ? String(peer.service) : `${(peer as any).network}/${(peer as any).name}`;
  return String(peer);
}

/**
 * `expect(stack).toAllowTraffic(lb, web, 80)`: the rules let `source` reach `destination` on
 * the whole port (range), from the whole source (containment, not overlap).
 */
function toAllowTraffic(this: jest.MatcherContext, received: ReachabilitySubject, source: TrafficPeer, destination: TrafficTarget, port: PortInput): jest.CustomMatcherResult {
  const verdict = stackReachability(received).hasAccess(sourceOf(source), targetOf(destination), port);
  const what = `${label(source)} to reach ${label(destination)} on ${portOf(port)}`;
  const hint = this.utils.matcherHint('toAllowTraffic', 'stack', 'source, destination, port', { isNot: this.isNot });
  return {
    pass: verdict.allowed,
    message: () => verdict.allowed
      ? `${hint}\n\nExpected the rules not to allow ${what}, but ${verdict.reason}`
      : `${hint}\n\nExpected the rules to allow ${what}, but ${verdict.reason}`,
  };
}

/**
 * `expect(stack).toBeInternetAccessible(lb, 443)`: a rule admits the port from a public address,
 * and the service has public addresses and an internet route.
 */
function toBeInternetAccessible(this: jest.MatcherContext, received: ReachabilitySubject, service: TrafficTarget, port: PortInput): jest.CustomMatcherResult {
  const verdict = stackReachability(received).internetAccessible(targetOf(service), port);
  const hint = this.utils.matcherHint('toBeInternetAccessible', 'stack', 'service, port', { isNot: this.isNot });
  return {
    pass: verdict.allowed,
    message: () => verdict.allowed
      ? `${hint}\n\nExpected ${label(service)} not to be reachable from the internet on ${portOf(port)}, but ${verdict.reason}`
      : `${hint}\n\nExpected ${label(service)} to be reachable from the internet on ${portOf(port)}, but ${verdict.reason}`,
  };
}

/**
 * `expect(stack).toPassChecks()`: `butter check` finds nothing at or above `minSeverity` in the
 * stack (suppressions count, as at synth). Also takes synthesized JSON (text or parsed).
 */
function toPassChecks(this: jest.MatcherContext, received: TerraformStack | TerraformJson | string, options: ChecksOptions = {}): jest.CustomMatcherResult {
  let report: CheckReport;
  if (TerraformStack.isStack(received)) {
    Testing.synth(received); // applies the aspects (suppressions) to the tree
    report = Checks.report(received, options);
  } else {
    report = runChecks([CheckedStack.parse('stack', received)], options);
  }
  const hint = this.utils.matcherHint('toPassChecks', 'stack', '', { isNot: this.isNot });
  const pass = report.findings.length === 0;
  return {
    pass,
    message: () => pass
      ? `${hint}\n\nExpected findings, but the checks pass (${report.suppressed.length} suppressed)`
      : `${hint}\n\nExpected no findings at or above ${report.minSeverity}, but:\n${formatText(report, { showSuppressed: false })}`,
  };
}

/** The matchers, for `expect.extend(butterMatchers)`. */
export const butterMatchers = { toAllowTraffic, toBeInternetAccessible, toPassChecks };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R, T = {}> {
      /** The stack's rules let `source` reach `destination` on the whole `port` (number = TCP, `udp:53`, Port). */
      toAllowTraffic(source: TrafficPeer, destination: TrafficTarget, port: PortInput): R;
      /** The internet can reach `service` on `port`: a public rule, a public address and an internet route. */
      toBeInternetAccessible(service: TrafficTarget, port: PortInput): R;
      /** `butter check` finds nothing at or above `options.minSeverity` (default: any) in the stack. */
      toPassChecks(options?: ChecksOptions): R;
    }
  }
}
