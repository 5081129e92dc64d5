/**
 * Internal IPs of a Google service's instances, chosen by Butter. Pure: no cdktf.
 *
 * Why Butter picks them: Google has no data source that lists a managed instance group's
 * instances with their IPs, so another service's startup script (HAProxy listing its nginx
 * backends) could not learn them from Terraform. Instead each instance gets a fixed address
 * from its service's subnet, pinned by a stateful per-instance config, and the list is plain
 * data at synth time. Instance `i` always gets the same address (as long as the subnet, which the
 * address ledger keeps stable, is the same), so scaling from 3 to 6 keeps the first three.
 */
import { cidrSize, nthHost, parseCidr } from './ipv4';
import { GOOGLE_SUBNET_RULES } from './cidr';

/**
 * Addresses Google keeps in every subnet: the network address, the gateway (`.1`), the
 * second-to-last address and the broadcast address. Instances take everything in between.
 */
const FIRST_USABLE = 2;

/**
 * The internal IPs of instances `0 .. count-1` in `subnet`: the usable addresses in order,
 * skipping Google's reserved ones. RangeError when they do not fit (planning sizes subnets so
 * that they do: `count` never exceeds the blueprint's `subnetwork_max_instance_count`).
 */
export function googleInstanceIps(subnet: string, count: number): string[] {
  const block = parseCidr(subnet);
  // Same count as the sizing rule (GOOGLE_SUBNET_RULES.reservedPerSubnet), so a subnet sized
  // for n instances always has n addresses here.
  const usable = cidrSize(block.prefix) - GOOGLE_SUBNET_RULES.reservedPerSubnet;
  if (!Number.isInteger(count) || count < 0 || count > usable) {
    throw new RangeError(`${count} instances do not fit in ${subnet} (${Math.max(usable, 0)} usable addresses)`);
  }
  return Array.from({ length: count }, (_, i) => nthHost(block, FIRST_USABLE + i));
}
