import { AWS_INSTANCE_TYPES } from '../../../src/planning/catalog/aws-instance-types';
import { GOOGLE_MACHINE_TYPES } from '../../../src/planning/catalog/google-machine-types';
import { ec2InstanceTypes, findInstanceType } from '../../../src/mock/aws/instance-types';
import { findMachineType, machineTypes, MachineType, offeredIn } from '../../../src/mock/google/machine-types';

/** The mock clouds' full catalogs: apart from (and a superset of) the fitter's priced ones. */
describe('mock catalogs', () => {
  test('EC2: every name the API enumerates, ordinary types included; a superset of the fitter\'s catalog', () => {
    const all = ec2InstanceTypes();
    expect(all.size).toBeGreaterThan(1100);
    for (const name of ['c5.large', 'm5.xlarge', 't2.small', 'c6i.large', 'c6i.32xlarge', 'c6i.metal', 'u7in-32tb.224xlarge', 'c7i-flex.large']) {
      expect(findInstanceType(name)).toBeDefined();
    }
    for (const t of AWS_INSTANCE_TYPES) expect(findInstanceType(t.name)?.architecture).toBe(t.architecture);
    for (const name of ['m5.huge', 't9.micro', 'c6i.medium', 'M5.large', '']) expect(findInstanceType(name)).toBeUndefined();
  });

  test.each([
    ['m7g.large', 'arm64'], ['c8gn.medium', 'arm64'], ['is4gen.large', 'arm64'], ['x2gd.metal', 'arm64'], ['a1.large', 'arm64'],
    ['t4g.nano', 'arm64'], ['mac2.metal', 'arm64'], ['p6e-gb200.36xlarge', 'arm64'],
    ['g4dn.xlarge', 'x86_64'], ['m5.large', 'x86_64'], ['c7a.medium', 'x86_64'], ['mac1.metal', 'x86_64'], ['gr6.4xlarge', 'x86_64'],
  ])('EC2 %s is %s', (name, architecture) => {
    expect(findInstanceType(name)?.architecture).toBe(architecture);
  });

  test('Compute Engine: the documented families, large sizes included; a superset of the fitter\'s catalog', () => {
    expect(machineTypes().size).toBeGreaterThan(400);
    for (const name of ['n2-standard-48', 'n2-standard-64', 'n2-standard-128', 'n1-standard-32', 'n1-highmem-96', 'c3-standard-22-lssd',
      'a2-highgpu-1g', 'g2-standard-4', 'm3-ultramem-128', 'e2-micro', 'c4-standard-288-metal']) {
      expect(machineTypes().get(name)).toBeDefined();
    }
    for (const t of GOOGLE_MACHINE_TYPES) expect(machineTypes().get(t.name)).toBeDefined();
    for (const name of ['n2-standard-3', 'n1-standard-128', 'e2-standard-64', 'c4-highcpu-288-lssd']) expect(findMachineType(name)).toBeUndefined();
    expect((findMachineType('t2a-standard-4') as MachineType).architecture).toBe('arm64');
    expect((findMachineType('zones/us-central1-a/machineTypes/n1-standard-32') as MachineType).acceptsAccelerators).toBe(true);
  });

  test('Compute Engine: accelerator-optimized series only in the zones that have their GPUs', () => {
    const a2 = findMachineType('a2-highgpu-1g') as MachineType;
    expect(offeredIn(a2, 'us-central1-a')).toBe(true);
    expect(offeredIn(a2, 'us-east1-c')).toBe(false);
    expect(offeredIn(findMachineType('n2-standard-64') as MachineType, 'us-east1-c')).toBe(true);
  });
});
