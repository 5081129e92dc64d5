/**
 * What Butter decides about a service's load balancer before any cloud resource exists: plain
 * data (no cdktf), so the renderers only translate it and tests can read it directly.
 *
 * Choices made here, and why:
 * - **AWS subnets of its own.** A balancer gets one /27 per service zone from the ledger (under
 *   `<service>/lb`), public when internet-facing, private when internal. /27 is the smallest block
 *   AWS accepts for a load balancer's subnet (it needs 8 free addresses to scale); keeping the
 *   balancer out of the service's subnets lets the service stay private behind a public balancer.
 * - **Google needs no subnet per balancer**, but regional Application Load Balancers need the
 *   network's one proxy-only subnet per region: a /23 (Google's recommended size) from the ledger
 *   under `/proxy-only`, a name no service can have (construct ids cannot contain `/`).
 * - **Who may connect** defaults to the internet for an internet-facing balancer (declaring one
 *   is the request to be public) and to the network's own block for an internal one.
 */
import { createHash } from 'node:crypto';
import { ButterError } from '../errors';
import type {
  BalancerScheme, BalancerType, CloudName, HealthCheckSpec, ListenerSpec, LoadBalancerSpec, ServiceBlueprint,
} from '../blueprint/types';
import type { AddressBook } from './address-book';
import { googleName } from './google-names';

/** A health check with every value decided. */
export interface HealthCheckPlan {
  readonly protocol: 'http' | 'tcp';
  /** Only for `http`. */
  readonly path?: string;
  readonly port: number;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  readonly gracePeriodSeconds: number;
}

/** Everything about one balancer. */
export interface BalancerPlan {
  readonly cloud: CloudName;
  readonly type: BalancerType;
  readonly scheme: BalancerScheme;
  readonly listeners: readonly ListenerSpec[];
  /**
   * The listeners that send traffic to the instances: every listener but those that redirect
   * (see {@link httpsRedirect}). Only their target ports get Paths to the service.
   */
  readonly forwarding: readonly ListenerSpec[];
  /** The HTTPS port plain HTTP listeners answer with a redirect to. @default - none: every listener forwards */
  readonly redirectTo?: number;
  /** The distinct instance ports traffic is forwarded to, ascending. */
  readonly targetPorts: readonly number[];
  /** Who may reach the listeners. */
  readonly allowedCidrs: readonly string[];
  readonly healthCheck: HealthCheckPlan;
  /** AWS: one /27 per zone for the balancer itself. Google: none (see `proxyOnlySubnet`). */
  readonly subnets: readonly string[];
  /** Google application balancers: the network's proxy-only subnet. @default - none */
  readonly proxyOnlySubnet?: string;
  /**
   * The balancer's cloud name: AWS load balancer and target group names are at most 32
   * characters of letters, digits and hyphens; Google names are RFC 1035 labels.
   */
  readonly name: string;
}

/** The smallest subnet AWS accepts for a load balancer. */
export const AWS_BALANCER_SUBNET_PREFIX = 27;
/** Google's recommended size of a proxy-only subnet (the smallest allowed is /26). */
export const GOOGLE_PROXY_ONLY_PREFIX = 23;
/** Where the proxy-only subnet is recorded in the ledger: no service can be called this. */
export const PROXY_ONLY_LEDGER_NAME = '/proxy-only';
/** Google's health-check probers (documented ranges for backend-service based balancers). */
export const GOOGLE_HEALTH_CHECK_RANGES: readonly string[] = ['35.191.0.0/16', '130.211.0.0/22'];

/** The longest AWS load balancer / target group name. */
const AWS_NAME_MAX = 32;

/** Inputs of {@link planBalancer}. */
export interface BalancerPlanInput {
  readonly cloud: CloudName;
  readonly network: string;
  readonly service: string;
  readonly blueprint: ServiceBlueprint;
  /** The balancer, from the blueprint and/or the construct's props. */
  readonly spec: LoadBalancerSpec;
  /** The network's own block (the default sources of an internal balancer). */
  readonly networkCidr: string;
  readonly addresses: AddressBook;
}

