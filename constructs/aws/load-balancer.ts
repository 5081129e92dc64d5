import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { displayPath } from '../../src/errors';
import type { ListenerProtocol, ListenerSpec } from '../../src/blueprint/types';
import type { LoadBalancer } from '../load-balancer';
import type { Path } from '../path';
import type { RenderedBalancer } from '../renderer';
import type { AwsNetworkResources } from './network';
import type { AwsServiceResources } from './service';
import { awsTags } from './tags';
import { literal, literals } from '../literal';

/**
 * The TLS policy of HTTPS listeners: TLS 1.3 and 1.2 with forward-secret ciphers only, AWS's
 * recommended policy (the default `ELBSecurityPolicy-2016-08` still accepts TLS 1.0).
 */
export const AWS_HTTPS_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/**
 * Seconds a target being removed (scale-in, instance refresh) keeps its open requests. AWS's
 * default is 300, which makes every rolling replacement wait five minutes per instance; 30 s
 * drains ordinary web requests.
 */
export const AWS_DEREGISTRATION_DELAY_SECONDS = 30;

/**
 * One service's balancer on AWS: a /27 subnet of its own in each of the service's zones (public
 * when internet-facing, private when internal), its own security group admitting the allowed
 * CIDRs on the listener ports, an ALB or NLB, one target group per target port (the service's
 * Auto Scaling group registers its instances in them) and a listener per listener port; on an
 * ALB with an HTTPS listener, HTTP listeners redirect to it. The group then takes its health
 * from the balancer (`health_check_type = "ELB"`).
 *
 * What the balancer may send to the service is not rendered here but by its Paths
 * ({@link renderAwsBalancerEgress} and ../path.ts): the ingress rule on the service's group and
 * the matching egress rule on the balancer's.
 */
export class AwsBalancerResources implements RenderedBalancer {
  public readonly subnets: Subnet[];
  public readonly securityGroup: SecurityGroup;
  /** `securityGroup.id`, read once (each read is a new cdktf token). */
  public readonly securityGroupId: string;
  public readonly loadBalancer: Lb;
  /** One per distinct target protocol and port, in the order of the listeners. */
  public readonly targetGroups: LbTargetGroup[];
  public readonly listeners: LbListener[];

