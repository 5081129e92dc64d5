/**
 * The predefined Compute Engine machine types, one line per shape: `<series>-<shape> <size> ...`
 * gives `<series>-<shape>-<size>` for each size (a size is a vCPU or GPU/TPU count, with its
 * variant when it has one: `8-lssd`, `288-metal`, `8g-nolssd`); a line whose other words do not
 * start with a digit lists whole names. Facts only.
 *
 * Source: the Compute Engine API's own list (`gcloud compute machine-types list`, every zone) as
 * published in https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator, file
 * tools/machinetypes.csv, last changed 2026-07-01 (commit 8c32d22): 568 names. Checked name for
 * name on 2026-12-06, family pages cross-checked against
 * https://cloud.google.com/compute/docs/general-purpose-machines (N4A, C4 `-lssd-metal`, Z3
 * `-highlssd-metal` as the cost calculator's series notes cite them). The two OBSOLETE types the
 * API still lists (m2-ultramem2x-96, m2-ultramemx-96) are left out: Compute Engine refuses to
 * create instances of an obsolete type. DEPRECATED ones (n1-megamem-96, n1-ultramem-*, the old
 * z3-highmem-88/176) can still be used and are kept. The table written from memory before this
 * check lacked 93 of these (N4A, C4N, M4N, M4 hypermem, the TPU VM types, G4's small sizes, the
 * `-nolssd` and `-lssd-metal` variants, the new X4 names) and had one Google does not
 * (c4-highcpu-288-metal).
 *
 * The mock parses this on first use (see ../machine-types.ts). Butter's fitter does not read it:
 * it fits from its own curated, priced catalog (src/planning/catalog/google-machine-types.ts).
 */
