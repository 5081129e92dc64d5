import { Cloud } from '../cloud/cloud';
import { JsonObject } from '../values/value';
import { containsBlock, overlaps, parseBlock } from './ipv4';
import {
  BackendServiceRecord, FirewallRecord, HealthCheckRecord, InstanceGroupManagerRecord, InstanceRecord, Kind,
} from './model';

/**
 * Sources of the rules in this file:
 * - probes come from 35.191.0.0/16 and 130.211.0.0/22; an ingress allow rule must admit them to the backends on the health-check port: Load Balancing docs, Health checks overview (Probe IP ranges and firewall rules); Firewall rules for load balancers
 * - rule evaluation: the highest-priority (lowest number) matching rule wins, deny before allow at equal priority, the implied deny-ingress at 65535: VPC docs, VPC firewall rules (Priority, Implied rules)
 * - a backend service's serving port is the group's named port called `port_name`; a missing named port leaves the backends unhealthy (Google reports it in getHealth, not at insert): Load Balancing docs, Backend services overview (Named ports)
 */

/**
 * The health a load balancer sees of its backends, as Google's prober would find it: an instance
 * of a group used by a backend service is HEALTHY when the service's health check can reach it,
 * that is when the group has the port the check probes (a fixed port, else the named port) and a
 * firewall rule of the instance's network admits every probe range on that port to the
 * instance (by its network tags, or all instances), not shadowed by a deny of higher or equal
 * priority. The mock has no application on the instance: a reachable instance answers.
 */

/** Google's health-check probe ranges. */
export const PROBE_RANGES = ['35.191.0.0/16', '130.211.0.0/22'];

/** Recompute every instance's `health` (the provider's afterApply). */
export function refreshHealth(cloud: Cloud): void {
  const services = cloud.list<BackendServiceRecord>(Kind.backendService);
  const byGroup = new Map<string, BackendServiceRecord[]>();
  for (const s of services) for (const g of s.groups) byGroup.set(g, [...(byGroup.get(g) ?? []), s]);
  for (const instance of cloud.list<InstanceRecord>(Kind.instance)) {
    const serving = byGroup.get(instance.instance_group_manager) ?? [];
    const health = serving.length === 0 ? null : serving.every((s) => reachable(cloud, s, instance)) ? 'HEALTHY' : 'UNHEALTHY';
    if ((instance.health ?? null) !== health) cloud.put<InstanceRecord>(Kind.instance, instance.id, { ...instance, health });
  }
}

/** The port `service`'s health check probes on `instance`'s group, or null when there is none. */
export function probedPort(cloud: Cloud, service: BackendServiceRecord, groupId: string): number | null {
  const check = service.health_checks.map((id) => cloud.get<HealthCheckRecord>(Kind.healthCheck, id)).find((c) => c !== undefined);
  if (!check) return null;
  if (check.port !== null) return check.port;
  const group = cloud.get<InstanceGroupManagerRecord>(Kind.instanceGroupManager, groupId);
  const portName = check.port_name ?? service.port_name;
  return (group?.named_ports ?? []).find((n) => n.name === portName)?.port ?? null;
}

function reachable(cloud: Cloud, service: BackendServiceRecord, instance: InstanceRecord): boolean {
  // The serving port must exist too: a proxy load balancer sends traffic to the named port.
  if (/_MANAGED$/.test(service.scheme) && service.port_name) {
    const group = cloud.get<InstanceGroupManagerRecord>(Kind.instanceGroupManager, instance.instance_group_manager);
    if (!(group?.named_ports ?? []).some((n) => n.name === service.port_name)) return false;
  }
  const port = probedPort(cloud, service, instance.instance_group_manager);
  if (port === null) return false;
  const rules = cloud.list<FirewallRecord>(Kind.firewall, (f) => f.network === instance.network && f.direction === 'INGRESS');
  return PROBE_RANGES.every((range) => admitted(rules, instance, range, port));
}

/** Whether the winning rule for TCP `port` from all of `range` to `instance` is an allow. */
function admitted(rules: FirewallRecord[], instance: InstanceRecord, range: string, port: number): boolean {
  const probe = parseBlock(range);
  const matching = rules.flatMap((f) => {
    const a = f.attributes as JsonObject;
    if (a.disabled === true) return [];
    const targets = (a.target_tags as string[] | null) ?? [];
    if (targets.length > 0 && !targets.some((t) => instance.tags.includes(t))) return [];
    if (((a.target_service_accounts as string[] | null) ?? []).length > 0) return [];
    const sources = ((a.source_ranges as string[] | null) ?? []).map((s) => parseBlock(s.includes('/') ? s : `${s}/32`));
    const allows = coversPort((a.allow as JsonObject[] | null) ?? [], port);
    const denies = coversPort((a.deny as JsonObject[] | null) ?? [], port);
    // An allow must admit the whole range; a deny of any part of it stops some probes.
    if (allows && sources.some((s) => containsBlock(s, probe))) return [{ priority: f.priority, deny: false }];
    if (denies && sources.some((s) => overlaps(s, probe))) return [{ priority: f.priority, deny: true }];
    return [];
  });
  matching.sort((x, y) => x.priority - y.priority || Number(y.deny) - Number(x.deny));
  return matching.length > 0 && !matching[0].deny;
}

function coversPort(entries: JsonObject[], port: number): boolean {
  return entries.some((e) => {
    const protocol = String(e.protocol ?? '').toLowerCase();
    if (protocol === 'all') return true;
    if (protocol !== 'tcp' && protocol !== '6') return false;
    const ports = (e.ports as string[] | null) ?? [];
    return ports.length === 0 || ports.some((p) => {
      const [from, to] = p.split('-').map(Number);
      return port >= from && port <= (to ?? from);
    });
  });
}
