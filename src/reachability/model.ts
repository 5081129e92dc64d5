import { Port } from '../model/port';

/**
 * The cloud-neutral facts reachability is computed from. Both sources (a synthesized
 * `cdk.tf.json` before deploy, Terraform state after) and both clouds (AWS security groups,
 * Google firewalls) are read into this one shape, so the analysis never knows where it came from.
 * Plain data, no cdktf: see ./analysis.ts for the questions asked of it.
 */
export interface ReachabilityModel {
  readonly networks: readonly NetworkNode[];
  readonly services: readonly ServiceNode[];
  /** Every ingress rule that admits traffic to a service. Egress is open on both clouds. */
  readonly rules: readonly AccessRule[];
  /**
   * Allow rules (or parts of them) that a deny rule overrides (Google: a deny of the same or a
   * higher priority). They admit nothing; they are kept so answers can say why.
   * @default - none
   */
  readonly shadowed?: readonly ShadowedRule[];
  /**
   * What the readers saw but could not take into account (a rule whose source is a token known
   * only at deploy time, a firewall aimed at service accounts...), one sentence each.
   * @default - none
   */
  readonly warnings?: readonly string[];
}

export type Cloud = 'aws' | 'google';

export interface NetworkNode {
  /** Butter's network name (`dev`), not the cloud's sanitized one. */
  readonly name: string;
  readonly cloud: Cloud;
  /** The stack it was read from, when known. */
  readonly stack?: string;
}

/** A service is known by `network/name`: two networks may each have a `web`. */
export type ServiceKey = string;

export interface ServiceNode {
  /** `network/name`. */
  readonly key: ServiceKey;
  readonly network: string;
  readonly name: string;
  /** The subnet blocks its instances take addresses from. */
  readonly subnets: readonly string[];
  /** Whether its instances get a public address (AWS launch template / Google access config). */
  readonly publicAddress: boolean;
  /**
   * Whether packets from the internet can be routed to it: AWS, its subnets' route table sends
   * 0.0.0.0/0 to an internet gateway; Google, the network keeps its default internet route.
   */
  readonly internetRoute: boolean;
  /** Instance addresses, when known (deployed state); empty before deploy. */
  readonly privateIps: readonly string[];
  readonly publicIps: readonly string[];
  /**
   * What the node is: a service's instances, or a load balancer in front of a service. A
   * balancer is a node like a service (rules admit traffic to it; it is the source of the rules
   * into its service), so every question works on it; `balancer` says where it forwards.
   * @default 'service'
   */
  readonly role?: 'service' | 'balancer';
  /** For a balancer: the service behind it and its listeners. @default - not a balancer */
  readonly balancer?: BalancerFacts;
}

/** A load balancer's forwarding: which service, from which listener port to which target port. */
export interface BalancerFacts {
  /** The service whose instances receive the traffic. */
  readonly target: ServiceKey;
  /** `application` (HTTP/HTTPS) or `network` (TCP/UDP). */
  readonly type: 'application' | 'network';
  readonly scheme: 'internet-facing' | 'internal';
  /** Each listener: the port clients connect to and the instances' port it forwards to. */
  readonly listeners: readonly { readonly port: Port; readonly targetPort: Port }[];
  /** Its DNS name (AWS) or IP address (Google), once deployed. @default - unknown */
  readonly address?: string;
}

/** Where an allowed flow comes from: another service, or a block of addresses. */
export type TrafficSource =
  | { readonly kind: 'service'; readonly service: ServiceKey }
  | { readonly kind: 'cidr'; readonly cidr: string };

/** One thing that admits traffic: an AWS ingress rule or (one source of) a Google firewall rule. */
export interface AccessRule {
  /** The Terraform address of the resource that allows it (`aws_vpc_security_group_ingress_rule.x`). */
  readonly origin: string;
  readonly network: string;
  readonly destination: ServiceKey;
  readonly source: TrafficSource;
  /** Protocol and port range it admits (`Port.allTraffic()` for every protocol). */
  readonly port: Port;
  readonly description?: string;
  /**
   * Google firewall priority (lower wins); undefined on AWS, where rules only ever add.
   * @default - none
   */
  readonly priority?: number;
}

/** Part of an allow rule that a deny rule overrides. */
export interface ShadowedRule {
  /** The overridden piece, as it would admit traffic without the deny. */
  readonly rule: AccessRule;
  /** The Terraform address of the deny rule. */
  readonly deniedBy: string;
  /** The deny rule's priority. */
  readonly denyPriority: number;
  /** True when the deny takes away only some of the rule's sources or ports. */
  readonly partial: boolean;
}
