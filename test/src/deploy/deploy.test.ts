import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { Network, Service, Path, Internet } from '../../../constructs';
import { haproxyExample } from '../../../example-blueprints/stacks';
import { cidrContains, cidrOverlaps } from '../../../src/planning/ipv4';
import { MockProject } from './helpers';
import { tempDir, writeBlueprint, serviceBody } from '../../helpers/synth';

/**
 * The seed's tests, through the real terraform binary against the mock cloud: what the
 * constructs synthesize must deploy, and the result must be what the blueprint asked for.
 */
describe('deploying to the mock cloud', () => {
  let project: MockProject;
  const bpDir = tempDir();
  const bp = writeBlueprint(bpDir, 'svc', serviceBody({ network: { subnetwork_max_instance_count: 48 } }));
  const bigger = writeBlueprint(bpDir, 'bigger', serviceBody({ network: { subnetwork_max_instance_count: 96 } }));

  beforeAll(async () => {
    project = await MockProject.create();
  });
  afterAll(async () => project?.close());

  /** One network with the given services (name → [blueprint, count]) and paths. */
  const build = (services: Record<string, [string, number]>, paths: Array<[string, string, number]> = []) => (app: App) => {
    const stack = new TerraformStack(app, 'svc');
    const net = new Network(stack, 'dev', { cloud: 'aws', region: 'us-east-1', addressLedger: path.join(project.dir, 'butter.lock.json') });
    const made: Record<string, Service> = {};
    for (const [name, [blueprint, count]] of Object.entries(services)) made[name] = new Service(net, name, { blueprint, count });
    for (const [from, to, port] of paths) new Path(from === 'internet' ? Internet : made[from], made[to], port);
  };

  test('seed service test: two services of 3 and 6 instances over 3 zones, subnets apart in one VPC; destroying one leaves the other', async () => {
    const [outcome] = await project.run('deploy', build({ small: [bp, 3], large: [bp, 6] }));
    expect(outcome.summary).toMatch(/^Apply complete! Resources: \d+ added, 0 changed, 0 destroyed\.$/);
    const [net] = project.inventory(['svc']).networks;
    expect(net.services.map((s) => [s.name, s.instances.length])).toEqual([['large', 6], ['small', 3]]);
    for (const s of net.services) {
      expect(new Set(s.instances.map((i) => i.zone)).size).toBe(3);
      expect(new Set(s.subnets.map((x) => x.zone)).size).toBe(3);
      for (const sub of s.subnets) expect(cidrContains(net.cidr!, sub.cidr)).toBe(true);
      // Every instance's address lies in its zone's subnet.
      for (const i of s.instances) {
        const subnet = s.subnets.find((x) => x.zone === i.zone)!;
        expect(cidrContains(subnet.cidr, `${i.privateIp}/32`)).toBe(true);
      }
    }
    const all = net.services.flatMap((s) => s.subnets.map((x) => x.cidr));
    for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) expect(cidrOverlaps(all[i], all[j])).toBe(false);
    expect(project.awsObjects('vpc')).toHaveLength(1);

    // The plan right after apply shows no changes.
    const [plan] = await project.run('plan');
    expect(plan.changes).toBe(false);

    // Remove "small": its instances go, "large" keeps the very same instances and subnets.
    const large = net.services.find((s) => s.name === 'large')!;
    await project.run('deploy', build({ large: [bp, 6] }));
    const [after] = project.inventory(['svc']).networks;
    expect(after.services.map((s) => s.name)).toEqual(['large']);
    expect(after.services[0].instances.map((i) => i.id).sort()).toEqual(large.instances.map((i) => i.id).sort());
    expect(after.services[0].subnets).toEqual(large.subnets);
    expect(project.awsObjects('instance')).toHaveLength(6);
  });

  test('update in place (count) and replacement (a resized service moves to new subnets)', async () => {
    // count 6 -> 4: the group is updated in place and terminates two instances.
    let [outcome] = await project.run('deploy', build({ large: [bp, 4] }));
    expect(outcome.summary).toMatch(/0 added, [1-9]\d* changed, 0 destroyed/);
    expect(project.awsObjects('instance')).toHaveLength(4);

    // A bigger blueprint: new subnets are created first, the instances move, the old ones go.
    const before = project.inventory(['svc']).networks[0].services[0];
    [outcome] = await project.run('deploy', build({ large: [bigger, 4] }));
    expect(outcome.summary).toMatch(/[1-9]\d* added, \d+ changed, [1-9]\d* destroyed/);
    const after = project.inventory(['svc']).networks[0].services[0];
    expect(after.subnets.map((s) => s.cidr)).not.toEqual(before.subnets.map((s) => s.cidr));
    for (const i of after.instances) {
      expect(after.subnets.some((s) => cidrContains(s.cidr, `${i.privateIp}/32`))).toBe(true);
    }
    expect(project.awsObjects('subnet').filter((s: any) => s.tags?.['butter:service'] === 'large')).toHaveLength(3);
  });

  test('seed paths test: no ingress before a Path, a rule after adding it, gone after removing it', async () => {
    const ingress = () => project.awsObjects('security_group_rule').filter((r: any) => r.type === 'ingress' || r.is_egress === false);
    await project.run('deploy', build({ a: [bp, 1], b: [bp, 1] }));
    expect(ingress()).toHaveLength(0);

    await project.run('deploy', build({ a: [bp, 1], b: [bp, 1] }, [['a', 'b', 80], ['internet', 'a', 443]]));
    const paths = project.inventory(['svc']).networks[0].paths.map((p) => `${p.source}>${p.destination}:${p.protocol}:${p.from}`);
    expect(paths).toEqual(['0.0.0.0/0>a:tcp:443', 'a>b:tcp:80']);
    expect(ingress()).toHaveLength(2);

    await project.run('deploy', build({ a: [bp, 1], b: [bp, 1] }));
    expect(project.inventory(['svc']).networks[0].paths).toEqual([]);
    expect(ingress()).toHaveLength(0);
  });

  test('destroy removes everything and is idempotent', async () => {
    const [outcome] = await project.run('destroy');
    expect(outcome.summary).toMatch(/^Destroy complete! Resources: [1-9]\d* destroyed\.$/);
    for (const kind of ['vpc', 'subnet', 'instance', 'security_group', 'autoscaling_group', 'nat_gateway']) {
      expect(project.awsObjects(kind)).toEqual([]);
    }
    const [again] = await project.run('destroy');
    expect(again.summary).toMatch(/Resources: 0 destroyed/);
  });

  test('the HAProxy example: lb user data lists exactly the nginx instances\' private IPs', async () => {
    await project.run('deploy', (app) => haproxyExample(app, 'example', 'aws', { addressLedger: false }));
    const [net] = project.inventory(['example']).networks;
    const web = net.services.find((s) => s.name === 'web')!;
    const webIps = web.instances.map((i) => i.privateIp!).sort();
    expect(webIps).toHaveLength(6);
    const lbInstances = project.awsObjects('instance').filter((i: any) => i.tags['butter:service'] === 'lb');
    expect(lbInstances).toHaveLength(3);
    for (const i of lbInstances) {
      const servers = [...(i.user_data as string).matchAll(/server web\d+ ([\d.]+):80 check/g)].map((m) => m[1]).sort();
      expect(servers).toEqual(webIps);
      expect(i.public_ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    }
    for (const i of project.awsObjects('instance').filter((x: any) => x.tags['butter:service'] === 'web')) {
      expect(i.public_ip).toBeNull();
      expect(i.metadata_http_tokens).toBe('required');
    }
    await project.run('destroy');
    expect(project.awsObjects('instance')).toEqual([]);
  });
});

