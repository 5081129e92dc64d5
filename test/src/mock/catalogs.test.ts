import { AWS_INSTANCE_TYPES } from '../../../src/planning/catalog/aws-instance-types';
import { GOOGLE_MACHINE_TYPES } from '../../../src/planning/catalog/google-machine-types';
import { ec2InstanceTypes, findInstanceType, isStandardFamily, requireOfferedIn, vcpusOf, zonesOffering } from '../../../src/mock/aws/instance-types';
import { ZONE_OFFERINGS } from '../../../src/mock/aws/data/ec2-type-offerings';
import { CloudError } from '../../../src/mock/framework/diagnostics';
import { findMachineType, machineTypes, MachineType, offeredIn } from '../../../src/mock/google/machine-types';
import { ACCELERATOR_ZONES } from '../../../src/mock/google/data/machine-types';
import { regionOfZone } from '../../../src/mock/google/regions';

/** The mock clouds' full catalogs: apart from (and a superset of) the fitter's priced ones. */
describe('mock catalogs', () => {
  test('EC2: every name the API enumerates, ordinary types included; a superset of the fitter\'s catalog', () => {
    const all = ec2InstanceTypes();
    // The InstanceType enum of botocore 1.43.11's EC2 model has exactly 1,212 names (checked 2026-12-06).
    expect(all.size).toBe(1212);
    for (const name of ['c5.large', 'm5.xlarge', 't2.small', 'c6i.large', 'c6i.32xlarge', 'c6i.metal', 'u7in-32tb.224xlarge', 'c7i-flex.large',
      'c8id.metal-96xl', 'm8id.large', 'r8id.96xlarge', 'hpc8a.96xlarge']) {
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

  test('EC2: accelerated types only in the zones and regions that offer them, with EC2\'s Unsupported errors', () => {
    // p4d.24xlarge: use1-az1, az2 and az6, which the mock's account names us-east-1a, b and d.
    expect(zonesOffering('p4d.24xlarge', 'us-east-1')).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1d']);
    expect(zonesOffering('p5.48xlarge', 'ca-central-1')).toEqual(['ca-central-1d']);
    expect(zonesOffering('p4d.24xlarge', 'eu-west-3')).toEqual([]);
    // inf2: use1-az2, az4, az5 and az6 (us-east-1b, c, f, d); none in us-west-1.
    expect(zonesOffering('inf2.xlarge', 'us-east-1')).toEqual(['us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1f']);
    expect(zonesOffering('inf2.48xlarge', 'us-west-1')).toEqual([]);
    expect(zonesOffering('inf2.xlarge', 'ap-northeast-2')).toEqual(['ap-northeast-2a', 'ap-northeast-2b']);
    expect(zonesOffering('inf2.8xlarge', 'ap-northeast-2')).toEqual([]);
    // trn1.2xlarge: use1-az5 and az6 (us-east-1f and d).
    expect(zonesOffering('trn1.2xlarge', 'us-east-1')).toEqual(['us-east-1d', 'us-east-1f']);
    expect(zonesOffering('trn2.48xlarge', 'us-east-1')).toEqual([]);
    // Unlisted types, and regions the zone-level source does not cover, are not restricted.
    expect(zonesOffering('m5.large', 'us-east-1')).toBeUndefined();
    expect(zonesOffering('p4d.24xlarge', 'sa-east-1')).toBeUndefined();
    // g5: region level.
    expect(zonesOffering('g5.xlarge', 'af-south-1')).toEqual([]);
    expect(zonesOffering('g5.48xlarge', 'eu-west-1')).toBeUndefined();
    expect(() => requireOfferedIn('p4d.24xlarge', 'us-east-1', 'us-east-1a')).not.toThrow();
    const error = (f: () => void): string => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(CloudError);
        return (e as CloudError).message;
      }
      throw new Error('no error');
    };
    expect(error(() => requireOfferedIn('p4d.24xlarge', 'us-east-1', 'us-east-1c'))).toBe('Unsupported: Your requested instance type (p4d.24xlarge) is not '
      + 'supported in your requested Availability Zone (us-east-1c). Please retry your request by not specifying an Availability Zone or choosing '
      + 'us-east-1a, us-east-1b, us-east-1d.');
    expect(error(() => requireOfferedIn('g5.2xlarge', 'me-south-1', 'me-south-1a')))
      .toBe('Unsupported: The requested configuration is currently not supported. Please check the documentation for supported configurations.');
    for (const type of Object.keys(ZONE_OFFERINGS)) expect(findInstanceType(type)).toBeDefined();
  });

  test('EC2: vCPUs from the priced catalog or the size name, and which families count as Standard On-Demand', () => {
    expect(['t3.medium', 't2.small', 'c5.large', 'm5.xlarge', 'c6i.32xlarge', 'c5.metal', 'm7i.metal-48xl', 'c8id.96xlarge', 'a1.medium', 'i3en.3xlarge']
      .map(vcpusOf)).toEqual([2, 1, 2, 4, 128, 96, 192, 384, 1, 12]);
    for (const name of ['t3.micro', 'm5.large', 'c7g.large', 'r6i.large', 'z1d.large', 'i4i.large', 'd3.xlarge', 'a1.large', 'h1.2xlarge']) {
      expect(isStandardFamily(name)).toBe(true);
    }
    for (const name of ['p4d.24xlarge', 'g5.xlarge', 'inf2.xlarge', 'trn1.2xlarge', 'x2idn.16xlarge', 'u-6tb1.56xlarge', 'hpc7a.12xlarge', 'dl1.24xlarge', 'mac2.metal']) {
      expect(isStandardFamily(name)).toBe(false);
    }
  });

  test('Compute Engine: the documented families, large sizes included; a superset of the fitter\'s catalog', () => {
    // The API's list (568 names, 2026-07-01) less its two OBSOLETE types.
    expect(machineTypes().size).toBe(566);
    for (const name of ['n2-standard-48', 'n2-standard-64', 'n2-standard-128', 'n1-standard-32', 'n1-highmem-96', 'c3-standard-22-lssd',
      'a2-highgpu-1g', 'g2-standard-4', 'm3-ultramem-128', 'e2-micro', 'c4-standard-288-metal', 'c4-standard-288-lssd-metal', 'n4a-standard-1',
      'c4n-highmem-192', 'a3-ultragpu-8g-nolssd', 'a4x-maxgpu-4g-metal', 'x4-960-16t-metal', 'z3-highmem-192-highlssd-metal', 'ct5lp-hightpu-4t',
      'g4-standard-6', 'n1-ultramem-40', 'f1-micro']) {
      expect(machineTypes().get(name)).toBeDefined();
    }
    for (const t of GOOGLE_MACHINE_TYPES) expect(machineTypes().get(t.name)).toBeDefined();
    for (const name of ['n2-standard-3', 'n1-standard-128', 'e2-standard-64', 'c4-highcpu-288-lssd', 'c4-highcpu-288-metal', 'm2-ultramemx-96']) {
      expect(findMachineType(name)).toBeUndefined();
    }
    expect((findMachineType('t2a-standard-4') as MachineType).architecture).toBe('arm64');
    expect((findMachineType('n4a-highcpu-8') as MachineType).architecture).toBe('arm64');
    expect((findMachineType('zones/us-central1-a/machineTypes/n1-standard-32') as MachineType).acceptsAccelerators).toBe(true);
  });

  test('Compute Engine: accelerator-optimized series only in the zones that have their GPUs', () => {
    const a2 = findMachineType('a2-highgpu-1g') as MachineType;
    expect(offeredIn(a2, 'us-central1-a')).toBe(true);
    expect(offeredIn(a2, 'us-east1-c')).toBe(false);
    expect(offeredIn(findMachineType('n2-standard-64') as MachineType, 'us-east1-c')).toBe(true);
    // Per shape, and per type where one size differs (a3-highgpu-8g lacks europe-west8-c, the smaller sizes have it).
    expect(offeredIn(findMachineType('a3-highgpu-1g') as MachineType, 'europe-west8-c')).toBe(true);
    expect(offeredIn(findMachineType('a3-highgpu-8g') as MachineType, 'europe-west8-c')).toBe(false);
    expect(offeredIn(findMachineType('a3-ultragpu-8g-nolssd') as MachineType, 'us-south1-b')).toBe(true);
    expect(offeredIn(findMachineType('a3-ultragpu-8g-nolssd') as MachineType, 'us-central1-a')).toBe(false);
    expect(offeredIn(findMachineType('g2-standard-12') as MachineType, 'us-east4-b')).toBe(false);
    expect(offeredIn(findMachineType('g2-standard-12') as MachineType, 'us-east4-c')).toBe(true);
  });

  test('every zone of the accelerator table is a zone of the mock\'s regions', () => {
    for (const zones of Object.values(ACCELERATOR_ZONES)) for (const z of zones) expect([z, regionOfZone(z)]).toEqual([z, expect.any(String)]);
  });
});
