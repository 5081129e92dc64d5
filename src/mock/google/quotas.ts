import { quotaTable } from '../framework/quotas';

/**
 * The Compute Engine / VPC quotas and limits the mock enforces, with Google's defaults. Raise the
 * quotas with BUTTER_MOCK_QUOTAS, as users ask Google to.
 */
export const googleQuota = quotaTable('google', {
  /** VPC docs, "Quotas and limits", per project: firewall rules (FIREWALLS), 100 by default on a new project. */
  firewall_rules_per_project: { default: 100, source: 'VPC quotas: Firewall rules per project (FIREWALLS)' },
  /** Compute Engine docs, "About MIGs" / "Regional MIGs": a regional MIG holds up to 2,000 VMs. */
  instances_per_regional_group: { default: 2000, source: 'MIG limits: VMs per regional managed instance group' },
});
