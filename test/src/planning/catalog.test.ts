import { AWS_INSTANCE_TYPES } from '../../../src/planning/catalog/aws-instance-types';
import {
  GOOGLE_ACCELERATORS,
  GOOGLE_CUSTOM_SERIES,
  GOOGLE_MACHINE_TYPES,
} from '../../../src/planning/catalog/google-machine-types';

/** Group by a key, keeping catalog order inside each group. */
function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

describe('AWS catalog', () => {
  test('names are unique and follow family.size', () => {
    const names = AWS_INSTANCE_TYPES.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const t of AWS_INSTANCE_TYPES) expect(t.name.startsWith(`${t.family}.`)).toBe(true);
  });

  test('every fact is positive and whole where it must be', () => {
    for (const t of AWS_INSTANCE_TYPES) {
      expect(Number.isInteger(t.vcpus) && t.vcpus > 0).toBe(true);
      expect(Number.isInteger(t.memoryMiB) && t.memoryMiB > 0).toBe(true);
      expect(Number.isInteger(t.gpus) && t.gpus >= 0).toBe(true);
      expect(t.pricePerHour).toBeGreaterThan(0);
      expect(['x86_64', 'arm64']).toContain(t.architecture);
    }
  });

  test('GPU families have GPUs and a model; nothing else does', () => {
    for (const t of AWS_INSTANCE_TYPES) {
      const gpuFamily = /^(g4dn|g5|g5g|p4d)$/.test(t.family);
      expect(t.gpus > 0).toBe(gpuFamily);
      expect(t.gpuModel !== undefined).toBe(gpuFamily);
    }
  });

  test('only T families are burstable; Graviton families are arm64', () => {
    for (const t of AWS_INSTANCE_TYPES) {
      expect(t.burstable).toBe(t.family.startsWith('t'));
      expect(t.architecture).toBe(/^(t4g|m7g|c7g|r7g|g5g)$/.test(t.family) ? 'arm64' : 'x86_64');
    }
  });

  test('price rises with size within every family', () => {
    for (const [family, types] of groupBy(AWS_INSTANCE_TYPES, (t) => t.family)) {
      const sorted = [...types].sort((a, b) => a.vcpus - b.vcpus || a.memoryMiB - b.memoryMiB);
      for (let i = 1; i < sorted.length; i++) {
        expect({ family, bigger: sorted[i].name, cheaper: sorted[i].pricePerHour > sorted[i - 1].pricePerHour })
          .toEqual({ family, bigger: sorted[i].name, cheaper: true });
      }
    }
  });

  test('covers the families the fitting promises', () => {
    const names = new Set(AWS_INSTANCE_TYPES.map((t) => t.name));
    for (const f of ['t3', 't3a', 't4g']) {
      for (const s of ['nano', 'micro', 'small', 'medium', 'large', 'xlarge', '2xlarge']) expect(names).toContain(`${f}.${s}`);
    }
    for (const f of ['m7i', 'm7a', 'm7g', 'm6i', 'c7i', 'c7g', 'r7i', 'r7g']) {
      for (const s of ['large', 'xlarge', '2xlarge', '4xlarge']) expect(names).toContain(`${f}.${s}`);
    }
    for (const f of ['g5', 'g4dn']) {
      for (const s of ['xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge']) expect(names).toContain(`${f}.${s}`);
    }
    expect(names).toContain('p4d.24xlarge');
  });

  test('a few well-known facts', () => {
    const t = (n: string) => AWS_INSTANCE_TYPES.find((x) => x.name === n)!;
    expect(t('t3.micro')).toMatchObject({ vcpus: 2, memoryMiB: 1024, pricePerHour: 0.0104, burstable: true });
    expect(t('m7i.large')).toMatchObject({ vcpus: 2, memoryMiB: 8192, pricePerHour: 0.1008 });
    expect(t('g4dn.xlarge')).toMatchObject({ vcpus: 4, memoryMiB: 16384, gpus: 1, gpuModel: 'NVIDIA T4' });
    expect(t('p4d.24xlarge')).toMatchObject({ vcpus: 96, gpus: 8, gpuModel: 'NVIDIA A100' });
    expect(t('m5.large').previousGeneration).toBe(true);
  });
});

