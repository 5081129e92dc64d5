/**
 * The predefined Compute Engine machine types of the families Google documents (Compute Engine
 * docs, "Machine families resource and comparison guide" and each family's page: general-purpose
 * E2, N1, N2, N2D, N4, N4D, C4, C4A, C4D, Tau T2D/T2A; compute-optimized C2, C2D, C3, C3D, H3,
 * H4D; memory-optimized M1-M4, X4; storage-optimized Z3; accelerator-optimized A2, A3, A4, A4X,
 * G2, G4), as of December 2025. Facts only, one line per shape: `<series>-<shape> <vCPU counts>`
 * gives `<series>-<shape>-<n>` for each count; a name written out in full stands for itself;
 * `/lssd` after a count adds the `-lssd` variant too, `/metal` only the `-metal` one.
 *
 * The mock parses this on first use (see ../machine-types.ts). Butter's fitter does not read it:
 * it fits from its own curated, priced catalog (src/planning/catalog/google-machine-types.ts).
 */
export const MACHINE_TYPE_TABLE = `
e2-micro e2-small e2-medium
e2-standard 2 4 8 16 32
e2-highmem 2 4 8 16
e2-highcpu 2 4 8 16 32
f1-micro g1-small
n1-standard 1 2 4 8 16 32 64 96
n1-highmem 2 4 8 16 32 64 96
n1-highcpu 2 4 8 16 32 64 96
n2-standard 2 4 8 16 32 48 64 80 96 128
n2-highmem 2 4 8 16 32 48 64 80 96 128
n2-highcpu 2 4 8 16 32 48 64 80 96
n2d-standard 2 4 8 16 32 48 64 80 96 128 224
n2d-highmem 2 4 8 16 32 48 64 80 96
n2d-highcpu 2 4 8 16 32 48 64 80 96 128 224
n4-standard 2 4 8 16 32 48 64 80
n4-highmem 2 4 8 16 32 48 64 80
n4-highcpu 2 4 8 16 32 48 64 80
n4d-standard 2 4 8 16 32 48 64 80 96
n4d-highmem 2 4 8 16 32 48 64 80 96
n4d-highcpu 2 4 8 16 32 48 64 80 96
c4-standard 2 4/lssd 8/lssd 16/lssd 24/lssd 32/lssd 48/lssd 96/lssd 144/lssd 192/lssd 288/lssd 288/metal
c4-highmem 2 4/lssd 8/lssd 16/lssd 24/lssd 32/lssd 48/lssd 96/lssd 144/lssd 192/lssd 288/lssd 288/metal
c4-highcpu 2 4 8 16 24 32 48 96 144 192 288 288/metal
c4a-standard 1 2 4/lssd 8/lssd 16/lssd 32/lssd 48/lssd 64/lssd 72/lssd
c4a-highmem 1 2 4/lssd 8/lssd 16/lssd 32/lssd 48/lssd 64/lssd 72/lssd
c4a-highcpu 1 2 4 8 16 32 48 64 72
c4d-standard 2 4 8/lssd 16/lssd 32/lssd 48/lssd 64/lssd 96/lssd 192/lssd 384/lssd 384/metal
c4d-highmem 2 4 8/lssd 16/lssd 32/lssd 48/lssd 64/lssd 96/lssd 192/lssd 384/lssd 384/metal
c4d-highcpu 2 4 8 16 32 48 64 96 192 384 384/metal
t2d-standard 1 2 4 8 16 32 48 60
t2a-standard 1 2 4 8 16 32 48
c2-standard 4 8 16 30 60
c2d-standard 2 4 8 16 32 56 112
c2d-highmem 2 4 8 16 32 56 112
c2d-highcpu 2 4 8 16 32 56 112
c3-standard 4/lssd 8/lssd 22/lssd 44/lssd 88/lssd 176/lssd 192/metal
c3-highmem 4 8 22 44 88 176 192/metal
c3-highcpu 4 8 22 44 88 176 192/metal
c3d-standard 4 8/lssd 16/lssd 30/lssd 60/lssd 90/lssd 180/lssd 360/lssd
c3d-highmem 4 8/lssd 16/lssd 30/lssd 60/lssd 90/lssd 180/lssd 360/lssd
c3d-highcpu 4 8 16 30 60 90 180 360
h3-standard 88
h4d-standard 192
h4d-highmem 192/lssd
m1-ultramem 40 80 160
m1-megamem 96
m2-ultramem 208 416
m2-megamem 416
m2-hypermem 416
m3-ultramem 32 64 128
m3-megamem 64 128
m4-megamem 28 56 112 224
m4-ultramem 56 112 224
x4-megamem 960/metal 1440/metal 1920/metal
z3-highmem 88 176 8-highlssd 16-highlssd 22-highlssd 32-highlssd 44-highlssd 88-highlssd 14-standardlssd 22-standardlssd 44-standardlssd 88-standardlssd 176-standardlssd
a2-highgpu 1g 2g 4g 8g
a2-megagpu 16g
a2-ultragpu 1g 2g 4g 8g
a3-highgpu 1g 2g 4g 8g
a3-megagpu 8g
a3-edgegpu 8g
a3-ultragpu 8g
a4-highgpu 8g
a4x-highgpu 4g
g2-standard 4 8 12 16 24 32 48 96
g4-standard 48 96 192 384
`;

