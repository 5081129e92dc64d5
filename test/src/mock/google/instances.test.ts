import { ObjectValue } from '../../../../src/mock/values/value';
import { baseNetwork, GoogleHarness, groupConfig, templateConfig } from './helpers';

/** The VMs regional managed instance groups make, and how per-instance configs add and remove them. */
describe('simulated instance groups', () => {
  let g: GoogleHarness;
  let subnet: ObjectValue;
  beforeEach(async () => {
    g = new GoogleHarness();
    await g.configure();
    ({ subnet } = await baseNetwork(g, { range: '10.0.0.0/24' }));
  });
  afterEach(() => g.cleanup());

  const instances = () => g.list<Record<string, any>>('instance');
  const groupRecord = () => g.list<Record<string, any>>('instance_group_manager')[0];

  test('target_size instances spread round-robin over the zones, on the lowest free IPs', async () => {
    const template = await g.must('google_compute_instance_template', templateConfig(subnet));
    const group = await g.must('google_compute_region_instance_group_manager', groupConfig(template, { target_size: 5 }));
    expect(group).toMatchObject({
      target_size: 5,
      instance_group: 'https://www.googleapis.com/compute/v1/projects/test-project/regions/us-central1/instanceGroups/web',
      self_link: 'https://www.googleapis.com/compute/v1/projects/test-project/regions/us-central1/instanceGroupManagers/web',
      distribution_policy_target_shape: 'EVEN',
      update_policy: [expect.objectContaining({ max_surge_fixed: 0, max_unavailable_fixed: 3 })],
      status: [expect.objectContaining({ is_stable: true, version_target: [{ is_reached: true }] })],
    });
    expect(group.fingerprint).toMatch(/^[A-Za-z0-9+/]{11}=$/);
    const all = instances();
    expect(all).toHaveLength(5);
    const zones = all.map((i) => i.zone);
    expect(zones.filter((z) => z === 'us-central1-a')).toHaveLength(2);
    expect(zones.filter((z) => z === 'us-central1-b')).toHaveLength(2);
    expect(zones.filter((z) => z === 'us-central1-c')).toHaveLength(1);
    expect(all.map((i) => i.private_ip).sort()).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
    for (const i of all) {
      expect(i.name).toMatch(/^web-[a-z0-9]{4}$/);
      expect(i).toMatchObject({
        status: 'RUNNING', machine_type: 'e2-medium', tags: ['web'], public_ip: null, instance_group_manager: group.id,
        metadata: { 'startup-script': '#!/bin/sh\necho hi\n' }, boot_image: 'https://www.googleapis.com/compute/v1/projects/debian-cloud/global/images/debian-12-bookworm-v20241210',
      });
      expect(i.id).toBe(`projects/test-project/zones/${i.zone}/instances/${i.name}`);
    }

    // Resizing in place adds and removes instances.
    const smaller = await g.update('google_compute_region_instance_group_manager', group, { ...group, target_size: 2 });
    expect(smaller.errors).toEqual([]);
    expect(instances()).toHaveLength(2);
    expect(smaller.state?.fingerprint).not.toEqual(group.fingerprint);
    expect(await g.destroy('google_compute_region_instance_group_manager', smaller.state!)).toEqual([]);
    expect(instances()).toEqual([]);
  });

  test('a template with an access config gives instances public IPs', async () => {
    const template = await g.must('google_compute_instance_template', templateConfig(subnet, {}, true));
    await g.must('google_compute_region_instance_group_manager', groupConfig(template, { target_size: 2 }));
    const ips = instances().map((i) => i.public_ip);
    expect(ips.every((ip) => /^34\.\d+\.\d+\.\d+$/.test(ip))).toBe(true);
    expect(new Set(ips).size).toBe(2);
  });

  test('Butter\'s flow: target_size 0, one instance per per-instance config, on the pinned addresses', async () => {
    const template = await g.must('google_compute_instance_template', templateConfig(subnet, {}, true));
    const group = await g.must('google_compute_region_instance_group_manager', groupConfig(template));
    expect(instances()).toEqual([]);
    const configs: ObjectValue[] = [];
    for (const i of [0, 1, 2, 3]) {
      const internal = await g.must('google_compute_address', {
        name: `ip-${i}`, address_type: 'INTERNAL', purpose: 'GCE_ENDPOINT', subnetwork: subnet.id, address: `10.0.0.${20 + i}`,
      });
      const external = await g.must('google_compute_address', { name: `pub-${i}`, address_type: 'EXTERNAL', network_tier: 'PREMIUM' });
      configs.push(await g.must('google_compute_region_per_instance_config', {
        name: `web-${i}`, region_instance_group_manager: group.name, minimal_action: 'REPLACE', remove_instance_on_destroy: true,
        preserved_state: [{
          internal_ip: [{ interface_name: 'nic0', auto_delete: 'NEVER', ip_address: [{ address: internal.self_link }] }],
          external_ip: [{ interface_name: 'nic0', auto_delete: 'NEVER', ip_address: [{ address: external.self_link }] }],
        }],
      }));
      const vm = instances().find((v) => v.name === `web-${i}`);
      expect(vm).toMatchObject({ private_ip: `10.0.0.${20 + i}`, public_ip: external.address, per_instance_config: `web-${i}` });
      // The reservations now show their user.
      expect((await g.read('google_compute_address', internal))?.users).toEqual([vm!.self_link]);
    }
    expect(configs[0].id).toBe('test-project/us-central1/web/web-0');
    expect(instances().map((i) => i.zone).sort()).toEqual(['us-central1-a', 'us-central1-a', 'us-central1-b', 'us-central1-c']);
    expect(groupRecord().target_size).toBe(4);
    const refreshed = await g.read('google_compute_region_instance_group_manager', group);
    expect(refreshed).toMatchObject({ target_size: 4, status: [expect.objectContaining({ stateful: [expect.objectContaining({ has_stateful_config: true })] })] });

    // Deleting a config with remove_instance_on_destroy removes its instance and shrinks the group.
    expect(await g.destroy('google_compute_region_per_instance_config', configs[3])).toEqual([]);
    expect(instances()).toHaveLength(3);
    expect(groupRecord().target_size).toBe(3);

    // Without it the instance stays, unpinned.
    const keep = { ...configs[2], remove_instance_on_destroy: false };
    expect(await g.destroy('google_compute_region_per_instance_config', keep)).toEqual([]);
    expect(instances().find((i) => i.name === 'web-2')).toMatchObject({ per_instance_config: null, internal_address: null });
    expect(groupRecord().target_size).toBe(3);
  });

  test('a changed preserved address recreates the instance on it', async () => {
    const template = await g.must('google_compute_instance_template', templateConfig(subnet));
    const group = await g.must('google_compute_region_instance_group_manager', groupConfig(template));
    const a = await g.must('google_compute_address', { name: 'a', address_type: 'INTERNAL', subnetwork: subnet.id, address: '10.0.0.50' });
    const b = await g.must('google_compute_address', { name: 'b', address_type: 'INTERNAL', subnetwork: subnet.id, address: '10.0.0.51' });
    const pinned = (address: ObjectValue) => ({
      name: 'web-0', region_instance_group_manager: group.name, minimal_action: 'REPLACE',
      preserved_state: [{ internal_ip: [{ interface_name: 'nic0', ip_address: [{ address: address.self_link }] }] }],
    });
    const config = await g.must('google_compute_region_per_instance_config', pinned(a));
    const before = instances()[0];
    const moved = await g.update('google_compute_region_per_instance_config', config, { ...config, ...pinned(b) });
    expect(moved.errors).toEqual([]);
    const after = instances()[0];
    expect(after).toMatchObject({ name: 'web-0', zone: before.zone, private_ip: '10.0.0.51', internal_address: b.id });
    expect(after.instance_id).not.toEqual(before.instance_id);
  });

  test('a pinned address must be in the template\'s subnetwork', async () => {
    const network = await g.must('google_compute_network', { name: 'other', auto_create_subnetworks: false });
    const other = await g.must('google_compute_subnetwork', { name: 'other-sub', network: network.id, ip_cidr_range: '10.9.0.0/24' });
    const template = await g.must('google_compute_instance_template', templateConfig(subnet));
    const group = await g.must('google_compute_region_instance_group_manager', groupConfig(template));
    const elsewhere = await g.must('google_compute_address', { name: 'x', address_type: 'INTERNAL', subnetwork: other.id, address: '10.9.0.5' });
    const r = await g.create('google_compute_region_per_instance_config', {
      name: 'web-0', region_instance_group_manager: group.name,
      preserved_state: [{ internal_ip: [{ interface_name: 'nic0', ip_address: [{ address: elsewhere.self_link }] }] }],
    });
    expect(r.errors[0]).toContain("not in the instance's subnetwork");
    expect(instances()).toEqual([]);
  });

  test('ON_PERMANENT_INSTANCE_DELETION releases the reservation with the instance', async () => {
    const template = await g.must('google_compute_instance_template', templateConfig(subnet));
    const group = await g.must('google_compute_region_instance_group_manager', groupConfig(template));
    const ip = await g.must('google_compute_address', { name: 'ip', address_type: 'INTERNAL', subnetwork: subnet.id, address: '10.0.0.9' });
    const config = await g.must('google_compute_region_per_instance_config', {
      name: 'web-0', region_instance_group_manager: group.name, remove_instance_on_destroy: true,
      preserved_state: [{ internal_ip: [{ interface_name: 'nic0', auto_delete: 'ON_PERMANENT_INSTANCE_DELETION', ip_address: [{ address: ip.self_link }] }] }],
    });
    expect(await g.destroy('google_compute_region_per_instance_config', config)).toEqual([]);
    expect(g.list('address')).toEqual([]);
    // Terraform then finds its address gone and would plan to create it again.
    expect(await g.read('google_compute_address', ip)).toBeNull();
  });

  test('a new template rolls out to every instance (PROACTIVE); OPPORTUNISTIC leaves them be', async () => {
    const one = await g.must('google_compute_instance_template', templateConfig(subnet));
    const two = await g.must('google_compute_instance_template', templateConfig(subnet, { metadata: { 'user-data': '#cloud-config\n' }, machine_type: 'e2-standard-2' }));
    const group = await g.must('google_compute_region_instance_group_manager', groupConfig(one, { target_size: 3 }));
    const names = instances().map((i) => i.name).sort();
    const rolled = await g.update('google_compute_region_instance_group_manager', group, {
      ...group, version: [{ name: 'primary', instance_template: two.self_link_unique, target_size: [] }],
    });
    expect(rolled.errors).toEqual([]);
    expect(instances().map((i) => i.name).sort()).toEqual(names);
    expect(instances().every((i) => i.machine_type === 'e2-standard-2' && i.metadata['user-data'] === '#cloud-config\n' && i.instance_template === two.id)).toBe(true);

    const lazy = await g.update('google_compute_region_instance_group_manager', rolled.state!, {
      ...rolled.state!,
      version: [{ name: 'primary', instance_template: one.self_link_unique, target_size: [] }],
      update_policy: [{ type: 'OPPORTUNISTIC', minimal_action: 'NONE', instance_redistribution_type: 'NONE' }],
    });
    expect(lazy.errors).toEqual([]);
    expect(instances().every((i) => i.instance_template === two.id)).toBe(true);
    expect(lazy.state?.status).toEqual([expect.objectContaining({ version_target: [{ is_reached: false }] })]);
  });

  test('a group refers to its template by self_link_unique: a recreated template of the same name is another one', async () => {
    const one = await g.must('google_compute_instance_template', templateConfig(subnet, { name: 'tpl', name_prefix: null }));
    expect(await g.destroy('google_compute_instance_template', one)).toEqual([]);
    await g.must('google_compute_instance_template', templateConfig(subnet, { name: 'tpl', name_prefix: null }));
    const r = await g.create('google_compute_region_instance_group_manager', groupConfig(one));
    expect(r.errors[0]).toContain("The resource 'projects/test-project/global/instanceTemplates/tpl' was not found");
  });

  test('deleting the group deletes its instances and configs; refresh then finds the configs gone', async () => {
    const template = await g.must('google_compute_instance_template', templateConfig(subnet));
    const group = await g.must('google_compute_region_instance_group_manager', groupConfig(template, { target_size: 1 }));
    const config = await g.must('google_compute_region_per_instance_config', { name: 'web-0', region_instance_group_manager: group.name });
    expect(instances()).toHaveLength(2);
    expect(await g.destroy('google_compute_region_instance_group_manager', group)).toEqual([]);
    expect(instances()).toEqual([]);
    expect(await g.read('google_compute_region_per_instance_config', config)).toBeNull();
  });
});
