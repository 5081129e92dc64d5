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
  /**
   * VPC docs, "Quotas and limits", per project: Subnets (quota SUBNETWORKS), which "applies to all
   * subnets in all networks in the project" (https://cloud.google.com/vpc/docs/quota, checked
   * 2026-12-06). Google publishes no number for a new project; 100 is the limit projects report
   * before any increase ("Quota 'SUBNETWORKS' exceeded.  Limit: 100.0", kubernetes/test-infra
   * issue 2896). Subnets of auto-mode networks count too.
   */
  subnetworks_per_project: { default: 100, source: 'VPC quotas: Subnets per project (SUBNETWORKS)' },
  /**
   * Load Balancing docs, "Quotas and limits": forwarding rules, backend services and health
   * checks are per-project quotas whose values the docs leave to the console; the defaults are a
   * new project's (FORWARDING_RULES 15, BACKEND_SERVICES 50, HEALTH_CHECKS 75). Internal
   * forwarding rules are also limited per VPC network (75, a limit rather than a quota).
   */
  forwarding_rules_per_project: { default: 15, source: 'Load balancing quotas: Forwarding rules per project (FORWARDING_RULES)' },
  internal_forwarding_rules_per_network: { default: 75, source: 'Load balancing quotas: internal forwarding rules per VPC network' },
  backend_services_per_project: { default: 50, source: 'Load balancing quotas: Backend services per project (BACKEND_SERVICES)' },
  health_checks_per_project: { default: 75, source: 'Load balancing quotas: Health checks per project (HEALTH_CHECKS)' },
});
