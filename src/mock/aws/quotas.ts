import { quotaTable } from '../framework/quotas';

/**
 * The EC2 / VPC / Auto Scaling / Elastic Load Balancing quotas the mock enforces, with AWS's defaults (Service Quotas
 * console codes in the sources). Raise them with BUTTER_MOCK_QUOTAS, as users ask AWS to.
 */
export const awsQuota = quotaTable('aws', {
  /** Amazon VPC User Guide, "Amazon VPC quotas", Security groups: inbound or outbound rules per security group, 60 (L-0EA8095F); counted separately for IPv4 and IPv6. */
  rules_per_security_group: { default: 60, source: 'VPC quotas: Inbound or outbound rules per security group (L-0EA8095F)' },
  /** Amazon VPC User Guide, "Amazon VPC quotas": security groups per network interface, 5 (L-2AFB9258). */
  security_groups_per_network_interface: { default: 5, source: 'VPC quotas: Security groups per network interface (L-2AFB9258)' },
  /** Amazon VPC User Guide, "Amazon VPC quotas": subnets per VPC, 200 (L-407747CB). */
  subnets_per_vpc: { default: 200, source: 'VPC quotas: Subnets per VPC (L-407747CB)' },
  /** Application Load Balancers Guide, "Quotas for your Application Load Balancers": listeners per load balancer, 50. */
  listeners_per_load_balancer: { default: 50, source: 'ELB quotas: Listeners per Application Load Balancer' },
  /** Application Load Balancers Guide, "Quotas for your Application Load Balancers": target groups per action / per load balancer, 100. */
  target_groups_per_load_balancer: { default: 100, source: 'ELB quotas: Target Groups per Application Load Balancer' },
  /** Elastic Load Balancing quotas: Application (and Network) Load Balancers per Region, 50 each. */
  load_balancers_per_region: { default: 50, source: 'ELB quotas: Application Load Balancers per Region, Network Load Balancers per Region' },
  /** Elastic Load Balancing quotas: targets per target group per Region (instances or IP addresses), 1000. */
  targets_per_target_group: { default: 1000, source: 'ELB quotas: Targets per Target Group per Region' },
  /** Amazon EC2 Auto Scaling User Guide, "Quotas for Amazon EC2 Auto Scaling": Auto Scaling groups per Region, 500 (L-CDE20ADC). */
  auto_scaling_groups_per_region: { default: 500, source: 'Auto Scaling quotas: Auto Scaling groups per Region (L-CDE20ADC)' },
  /**
   * Amazon EC2 User Guide, launch template restrictions: "You are limited to creating 5,000 launch
   * templates per Region" (quoted in kubernetes-sigs/cluster-api-provider-aws issue 2368).
   */
  launch_templates_per_region: { default: 5000, source: 'EC2 User Guide: launch templates per Region' },
  /**
   * Amazon EC2 User Guide, "On-Demand Instance quotas": Running On-Demand Standard (A, C, D, H, I,
   * M, R, T, Z) instances, counted in vCPUs per Region (L-1216C47A). AWS sets it per account and
   * publishes no single default: accounts report 1, 5, 8 or 32 vCPUs when new (the VcpuLimitExceeded
   * reports of openshift/installer issue 2736, firesim issue 410, scrapoxy issue 202), and
   * awslimitchecker records 1,152 as the documented default of an established account. The mock
   * takes 1,152 so ordinary test deployments pass; set it low with BUTTER_MOCK_QUOTAS to test as a
   * new account would.
   */
  on_demand_standard_vcpus: { default: 1152, source: 'EC2 quotas: Running On-Demand Standard instances, vCPUs (L-1216C47A)' },
});
