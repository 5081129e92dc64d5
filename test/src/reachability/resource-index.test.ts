import { ResourceIndex, addressOf, blocks, normalizeRef } from '../../../src/reachability/resource-index';

describe('ResourceIndex', () => {
  const index = new ResourceIndex([
    { mode: 'managed', type: 'aws_security_group', name: 'web_sg_1234', attributes: { id: 'sg-0abc', arn: 'arn:aws:ec2:us-east-1:1:security-group/sg-0abc' } },
    { mode: 'managed', type: 'aws_subnet', name: 'web_sg_1234', attributes: { id: 'subnet-1' } },
    { mode: 'managed', type: 'google_compute_network', name: 'net', attributes: { id: 'projects/p/global/networks/dev', self_link: 'https://www.googleapis.com/compute/v1/projects/p/global/networks/dev' } },
    { mode: 'data', type: 'aws_instances', name: 'web', attributes: {} },
    { mode: 'managed', type: 'aws_instance', name: 'many', index: 2, attributes: { id: 'i-2' } },
  ]);

  test('a synthesized reference resolves by address, and only to the expected type and mode', () => {
    expect(index.resolve('${aws_security_group.web_sg_1234.id}', 'aws_security_group')?.attributes.id).toBe('sg-0abc');
    expect(index.resolve('${aws_security_group.web_sg_1234.id}', 'aws_subnet')).toBeUndefined();
    expect(index.resolve('${data.aws_instances.web.private_ips}', 'aws_instances', 'data')?.name).toBe('web');
    expect(index.resolve('${data.aws_instances.web.private_ips}', 'aws_instances')).toBeUndefined();
    expect(index.resolve('${aws_security_group.other.id}', 'aws_security_group')).toBeUndefined();
  });

  test('a state value resolves by id, ARN, name or self link in any of Google\'s spellings', () => {
    expect(index.resolve('sg-0abc', 'aws_security_group')?.name).toBe('web_sg_1234');
    expect(index.resolve('arn:aws:ec2:us-east-1:1:security-group/sg-0abc', 'aws_security_group')?.name).toBe('web_sg_1234');
    expect(index.resolve('subnet-1', 'aws_security_group')).toBeUndefined();
    for (const ref of ['projects/p/global/networks/dev', 'https://www.googleapis.com/compute/v1/projects/p/global/networks/dev', 'https://compute.googleapis.com/compute/beta/projects/p/global/networks/dev?uniqueId=7']) {
      expect(index.resolve(ref, 'google_compute_network')?.name).toBe('net');
    }
    expect(index.resolve(undefined, 'aws_subnet')).toBeUndefined();
    expect(index.resolve('', 'aws_subnet')).toBeUndefined();
  });

  test('helpers: Terraform addresses, blocks written either way, short references', () => {
    expect(index.all('aws_instance').map(addressOf)).toEqual(['aws_instance.many[2]']);
    expect(index.all('aws_instances', 'data').map(addressOf)).toEqual(['data.aws_instances.web']);
    expect(blocks({ a: 1 })).toEqual([{ a: 1 }]);
    expect(blocks([{ a: 1 }])).toEqual([{ a: 1 }]);
    expect(blocks(null)).toEqual([]);
    expect(normalizeRef('https://www.googleapis.com/compute/v1/projects/p/regions/r/subnetworks/s')).toBe('projects/p/regions/r/subnetworks/s');
  });
});
