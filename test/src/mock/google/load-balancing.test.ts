import { ProviderResponse } from '../../../../src/mock/framework/messages';
import { QUOTAS_ENV } from '../../../../src/mock/framework/quotas';
import { decodeDynamicValue, DynamicValueMessage } from '../../../../src/mock/values/dynamic-value';
import { ObjectValue } from '../../../../src/mock/values/value';
import { formatInventory } from '../../../../src/inventory/format';
import { baseNetwork, GoogleHarness, groupConfig, templateConfig } from './helpers';

/**
 * The regional load balancers of the simulated Google Cloud, driven as Terraform drives the
 * provider (plan, then apply): health checks, backend services, URL maps, target proxies,
 * forwarding rules, proxy-only subnets, autoscalers, the health the load balancer sees of its
 * backends, deletion of what is in use, quotas and `terraform import`.
 */
describe('simulated Google Cloud load balancing', () => {
  let g: GoogleHarness;
  beforeEach(async () => {
    g = new GoogleHarness();
    expect(await g.configure()).toEqual([]);
  });
  afterEach(() => g.cleanup());

  /** A network with a subnetwork and a group of `size` instances tagged `web`, serving http on 80. */
  const serviceGroup = async (size = 2, over: ObjectValue = {}) => {
    const { network, subnet } = await baseNetwork(g);
    const template = await g.must('google_compute_instance_template', templateConfig(subnet));
    const hc = await g.must('google_compute_region_health_check', { name: 'web-hc', http_health_check: [{ port: 80, request_path: '/' }] });
    const group = await g.must('google_compute_region_instance_group_manager', groupConfig(template, {
      target_size: size, named_port: [{ name: 'http', port: 80 }], auto_healing_policies: [{ health_check: hc.id, initial_delay_sec: 300 }], ...over,
    }));
    return { network, subnet, template, hc, group };
  };
  const probeFirewall = (network: ObjectValue, over: ObjectValue = {}): ObjectValue => ({
    name: 'web-hc-in', network: network.id, source_ranges: ['35.191.0.0/16', '130.211.0.0/22'], target_tags: ['web'],
    allow: [{ protocol: 'tcp', ports: ['80'] }], ...over,
  });
  const health = () => g.list<{ name: string; health: string | null }>('instance').map((i) => i.health);

  describe('health checks', () => {
    test('defaults, ids and links in Compute Engine\'s formats', async () => {
      const hc = await g.must('google_compute_region_health_check', { name: 'hc', tcp_health_check: [{ port: 8080 }] });
      expect(hc).toMatchObject({
        id: 'projects/test-project/regions/us-central1/healthChecks/hc',
        self_link: 'https://www.googleapis.com/compute/v1/projects/test-project/regions/us-central1/healthChecks/hc',
        check_interval_sec: 5, timeout_sec: 5, healthy_threshold: 2, unhealthy_threshold: 2, type: 'TCP',
        tcp_health_check: [expect.objectContaining({ port: 8080, proxy_header: 'NONE' })],
      });
      expect(hc.health_check_id).toEqual(expect.any(Number));
      const http = await g.must('google_compute_region_health_check', { name: 'hc2', http_health_check: [{}] });
      expect(http).toMatchObject({ type: 'HTTP', http_health_check: [expect.objectContaining({ port: 80, request_path: '/' })] });
      const global = await g.must('google_compute_health_check', { name: 'ghc', https_health_check: [{}] });
      expect(global).toMatchObject({ id: 'projects/test-project/global/healthChecks/ghc', type: 'HTTPS', https_health_check: [expect.objectContaining({ port: 443 })] });
    });

    test('timeout <= interval, thresholds 1..10, exactly one protocol block', async () => {
      expect(await g.refusal('google_compute_region_health_check', { name: 'hc', check_interval_sec: 5, timeout_sec: 10, tcp_health_check: [{ port: 80 }] }))
        .toBe("Error creating RegionHealthCheck: googleapi: Error 400: Invalid value for field 'resource.timeoutSec': '10'. TimeoutSec should be less than checkIntervalSec., invalid");
      expect(await g.refusal('google_compute_region_health_check', { name: 'hc', healthy_threshold: 11, tcp_health_check: [{ port: 80 }] }))
        .toContain("Invalid value for field 'resource.healthyThreshold': '11'. Must be greater than or equal to 1 and less than or equal to 10.");
      expect(await g.refusal('google_compute_region_health_check', { name: 'hc', unhealthy_threshold: 0, tcp_health_check: [{ port: 80 }] }))
        .toContain("'resource.unhealthyThreshold': '0'");
      expect(await g.validate('google_compute_region_health_check', { name: 'hc' })).toEqual(['Invalid combination of arguments']);
      expect(await g.validate('google_compute_region_health_check', { name: 'hc', tcp_health_check: [{}], http_health_check: [{}] }))
        .toEqual(['Invalid combination of arguments']);
    });
  });

  describe('backend services', () => {
    test('backends are groups of the service\'s region; protocol and balancing mode suit the scheme', async () => {
      const { group, hc } = await serviceGroup(0);
      const service = (over: ObjectValue): ObjectValue => ({
        name: 'web', load_balancing_scheme: 'EXTERNAL_MANAGED', protocol: 'HTTP', port_name: 'http', health_checks: [hc.id],
        backend: [{ group: group.instance_group, balancing_mode: 'UTILIZATION', capacity_scaler: 1 }], ...over,
      });
      expect(await g.refusal('google_compute_region_backend_service', service({ region: 'europe-west1', health_checks: [] })))
        .toContain("Invalid value for field 'resource.backends[0].group'");
      expect(await g.refusal('google_compute_region_backend_service', service({ region: 'europe-west1', health_checks: [] })))
        .toContain("Backend group must be in the same region as the backend service: the group is in 'us-central1', the backend service in 'europe-west1'.");
      expect(await g.refusal('google_compute_region_backend_service', service({ protocol: 'UDP' })))
        .toBe("Error creating RegionBackendService: googleapi: Error 400: Invalid value for field 'resource.protocol': 'UDP'. Protocol UDP is not supported for load balancing scheme EXTERNAL_MANAGED; it supports HTTP, HTTPS, HTTP2, H2C, GRPC, TCP, SSL., invalid");
      expect(await g.refusal('google_compute_region_backend_service', service({ load_balancing_scheme: 'EXTERNAL' })))
        .toContain("Protocol HTTP is not supported for load balancing scheme EXTERNAL");
      expect(await g.refusal('google_compute_region_backend_service', service({ load_balancing_scheme: 'EXTERNAL', protocol: 'TCP', port_name: null })))
        .toContain("Invalid value for field 'resource.backends[0].balancingMode': 'UTILIZATION'. Balancing mode must be CONNECTION for an EXTERNAL backend service.");
      expect(await g.refusal('google_compute_region_backend_service', service({ backend: [{ group: group.instance_group, balancing_mode: 'CONNECTION' }] })))
        .toContain('Balancing mode must be UTILIZATION or RATE for a backend service with protocol HTTP.');
      expect(await g.refusal('google_compute_region_backend_service', service({ health_checks: ['projects/test-project/regions/us-central1/healthChecks/ghost'] })))
        .toContain("The resource 'projects/test-project/regions/us-central1/healthChecks/ghost' was not found");
      const made = await g.must('google_compute_region_backend_service', service({}));
      expect(made).toMatchObject({
        id: 'projects/test-project/regions/us-central1/backendServices/web', protocol: 'HTTP', session_affinity: 'NONE', timeout_sec: 30,
        connection_draining_timeout_sec: 300, self_link: 'https://www.googleapis.com/compute/v1/projects/test-project/regions/us-central1/backendServices/web',
      });
      // A passthrough service: the provider's defaults (INTERNAL, CONNECTION) and TCP.
      const internal = await g.must('google_compute_region_backend_service', { name: 'tcp', health_checks: [hc.id], backend: [{ group: group.instance_group }] });
      expect(internal).toMatchObject({ load_balancing_scheme: 'INTERNAL', protocol: 'TCP', backend: [expect.objectContaining({ balancing_mode: 'CONNECTION' })] });
    });
  });

  describe('proxy-only subnets', () => {
    test('a role only with a proxy purpose, one ACTIVE per network and region, /26 or larger, no VMs', async () => {
      const { network } = await baseNetwork(g);
      const proxy = (name: string, range: string, over: ObjectValue = {}): ObjectValue => ({
        name, network: network.id, ip_cidr_range: range, purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE', ...over,
      });
      expect(await g.refusal('google_compute_subnetwork', { name: 's', network: network.id, ip_cidr_range: '10.1.0.0/24', role: 'ACTIVE' }))
        .toContain("Invalid value for field 'resource.role': 'ACTIVE'. Role can only be set for subnetworks with purpose REGIONAL_MANAGED_PROXY");
      expect(await g.refusal('google_compute_subnetwork', proxy('p', '10.1.0.0/27'))).toContain('must be /26 or larger');
      expect(await g.refusal('google_compute_subnetwork', proxy('p', '10.1.0.0/23', { private_ip_google_access: true })))
        .toContain('Private Google Access is not supported for subnetworks with purpose REGIONAL_MANAGED_PROXY');
      expect(await g.refusal('google_compute_subnetwork', proxy('p', '10.1.0.0/23', { log_config: [{}] })))
        .toContain('Flow logs are not supported');
      const active = await g.must('google_compute_subnetwork', proxy('p', '10.1.0.0/23'));
      expect(active).toMatchObject({ purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE' });
      expect(await g.refusal('google_compute_subnetwork', proxy('p2', '10.2.0.0/23')))
        .toContain(`An ACTIVE subnetwork with purpose REGIONAL_MANAGED_PROXY already exists in region 'us-central1' of this network: '${active.id}'`);
      await g.must('google_compute_subnetwork', proxy('p2', '10.2.0.0/23', { role: 'BACKUP' }));
      await g.must('google_compute_subnetwork', proxy('p3', '10.4.0.0/23', { region: 'europe-west1' }));
      // VMs cannot live there.
      const template = await g.must('google_compute_instance_template', templateConfig(active));
      expect(await g.refusal('google_compute_region_instance_group_manager', groupConfig(template, { target_size: 1 })))
        .toContain('Subnetwork with purpose REGIONAL_MANAGED_PROXY cannot be used for VM instances');
    });
  });

  describe('an application load balancer (regional external)', () => {
    test('end to end: the proxy-only subnet is required; addresses, links; backend health follows the firewall', async () => {
      const { network, group, hc } = await serviceGroup(2);
      const service = await g.must('google_compute_region_backend_service', {
        name: 'web', load_balancing_scheme: 'EXTERNAL_MANAGED', protocol: 'HTTP', port_name: 'http', health_checks: [hc.id],
        backend: [{ group: group.instance_group, balancing_mode: 'UTILIZATION', capacity_scaler: 1 }],
      });
      const map = await g.must('google_compute_region_url_map', { name: 'web', default_service: service.id });
      const proxy = await g.must('google_compute_region_target_http_proxy', { name: 'web', url_map: map.id });
      expect(proxy.self_link).toBe('https://www.googleapis.com/compute/v1/projects/test-project/regions/us-central1/targetHttpProxies/web');
      const rule: ObjectValue = {
        name: 'web', target: proxy.id, port_range: '80', load_balancing_scheme: 'EXTERNAL_MANAGED', network: network.id, network_tier: 'STANDARD',
      };
      expect(await g.refusal('google_compute_forwarding_rule', rule)).toBe(
        "Error creating ForwardingRule: googleapi: Error 400: Invalid value for field 'resource.target': 'projects/test-project/regions/us-central1/targetHttpProxies/web'. "
        + "An active proxy-only subnetwork is required in the same region and VPC as the forwarding rule (region 'us-central1', network 'projects/test-project/global/networks/net'): "
        + 'create a subnetwork with purpose REGIONAL_MANAGED_PROXY and role ACTIVE., invalid');
      await g.must('google_compute_subnetwork', { name: 'proxy', network: network.id, ip_cidr_range: '10.9.0.0/23', purpose: 'REGIONAL_MANAGED_PROXY', role: 'BACKUP' });
      expect(await g.refusal('google_compute_forwarding_rule', rule)).toContain('An active proxy-only subnetwork is required');
      const proxySubnet = await g.must('google_compute_subnetwork', { name: 'proxy-a', network: network.id, ip_cidr_range: '10.10.0.0/23', purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE' });
      expect(await g.refusal('google_compute_forwarding_rule', { ...rule, port_range: '80-81' })).toContain('takes a single port');
      expect(await g.refusal('google_compute_forwarding_rule', { ...rule, load_balancing_scheme: 'EXTERNAL' })).toContain('needs load balancing scheme EXTERNAL_MANAGED or INTERNAL_MANAGED');
      expect(await g.refusal('google_compute_forwarding_rule', { ...rule, network: null })).toContain('A network must be specified for a regional EXTERNAL_MANAGED forwarding rule');
      const fr = await g.must('google_compute_forwarding_rule', rule);
      expect(fr).toMatchObject({
        id: 'projects/test-project/regions/us-central1/forwardingRules/web', ip_protocol: 'TCP', network_tier: 'STANDARD',
        self_link: 'https://www.googleapis.com/compute/v1/projects/test-project/regions/us-central1/forwardingRules/web',
      });
      expect(fr.ip_address).toMatch(/^34\.\d+\.\d+\.\d+$/);

      // No firewall admits the probes: unhealthy.
      expect(health()).toEqual(['UNHEALTHY', 'UNHEALTHY']);
      // Only one of the two probe ranges: still unhealthy.
      const partial = await g.must('google_compute_firewall', probeFirewall(network, { source_ranges: ['35.191.0.0/16'] }));
      expect(health()).toEqual(['UNHEALTHY', 'UNHEALTHY']);
      expect(await g.destroy('google_compute_firewall', partial)).toEqual([]);
      // The wrong port or another tag: unhealthy.
      const wrongPort = await g.must('google_compute_firewall', probeFirewall(network, { allow: [{ protocol: 'tcp', ports: ['8080'] }] }));
      expect(health()).toEqual(['UNHEALTHY', 'UNHEALTHY']);
      expect(await g.destroy('google_compute_firewall', wrongPort)).toEqual([]);
      const otherTag = await g.must('google_compute_firewall', probeFirewall(network, { target_tags: ['db'] }));
      expect(health()).toEqual(['UNHEALTHY', 'UNHEALTHY']);
      expect(await g.destroy('google_compute_firewall', otherTag)).toEqual([]);
      // Both ranges on the health-check port to the instances' tag: healthy.
      const admit = await g.must('google_compute_firewall', probeFirewall(network));
      expect(health()).toEqual(['HEALTHY', 'HEALTHY']);
      // A deny of higher priority shadows it; a lower-priority deny does not.
      const deny = await g.must('google_compute_firewall', { ...probeFirewall(network), name: 'deny', allow: null, deny: [{ protocol: 'all' }], priority: 900 });
      expect(health()).toEqual(['UNHEALTHY', 'UNHEALTHY']);
      expect(await g.destroy('google_compute_firewall', deny)).toEqual([]);
      await g.must('google_compute_firewall', { ...probeFirewall(network), name: 'deny-low', allow: null, deny: [{ protocol: 'all' }], priority: 2000 });
      expect(health()).toEqual(['HEALTHY', 'HEALTHY']);
      // Disabled, the allow no longer counts.
      const disabled = await g.update('google_compute_firewall', admit, { ...admit, disabled: true });
      expect(disabled.errors).toEqual([]);
      expect(health()).toEqual(['UNHEALTHY', 'UNHEALTHY']);

      // Deleting what is in use: resourceInUseByAnotherResource.
      expect(await g.destroy('google_compute_region_health_check', hc))
        .toEqual([`Error deleting RegionHealthCheck: googleapi: Error 400: The healthCheck resource '${hc.id}' is already being used by '${service.self_link}', resourceInUseByAnotherResource`]);
      expect((await g.destroy('google_compute_region_backend_service', service))[0]).toContain(`The backendService resource '${service.id}' is already being used by '${map.self_link}'`);
      expect((await g.destroy('google_compute_region_url_map', map))[0]).toContain(`is already being used by '${proxy.self_link}'`);
      expect((await g.destroy('google_compute_region_target_http_proxy', proxy))[0]).toContain(`is already being used by '${fr.self_link}'`);
      expect((await g.destroy('google_compute_subnetwork', proxySubnet))[0]).toContain(`The subnetwork resource '${proxySubnet.id}' is already being used by '${fr.id}'`);
      expect((await g.destroy('google_compute_region_instance_group_manager', group))[0])
        .toContain("The instance_group resource 'projects/test-project/regions/us-central1/instanceGroups/web' is already being used by");
      // In dependency order, everything goes.
      for (const [type, state] of [['google_compute_forwarding_rule', fr], ['google_compute_region_target_http_proxy', proxy],
        ['google_compute_region_url_map', map], ['google_compute_region_backend_service', service]] as const) {
        expect(await g.destroy(type, state)).toEqual([]);
      }
      expect(health()).toEqual([null, null]);
    });

    test('a named port missing on the group leaves the backends unhealthy (Google reports it at health time)', async () => {
      const { network, group, hc } = await serviceGroup(1, { named_port: [{ name: 'web', port: 80 }] });
      await g.must('google_compute_firewall', probeFirewall(network));
      await g.must('google_compute_region_backend_service', {
        name: 'web', load_balancing_scheme: 'EXTERNAL_MANAGED', protocol: 'HTTP', port_name: 'http', health_checks: [hc.id],
        backend: [{ group: group.instance_group, balancing_mode: 'UTILIZATION' }],
      });
      expect(health()).toEqual(['UNHEALTHY']);
    });

    test('HTTPS proxies take regional certificates; URL maps take managed backend services of their region', async () => {
      const { group, hc } = await serviceGroup(0);
      const passthrough = await g.must('google_compute_region_backend_service', {
        name: 'tcp', load_balancing_scheme: 'EXTERNAL', protocol: 'TCP', health_checks: [hc.id], backend: [{ group: group.instance_group }],
      });
      expect(await g.refusal('google_compute_region_url_map', { name: 'm', default_service: passthrough.id }))
        .toContain('Backend service with load balancing scheme EXTERNAL cannot be used by a URL map');
      const managed = await g.must('google_compute_region_backend_service', {
        name: 'web', load_balancing_scheme: 'EXTERNAL_MANAGED', protocol: 'HTTP', health_checks: [hc.id],
        backend: [{ group: group.instance_group, balancing_mode: 'UTILIZATION' }],
      });
      const map = await g.must('google_compute_region_url_map', { name: 'm', default_service: managed.id });
      expect(await g.refusal('google_compute_region_target_https_proxy', { name: 'p', url_map: map.id }))
        .toContain('At least one SSL certificate must be specified for a target HTTPS proxy.');
      expect(await g.refusal('google_compute_region_target_https_proxy', { name: 'p', url_map: map.id, ssl_certificates: ['projects/test-project/global/sslCertificates/c'] }))
        .toContain('needs regional SSL certificates');
      await g.must('google_compute_region_target_https_proxy', { name: 'p', url_map: map.id, ssl_certificates: ['projects/test-project/regions/us-central1/sslCertificates/c'] });
      expect(await g.refusal('google_compute_region_target_http_proxy', { name: 'q', url_map: 'ghost' }))
        .toContain("The resource 'projects/test-project/regions/us-central1/urlMaps/ghost' was not found");
    });
  });

  describe('a network load balancer (passthrough)', () => {
    test('external: ports xor port_range, at most 5 ports, protocol of the backend service; internal: an address from the subnetwork', async () => {
      const { network, subnet, group, hc } = await serviceGroup(1);
      const external = await g.must('google_compute_region_backend_service', {
        name: 'ext', load_balancing_scheme: 'EXTERNAL', protocol: 'TCP', health_checks: [hc.id], backend: [{ group: group.instance_group }],
      });
      const rule = (over: ObjectValue): ObjectValue => ({ name: 'ext', backend_service: external.id, ip_protocol: 'TCP', ports: ['80'], ...over });
      expect(await g.refusal('google_compute_forwarding_rule', rule({ port_range: '80' }))).toContain('Only one of portRange and ports can be specified.');
      expect(await g.refusal('google_compute_forwarding_rule', rule({ ports: ['1', '2', '3', '4', '5', '6'] }))).toContain('At most 5 ports');
      expect(await g.refusal('google_compute_forwarding_rule', rule({ ip_protocol: 'UDP' }))).toContain("must match its backend service's protocol (TCP)");
      expect(await g.refusal('google_compute_forwarding_rule', rule({ load_balancing_scheme: 'INTERNAL' })))
        .toContain('The load balancing scheme of the forwarding rule (INTERNAL) must match that of its backend service');
      const fr = await g.must('google_compute_forwarding_rule', rule({}));
      expect(fr).toMatchObject({ load_balancing_scheme: 'EXTERNAL', ports: ['80'], network_tier: 'PREMIUM' });
      expect(fr.ip_address).toMatch(/^34\.\d+\.\d+\.\d+$/);
      // The external address is taken: a reserved address gets another one.
      expect((await g.must('google_compute_address', { name: 'other' })).address).not.toEqual(fr.ip_address);

      const internal = await g.must('google_compute_region_backend_service', {
        name: 'int', load_balancing_scheme: 'INTERNAL', protocol: 'TCP', network: network.id, health_checks: [hc.id], backend: [{ group: group.instance_group }],
      });
      const irule = { name: 'int', backend_service: internal.id, load_balancing_scheme: 'INTERNAL', ports: ['80'], network: network.id };
      expect(await g.refusal('google_compute_forwarding_rule', irule))
        .toContain("Invalid value for field 'resource.subnetwork': ''. A subnetwork must be specified for a forwarding rule with load balancing scheme INTERNAL.");
      const ifr = await g.must('google_compute_forwarding_rule', { ...irule, subnetwork: subnet.id });
      // 10.0.0.2 is the group's instance; the rule gets the next free address.
      expect(g.list<{ private_ip: string }>('instance').map((i) => i.private_ip)).toEqual(['10.0.0.2']);
      expect(ifr).toMatchObject({ ip_address: '10.0.0.3', subnetwork: subnet.id, network: network.id });
    });
  });

  describe('autoscalers', () => {
    test('the group starts at min and follows the bounds; target in the region, min <= max <= 1000', async () => {
      const { group } = await serviceGroup(0, { target_size: null });
      const scaler = (over: ObjectValue, policy: ObjectValue = {}): ObjectValue => ({
        name: 'web', target: group.id, autoscaling_policy: [{ min_replicas: 2, max_replicas: 5, cpu_utilization: [{ target: 0.6 }], ...policy }], ...over,
      });
      expect(await g.refusal('google_compute_region_autoscaler', scaler({}, { min_replicas: 6 })))
        .toBe("Error creating RegionAutoscaler: googleapi: Error 400: Invalid value for field 'resource.autoscalingPolicy.minNumReplicas': '6'. minNumReplicas (6) must be less than or equal to maxNumReplicas (5)., invalid");
      expect(await g.refusal('google_compute_region_autoscaler', scaler({}, { max_replicas: 1001 }))).toContain("'resource.autoscalingPolicy.maxNumReplicas': '1001'");
      expect(await g.refusal('google_compute_region_autoscaler', scaler({}, { cpu_utilization: [{ target: 1.5 }] }))).toContain('utilizationTarget');
      expect(await g.refusal('google_compute_region_autoscaler', scaler({ region: 'europe-west1' })))
        .toContain("The target managed instance group must be in the autoscaler's region 'europe-west1', not 'us-central1'.");
      expect(await g.refusal('google_compute_region_autoscaler', scaler({ target: 'projects/test-project/regions/us-central1/instanceGroupManagers/ghost' })))
        .toContain("The resource 'projects/test-project/regions/us-central1/instanceGroupManagers/ghost' was not found");
      const made = await g.must('google_compute_region_autoscaler', scaler({}));
      expect(made).toMatchObject({
        id: 'projects/test-project/regions/us-central1/autoscalers/web', autoscaling_policy: [expect.objectContaining({ cooldown_period: 60, mode: 'ON' })],
      });
      expect(g.list('instance')).toHaveLength(2);
      expect((await g.read('google_compute_region_instance_group_manager', group))?.target_size).toBe(2);
      expect(await g.refusal('google_compute_region_autoscaler', scaler({ name: 'second' }))).toContain('already has an autoscaler');
      const raised = await g.update('google_compute_region_autoscaler', made, scaler({}, { min_replicas: 4, max_replicas: 8 }));
      expect(raised.errors).toEqual([]);
      expect(g.list('instance')).toHaveLength(4);
      const lowered = await g.update('google_compute_region_autoscaler', raised.state!, scaler({}, { min_replicas: 1, max_replicas: 3 }));
      expect(lowered.errors).toEqual([]);
      expect(g.list('instance')).toHaveLength(1);
      // The group's autoscaler goes with it.
      expect(await g.destroy('google_compute_region_instance_group_manager', (await g.read('google_compute_region_instance_group_manager', group))!)).toEqual([]);
      expect(await g.read('google_compute_region_autoscaler', lowered.state!)).toBeNull();
    });

    test('autohealing needs an existing health check, initial delay 0..3600; named ports are checked', async () => {
      const { subnet } = await baseNetwork(g);
      const template = await g.must('google_compute_instance_template', templateConfig(subnet));
      expect(await g.refusal('google_compute_region_instance_group_manager', groupConfig(template, {
        auto_healing_policies: [{ health_check: 'projects/test-project/regions/us-central1/healthChecks/ghost', initial_delay_sec: 60 }],
      }))).toContain('ghost\' was not found');
      const hc = await g.must('google_compute_region_health_check', { name: 'hc', tcp_health_check: [{ port: 22 }] });
      expect(await g.refusal('google_compute_region_instance_group_manager', groupConfig(template, {
        auto_healing_policies: [{ health_check: hc.self_link, initial_delay_sec: 4000 }],
      }))).toContain("'resource.autoHealingPolicies[0].initialDelaySec': '4000'");
      expect(await g.refusal('google_compute_region_instance_group_manager', groupConfig(template, { named_port: [{ name: 'Http', port: 80 }] })))
        .toContain("'resource.namedPorts[0].name': 'Http'");
      const group = await g.must('google_compute_region_instance_group_manager', groupConfig(template, {
        auto_healing_policies: [{ health_check: hc.self_link, initial_delay_sec: 300 }],
      }));
      expect((await g.destroy('google_compute_region_health_check', hc))[0]).toContain(`is already being used by '${group.self_link}'`);
    });
  });

  describe('quotas (BUTTER_MOCK_QUOTAS)', () => {
    const saved = process.env[QUOTAS_ENV];
    afterEach(() => {
      if (saved === undefined) delete process.env[QUOTAS_ENV];
      else process.env[QUOTAS_ENV] = saved;
    });

    test('health checks, backend services and forwarding rules per project', async () => {
      process.env[QUOTAS_ENV] = JSON.stringify({ google: { health_checks_per_project: 1, backend_services_per_project: 1, forwarding_rules_per_project: 1 } });
      const hc = await g.must('google_compute_region_health_check', { name: 'a', tcp_health_check: [{ port: 80 }] });
      expect(await g.refusal('google_compute_region_health_check', { name: 'b', tcp_health_check: [{ port: 80 }] }))
        .toBe("Error creating RegionHealthCheck: googleapi: Error 403: Quota 'HEALTH_CHECKS' exceeded.  Limit: 1.0 globally., quotaExceeded");
      const service = await g.must('google_compute_region_backend_service', { name: 'a', load_balancing_scheme: 'EXTERNAL', health_checks: [hc.id] });
      expect(await g.refusal('google_compute_region_backend_service', { name: 'b', load_balancing_scheme: 'EXTERNAL', health_checks: [hc.id] }))
        .toContain("Quota 'BACKEND_SERVICES' exceeded.  Limit: 1.0 globally.");
      await g.must('google_compute_forwarding_rule', { name: 'a', backend_service: service.id, ports: ['80'] });
      expect(await g.refusal('google_compute_forwarding_rule', { name: 'b', backend_service: service.id, ports: ['81'] }))
        .toContain("Quota 'FORWARDING_RULES' exceeded.  Limit: 1.0 globally.");
    });
  });

  describe('terraform import', () => {
    /** ImportResourceState then ReadResource, as Terraform imports. */
    const importOf = async (type: string, id: string): Promise<ObjectValue | null> => {
      const shape = g.h.service.schemaOf('resource', type)!.block.shape;
      const imported: ProviderResponse = await g.h.service.ImportResourceState({ type_name: type, id });
      const [resource] = (imported.imported_resources as { state: DynamicValueMessage; private: Buffer }[] | undefined) ?? [];
      if (!resource) return null;
      const read = await g.h.service.ReadResource({ type_name: type, current_state: resource.state, private: resource.private });
      return decodeDynamicValue(read.new_state as DynamicValueMessage, shape);
    };

    test('every new type imports from each documented id form, as a refresh shows it', async () => {
      const { network, group, hc } = await serviceGroup(0, { target_size: null });
      await g.must('google_compute_subnetwork', { name: 'proxy', network: network.id, ip_cidr_range: '10.10.0.0/23', purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE' });
      const service = await g.must('google_compute_region_backend_service', {
        name: 'web', load_balancing_scheme: 'EXTERNAL_MANAGED', protocol: 'HTTP', health_checks: [hc.id], backend: [{ group: group.instance_group, balancing_mode: 'UTILIZATION' }],
      });
      const map = await g.must('google_compute_region_url_map', { name: 'web', default_service: service.id });
      const made: Record<string, [string, ObjectValue]> = {
        healthChecks: ['google_compute_region_health_check', hc],
        backendServices: ['google_compute_region_backend_service', service],
        urlMaps: ['google_compute_region_url_map', map],
        targetHttpProxies: ['google_compute_region_target_http_proxy', await g.must('google_compute_region_target_http_proxy', { name: 'web', url_map: map.id })],
        targetHttpsProxies: ['google_compute_region_target_https_proxy', await g.must('google_compute_region_target_https_proxy', {
          name: 'web', url_map: map.id, ssl_certificates: ['projects/test-project/regions/us-central1/sslCertificates/c'],
        })],
        forwardingRules: ['google_compute_forwarding_rule', await g.must('google_compute_forwarding_rule', {
          name: 'web', target: 'projects/test-project/regions/us-central1/targetHttpProxies/web', port_range: '80', load_balancing_scheme: 'EXTERNAL_MANAGED',
          network: network.id, labels: { team: 'web' },
        })],
        autoscalers: ['google_compute_region_autoscaler', await g.must('google_compute_region_autoscaler', {
          name: 'web', target: group.id, autoscaling_policy: [{ min_replicas: 1, max_replicas: 3 }],
        })],
      };
      for (const [collection, [type, state]] of Object.entries(made)) {
        const refreshed = (await g.read(type, state))!;
        // Labels come back only as the state names them (none after an import), as the provider reads them.
        const notReadBack: ObjectValue = type === 'google_compute_forwarding_rule' ? { labels: null, terraform_labels: {}, recreate_closed_psc: false } : {};
        const name = String(state.name);
        for (const id of [`projects/test-project/regions/us-central1/${collection}/${name}`, `test-project/us-central1/${name}`, `us-central1/${name}`, name]) {
          expect([type, id, await importOf(type, id)]).toEqual([type, id, { ...refreshed, ...notReadBack }]);
        }
        expect(await importOf(type, `europe-west1/${name}`)).toBeNull();
      }
      const global = await g.must('google_compute_health_check', { name: 'ghc', tcp_health_check: [{ port: 80 }] });
      for (const id of ['projects/test-project/global/healthChecks/ghc', 'test-project/ghc', 'ghc']) {
        expect(await importOf('google_compute_health_check', id)).toEqual(await g.read('google_compute_health_check', global));
      }
    });
  });

  test('the inventory (butter mock status, deploy --show) prints an instance\'s health in the HEALTH column', () => {
    const text = formatInventory({
      networks: [{
        name: 'dev', cloud: 'google', id: 'net', paths: [],
        services: [{
          name: 'web', network: 'dev', desired: 2, subnets: [{ id: 's', cidr: '10.0.0.0/24', zone: 'us-central1' }],
          instances: [{ id: 'web-0', state: 'running', health: 'unhealthy' }, { id: 'web-1', state: 'running' }],
        }],
      }],
    });
    expect(text).toMatch(/STATE\s+HEALTH/);
    expect(text).toMatch(/web-0 .* running\s+unhealthy/);
    expect(text).toMatch(/web-1 .* running\s+-\s*$/m);
  });
});
