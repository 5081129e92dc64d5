import { ObjectValue } from '../../../../src/mock/values/value';
import { baseNetwork, GoogleHarness, groupConfig, templateConfig } from './helpers';

/**
 * One test per rule the simulated Compute Engine enforces, against the resource types through
 * the provider service (plan, then apply), each with the meaning of Google's own error.
 */
describe('simulated Google Cloud rules', () => {
  let g: GoogleHarness;
  beforeEach(async () => {
    g = new GoogleHarness();
    expect(await g.configure()).toEqual([]);
  });
  afterEach(() => g.cleanup());

  describe('names', () => {
    test.each([
      ['google_compute_network', { name: 'Bad_Name' }],
      ['google_compute_network', { name: '1starts-with-digit' }],
      ['google_compute_network', { name: 'ends-with-dash-' }],
      ['google_compute_network', { name: `n${'x'.repeat(63)}` }],
    ])('%s %j: Invalid value for field resource.name', async (type, config) => {
      expect(await g.refusal(type, config)).toMatch(
        /^Error creating Network: googleapi: Error 400: Invalid value for field 'resource\.name': '.*'\. Must be a match of regex '\(\?:\[a-z\]\(\?:\[-a-z0-9\]\{0,61\}\[a-z0-9\]\)\?\)', invalid$/);
    });

    test('a firewall, a subnetwork and an address check their names too', async () => {
      const { network } = await baseNetwork(g);
      expect(await g.refusal('google_compute_firewall', { name: 'UPPER', network: network.id, allow: [{ protocol: 'tcp' }] }))
        .toContain("Invalid value for field 'resource.name': 'UPPER'");
      expect(await g.refusal('google_compute_subnetwork', { name: 'under_score', network: network.id, ip_cidr_range: '10.9.0.0/24' }))
        .toContain("Invalid value for field 'resource.name': 'under_score'");
      expect(await g.refusal('google_compute_address', { name: 'a.b' })).toContain("Invalid value for field 'resource.name': 'a.b'");
    });
  });

  describe('duplicate names: 409 alreadyExists', () => {
    test('networks and firewalls per project', async () => {
      const { network } = await baseNetwork(g);
      expect(await g.refusal('google_compute_network', { name: 'net' }))
        .toBe("Error creating Network: googleapi: Error 409: The resource 'projects/test-project/global/networks/net' already exists, alreadyExists");
      await g.must('google_compute_firewall', { name: 'fw', network: network.id, allow: [{ protocol: 'tcp', ports: ['22'] }] });
      expect(await g.refusal('google_compute_firewall', { name: 'fw', network: network.id, allow: [{ protocol: 'tcp' }] }))
        .toContain("The resource 'projects/test-project/global/firewalls/fw' already exists, alreadyExists");
      // Another project is another name space.
      await g.must('google_compute_network', { name: 'net', project: 'other-project' });
    });

    test('subnetworks and addresses per region', async () => {
      const { network } = await baseNetwork(g);
      expect(await g.refusal('google_compute_subnetwork', { name: 'net-sub', network: network.id, ip_cidr_range: '10.1.0.0/24' }))
        .toContain("The resource 'projects/test-project/regions/us-central1/subnetworks/net-sub' already exists, alreadyExists");
      await g.must('google_compute_subnetwork', { name: 'net-sub', network: network.id, ip_cidr_range: '10.1.0.0/24', region: 'europe-west1' });
      await g.must('google_compute_address', { name: 'ip' });
      expect(await g.refusal('google_compute_address', { name: 'ip' }))
        .toContain("The resource 'projects/test-project/regions/us-central1/addresses/ip' already exists, alreadyExists");
      await g.must('google_compute_address', { name: 'ip', region: 'europe-west1' });
    });

    test('instance templates and groups', async () => {
      const { subnet } = await baseNetwork(g);
      const template = await g.must('google_compute_instance_template', templateConfig(subnet, { name: 'tpl', name_prefix: null }));
      expect(await g.refusal('google_compute_instance_template', templateConfig(subnet, { name: 'tpl', name_prefix: null })))
        .toContain("The resource 'projects/test-project/global/instanceTemplates/tpl' already exists, alreadyExists");
      await g.must('google_compute_region_instance_group_manager', groupConfig(template));
      expect(await g.refusal('google_compute_region_instance_group_manager', groupConfig(template)))
        .toContain("The resource 'projects/test-project/regions/us-central1/instanceGroupManagers/web' already exists, alreadyExists");
    });
  });

  describe('subnetworks', () => {
    test('a range overlapping another subnetwork of the network conflicts, in any region', async () => {
      const { network } = await baseNetwork(g, { range: '10.0.0.0/22' });
      expect(await g.refusal('google_compute_subnetwork', { name: 'b', network: network.id, ip_cidr_range: '10.0.2.0/24', region: 'europe-west1' }))
        .toBe("Error creating Subnetwork: googleapi: Error 400: Invalid IPCidrRange: 10.0.2.0/24 conflicts with existing subnetwork 'net-sub' in region 'us-central1'., invalid");
      // Secondary ranges count too.
      expect(await g.refusal('google_compute_subnetwork', {
        name: 'c', network: network.id, ip_cidr_range: '10.1.0.0/24', secondary_ip_range: [{ range_name: 'pods', ip_cidr_range: '10.0.3.0/24' }],
      })).toContain("Invalid IPCidrRange: 10.0.3.0/24 conflicts with existing subnetwork 'net-sub'");
      // Another network may reuse the range.
      const other = await g.must('google_compute_network', { name: 'other', auto_create_subnetworks: false });
      await g.must('google_compute_subnetwork', { name: 'b', network: other.id, ip_cidr_range: '10.0.0.0/22' });
    });

    test.each(['10.0.0.0/30', '10.0.0.0/32', '10.0.0.0/7'])('prefix of %s is out of /8../29', async (range) => {
      const network = await g.must('google_compute_network', { name: 'n', auto_create_subnetworks: false });
      expect(await g.refusal('google_compute_subnetwork', { name: 's', network: network.id, ip_cidr_range: range }))
        .toMatch(/Invalid value for field 'resource\.ipCidrRange': '.*'\. Invalid IPCidrRange: .*from \/8 to \/29/);
    });

    test('host bits set and reserved ranges', async () => {
      const network = await g.must('google_compute_network', { name: 'n', auto_create_subnetworks: false });
      expect(await g.refusal('google_compute_subnetwork', { name: 's', network: network.id, ip_cidr_range: '10.0.0.1/24' })).toContain('has host bits set');
      expect(await g.refusal('google_compute_subnetwork', { name: 's', network: network.id, ip_cidr_range: '169.254.0.0/24' })).toContain('reserves');
    });

    test('an auto-mode network has a /20 in every region, so 10.128.0.0/9 overlaps', async () => {
      const auto = await g.must('google_compute_network', { name: 'auto' });
      expect(await g.refusal('google_compute_subnetwork', { name: 's', network: auto.id, ip_cidr_range: '10.128.0.0/24' }))
        .toContain("conflicts with existing subnetwork 'auto' in region 'us-central1'");
      expect(await g.destroy('google_compute_network', auto)).toEqual([]);
      expect(g.list('subnetwork')).toEqual([]);
    });

    test('the region must exist; the network must exist', async () => {
      const network = await g.must('google_compute_network', { name: 'n', auto_create_subnetworks: false });
      expect(await g.refusal('google_compute_subnetwork', { name: 's', network: network.id, ip_cidr_range: '10.0.0.0/24', region: 'moon-north1' }))
        .toContain("Error 404: The resource 'projects/test-project/regions/moon-north1' was not found, notFound");
      expect(await g.refusal('google_compute_subnetwork', { name: 's', network: 'nope', ip_cidr_range: '10.0.0.0/24' }))
        .toContain("The resource 'projects/test-project/global/networks/nope' was not found");
    });

    test('the primary range expands in place; shrinking replaces', async () => {
      const { subnet } = await baseNetwork(g, { range: '10.0.0.0/24' });
      const grown = await g.update('google_compute_subnetwork', subnet, { ...subnet, ip_cidr_range: '10.0.0.0/22' });
      expect(grown.errors).toEqual([]);
      expect(grown.state).toMatchObject({ id: subnet.id, ip_cidr_range: '10.0.0.0/22' });
      expect(grown.state?.fingerprint).not.toEqual(subnet.fingerprint);
      const shrunk = await g.update('google_compute_subnetwork', grown.state!, { ...grown.state!, ip_cidr_range: '10.0.0.0/24' });
      expect(shrunk.replace).toEqual([['ip_cidr_range']]);
    });
  });

  describe('addresses', () => {
    test('an internal address must lie inside its subnetwork, off the reserved addresses', async () => {
      const { subnet } = await baseNetwork(g, { range: '10.0.0.0/24' });
      const internal = (address: string) => ({ name: `ip-${address.replace(/\./g, '-')}`, address_type: 'INTERNAL', subnetwork: subnet.id, address });
      expect(await g.refusal('google_compute_address', internal('10.1.0.5')))
        .toBe("Error creating Address: googleapi: Error 400: Invalid value for field 'resource.address': '10.1.0.5'. Requested internal IP is outside the subnetwork CIDR range (10.0.0.0/24)., invalid");
      for (const reserved of ['10.0.0.0', '10.0.0.1', '10.0.0.254', '10.0.0.255']) {
        expect(await g.refusal('google_compute_address', internal(reserved))).toContain('Requested internal IP is reserved');
      }
      const ok = await g.must('google_compute_address', internal('10.0.0.2'));
      expect(ok).toMatchObject({ address: '10.0.0.2', purpose: 'GCE_ENDPOINT', users: [], self_link: `https://www.googleapis.com/compute/v1/${ok.id}` });
    });

    test('an internal address in use is refused; without one Google picks the lowest free', async () => {
      const { subnet } = await baseNetwork(g, { range: '10.0.0.0/29' });
      await g.must('google_compute_address', { name: 'a', address_type: 'INTERNAL', subnetwork: subnet.id, address: '10.0.0.3' });
      expect(await g.refusal('google_compute_address', { name: 'b', address_type: 'INTERNAL', subnetwork: subnet.id, address: '10.0.0.3' }))
        .toContain("IP_IN_USE_BY_ANOTHER_RESOURCE - IP '10.0.0.3' is already being used by another resource.");
      const picked = await g.must('google_compute_address', { name: 'c', address_type: 'INTERNAL', subnetwork: subnet.id });
      expect(picked.address).toBe('10.0.0.2');
      const next = await g.must('google_compute_address', { name: 'd', address_type: 'INTERNAL', subnetwork: subnet.id });
      expect(next.address).toBe('10.0.0.4');
      await g.must('google_compute_address', { name: 'e', address_type: 'INTERNAL', subnetwork: subnet.id });
      // /29: .0 network, .1 gateway, .6 and .7 reserved: .2-.5 are all taken now.
      expect(await g.refusal('google_compute_address', { name: 'f', address_type: 'INTERNAL', subnetwork: subnet.id })).toContain('exhausted');
    });

    test('an internal address in another region\'s subnetwork is refused', async () => {
      const { subnet } = await baseNetwork(g);
      expect(await g.refusal('google_compute_address', { name: 'x', address_type: 'INTERNAL', subnetwork: subnet.id, region: 'europe-west1' }))
        .toContain("The subnetwork must be in the address's region, 'europe-west1'");
    });

    test('external addresses come from the region\'s pool, distinct, PREMIUM by default', async () => {
      const a = await g.must('google_compute_address', { name: 'a' });
      const b = await g.must('google_compute_address', { name: 'b' });
      expect(a.address).toMatch(/^34\.\d+\.\d+\.\d+$/);
      expect(b.address).not.toEqual(a.address);
      expect(a).toMatchObject({ address_type: 'EXTERNAL', network_tier: 'PREMIUM', purpose: '' });
    });
  });

  describe('firewall rules', () => {
    let network: ObjectValue;
    beforeEach(async () => {
      ({ network } = await baseNetwork(g));
    });
    const rule = (over: ObjectValue): ObjectValue => ({ name: 'fw', network: network.id, allow: [{ protocol: 'tcp', ports: ['80'] }], ...over });

    test('ports: numbers or ranges within 0-65535, only for tcp, udp and sctp', async () => {
      expect(await g.refusal('google_compute_firewall', rule({ allow: [{ protocol: 'tcp', ports: ['70000'] }] })))
        .toBe("Error creating Firewall: googleapi: Error 400: Invalid value for field 'resource.allowed[0].ports[0]': '70000'. Invalid port range, port must be between 0 and 65535., invalid");
      expect(await g.refusal('google_compute_firewall', rule({ allow: [{ protocol: 'tcp', ports: ['http'] }] }))).toContain('Invalid port specification');
      expect(await g.refusal('google_compute_firewall', rule({ allow: [{ protocol: 'tcp', ports: ['90-80'] }] }))).toContain('greater than its end');
      expect(await g.refusal('google_compute_firewall', rule({ allow: [{ protocol: 'icmp', ports: ['8'] }] })))
        .toContain('Ports may only be specified on rules whose protocol is one of [TCP, UDP, SCTP]');
      expect(await g.refusal('google_compute_firewall', rule({ allow: [{ protocol: 'bogus' }] }))).toContain("'resource.allowed[0].IPProtocol': 'bogus'");
      await g.must('google_compute_firewall', rule({ allow: [{ protocol: 'udp', ports: ['53', '8000-8080'] }, { protocol: '50' }] }));
    });

    test('source and target tags must be valid network tags', async () => {
      expect(await g.refusal('google_compute_firewall', rule({ source_tags: ['Web_Tier'] })))
        .toContain("Invalid value for field 'resource.sourceTags[0]': 'Web_Tier'");
      expect(await g.refusal('google_compute_firewall', rule({ name: 'fw2', target_tags: ['ok', '-bad'] })))
        .toMatch(/Invalid value for field 'resource\.targetTags\[\d\]': '-bad'/);
    });

    test('allow or deny (exactly one), tags or service accounts, valid source ranges', async () => {
      expect(await g.validate('google_compute_firewall', { name: 'x', network: 'n' })).toEqual(['Invalid combination of arguments']);
      expect(await g.validate('google_compute_firewall', { name: 'x', network: 'n', allow: [{ protocol: 'tcp' }], deny: [{ protocol: 'udp' }] }))
        .toEqual(['Invalid combination of arguments']);
      expect(await g.validate('google_compute_firewall', rule({ source_tags: ['a'], source_service_accounts: ['x@y'] })))
        .toEqual(['Conflicting configuration arguments']);
      expect(await g.refusal('google_compute_firewall', rule({ source_ranges: ['10.0.0.0/33'] }))).toContain("'resource.sourceRanges[0]': '10.0.0.0/33'");
    });

    test('the network must exist', async () => {
      expect(await g.refusal('google_compute_firewall', rule({ network: 'projects/test-project/global/networks/ghost' })))
        .toContain("Error 404: The resource 'projects/test-project/global/networks/ghost' was not found, notFound");
    });

    test('rules update in place (ports, ranges, priority); the network and direction replace', async () => {
      const fw = await g.must('google_compute_firewall', rule({ target_tags: ['web'], source_ranges: ['0.0.0.0/0'] }));
      expect(fw).toMatchObject({ direction: 'INGRESS', priority: 1000, self_link: `https://www.googleapis.com/compute/v1/projects/test-project/global/firewalls/fw` });
      const updated = await g.update('google_compute_firewall', fw, { ...fw, allow: [{ protocol: 'tcp', ports: ['443'] }], priority: 900 });
      expect(updated.errors).toEqual([]);
      expect(updated.state).toMatchObject({ id: fw.id, priority: 900, allow: [{ protocol: 'tcp', ports: ['443'] }] });
      expect(g.list('firewall')[0]).toMatchObject({ priority: 900 });
      const bad = await g.update('google_compute_firewall', updated.state!, { ...updated.state!, allow: [{ protocol: 'tcp', ports: ['0-99999'] }] });
      expect(bad.errors[0]).toContain('Error updating Firewall');
      expect((await g.update('google_compute_firewall', fw, { ...fw, direction: 'EGRESS' })).replace).toEqual([['direction']]);
    });
  });

  describe('deleting what is in use: resourceInUseByAnotherResource', () => {
    test('a network with subnetworks, firewalls or routers', async () => {
      const { network, subnet } = await baseNetwork(g);
      expect(await g.destroy('google_compute_network', network))
        .toEqual([`Error deleting Network: googleapi: Error 400: The network resource '${network.id}' is already being used by '${subnet.id}', resourceInUseByAnotherResource`]);
      expect(await g.destroy('google_compute_subnetwork', subnet)).toEqual([]);
      const fw = await g.must('google_compute_firewall', { name: 'fw', network: network.id, deny: [{ protocol: 'all' }] });
      expect((await g.destroy('google_compute_network', network))[0]).toContain(`is already being used by '${fw.id}'`);
      expect(await g.destroy('google_compute_firewall', fw)).toEqual([]);
      const router = await g.must('google_compute_router', { name: 'r', network: network.id });
      expect((await g.destroy('google_compute_network', network))[0]).toContain(`is already being used by '${router.id}'`);
      expect(await g.destroy('google_compute_router', router)).toEqual([]);
      expect(await g.destroy('google_compute_network', network)).toEqual([]);
      expect(g.list('network')).toEqual([]);
    });

    test('a subnetwork holding reserved addresses, an address used by an instance, a template used by a group', async () => {
      const { subnet } = await baseNetwork(g);
      const ip = await g.must('google_compute_address', { name: 'ip', address_type: 'INTERNAL', subnetwork: subnet.id, address: '10.0.0.9' });
      expect((await g.destroy('google_compute_subnetwork', subnet))[0]).toContain(`The subnetwork resource '${subnet.id}' is already being used by '${ip.id}'`);
      const template = await g.must('google_compute_instance_template', templateConfig(subnet));
      const group = await g.must('google_compute_region_instance_group_manager', groupConfig(template));
      const pic = await g.must('google_compute_region_per_instance_config', {
        name: 'web-0', region_instance_group_manager: group.name, remove_instance_on_destroy: true,
        preserved_state: [{ internal_ip: [{ interface_name: 'nic0', auto_delete: 'NEVER', ip_address: [{ address: ip.self_link }] }] }],
      });
      expect((await g.destroy('google_compute_address', ip))[0])
        .toContain(`The address resource '${ip.id}' is already being used by 'https://www.googleapis.com/compute/v1/projects/test-project/zones/`);
      expect((await g.destroy('google_compute_instance_template', template))[0])
        .toContain(`The instance_template resource '${template.id}' is already being used by '${group.id}'`);
      expect(await g.destroy('google_compute_region_per_instance_config', pic)).toEqual([]);
      expect(await g.destroy('google_compute_address', ip)).toEqual([]);
    });
  });

  describe('Cloud Router and NAT', () => {
    test('a NAT belongs to an existing router of its region; a router with BGP needs a private ASN', async () => {
      const { network, subnet } = await baseNetwork(g);
      expect(await g.refusal('google_compute_router', { name: 'r', network: network.id, bgp: [{ asn: 15169 }] }))
        .toContain("Invalid value for field 'resource.bgp.asn': '15169'. Must be a private ASN");
      const router = await g.must('google_compute_router', { name: 'r', network: network.id, bgp: [{ asn: 64514 }] });
      const nat = { name: 'nat', router: 'r', nat_ip_allocate_option: 'AUTO_ONLY', source_subnetwork_ip_ranges_to_nat: 'ALL_SUBNETWORKS_ALL_IP_RANGES' };
      expect(await g.refusal('google_compute_router_nat', { ...nat, router: 'ghost' }))
        .toContain("The resource 'projects/test-project/regions/us-central1/routers/ghost' was not found");
      expect(await g.refusal('google_compute_router_nat', { ...nat, region: 'europe-west1' }))
        .toContain("The resource 'projects/test-project/regions/europe-west1/routers/r' was not found");
      const created = await g.must('google_compute_router_nat', { ...nat, log_config: [{ enable: true, filter: 'ERRORS_ONLY' }] });
      expect(created).toMatchObject({ id: 'test-project/us-central1/r/nat', min_ports_per_vm: 64, icmp_idle_timeout_sec: 30, endpoint_types: ['ENDPOINT_TYPE_VM'] });
      expect(await g.refusal('google_compute_router_nat', nat)).toContain("already has a NAT named 'nat'");
      // MANUAL_ONLY takes reserved external addresses; LIST_OF_SUBNETWORKS takes subnetworks of the router's network.
      expect(await g.refusal('google_compute_router_nat', { ...nat, name: 'm', nat_ip_allocate_option: 'MANUAL_ONLY' })).toContain('At least one NAT IP');
      const ip = await g.must('google_compute_address', { name: 'nat-ip' });
      const manual = await g.must('google_compute_router_nat', {
        ...nat, name: 'm', nat_ip_allocate_option: 'MANUAL_ONLY', nat_ips: [ip.self_link],
        source_subnetwork_ip_ranges_to_nat: 'LIST_OF_SUBNETWORKS', subnetwork: [{ name: subnet.id, source_ip_ranges_to_nat: ['ALL_IP_RANGES'] }],
      });
      expect((await g.read('google_compute_address', ip))?.users).toEqual([router.self_link]);
      expect((await g.destroy('google_compute_address', ip))[0]).toContain('is already being used by');
      // The NATs are part of the router: deleting it takes them along.
      expect(await g.destroy('google_compute_router', router)).toEqual([]);
      expect(await g.read('google_compute_router_nat', created)).toBeNull();
      expect(await g.read('google_compute_router_nat', manual)).toBeNull();
      expect(await g.destroy('google_compute_address', ip)).toEqual([]);
    });
  });

  describe('instance templates', () => {
    test('name_prefix gets a unique suffix; ids and links in Compute Engine\'s formats', async () => {
      const { subnet } = await baseNetwork(g);
      const a = await g.must('google_compute_instance_template', templateConfig(subnet, { name_prefix: 'gdev-web-' }));
      const b = await g.must('google_compute_instance_template', templateConfig(subnet, { name_prefix: 'gdev-web-' }));
      expect(a.name).toMatch(/^gdev-web-\d{26}$/);
      expect(b.name).not.toEqual(a.name);
      expect(a).toMatchObject({
        id: `projects/test-project/global/instanceTemplates/${a.name}`,
        self_link: `https://www.googleapis.com/compute/v1/projects/test-project/global/instanceTemplates/${a.name}`,
        self_link_unique: `https://www.googleapis.com/compute/v1/projects/test-project/global/instanceTemplates/${a.name}?uniqueId=${a.numeric_id}`,
        region: 'us-central1',
        disk: [expect.objectContaining({ boot: true, disk_type: 'pd-standard', device_name: 'persistent-disk-0', interface: 'SCSI', architecture: 'X86_64' })],
        network_interface: [expect.objectContaining({
          name: 'nic0', network: 'https://www.googleapis.com/compute/v1/projects/test-project/global/networks/net', subnetwork_project: 'test-project',
        })],
      });
      const long = await g.must('google_compute_instance_template', templateConfig(subnet, { name_prefix: `${'x'.repeat(44)}-` }));
      expect((long.name as string).length).toBeLessThanOrEqual(63);
      expect(await g.validate('google_compute_instance_template', templateConfig(subnet, { name: 'a', name_prefix: 'b-' })))
        .toEqual(['Conflicting configuration arguments']);
    });

    test('network tags, metadata keys, and a template without a usable network', async () => {
      const { subnet } = await baseNetwork(g);
      expect(await g.refusal('google_compute_instance_template', templateConfig(subnet, { tags: ['Web'] })))
        .toContain("Invalid value for field 'resource.properties.tags.items[0]': 'Web'");
      expect(await g.refusal('google_compute_instance_template', templateConfig(subnet, { metadata: { 'bad key': 'x' } })))
        .toContain("Invalid value for field 'resource.properties.metadata.items[0].key': 'bad key'.  Must be a match of regex '[a-zA-Z0-9-_]{1,128}'");
      // Items are numbered in key order; a value over 262,144 bytes gets the API's "too large" text.
      expect(await g.refusal('google_compute_instance_template', templateConfig(subnet, { metadata: { a: 'x', b: 'y'.repeat(262145) } })))
        .toContain("Value for field 'resource.properties.metadata.items[1].value' is too large: maximum size 262144 character(s); actual size 262145.");
      expect(await g.refusal('google_compute_instance_template', templateConfig(subnet, { metadata: { ['k'.repeat(129)]: 'x' } })))
        .toContain('Must be a match of regex');
      expect(await g.refusal('google_compute_instance_template', templateConfig(subnet, { network_interface: [{}] })))
        .toContain("The resource 'projects/test-project/global/networks/default' was not found");
    });
  });

  describe('images', () => {
    test('an unknown family or image is not found', async () => {
      expect(await g.data('google_compute_image', { project: 'ubuntu-os-cloud', family: 'ubuntu-9999-lts' })).toEqual({
        state: null,
        errors: ["error retrieving image information: googleapi: Error 404: The resource 'projects/ubuntu-os-cloud/global/images/family/ubuntu-9999-lts' was not found, notFound"],
      });
      expect((await g.data('google_compute_image', { project: 'debian-cloud', name: 'debian-13-trixie-v1' })).errors[0])
        .toContain("The resource 'projects/debian-cloud/global/images/debian-13-trixie-v1' was not found");
    });

    test('a template\'s unknown source image is not found; the boot disk cannot be smaller than the image', async () => {
      const { subnet } = await baseNetwork(g);
      const disk = (over: ObjectValue) => ({ disk: [{ boot: true, source_image: 'projects/debian-cloud/global/images/family/debian-12', ...over }] });
      expect(await g.refusal('google_compute_instance_template', templateConfig(subnet, disk({ source_image: 'projects/debian-cloud/global/images/family/debian-99' }))))
        .toContain("The resource 'projects/debian-cloud/global/images/family/debian-99' was not found");
      expect(await g.refusal('google_compute_instance_template', templateConfig(subnet, disk({ disk_size_gb: 8 }))))
        .toContain("Invalid value for field 'resource.properties.disks[0].initializeParams.diskSizeGb': '8'. Requested disk size cannot be smaller than the image size (10 GB).");
      expect(await g.refusal('google_compute_instance_template', templateConfig(subnet, disk({ disk_type: 'pd-turbo' })))).toContain("Disk type 'pd-turbo' does not exist");
    });
  });

  describe('machine types', () => {
    test('unknown types and invalid custom types are refused; catalog and valid custom types work', async () => {
      const { subnet } = await baseNetwork(g);
      expect(await g.refusal('google_compute_instance_template', templateConfig(subnet, { machine_type: 'e2-gigantic' })))
        .toBe("Error creating instance template: googleapi: Error 400: Invalid value for field 'resource.properties.machineType': 'e2-gigantic'. Machine type with name 'e2-gigantic' does not exist in zone 'us-central1-a'., invalid");
      expect(await g.refusal('google_compute_instance_template', templateConfig(subnet, { machine_type: 'e2-custom-3-4096' })))
        .toContain("Invalid value for field 'resource.properties.machineType': 'e2-custom-3-4096'. Invalid custom machine type");
      await g.must('google_compute_instance_template', templateConfig(subnet, { machine_type: 'n2-standard-4' }));
      await g.must('google_compute_instance_template', templateConfig(subnet, { machine_type: 'e2-custom-4-8192' }));
    });

    test('an arm64 image needs an arm64 machine type; GPUs need an n1 type and TERMINATE', async () => {
      const { subnet } = await baseNetwork(g);
      const arm = { disk: [{ boot: true, source_image: 'projects/debian-cloud/global/images/family/debian-12-arm64' }] };
      expect(await g.refusal('google_compute_instance_template', templateConfig(subnet, arm))).toContain('not compatible with the machine type');
      await g.must('google_compute_instance_template', templateConfig(subnet, { ...arm, machine_type: 't2a-standard-2' }));
      const gpu = { guest_accelerator: [{ type: 'nvidia-tesla-t4', count: 1 }] };
      expect(await g.refusal('google_compute_instance_template', templateConfig(subnet, gpu))).toContain('does not support attached accelerators');
      expect(await g.refusal('google_compute_instance_template', templateConfig(subnet, { ...gpu, machine_type: 'n1-standard-4' })))
        .toContain('Instances with guest accelerators do not support live migration');
      await g.must('google_compute_instance_template', templateConfig(subnet, {
        ...gpu, machine_type: 'n1-standard-4', scheduling: [{ on_host_maintenance: 'TERMINATE' }],
      }));
    });
  });

  describe('regional groups', () => {
    test('distribution_policy_zones must be zones of the group\'s region', async () => {
      const { subnet } = await baseNetwork(g);
      const template = await g.must('google_compute_instance_template', templateConfig(subnet));
      expect(await g.refusal('google_compute_region_instance_group_manager', groupConfig(template, {
        distribution_policy_zones: ['us-central1-a', 'europe-west1-b', 'us-central1-c'],
      }))).toContain("Invalid value for field 'resource.distributionPolicy.zones[1].zone': 'europe-west1-b'. Zone 'europe-west1-b' is not in region 'us-central1'");
      expect(await g.refusal('google_compute_region_instance_group_manager', groupConfig(template, { distribution_policy_zones: ['us-central1-e'] })))
        .toContain("Zone 'us-central1-e' is not in region 'us-central1'");
    });

    test('the template\'s subnetwork must be in the group\'s region', async () => {
      const network = await g.must('google_compute_network', { name: 'n', auto_create_subnetworks: false });
      const eu = await g.must('google_compute_subnetwork', { name: 'eu', network: network.id, ip_cidr_range: '10.0.0.0/24', region: 'europe-west1' });
      const template = await g.must('google_compute_instance_template', templateConfig(eu));
      expect(await g.refusal('google_compute_region_instance_group_manager', groupConfig(template)))
        .toContain("The instance template's subnetwork is in region 'europe-west1', not in the group's region 'us-central1'");
    });

    test('update policy: fixed values of 0 or at least the zones, no surge with RECREATE', async () => {
      const { subnet } = await baseNetwork(g);
      const template = await g.must('google_compute_instance_template', templateConfig(subnet));
      const policy = (over: ObjectValue) => groupConfig(template, {
        update_policy: [{ type: 'PROACTIVE', minimal_action: 'REPLACE', instance_redistribution_type: 'NONE', ...over }],
      });
      expect(await g.refusal('google_compute_region_instance_group_manager', policy({ max_unavailable_fixed: 1 })))
        .toContain('has to be either 0 or at least equal to the number of zones (3)');
      expect(await g.refusal('google_compute_region_instance_group_manager', policy({ replacement_method: 'RECREATE', max_surge_fixed: 3 })))
        .toContain('maxSurge must be 0 when the replacement method is RECREATE');
    });

    test('a stateful regional group must not redistribute proactively', async () => {
      const { subnet } = await baseNetwork(g);
      const template = await g.must('google_compute_instance_template', templateConfig(subnet));
      const group = await g.must('google_compute_region_instance_group_manager', groupConfig(template, {
        update_policy: [{ type: 'OPPORTUNISTIC', minimal_action: 'NONE', instance_redistribution_type: 'PROACTIVE' }],
      }));
      expect(await g.refusal('google_compute_region_per_instance_config', { name: 'web-0', region_instance_group_manager: group.name }))
        .toContain('Proactive instance redistribution is not supported for stateful regional managed instance groups');
    });

    test('a per-instance config needs its group; a pinned address cannot serve two instances', async () => {
      expect(await g.refusal('google_compute_region_per_instance_config', { name: 'web-0', region_instance_group_manager: 'ghost' }))
        .toContain("The resource 'projects/test-project/regions/us-central1/instanceGroupManagers/ghost' was not found");
      const { subnet } = await baseNetwork(g);
      const template = await g.must('google_compute_instance_template', templateConfig(subnet));
      const group = await g.must('google_compute_region_instance_group_manager', groupConfig(template));
      const ip = await g.must('google_compute_address', { name: 'ip', address_type: 'INTERNAL', subnetwork: subnet.id, address: '10.0.0.10' });
      const pinned = (name: string) => ({
        name, region_instance_group_manager: group.name,
        preserved_state: [{ internal_ip: [{ interface_name: 'nic0', ip_address: [{ address: ip.self_link }] }] }],
      });
      await g.must('google_compute_region_per_instance_config', pinned('web-0'));
      expect(await g.refusal('google_compute_region_per_instance_config', pinned('web-1')))
        .toContain("IP_IN_USE_BY_ANOTHER_RESOURCE - IP '10.0.0.10' is already being used by 'projects/test-project/zones/us-central1-a/instances/web-0'");
    });
  });
});
