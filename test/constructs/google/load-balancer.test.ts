import { TerraformOutput, Testing, Token } from 'cdktf';
import { Service, LoadBalancer, Network, Checks } from '../../../constructs';
import { GoogleRenderer } from '../../../constructs/google/renderer';
import { installButterMatchers } from '../../../constructs/testing';
import { GOOGLE_NAME_MAX_LENGTH, GOOGLE_NAME_PATTERN } from '../../../src/planning/google-names';
import { GOOGLE_HEALTH_CHECK_RANGES } from '../../../src/planning/balancer-plan';
import { cidrContains, cidrOverlaps, parseCidr } from '../../../src/planning/ipv4';
import { googleStack, googleServiceBody, synthJson, resourcesOf, resourceNamed, tempDir, writeBlueprint, TfJson } from '../../helpers/synth';
import { butterErrorOf } from '../../helpers/errors';

installButterMatchers();

/** The test networks leave flow logs off (BUTTER-GCP-008), as the examples do. */
const flowLogsOff = (network: Network) => Checks.suppress(network, 'BUTTER-GCP-008', 'test network: flow logs are billed');

const ref = (type: string, attr: string) => expect.stringMatching(new RegExp(`^\\$\\{${type}\\.[\\w-]+\\.${attr}\\}$`));
const only = (tf: TfJson, type: string) => {
  const all = resourcesOf(tf, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0][1];
};
/** Firewall rules as `source>target:protocol/ports`, sorted. */
const rules = (tf: TfJson) => resourcesOf(tf, 'google_compute_firewall').filter(([, r]) => r.allow)
  .map(([, r]) => `${(r.source_ranges ?? r.source_tags).join(',')}>${r.target_tags.join(',')}:${r.allow.map((a: any) => `${a.protocol}/${a.ports ?? '*'}`).join(',')}`)
  .sort();