describe('Google catalog', () => {
  test('names are unique and start with the series', () => {
    const names = GOOGLE_MACHINE_TYPES.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const t of GOOGLE_MACHINE_TYPES) expect(t.name.startsWith(`${t.series}-`)).toBe(true);
  });

  test('every fact is positive; memory is whole MiB', () => {
    for (const t of GOOGLE_MACHINE_TYPES) {
      expect(t.vcpus).toBeGreaterThan(0);
      expect(Number.isInteger(t.memoryMiB) && t.memoryMiB > 0).toBe(true);
      expect(t.pricePerHour).toBeGreaterThan(0);
      expect(t.gpus > 0).toBe(t.series === 'g2');
      expect(t.gpus > 0).toBe(t.gpuModel !== undefined);
      if (t.sharedCoreVcpus !== undefined) expect(t.sharedCoreVcpus).toBeLessThanOrEqual(t.vcpus);
    }
  });

  test('only n1 takes attachable GPUs; only t2a is arm64', () => {
    for (const t of GOOGLE_MACHINE_TYPES) {
      expect(t.acceptsAccelerators === true).toBe(t.series === 'n1');
      expect(t.architecture).toBe(t.series === 't2a' ? 'arm64' : 'x86_64');
    }
  });

  test('price rises with size within every series and shape', () => {
    for (const [group, types] of groupBy(GOOGLE_MACHINE_TYPES, (t) => `${t.series}-${t.shape}`)) {
      const sorted = [...types].sort(
        (a, b) => (a.sharedCoreVcpus ?? a.vcpus) - (b.sharedCoreVcpus ?? b.vcpus) || a.memoryMiB - b.memoryMiB,
      );
      for (let i = 1; i < sorted.length; i++) {
        expect({ group, bigger: sorted[i].name, dearer: sorted[i].pricePerHour > sorted[i - 1].pricePerHour })
          .toEqual({ group, bigger: sorted[i].name, dearer: true });
      }
    }
  });

  test('covers the types the fitting promises, with list prices', () => {
    const t = (n: string) => GOOGLE_MACHINE_TYPES.find((x) => x.name === n);
    for (const n of ['e2-micro', 'e2-small', 'e2-medium', 'n1-standard-1', 'n1-standard-16', 'g2-standard-4', 'g2-standard-24',
      'c3-standard-4', 'c3-standard-22', 'n2d-standard-32', 'n2-highcpu-32', 'e2-highmem-16', 'e2-highcpu-16']) {
      expect(t(n)).toBeDefined();
    }
    expect(t('e2-standard-2')).toMatchObject({ vcpus: 2, memoryMiB: 8192, pricePerHour: 0.067006 });
    expect(t('n2-standard-2')).toMatchObject({ pricePerHour: 0.097118 });
    expect(t('n1-standard-1')).toMatchObject({ vcpus: 1, memoryMiB: 3840, pricePerHour: 0.0475 });
    expect(t('c3-standard-4')).toMatchObject({ memoryMiB: 16384, pricePerHour: 0.20872 });
    expect(t('e2-micro')).toMatchObject({ vcpus: 2, sharedCoreVcpus: 0.25, memoryMiB: 1024 });
    expect(t('g2-standard-24')).toMatchObject({ gpus: 2, gpuModel: 'NVIDIA L4' });
  });

  test('accelerators: ascending counts, positive limits, priced', () => {
    expect(GOOGLE_ACCELERATORS.map((a) => a.type)).toContain('nvidia-tesla-t4');
    for (const a of GOOGLE_ACCELERATORS) {
      expect(a.pricePerHour).toBeGreaterThan(0);
      expect(a.series).toBe('n1');
      const counts = a.limits.map((l) => l.count);
      expect(counts).toEqual([...counts].sort((x, y) => x - y));
      for (const l of a.limits) {
        expect(l.maxVcpus).toBeGreaterThan(0);
        expect(l.maxMemoryMiB).toBeGreaterThan(0);
      }
    }
  });

  test('custom series rules are self-consistent', () => {
    expect(GOOGLE_CUSTOM_SERIES.map((r) => r.series)).toEqual(['e2', 'n2']);
    for (const r of GOOGLE_CUSTOM_SERIES) {
      expect(r.vcpuCounts).toEqual([...r.vcpuCounts].sort((a, b) => a - b));
      expect(r.vcpuCounts.every((v) => v % 2 === 0)).toBe(true);
      expect(r.minMemoryMiBPerVcpu % r.memoryStepMiB).toBe(0);
      expect(r.maxMemoryMiBPerVcpu).toBeGreaterThan(r.minMemoryMiBPerVcpu);
      expect(r.memoryStepMiB).toBe(256);
      expect(r.vcpuPricePerHour).toBeGreaterThan(0);
      expect(r.memoryGiBPricePerHour).toBeGreaterThan(0);
    }
    const e2 = GOOGLE_CUSTOM_SERIES[0];
    expect(e2.vcpuCounts[0]).toBe(2);
    expect(e2.vcpuCounts[e2.vcpuCounts.length - 1]).toBe(32);
    const n2 = GOOGLE_CUSTOM_SERIES[1];
    expect(n2.vcpuCounts).toContain(32);
    expect(n2.vcpuCounts).not.toContain(34); // multiples of 4 above 32
    expect(n2.vcpuCounts).toContain(36);
  });
});
