import { FidelityCase, r, rs } from './corpus';

/** The Google side of the fidelity corpus (provider hashicorp/google 6.50.0, project fidelity, region us-central1). */

const net = (id: string, extra: object = {}) => r('google_compute_network', id, { name: id.replace(/_/g, '-'), auto_create_subnetworks: false, ...extra });
const subnet = (id: string, network: string, range: string, extra: object = {}) =>
  r('google_compute_subnetwork', id, { name: id.replace(/_/g, '-'), network: `\${google_compute_network.${network}.id}`, ip_cidr_range: range, ...extra });
const firewall = (id: string, network: string, body: object) =>
  r('google_compute_firewall', id, { name: id.replace(/_/g, '-'), network: `\${google_compute_network.${network}.id}`, source_ranges: ['10.0.0.0/8'], ...body });
const DEBIAN = { data: r('google_compute_image', 'fid_debian', { project: 'debian-cloud', family: 'debian-12' }) };
const template = (id: string, subnetwork: string, extra: object = {}) => r('google_compute_instance_template', id, {
  name: id.replace(/_/g, '-'), machine_type: 'e2-small', disk: [{ boot: true, source_image: '${data.google_compute_image.fid_debian.self_link}' }],
  network_interface: [{ subnetwork: `\${google_compute_subnetwork.${subnetwork}.self_link}` }], ...extra,
});
const group = (id: string, tmpl: string, size: number, extra: object = {}) => r('google_compute_region_instance_group_manager', id, {
  name: id.replace(/_/g, '-'), base_instance_name: id.replace(/_/g, '-'), target_size: size,
  version: [{ name: 'primary', instance_template: `\${google_compute_instance_template.${tmpl}.self_link_unique}` }], ...extra,
});
const router = (id: string, network: string, asn: number) =>
  r('google_compute_router', id, { name: id.replace(/_/g, '-'), network: `\${google_compute_network.${network}.id}`, bgp: [{ asn }] });

const VPC_DOCS = 'Google Cloud VPC docs';
const GCE_DOCS = 'Compute Engine docs';

// --- load balancing (issue 19) ---
const LB_DOCS = 'Cloud Load Balancing docs';
const hc = (id: string, body: object = { tcp_health_check: [{ port: 80 }] }) => r('google_compute_region_health_check', id, { name: id.replace(/_/g, '-'), ...body });
const backendService = (id: string, groupId: string, hcId: string, body: object) => r('google_compute_region_backend_service', id, {
  name: id.replace(/_/g, '-'), health_checks: [`\${google_compute_region_health_check.${hcId}.id}`],
  backend: [{ group: `\${google_compute_region_instance_group_manager.${groupId}.instance_group}`, ...((body as { mode?: object }).mode ?? {}) }],
  ...Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'mode')),
});
/** A network, a subnetwork, a template and a group of `size` (no group when size is null): what every load-balancing case stands on. */
const lbBase = (id: string, range: string, size: number | null = 0, groupExtra: object = {}) => [net(id), subnet(id, id, range), template(id, id),
  ...(size === null ? [] : [group(id, id, size, groupExtra)])];

