/**
 * Source: Compute Engine docs, "Regions and zones" (https://cloud.google.com/compute/docs/regions-zones)
 * and the API's zones.list; the per-zone machine type lists of data/machine-types.ts name these
 * zones too (africa-south1, europe-west10 and me-central2 included).
 *
 * Compute Engine regions and their zones, as Google lists them (zone names are public facts:
 * `us-central1` has zones a, b, c and f; `us-east1` b, c and d; `europe-west1` b, c and d).
 * Every zone of the mock cloud is UP.
 *
 * `autoRange` is the /20 an auto-mode network gets in the region: Google carves them out of
 * 10.128.0.0/9, one per region, in the order regions opened (us-central1 10.128.0.0/20,
 * europe-west1 10.132.0.0/20, ...). The older regions follow Google's published table; for the
 * newest ones the mock continues the same pattern, which is all a simulation needs: distinct,
 * inside 10.128.0.0/9, and stable.
 */

export interface RegionFacts {
  readonly name: string;
  /** Zone suffixes, e.g. `['a', 'b', 'c', 'f']`. */
  readonly zones: readonly string[];
  /** The subnet range of auto-mode networks in this region. */
  readonly autoRange: string;
}

const abc = ['a', 'b', 'c'] as const;

export const REGIONS: readonly RegionFacts[] = [
  { name: 'us-central1', zones: ['a', 'b', 'c', 'f'], autoRange: '10.128.0.0/20' },
  { name: 'europe-west1', zones: ['b', 'c', 'd'], autoRange: '10.132.0.0/20' },
  { name: 'us-west1', zones: abc, autoRange: '10.138.0.0/20' },
  { name: 'asia-east1', zones: abc, autoRange: '10.140.0.0/20' },
  { name: 'us-east1', zones: ['b', 'c', 'd'], autoRange: '10.142.0.0/20' },
  { name: 'asia-northeast1', zones: abc, autoRange: '10.146.0.0/20' },
  { name: 'asia-southeast1', zones: abc, autoRange: '10.148.0.0/20' },
  { name: 'us-east4', zones: abc, autoRange: '10.150.0.0/20' },
  { name: 'australia-southeast1', zones: abc, autoRange: '10.152.0.0/20' },
  { name: 'europe-west2', zones: abc, autoRange: '10.154.0.0/20' },
  { name: 'europe-west3', zones: abc, autoRange: '10.156.0.0/20' },
  { name: 'southamerica-east1', zones: abc, autoRange: '10.158.0.0/20' },
  { name: 'asia-south1', zones: abc, autoRange: '10.160.0.0/20' },
  { name: 'northamerica-northeast1', zones: abc, autoRange: '10.162.0.0/20' },
  { name: 'europe-west4', zones: abc, autoRange: '10.164.0.0/20' },
  { name: 'europe-north1', zones: abc, autoRange: '10.166.0.0/20' },
  { name: 'us-west2', zones: abc, autoRange: '10.168.0.0/20' },
  { name: 'asia-east2', zones: abc, autoRange: '10.170.0.0/20' },
  { name: 'europe-west6', zones: abc, autoRange: '10.172.0.0/20' },
  { name: 'asia-northeast2', zones: abc, autoRange: '10.174.0.0/20' },
  { name: 'asia-northeast3', zones: abc, autoRange: '10.178.0.0/20' },
  { name: 'us-west3', zones: abc, autoRange: '10.180.0.0/20' },
  { name: 'us-west4', zones: abc, autoRange: '10.182.0.0/20' },
  { name: 'asia-southeast2', zones: abc, autoRange: '10.184.0.0/20' },
  { name: 'europe-central2', zones: abc, autoRange: '10.186.0.0/20' },
  { name: 'northamerica-northeast2', zones: abc, autoRange: '10.188.0.0/20' },
  { name: 'asia-south2', zones: abc, autoRange: '10.190.0.0/20' },
  { name: 'australia-southeast2', zones: abc, autoRange: '10.192.0.0/20' },
  { name: 'southamerica-west1', zones: abc, autoRange: '10.194.0.0/20' },
  { name: 'europe-west8', zones: abc, autoRange: '10.198.0.0/20' },
  { name: 'europe-west9', zones: abc, autoRange: '10.200.0.0/20' },
  { name: 'us-east5', zones: abc, autoRange: '10.202.0.0/20' },
  { name: 'europe-southwest1', zones: abc, autoRange: '10.204.0.0/20' },
  { name: 'us-south1', zones: abc, autoRange: '10.206.0.0/20' },
  { name: 'me-west1', zones: abc, autoRange: '10.208.0.0/20' },
  { name: 'europe-west12', zones: abc, autoRange: '10.210.0.0/20' },
  { name: 'me-central1', zones: abc, autoRange: '10.212.0.0/20' },
  { name: 'europe-west10', zones: abc, autoRange: '10.214.0.0/20' },
  { name: 'me-central2', zones: abc, autoRange: '10.216.0.0/20' },
  { name: 'africa-south1', zones: abc, autoRange: '10.218.0.0/20' },
];

/** The region named `name`, or undefined. */
export function findRegion(name: string): RegionFacts | undefined {
  return REGIONS.find((r) => r.name === name);
}

/** The full zone names of a region (`us-central1-a`, ...), empty for an unknown region. */
export function zonesOf(region: string): string[] {
  return (findRegion(region)?.zones ?? []).map((z) => `${region}-${z}`);
}

/** The region a zone belongs to (`us-central1-a` → `us-central1`), or undefined for no known zone. */
export function regionOfZone(zone: string): string | undefined {
  const region = zone.replace(/-[a-z]$/, '');
  return zonesOf(region).includes(zone) ? region : undefined;
}

/**
 * A zone name from a zone or its URL (`https://…/zones/us-central1-a` → `us-central1-a`), as
 * Google accepts both wherever it takes a zone.
 */
export function zoneName(value: string): string {
  return value.replace(/^.*\/zones\//, '');
}