describe('LoadBalancer on Google Cloud', () => {
  const dir = tempDir();
  const nginx = (name: string, over: Record<string, unknown> = {}) => writeBlueprint(dir, name, googleServiceBody({
    network: { subnetwork_max_instance_count: 12 },
    load_balancer: { type: 'application' },
    scaling: { min: 2, max: 6 },
    ...over,
  }));
  const alb = nginx('alb');

  describe('a regional external Application Load Balancer over an autoscaled group', () => {
    const { stack, network } = googleStack();
    flowLogsOff(network);
    const web = new Service(network, 'web', { blueprint: alb });
    const lb = web.loadBalancer!;
    Checks.suppress(lb, 'BUTTER-LB-001', 'test: plain HTTP');
    new TerraformOutput(stack, 'lb', { value: lb.dnsName });
    const tf = synthJson(stack);

    test('the blueprint made the balancer, a peer whose Paths reach the service on its target port', () => {
      expect(lb).toBeInstanceOf(LoadBalancer);
      expect(lb.peerId).toBe('web-lb');
      expect(lb.paths.map((p) => `${p.source.peerId}>${p.destination.serviceName}:${p.port}`)).toEqual(['web-lb>web:tcp:80']);
      expect(network.paths).toEqual(lb.paths);
    });

    test('a health check (HTTP / on the target port) that the group autoheals with and the backend uses', () => {
      const hc = only(tf, 'google_compute_region_health_check');
      expect(hc).toMatchObject({
        name: 'dev-web', region: 'us-central1', check_interval_sec: 30, timeout_sec: 5, healthy_threshold: 3, unhealthy_threshold: 3,
        http_health_check: { port: 80, request_path: '/' },
      });
      expect(hc.tcp_health_check).toBeUndefined();
      const group = only(tf, 'google_compute_region_instance_group_manager');
      expect(group.auto_healing_policies).toEqual({ health_check: ref('google_compute_region_health_check', 'id'), initial_delay_sec: 300 });
      expect(group.named_port).toEqual([{ name: 'port-80', port: 80 }]);
      expect(only(tf, 'google_compute_region_backend_service').health_checks).toEqual([ref('google_compute_region_health_check', 'id')]);
    });

    test('the proxy-only subnet: REGIONAL_MANAGED_PROXY, ACTIVE, a /23 of the network apart from the service', () => {
      const subnets = resourcesOf(tf, 'google_compute_subnetwork').map(([, s]) => s);
      const proxy = subnets.find((s) => s.purpose === 'REGIONAL_MANAGED_PROXY');
      const service = subnets.find((s) => s.purpose === undefined);
      expect(subnets).toHaveLength(2);
      expect(proxy).toMatchObject({ role: 'ACTIVE', region: 'us-central1', name: 'dev-proxy-only', network: ref('google_compute_network', 'id') });
      expect(proxy.log_config).toBeUndefined();
      expect(parseCidr(proxy.ip_cidr_range).prefix).toBe(23);
      expect(cidrContains(network.cidr, proxy.ip_cidr_range)).toBe(true);
      expect(cidrOverlaps(proxy.ip_cidr_range, service.ip_cidr_range)).toBe(false);
      expect(lb.plan.proxyOnlySubnet).toBe(proxy.ip_cidr_range);
    });

    test('backend service, URL map, HTTP proxy and forwarding rule of an EXTERNAL_MANAGED balancer in the Standard tier', () => {
      expect(only(tf, 'google_compute_region_backend_service')).toMatchObject({
        name: 'dev-web-lb-80',
        region: 'us-central1',
        load_balancing_scheme: 'EXTERNAL_MANAGED',
        protocol: 'HTTP',
        port_name: 'port-80',
        backend: [{ group: ref('google_compute_region_instance_group_manager', 'instance_group'), balancing_mode: 'UTILIZATION', capacity_scaler: 1 }],
      });
      expect(only(tf, 'google_compute_region_url_map').default_service).toEqual(ref('google_compute_region_backend_service', 'id'));
      expect(only(tf, 'google_compute_region_target_http_proxy').url_map).toEqual(ref('google_compute_region_url_map', 'id'));
      expect(resourcesOf(tf, 'google_compute_region_target_https_proxy')).toHaveLength(0);
      const rule = only(tf, 'google_compute_forwarding_rule');
      expect(rule).toMatchObject({
        name: 'dev-web-lb-80',
        ip_protocol: 'TCP',
        port_range: '80',
        load_balancing_scheme: 'EXTERNAL_MANAGED',
        network_tier: 'STANDARD',
        target: ref('google_compute_region_target_http_proxy', 'id'),
        network: ref('google_compute_network', 'id'),
        ip_address: ref('google_compute_address', 'address'),
      });
      expect(rule.subnetwork).toBeUndefined();
      expect(rule.depends_on).toEqual([expect.stringMatching(/^google_compute_subnetwork\.[\w-]*proxy-only/)]);
      expect(only(tf, 'google_compute_address')).toMatchObject({ address_type: 'EXTERNAL', network_tier: 'STANDARD', name: 'dev-web-lb' });
      expect(Token.isUnresolved(lb.dnsName)).toBe(true);
      expect(tf.output?.lb.value).toEqual(ref('google_compute_address', 'address'));
    });

    test('firewall: the proxy-only range to the target port, Google\'s probers to the health port, nothing from the internet', () => {
      const proxy = lb.plan.proxyOnlySubnet!;
      expect(rules(tf)).toEqual([
        `${GOOGLE_HEALTH_CHECK_RANGES.join(',')}>dev-web:tcp/80`,
        `${proxy}>dev-web:tcp/80`,
      ].sort());
      const path = resourceNamed(tf, 'google_compute_firewall', 'from-web-lb');
      expect(path).toMatchObject({ priority: 1000, direction: 'INGRESS', description: 'load balancer web-lb to web on tcp:80' });
    });

    test('autoscaled: a regional autoscaler on CPU, no target size, nothing pinned, replacements surge', () => {
      expect(only(tf, 'google_compute_region_autoscaler')).toMatchObject({
        name: 'dev-web',
        region: 'us-central1',
        target: ref('google_compute_region_instance_group_manager', 'id'),
        autoscaling_policy: { min_replicas: 2, max_replicas: 6, cooldown_period: 300, mode: 'ON', cpu_utilization: { target: 0.6 } },
      });
      const group = only(tf, 'google_compute_region_instance_group_manager');
      expect(group.target_size).toBeUndefined();
      expect(group.update_policy).toMatchObject({ replacement_method: 'SUBSTITUTE', max_surge_fixed: 3, max_unavailable_fixed: 0, instance_redistribution_type: 'PROACTIVE' });
      expect(resourcesOf(tf, 'google_compute_region_per_instance_config')).toHaveLength(0);
      // The only address is the balancer's.
      expect(resourcesOf(tf, 'google_compute_address')).toHaveLength(1);
      expect(web.plan.count).toBe(2);
    });

    test('the instances have no external IP and go out through Cloud NAT', () => {
      expect(only(tf, 'google_compute_instance_template').network_interface[0].access_config).toBeUndefined();
      expect(resourcesOf(tf, 'google_compute_router_nat')).toHaveLength(1);
    });

    test('privateIps, publicIps and instanceIds of an autoscaled service are SERVICE_ADDRESSES_UNKNOWN, pointing at the balancer', () => {
      for (const read of [() => web.privateIps, () => web.instanceIds]) {
        const err = butterErrorOf(read);
        expect(err).toMatchObject({ code: 'SERVICE_ADDRESSES_UNKNOWN', key: 'scaling', file: alb, constructPath: 'test/dev/web' });
        expect(err.hint).toMatch(/through its load balancer \(web\.loadBalancer\.dnsName\)/);
      }
      expect(web.publicIps).toEqual([]); // private instances: nothing to know
    });

    test('every name is a valid Google name, and the stack passes butter check', () => {
      for (const [type, all] of Object.entries(tf.resource)) {
        for (const [id, r] of Object.entries(all as Record<string, any>)) {
          if (typeof r.name !== 'string') continue;
          expect([type, id, GOOGLE_NAME_PATTERN.test(r.name) && r.name.length <= GOOGLE_NAME_MAX_LENGTH]).toEqual([type, id, true]);
        }
      }
      expect(stack).toPassChecks();
    });

    test('the renderer hands out the balancer\'s resources', () => {
      const renderer = network.renderer as GoogleRenderer;
      expect(renderer.balancerResourcesOf(lb)?.forwardingRules).toHaveLength(1);
    });

    test('snapshot', () => {
      // The blueprint's temporary folder differs per run.
      expect(Testing.synth(stack).split(dir).join('<blueprints>')).toMatchSnapshot();
    });
  });

  test('https and http listeners: one backend per target port, a proxy and a forwarding rule per listener, one shared address', () => {
    const { stack, network } = googleStack();
    new Service(network, 'web', {
      blueprint: nginx('https', {
        load_balancer: {
          listeners: [
            { protocol: 'http', port: 80 },
            { protocol: 'https', port: 443, target_port: 80, certificate: 'web-cert' },
            { protocol: 'https', port: 8443, target_port: 80, certificate: 'https://www.googleapis.com/compute/v1/projects/other-project/regions/us-central1/sslCertificates/shared' },
          ],
        },
      }),
    });
    const tf = synthJson(stack);
    expect(resourcesOf(tf, 'google_compute_region_backend_service')).toHaveLength(1);
    expect(resourcesOf(tf, 'google_compute_region_url_map')).toHaveLength(1);
    expect(resourcesOf(tf, 'google_compute_region_target_http_proxy')).toHaveLength(1);
    const https = resourcesOf(tf, 'google_compute_region_target_https_proxy').map(([, p]) => p);
    expect(https.map((p) => p.ssl_certificates)).toEqual([
      ['projects/butter-test/regions/us-central1/sslCertificates/web-cert'],
      ['https://www.googleapis.com/compute/v1/projects/other-project/regions/us-central1/sslCertificates/shared'],
    ]);
    const forwarding = resourcesOf(tf, 'google_compute_forwarding_rule').map(([, r]) => r);
    // (in the order of their ids: 443, 80, 8443)
    expect(forwarding.map((r) => r.port_range)).toEqual(['443', '80', '8443']);
    expect(forwarding.map((r) => r.target)).toEqual([
      ref('google_compute_region_target_https_proxy', 'id'), ref('google_compute_region_target_http_proxy', 'id'), ref('google_compute_region_target_https_proxy', 'id'),
    ]);
    expect(new Set(forwarding.map((r) => r.ip_address)).size).toBe(1);
    // The instances still see only the proxies, on 80.
    expect(rules(tf).filter((r) => !r.startsWith(GOOGLE_HEALTH_CHECK_RANGES[0]))).toEqual([expect.stringMatching(/>dev-web:tcp\/80$/)]);
  });

  test('an internal Application Load Balancer: INTERNAL_MANAGED, its address in the service\'s subnet', () => {
    const { stack, network } = googleStack();
    new Service(network, 'api', { blueprint: nginx('internal', { load_balancer: { scheme: 'internal' } }) });
    const tf = synthJson(stack);
    const rule = only(tf, 'google_compute_forwarding_rule');
    expect(rule).toMatchObject({ load_balancing_scheme: 'INTERNAL_MANAGED', subnetwork: ref('google_compute_subnetwork', 'id') });
    expect(rule.network_tier).toBeUndefined();
    expect(rule.subnetwork).not.toContain('proxy-only');
    expect(only(tf, 'google_compute_address')).toMatchObject({ address_type: 'INTERNAL', purpose: 'SHARED_LOADBALANCER_VIP', subnetwork: ref('google_compute_subnetwork', 'id') });
    expect(only(tf, 'google_compute_region_backend_service').load_balancing_scheme).toBe('INTERNAL_MANAGED');
  });

  test('an internal Application Load Balancer with allowed_cidrs warns that Google does not enforce them', () => {
    const { stack, network } = googleStack();
    new Service(network, 'api', { blueprint: nginx('internal-cidrs', { load_balancer: { scheme: 'internal', allowed_cidrs: ['10.1.0.0/16'] } }) });
    const warnings = stack.node.findAll().flatMap((c) => c.node.metadata).filter((m) => /warn/.test(m.type)).map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringMatching(/internal Application Load Balancer admits every client.*10\.1\.0\.0\/16.*not enforced/)]);
  });

  test('two application balancers in one network share one proxy-only subnet', () => {
    const { stack, network } = googleStack();
    new Service(network, 'web', { blueprint: alb });
    new Service(network, 'api', { blueprint: alb });
    const tf = synthJson(stack);
    const proxies = resourcesOf(tf, 'google_compute_subnetwork').filter(([, s]) => s.purpose === 'REGIONAL_MANAGED_PROXY');
    expect(proxies).toHaveLength(1);
    const range = proxies[0][1].ip_cidr_range;
    expect(rules(tf).filter((r) => r.startsWith(range))).toEqual([`${range}>dev-api:tcp/80`, `${range}>dev-web:tcp/80`]);
    expect(resourcesOf(tf, 'google_compute_forwarding_rule')).toHaveLength(2);
  });

  test('a passthrough Network Load Balancer: a backend per protocol, forwarding rules per listener, the allowed clients admitted', () => {
    const { stack, network } = googleStack();
    flowLogsOff(network);
    const dns = new Service(network, 'dns', {
      blueprint: writeBlueprint(dir, 'nlb', googleServiceBody({
        load_balancer: {
          type: 'network',
          listeners: [{ protocol: 'udp', port: 53 }, { protocol: 'tcp', port: 53 }],
          allowed_cidrs: ['203.0.113.0/24', '198.51.100.0/24'],
        },
      })),
    });
    const tf = synthJson(stack);
    const backends = resourcesOf(tf, 'google_compute_region_backend_service').map(([, b]) => b);
    expect(backends.map((b) => [b.name, b.protocol, b.load_balancing_scheme, b.backend[0].balancing_mode, b.port_name])).toEqual([
      ['dev-dns-lb-tcp', 'TCP', 'EXTERNAL', 'CONNECTION', undefined],
      ['dev-dns-lb-udp', 'UDP', 'EXTERNAL', 'CONNECTION', undefined],
    ]);
    const forwarding = resourcesOf(tf, 'google_compute_forwarding_rule').map(([, r]) => r);
    expect(forwarding.map((r) => [r.ip_protocol, r.port_range, r.load_balancing_scheme, r.target])).toEqual([
      ['TCP', '53', 'EXTERNAL', undefined], ['UDP', '53', 'EXTERNAL', undefined],
    ]);
    expect(forwarding.map((r) => r.backend_service)).toEqual([ref('google_compute_region_backend_service', 'id'), ref('google_compute_region_backend_service', 'id')]);
    expect(forwarding[0].backend_service).not.toBe(forwarding[1].backend_service);
    // No proxies, no proxy-only subnet, no URL map.
    expect(resourcesOf(tf, 'google_compute_subnetwork')).toHaveLength(1);
    expect(resourcesOf(tf, 'google_compute_region_url_map')).toHaveLength(0);
    // A TCP health check on the port; the clients keep their addresses, so the allowed blocks are admitted.
    expect(only(tf, 'google_compute_region_health_check').tcp_health_check).toEqual({ port: 53 });
    expect(rules(tf)).toEqual([
      `${GOOGLE_HEALTH_CHECK_RANGES.join(',')}>dev-dns:tcp/53`,
      '203.0.113.0/24,198.51.100.0/24>dev-dns:tcp/53',
      '203.0.113.0/24,198.51.100.0/24>dev-dns:udp/53',
    ].sort());
    expect(dns.loadBalancer!.paths.map((p) => String(p.port)).sort()).toEqual(['tcp:53', 'udp:53']);
    // Not autoscaled: the pinned addresses stay.
    expect(dns.privateIps).toHaveLength(3);
    expect(stack).toPassChecks();
  });

  test('an internal passthrough Network Load Balancer: INTERNAL, ports, network and subnetwork', () => {
    const { stack, network } = googleStack();
    new Service(network, 'db', {
      blueprint: writeBlueprint(dir, 'inlb', googleServiceBody({ load_balancer: { type: 'network', scheme: 'internal', listeners: [{ protocol: 'tcp', port: 5432 }] } })),
    });
    const tf = synthJson(stack);
    const rule = only(tf, 'google_compute_forwarding_rule');
    expect(rule).toMatchObject({
      load_balancing_scheme: 'INTERNAL', ip_protocol: 'TCP', ports: ['5432'],
      network: ref('google_compute_network', 'id'), subnetwork: ref('google_compute_subnetwork', 'id'),
    });
    expect(rule.port_range).toBeUndefined();
    // Internal: the network's own block may connect.
    expect(rules(tf)).toContain(`${network.cidr}>dev-db:tcp/5432`);
  });

  test('a health port apart from the target port: the probers get the health port, the proxies only the target port', () => {
    const { stack, network } = googleStack();
    const web = new Service(network, 'web', { blueprint: nginx('health-port', { health_check: { port: 8081, path: '/healthz', interval: 10, timeout: 3, healthy_threshold: 2, unhealthy_threshold: 4, grace_period: 120 } }) });
    const tf = synthJson(stack);
    const proxy = web.loadBalancer!.plan.proxyOnlySubnet!;
    expect(rules(tf)).toEqual([`${GOOGLE_HEALTH_CHECK_RANGES.join(',')}>dev-web:tcp/8081`, `${proxy}>dev-web:tcp/80`].sort());
    expect(web.loadBalancer!.paths.map((p) => String(p.port))).toEqual(['tcp:80', 'tcp:8081']);
    expect(only(tf, 'google_compute_region_health_check')).toMatchObject({
      http_health_check: { port: 8081, request_path: '/healthz' }, check_interval_sec: 10, timeout_sec: 3, healthy_threshold: 2, unhealthy_threshold: 4,
    });
    expect(only(tf, 'google_compute_region_instance_group_manager').auto_healing_policies.initial_delay_sec).toBe(120);
    expect(only(tf, 'google_compute_region_autoscaler').autoscaling_policy.cooldown_period).toBe(120);
  });

  test('a health check without a balancer: autohealing and the probers\' rule, nothing else; addresses still pinned', () => {
    const { stack, network } = googleStack();
    const web = new Service(network, 'web', { blueprint: writeBlueprint(dir, 'hc-only', googleServiceBody({ health_check: { port: 8080 } })) });
    const tf = synthJson(stack);
    expect(only(tf, 'google_compute_region_health_check')).toMatchObject({ tcp_health_check: { port: 8080 } });
    expect(only(tf, 'google_compute_region_instance_group_manager').auto_healing_policies).toEqual({
      health_check: ref('google_compute_region_health_check', 'id'), initial_delay_sec: 300,
    });
    expect(rules(tf)).toEqual([`${GOOGLE_HEALTH_CHECK_RANGES.join(',')}>dev-web:tcp/8080`]);
    for (const type of ['google_compute_region_backend_service', 'google_compute_forwarding_rule', 'google_compute_region_autoscaler']) {
      expect(resourcesOf(tf, type)).toHaveLength(0);
    }
    expect(web.privateIps).toHaveLength(3);
    expect(resourcesOf(tf, 'google_compute_region_per_instance_config')).toHaveLength(3);
  });

  test('scaling without a balancer: an autoscaler, and the addresses refused with a hint to add one', () => {
    const { stack, network } = googleStack();
    const web = new Service(network, 'web', { blueprint: writeBlueprint(dir, 'scaled', googleServiceBody({ scaling: { min: 1, max: 4, target_cpu_percent: 75 } })) });
    const tf = synthJson(stack);
    expect(only(tf, 'google_compute_region_autoscaler').autoscaling_policy).toMatchObject({ min_replicas: 1, max_replicas: 4, cooldown_period: 60, cpu_utilization: { target: 0.75 } });
    expect(only(tf, 'google_compute_region_instance_group_manager').auto_healing_policies).toBeUndefined();
    expect(butterErrorOf(() => web.privateIps).hint).toMatch(/through a load balancer \(load_balancer: in its blueprint/);
  });

  test('a public autoscaled service: publicIps are unknown too', () => {
    const { network } = googleStack();
    const web = new Service(network, 'web', { blueprint: writeBlueprint(dir, 'scaled-public', googleServiceBody({ instance: { public_ip: true }, scaling: { min: 1, max: 3 } })) });
    expect(butterErrorOf(() => web.publicIps).code).toBe('SERVICE_ADDRESSES_UNKNOWN');
  });

  test('a balancer added in code: props override the blueprint, and its health check replaces the blueprint\'s', () => {
    const { stack, network } = googleStack();
    const cache = new Service(network, 'cache', { blueprint: writeBlueprint(dir, 'code', googleServiceBody({ health_check: { protocol: 'http', port: 8080, path: '/up' } })) });
    expect(cache.loadBalancer).toBeUndefined();
    const lb = new LoadBalancer(cache, 'lb', { type: 'network', scheme: 'internal', listeners: [{ protocol: 'tcp', port: 6379 }] });
    const tf = synthJson(stack);
    expect(cache.loadBalancer).toBe(lb);
    const hc = only(tf, 'google_compute_region_health_check');
    // The blueprint's health_check still decides protocol, path and port.
    expect(hc.http_health_check).toEqual({ port: 8080, request_path: '/up' });
    expect(rules(tf)).toEqual([`${GOOGLE_HEALTH_CHECK_RANGES.join(',')}>dev-cache:tcp/8080`, `${network.cidr}>dev-cache:tcp/6379`].sort());
    expect(only(tf, 'google_compute_forwarding_rule').ports).toEqual(['6379']);
  });

  test('a balancer added in code to a service without health_check: the balancer\'s defaults become the group\'s check', () => {
    const { stack, network } = googleStack();
    const web = new Service(network, 'web', { blueprint: writeBlueprint(dir, 'plain', googleServiceBody()) });
    new LoadBalancer(web, 'lb', { listeners: [{ protocol: 'http', port: 80, targetPort: 8080 }] });
    const tf = synthJson(stack);
    expect(only(tf, 'google_compute_region_health_check').http_health_check).toEqual({ port: 8080, request_path: '/' });
    expect(only(tf, 'google_compute_region_instance_group_manager').auto_healing_policies.health_check).toEqual(ref('google_compute_region_health_check', 'id'));
    expect(only(tf, 'google_compute_region_backend_service').port_name).toBe('port-8080');
    expect(only(tf, 'google_compute_forwarding_rule').port_range).toBe('80');
  });

  test('long service names: every balancer resource name is still a valid, distinct Google name', () => {
    const { stack, network } = googleStack();
    const long = 'a-rather-long-service-name-for-the-checkout-api';
    new Service(network, long, { blueprint: nginx('long', { load_balancer: { listeners: [{ protocol: 'http', port: 80 }, { protocol: 'http', port: 8080, target_port: 8080 }] } }) });
    new Service(network, `${long}-x`, { blueprint: writeBlueprint(dir, 'long-nlb', googleServiceBody({ load_balancer: { type: 'network', listeners: [{ protocol: 'tcp', port: 443 }, { protocol: 'udp', port: 443 }] } })) });
    const tf = synthJson(stack);
    const byType = new Map<string, string[]>();
    for (const [type, all] of Object.entries(tf.resource)) {
      for (const r of Object.values(all as Record<string, any>)) {
        if (typeof r.name !== 'string') continue;
        expect(r.name).toMatch(GOOGLE_NAME_PATTERN);
        expect(r.name.length).toBeLessThanOrEqual(GOOGLE_NAME_MAX_LENGTH);
        byType.set(type, [...(byType.get(type) ?? []), r.name]);
      }
    }
    for (const names of byType.values()) expect(new Set(names).size).toBe(names.length);
    expect(byType.get('google_compute_forwarding_rule')).toHaveLength(4);
    expect(byType.get('google_compute_region_backend_service')).toHaveLength(4);
  });

  describe('bad input: clear errors naming the file and the key', () => {
    test('a Network Load Balancer cannot forward to another port', () => {
      const { network } = googleStack();
      const file = writeBlueprint(dir, 'nlb-translate', googleServiceBody({ load_balancer: { type: 'network', listeners: [{ protocol: 'tcp', port: 80, target_port: 8080 }] } }));
      const err = butterErrorOf(() => new Service(network, 'web', { blueprint: file }));
      expect(err).toMatchObject({ code: 'LOAD_BALANCER_PORT_TRANSLATION_UNSUPPORTED', file, key: 'load_balancer.listeners[0].target_port' });
      expect(err.hint).toMatch(/type: application/);
    });

    test('an https certificate that is not a Google regional certificate (an ACM ARN, another region)', () => {
      const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
      for (const [certificate, problem] of [
        [arn, /is not a Google regional SSL certificate/],
        ['projects/p/regions/europe-west1/sslCertificates/c', /is in europe-west1, and the balancer in us-central1/],
      ] as const) {
        const { network } = googleStack();
        const file = writeBlueprint(dir, `cert-${problem.source.length}`, googleServiceBody({ load_balancer: { listeners: [{ protocol: 'https', port: 443, certificate }] } }));
        const err = butterErrorOf(() => new Service(network, 'web', { blueprint: file }));
        expect(err).toMatchObject({ code: 'LOAD_BALANCER_CERTIFICATE_INVALID', file, key: 'load_balancer.listeners[0].certificate' });
        expect(err.problem).toMatch(problem);
      }
    });

    test('allowed_cidrs on an internet-facing Application Load Balancer', () => {
      const { network } = googleStack();
      const file = nginx('alb-cidrs', { load_balancer: { allowed_cidrs: ['203.0.113.0/24'] } });
      expect(butterErrorOf(() => new Service(network, 'web', { blueprint: file }))).toMatchObject({
        code: 'LOAD_BALANCER_SOURCES_UNSUPPORTED', file, key: 'load_balancer.allowed_cidrs',
      });
    });

    test('an unknown protocol, https without a certificate, a protocol the type does not take: all at once', () => {
      const { network } = googleStack();
      const file = writeBlueprint(dir, 'bad-listeners', googleServiceBody({
        load_balancer: { listeners: [{ protocol: 'quic', port: 80 }, { protocol: 'https', port: 443 }, { protocol: 'tcp', port: 81 }] },
      }));
      const err = butterErrorOf(() => new Service(network, 'web', { blueprint: file }));
      expect(err.file).toBe(file);
      const keys = err.issues.map((i) => i.key);
      expect(keys).toEqual(expect.arrayContaining(['load_balancer.listeners[0].protocol', 'load_balancer.listeners[1].certificate', 'load_balancer.listeners[2].protocol']));
    });

    test('count beside scaling', () => {
      const { network } = googleStack();
      expect(butterErrorOf(() => new Service(network, 'web', { blueprint: alb, count: 3 }))).toMatchObject({ code: 'SERVICE_COUNT_WITH_SCALING', file: alb, key: 'scaling' });
    });

    test('the same errors through the construct\'s props', () => {
      const { network } = googleStack();
      const web = new Service(network, 'web', { blueprint: writeBlueprint(dir, 'props', googleServiceBody()) });
      const err = butterErrorOf(() => new LoadBalancer(web, 'lb', { type: 'network', listeners: [{ protocol: 'tcp', port: 443, targetPort: 8443 }] }));
      expect(err).toMatchObject({ code: 'LOAD_BALANCER_PORT_TRANSLATION_UNSUPPORTED', key: 'load_balancer.listeners[0].target_port' });
    });
  });

  describe('hostile input', () => {
    test('a health-check path with a Terraform expression comes out escaped', () => {
      const { stack, network } = googleStack();
      new Service(network, 'web', { blueprint: nginx('hostile-path', { health_check: { path: '/${file("/etc/passwd")}%{endif}' } }) });
      const tf = synthJson(stack);
      expect(only(tf, 'google_compute_region_health_check').http_health_check.request_path).toBe('/$${file("/etc/passwd")}%%{endif}');
      expect(Testing.synth(stack)).not.toMatch(/[^$]\$\{file/);
    });

    test('a certificate with a Terraform expression is refused, never rendered', () => {
      const { network } = googleStack();
      const file = writeBlueprint(dir, 'hostile-cert', googleServiceBody({ load_balancer: { listeners: [{ protocol: 'https', port: 443, certificate: 'projects/p/regions/us-central1/sslCertificates/${file("/etc/passwd")}' }] } }));
      expect(butterErrorOf(() => new Service(network, 'web', { blueprint: file }))).toMatchObject({ code: 'LOAD_BALANCER_CERTIFICATE_INVALID', key: 'load_balancer.listeners[0].certificate' });
    });
  });
});