  constructor(balancer: LoadBalancer, net: AwsNetworkResources, service: AwsServiceResources) {
    // Listener certificates, the health-check path and names are text, never Terraform (../literal.ts).
    const plan = literals(balancer.plan);
    const provider = net.provider;
    const owner = balancer.service;
    const networkName = owner.network.networkName;
    // Tagged as `<service>-lb` (its peer id), not as the service: `butter mock status` and the
    // inventory then list its subnets and rules apart from the instances', under its own name.
    const tags = awsTags(networkName, balancer.peerId);
    const baseName = literal(`${networkName}-${owner.serviceName}-lb`);
    const blueprintName = literal(owner.blueprint.file ? displayPath(owner.blueprint.file) : 'the blueprint');
    const internal = plan.scheme === 'internal';

    // An internet-facing balancer's nodes need the internet gateway; an internal one's do not.
    this.subnets = net.zoneSubnets(balancer, plan.subnets, { public: !internal, zones: plan.subnets.length, tags, name: baseName, blueprintName });

    // No inline rules: each opening is its own rule resource, as on the services' groups.
    this.securityGroup = new SecurityGroup(balancer, 'sg', {
      provider,
      name: baseName,
      description: `Butter load balancer ${baseName}: clients on the listener ports, out only to its service`,
      vpcId: net.vpcId,
      tags,
    });
    this.securityGroupId = this.securityGroup.id;
    const listenerPorts = distinct(plan.listeners.map((l) => ({ protocol: ipProtocol(l.protocol), port: l.port })));
    plan.allowedCidrs.forEach((cidr, c) => {
      for (const { protocol, port } of listenerPorts) {
        new VpcSecurityGroupIngressRule(balancer, `clients-${c}-${protocol}-${port}`, {
          provider,
          securityGroupId: this.securityGroupId,
          ipProtocol: protocol,
          fromPort: port,
          toPort: port,
          cidrIpv4: cidr,
          description: `clients ${cidr} to load balancer ${literal(balancer.peerId)} on ${protocol}/${port}`,
          tags,
        });
      }
    });

    const application = plan.type === 'application';
    this.loadBalancer = new Lb(balancer, 'balancer', {
      provider,
      name: plan.name,
      internal,
      loadBalancerType: plan.type,
      // NLBs take security groups too (since 2023), but only when created with one.
      securityGroups: [this.securityGroupId],
      subnets: this.subnets.map((s) => s.id),
      // Requests with malformed headers are dropped rather than passed to the instances.
      ...(application && { dropInvalidHeaderFields: true }),
      tags,
    });

    // Beside an HTTPS listener, a plain HTTP one only sends clients there (301): nothing is
    // served unencrypted to clients who typed http://, and they land on the same site. Which
    // listeners redirect is the plan's (planning/balancer-plan.ts: httpsRedirect).
    const forwards = (l: ListenerSpec) => plan.forwarding.some((f) => f.port === l.port);

    // One target group per protocol and instance port that listeners forward to.
    const health = plan.healthCheck;
    const groups = new Map<string, LbTargetGroup>();
    for (const l of plan.forwarding) {
      const protocol = targetProtocol(l.protocol);
      const key = `${protocol}-${l.targetPort}`;
      if (groups.has(key)) continue;
      groups.set(key, new LbTargetGroup(balancer, `targets-${key.toLowerCase()}`, {
        provider,
        name: targetGroupName(plan.name, protocol, l.targetPort),
        targetType: 'instance',
        protocol,
        port: l.targetPort,
        vpcId: net.vpcId,
        deregistrationDelay: String(AWS_DEREGISTRATION_DELAY_SECONDS),
        healthCheck: {
          enabled: true,
          protocol: health.protocol.toUpperCase(),
          port: String(health.port),
          ...(health.protocol === 'http' && { path: health.path, matcher: '200-399' }),
          interval: health.intervalSeconds,
          timeout: health.timeoutSeconds,
          healthyThreshold: health.healthyThreshold,
          unhealthyThreshold: health.unhealthyThreshold,
        },
        tags,
        // The name holds the port: a changed port is a new group, made before the listener
        // moves to it and the old one goes.
        lifecycle: { createBeforeDestroy: true },
      }));
    }
    this.targetGroups = [...groups.values()];

    this.listeners = plan.listeners.map((l) => new LbListener(balancer, `listener-${l.port}`, {
      provider,
      loadBalancerArn: this.loadBalancer.arn,
      port: l.port,
      protocol: l.protocol.toUpperCase(),
      ...(l.protocol === 'https' && { certificateArn: l.certificate, sslPolicy: AWS_HTTPS_SSL_POLICY }),
      defaultAction: [forwards(l)
        ? { type: 'forward', targetGroupArn: groups.get(`${targetProtocol(l.protocol)}-${l.targetPort}`)!.arn }
        : { type: 'redirect', redirect: { protocol: 'HTTPS', port: String(plan.redirectTo), statusCode: 'HTTP_301' } }],
      tags,
    }));

    // The group registers its instances in the target groups and replaces those the balancer
    // finds unhealthy, after the grace period a new instance gets to boot.
    service.group.targetGroupArns = this.targetGroups.map((g) => g.arn);
    service.group.healthCheckType = 'ELB';
    service.group.healthCheckGracePeriod = health.gracePeriodSeconds;
  }

  /** The balancer's DNS name (a token; read on demand, since each read makes a new one). */
  public get dnsName(): string {
    return this.loadBalancer.dnsName;
  }
}

/**
 * The balancer's side of a Path from it to its service: an egress rule from the balancer's
 * security group to the service's on the Path's port. The ingress side is the Path's ordinary
 * rule (../path.ts) with the balancer's group as its source.
 */
export function renderAwsBalancerEgress(path: Path, net: AwsNetworkResources, balancer: AwsBalancerResources, destination: AwsServiceResources): void {
  const { port } = path;
  new VpcSecurityGroupEgressRule(path, 'egress', {
    provider: net.provider,
    securityGroupId: balancer.securityGroupId,
    referencedSecurityGroupId: destination.securityGroupId,
    ...(port.protocol === 'all' ? { ipProtocol: '-1' } : { ipProtocol: port.protocol, fromPort: port.from, toPort: port.to }),
    description: literal(path.description),
    tags: awsTags(path.destination.network.networkName, path.source.peerId, path.node.id),
  });
}

/** What the instances speak: an ALB ends TLS and forwards HTTP; an NLB passes TCP/UDP through. */
function targetProtocol(listener: ListenerProtocol): string {
  return listener === 'http' || listener === 'https' ? 'HTTP' : listener.toUpperCase();
}

function ipProtocol(listener: ListenerProtocol): 'tcp' | 'udp' {
  return listener === 'udp' ? 'udp' : 'tcp';
}

/**
 * `<balancer name>-<port>`: at most 32 characters, since balancer names keep six free. UDP groups
 * end in `u` (a TCP and a UDP listener may forward to one port) and give up the balancer name's
 * last character when it is needed.
 */
function targetGroupName(balancerName: string, protocol: string, port: number): string {
  if (protocol !== 'UDP') return `${balancerName}-${port}`;
  const suffix = `-${port}u`;
  return `${balancerName.slice(0, 32 - suffix.length).replace(/-+$/, '')}${suffix}`;
}

function distinct<T>(items: T[]): T[] {
  const seen = new Map<string, T>();
  for (const item of items) seen.set(JSON.stringify(item), item);
  return [...seen.values()];
}