export const MACHINE_TYPE_TABLE = `
a2-highgpu 1g 2g 4g 8g
a2-megagpu 16g
a2-ultragpu 1g 2g 4g 8g
a3-edgegpu 8g 8g-nolssd
a3-highgpu 1g 2g 4g 8g
a3-megagpu 8g
a3-ultragpu 8g 8g-nolssd
a4-highgpu 8g
a4x-highgpu 4g
a4x-maxgpu 4g-metal
c2-standard 4 8 16 30 60
c2d-highcpu 2 4 8 16 32 56 112
c2d-highmem 2 4 8 16 32 56 112
c2d-standard 2 4 8 16 32 56 112
c3-highcpu 4 8 22 44 88 176 192-metal
c3-highmem 4 8 22 44 88 176 192-metal
c3-standard 4 4-lssd 8 8-lssd 22 22-lssd 44 44-lssd 88 88-lssd 176 176-lssd 192-metal
c3d-highcpu 4 8 16 30 60 90 180 360
c3d-highmem 4 8 8-lssd 16 16-lssd 30 30-lssd 60 60-lssd 90 90-lssd 180 180-lssd 360 360-lssd
c3d-standard 4 8 8-lssd 16 16-lssd 30 30-lssd 60 60-lssd 90 90-lssd 180 180-lssd 360 360-lssd
c4-highcpu 2 4 8 16 24 32 48 96 144 192 288
c4-highmem 2 4 4-lssd 8 8-lssd 16 16-lssd 24 24-lssd 32 32-lssd 48 48-lssd 96 96-lssd 144 144-lssd 192 192-lssd 288 288-lssd 288-lssd-metal 288-metal
c4-standard 2 4 4-lssd 8 8-lssd 16 16-lssd 24 24-lssd 32 32-lssd 48 48-lssd 96 96-lssd 144 144-lssd 192 192-lssd 288 288-lssd 288-lssd-metal 288-metal
c4a-highcpu 1 2 4 8 16 32 48 64 72
c4a-highmem 1 2 4 4-lssd 8 8-lssd 16 16-lssd 32 32-lssd 48 48-lssd 64 64-lssd 72 72-lssd 96-metal
c4a-standard 1 2 4 4-lssd 8 8-lssd 16 16-lssd 32 32-lssd 48 48-lssd 64 64-lssd 72 72-lssd
c4d-highcpu 2 4 8 16 32 48 64 96 192 384 384-metal
c4d-highmem 2 4 8 8-lssd 16 16-lssd 32 32-lssd 48 48-lssd 64 64-lssd 96 96-lssd 192 192-lssd 384 384-lssd 384-metal
c4d-standard 2 4 8 8-lssd 16 16-lssd 32 32-lssd 48 48-lssd 64 64-lssd 96 96-lssd 192 192-lssd 384 384-lssd 384-metal
c4n-highcpu 2 4 8 16 24 48 96 192
c4n-highmem 2 4 8 16 24 48 96 192
c4n-standard 2 4 8 16 24 48 96 192
ct3-hightpu 4t
ct3p-hightpu 4t
ct5l-hightpu 1t 4t 8t
ct5lp-hightpu 1t 4t 8t
ct5p-hightpu 4t
ct6e-standard 1t 4t 8t
e2-highcpu 2 4 8 16 32
e2-highmem 2 4 8 16
e2-standard 2 4 8 16 32
g2-standard 4 8 12 16 24 32 48 96
g4-standard 6 12 24 48 96 192 384
h3-standard 88
h4d-highmem 192 192-lssd
h4d-standard 192
m1-megamem 96
m1-ultramem 40 80 160
m2-hypermem 416
m2-megamem 416
m2-ultramem 208 416
m3-megamem 64 128
m3-ultramem 32 64 128
m4-hypermem 16 32 64
m4-megamem 28 56 112 224
m4-ultramem 56 112 224
m4n-hypermem 16 32 64
m4n-megamem 28 56 112
m4n-ultramem 56 112
n1-highcpu 2 4 8 16 32 64 96
n1-highmem 2 4 8 16 32 64 96
n1-megamem 96
n1-standard 1 2 4 8 16 32 64 96
n1-ultramem 40 80 160
n2-highcpu 2 4 8 16 32 48 64 80 96
n2-highmem 2 4 8 16 32 48 64 80 96 128
n2-standard 2 4 8 16 32 48 64 80 96 128
n2d-highcpu 2 4 8 16 32 48 64 80 96 128 224
n2d-highmem 2 4 8 16 32 48 64 80 96
n2d-standard 2 4 8 16 32 48 64 80 96 128 224
n4-highcpu 2 4 8 16 32 48 64 80
n4-highmem 2 4 8 16 32 48 64 80
n4-standard 2 4 8 16 32 48 64 80
n4a-highcpu 1 2 4 8 16 32 48 64
n4a-highmem 1 2 4 8 16 32 48 64
n4a-standard 1 2 4 8 16 32 48 64
n4d-highcpu 2 4 8 16 32 48 64 80 96
n4d-highmem 2 4 8 16 32 48 64 80 96
n4d-standard 2 4 8 16 32 48 64 80 96
t2a-standard 1 2 4 8 16 32 48
t2d-standard 1 2 4 8 16 32 48 60
tpu7x-standard 1t 4t
x4-megamem 960-metal 1440-metal 1920-metal
z3-highmem 8-highlssd 14-standardlssd 16-highlssd 22-highlssd 22-standardlssd 32-highlssd 44-highlssd 44-standardlssd 88 88-highlssd 88-standardlssd 176 176-standardlssd 192-highlssd-metal
e2-medium e2-micro e2-small f1-micro g1-small x4-1440-24t-metal x4-1920-32t-metal x4-480-6t-metal x4-480-8t-metal x4-960-12t-metal x4-960-16t-metal
`;

/**
 * Zones (of the mock's regions) where Compute Engine offers each accelerator-optimized shape; a
 * full machine type name overrides its shape's entry. Shapes not listed are offered in every zone
 * of the mock's regions.
 *
 * Source: the Compute Engine API's per-zone machine type list as SkyPilot's public catalog
 * publishes it (https://github.com/skypilot-org/skypilot-catalog, catalogs/v7/gcp/vms.csv, commit
 * 017e2502), checked on 2026-12-06; it agrees with Google's "GPU locations" page
 * (https://cloud.google.com/compute/docs/gpus/gpu-regions-zones) in the zones both name. A4, A4X
 * and G4 are absent from that catalog and no other public list of their zones was found, so the
 * mock does not restrict them (it would rather accept than refuse on a guess).
 */
const US_C1_ABC = ['us-central1-a', 'us-central1-b', 'us-central1-c'];
const A3_HIGH = ['asia-east1-c', 'asia-northeast1-b', 'asia-south1-c', 'asia-southeast1-b', 'asia-southeast1-c', 'australia-southeast1-c',
  'europe-north1-c', 'europe-west1-b', 'europe-west1-c', 'europe-west3-c', 'europe-west4-b', 'europe-west4-c', ...US_C1_ABC,
  'us-east4-a', 'us-east4-b', 'us-east4-c', 'us-east5-a', 'us-west1-a', 'us-west1-b', 'us-west4-a'];
