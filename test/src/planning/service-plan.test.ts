import { parseServiceBlueprint } from '../../../src/blueprint/load';
import { AddressBook } from '../../../src/planning/address-book';
import { planService } from '../../../src/planning/service-plan';
import { googleInstanceIps } from '../../../src/planning/google-addresses';
import { cidrContainsIp, parseCidr } from '../../../src/planning/ipv4';
import type { CloudName } from '../../../src/blueprint/types';

function blueprint(over: Record<string, unknown> = {}) {
  return parseServiceBlueprint({
    network: { subnetwork_max_instance_count: 48 },
    placement: { availability_zones: 3 },
    instance: { memory: '4GB', cpus: 1, disks: [{ size: '8GB' }] },
    image: {
      aws: { name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*' },
      google: { family: 'ubuntu-2204-lts' },
    },
    ...over,
  });
}

function plan(cloud: CloudName, over: Record<string, unknown> = {}, count?: number) {
  const addresses = AddressBook.open(undefined);
  addresses.networkBlock('dev', '10.0.0.0/8', 16);
  return planService({ cloud, network: 'dev', service: 'web', blueprint: blueprint(over), addresses, count });
}

describe('planService on Google', () => {
  test('one regional subnet for all zones, sized for every instance after 4 reserved addresses', () => {
    // 48 instances + 4 reserved = 52 -> a /26 (64); on AWS 16 per zone + 5 -> three /27s.
    const g = plan('google');
    expect(g.subnets).toEqual(['10.0.0.0/26']);
    expect(g.instancesPerSubnet).toBe(60);
    expect(g.zones).toBe(3);
    const a = plan('aws');
    expect(a.subnets.map((s) => parseCidr(s).prefix)).toEqual([27, 27, 27]);
    expect(a.instanceIps).toBeUndefined();
  });

  test.each([
    [60, 26], // 60 + 4 = 64: exactly a /26
    [61, 25], // one more needs the next size up
    [4, 29], // Google's smallest subnet is a /29 (8 addresses, 4 usable)
    [1, 29],
    [768, 22], // the examples: 772 -> /22
  ])('subnetwork_max_instance_count %i -> /%i', (max, prefix) => {
    const g = plan('google', { network: { subnetwork_max_instance_count: max }, placement: { availability_zones: 1 } }, 1);
    expect(g.subnets.map((s) => parseCidr(s).prefix)).toEqual([prefix]);
  });

  test('instance IPs: count of them, in the subnet, skipping network, gateway and the last two', () => {
    const g = plan('google', {}, 6);
    expect(g.instanceIps).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6', '10.0.0.7']);
    for (const ip of g.instanceIps!) expect(cidrContainsIp(g.subnets[0], ip)).toBe(true);
    // Default count: one per zone.
    expect(plan('google').instanceIps).toHaveLength(3);
  });

  test('machine, image and disks in Google terms', () => {
    const g = plan('google');
    expect(g.machine).toMatchObject({ kind: 'type', type: 'e2-medium' });
    expect(g.image).toEqual({ cloud: 'google', family: 'ubuntu-2204-lts', name: undefined, project: 'ubuntu-os-cloud' });
    expect(g.disks).toEqual([{ sizeGiB: 8, type: 'pd-balanced', deviceName: undefined }]);
  });
});

describe('googleInstanceIps', () => {
  test('a full /29 holds 4 instances: .2 to .5 (.6 and .7 are reserved)', () => {
    expect(googleInstanceIps('10.0.0.8/29', 4)).toEqual(['10.0.0.10', '10.0.0.11', '10.0.0.12', '10.0.0.13']);
    expect(() => googleInstanceIps('10.0.0.8/29', 5)).toThrow(RangeError);
    expect(googleInstanceIps('10.0.0.8/29', 0)).toEqual([]);
  });

  test('instance i keeps its address when the count grows (scaling never renumbers)', () => {
    const three = googleInstanceIps('10.1.4.0/22', 3);
    expect(googleInstanceIps('10.1.4.0/22', 300).slice(0, 3)).toEqual(three);
    const many = googleInstanceIps('10.1.4.0/22', 1020);
    expect(many[1019]).toBe('10.1.7.253'); // .254 (second-to-last) and .255 stay free
    expect(new Set(many).size).toBe(1020);
  });
});