export const GOOGLE_CASES: FidelityCase[] = [
  // --- the disagreements of issue 17 ---
  {
    id: 'g_machine_types', issue17: true,
    rule: 'Every predefined machine type of the documented families can be used (n2-standard-48 and up, n1-standard-32).',
    source: `${GCE_DOCS}, Machine families resource and comparison guide; General-purpose machine family (N1, N2)`,
    expect: { accepted: true },
    config: { ...DEBIAN, resource: rs(net('g_machine_types'), subnet('g_machine_types', 'g_machine_types', '10.10.0.0/24'),
      template('g_machine_types_n2_48', 'g_machine_types', { machine_type: 'n2-standard-48' }),
      template('g_machine_types_n2_64', 'g_machine_types', { machine_type: 'n2-standard-64' }),
      template('g_machine_types_n1_32', 'g_machine_types', { machine_type: 'n1-standard-32' }),
      group('g_machine_types', 'g_machine_types_n2_64', 1)) },
  },
  {
    id: 'g_asn_16550', issue17: true,
    rule: 'A Cloud Router for Partner Interconnect uses ASN 16550.',
    source: 'Cloud Interconnect docs, Partner Interconnect: Create VLAN attachments ("the Cloud Router ASN must be 16550")',
    expect: { accepted: true },
    config: { resource: rs(net('g_asn_16550'), router('g_asn_16550', 'g_asn_16550', 16550)) },
  },
  {
    id: 'g_allow_and_deny', issue17: true,
    rule: 'A firewall rule has exactly one of allow and deny.',
    source: 'terraform-provider-google, google_compute_firewall (ExactlyOneOf allow, deny)',
    expect: { refused: 'validate', at: 'google_compute_firewall.g_allow_and_deny', error: /"allow": only one of `allow,deny` can be specified, but `allow,deny` were specified\./ },
    config: { resource: rs(net('g_allow_and_deny'), firewall('g_allow_and_deny', 'g_allow_and_deny', { allow: [{ protocol: 'tcp', ports: ['80'] }], deny: [{ protocol: 'udp' }] })) },
  },
  // --- quotas and limits ---
  {
    id: 'g_firewalls_quota',
    rule: 'A project has at most as many firewall rules as its FIREWALLS quota (100 by default on a new project; users raise it). The corpus runs with the quota at 4 (BUTTER_MOCK_QUOTAS).',
    source: `${VPC_DOCS}, Quotas and limits: Firewall rules per project`,
    expect: { refused: 'apply', at: 'google_compute_firewall.g_firewalls_quota_', error: /googleapi: Error 403: Quota 'FIREWALLS' exceeded\. +Limit: 4\.0 globally\., quotaExceeded/ },
    config: { resource: rs(net('g_firewalls_quota', { project: 'fidelity-quota' }),
      ...Array.from({ length: 5 }, (_, i) => firewall(`g_firewalls_quota_${i}`, 'g_firewalls_quota', { project: 'fidelity-quota', allow: [{ protocol: 'tcp', ports: [String(3000 + i)] }] }))) },
  },
  {
    id: 'g_metadata_value', workspace: 'large',
    rule: 'A metadata value is at most 256 KB.',
    source: `${GCE_DOCS}, About VM metadata: Limitations`,
    expect: { refused: 'apply', at: 'google_compute_instance_template.g_metadata_value', error: /Value for field 'resource\.properties\.metadata\.items\[0\]\.value' is too large: maximum size 262144 character\(s\); actual size 307200\./ },
    config: { ...DEBIAN, resource: rs(net('g_metadata_value'), subnet('g_metadata_value', 'g_metadata_value', '10.11.0.0/24'),
      template('g_metadata_value', 'g_metadata_value', { metadata: { big: 'x'.repeat(300 * 1024) } })) },
  },
  {
    id: 'g_metadata_total', workspace: 'large',
    rule: 'All of an instance\'s metadata is at most 512 KB.',
    source: `${GCE_DOCS}, About VM metadata: Limitations`,
    expect: { refused: 'apply', at: 'google_compute_instance_template.g_metadata_total', error: /Metadata total size must not exceed 512 KB\./ },
    config: { ...DEBIAN, resource: rs(net('g_metadata_total'), subnet('g_metadata_total', 'g_metadata_total', '10.12.0.0/24'),
      template('g_metadata_total', 'g_metadata_total', { metadata: { a: 'x'.repeat(200 * 1024), b: 'x'.repeat(200 * 1024), c: 'x'.repeat(200 * 1024) } })) },
  },
  {
    id: 'g_mig_size',
    rule: 'A regional managed instance group holds at most 2,000 VMs.',
    source: `${GCE_DOCS}, About regional MIGs: limitations`,
    expect: { refused: 'apply', at: 'google_compute_region_instance_group_manager.g_mig_size', error: /Invalid value for field 'resource\.targetSize': '2001'\. Must be less than or equal to 2000\./ },
    config: { ...DEBIAN, resource: rs(net('g_mig_size'), subnet('g_mig_size', 'g_mig_size', '10.13.0.0/24'), template('g_mig_size', 'g_mig_size'), group('g_mig_size', 'g_mig_size', 2001)) },
  },
  {
    id: 'g_gpu_zone',
    rule: 'Accelerator-optimized machine types exist only in zones with their GPUs (A2: A100).',
    source: `${GCE_DOCS}, GPU locations`,
    expect: { refused: 'apply', at: 'google_compute_region_instance_group_manager.g_gpu_zone', error: /The resource 'projects\/fidelity\/zones\/us-east1-[cd]\/machineTypes\/a2-highgpu-1g' was not found/ },
    config: { ...DEBIAN, resource: rs(net('g_gpu_zone'), subnet('g_gpu_zone', 'g_gpu_zone', '10.14.0.0/24', { region: 'us-east1' }),
      template('g_gpu_zone', 'g_gpu_zone', { machine_type: 'a2-highgpu-1g', region: 'us-east1', scheduling: [{ on_host_maintenance: 'TERMINATE' }] }),
      group('g_gpu_zone', 'g_gpu_zone', 3, { region: 'us-east1', distribution_policy_zones: ['us-east1-b', 'us-east1-c', 'us-east1-d'] })) },
  },
  // --- what the mock already enforced as Compute Engine does ---
  {
    id: 'g_router_public_asn', rule: 'A Cloud Router\'s ASN is private (or 16550).', source: 'Cloud Router docs, Cloud Router overview: ASNs',
    expect: { refused: 'apply', at: 'google_compute_router.g_router_public_asn', error: /Invalid value for field 'resource\.bgp\.asn': '15169'/ },
    config: { resource: rs(net('g_router_public_asn'), router('g_router_public_asn', 'g_router_public_asn', 15169)) },
  },
  {
    id: 'g_name', rule: 'Resource names are RFC 1035 labels: lowercase letters, digits and dashes.', source: `${GCE_DOCS}, Naming resources`,
    expect: { refused: 'apply', at: 'google_compute_network.g_name', error: /Invalid value for field 'resource\.name': 'Bad_Name'/ },
    config: { resource: r('google_compute_network', 'g_name', { name: 'Bad_Name', auto_create_subnetworks: false }) },
  },
  {
    id: 'g_firewall_duplicate', rule: 'Firewall rule names are unique in a project.', source: `${VPC_DOCS}, VPC firewall rules (409 alreadyExists)`,
    expect: { refused: 'apply', at: 'google_compute_firewall.g_firewall_duplicate_', error: /Error 409: The resource 'projects\/fidelity\/global\/firewalls\/g-fw-dup' already exists/ },
    config: { resource: rs(net('g_firewall_duplicate'),
      r('google_compute_firewall', 'g_firewall_duplicate_1', { name: 'g-fw-dup', network: '${google_compute_network.g_firewall_duplicate.id}', source_ranges: ['10.0.0.0/8'], allow: [{ protocol: 'tcp' }] }),
      r('google_compute_firewall', 'g_firewall_duplicate_2', { name: 'g-fw-dup', network: '${google_compute_network.g_firewall_duplicate.id}', source_ranges: ['10.0.0.0/8'], allow: [{ protocol: 'udp' }] })) },
  },
  {
    id: 'g_firewall_protocol', rule: 'Firewall protocols are tcp, udp, icmp, esp, ah, sctp, ipip, all or a number.', source: `${VPC_DOCS}, VPC firewall rules: Protocols and ports`,
    expect: { refused: 'apply', at: 'google_compute_firewall.g_firewall_protocol', error: /Invalid value for field 'resource\.allowed\[0\]\.IPProtocol': 'bogus'\. Invalid IP protocol specification\./ },
    config: { resource: rs(net('g_firewall_protocol'), firewall('g_firewall_protocol', 'g_firewall_protocol', { allow: [{ protocol: 'bogus' }] })) },
  },
  {
    id: 'g_firewall_icmp_ports', rule: 'Ports only with tcp, udp and sctp.', source: `${VPC_DOCS}, VPC firewall rules: Protocols and ports`,
    expect: { refused: 'apply', at: 'google_compute_firewall.g_firewall_icmp_ports', error: /Ports may only be specified on rules whose protocol is one of \[TCP, UDP, SCTP\]\./ },
    config: { resource: rs(net('g_firewall_icmp_ports'), firewall('g_firewall_icmp_ports', 'g_firewall_icmp_ports', { allow: [{ protocol: 'icmp', ports: ['80'] }] })) },
  },
  {
    id: 'g_firewall_port_range', rule: 'Port ranges run low to high, at most 65535.', source: `${VPC_DOCS}, VPC firewall rules: Protocols and ports`,
    expect: { refused: 'apply', at: 'google_compute_firewall.g_firewall_port_range', error: /Invalid port range, port must be between 0 and 65535\./ },
    config: { resource: rs(net('g_firewall_port_range'), firewall('g_firewall_port_range', 'g_firewall_port_range', { allow: [{ protocol: 'tcp', ports: ['80-70000'] }] })) },
  },
  {
    id: 'g_firewall_egress_tags', rule: 'Egress rules take no source tags.', source: `${VPC_DOCS}, VPC firewall rules: Sources for egress rules`,
    expect: { refused: 'apply', at: 'google_compute_firewall.g_firewall_egress_tags', error: /Source tags cannot be set for EGRESS firewall rules\./ },
    config: { resource: rs(net('g_firewall_egress_tags'), r('google_compute_firewall', 'g_firewall_egress_tags', {
      name: 'g-firewall-egress-tags', network: '${google_compute_network.g_firewall_egress_tags.id}', direction: 'EGRESS', source_tags: ['web'], allow: [{ protocol: 'tcp' }] })) },
  },
  {
    id: 'g_firewall_neither', rule: 'A firewall rule has allow or deny.', source: 'terraform-provider-google, google_compute_firewall (ExactlyOneOf allow, deny)',
    expect: { refused: 'validate', at: 'google_compute_firewall.g_firewall_neither', error: /"allow": one of `allow,deny` must be specified/ },
    config: { resource: rs(net('g_firewall_neither'), firewall('g_firewall_neither', 'g_firewall_neither', {})) },
  },
  {
    id: 'g_firewall_tags_and_sa', rule: 'Source tags and source service accounts cannot be combined.', source: 'terraform-provider-google, google_compute_firewall (ConflictsWith)',
    expect: { refused: 'validate', at: 'google_compute_firewall.g_firewall_tags_and_sa', error: /"source_tags": conflicts with source_service_accounts/ },
    config: { resource: rs(net('g_firewall_tags_and_sa'), firewall('g_firewall_tags_and_sa', 'g_firewall_tags_and_sa', {
      allow: [{ protocol: 'tcp' }], source_tags: ['a'], source_service_accounts: ['sa@fidelity.iam.gserviceaccount.com'] })) },
  },
  {
    id: 'g_subnet_overlap', rule: 'Subnetwork ranges of a network do not overlap.', source: `${VPC_DOCS}, Subnets: IPv4 subnet ranges`,
    expect: { refused: 'apply', at: 'google_compute_subnetwork.g_subnet_overlap_', error: /Invalid IPCidrRange: 10\.20\.0\.\d+\/2[45] conflicts with existing subnetwork/ },
    config: { resource: rs(net('g_subnet_overlap'), subnet('g_subnet_overlap_1', 'g_subnet_overlap', '10.20.0.0/24'), subnet('g_subnet_overlap_2', 'g_subnet_overlap', '10.20.0.128/25')) },
  },
  {
    id: 'g_subnet_reserved', rule: 'Loopback and other reserved ranges cannot be subnetworks.', source: `${VPC_DOCS}, Subnets: Prohibited IPv4 subnet ranges`,
    expect: { refused: 'apply', at: 'google_compute_subnetwork.g_subnet_reserved', error: /Invalid IPCidrRange: 127\.0\.0\.0\/24 overlaps a range Google reserves/ },
    config: { resource: rs(net('g_subnet_reserved'), subnet('g_subnet_reserved', 'g_subnet_reserved', '127.0.0.0/24')) },
  },
  {
    id: 'g_subnet_prefix', rule: 'A subnetwork\'s primary range is /8 to /29.', source: `${VPC_DOCS}, Subnets: IPv4 subnet ranges`,
    expect: { refused: 'apply', at: 'google_compute_subnetwork.g_subnet_prefix', error: /The prefix length of a subnetwork's primary range must be from \/8 to \/29\./ },
    config: { resource: rs(net('g_subnet_prefix'), subnet('g_subnet_prefix', 'g_subnet_prefix', '10.21.0.0/30')) },
  },
  {
    id: 'g_subnet_region', rule: 'A subnetwork\'s region exists.', source: `${GCE_DOCS}, Regions and zones`,
    expect: { refused: 'apply', at: 'google_compute_subnetwork.g_subnet_region', error: /The resource 'projects\/fidelity\/regions\/mars-central1' was not found/ },
    config: { resource: rs(net('g_subnet_region'), subnet('g_subnet_region', 'g_subnet_region', '10.22.0.0/24', { region: 'mars-central1' })) },
  },
  {
    id: 'g_unknown_machine', rule: 'A machine type Compute Engine does not have is refused.', source: `${GCE_DOCS}, Machine families resource and comparison guide`,
    expect: { refused: 'apply', at: 'google_compute_instance_template.g_unknown_machine', error: /Machine type with name 'n2-standard-3' does not exist in zone 'us-central1-a'\./ },
    config: { ...DEBIAN, resource: rs(net('g_unknown_machine'), subnet('g_unknown_machine', 'g_unknown_machine', '10.23.0.0/24'),
      template('g_unknown_machine', 'g_unknown_machine', { machine_type: 'n2-standard-3' })) },
  },
  {
    id: 'g_unknown_image', rule: 'An image that does not exist is refused.', source: `${GCE_DOCS}, Public images`,
    expect: { refused: 'plan', at: 'data.google_compute_image.g_unknown_image', error: /not found|was not found|Your query/ },
    config: { data: r('google_compute_image', 'g_unknown_image', { project: 'debian-cloud', family: 'debian-99' }) },
  },
  {
    id: 'g_metadata_key', rule: 'Metadata keys are letters, digits, dashes and underscores.', source: `${GCE_DOCS}, About VM metadata: Limitations`,
    expect: { refused: 'apply', at: 'google_compute_instance_template.g_metadata_key', error: /Invalid value for field 'resource\.properties\.metadata\.items\[0\]\.key': 'bad key!'\.\s+Must be a match of regex '\[a-zA-Z0-9-_\]\{1,128\}'/ },
    config: { ...DEBIAN, resource: rs(net('g_metadata_key'), subnet('g_metadata_key', 'g_metadata_key', '10.24.0.0/24'),
      template('g_metadata_key', 'g_metadata_key', { metadata: { 'bad key!': 'x' } })) },
  },
  {
    id: 'g_gpu_e2', rule: 'Only N1 machine types take attached GPUs.', source: `${GCE_DOCS}, GPU machine types: attaching GPUs to N1 VMs`,
    expect: { refused: 'apply', at: 'google_compute_instance_template.g_gpu_e2', error: /Machine type 'e2-small' does not support attached accelerators\./ },
    config: { ...DEBIAN, resource: rs(net('g_gpu_e2'), subnet('g_gpu_e2', 'g_gpu_e2', '10.25.0.0/24'),
      template('g_gpu_e2', 'g_gpu_e2', { guest_accelerator: [{ type: 'nvidia-tesla-t4', count: 1 }], scheduling: [{ on_host_maintenance: 'TERMINATE' }] })) },
  },
  {
    id: 'g_gpu_migrate', rule: 'VMs with GPUs cannot live-migrate (on_host_maintenance TERMINATE).', source: `${GCE_DOCS}, GPUs: Handling host maintenance`,
    expect: { refused: 'apply', at: 'google_compute_instance_template.g_gpu_migrate', error: /Instances with guest accelerators do not support live migration\./ },
    config: { ...DEBIAN, resource: rs(net('g_gpu_migrate'), subnet('g_gpu_migrate', 'g_gpu_migrate', '10.26.0.0/24'),
      template('g_gpu_migrate', 'g_gpu_migrate', { machine_type: 'n1-standard-4', guest_accelerator: [{ type: 'nvidia-tesla-t4', count: 1 }], scheduling: [{ on_host_maintenance: 'MIGRATE' }] })) },
  },
  {
    id: 'g_address_external_subnet', rule: 'Only internal addresses name a subnetwork.', source: `${VPC_DOCS}, Reserve a static internal IPv4 address`,
    expect: { refused: 'apply', at: 'google_compute_address.g_address_external_subnet', error: /A subnetwork may only be set for INTERNAL addresses\./ },
    config: { resource: rs(net('g_address_external_subnet'), subnet('g_address_external_subnet', 'g_address_external_subnet', '10.27.0.0/24'),
      r('google_compute_address', 'g_address_external_subnet', { name: 'g-address-external-subnet', subnetwork: '${google_compute_subnetwork.g_address_external_subnet.id}' })) },
  },
  {
    id: 'g_address_outside', rule: 'A reserved internal address lies in its subnetwork.', source: `${VPC_DOCS}, Reserve a static internal IPv4 address`,
    expect: { refused: 'apply', at: 'google_compute_address.g_address_outside', error: /Invalid value for field 'resource\.address': '10\.99\.0\.5'/ },
    config: { resource: rs(net('g_address_outside'), subnet('g_address_outside', 'g_address_outside', '10.28.0.0/24'),
      r('google_compute_address', 'g_address_outside', { name: 'g-address-outside', address_type: 'INTERNAL', address: '10.99.0.5', subnetwork: '${google_compute_subnetwork.g_address_outside.id}' })) },
  },
  // --- accepted, planning clean afterwards ---
  {
    id: 'g_asn_private', rule: 'Private 16-bit and 32-bit ASNs are valid Cloud Router ASNs.', source: 'Cloud Router docs, Cloud Router overview: ASNs',
    expect: { accepted: true },
    config: { resource: rs(net('g_asn_private'), router('g_asn_private_16', 'g_asn_private', 64514), router('g_asn_private_32', 'g_asn_private', 4200000001)) },
  },
  {
    id: 'g_firewall_protocols', rule: 'Named and numbered protocols, port ranges, deny rules.', source: `${VPC_DOCS}, VPC firewall rules: Protocols and ports`,
    expect: { accepted: true },
    config: { resource: rs(net('g_firewall_protocols'),
      firewall('g_firewall_protocols_allow', 'g_firewall_protocols', { allow: [{ protocol: 'tcp', ports: ['80', '8000-8080'] }, { protocol: 'icmp' }, { protocol: '47' }] }),
      firewall('g_firewall_protocols_deny', 'g_firewall_protocols', { deny: [{ protocol: 'all' }], priority: 65000 })) },
  },
  {
    id: 'g_mig_gpu_zone', rule: 'A2 VMs run in zones with A100s.', source: `${GCE_DOCS}, GPU locations`,
    expect: { accepted: true },
    config: { ...DEBIAN, resource: rs(net('g_mig_gpu_zone'), subnet('g_mig_gpu_zone', 'g_mig_gpu_zone', '10.29.0.0/24'),
      template('g_mig_gpu_zone', 'g_mig_gpu_zone', { machine_type: 'a2-highgpu-1g', scheduling: [{ on_host_maintenance: 'TERMINATE' }] }),
      group('g_mig_gpu_zone', 'g_mig_gpu_zone', 2, { distribution_policy_zones: ['us-central1-a', 'us-central1-b'] })) },
  },
  // --- issue 17, second part (fidelity2): project-wide quota, catalog additions, GPU zones per shape ---
  {
    id: 'g_subnet_quota', workspace: 'quota',
    rule: 'Subnets are a per-project quota (SUBNETWORKS) counting every network\'s; the subnet past it is refused.',
    source: `${VPC_DOCS}, Quotas and limits: Subnets; error form as quoted in pulumi/pulumi-gcp pull 415`,
    expect: { refused: 'apply', at: 'google_compute_subnetwork.g_subnet_quota_3', error: /Quota 'SUBNETWORKS' exceeded\.\s+Limit: 2\.0 globally\./ },
    config: { resource: rs(net('g_subnet_quota'), subnet('g_subnet_quota_1', 'g_subnet_quota', '10.40.1.0/24'),
      subnet('g_subnet_quota_2', 'g_subnet_quota', '10.40.2.0/24', { depends_on: ['google_compute_subnetwork.g_subnet_quota_1'] }),
      subnet('g_subnet_quota_3', 'g_subnet_quota', '10.40.3.0/24', { depends_on: ['google_compute_subnetwork.g_subnet_quota_2'] })) },
  },
  {
    id: 'g_types_new',
    rule: 'Machine types the Compute Engine API lists beyond the families written from memory (C4N, the lssd-metal and nolssd variants) are accepted.',
    source: `${GCE_DOCS}, Machine families resource and comparison guide; the API's machine type list (src/mock/google/data/machine-types.ts)`,
    expect: { accepted: true },
    config: { ...DEBIAN, resource: rs(net('g_types_new'), subnet('g_types_new', 'g_types_new', '10.41.0.0/24'),
      template('g_types_new_c4n', 'g_types_new', { machine_type: 'c4n-standard-2' }),
      template('g_types_new_metal', 'g_types_new', { machine_type: 'c4-standard-288-lssd-metal' })) },
  },
  {
    id: 'g_type_unknown_metal',
    rule: 'A machine type the API does not list is refused (c4-highcpu-288-metal: C4 bare metal is standard and highmem only).',
    source: `${GCE_DOCS}, General-purpose machine family: C4 bare metal`,
    expect: { refused: 'apply', at: 'google_compute_instance_template.g_type_unknown_metal', error: /Machine type with name 'c4-highcpu-288-metal' does not exist/ },
    config: { ...DEBIAN, resource: rs(net('g_type_unknown_metal'), subnet('g_type_unknown_metal', 'g_type_unknown_metal', '10.42.0.0/24'),
      template('g_type_unknown_metal', 'g_type_unknown_metal', { machine_type: 'c4-highcpu-288-metal' })) },
  },
  {
    id: 'g_gpu_shape_zone',
    rule: 'A3 Ultra (H200) VMs are offered in fewer zones than A3 High: a3-ultragpu-8g is not in us-central1-a.',
    source: `${GCE_DOCS}, GPU locations; the API's per-zone machine types`,
    expect: { refused: 'apply', at: 'google_compute_region_instance_group_manager.g_gpu_shape_zone',
      error: /The resource 'projects\/fidelity\/zones\/us-central1-a\/machineTypes\/a3-ultragpu-8g' was not found/ },
    config: { ...DEBIAN, resource: rs(net('g_gpu_shape_zone'), subnet('g_gpu_shape_zone', 'g_gpu_shape_zone', '10.43.0.0/24'),
      template('g_gpu_shape_zone', 'g_gpu_shape_zone', { machine_type: 'a3-ultragpu-8g', scheduling: [{ on_host_maintenance: 'TERMINATE' }] }),
      group('g_gpu_shape_zone', 'g_gpu_shape_zone', 1, { distribution_policy_zones: ['us-central1-a'] })) },
  },
  // --- load balancing (issue 19) ---
  {
    id: 'g_lb_proxy_subnet', rule: 'A regional Envoy-based (EXTERNAL_MANAGED) forwarding rule needs an ACTIVE REGIONAL_MANAGED_PROXY subnet in its region and network.',
    source: `${LB_DOCS}, Proxy-only subnets for Envoy-based load balancers`,
    expect: { refused: 'apply', at: 'google_compute_forwarding_rule.g_lb_proxy_subnet', error: /An active proxy-only subnetwork is required in the same region and VPC as the forwarding rule/ },
    config: { ...DEBIAN, resource: rs(...lbBase('g_lb_proxy_subnet', '10.40.0.0/24'), hc('g_lb_proxy_subnet'),
      backendService('g_lb_proxy_subnet', 'g_lb_proxy_subnet', 'g_lb_proxy_subnet', { load_balancing_scheme: 'EXTERNAL_MANAGED', protocol: 'HTTP', mode: { balancing_mode: 'UTILIZATION' } }),
      r('google_compute_region_url_map', 'g_lb_proxy_subnet', { name: 'g-lb-proxy-subnet', default_service: '${google_compute_region_backend_service.g_lb_proxy_subnet.id}' }),
      r('google_compute_region_target_http_proxy', 'g_lb_proxy_subnet', { name: 'g-lb-proxy-subnet', url_map: '${google_compute_region_url_map.g_lb_proxy_subnet.id}' }),
      r('google_compute_forwarding_rule', 'g_lb_proxy_subnet', {
        name: 'g-lb-proxy-subnet', target: '${google_compute_region_target_http_proxy.g_lb_proxy_subnet.id}', port_range: '80',
        load_balancing_scheme: 'EXTERNAL_MANAGED', network: '${google_compute_network.g_lb_proxy_subnet.id}',
      })) },
  },
  {
    id: 'g_lb_backend_region', rule: 'A regional backend service\'s backends are instance groups of its own region.', source: `${LB_DOCS}, Backend services overview: Backends`,
    expect: { refused: 'apply', at: 'google_compute_region_backend_service.g_lb_backend_region', error: /Backend group must be in the same region as the backend service/ },
    config: { ...DEBIAN, resource: rs(...lbBase('g_lb_backend_region', '10.41.0.0/24'), hc('g_lb_backend_region'),
      backendService('g_lb_backend_region', 'g_lb_backend_region', 'g_lb_backend_region', { load_balancing_scheme: 'EXTERNAL', region: 'europe-west1' })) },
  },
  {
    id: 'g_lb_scheme_protocol', rule: 'Passthrough backend services (EXTERNAL, INTERNAL) take L4 protocols (TCP, UDP, UNSPECIFIED), not HTTP.',
    source: `${LB_DOCS}, Backend services overview: Protocol to the backends`,
    expect: { refused: 'apply', at: 'google_compute_region_backend_service.g_lb_scheme_protocol', error: /Protocol HTTP is not supported for load balancing scheme EXTERNAL;/ },
    config: { ...DEBIAN, resource: rs(...lbBase('g_lb_scheme_protocol', '10.42.0.0/24'), hc('g_lb_scheme_protocol'),
      backendService('g_lb_scheme_protocol', 'g_lb_scheme_protocol', 'g_lb_scheme_protocol', { load_balancing_scheme: 'EXTERNAL', protocol: 'HTTP' })) },
  },
  {
    id: 'g_lb_balancing_mode', rule: 'Passthrough backend services balance by CONNECTION only.', source: `${LB_DOCS}, Backend services overview: Balancing mode`,
    expect: { refused: 'apply', at: 'google_compute_region_backend_service.g_lb_balancing_mode', error: /Balancing mode must be CONNECTION for an INTERNAL backend service\./ },
    config: { ...DEBIAN, resource: rs(...lbBase('g_lb_balancing_mode', '10.43.0.0/24'), hc('g_lb_balancing_mode'),
      backendService('g_lb_balancing_mode', 'g_lb_balancing_mode', 'g_lb_balancing_mode', { load_balancing_scheme: 'INTERNAL', protocol: 'TCP', mode: { balancing_mode: 'UTILIZATION' } })) },
  },
  {
    id: 'g_hc_timeout', rule: 'A health check\'s timeout is no longer than its check interval.', source: `${LB_DOCS}, Health checks overview: Health check parameters`,
    expect: { refused: 'apply', at: 'google_compute_region_health_check.g_hc_timeout', error: /'resource\.timeoutSec': '10'\. TimeoutSec should be less than checkIntervalSec\./ },
    config: { resource: hc('g_hc_timeout', { check_interval_sec: 5, timeout_sec: 10, tcp_health_check: [{ port: 80 }] }) },
  },
  {
    id: 'g_hc_threshold', rule: 'Healthy and unhealthy thresholds are 1 to 10.', source: `${LB_DOCS}, Health checks overview: Health check parameters`,
    expect: { refused: 'apply', at: 'google_compute_region_health_check.g_hc_threshold', error: /'resource\.unhealthyThreshold': '11'\. Must be greater than or equal to 1 and less than or equal to 10\./ },
    config: { resource: hc('g_hc_threshold', { unhealthy_threshold: 11, http_health_check: [{ port: 80 }] }) },
  },
  {
    id: 'g_hc_one_protocol', rule: 'A health check has exactly one protocol block.', source: 'terraform-provider-google, google_compute_region_health_check (ExactlyOneOf)',
    expect: { refused: 'validate', at: 'google_compute_region_health_check.g_hc_one_protocol', error: /only one of `http_health_check,.*` can be specified/ },
    config: { resource: hc('g_hc_one_protocol', { tcp_health_check: [{ port: 80 }], http_health_check: [{ port: 80 }] }) },
  },
  {
    id: 'g_autoscaler_bounds', rule: 'An autoscaler\'s minimum is at most its maximum.', source: `${GCE_DOCS}, Autoscaling groups of instances; Compute Engine API, regionAutoscalers`,
    expect: { refused: 'apply', at: 'google_compute_region_autoscaler.g_autoscaler_bounds', error: /minNumReplicas \(5\) must be less than or equal to maxNumReplicas \(3\)/ },
    config: { ...DEBIAN, resource: rs(...lbBase('g_autoscaler_bounds', '10.44.0.0/24', 0, { target_size: null }),
      r('google_compute_region_autoscaler', 'g_autoscaler_bounds', {
        name: 'g-autoscaler-bounds', target: '${google_compute_region_instance_group_manager.g_autoscaler_bounds.id}',
        autoscaling_policy: [{ min_replicas: 5, max_replicas: 3 }],
      })) },
  },
  {
    id: 'g_proxy_subnet_active', rule: 'One ACTIVE proxy-only subnet per network and region (others BACKUP).', source: `${LB_DOCS}, Proxy-only subnets for Envoy-based load balancers`,
    expect: { refused: 'apply', at: 'google_compute_subnetwork.g_proxy_subnet_active_', error: /An ACTIVE subnetwork with purpose REGIONAL_MANAGED_PROXY already exists in region 'us-central1'/ },
    config: { resource: rs(net('g_proxy_subnet_active'),
      subnet('g_proxy_subnet_active_a', 'g_proxy_subnet_active', '10.46.0.0/23', { purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE' }),
      subnet('g_proxy_subnet_active_b', 'g_proxy_subnet_active', '10.48.0.0/23', { purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE', depends_on: ['google_compute_subnetwork.g_proxy_subnet_active_a'] })) },
  },
  {
    id: 'g_lb_alb', rule: 'A regional external Application Load Balancer on an autoscaled group, with its proxy-only subnet, applies and plans clean (the autoscaler owns the group\'s size).',
    source: `${LB_DOCS}, Set up a regional external Application Load Balancer with a VM instance group backend`,
    expect: { accepted: true },
    config: { ...DEBIAN, resource: rs(...lbBase('g_lb_alb', '10.50.0.0/24', 0, { target_size: null, named_port: [{ name: 'http', port: 80 }] }),
      subnet('g_lb_alb_proxy', 'g_lb_alb', '10.52.0.0/23', { purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE' }),
      hc('g_lb_alb', { http_health_check: [{ port: 80, request_path: '/' }] }),
      backendService('g_lb_alb', 'g_lb_alb', 'g_lb_alb', { load_balancing_scheme: 'EXTERNAL_MANAGED', protocol: 'HTTP', port_name: 'http', mode: { balancing_mode: 'UTILIZATION', capacity_scaler: 1 } }),
      r('google_compute_region_url_map', 'g_lb_alb', { name: 'g-lb-alb', default_service: '${google_compute_region_backend_service.g_lb_alb.id}' }),
      r('google_compute_region_target_http_proxy', 'g_lb_alb', { name: 'g-lb-alb', url_map: '${google_compute_region_url_map.g_lb_alb.id}' }),
      r('google_compute_forwarding_rule', 'g_lb_alb', {
        name: 'g-lb-alb', target: '${google_compute_region_target_http_proxy.g_lb_alb.id}', port_range: '80', load_balancing_scheme: 'EXTERNAL_MANAGED',
        network: '${google_compute_network.g_lb_alb.id}', network_tier: 'STANDARD', depends_on: ['google_compute_subnetwork.g_lb_alb_proxy'],
      }),
      r('google_compute_region_autoscaler', 'g_lb_alb', {
        name: 'g-lb-alb', target: '${google_compute_region_instance_group_manager.g_lb_alb.id}',
        autoscaling_policy: [{ min_replicas: 2, max_replicas: 4, cpu_utilization: [{ target: 0.6 }] }],
      })) },
  },
];
