import { Service, Path, Internet, Port } from '../../../constructs';
import { GOOGLE_LABEL_VALUE_PATTERN, GOOGLE_NAME_PATTERN } from '../../../src/planning/google-names';
import { cidrContains, cidrContainsIp, cidrOverlaps, parseCidr } from '../../../src/planning/ipv4';
import { CLOUD_INIT_BOUNDARY } from '../../../src/planning/templating';
import { googleStartupKey } from '../../../constructs/google/metadata';
import { googleStack, googleServiceBody, synthJson, resourcesOf, resourceNamed, tempDir, writeBlueprint, TfJson } from '../../helpers/synth';


/** Butter's Google VM metadata defaults, on every template. */
const SECURE_METADATA = { 'enable-oslogin': 'TRUE', 'block-project-ssh-keys': 'TRUE', 'serial-port-enable': 'FALSE' };
describe('Service on Google Cloud', () => {
  const dir = tempDir();
  const privateBp = writeBlueprint(dir, 'private', googleServiceBody());
  const publicBp = writeBlueprint(dir, 'public', googleServiceBody({
    instance: { public_ip: true, memory: '1GB', cpus: 1 },
    network: { subnetwork_max_instance_count: 768 },
  }));

  const template = (tf: TfJson, svc: string) => resourceNamed(tf, 'google_compute_instance_template', `_${svc}_`);
  const group = (tf: TfJson, svc: string) => resourceNamed(tf, 'google_compute_region_instance_group_manager', `_${svc}_`);
  const configs = (tf: TfJson, svc: string) =>
    resourcesOf(tf, 'google_compute_region_per_instance_config').filter(([id]) => id.includes(`_${svc}_`)).map(([, c]) => c);
  const addresses = (tf: TfJson, svc: string, kind: 'ip' | 'public-ip') =>
    resourcesOf(tf, 'google_compute_address').filter(([id]) => id.includes(`_${svc}_${kind}-`)).map(([, a]) => a);

  test('one regional subnet per service, sized for every instance after 4 reserved, inside the network block, no overlaps', () => {
    const { stack, network } = googleStack();
    new Service(network, 'web', { blueprint: privateBp }); // 48 + 4 = 52 -> /26
    new Service(network, 'lb', { blueprint: publicBp }); // 768 + 4 = 772 -> /22
    const tf = synthJson(stack);
    const subnets = resourcesOf(tf, 'google_compute_subnetwork').map(([, s]) => s);
    expect(subnets).toHaveLength(2);
    for (const s of subnets) {
      expect(cidrContains(network.cidr, s.ip_cidr_range)).toBe(true);
      expect(s).toMatchObject({ region: 'us-central1', private_ip_google_access: true });
      expect(s.network).toMatch(/^\$\{google_compute_network\.[\w-]+\.id\}$/);
    }
    expect(cidrOverlaps(subnets[0].ip_cidr_range, subnets[1].ip_cidr_range)).toBe(false);
    const web = resourceNamed(tf, 'google_compute_subnetwork', 'web');
    expect(parseCidr(web.ip_cidr_range).prefix).toBe(26);
    expect(web.name).toBe('dev-web');
    expect(parseCidr(resourceNamed(tf, 'google_compute_subnetwork', 'lb').ip_cidr_range).prefix).toBe(22);
  });

  test('the group spreads over distinct zones, strictly indexed, with a precondition on the zone count', () => {
    const { stack, network } = googleStack();
    new Service(network, 'web', { blueprint: privateBp, count: 6 });
    const g = group(synthJson(stack), 'web');
    const zones: string[] = g.distribution_policy_zones;
    expect(zones).toHaveLength(3);
    expect(new Set(zones).size).toBe(3);
    zones.forEach((z, i) => expect(z).toMatch(new RegExp(`^\\$\\{data\\.google_compute_zones\\.[\\w-]+\\.names(\\.${i}|\\[${i}\\])\\}$`)));
    expect(g.lifecycle.precondition[0].condition).toMatch(/^\$\{length\(data\.google_compute_zones\.[\w-]+\.names\) >= 3\}$/);
    expect(g.lifecycle.precondition[0].error_message).toMatch(/fewer than 3 zones: lower placement\.availability_zones/);
  });

  test('count instances (default one per zone), each created by a named per-instance config with a pinned IP', () => {
    const { stack, network } = googleStack();
    const six = new Service(network, 'six', { blueprint: privateBp, count: 6 });
    const dflt = new Service(network, 'dflt', { blueprint: privateBp });
    const tf = synthJson(stack);
    for (const [svc, service, count] of [['six', six, 6], ['dflt', dflt, 3]] as const) {
      const g = group(tf, svc);
      // The group starts empty; each config's createInstances adds one (see the renderer).
      expect(g.target_size).toBe(0);
      expect(g.lifecycle.ignore_changes).toEqual(['target_size']);
      expect(g).toMatchObject({ name: `dev-${svc}`, base_instance_name: `dev-${svc}`, region: 'us-central1' });
      expect(g.version).toEqual([{ name: 'primary', instance_template: expect.stringMatching(/google_compute_instance_template\.[\w-]+\.self_link_unique/) }]);
      const cfgs = configs(tf, svc);
      expect(cfgs).toHaveLength(count);
      expect(cfgs.map((c) => c.name)).toEqual(Array.from({ length: count }, (_, i) => `dev-${svc}-${i}`));
      const ips = addresses(tf, svc, 'ip');
      expect(ips.map((a) => a.address)).toEqual(service.privateIps);
      const subnet = resourceNamed(tf, 'google_compute_subnetwork', `_${svc}_`).ip_cidr_range;
      ips.forEach((a, i) => {
        expect(cidrContainsIp(subnet, a.address)).toBe(true);
        expect(a).toMatchObject({ address_type: 'INTERNAL', purpose: 'GCE_ENDPOINT', region: 'us-central1' });
        expect(a.subnetwork).toMatch(/google_compute_subnetwork\./);
        expect(cfgs[i]).toMatchObject({
          region_instance_group_manager: expect.stringMatching(/google_compute_region_instance_group_manager\.[\w-]+\.name/),
          minimal_action: 'REPLACE',
          remove_instance_on_destroy: true,
          preserved_state: {
            internal_ip: [{ interface_name: 'nic0', auto_delete: 'NEVER', ip_address: { address: expect.stringMatching(/google_compute_address\.[\w-]+\.self_link/) } }],
          },
        });
      });
    }
    expect(six.privateIps).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6', '10.0.0.7']);
    expect(six.instanceIds).toEqual(['dev-six-0', 'dev-six-1', 'dev-six-2', 'dev-six-3', 'dev-six-4', 'dev-six-5']);
  });

  test('rolling updates keep names and IPs: recreate in place, no surge, no redistribution', () => {
    const { stack, network } = googleStack();
    new Service(network, 'web', { blueprint: privateBp });
    expect(group(synthJson(stack), 'web').update_policy).toEqual({
      type: 'PROACTIVE',
      minimal_action: 'REPLACE',
      replacement_method: 'RECREATE',
      max_surge_fixed: 0,
      max_unavailable_fixed: 3,
      instance_redistribution_type: 'NONE',
    });
  });

  test('instance template: fitted machine type, Shielded VM, boot disk never smaller than the image, tag, labels', () => {
    const { stack, network } = googleStack();
    new Service(network, 'web', { blueprint: privateBp });
    const tf = synthJson(stack);
    const t = template(tf, 'web');
    expect(t.machine_type).toBe('e2-medium'); // cheapest x86_64 type with >= 1 vCPU and 4 GiB
    expect(t.shielded_instance_config).toEqual({ enable_secure_boot: true, enable_vtpm: true, enable_integrity_monitoring: true });
    const imageId = Object.keys(tf.data.google_compute_image)[0];
    expect(t.disk).toEqual([{
      boot: true,
      auto_delete: true,
      source_image: `\${data.google_compute_image.${imageId}.self_link}`,
      disk_type: 'pd-balanced',
      disk_size_gb: `\${max(8, data.google_compute_image.${imageId}.disk_size_gb)}`,
    }]);
    expect(t.tags).toEqual(['dev-web']);
    expect(t.labels).toEqual({ 'butter-network': 'dev', 'butter-service': 'web' });
    expect(t.name_prefix).toBe('dev-web-');
    expect(t.lifecycle).toEqual({ create_before_destroy: true });
    expect(t.service_account).toBeUndefined(); // no Google credentials on instances by default
    expect(t.scheduling).toBeUndefined();
    expect(t.guest_accelerator).toBeUndefined();
  });

  test('private services: no external IP anywhere; public ones: an access config and a reserved external IP each', () => {
    const { stack, network } = googleStack();
    const web = new Service(network, 'web', { blueprint: privateBp });
    const lb = new Service(network, 'lb', { blueprint: publicBp });
    const tf = synthJson(stack);
    expect(template(tf, 'web').network_interface).toEqual([{ subnetwork: expect.stringMatching(/google_compute_subnetwork\.[\w-]*web[\w-]*\.self_link/) }]);
    expect(addresses(tf, 'web', 'public-ip')).toHaveLength(0);
    configs(tf, 'web').forEach((c) => expect(c.preserved_state.external_ip).toBeUndefined());
    expect(web.publicIps).toEqual([]);

    expect(template(tf, 'lb').network_interface[0].access_config).toEqual([{ network_tier: 'PREMIUM' }]);
    const ext = addresses(tf, 'lb', 'public-ip');
    expect(ext).toHaveLength(3);
    ext.forEach((a) => expect(a).toMatchObject({ address_type: 'EXTERNAL', network_tier: 'PREMIUM' }));
    configs(tf, 'lb').forEach((c) => expect(c.preserved_state.external_ip).toEqual([
      { interface_name: 'nic0', auto_delete: 'NEVER', ip_address: { address: expect.stringMatching(/google_compute_address\.[\w-]*public-ip[\w-]*\.self_link/) } },
    ]));
    expect(lb.publicIps).toHaveLength(3);
    lb.publicIps.forEach((ip) => expect(ip).toMatch(/TfToken/)); // known after deploy
  });

  test('images: always looked up in a project, by family, exact name or newest name match', () => {
    const cases: Array<[object, object]> = [
      [{ google: { family: 'ubuntu-2204-lts' } }, { family: 'ubuntu-2204-lts', project: 'ubuntu-os-cloud' }],
      [{ google: { family: 'debian-12' } }, { family: 'debian-12', project: 'debian-cloud' }],
      [{ google: { name: 'ubuntu-2204-jammy-v20240501' } }, { name: 'ubuntu-2204-jammy-v20240501', project: 'ubuntu-os-cloud' }],
      [{ google: { name: 'ubuntu-2204-jammy-v2024*' } }, { filter: 'name eq ubuntu-2204-jammy-v2024.*', most_recent: true, project: 'ubuntu-os-cloud' }],
      [{ google: { family: 'my-app', project: 'my-images' } }, { family: 'my-app', project: 'my-images' }],
    ];
    for (const [image, lookup] of cases) {
      const bp = writeBlueprint(tempDir(), 'img', googleServiceBody({ image }));
      const { stack, network } = googleStack();
      new Service(network, 'web', { blueprint: bp });
      const data = Object.values(synthJson(stack).data.google_compute_image) as any[];
      expect(data).toEqual([{ ...lookup, provider: 'google' }]);
    }
  });

  test('GPUs: guest accelerators attached, and instances stop for host maintenance', () => {
    const bp = writeBlueprint(dir, 'gpu', googleServiceBody({ instance: { cpus: 1, memory: '4GB', gpu: 1 } }));
    const { stack, network } = googleStack();
    new Service(network, 'ml', { blueprint: bp });
    const t = template(synthJson(stack), 'ml');
    expect(t.machine_type).toBe('n1-standard-2');
    expect(t.guest_accelerator).toEqual([{ type: 'nvidia-tesla-t4', count: 1 }]);
    expect(t.scheduling).toEqual({ on_host_maintenance: 'TERMINATE', automatic_restart: true });
  });

  test('fitting: selection requirements gives a custom type; a pinned type is used; arm64 images get arm64 types', () => {
    const custom = writeBlueprint(dir, 'custom', googleServiceBody({ instance: { cpus: 2, memory: '5000MiB', selection: 'requirements' } }));
    const pinned = writeBlueprint(dir, 'pinned', googleServiceBody({ instance: { type: { aws: 't3.large', google: 'n2-standard-2' } } }));
    const arm = writeBlueprint(dir, 'arm', googleServiceBody({ image: { google: { family: 'ubuntu-2204-lts-arm64' } } }));
    const { stack, network } = googleStack();
    new Service(network, 'custom', { blueprint: custom });
    new Service(network, 'pinned', { blueprint: pinned });
    new Service(network, 'arm', { blueprint: arm });
    const tf = synthJson(stack);
    expect(template(tf, 'custom').machine_type).toBe('e2-custom-2-5120');
    expect(template(tf, 'pinned').machine_type).toBe('n2-standard-2');
    expect(template(tf, 'arm').machine_type).toBe('t2a-standard-1');
  });

  test('more disks: blank persistent disks; AWS device paths are left to Google', () => {
    const bp = writeBlueprint(dir, 'disks', googleServiceBody({
      instance: {
        disks: [
          { size: '20GB', type: 'ssd', device_name: '/dev/sda1' },
          { size: '100GB', type: 'magnetic', device_name: 'data' },
          { size: '50GB', type: 'pd-extreme' },
        ],
      },
    }));
    const { stack, network } = googleStack();
    new Service(network, 'db', { blueprint: bp });
    const disks = template(synthJson(stack), 'db').disk;
    expect(disks).toHaveLength(3);
    expect(disks[0]).toMatchObject({ boot: true, disk_type: 'pd-ssd', disk_size_gb: expect.stringMatching(/^\$\{max\(20, /) });
    expect(disks[0].device_name).toBeUndefined();
    expect(disks[1]).toEqual({ boot: false, auto_delete: true, type: 'PERSISTENT', disk_type: 'pd-standard', disk_size_gb: 100, device_name: 'data' });
    expect(disks[2]).toEqual({ boot: false, auto_delete: true, type: 'PERSISTENT', disk_type: 'pd-extreme', disk_size_gb: 50 });
  });

  test('no disks: the boot disk is the image\'s own size', () => {
    const bp = writeBlueprint(dir, 'nodisk', googleServiceBody({ instance: { cpus: 1, memory: '4GB' } }));
    const { stack, network } = googleStack();
    new Service(network, 'web', { blueprint: bp });
    const [boot] = template(synthJson(stack), 'web').disk;
    expect(boot.disk_size_gb).toBeUndefined();
    expect(boot).toMatchObject({ boot: true, disk_type: 'pd-balanced' });
  });

  describe('startup metadata', () => {
    test('a shell script is a startup-script (escaped for Terraform, through a local)', () => {
      const bp = writeBlueprint(dir, 'sh', googleServiceBody({ initialization: [{ path: 'init.sh' }] }), { 'init.sh': '#!/bin/sh\necho hello ${HOME}\n' });
      const { stack, network } = googleStack();
      new Service(network, 'web', { blueprint: bp });
      const tf = synthJson(stack);
      expect(template(tf, 'web').metadata).toEqual({ ...SECURE_METADATA, 'startup-script': expect.stringMatching(/^\$\{local\.[\w-]+\}$/) });
      expect(Object.values(tf.locals ?? {})).toEqual(['#!/bin/sh\necho hello $${HOME}\n']);
    });

    test('a cloud-config, or several scripts (cloud-init multipart), is user-data for cloud-init', () => {
      const bp = writeBlueprint(dir, 'multi', googleServiceBody({ initialization: [{ path: 'a.sh' }, { path: 'b.yml' }] }), {
        'a.sh': '#!/bin/sh\necho a\n',
        'b.yml': '#cloud-config\npackages: [nginx]\n',
      });
      const { stack, network } = googleStack();
      new Service(network, 'web', { blueprint: bp });
      const tf = synthJson(stack);
      expect(Object.keys(template(tf, 'web').metadata).filter((k) => !(k in SECURE_METADATA))).toEqual(['user-data']);
      expect(Object.values(tf.locals ?? {})[0]).toContain(CLOUD_INIT_BOUNDARY);
    });

    test('no initialization: no metadata', () => {
      const { stack, network } = googleStack();
      new Service(network, 'web', { blueprint: privateBp });
      // Only Butter's secure defaults (OS Login, project SSH keys blocked, serial port off).
      expect(template(synthJson(stack), 'web').metadata).toEqual(SECURE_METADATA);
    });

    test.each([
      ['#!/bin/bash\necho hi\n', 'startup-script'],
      ['echo hi\n', 'startup-script'],
      ['#cloud-config\npackages: [nginx]\n', 'user-data'],
      [`Content-Type: multipart/mixed; boundary="${CLOUD_INIT_BOUNDARY}"\nMIME-Version: 1.0\n`, 'user-data'],
      ['#include\nhttps://example.com/x\n', 'user-data'],
    ])('googleStartupKey(%j) is %s', (text, key) => {
      expect(googleStartupKey(text)).toBe(key);
    });
  });

  test('private IPs are plain at synth time, so another service\'s template renders them directly', () => {
    const haproxy = writeBlueprint(tempDir(), 'haproxy', googleServiceBody({
      initialization: [{ path: 'haproxy.cfg', vars: { PrivateIps: { required: true } } }],
    }), { 'haproxy.cfg': '#cloud-config\n{% for ip in PrivateIps %}server web{{ loop.index }} {{ ip }}:80 check\n{% endfor %}' });
    const { stack, network } = googleStack();
    const web = new Service(network, 'web', { blueprint: privateBp, count: 2 });
    new Service(network, 'lb', { blueprint: haproxy, templateVars: { PrivateIps: web.privateIps } });
    const tf = synthJson(stack);
    const lbScript = Object.entries(tf.locals ?? {}).find(([id]) => id.includes('_lb_'))![1];
    expect(lbScript).toBe('#cloud-config\nserver web1 10.0.0.2:80 check\nserver web2 10.0.0.3:80 check\n');
  });

  test('long and odd service names: every Google name is valid, within its limit, unique and stable', () => {
    const odd = `${'Very_Long.Service '.repeat(12).slice(0, 199)}!`;
    expect(odd).toHaveLength(200);
    const build = () => {
      const { stack, network } = googleStack();
      const long = new Service(network, odd, { blueprint: publicBp, count: 4 });
      const web = new Service(network, 'web', { blueprint: privateBp });
      new Path(Internet, long, 80);
      new Path(long, web, Port.tcpRange(8000, 8080));
      return synthJson(stack);
    };
    const tf = build();
    const names: Array<[string, string, number]> = [];
    for (const type of Object.keys(tf.resource)) {
      for (const [id, r] of resourcesOf(tf, type)) {
        if (r.name !== undefined) names.push([type, r.name, 63]);
        if (r.base_instance_name !== undefined) names.push([`${type}.base`, r.base_instance_name, 58]);
        if (r.name_prefix !== undefined) names.push([`${type}.prefix`, `${r.name_prefix}x`, 38]);
        for (const tag of r.tags ?? []) names.push([`tag ${id}`, tag, 63]);
        for (const value of Object.values(r.labels ?? {}) as string[]) expect(value).toMatch(GOOGLE_LABEL_VALUE_PATTERN);
      }
    }
    for (const [, name, max] of names) {
      expect(name).toMatch(GOOGLE_NAME_PATTERN);
      expect(name.length).toBeLessThanOrEqual(max);
    }
    expect(names.filter(([type]) => type === 'google_compute_firewall')).toHaveLength(3);
    // Unique per resource type.
    const keys = names.map(([type, name]) => `${type} ${name}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Stable: the same app synthesizes the same names.
    const again = build();
    expect(resourcesOf(again, 'google_compute_region_per_instance_config').map(([, c]) => c.name))
      .toEqual(resourcesOf(tf, 'google_compute_region_per_instance_config').map(([, c]) => c.name));
  });

  test('count larger than the subnet is sized for is rejected', () => {
    const { network } = googleStack();
    expect(() => new Service(network, 'web', { blueprint: privateBp, count: 49 })).toThrow(expect.objectContaining({
      code: 'SERVICE_COUNT_TOO_LARGE',
      key: 'network.subnetwork_max_instance_count',
    }));
  });
});
