/**
 * Regions and their availability zones, as an account created today sees them. Source: Amazon EC2
 * User Guide, "Regions and Zones" (zone names and zone ids per region) and the EC2 API's
 * DescribeAvailabilityZones; the zone ids used here also appear in EC2's per-zone instance type
 * offerings (data/ec2-type-offerings.ts), e.g. us-east-1 with use1-az1 to az6.
 *
 * Zone *names* (us-east-1a) are mapped to physical zones per account; zone *ids* (use1-az1) are
 * the same for everyone. The mapping below is one plausible account's. Only the zone counts and
 * names matter for what Butter does (spreading subnets over the first N zones), and those are the
 * real ones: us-east-1 has six zones, us-west-1 two, ap-northeast-1 three with no "b".
 */

/** One zone of a region. */
export interface Zone {
  readonly name: string;
  readonly zoneId: string;
  /** `availability-zone` or `local-zone`. */
  readonly zoneType: 'availability-zone' | 'local-zone';
  /** `opt-in-not-required` for availability zones; local zones need opting in. */
  readonly optInStatus: 'opt-in-not-required' | 'opted-in' | 'not-opted-in';
  /** The zone group: the region for availability zones, e.g. `us-east-1-bos-1` for local zones. */
  readonly groupName: string;
  readonly state: 'available';
}

/** A region: its zones in name order. */
export interface Region {
  readonly name: string;
  /** Needs opting in for the account (all listed here count as opted in). */
  readonly optIn: boolean;
  readonly zones: readonly Zone[];
}

/** `[letter, zone id number]` pairs, e.g. `[['a', 1], ['b', 2]]` → us-east-1a / use1-az1. */
type ZoneRow = readonly [letter: string, az: number];

function region(name: string, idPrefix: string, rows: readonly ZoneRow[], options: { optIn?: boolean; localZones?: readonly [string, string][] } = {}): Region {
  const zones: Zone[] = rows.map(([letter, az]) => ({
    name: `${name}${letter}`,
    zoneId: `${idPrefix}-az${az}`,
    zoneType: 'availability-zone',
    optInStatus: 'opt-in-not-required',
    groupName: name,
    state: 'available',
  }));
  for (const [group, zoneId] of options.localZones ?? []) {
    zones.push({ name: `${group}a`, zoneId, zoneType: 'local-zone', optInStatus: 'not-opted-in', groupName: group, state: 'available' });
  }
  return { name, optIn: options.optIn ?? false, zones };
}

/** The regions the mock cloud knows. */
export const REGIONS: readonly Region[] = [
  region('us-east-1', 'use1', [['a', 1], ['b', 2], ['c', 4], ['d', 6], ['e', 3], ['f', 5]], {
    localZones: [['us-east-1-bos-1', 'use1-bos1-az1'], ['us-east-1-mia-1', 'use1-mia1-az1']],
  }),
  region('us-east-2', 'use2', [['a', 1], ['b', 2], ['c', 3]]),
  region('us-west-1', 'usw1', [['a', 1], ['c', 3]]),
  region('us-west-2', 'usw2', [['a', 1], ['b', 2], ['c', 3], ['d', 4]], {
    localZones: [['us-west-2-lax-1', 'usw2-lax1-az1']],
  }),
  region('ca-central-1', 'cac1', [['a', 1], ['b', 2], ['d', 4]]),
  region('ca-west-1', 'caw1', [['a', 1], ['b', 2], ['c', 3]], { optIn: true }),
  region('sa-east-1', 'sae1', [['a', 1], ['b', 2], ['c', 3]]),
  region('eu-west-1', 'euw1', [['a', 1], ['b', 2], ['c', 3]]),
  region('eu-west-2', 'euw2', [['a', 2], ['b', 3], ['c', 1]]),
  region('eu-west-3', 'euw3', [['a', 1], ['b', 2], ['c', 3]]),
  region('eu-central-1', 'euc1', [['a', 2], ['b', 3], ['c', 1]]),
  region('eu-central-2', 'euc2', [['a', 1], ['b', 2], ['c', 3]], { optIn: true }),
  region('eu-north-1', 'eun1', [['a', 1], ['b', 2], ['c', 3]]),
  region('eu-south-1', 'eus1', [['a', 1], ['b', 2], ['c', 3]], { optIn: true }),
  region('ap-south-1', 'aps1', [['a', 1], ['b', 3], ['c', 2]]),
  region('ap-southeast-1', 'apse1', [['a', 2], ['b', 1], ['c', 3]]),
  region('ap-southeast-2', 'apse2', [['a', 1], ['b', 3], ['c', 2]]),
  region('ap-northeast-1', 'apne1', [['a', 4], ['c', 1], ['d', 2]]),
  region('ap-northeast-2', 'apne2', [['a', 1], ['b', 2], ['c', 3], ['d', 4]]),
  region('ap-northeast-3', 'apne3', [['a', 3], ['b', 1], ['c', 2]]),
  region('ap-east-1', 'ape1', [['a', 1], ['b', 2], ['c', 3]], { optIn: true }),
  region('me-south-1', 'mes1', [['a', 1], ['b', 2], ['c', 3]], { optIn: true }),
  region('af-south-1', 'afs1', [['a', 1], ['b', 2], ['c', 3]], { optIn: true }),
  region('il-central-1', 'ilc1', [['a', 1], ['b', 2], ['c', 3]], { optIn: true }),
];

/** The region called `name`, if the mock knows it. */
export function findRegion(name: string): Region | undefined {
  return REGIONS.find((r) => r.name === name);
}

/**
 * The region called `name`. A region the mock does not list (accepted with the provider's
 * `skip_region_validation`) gets three zones a–c, which is what most regions have.
 */
export function regionOrGeneric(name: string): Region {
  const known = findRegion(name);
  if (known) return known;
  const prefix = name.split('-').map((p, i) => (i === 2 ? p : p.slice(0, i === 0 ? 2 : 1))).join('');
  return region(name, prefix, [['a', 1], ['b', 2], ['c', 3]]);
}

/** The availability zones (not local zones) of a region, in name order. */
export function availabilityZones(regionName: string): Zone[] {
  return regionOrGeneric(regionName).zones.filter((z) => z.zoneType === 'availability-zone');
}
