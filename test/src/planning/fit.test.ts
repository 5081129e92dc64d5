import { ButterError } from '../../../src/errors';
import { Architecture } from '../../../src/blueprint/types';
import {
  awsInstanceRequirements,
  checkGoogleCustomType,
  FitRequest,
  fitAwsInstanceType,
  fitGoogleMachineType,
  smallestCustomType,
  validatePinnedType,
} from '../../../src/planning/fit';
import { GOOGLE_CUSTOM_SERIES } from '../../../src/planning/catalog/google-machine-types';
import { butterErrorOf as caught } from '../../helpers/errors';

const GiB = 1024;
const req = (cpus: number, memoryGiB: number, gpus = 0, architecture: Architecture = 'x86_64'): FitRequest => ({
  cpus,
  memoryMiB: memoryGiB * GiB,
  gpus,
  architecture,
});

/** A spread of requests, both architectures, with and without GPUs. */
const SWEEP: FitRequest[] = (['x86_64', 'arm64'] as const).flatMap((arch) =>
  [0, 1, 2, 4].flatMap((gpus) =>
    [[1, 0.5], [1, 4], [2, 2], [2, 16], [4, 8], [8, 64], [16, 32], [32, 128]].map(([c, m]) => req(c, m, gpus, arch)),
  ),
);

describe('fitAwsInstanceType: cheapest picks', () => {
  test.each([
    ['1 vCPU / 4 GiB x86', req(1, 4), 't3a.medium'],
    ['1 vCPU / 4 GiB arm', req(1, 4, 0, 'arm64'), 't4g.medium'],
    ['1 vCPU / 0.5 GiB x86', req(1, 0.5), 't3a.nano'],
    ['4 vCPU / 8 GiB x86', req(4, 8), 't3a.xlarge'],
    ['2 vCPU / 64 GiB x86 (memory heavy)', req(2, 64), 'r7i.2xlarge'],
    ['2 vCPU / 64 GiB arm (memory heavy)', req(2, 64, 0, 'arm64'), 'r7g.2xlarge'],
    ['32 vCPU / 128 GiB x86', req(32, 128), 'm6i.8xlarge'],
    ['64 vCPU / 128 GiB arm', req(64, 128, 0, 'arm64'), 'c7g.16xlarge'],
    ['1 GPU x86', req(1, 4, 1), 'g4dn.xlarge'],
    ['1 GPU arm', req(1, 4, 1, 'arm64'), 'g5g.xlarge'],
    ['1 GPU / 24 GiB x86', req(4, 24, 1), 'g4dn.2xlarge'],
    ['3 GPUs x86', req(8, 32, 3), 'g4dn.12xlarge'],
    ['5 GPUs x86', req(8, 32, 5), 'p4d.24xlarge'],
  ])('%s → %s', (_label, r, expected) => {
    expect(fitAwsInstanceType(r).type).toBe(expected);
  });

  test('without burstable types', () => {
    expect(fitAwsInstanceType(req(1, 4), { allowBurstable: false }).type).toBe('m7a.medium');
    expect(fitAwsInstanceType(req(1, 4, 0, 'arm64'), { allowBurstable: false }).type).toBe('m7g.medium');
    expect(fitAwsInstanceType(req(4, 8), { allowBurstable: false }).type).toBe('c7i.xlarge');
  });

  test('never a superseded type, even when it would tie', () => {
    // m5.large and m6i.large cost the same; only m6i is current.
    for (const r of SWEEP) {
      try {
        expect(fitAwsInstanceType(r).facts.previousGeneration).toBeUndefined();
      } catch (e) {
        if (!(e instanceof ButterError)) throw e;
      }
    }
  });

  test('architecture always matches; GPU types iff GPUs are asked for; big enough', () => {
    let fitted = 0;
    for (const r of SWEEP) {
      let fit;
      try {
        fit = fitAwsInstanceType(r);
      } catch (e) {
        expect((e as ButterError).code).toBe('INSTANCE_NO_FIT');
        continue;
      }
      fitted++;
      expect(fit.facts.architecture).toBe(r.architecture);
      expect(fit.facts.gpus > 0).toBe(r.gpus > 0);
      expect(fit.facts.gpus).toBeGreaterThanOrEqual(r.gpus);
      expect(fit.facts.vcpus).toBeGreaterThanOrEqual(r.cpus);
      expect(fit.facts.memoryMiB).toBeGreaterThanOrEqual(r.memoryMiB);
    }
    expect(fitted).toBeGreaterThan(SWEEP.length / 2);
  });

  test('the reason names the type, requirement and price', () => {
    const fit = fitAwsInstanceType(req(1, 4));
    expect(fit.reason).toContain('t3a.medium');
    expect(fit.reason).toContain('at least 1 vCPU, 4 GiB and no GPU');
    expect(fit.reason).toContain('$0.0376/h');
    expect(fit.reason).toContain('us-east-1');
  });

  test('deterministic', () => {
    for (const r of SWEEP.slice(0, 10)) expect(fitAwsInstanceType(r)).toEqual(fitAwsInstanceType(r));
  });

  test('no fit: too many vCPUs, naming the biggest candidate', () => {
    const e = caught(() => fitAwsInstanceType(req(256, 4)));
    expect(e.code).toBe('INSTANCE_NO_FIT');
    expect(e.problem).toContain('256 vCPUs');
    expect(e.problem).toContain('r7i.48xlarge');
    expect(e.hint).toContain('192 vCPUs');
  });

  test('no fit: arm64 caps lower than x86', () => {
    const e = caught(() => fitAwsInstanceType(req(100, 4, 0, 'arm64')));
    expect(e.code).toBe('INSTANCE_NO_FIT');
    expect(e.problem).toContain('r7g.16xlarge');
  });

  test('no fit: too many GPUs', () => {
    const e = caught(() => fitAwsInstanceType(req(1, 1, 9)));
    expect(e.code).toBe('INSTANCE_NO_FIT');
    expect(e.problem).toContain('p4d.24xlarge');
    expect(e.hint).toContain('8 GPUs');
    expect(caught(() => fitAwsInstanceType(req(1, 1, 3, 'arm64'))).problem).toContain('g5g.16xlarge');
  });

  test('invalid requests', () => {
    expect(caught(() => fitAwsInstanceType(req(0, 4))).code).toBe('INSTANCE_REQUEST_INVALID');
    expect(caught(() => fitAwsInstanceType(req(1, 4, 0.5))).code).toBe('INSTANCE_REQUEST_INVALID');
    expect(caught(() => fitAwsInstanceType(req(1, -1))).code).toBe('INSTANCE_REQUEST_INVALID');
  });
});

