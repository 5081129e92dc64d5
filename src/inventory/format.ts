import { Inventory, PathInfo } from './types';
import { table } from '../cli/table';

/** A port range as people write it: `tcp:80`, `tcp:8000-8080`, `icmp`, `all`. */
export function portLabel(p: Pick<PathInfo, 'protocol' | 'from' | 'to'>): string {
  if (p.protocol === 'all') return 'all';
  if (p.protocol === 'icmp') return p.from === -1 ? 'icmp' : `icmp:${p.from}`;
  if (p.from === 0 && p.to === 65535) return `${p.protocol}:all`;
  return p.from === p.to ? `${p.protocol}:${p.from}` : `${p.protocol}:${p.from}-${p.to}`;
}

/** The inventory as text for people: one block per network. */
export function formatInventory(inv: Inventory): string {
  if (inv.networks.length === 0) return 'nothing is deployed\n';
  const out: string[] = [];
  for (const n of inv.networks) {
    out.push(`network ${n.name} (${n.cloud}${n.cidr ? `, ${n.cidr}` : ''}, ${n.id})${n.stack ? ` from stack ${n.stack}` : ''}\n`);
    for (const s of n.services) {
      out.push(`  service ${s.name}: ${s.instances.length} of ${s.desired} instances\n`);
      out.push(`    subnets: ${s.subnets.map((x) => `${x.zone ?? '?'} ${x.cidr}`).join(', ')}\n`);
      if (s.instances.length) {
        // A HEALTH column only where instances are load balancer targets.
        const health = s.instances.some((i) => i.health !== undefined);
        out.push(table(['INSTANCE', 'ZONE', 'PRIVATE IP', 'PUBLIC IP', 'STATE', ...(health ? ['HEALTH'] : [])],
          s.instances.map((i) => [i.id, i.zone ?? '-', i.privateIp ?? '-', i.publicIp ?? '-', i.state ?? '-', ...(health ? [i.health ?? '-'] : [])]), '    '));
      }
    }
    out.push('  paths:\n');
    if (n.paths.length === 0) out.push('    (none: nothing can reach these services)\n');
    else {
      out.push(table(['FROM', 'TO', 'PORT'], n.paths.map((p) => [
        p.sourceKind === 'cidr' && p.source === '0.0.0.0/0' ? 'internet (0.0.0.0/0)' : p.source, p.destination, portLabel(p)]), '    '));
    }
  }
  return out.join('');
}