/** Decide names, subnets, health check and sources of a service's balancer. */
export function planBalancer(input: BalancerPlanInput): BalancerPlan {
  const { cloud, spec, blueprint: bp } = input;
  const file = bp.file;
  // An ALB must be in at least two Availability Zones (CreateLoadBalancer: "At least two subnets
  // in two different Availability Zones must be specified"); a network balancer may use one.
  if (cloud === 'aws' && spec.type === 'application' && bp.availabilityZones < 2) {
    throw new ButterError('LOAD_BALANCER_ZONES', `an application load balancer needs at least 2 zones, and the service has ${bp.availabilityZones}`, {
      file,
      key: 'placement.availability_zones',
      hint: 'set placement.availability_zones to 2 or more, or use `load_balancer.type: network`',
    });
  }
  const allowedCidrs = spec.allowedCidrs ?? (spec.scheme === 'internet-facing' ? ['0.0.0.0/0'] : [input.networkCidr]);
  // Google's regional external Application Load Balancer answers any client: restricting who
  // may connect takes a Cloud Armor policy, which Butter does not make.
  if (cloud === 'google' && spec.type === 'application' && spec.scheme === 'internet-facing'
    && !(allowedCidrs.length === 1 && allowedCidrs[0] === '0.0.0.0/0')) {
    throw new ButterError('LOAD_BALANCER_SOURCES_UNSUPPORTED', "Google's regional external Application Load Balancer admits every client; Butter cannot limit it to allowed_cidrs", {
      file,
      key: 'load_balancer.allowed_cidrs',
      hint: 'remove allowed_cidrs (the internet), use `type: network` (its firewall rules keep the clients\' addresses), or `scheme: internal`',
    });
  }
  const redirect = httpsRedirect(cloud, spec);
  const forwarding = forwardingListeners(cloud, spec);
  const targetPorts = [...new Set(forwarding.map((l) => l.targetPort))].sort((a, b) => a - b);
  const healthCheck = resolveHealthCheck(bp.healthCheck, spec, cloud);
  const subnets = cloud === 'aws'
    ? input.addresses.serviceSubnets(input.network, `${input.service}/lb`, bp.availabilityZones, AWS_BALANCER_SUBNET_PREFIX)
    : [];
  const proxyOnlySubnet = cloud === 'google' && spec.type === 'application'
    ? input.addresses.serviceSubnets(input.network, PROXY_ONLY_LEDGER_NAME, 1, GOOGLE_PROXY_ONLY_PREFIX)[0]
    : undefined;
  return {
    cloud,
    type: spec.type,
    scheme: spec.scheme,
    listeners: spec.listeners,
    forwarding,
    ...(redirect && { redirectTo: redirect.port }),
    targetPorts,
    allowedCidrs,
    healthCheck,
    subnets,
    ...(proxyOnlySubnet !== undefined && { proxyOnlySubnet }),
    name: cloud === 'aws' ? awsBalancerName(input.network, input.service) : googleName([input.network, input.service, 'lb']),
  };
}

/**
 * The HTTPS listener that plain HTTP listeners redirect to (301), on an AWS application balancer
 * that has one: beside HTTPS, nothing is served unencrypted to a client who typed http://. Such
 * an HTTP listener sends nothing to the instances, so its target port needs no Path. Google's
 * HTTP listeners forward (a redirect there is a URL map of its own, which Butter does not make).
 */
export function httpsRedirect(cloud: CloudName, lb: LoadBalancerSpec): ListenerSpec | undefined {
  if (cloud !== 'aws' || lb.type !== 'application') return undefined;
  return lb.listeners.find((l) => l.protocol === 'https');
}

/** The listeners that send traffic to the instances: all but those that redirect. */
export function forwardingListeners(cloud: CloudName, lb: LoadBalancerSpec): readonly ListenerSpec[] {
  if (!httpsRedirect(cloud, lb)) return lb.listeners;
  return lb.listeners.filter((l) => l.protocol !== 'http');
}

/**
 * The health check of a service: the blueprint's `health_check` with the balancer's defaults
 * (HTTP on the first port a listener forwards to when a path is given or behind an application
 * balancer, TCP otherwise).
 */
export function resolveHealthCheck(spec: HealthCheckSpec | undefined, lb: LoadBalancerSpec | undefined, cloud: CloudName): HealthCheckPlan {
  const protocol = spec?.protocol ?? (spec?.path !== undefined || lb?.type === 'application' ? 'http' : 'tcp');
  return {
    protocol,
    ...(protocol === 'http' && { path: spec?.path ?? '/' }),
    port: spec?.port ?? (lb && forwardingListeners(cloud, lb)[0]?.targetPort) ?? 80,
    intervalSeconds: spec?.intervalSeconds ?? 30,
    timeoutSeconds: spec?.timeoutSeconds ?? 5,
    healthyThreshold: spec?.healthyThreshold ?? 3,
    unhealthyThreshold: spec?.unhealthyThreshold ?? 3,
    gracePeriodSeconds: spec?.gracePeriodSeconds ?? 300,
  };
}

/**
 * An AWS load balancer name: letters, digits and hyphens, at most 32, not starting or ending with
 * a hyphen, not starting with `internal-` (ELB's rules). Target groups add `-<port>` to it, so
 * it keeps room for six more characters.
 */
export function awsBalancerName(network: string, service: string): string {
  const max = AWS_NAME_MAX - 6;
  const raw = `${network}-${service}`;
  if (raw.length <= max && /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/.test(raw) && !/^internal-/i.test(raw)) return raw;
  const hash = createHash('sha256').update(JSON.stringify([network, service])).digest('hex').slice(0, 8);
  const head = raw.replace(/[^A-Za-z0-9]+/g, '-').replace(/^internal-/i, 'int-').replace(/^-+/, '').slice(0, max - 9).replace(/-+$/, '');
  return head ? `${head}-${hash}` : `b-${hash}`;
}
