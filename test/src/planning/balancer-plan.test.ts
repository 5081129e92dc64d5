import { parseServiceBlueprint } from '../../../src/blueprint/load';
import { AddressBook } from '../../../src/planning/address-book';
import { awsBalancerName, planBalancer } from '../../../src/planning/balancer-plan';
import { planService } from '../../../src/planning/service-plan';
import { parseCidr } from '../../../src/planning/ipv4';
import type { CloudName } from '../../../src/blueprint/types';
import { butterErrorOf } from '../../helpers/errors';

const IMAGE = { aws: { name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*' }, google: { family: 'ubuntu-2204-lts' } };

function blueprint(over: Record<string, unknown> = {}) {
  return parseServiceBlueprint({ network: { subnetwork_max_instance_count: 48 }, image: IMAGE, ...over }, { file: 'web.yml' });
}

function book(): AddressBook {
  const addresses = AddressBook.open(undefined);
  addresses.networkBlock('dev', '10.0.0.0/8', 16);
  return addresses;
}

function balancer(cloud: CloudName, over: Record<string, unknown> = {}, addresses = book()) {
  const bp = blueprint({ load_balancer: {}, ...over });
  return planBalancer({ cloud, network: 'dev', service: 'web', blueprint: bp, spec: bp.loadBalancer!, networkCidr: '10.0.0.0/16', addresses });
}

describe('planBalancer', () => {
  test('AWS: one /27 per service zone from the ledger, distinct from the service\'s subnets, inside the network', () => {
    const addresses = book();
    const bp = blueprint({ load_balancer: {} });
    const service = planService({ cloud: 'aws', network: 'dev', service: 'web', blueprint: bp, addresses });
    const lb = planBalancer({ cloud: 'aws', network: 'dev', service: 'web', blueprint: bp, spec: bp.loadBalancer!, networkCidr: '10.0.0.0/16', addresses });
    expect(lb.subnets).toHaveLength(3);
    for (const s of lb.subnets) {
      expect(s.endsWith('/27')).toBe(true);
      expect(s.startsWith('10.0.')).toBe(true);
      expect(service.subnets).not.toContain(s);
    }
    expect(new Set(lb.subnets).size).toBe(3);
    // The same ledger gives the same answer again (stable across synths).
    expect(planBalancer({ cloud: 'aws', network: 'dev', service: 'web', blueprint: bp, spec: bp.loadBalancer!, networkCidr: '10.0.0.0/16', addresses }).subnets).toEqual(lb.subnets);
    expect(lb.proxyOnlySubnet).toBeUndefined();
  });

  test('defaults: an internet-facing application balancer on http 80, open to the internet, HTTP health check on the target port', () => {
    const lb = balancer('aws');
    expect(lb).toMatchObject({
      type: 'application', scheme: 'internet-facing', allowedCidrs: ['0.0.0.0/0'], targetPorts: [80],
      listeners: [{ protocol: 'http', port: 80, targetPort: 80 }],
      healthCheck: { protocol: 'http', path: '/', port: 80, intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 3, unhealthyThreshold: 3, gracePeriodSeconds: 300 },
      name: 'dev-web',
    });
    // Internal balancers admit the network, network balancers health-check over TCP.
    const internal = balancer('aws', { load_balancer: { scheme: 'internal', type: 'network', listeners: [{ protocol: 'tcp', port: 5432 }] } });
    expect(internal.allowedCidrs).toEqual(['10.0.0.0/16']);
    expect(internal.healthCheck).toEqual(expect.objectContaining({ protocol: 'tcp', port: 5432 }));
    expect(internal.healthCheck.path).toBeUndefined();
  });

  test('AWS: beside an https listener, http listeners redirect (redirectTo), forward nothing, and set no target port or default health port; Google\'s forward', () => {
    const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
    const listeners = [{ protocol: 'http', port: 80, target_port: 8080 }, { protocol: 'https', port: 443, target_port: 8443, certificate: CERT }];
    const aws = balancer('aws', { load_balancer: { listeners } });
    expect(aws.listeners.map((l) => l.port)).toEqual([80, 443]);
    expect(aws.forwarding.map((l) => [l.protocol, l.port, l.targetPort])).toEqual([['https', 443, 8443]]);
    expect(aws.redirectTo).toBe(443);
    expect(aws.targetPorts).toEqual([8443]);
    expect(aws.healthCheck.port).toBe(8443);
    const google = balancer('google', { load_balancer: { listeners: [listeners[0], { ...listeners[1], certificate: 'web-cert' }] } });
    expect(google.forwarding.map((l) => l.port)).toEqual([80, 443]);
    expect(google.redirectTo).toBeUndefined();
    expect(google.targetPorts).toEqual([8080, 8443]);
    expect(google.healthCheck.port).toBe(8080);
    // Without https, or on a network balancer, every listener forwards.
    const plain = balancer('aws', { load_balancer: { listeners: [listeners[0], { protocol: 'http', port: 81 }] } });
    expect(plain.forwarding.map((l) => l.port)).toEqual([80, 81]);
    expect(plain.redirectTo).toBeUndefined();
  });

  test('Google: no balancer subnets; an application balancer takes the network\'s one /23 proxy-only subnet, the same for every service', () => {
    const addresses = book();
    const a = balancer('google', {}, addresses);
    expect(a.subnets).toEqual([]);
    expect(a.proxyOnlySubnet).toMatch(/\/23$/);
    const bp = blueprint({ load_balancer: {} });
    const b = planBalancer({ cloud: 'google', network: 'dev', service: 'api', blueprint: bp, spec: bp.loadBalancer!, networkCidr: '10.0.0.0/16', addresses });
    expect(b.proxyOnlySubnet).toBe(a.proxyOnlySubnet);
    expect(parseCidr(a.proxyOnlySubnet!)).toBeDefined();
    expect(balancer('google', { load_balancer: { type: 'network', listeners: [{ protocol: 'udp', port: 53 }] } }).proxyOnlySubnet).toBeUndefined();
  });

  test('an AWS application balancer on a service in one zone is refused, naming the file and the key', () => {
    const e = butterErrorOf(() => balancer('aws', { placement: { availability_zones: 1 } }));
    expect(e.code).toBe('LOAD_BALANCER_ZONES');
    expect(e.file).toBe('web.yml');
    expect(e.key).toBe('placement.availability_zones');
    expect(e.hint).toContain('type: network');
    // A network balancer may live in one zone, and Google's regional balancers do not care.
    expect(balancer('aws', { placement: { availability_zones: 1 }, load_balancer: { type: 'network' } }).subnets).toHaveLength(1);
    expect(balancer('google', { placement: { availability_zones: 1 } }).type).toBe('application');
  });

  test('a Google internet-facing application balancer cannot be limited to some sources', () => {
    const e = butterErrorOf(() => balancer('google', { load_balancer: { allowed_cidrs: ['203.0.113.0/24'] } }));
    expect(e.code).toBe('LOAD_BALANCER_SOURCES_UNSUPPORTED');
    expect(e.key).toBe('load_balancer.allowed_cidrs');
    expect(balancer('aws', { load_balancer: { allowed_cidrs: ['203.0.113.0/24'] } }).allowedCidrs).toEqual(['203.0.113.0/24']);
  });

  test('AWS names: at most 26 characters (room for a target group\'s -<port>), ELB\'s characters, never internal-, stable and distinct', () => {
    expect(awsBalancerName('dev', 'web')).toBe('dev-web');
    const long = awsBalancerName('production-eu-west', 'payments_api_v2');
    expect(long.length).toBeLessThanOrEqual(26);
    expect(long).toMatch(/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/);
    expect(awsBalancerName('production-eu-west', 'payments_api_v2')).toBe(long);
    expect(awsBalancerName('production-eu-west', 'payments-api-v2')).not.toBe(long);
    expect(awsBalancerName('internal', 'web')).not.toMatch(/^internal-/i);
    for (const [n, s] of [['a', '_'], ['-', '-'], ['x'.repeat(100), 'y']]) {
      expect(awsBalancerName(n, s)).toMatch(/^[A-Za-z0-9]([A-Za-z0-9-]{0,24}[A-Za-z0-9])?$/);
    }
  });
});

describe('planService with scaling and health checks', () => {
  const plan = (over: Record<string, unknown>, count?: number) => planService({ cloud: 'google', network: 'dev', service: 'web', blueprint: blueprint(over), addresses: book(), count });

  test('scaling: the group starts at min, subnets hold max, Google addresses are not pinned (Google does not autoscale stateful groups)', () => {
    const p = plan({ scaling: { min: 2, max: 40 } });
    expect(p.count).toBe(2);
    expect(p.scaling).toEqual({ min: 2, max: 40, targetCpuPercent: 60 });
    expect(p.instanceIps).toBeUndefined();
    expect(p.instancesPerSubnet).toBeGreaterThanOrEqual(40);
    expect(plan({}).instanceIps).toHaveLength(3);
  });

  test('count beside scaling is refused, naming the blueprint key', () => {
    const e = butterErrorOf(() => plan({ scaling: { min: 1, max: 4 } }, 3));
    expect(e.code).toBe('SERVICE_COUNT_WITH_SCALING');
    expect(e.key).toBe('scaling');
    expect(e.file).toBe('web.yml');
  });

  test('a health check is planned from health_check, or from the balancer, or not at all', () => {
    expect(plan({}).healthCheck).toBeUndefined();
    expect(plan({ health_check: { path: '/healthz', port: 8080, interval: 10, timeout: 3 } }).healthCheck)
      .toEqual({ protocol: 'http', path: '/healthz', port: 8080, intervalSeconds: 10, timeoutSeconds: 3, healthyThreshold: 3, unhealthyThreshold: 3, gracePeriodSeconds: 300 });
    expect(plan({ health_check: { port: 5432 } }).healthCheck).toEqual(expect.objectContaining({ protocol: 'tcp', port: 5432 }));
    expect(plan({ health_check: { protocol: 'http', path: '/healthz' } }).healthCheck).toMatchObject({ protocol: 'http', path: '/healthz', port: 80 });
    expect(plan({ load_balancer: { listeners: [{ protocol: 'http', port: 80, target_port: 8080 }] } }).healthCheck).toMatchObject({ protocol: 'http', path: '/', port: 8080 });
  });
});
