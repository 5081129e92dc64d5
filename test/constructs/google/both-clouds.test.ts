import { Testing, TerraformStack } from 'cdktf';
import { Network, Service, Path, Internet, Port } from '../../../constructs';
import type { CloudName } from '../../../src/blueprint/types';
import { synthJson, tempDir, writeBlueprint, googleServiceBody, TfJson } from '../../helpers/synth';

/**
 * One program, one set of blueprints, both clouds: the same Network/Service/Path code must give
 * a complete deployment on each (every kind of resource the cloud needs), with the same Paths.
 */
describe('one blueprint, both clouds', () => {
  const dir = tempDir();
  const web = writeBlueprint(dir, 'web', googleServiceBody({ initialization: [{ path: 'nginx.sh' }] }), {
    'nginx.sh': '#!/bin/sh\napt-get install -y nginx\n',
  });
  const lb = writeBlueprint(dir, 'lb', googleServiceBody({
    instance: { public_ip: true, memory: '2GB', cpus: 1, disks: [{ size: '10GB' }] },
    initialization: [{ path: 'haproxy.cfg', vars: { PrivateIps: { required: true } } }],
  }), { 'haproxy.cfg': '#cloud-config\n{% for ip in PrivateIps %}# backend {{ ip }}\n{% endfor %}' });

  function build(cloud: CloudName): { tf: TfJson; services: Record<string, Service> } {
    const app = Testing.app();
    const stack = new TerraformStack(app, cloud);
    const net = new Network(stack, 'dev', {
      cloud,
      region: cloud === 'aws' ? 'us-east-1' : 'us-central1',
      project: cloud === 'google' ? 'butter-test' : undefined,
      addressLedger: false,
    });
    const w = new Service(net, 'web', { blueprint: web, count: 6 });
    const l = new Service(net, 'lb', { blueprint: lb, templateVars: { PrivateIps: w.privateIps } });
    new Path(l, w, 80);
    new Path(Internet, l, 80);
    new Path(Internet, l, Port.tcp(443));
    return { tf: synthJson(stack), services: { web: w, lb: l } };
  }

  const expected: Record<CloudName, { resources: string[]; data: string[]; provider: string }> = {
    aws: {
      resources: [
        'aws_vpc', 'aws_default_security_group', 'aws_internet_gateway', 'aws_route_table', 'aws_route',
        'aws_subnet', 'aws_route_table_association', 'aws_eip', 'aws_nat_gateway', 'aws_security_group',
        'aws_vpc_security_group_egress_rule', 'aws_vpc_security_group_ingress_rule', 'aws_launch_template',
        'aws_autoscaling_group',
      ],
      data: ['aws_availability_zones', 'aws_ami', 'aws_instances'],
      provider: 'aws',
    },
    google: {
      resources: [
        'google_compute_network', 'google_compute_firewall', 'google_compute_subnetwork', 'google_compute_router',
        'google_compute_router_nat', 'google_compute_instance_template', 'google_compute_region_instance_group_manager',
        'google_compute_address', 'google_compute_region_per_instance_config',
      ],
      data: ['google_compute_zones', 'google_compute_image'],
      provider: 'google',
    },
  };

  test.each(['aws', 'google'] as const)('%s: every expected resource type is there, and nothing of the other cloud', (cloud) => {
    const { tf } = build(cloud);
    const want = expected[cloud];
    expect(Object.keys(tf.resource).sort()).toEqual([...want.resources].sort());
    expect(Object.keys(tf.data).sort()).toEqual([...want.data].sort());
    expect(Object.keys(tf.provider ?? {})).toEqual([want.provider]);
  });

  test('both: the same instance counts, the same Paths, the same startup scripts', () => {
    const aws = build('aws');
    const google = build('google');
    // Counts: 6 web instances, 3 lb (one per zone).
    const asg = Object.values(aws.tf.resource.aws_autoscaling_group).map((g: any) => g.desired_capacity).sort();
    expect(asg).toEqual([3, 6]);
    const configs = Object.values(google.tf.resource.google_compute_region_per_instance_config).map((c: any) => c.name);
    expect(configs.filter((n: string) => n.startsWith('dev-web-'))).toHaveLength(6);
    expect(configs.filter((n: string) => n.startsWith('dev-lb-'))).toHaveLength(3);
    // Paths: three ingress rules on each cloud (plus Google's explicit deny-all).
    expect(Object.keys(aws.tf.resource.aws_vpc_security_group_ingress_rule)).toHaveLength(3);
    const fw = Object.values(google.tf.resource.google_compute_firewall) as any[];
    expect(fw.filter((r) => r.allow)).toHaveLength(3);
    expect(fw.filter((r) => r.deny)).toHaveLength(1);
    // The lb script lists the web IPs: a Terraform loop on AWS, the pinned addresses on Google.
    const lbLocal = (tf: TfJson) => Object.entries(tf.locals ?? {}).find(([id]) => id.includes('_lb_'))![1] as string;
    expect(lbLocal(aws.tf)).toMatch(/%\{ ?for /);
    expect(lbLocal(google.tf)).toBe(`#cloud-config\n${google.services.web.privateIps.map((ip) => `# backend ${ip}\n`).join('')}`);
    // Public and private as declared on both.
    expect(Object.values(aws.tf.resource.aws_launch_template).map((t: any) => t.network_interfaces[0].associate_public_ip_address).sort())
      .toEqual(['false', 'true']);
    expect(Object.values(google.tf.resource.google_compute_instance_template).map((t: any) => Boolean(t.network_interface[0].access_config)).sort())
      .toEqual([false, true]);
  });
});
