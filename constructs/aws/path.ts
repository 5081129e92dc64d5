import { VpcSecurityGroupIngressRule, VpcSecurityGroupIngressRuleConfig } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { Path } from '../path';
import { CidrBlock } from '../peer';
import type { AwsServiceResources } from './service';
import type { AwsNetworkResources } from './network';
import { awsTags } from './tags';
import { literal } from '../literal';

/**
 * One Path as one security-group ingress rule on the destination: from the source's security
 * group (a service or a load balancer) or from a CIDR block. The standalone rule resource (not inline `ingress`
 * blocks) gives each rule its own id, so adding a Path never rewrites the others.
 */
export function renderAwsPath(path: Path, net: AwsNetworkResources, source: { readonly securityGroupId: string } | undefined, destination: AwsServiceResources): void {
  const { port } = path;
  const ports: Partial<VpcSecurityGroupIngressRuleConfig> =
    port.protocol === 'all' ? { ipProtocol: '-1' }
      : { ipProtocol: port.protocol, fromPort: port.from, toPort: port.to };
  const from: Partial<VpcSecurityGroupIngressRuleConfig> = path.source instanceof CidrBlock
    ? { cidrIpv4: path.source.cidr }
    : { referencedSecurityGroupId: source!.securityGroupId };
  new VpcSecurityGroupIngressRule(path, 'rule', {
    provider: net.provider,
    securityGroupId: destination.securityGroupId,
    // Text from the Path's props or the names in it: never a Terraform expression.
    description: literal(path.description),
    tags: awsTags(path.destination.network.networkName, path.destination.serviceName, path.node.id),
    ...ports,
    ...from,
  } as VpcSecurityGroupIngressRuleConfig);
}