/**
 * Zones of the mock's regions that offer each accelerator-optimized series (Compute Engine docs,
 * "GPU locations": A100 for A2, H100 for A3, B200 for A4, GB200 for A4X, L4 for G2, RTX PRO 6000
 * for G4), as of December 2025. Other series are offered in every zone of the mock's regions.
 */
export const GPU_SERIES_ZONES: Readonly<Record<string, readonly string[]>> = {
  a2: ['us-central1-a', 'us-central1-b', 'us-central1-c', 'us-central1-f', 'us-east1-b', 'us-west1-b', 'europe-west4-a', 'europe-west4-b',
    'asia-northeast1-a', 'asia-northeast1-c', 'asia-southeast1-b', 'asia-southeast1-c'],
  a3: ['us-central1-a', 'us-central1-c', 'us-east4-a', 'us-west1-a', 'us-west1-b', 'europe-west1-b', 'europe-west1-c', 'europe-west4-b',
    'europe-west4-c', 'asia-northeast1-b', 'asia-southeast1-b', 'asia-southeast1-c'],
  a4: ['us-central1-b', 'us-east4-b', 'europe-west4-b', 'asia-northeast1-b'],
  a4x: ['us-central1-a'],
  g2: ['us-central1-a', 'us-central1-b', 'us-central1-c', 'us-east1-b', 'us-east1-c', 'us-east1-d', 'us-east4-a', 'us-east4-c',
    'us-west1-a', 'us-west1-b', 'us-west1-c', 'europe-west1-b', 'europe-west1-c', 'europe-west2-a', 'europe-west2-b', 'europe-west3-b',
    'europe-west4-a', 'europe-west4-b', 'europe-west4-c', 'asia-east1-a', 'asia-east1-c', 'asia-northeast1-a', 'asia-northeast1-c',
    'asia-south1-a', 'asia-south1-b', 'asia-south1-c', 'asia-southeast1-a', 'asia-southeast1-b', 'asia-southeast1-c'],
  g4: ['us-central1-b', 'us-east4-c', 'europe-west4-a', 'asia-southeast1-b'],
};

/** Every predefined machine type name in the table. */
export function machineTypeNames(): string[] {
  const names: string[] = [];
  for (const line of MACHINE_TYPE_TABLE.split('\n')) {
    const [head, ...counts] = line.trim().split(/\s+/);
    if (!head) continue;
    if (counts.length === 0 || !/^[a-z0-9]+-[a-z]+$/.test(head) || counts.every((c) => c.includes('-') && /^[a-z]/.test(c))) {
      names.push(head, ...counts);
      continue;
    }
    for (const c of counts) {
      const [n, variant] = c.split('/');
      if (variant !== 'metal') names.push(`${head}-${n}`);
      if (variant) names.push(`${head}-${n}-${variant}`);
    }
  }
  return names;
}
