import { Testing } from 'cdktf';
import { Service, Path, Internet } from '../../../constructs';
import { cidrContains, cidrOverlaps, parseCidr } from '../../../src/planning/ipv4';
import { awsStack, synthJson, resourcesOf, resourceNamed, tempDir, writeBlueprint, serviceBody } from '../../helpers/synth';

// cdktf's jest matchers (toHaveResourceWithProperties), as a cdktf project's own tests would.
Testing.setupJest();

describe('Service on AWS', () => {
  const dir = tempDir();
  const privateBp = writeBlueprint(dir, 'private', serviceBody());
  const publicBp = writeBlueprint(dir, 'public', serviceBody({
    instance: { public_ip: true, memory: '1GB', cpus: 1 },
    network: { subnetwork_max_instance_count: 768 },
  }));

  test('one subnet per zone, in distinct zones, sized for max/zones after 5 reserved, inside the VPC, no overlaps', () => {
    const { stack, network } = awsStack();
    new Service(network, 'web', { blueprint: privateBp }); // 48 over 3 zones: 16 per subnet + 5 -> /27
    new Service(network, 'lb', { blueprint: publicBp }); // 768 over 3: 256 + 5 -> /23
    const tf = synthJson(stack);
    const subnets = resourcesOf(tf, 'aws_subnet').filter(([id]) => !id.includes('nat'));
    expect(subnets).toHaveLength(6);
    const vpc = resourceNamed(tf, 'aws_vpc', 'vpc');
    for (const [, s] of subnets) expect(cidrContains(vpc.cidr_block, s.cidr_block)).toBe(true);
    for (let i = 0; i < subnets.length; i++) {
      for (let j = i + 1; j < subnets.length; j++) {
        expect(cidrOverlaps(subnets[i][1].cidr_block, subnets[j][1].cidr_block)).toBe(false);
      }
    }
    const web = subnets.filter(([id]) => id.includes('web'));
    expect(web.map(([, s]) => parseCidr(s.cidr_block).prefix)).toEqual([27, 27, 27]);
    const lb = subnets.filter(([id]) => id.includes('lb'));
    expect(lb.map(([, s]) => parseCidr(s.cidr_block).prefix)).toEqual([23, 23, 23]);
    // Zones: the i-th subnet takes the i-th zone name, so one service's zones are distinct.
    const zones = web.map(([, s]) => s.availability_zone);
    expect(new Set(zones).size).toBe(3);
    // (cdktf writes the index as `names.0`, HCL's legacy index syntax; same as `names[0]`.)
    zones.forEach((z, i) => expect(z).toMatch(new RegExp(`^\\$\\{data\\.aws_availability_zones\\.[\\w-]+\\.names(\\.${i}|\\[${i}\\])\\}$`)));
    // And a precondition explains a region with too few zones instead of an index error.
    expect(web[0][1].lifecycle.precondition[0].condition).toMatch(/length\(data\.aws_availability_zones\.[\w-]+\.names\) >= 3/);
  });

  test('the autoscaling group runs exactly count instances over the service subnets, default one per zone', () => {
    const { stack, network } = awsStack();
    new Service(network, 'six', { blueprint: privateBp, count: 6 });
    new Service(network, 'dflt', { blueprint: privateBp });
    const tf = synthJson(stack);
    const six = resourceNamed(tf, 'aws_autoscaling_group', 'six');
    expect([six.min_size, six.max_size, six.desired_capacity]).toEqual([6, 6, 6]);
    expect(six.vpc_zone_identifier).toHaveLength(3);
    six.vpc_zone_identifier.forEach((ref: string) => expect(ref).toMatch(/aws_subnet\.[\w-]*six[\w-]*\.id/));
    const dflt = resourceNamed(tf, 'aws_autoscaling_group', 'dflt');
    expect([dflt.min_size, dflt.max_size, dflt.desired_capacity]).toEqual([3, 3, 3]);
  });

  test('launch template: IMDSv2 required, encrypted root volume sized from disks, fitted type, user data', () => {
    const bp = writeBlueprint(dir, 'scripted', serviceBody({
      initialization: [{ path: 'init.sh' }],
    }), { 'init.sh': '#!/bin/sh\necho hello ${HOME}\n' });
    const { stack, network } = awsStack();
    new Service(network, 'web', { blueprint: bp });
    const tf = synthJson(stack);
    const lt = resourceNamed(tf, 'aws_launch_template', 'web');
    expect(lt.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 });
    expect(lt.block_device_mappings).toEqual([{
      device_name: '/dev/sda1',
      ebs: { volume_size: 8, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' },
    }]);
    expect(lt.instance_type).toBe('t3a.medium'); // cheapest x86_64 type with >= 1 vCPU and 4 GiB
    expect(lt.network_interfaces[0].associate_public_ip_address).toBe('false');
    // User data goes through a local, base64-encoded; a literal ${...} in the script is escaped.
    expect(lt.user_data).toMatch(/^\$\{base64encode\(local\.[\w-]+\)\}$/);
    const local = Object.values(tf.locals ?? {})[0];
    expect(local).toBe('#!/bin/sh\necho hello $${HOME}\n');
  });

  test('no disks still means an encrypted root volume on the image root device', () => {
    const bp = writeBlueprint(dir, 'nodisk', serviceBody({ instance: { cpus: 2, memory: '8GB' } }));
    const { stack, network } = awsStack();
    new Service(network, 'web', { blueprint: bp });
    const lt = resourceNamed(synthJson(stack), 'aws_launch_template', 'web');
    expect(lt.block_device_mappings).toHaveLength(1);
    expect(lt.block_device_mappings[0].device_name).toMatch(/^\$\{data\.aws_ami\.[\w-]+\.root_device_name\}$/);
    expect(lt.block_device_mappings[0].ebs.encrypted).toBe('true');
  });

  test('the AMI lookup always names an owner: Canonical for Ubuntu', () => {
    const { stack, network } = awsStack();
    new Service(network, 'web', { blueprint: privateBp });
    const ami = Object.values(synthJson(stack).data.aws_ami)[0] as any;
    expect(ami.owners).toEqual(['099720109477']);
    expect(ami.most_recent).toBe(true);
    expect(ami.filter).toEqual(expect.arrayContaining([
      { name: 'name', values: ['ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*'] },
      { name: 'architecture', values: ['x86_64'] },
    ]));
  });

  test('an arm64 image gets an arm64 instance type', () => {
    const bp = writeBlueprint(dir, 'arm', serviceBody({
      image: { name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-*' },
    }));
    const { stack, network } = awsStack();
    new Service(network, 'web', { blueprint: bp });
    const tf = synthJson(stack);
    expect(resourceNamed(tf, 'aws_launch_template', 'web').instance_type).toMatch(/^(t4g|m\dg|c\dg|r\dg)\./);
    expect((Object.values(tf.data.aws_ami)[0] as any).filter).toContainEqual({ name: 'architecture', values: ['arm64'] });
  });

  test('attribute-based selection puts instance_requirements in a mixed instances policy', () => {
    const bp = writeBlueprint(dir, 'abs', serviceBody({ instance: { cpus: 2, memory: '4GB', selection: 'requirements' } }));
    const { stack, network } = awsStack();
    new Service(network, 'web', { blueprint: bp });
    const tf = synthJson(stack);
    expect(resourceNamed(tf, 'aws_launch_template', 'web').instance_type).toBeUndefined();
    const asg = resourceNamed(tf, 'aws_autoscaling_group', 'web');
    expect(asg.launch_template).toBeUndefined();
    const req = asg.mixed_instances_policy.launch_template.override[0].instance_requirements;
    expect(req.vcpu_count.min).toBe(2);
    expect(req.memory_mib.min).toBe(4096);
  });

  test('public services sit in public subnets routed to the internet gateway; private ones behind NAT per zone', () => {
    const { stack, network } = awsStack();
    new Service(network, 'web', { blueprint: privateBp });
    new Service(network, 'lb', { blueprint: publicBp });
    const tf = synthJson(stack);
    const routes = resourcesOf(tf, 'aws_route').map(([, r]) => r);
    const toIgw = routes.filter((r) => r.gateway_id);
    const toNat = routes.filter((r) => r.nat_gateway_id);
    expect(toIgw).toHaveLength(1);
    expect(toNat).toHaveLength(3);
    expect(resourcesOf(tf, 'aws_nat_gateway')).toHaveLength(3);
    const assoc = resourcesOf(tf, 'aws_route_table_association');
    const lbAssoc = assoc.filter(([id]) => id.includes('lb'));
    lbAssoc.forEach(([, a]) => expect(a.route_table_id).toMatch(/public-routes/));
    const webAssoc = assoc.filter(([id]) => id.includes('web'));
    expect(new Set(webAssoc.map(([, a]) => a.route_table_id)).size).toBe(3);
    webAssoc.forEach(([, a]) => expect(a.route_table_id).toMatch(/private-routes-\d/));
    expect(resourceNamed(tf, 'aws_launch_template', 'lb').network_interfaces[0].associate_public_ip_address).toBe('true');
  });

  test('NAT modes: single shares one gateway, none gives private subnets no default route', () => {
    const dirN = tempDir();
    for (const [mode, gateways, routes] of [['single', 1, 1], ['none', 0, 0]] as const) {
      const netBp = writeBlueprint(dirN, `net-${mode}`, { network: { nat: mode } });
      const { stack, network } = awsStack({ blueprint: netBp });
      new Service(network, 'web', { blueprint: privateBp });
      const tf = synthJson(stack);
      expect(resourcesOf(tf, 'aws_nat_gateway')).toHaveLength(gateways);
      expect(resourcesOf(tf, 'aws_route').filter(([, r]) => r.nat_gateway_id)).toHaveLength(routes);
      expect(resourcesOf(tf, 'aws_route_table').filter(([id]) => id.includes('private'))).toHaveLength(1);
    }
  });

  test('each service has its own security group with no ingress; only Paths add ingress rules', () => {
    const { stack, network } = awsStack();
    const web = new Service(network, 'web', { blueprint: privateBp });
    new Service(network, 'lb', { blueprint: publicBp });
    let tf = synthJson(stack);
    const groups = resourcesOf(tf, 'aws_security_group');
    expect(groups).toHaveLength(2);
    groups.forEach(([, g]) => expect(g.ingress).toBeUndefined());
    expect(resourcesOf(tf, 'aws_vpc_security_group_ingress_rule')).toHaveLength(0);
    // The VPC's default group is managed with no rules at all, which empties it.
    const dflt = Object.values(tf.resource.aws_default_security_group)[0] as any;
    expect(dflt.ingress).toBeUndefined();
    expect(dflt.egress).toBeUndefined();

    new Path(Internet, web, 22);
    tf = synthJson(stack);
    const rules = resourcesOf(tf, 'aws_vpc_security_group_ingress_rule');
    expect(rules).toHaveLength(1);
    expect(rules[0][1]).toMatchObject({ cidr_ipv4: '0.0.0.0/0', from_port: 22, to_port: 22, ip_protocol: 'tcp' });
  });

  test('tags name the network and service', () => {
    const { stack, network } = awsStack();
    new Service(network, 'web', { blueprint: privateBp });
    const tf = synthJson(stack);
    const asg = resourceNamed(tf, 'aws_autoscaling_group', 'web');
    expect(asg.tag).toEqual(expect.arrayContaining([
      { key: 'butter:network', value: 'dev', propagate_at_launch: true },
      { key: 'butter:service', value: 'web', propagate_at_launch: true },
    ]));
    expect(resourceNamed(tf, 'aws_security_group', 'web').tags).toMatchObject({ 'butter:network': 'dev', 'butter:service': 'web' });
    expect(Testing.synth(stack)).toHaveResourceWithProperties({ tfResourceType: 'aws_vpc' } as any, { tags: { Name: 'dev', 'butter:network': 'dev' } });
  });

  test('privateIps come from the group instances and can feed another service template at deploy time', () => {
    const dirH = tempDir();
    const haproxy = writeBlueprint(dirH, 'haproxy', serviceBody({
      initialization: [{ path: 'haproxy.cfg', vars: { PrivateIps: { required: true } } }],
    }), { 'haproxy.cfg': 'backend web\n{% for ip in PrivateIps %}  server web{{ loop.index }} {{ ip }}:80 check\n{% endfor %}' });
    const { stack, network } = awsStack();
    const web = new Service(network, 'web', { blueprint: privateBp });
    new Service(network, 'lb', { blueprint: haproxy, templateVars: { PrivateIps: web.privateIps } });
    const tf = synthJson(stack);
    const instances = Object.entries(tf.data.aws_instances).find(([id]) => id.includes('web'))!;
    expect(instances[1].instance_tags).toEqual({ 'aws:autoscaling:groupName': expect.stringMatching(/aws_autoscaling_group\.[\w-]*web[\w-]*\.name/) });
    expect(instances[1].depends_on).toEqual([expect.stringMatching(/aws_autoscaling_group\.[\w-]*web/)]);
    const local = Object.values(tf.locals ?? {})[0] as string;
    expect(local).toContain(`data.aws_instances.${instances[0]}.private_ips`);
    expect(local).toMatch(/%\{ ?for /);
  });

  test('a required template variable left out is a clear error naming the file and key', () => {
    const dirH = tempDir();
    const haproxy = writeBlueprint(dirH, 'haproxy', serviceBody({
      initialization: [{ path: 'haproxy.cfg', vars: { PrivateIps: { required: true } } }],
    }), { 'haproxy.cfg': '{{ PrivateIps }}' });
    const { network } = awsStack();
    expect(() => new Service(network, 'lb', { blueprint: haproxy })).toThrow(expect.objectContaining({
      code: 'TEMPLATE_VAR_MISSING',
      message: expect.stringContaining('PrivateIps'),
      constructPath: 'test/dev/lb',
    }));
  });

  test('count larger than the subnets are sized for is rejected', () => {
    const { network } = awsStack();
    expect(() => new Service(network, 'web', { blueprint: privateBp, count: 49 })).toThrow(expect.objectContaining({
      code: 'SERVICE_COUNT_TOO_LARGE',
      key: 'network.subnetwork_max_instance_count',
    }));
  });
});