describe('awsInstanceRequirements', () => {
  test('x86 without GPUs: minimums, no accelerators, Intel/AMD', () => {
    expect(awsInstanceRequirements(req(2, 4))).toEqual({
      vcpuCount: { min: 2 },
      memoryMib: { min: 4096 },
      acceleratorCount: { max: 0 },
      cpuManufacturers: ['intel', 'amd'],
      instanceGenerations: ['current'],
      burstablePerformance: 'included',
    });
  });

  test('arm64 with GPUs: Graviton, at least n GPUs', () => {
    const r = awsInstanceRequirements(req(4, 8, 2, 'arm64'));
    expect(r.cpuManufacturers).toEqual(['amazon-web-services']);
    expect(r.acceleratorCount).toEqual({ min: 2 });
    expect(r.acceleratorTypes).toEqual(['gpu']);
  });

  test('burstable can be excluded; result is a plain record', () => {
    const r: Record<string, unknown> = awsInstanceRequirements(req(1, 1), { allowBurstable: false });
    expect(r.burstablePerformance).toBe('excluded');
  });
});

describe('fitGoogleMachineType: cheapest', () => {
  test.each([
    ['1 vCPU / 4 GiB', req(1, 4), 'e2-medium'],
    ['1 vCPU / 1 GiB (shared cores count by their share)', req(1, 1), 'e2-medium'],
    ['2 vCPU / 8 GiB', req(2, 8), 'e2-standard-2'],
    ['2 vCPU / 2 GiB', req(2, 2), 'e2-highcpu-2'],
    ['2 vCPU / 16 GiB', req(2, 16), 'e2-highmem-2'],
    ['32 vCPU / 32 GiB', req(32, 32), 'e2-highcpu-32'],
    ['40 vCPU / 80 GiB', req(40, 80), 'c3-highcpu-44'],
    ['1 vCPU / 4 GiB arm', req(1, 4, 0, 'arm64'), 't2a-standard-1'],
  ])('%s → %s', (_label, r, expected) => {
    const fit = fitGoogleMachineType(r, { mode: 'cheapest' });
    expect(fit.type).toBe(expected);
    expect(fit.guestAccelerator).toBeUndefined();
  });

  test('1 GPU, small: n1 + one T4 beats g2', () => {
    const fit = fitGoogleMachineType(req(1, 4, 1), { mode: 'cheapest' });
    expect(fit.type).toBe('n1-standard-2');
    expect(fit.guestAccelerator).toEqual({ type: 'nvidia-tesla-t4', count: 1 });
    expect(fit.pricePerHour).toBeCloseTo(0.095 + 0.35, 6);
    expect(fit.reason).toContain('nvidia-tesla-t4');
  });

  test('1 GPU, 64 GiB: beyond n1-standard-16, so g2 with its built-in L4', () => {
    const fit = fitGoogleMachineType(req(16, 64, 1), { mode: 'cheapest' });
    expect(fit.type).toBe('g2-standard-16');
    expect(fit.guestAccelerator).toBeUndefined();
    expect(fit.facts.gpus).toBe(1);
  });

  test('GPU counts round up to an allowed count', () => {
    expect(fitGoogleMachineType(req(4, 16, 2), { mode: 'cheapest' })).toMatchObject({
      type: 'n1-standard-8',
      guestAccelerator: { type: 'nvidia-tesla-t4', count: 2 },
    });
    expect(fitGoogleMachineType(req(1, 1, 3), { mode: 'cheapest' })).toMatchObject({
      type: 'n1-standard-1',
      guestAccelerator: { type: 'nvidia-tesla-t4', count: 4 },
    });
  });

  test('architecture always matches; GPUs iff asked for; big enough', () => {
    for (const r of SWEEP) {
      let fit;
      try {
        fit = fitGoogleMachineType(r, { mode: 'cheapest' });
      } catch (e) {
        expect((e as ButterError).code).toBe('INSTANCE_NO_FIT');
        continue;
      }
      const gpus = fit.facts.gpus + (fit.guestAccelerator?.count ?? 0);
      expect(fit.facts.architecture).toBe(r.architecture);
      expect(gpus > 0).toBe(r.gpus > 0);
      expect(gpus).toBeGreaterThanOrEqual(r.gpus);
      expect(fit.facts.sharedCoreVcpus ?? fit.facts.vcpus).toBeGreaterThanOrEqual(r.cpus);
      expect(fit.facts.memoryMiB).toBeGreaterThanOrEqual(r.memoryMiB);
    }
  });

  test('no fit: arm64 with GPUs, and too big', () => {
    const arm = caught(() => fitGoogleMachineType(req(1, 4, 1, 'arm64'), { mode: 'cheapest' }));
    expect(arm.code).toBe('INSTANCE_NO_FIT');
    expect(arm.hint).toContain('another architecture');
    const big = caught(() => fitGoogleMachineType(req(100, 4), { mode: 'cheapest' }));
    expect(big.code).toBe('INSTANCE_NO_FIT');
    expect(big.problem).toContain('c3-highmem-44');
  });
});

