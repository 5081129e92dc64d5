import { StateResource } from '../state/resources';
import { InstanceDetails, InstanceInfo, Inventory, NetworkInfo, PathInfo, ServiceInfo, SubnetInfo } from './types';

/**
 * Read Butter's AWS networks back out of Terraform state, by the tags Butter puts on everything
 * (`butter:network`, `butter:service`), so it works for any stack built with the constructs.
 */
export function awsInventory(resources: readonly StateResource[], details: InstanceDetails = () => undefined, stack?: string): Inventory {
  const managed = (type: string) => resources.filter((r) => r.mode === 'managed' && r.type === type).map((r) => r.attributes);
  const tag = (a: Record<string, any>, key: string): string | undefined => a.tags?.[key] ?? a.tags_all?.[key];

  const groupsBySg = new Map<string, string>(); // security group id -> service name
  for (const sg of managed('aws_security_group')) {
    const svc = tag(sg, 'butter:service');
    if (svc) groupsBySg.set(sg.id, svc);
  }

  const networks: NetworkInfo[] = managed('aws_vpc')
    .filter((vpc) => tag(vpc, 'butter:network'))
    .map((vpc) => {
      const network = tag(vpc, 'butter:network')!;
      const inNetwork = (a: Record<string, any>) => tag(a, 'butter:network') === network;
      const services: ServiceInfo[] = managed('aws_autoscaling_group')
        .filter((g) => (g.tag ?? []).some((t: any) => t.key === 'butter:network' && t.value === network))
        .map((g) => {
          const name = (g.tag as any[]).find((t) => t.key === 'butter:service')?.value as string;
          return {
            name,
            network,
            desired: Number(g.desired_capacity ?? 0),
            subnets: subnetsOf(managed('aws_subnet').filter((s) => inNetwork(s) && tag(s, 'butter:service') === name)),
            instances: instancesOf(resources, g.name, details),
          };
        })
        .sort((a, b) => a.name.localeCompare(b.name));
      const paths: PathInfo[] = managed('aws_vpc_security_group_ingress_rule')
        .filter((r) => groupsBySg.has(r.security_group_id) && inNetwork(r))
        .map((r) => pathOf(r, groupsBySg))
        .sort((a, b) => a.destination.localeCompare(b.destination) || a.source.localeCompare(b.source) || a.from - b.from);
      return { name: network, cloud: 'aws' as const, id: vpc.id, cidr: vpc.cidr_block, stack, services, paths };
    });
  return { networks };
}

function subnetsOf(subnets: Record<string, any>[]): SubnetInfo[] {
  return subnets
    .map((s) => ({ id: s.id, cidr: s.cidr_block, zone: s.availability_zone }))
    .sort((a, b) => (a.zone ?? '').localeCompare(b.zone ?? '') || a.cidr.localeCompare(b.cidr));
}

/** The group's instances, from the `aws_instances` data source Butter reads for each group. */
function instancesOf(resources: readonly StateResource[], groupName: string, details: InstanceDetails): InstanceInfo[] {
  const data = resources.find((r) => r.mode === 'data' && r.type === 'aws_instances'
    && r.attributes.instance_tags?.['aws:autoscaling:groupName'] === groupName);
  if (!data) return [];
  const ids: string[] = data.attributes.ids ?? [];
  const privateIps: string[] = data.attributes.private_ips ?? [];
  const publicIps: string[] = data.attributes.public_ips ?? [];
  // public_ips lists only instances that have one, so it lines up with ids only when all do.
  const allPublic = publicIps.length === ids.length;
  return ids.map((id, i) => ({
    id,
    privateIp: privateIps[i],
    publicIp: allPublic ? publicIps[i] : undefined,
    ...details(id),
  })).sort((a, b) => (a.zone ?? '').localeCompare(b.zone ?? '') || a.id.localeCompare(b.id));
}

function pathOf(rule: Record<string, any>, groupsBySg: Map<string, string>): PathInfo {
  const fromService = rule.referenced_security_group_id ? groupsBySg.get(rule.referenced_security_group_id) : undefined;
  const protocol = rule.ip_protocol === '-1' ? 'all' : String(rule.ip_protocol);
  return {
    source: fromService ?? rule.cidr_ipv4 ?? rule.referenced_security_group_id ?? '?',
    sourceKind: fromService ? 'service' : 'cidr',
    destination: groupsBySg.get(rule.security_group_id)!,
    protocol,
    from: protocol === 'all' ? 0 : Number(rule.from_port ?? -1),
    to: protocol === 'all' ? 65535 : Number(rule.to_port ?? -1),
  };
}
