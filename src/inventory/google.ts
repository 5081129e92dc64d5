import { StateResource } from '../state/resources';
import { InstanceDetails, InstanceInfo, Inventory, NetworkInfo, PathInfo, ServiceInfo } from './types';

/**
 * Read Butter's Google networks back out of Terraform state. Google names and labels are
 * sanitized (lowercase, truncated), so the exact Butter names come from the descriptions Butter
 * writes (`Butter network dev`, `Butter service web`); the links come from resource references.
 */
export function googleInventory(resources: readonly StateResource[], details: InstanceDetails = () => undefined, stack?: string): Inventory {
  const managed = (type: string) => resources.filter((r) => r.mode === 'managed' && r.type === type).map((r) => r.attributes);
  const named = (a: Record<string, any>, what: string) => new RegExp(`^Butter ${what} (\\S+)`).exec(a.description ?? '')?.[1];
  const sameRef = (a?: string, b?: Record<string, any>) => !!a && !!b && [b.id, b.self_link, b.name].map(norm).includes(norm(a));

  const subnets = managed('google_compute_subnetwork');
  const templates = managed('google_compute_instance_template');
  const addresses = managed('google_compute_address');
  const addressOf = (ref?: string) => addresses.find((a) => sameRef(ref, a))?.address as string | undefined;

  const networks: NetworkInfo[] = managed('google_compute_network').filter((n) => named(n, 'network')).map((net) => {
    const networkName = named(net, 'network')!;
    const tagToService = new Map<string, string>();
    const services: ServiceInfo[] = managed('google_compute_region_instance_group_manager').flatMap((mig) => {
      const template = templates.find((t) => (mig.version ?? []).some((v: any) => sameRef(v.instance_template, t)));
      const subnet = subnets.find((s) => sameRef(template?.network_interface?.[0]?.subnetwork, s));
      if (!subnet || !sameRef(subnet.network, net)) return [];
      const name = named(mig, 'service')!;
      for (const tag of template?.tags ?? []) tagToService.set(tag, name);
      const configs = managed('google_compute_region_per_instance_config').filter((c) => sameRef(c.region_instance_group_manager, mig));
      // Pinned instances are named by their configs; an autoscaled group's only by the cloud.
      const members = configs.length === 0 && details.membersOf ? details.membersOf(norm(mig.id ?? mig.self_link) ?? '') : [];
      const instances: InstanceInfo[] = members.length > 0 ? [...members].sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true })) : configs.map((c) => ({
        id: c.name,
        privateIp: addressOf(c.preserved_state?.[0]?.internal_ip?.[0]?.ip_address?.[0]?.address),
        publicIp: addressOf(c.preserved_state?.[0]?.external_ip?.[0]?.ip_address?.[0]?.address),
        ...details(c.name),
      })).sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
      return [{
        name,
        network: networkName,
        desired: configs.length || Number(mig.target_size ?? 0) || members.length,
        subnets: [{ id: subnet.id, cidr: subnet.ip_cidr_range, zone: subnet.region }],
        instances,
      }];
    }).sort((a, b) => a.name.localeCompare(b.name));

    // Each service's balancer, looked up once (see balancerOf below).
    const balancers = new Map<string, { name: string; backend: Record<string, any> } | undefined>();
    const paths: PathInfo[] = managed('google_compute_firewall')
      .filter((f) => sameRef(f.network, net) && f.direction === 'INGRESS' && (f.allow ?? []).length > 0)
      .flatMap((f) => {
        const destination = tagToService.get(f.target_tags?.[0]);
        if (!destination) return [];
        const sources: Array<[string, 'service' | 'cidr']> = [
          ...(f.source_tags ?? []).map((t: string): [string, 'service'] => [tagToService.get(t) ?? t, 'service']),
          ...(f.source_ranges ?? []).map((r: string): [string, 'cidr'] => [r, 'cidr']),
        ];
        return sources.flatMap(([source, sourceKind]) => (f.allow as any[]).flatMap((a) => portsOf(a).map(([from, to]) => ({
          source, sourceKind, destination, protocol: a.protocol, from, to,
        }))));
      })
      .map((p) => balancerSource(p))
      .concat(balancerPaths())
      .sort((a, b) => a.destination.localeCompare(b.destination) || a.source.localeCompare(b.source) || a.from - b.from);

    /**
     * Load balancers, as Butter names them (`<service>-lb`): the backend service over a
     * service's group. An Application LB's proxies reach the service from the network's
     * proxy-only range, so a rule from that range is the balancer's; its forwarding rules admit
     * the internet (EXTERNAL_MANAGED) or the network (INTERNAL_MANAGED).
     */
    function balancerOf(service: string): { name: string; backend: Record<string, any> } | undefined {
      // Asked once per path and per service: look each service up once.
      if (!balancers.has(service)) balancers.set(service, findBalancer(service));
      return balancers.get(service);
    }
    function findBalancer(service: string): { name: string; backend: Record<string, any> } | undefined {
      const mig = managed('google_compute_region_instance_group_manager').find((m) => named(m, 'service') === service && services.some((x) => x.name === service));
      if (!mig) return undefined;
      const backend = managed('google_compute_region_backend_service').find((b) => (b.backend ?? []).some((x: any) => norm(x.group) === norm(mig.instance_group)));
      return backend ? { name: `${service}-lb`, backend } : undefined;
    }
    function balancerSource(p: PathInfo): PathInfo {
      const lb = p.sourceKind === 'cidr' ? balancerOf(p.destination) : undefined;
      if (!lb || !String(lb.backend.load_balancing_scheme ?? '').endsWith('_MANAGED')) return p;
      const proxyOnly = subnets.some((sn) => sn.purpose === 'REGIONAL_MANAGED_PROXY' && sameRef(sn.network, net) && sn.ip_cidr_range === p.source);
      return proxyOnly ? { ...p, source: lb.name, sourceKind: 'service' } : p;
    }
    function balancerPaths(): PathInfo[] {
      return services.flatMap((svc) => {
        const lb = balancerOf(svc.name);
        if (!lb || lb.backend.load_balancing_scheme !== 'EXTERNAL_MANAGED') return [];
        return managed('google_compute_forwarding_rule')
          .filter((f) => f.load_balancing_scheme === 'EXTERNAL_MANAGED' && sameRef(f.network, net) && typeof f.port_range === 'string')
          .filter((f) => managed('google_compute_region_url_map').some((m) => sameRef(m.default_service, lb.backend)
            && [...managed('google_compute_region_target_http_proxy'), ...managed('google_compute_region_target_https_proxy')]
              .some((t) => sameRef(t.url_map, m) && sameRef(f.target, t))))
          .map((f): PathInfo => {
            const [from, to] = String(f.port_range).split('-').map(Number);
            return { source: '0.0.0.0/0', sourceKind: 'cidr', destination: lb.name, protocol: 'tcp', from, to: to ?? from };
          });
      });
    }

    return { name: networkName, cloud: 'google' as const, id: net.self_link ?? net.id, stack, services, paths };
  });
  return { networks };
}

/**
 * Google refers to one object as `projects/p/global/networks/n`, as its full self link, or as a
 * self link with `?uniqueId=...`: compare them in the short form.
 */
function norm(ref: string | undefined): string | undefined {
  return ref?.replace(/^https:\/\/www\.googleapis\.com\/compute\/(v1|beta)\//, '').replace(/\?.*$/, '');
}

/** Google firewall ports (`["80", "8000-8080"]`, or none = every port) as ranges. */
function portsOf(allow: { protocol: string; ports?: string[] }): Array<[number, number]> {
  if (allow.protocol === 'all') return [[0, 65535]];
  if (allow.protocol === 'icmp') return [[-1, -1]];
  if (!allow.ports?.length) return [[0, 65535]];
  return allow.ports.map((p) => {
    const [from, to] = p.split('-').map(Number);
    return [from, to ?? from];
  });
}