describe('fitGoogleMachineType: requirements (custom types)', () => {
  test.each([
    ['1 vCPU / 4 GiB', req(1, 4), 'e2-custom-2-4096'],
    ['2 vCPU / 5 GiB', req(2, 5), 'e2-custom-2-5120'],
    ['memory rounds up to 256 MiB', { ...req(2, 0), memoryMiB: 1000 }, 'e2-custom-2-1024'],
    ['odd vCPUs round up; memory raised to 0.5 GiB per vCPU', { ...req(3, 0), memoryMiB: 1500 }, 'e2-custom-4-2048'],
    ['more than 8 GiB per vCPU takes more vCPUs', req(4, 40), 'e2-custom-6-40960'],
    ['beyond e2 vCPUs: n2', req(40, 4), 'n2-custom-40-20480'],
    ['beyond e2 memory: n2', req(2, 200), 'n2-custom-26-204800'],
  ])('%s → %s', (_label, r, expected) => {
    const fit = fitGoogleMachineType(r, { mode: 'requirements' });
    expect(fit.type).toBe(expected);
    expect(checkGoogleCustomType(fit.type)).toEqual({ facts: fit.facts });
  });

  test('custom prices come from the per-vCPU and per-GiB rates', () => {
    const fit = fitGoogleMachineType(req(2, 4), { mode: 'requirements' });
    expect(fit.pricePerHour).toBeCloseTo(2 * 0.021811 + 4 * 0.002923, 6);
  });

  test('every custom fit is valid per its series rules', () => {
    for (let cpus = 1; cpus <= 80; cpus += 3) {
      for (const gib of [0.25, 1, 3.3, 16, 100, 400]) {
        const r = { ...req(cpus, 0), memoryMiB: Math.round(gib * GiB) };
        for (const rules of GOOGLE_CUSTOM_SERIES) {
          const t = smallestCustomType(rules, r);
          if (!t) continue;
          expect(rules.vcpuCounts).toContain(t.vcpus);
          expect(t.memoryMiB % 256).toBe(0);
          expect(t.memoryMiB).toBeGreaterThanOrEqual(Math.max(r.memoryMiB, t.vcpus * 512));
          expect(t.memoryMiB).toBeLessThanOrEqual(Math.min(rules.maxMemoryMiB, t.vcpus * 8 * GiB));
          expect(t.vcpus).toBeGreaterThanOrEqual(cpus);
          expect('facts' in (checkGoogleCustomType(t.name) ?? {})).toBe(true);
        }
      }
    }
  });

  test('GPU and arm64 requests fall back to predefined types, saying why', () => {
    const gpu = fitGoogleMachineType(req(1, 4, 1), { mode: 'requirements' });
    expect(gpu.type).toBe('n1-standard-2');
    expect(gpu.reason).toMatch(/^custom machine types take no GPUs/);
    const arm = fitGoogleMachineType(req(1, 4, 0, 'arm64'), { mode: 'requirements' });
    expect(arm.type).toBe('t2a-standard-1');
    expect(arm.reason).toMatch(/x86_64 only/);
  });

  test('no fit beyond the largest custom type', () => {
    const e = caught(() => fitGoogleMachineType(req(200, 4), { mode: 'requirements' }));
    expect(e.code).toBe('INSTANCE_NO_FIT');
    expect(e.problem).toContain('n2-custom-128-');
  });
});

