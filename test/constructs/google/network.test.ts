import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack, Testing } from 'cdktf';
import { Network, Service } from '../../../constructs';
import { googleStack, googleServiceBody, synthJson, resourcesOf, resourceNamed, tempDir, writeBlueprint } from '../../helpers/synth';

describe('Network on Google Cloud', () => {
  const dir = tempDir();
  const privateBp = writeBlueprint(dir, 'private', googleServiceBody());
  const publicBp = writeBlueprint(dir, 'public', googleServiceBody({ instance: { public_ip: true, memory: '1GB', cpus: 1 } }));

  test('a custom-mode network, regional routing, default internet route kept, provider with project and region', () => {
    const { stack } = googleStack();
    const tf = synthJson(stack);
    expect(resourceNamed(tf, 'google_compute_network', 'network')).toEqual({
      name: 'dev',
      description: 'Butter network dev',
      project: 'butter-test',
      provider: 'google',
      auto_create_subnetworks: false,
      routing_mode: 'REGIONAL',
      delete_default_routes_on_create: false,
    });
    expect(tf.provider?.google).toEqual([{ project: 'butter-test', region: 'us-central1' }]);
    // The zone list Services index into: every zone of the region (a status filter would let an
    // outage shift the indexes).
    expect(Object.values(tf.data.google_compute_zones)).toEqual([{ project: 'butter-test', region: 'us-central1', provider: 'google' }]);
  });

  test('no allow rule without a Path: only an explicit, lowest-but-one priority deny-all ingress', () => {
    const { stack, network } = googleStack();
    new Service(network, 'web', { blueprint: privateBp });
    new Service(network, 'lb', { blueprint: publicBp });
    const rules = resourcesOf(synthJson(stack), 'google_compute_firewall').map(([, r]) => r);
    expect(rules).toEqual([expect.objectContaining({
      name: 'dev-deny-all-ingress',
      direction: 'INGRESS',
      priority: 65534,
      source_ranges: ['0.0.0.0/0'],
      deny: [{ protocol: 'all' }],
    })]);
    expect(rules[0].allow).toBeUndefined();
    expect(rules[0].target_tags).toBeUndefined(); // applies to every instance
  });

  test('addProvider: false adds no provider, and every resource still names its project', () => {
    const { stack, network } = googleStack({ addProvider: false });
    new Service(network, 'web', { blueprint: privateBp });
    const tf = synthJson(stack);
    expect(tf.provider).toBeUndefined();
    for (const type of Object.keys(tf.resource)) {
      for (const [id, r] of resourcesOf(tf, type)) {
        expect([id, r.provider]).toEqual([id, undefined]);
        expect([id, r.project]).toEqual([id, 'butter-test']);
      }
    }
  });

  test('networks in other regions or projects get their own, aliased provider', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'two');
    new Network(stack, 'a', { cloud: 'google', region: 'us-central1', project: 'butter-test', addressLedger: false });
    new Network(stack, 'b', { cloud: 'google', region: 'europe-west1', project: 'butter-test', addressLedger: false });
    new Network(stack, 'c', { cloud: 'google', region: 'us-central1', project: 'butter-test', addressLedger: false });
    const tf = synthJson(stack);
    expect(tf.provider?.google).toEqual([
      { project: 'butter-test', region: 'us-central1' },
      { project: 'butter-test', region: 'europe-west1', alias: 'butter-test-europe-west1' },
    ]);
    expect(resourcesOf(tf, 'google_compute_network').map(([, n]) => n.provider))
      .toEqual(['google', 'google.butter-test-europe-west1', 'google']);
  });

  test('Cloud NAT: one router and NAT for the network, created by the first private service only', () => {
    const pub = googleStack();
    new Service(pub.network, 'lb', { blueprint: publicBp });
    let tf = synthJson(pub.stack);
    expect(resourcesOf(tf, 'google_compute_router')).toHaveLength(0);
    expect(resourcesOf(tf, 'google_compute_router_nat')).toHaveLength(0);

    const both = googleStack();
    new Service(both.network, 'web', { blueprint: privateBp });
    new Service(both.network, 'api', { blueprint: privateBp });
    new Service(both.network, 'lb', { blueprint: publicBp });
    tf = synthJson(both.stack);
    const [router] = resourcesOf(tf, 'google_compute_router').map(([, r]) => r);
    expect(router).toMatchObject({ name: 'dev-router', region: 'us-central1', network: expect.stringMatching(/google_compute_network\./) });
    const nats = resourcesOf(tf, 'google_compute_router_nat').map(([, r]) => r);
    expect(nats).toEqual([expect.objectContaining({
      name: 'dev-nat',
      router: expect.stringMatching(/^\$\{google_compute_router\.[\w-]+\.name\}$/),
      nat_ip_allocate_option: 'AUTO_ONLY',
      source_subnetwork_ip_ranges_to_nat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
    })]);
  });

  test('network.nat: none gives private services no NAT; single and per-zone both mean one Cloud NAT', () => {
    const dirN = tempDir();
    for (const [mode, nats] of [['none', 0], ['single', 1], ['per-zone', 1]] as const) {
      const netBp = writeBlueprint(dirN, `net-${mode}`, { network: { nat: mode } });
      const { stack, network } = googleStack({ blueprint: netBp });
      new Service(network, 'web', { blueprint: privateBp });
      new Service(network, 'api', { blueprint: privateBp });
      expect([mode, resourcesOf(synthJson(stack), 'google_compute_router_nat').length]).toEqual([mode, nats]);
    }
  });

  test('the network blueprint sets the range services are carved from', () => {
    const netBp = writeBlueprint(tempDir(), 'net', { network: { allowed_private_cidr: '172.16.0.0/12', legacy_network_size_bits: 12 } });
    const { stack, network } = googleStack({ blueprint: netBp });
    new Service(network, 'web', { blueprint: privateBp });
    expect(network.cidr).toBe('172.16.0.0/20');
    expect(resourceNamed(synthJson(stack), 'google_compute_subnetwork', 'web').ip_cidr_range).toBe('172.16.0.0/26');
  });

  describe('stable subnets (the ledger)', () => {
    const small = writeBlueprint(dir, 'small', googleServiceBody());
    const big = writeBlueprint(dir, 'big', googleServiceBody({ network: { subnetwork_max_instance_count: 768 } }));

    /** Synthesize a fresh app with these services, in this order; return each service's subnet and IPs. */
    function synthWith(ledger: string, services: Array<[string, string]>): Record<string, string[]> {
      const app = new App({ outdir: tempDir() });
      const stack = new TerraformStack(app, 's');
      const net = new Network(stack, 'dev', { cloud: 'google', region: 'us-central1', project: 'butter-test', addressLedger: ledger });
      for (const [name, bp] of services) new Service(net, name, { blueprint: bp });
      const tf = synthJson(stack);
      app.synth(); // the ledger is written once the whole app has synthesized
      const out: Record<string, string[]> = {};
      for (const [name] of services) {
        out[name] = [
          ...resourcesOf(tf, 'google_compute_subnetwork').filter(([id]) => id.includes(`_${name}_`)).map(([, s]) => s.ip_cidr_range),
          ...resourcesOf(tf, 'google_compute_address').filter(([id]) => id.includes(`_${name}_`)).map(([, a]) => a.address),
        ];
      }
      return out;
    }

    test('adding, removing and reordering services never changes another service\'s subnet or instance IPs', () => {
      const ledger = path.join(tempDir(), 'butter.lock.json');
      const first = synthWith(ledger, [['a', small], ['b', big], ['c', small]]);
      expect(JSON.parse(fs.readFileSync(ledger, 'utf8')).networks.dev.services.b.subnets).toEqual([first.b[0]]);
      const second = synthWith(ledger, [['e', big], ['c', small], ['d', small], ['b', big]]);
      expect(second.b).toEqual(first.b);
      expect(second.c).toEqual(first.c);
      expect(second.d[0]).not.toBe(first.a[0]); // the removed service's space stays reserved
      const before = fs.readFileSync(ledger, 'utf8');
      const third = synthWith(ledger, [['a', small], ['b', big], ['c', small], ['d', small], ['e', big]]);
      expect(third).toEqual({ ...first, d: second.d, e: second.e });
      expect(fs.readFileSync(ledger, 'utf8')).toBe(before);
    });
  });
});
