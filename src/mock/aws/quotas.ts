import { quotaTable } from '../framework/quotas';

/**
 * The EC2 / VPC / Auto Scaling quotas the mock enforces, with AWS's defaults (Service Quotas
 * console codes in the sources). Raise them with BUTTER_MOCK_QUOTAS, as users ask AWS to.
 */
export const awsQuota = quotaTable('aws', {
  /** Amazon VPC User Guide, "Amazon VPC quotas", Security groups: inbound or outbound rules per security group, 60 (L-0EA8095F); counted separately for IPv4 and IPv6. */
  rules_per_security_group: { default: 60, source: 'VPC quotas: Inbound or outbound rules per security group (L-0EA8095F)' },
  /** Amazon VPC User Guide, "Amazon VPC quotas": security groups per network interface, 5 (L-2AFB9258). */
  security_groups_per_network_interface: { default: 5, source: 'VPC quotas: Security groups per network interface (L-2AFB9258)' },
  /** Amazon VPC User Guide, "Amazon VPC quotas": subnets per VPC, 200 (L-407747CB). */
  subnets_per_vpc: { default: 200, source: 'VPC quotas: Subnets per VPC (L-407747CB)' },
});