describe('a stack with networks in two regions', () => {
  test('each provider configuration answers with its own region (plugin processes, not one reattached server)', async () => {
    const project = await MockProject.create();
    try {
      await project.run('deploy', (app) => {
        const s = new TerraformStack(app, 'two');
        new Network(s, 'east', { cloud: 'aws', region: 'us-east-1', addressLedger: false });
        new Network(s, 'west', { cloud: 'aws', region: 'eu-west-1', addressLedger: false });
      });
      expect(project.awsObjects('vpc').map((v: any) => `${v.tags.Name}:${v.region}`).sort()).toEqual(['east:us-east-1', 'west:eu-west-1']);
    } finally {
      await project.close();
    }
  });
});

describe('the HAProxy example on the mock Google cloud', () => {
  test('6 web instances over 3 zones on their pinned IPs, lb metadata lists them, paths read back from state', async () => {
    const project = await MockProject.create();
    try {
      await project.run('deploy', (app) => haproxyExample(app, 'gce', 'google', { addressLedger: false }));
      const [net] = project.inventory(['gce']).networks;
      expect(net.cloud).toBe('google');
      const web = net.services.find((s) => s.name === 'web')!;
      expect(web.instances).toHaveLength(6);
      expect(new Set(web.instances.map((i) => i.zone)).size).toBe(3);
      for (const i of web.instances) {
        expect(cidrContains(web.subnets[0].cidr, `${i.privateIp}/32`)).toBe(true);
        expect(i.publicIp).toBeUndefined();
      }
      const webIps = web.instances.map((i) => i.privateIp).sort();
      const lb = project.objects('google', 'instance').filter((i: any) => String(i.name).startsWith('dev-lb-'));
      expect(lb).toHaveLength(3);
      for (const i of lb) {
        const metadata = JSON.stringify(i.metadata);
        const servers = [...metadata.matchAll(/server web\d+ ([\d.]+):80 check/g)].map((m) => m[1]).sort();
        expect(servers).toEqual(webIps);
      }
      expect(net.paths.map((p) => `${p.source}>${p.destination}:${p.protocol}:${p.from}`))
        .toEqual(['0.0.0.0/0>lb:tcp:80', '0.0.0.0/0>lb:tcp:443', 'lb>web:tcp:80']);
      const [plan] = await project.run('plan');
      expect(plan.changes).toBe(false);
      await project.run('destroy');
      expect(project.objects('google', 'instance')).toEqual([]);
    } finally {
      await project.close();
    }
  });
});