describe('validatePinnedType', () => {
  test('known types return their facts', () => {
    expect(validatePinnedType('aws', 't3.micro').vcpus).toBe(2);
    expect(validatePinnedType('aws', 'm5.large').previousGeneration).toBe(true); // pinning may pick old types
    expect(validatePinnedType('google', 'n2-standard-4').memoryMiB).toBe(16 * GiB);
    expect(validatePinnedType('google', 'e2-custom-4-8192')).toMatchObject({ vcpus: 4, memoryMiB: 8192, shape: 'custom' });
    expect(validatePinnedType('google', 'n2-custom-36-36864').vcpus).toBe(36);
  });

  test('typos are rejected with close suggestions', () => {
    const aws = caught(() => validatePinnedType('aws', 't3.mirco'));
    expect(aws.code).toBe('INSTANCE_TYPE_UNKNOWN');
    expect(aws.key).toBe('instance.type.aws');
    expect(aws.hint).toContain('t3.micro');
    const google = caught(() => validatePinnedType('google', 'n2-standrad-4'));
    expect(google.code).toBe('INSTANCE_TYPE_UNKNOWN');
    expect(google.hint).toContain('n2-standard-4');
    expect(caught(() => validatePinnedType('aws', 'e2-medium')).code).toBe('INSTANCE_TYPE_UNKNOWN');
    expect(caught(() => validatePinnedType('google', 't3.micro')).code).toBe('INSTANCE_TYPE_UNKNOWN');
  });

  test.each([
    ['e2-custom-3-4096', '2 to 32 in steps of 2; 3 is not one'],
    ['e2-custom-34-34816', '34 is not one'],
    ['n2-custom-34-34816', '36 to 128 in steps of 4'],
    ['n2-custom-2-5000', 'multiple of 256'],
    ['e2-custom-2-20480', '1024 to 16384 MiB'],
    ['e2-custom-4-1024', '2048 to 32768 MiB'],
    ['e2-custom-32-196608', 'to 131072 MiB'],
  ])('invalid custom type %s (%s)', (name, why) => {
    const e = caught(() => validatePinnedType('google', name));
    expect(e.code).toBe('INSTANCE_TYPE_UNKNOWN');
    expect(e.problem).toContain(why);
  });

  test('custom names of series Butter has no rules for are unknown', () => {
    const e = caught(() => validatePinnedType('google', 'custom-2-5120'));
    expect(e.code).toBe('INSTANCE_TYPE_UNKNOWN');
    expect(e.hint).toContain('e2 and n2');
  });

  test('architecture must match the image when given', () => {
    expect(validatePinnedType('aws', 't4g.small', { architecture: 'arm64' }).name).toBe('t4g.small');
    const e = caught(() => validatePinnedType('aws', 't4g.small', { architecture: 'x86_64' }));
    expect(e.code).toBe('INSTANCE_ARCHITECTURE_MISMATCH');
    expect(caught(() => validatePinnedType('google', 't2a-standard-1', { architecture: 'x86_64' })).code)
      .toBe('INSTANCE_ARCHITECTURE_MISMATCH');
  });
});
