import { Construct } from 'constructs';
import { ButterError, withErrorLocation } from '../src/errors';
import { parseServiceBlueprint } from '../src/blueprint/load';
import type { BalancerScheme, BalancerType, ListenerProtocol, LoadBalancerSpec } from '../src/blueprint/types';
import { BalancerPlan, planBalancer } from '../src/planning/balancer-plan';
import { Port } from '../src/model/port';
import { IPeer } from './peer';
import { Path } from './path';
import { Service } from './service';
import type { RenderedBalancer } from './renderer';

/** One port a {@link LoadBalancer} listens on. */
export interface ListenerProps {
  /** `http`/`https` on an application balancer, `tcp`/`udp` on a network one. */
  readonly protocol: ListenerProtocol;
  /** The port clients connect to. */
  readonly port: number;
  /** The instances' port. @default - `port` */
  readonly targetPort?: number;
  /**
   * The certificate of an `https` listener: AWS an ACM certificate ARN, Google the name or self
   * link of a regional SSL certificate. @default - none (required for https)
   */
  readonly certificate?: string;
}

/** Properties of a {@link LoadBalancer}; each overrides the blueprint's `load_balancer` key. */
export interface LoadBalancerProps {
  /**
   * `application` (HTTP/HTTPS: an AWS ALB, a Google regional Application LB) or `network`
   * (TCP/UDP: an AWS NLB, a Google passthrough Network LB).
   * @default - the blueprint's `load_balancer.type`, else 'application'
   */
  readonly type?: BalancerType;
  /** @default - the blueprint's `load_balancer.scheme`, else 'internet-facing' */
  readonly scheme?: BalancerScheme;
  /** @default - the blueprint's listeners, else one on port 80 (http or tcp) */
  readonly listeners?: readonly ListenerProps[];
  /**
   * Who may reach the listeners.
   * @default - the blueprint's `allowed_cidrs`, else the internet when internet-facing and the
   * network's block when internal
   */
  readonly allowedCidrs?: readonly string[];
}

/**
 * A managed load balancer in front of one service's instance group: listeners, a target group
 * (AWS) or backend service (Google) over the group, health checks that the group also uses to
 * replace broken instances.
 *
 * Why a construct of its own, under the Service: a balancer belongs to exactly one service (it is
 * the service's front door, named after it, removed with it), yet it is a separate traffic
 * source: the instances admit the balancer, not the internet. So it is an {@link IPeer}, and
 * what it may send to the service is an ordinary {@link Path} (created here, one per target
 * port), which reachability, the graph and `butter check` already understand. A blueprint with
 * `load_balancer:` makes its Service create one (`service.loadBalancer`); in code,
 * `new LoadBalancer(service, 'lb', props)` does the same with props overriding the blueprint.
 */
export class LoadBalancer extends Construct implements IPeer {
  public readonly peerKind = 'balancer' as const;
  /** The service it balances. */
  public readonly service: Service;
  /** The validated balancer settings (blueprint overlaid with props). */
  public readonly spec: LoadBalancerSpec;
  /** Everything Butter decided (subnets, names, health check, sources): plain data. */
  public readonly plan: BalancerPlan;
  /** The Paths from this balancer into its service, one per target port (and health port). */
  public readonly paths: readonly Path[];

  private readonly rendered: RenderedBalancer;

  constructor(service: Service, id: string, props: LoadBalancerProps = {}) {
    if (!(service instanceof Service)) {
      throw new ButterError('LOAD_BALANCER_SCOPE_INVALID', `LoadBalancer "${id}" must be created in a Service`, {
        hint: 'pass the Service it balances: new LoadBalancer(web, "lb")',
      });
    }
    if (service.loadBalancer) {
      throw new ButterError('LOAD_BALANCER_DUPLICATE', `${service.node.path} already has a load balancer (${service.loadBalancer.node.path})`, {
        constructPath: service.node.path,
        file: service.blueprint.file,
        key: 'load_balancer',
        hint: 'a service has one balancer: add listeners to it instead (load_balancer.listeners)',
      });
    }
    // The balancer is a peer named `<service>-lb` (its rules, security group and graph node): a
    // service of that name in the network would be mistaken for it.
    const taken = service.network.service(`${service.serviceName}-lb`);
    if (taken) {
      throw new ButterError('LOAD_BALANCER_NAME_TAKEN', `${service.node.path}'s load balancer would be called ${service.serviceName}-lb, which is the name of ${taken.node.path}`, {
        constructPath: service.node.path,
        hint: `rename the service ${taken.serviceName} (a balancer is named after its service with -lb)`,
      });
    }
    super(service, id);
    this.service = service;
    const network = service.network;
    const where = { constructPath: this.node.path, file: service.blueprint.file };
    this.spec = withErrorLocation(where, () => mergeSpec(service, props));
    this.plan = withErrorLocation(where, () => planBalancer({
      cloud: network.cloud,
      network: network.networkName,
      service: service.serviceName,
      blueprint: service.blueprint,
      spec: this.spec,
      networkCidr: network.cidr,
      addresses: network.addresses,
    }));
    service._registerBalancer(this);
    this.rendered = network.renderer.renderBalancer(this);

    // One Path per target port and protocol of the listeners that forward (an HTTP listener that
    // only redirects to HTTPS opens nothing), and one for the health checks when they probe a
    // port no listener forwards to (UDP targets are probed over TCP on both clouds).
    const ports = new Map<string, Port>();
    for (const l of this.plan.forwarding) {
      const p = l.protocol === 'udp' ? Port.udp(l.targetPort) : Port.tcp(l.targetPort);
      ports.set(p.key, p);
    }
    const health = Port.tcp(this.plan.healthCheck.port);
    const paths = [...ports.values()].map((p) => new Path(this, service, p, {
      description: `load balancer ${this.peerId} to ${service.serviceName} on ${p}`,
    }));
    if (!ports.has(health.key)) {
      paths.push(new Path(this, service, health, { description: `load balancer ${this.peerId} health checks of ${service.serviceName} on ${health}` }));
    }
    this.paths = paths;
  }

  /** `<service>-lb`: unique in the network, since each service has at most one balancer. */
  public get peerId(): string {
    return `${this.service.serviceName}-lb`;
  }

  /**
   * Where clients connect: on AWS the balancer's DNS name (known after deploy), on Google the
   * forwarding rule's IP address (known after deploy).
   */
  public get dnsName(): string {
    return this.rendered.dnsName;
  }
}

/** The blueprint's `load_balancer` with the props laid over it, validated like the blueprint. */
function mergeSpec(service: Service, props: LoadBalancerProps): LoadBalancerSpec {
  const base = service.blueprint.loadBalancer;
  // No props (the blueprint's own balancer): the blueprint's spec was validated when it loaded.
  const overridden = [props.type, props.scheme, props.listeners, props.allowedCidrs].some((v) => v !== undefined);
  if (base && !overridden) return base;
  const raw = {
    type: props.type ?? base?.type,
    scheme: props.scheme ?? base?.scheme,
    listeners: (props.listeners ?? base?.listeners)?.map((l) => ({
      protocol: l.protocol,
      port: l.port,
      ...(l.targetPort !== undefined && { target_port: l.targetPort }),
      ...(l.certificate !== undefined && { certificate: l.certificate }),
    })),
    allowed_cidrs: props.allowedCidrs ?? base?.allowedCidrs,
  };
  const clean = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  // The same schema as the YAML's, so props and blueprints get the same checks and messages.
  const parsed = parseServiceBlueprint({ load_balancer: clean }, { file: service.blueprint.file ?? 'LoadBalancer props' });
  return parsed.loadBalancer!;
}
