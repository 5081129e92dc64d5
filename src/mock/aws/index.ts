import { ProviderDefinition } from '../framework/types';
import { autoscalingGroup } from './autoscaling';
import { autoscalingPolicy } from './autoscaling-policy';
import { listener } from './listener';
import { loadBalancer, loadBalancerData } from './load-balancer';
import { targetGroup, targetGroupAttachment } from './target-group';
import { ACCOUNT_ID } from './common';
import { amiData } from './data-ami';
import { availabilityZonesData } from './data-availability-zones';
import { instancesData } from './data-instances';
import { eip, internetGateway, natGateway } from './gateways';
import { launchTemplate } from './launch-template';
import { configureProvider, PROVIDER_SCHEMA } from './provider-config';
import { route, routeTable, routeTableAssociation } from './routes';
import { defaultSecurityGroup, securityGroup } from './security-groups';
import { subnet } from './subnet';
import { egressRule, ingressRule } from './vpc-security-group-rules';
import { flowLog } from './flow-log';
import { iamRole, iamRolePolicy } from './iam';
import { logGroup } from './log-group';
import { vpc } from './vpc';

/**
 * The simulated AWS cloud, served as `registry.terraform.io/hashicorp/aws` 6.25.0: the VPC
 * networking, security groups, launch templates, Auto Scaling groups and load balancers Butter's constructs use,
 * and the lookups they make. See README.md in this folder.
 */
export const provider: ProviderDefinition = {
  name: 'aws',
  schema: PROVIDER_SCHEMA,
  resources: [
    vpc,
    subnet,
    internetGateway,
    eip,
    natGateway,
    routeTable,
    route,
    routeTableAssociation,
    securityGroup,
    defaultSecurityGroup,
    ingressRule,
    egressRule,
    launchTemplate,
    autoscalingGroup,
    autoscalingPolicy,
    loadBalancer,
    targetGroup,
    targetGroupAttachment,
    listener,
    flowLog,
    logGroup,
    iamRole,
    iamRolePolicy,
  ],
  dataSources: [availabilityZonesData, amiData, instancesData, loadBalancerData],
  configure: (ctx) => configureProvider(ctx, ACCOUNT_ID),
};
