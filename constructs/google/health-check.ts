import { ComputeRegionHealthCheck } from '@cdktf/provider-google/lib/compute-region-health-check';
import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { GOOGLE_HEALTH_CHECK_RANGES, HealthCheckPlan } from '../../src/planning/balancer-plan';
import type { Service } from '../service';
import type { GoogleNetworkResources } from './network';
import { literal } from '../literal';

/** Priority of the probers' rule: the same as Path rules, far above the deny-all rule. */
const PROBE_PRIORITY = 1000;

/**
 * A service's health check on Google: one `google_compute_region_health_check`, used by the
 * group's autohealing and by its balancer's backend services alike, and the one firewall rule
 * that lets Google's probers (35.191.0.0/16, 130.211.0.0/22) reach the health-check port, and
 * only that port. Without the rule every probe fails, and autohealing would recreate healthy
 * instances forever.
 *
 * A service has one, made from its blueprint's `health_check` (or its blueprint balancer's
 * defaults); a balancer added in code later brings its own health settings, which replace the
 * service's ({@link apply}): the group, the balancer and the rule then agree on one check.
 */
export class GoogleHealthCheck {
  public readonly check: ComputeRegionHealthCheck;
  public readonly probes: ComputeFirewall;
  private current!: HealthCheckPlan;

  constructor(service: Service, net: GoogleNetworkResources, tag: string, plan: HealthCheckPlan) {
    const { provider, project, names } = net;
    const svc = service.serviceName;
    this.check = new ComputeRegionHealthCheck(service, 'health-check', {
      provider,
      project,
      region: service.network.region,
      name: names.name(names.regional('region health check'), service, [svc]),
      description: literal(`Butter service ${svc}: health check`),
    });
    this.probes = new ComputeFirewall(service, 'health-check-probes', {
      provider,
      project,
      name: names.name('firewall', service, [svc, 'health-checks']),
      description: literal(`Butter: Google health checks of ${svc}`),
      network: net.vpc.id,
      direction: 'INGRESS',
      priority: PROBE_PRIORITY,
      targetTags: [tag],
      sourceRanges: [...GOOGLE_HEALTH_CHECK_RANGES],
      allow: [],
    });
    this.apply(plan);
  }

  /** The settings in force. */
  public get plan(): HealthCheckPlan {
    return this.current;
  }

  /** Set (or replace) what is probed, how often and on which port. */
  public apply(plan: HealthCheckPlan): void {
    this.current = plan;
    const c = this.check;
    c.checkIntervalSec = plan.intervalSeconds;
    c.timeoutSec = plan.timeoutSeconds;
    c.healthyThreshold = plan.healthyThreshold;
    c.unhealthyThreshold = plan.unhealthyThreshold;
    if (plan.protocol === 'http') {
      c.resetTcpHealthCheck();
      // The path is blueprint text: never a Terraform expression.
      c.putHttpHealthCheck({ port: plan.port, requestPath: literal(plan.path ?? '/') });
    } else {
      c.resetHttpHealthCheck();
      c.putTcpHealthCheck({ port: plan.port });
    }
    // Probes are TCP (an HTTP check is HTTP over TCP): the health port only, nothing else.
    this.probes.putAllow([{ protocol: 'tcp', ports: [String(plan.port)] }]);
  }
}
