/**
 * workloads/butter-lb.ts in bare cdktf: workloads/bare.ts plus, for each service, what someone
 * without Butter writes for an Application Load Balancer in front of an Auto Scaling group: three
 * /27 public subnets, a security group (clients in on 80, out to the service on 80), the ALB, a
 * target group with its health check, an HTTP listener, the service's ingress from the balancer,
 * and the group attached with ELB health. Same types, counts and attributes as Butter's.
 */
import { App } from 'cdktf';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { buildBare, ServiceExtra } from './bare';
import { PORT, REGION, ZONES } from './shape';

/** The i-th /27 of 10.0.128.0/17, the upper half of the VPC (services' /28s are in the lower). */
function block27(i: number): string {
  const offset = 32768 + i * 32;
  return `10.0.${offset >> 8}.${offset & 255}/27`;
}

const balancer: ServiceExtra = (scope, svc) => {
  const { provider, name, vpcId } = svc;
  const id = `${name}-lb`;
  const tags = { ...svc.tags, Name: id };
  const subnets: Subnet[] = [];
  for (let z = 0; z < ZONES; z++) {
    const subnet = new Subnet(scope, `${id}-subnet-${z}`, {
      provider,
      vpcId,
      cidrBlock: block27(svc.index * ZONES + z),
      availabilityZone: svc.zoneName(z),
      tags: { ...tags, Name: `${id}-${z}` },
      lifecycle: {
        createBeforeDestroy: true,
        precondition: [{ condition: svc.zoneCondition, errorMessage: `${REGION} has fewer than ${ZONES} availability zones.` }],
      },
    });
    new RouteTableAssociation(scope, `${id}-subnet-${z}-routes`, { provider, subnetId: subnet.id, routeTableId: svc.publicRoutes.id });
    subnets.push(subnet);
  }
  const sg = new SecurityGroup(scope, `${id}-sg`, { provider, name: id, description: `load balancer ${id}`, vpcId, tags });
  new VpcSecurityGroupIngressRule(scope, `${id}-clients`, {
    provider, securityGroupId: sg.id, ipProtocol: 'tcp', fromPort: PORT, toPort: PORT, cidrIpv4: '0.0.0.0/0', description: `clients to ${id}`, tags,
  });
  new VpcSecurityGroupIngressRule(scope, `${name}-from-lb`, {
    provider, securityGroupId: svc.sg.id, referencedSecurityGroupId: sg.id, ipProtocol: 'tcp', fromPort: PORT, toPort: PORT, description: `${id} to ${name}`, tags,
  });
  new VpcSecurityGroupEgressRule(scope, `${id}-to-service`, {
    provider, securityGroupId: sg.id, referencedSecurityGroupId: svc.sg.id, ipProtocol: 'tcp', fromPort: PORT, toPort: PORT, description: `${id} to ${name}`, tags,
  });
  const lb = new Lb(scope, `${id}-alb`, {
    provider,
    name,
    internal: false,
    loadBalancerType: 'application',
    securityGroups: [sg.id],
    subnets: subnets.map((s) => s.id),
    dropInvalidHeaderFields: true,
    tags,
  });
  const targets = new LbTargetGroup(scope, `${id}-targets`, {
    provider,
    name: `${name}-${PORT}`,
    targetType: 'instance',
    protocol: 'HTTP',
    port: PORT,
    vpcId,
    deregistrationDelay: '30',
    healthCheck: {
      enabled: true, protocol: 'HTTP', port: String(PORT), path: '/', matcher: '200-399', interval: 30, timeout: 5, healthyThreshold: 3, unhealthyThreshold: 3,
    },
    tags,
    lifecycle: { createBeforeDestroy: true },
  });
  new LbListener(scope, `${id}-listener`, {
    provider,
    loadBalancerArn: lb.arn,
    port: PORT,
    protocol: 'HTTP',
    defaultAction: [{ type: 'forward', targetGroupArn: targets.arn }],
    tags,
  });
  return { targetGroupArns: [targets.arn], healthCheckType: 'ELB', healthCheckGracePeriod: 300 };
};

export function build(n: number, outdir: string): App {
  // The balancers' /27s fill the VPC's upper half (the NAT subnets sit at its very top).
  if (n > 340) throw new Error('bare-lb: at most 340 services fit one /16 with their balancers');
  return buildBare(n, outdir, balancer);
}

export function synth(app: App): void {
  app.synth();
}