export const ACCELERATOR_ZONES: Readonly<Record<string, readonly string[]>> = {
  'a2-highgpu': ['asia-northeast1-a', 'asia-northeast1-c', 'asia-northeast3-a', 'asia-northeast3-b', 'asia-southeast1-b', 'asia-southeast1-c',
    'europe-west4-a', 'europe-west4-b', 'me-west1-a', 'me-west1-c', ...US_C1_ABC, 'us-central1-f', 'us-east1-b', 'us-west1-b', 'us-west3-b', 'us-west4-b'],
  'a2-megagpu': ['asia-southeast1-c', 'europe-west4-a', 'europe-west4-b', ...US_C1_ABC, 'us-central1-f'],
  'a2-ultragpu': ['asia-southeast1-c', 'europe-west4-a', 'us-central1-a', 'us-central1-c', 'us-east4-c', 'us-east5-a', 'us-east5-b'],
  'a3-edgegpu': ['asia-northeast1-b', 'asia-northeast3-a', 'asia-northeast3-c', 'asia-south1-c', 'asia-southeast1-b', 'asia-southeast1-c',
    'europe-west2-b', 'europe-west3-a', 'europe-west3-c', 'europe-west4-b', 'europe-west4-c', 'europe-west9-c', 'northamerica-northeast2-c',
    ...US_C1_ABC, 'us-east4-a', 'us-east4-b', 'us-east4-c', 'us-east5-a', 'us-west1-a', 'us-west1-b', 'us-west4-a'],
  'a3-highgpu': [...A3_HIGH, 'europe-west8-c'],
  'a3-highgpu-8g': A3_HIGH,
  'a3-megagpu': A3_HIGH.filter((z) => z !== 'asia-south1-c'),
  'a3-ultragpu': ['asia-south1-b', 'asia-south2-c', 'europe-west1-b', 'europe-west4-a', 'us-central1-b', 'us-east4-b', 'us-east5-a', 'us-south1-b',
    'us-west1-c'],
  'g2-standard': ['asia-east1-a', 'asia-east1-b', 'asia-east1-c', 'asia-northeast1-a', 'asia-northeast1-b', 'asia-northeast1-c', 'asia-northeast3-a',
    'asia-northeast3-b', 'asia-south1-a', 'asia-south1-b', 'asia-south1-c', 'asia-southeast1-a', 'asia-southeast1-b', 'asia-southeast1-c',
    'europe-west1-b', 'europe-west1-c', 'europe-west2-a', 'europe-west2-b', 'europe-west3-a', 'europe-west3-b', 'europe-west4-a', 'europe-west4-b',
    'europe-west4-c', 'europe-west6-b', 'europe-west6-c', 'me-central2-a', 'me-central2-c', 'northamerica-northeast1-b', 'northamerica-northeast2-a',
    'northamerica-northeast2-b', ...US_C1_ABC, 'us-east1-b', 'us-east1-c', 'us-east1-d', 'us-east4-a', 'us-east4-c', 'us-west1-a', 'us-west1-b',
    'us-west1-c', 'us-west4-a', 'us-west4-c'],
};

/** The zones offering machine type `name`, or undefined when it is offered in every zone. */
export function acceleratorZones(name: string): readonly string[] | undefined {
  return ACCELERATOR_ZONES[name] ?? ACCELERATOR_ZONES[name.replace(/-[^-]+$/, '')] ?? ACCELERATOR_ZONES[name.replace(/-[^-]+-[^-]+$/, '')];
}

/** Every predefined machine type name in the table. */
export function machineTypeNames(): string[] {
  const names: string[] = [];
  for (const line of MACHINE_TYPE_TABLE.split('\n')) {
    const [head, ...sizes] = line.trim().split(/\s+/);
    if (!head) continue;
    if (/^[a-z0-9]+-[a-z0-9]+$/.test(head) && sizes.length > 0 && sizes.every((s) => /^\d/.test(s))) {
      for (const s of sizes) names.push(`${head}-${s}`);
    } else {
      names.push(head, ...sizes);
    }
  }
  return names;
}
