import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { clearBlueprintCache, loadServiceBlueprint, parseServiceBlueprint } from '../../../src/blueprint/load';
import { butterErrorOf } from '../../helpers/errors';

/** `load_balancer`, `health_check` and `scaling`: what they mean, and every way to get them wrong. */
const IMAGE = { name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*' };
const parse = (over: Record<string, unknown>) => parseServiceBlueprint({ image: IMAGE, ...over }, { file: 'web.yml' });
const problems = (over: Record<string, unknown>) => {
  const e = butterErrorOf(() => parse(over));
  const all = e.issues.length > 0 ? e.issues : [e];
  return all.map((i) => `${i.key}: ${i.problem} [${i.code}]`);
};

describe('load_balancer, health_check and scaling keys', () => {
  test('defaults are filled in, and the YAML names become the documented fields', () => {
    const bp = parse({
      load_balancer: { type: 'network', scheme: 'internal', listeners: [{ protocol: 'udp', port: 53 }, { protocol: 'tcp', port: 443, target_port: 8443 }], allowed_cidrs: [' 10.1.0.0/16'] },
      health_check: { port: 8443, interval: 10, timeout: 2, healthy_threshold: 2, unhealthy_threshold: 5, grace_period: 60 },
      scaling: { min: 0, max: 12, target_cpu_percent: 45.5 },
    });
    expect(bp.loadBalancer).toEqual({
      type: 'network', scheme: 'internal', allowedCidrs: ['10.1.0.0/16'],
      listeners: [{ protocol: 'udp', port: 53, targetPort: 53 }, { protocol: 'tcp', port: 443, targetPort: 8443 }],
    });
    expect(bp.healthCheck).toEqual({ port: 8443, intervalSeconds: 10, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 5, gracePeriodSeconds: 60 });
    expect(bp.scaling).toEqual({ min: 0, max: 12, targetCpuPercent: 45.5 });
    expect(parse({}).loadBalancer).toBeUndefined();
  });

  test('every problem of the three sections at once, each with its key', () => {
    expect(problems({
      load_balancer: {
        type: 'network',
        listeners: [{ protocol: 'https', port: 443 }, { protocol: 'sctp', port: 1 }, { protocol: 'tcp', port: 0 }],
        allowed_cidrs: ['10.0.0.1/8', 'everywhere'],
      },
      health_check: { timeout: 40, protocol: 'tcp', path: '/x', healthy_threshold: 11 },
      scaling: { min: 5, max: 3 },
    })).toEqual([
      'load_balancer.listeners[0].protocol: a network balancer cannot listen on https [BLUEPRINT_INVALID_VALUE]',
      'load_balancer.listeners[0].certificate: an https listener needs a certificate [BLUEPRINT_MISSING_KEY]',
      'load_balancer.listeners[1].protocol: the text "sctp" is not one of: http, https, tcp, udp [BLUEPRINT_INVALID_VALUE]',
      expect.stringMatching(/^load_balancer\.listeners\[2\]\.port: .*\[BLUEPRINT_INVALID_VALUE\]$/),
      'load_balancer.allowed_cidrs[0]: "10.0.0.1/8" has host bits set [BLUEPRINT_INVALID_VALUE]',
      'load_balancer.allowed_cidrs[1]: "everywhere" is not an IPv4 CIDR block [BLUEPRINT_INVALID_VALUE]',
      // In the document's order: timeout, path, then healthy_threshold.
      'health_check.timeout: the timeout (40s) must be shorter than the interval (30s) [BLUEPRINT_INVALID_VALUE]',
      'health_check.path: a tcp health check has no path [BLUEPRINT_INVALID_VALUE]',
      'health_check.healthy_threshold: must be at most 10, got the number 11 [BLUEPRINT_INVALID_VALUE]',
      'scaling.min: min (5) is more than max (3) [BLUEPRINT_INVALID_VALUE]',
    ]);
  });

  test('https without a certificate, a certificate on http, two listeners on one port', () => {
    expect(problems({ load_balancer: { listeners: [{ protocol: 'https', port: 443 }] } }))
      .toEqual(['load_balancer.listeners[0].certificate: an https listener needs a certificate [BLUEPRINT_MISSING_KEY]']);
    expect(problems({ load_balancer: { listeners: [{ protocol: 'http', port: 80, certificate: 'arn:aws:acm:us-east-1:123456789012:certificate/x' }] } }))
      .toEqual(['load_balancer.listeners[0].certificate: only https listeners take a certificate (this one is http) [BLUEPRINT_INVALID_VALUE]']);
    expect(problems({ load_balancer: { listeners: [{ protocol: 'http', port: 80 }, { protocol: 'https', port: 80, certificate: 'c' }] } }))
      .toEqual(['load_balancer.listeners[1].port: port 80 is already taken by listeners[0] [BLUEPRINT_INVALID_VALUE]']);
    // TCP and UDP may share a port number on a network balancer.
    expect(parse({ load_balancer: { type: 'network', listeners: [{ protocol: 'tcp', port: 53 }, { protocol: 'udp', port: 53 }] } }).loadBalancer!.listeners).toHaveLength(2);
  });

  test('scaling beyond what the subnets hold names both keys', () => {
    expect(problems({ network: { subnetwork_max_instance_count: 10 }, scaling: { min: 1, max: 11 } }))
      .toEqual(['scaling.max: max (11) is more than the subnets are sized for (network.subnetwork_max_instance_count: 10) [BLUEPRINT_INVALID_VALUE]']);
    const e = butterErrorOf(() => parse({ network: { subnetwork_max_instance_count: 10 }, scaling: { min: 1, max: 11 } }));
    expect(e.hint).toBe('raise network.subnetwork_max_instance_count to at least 11, or lower max');
  });

  test('untrusted input: sizes are bounded (10 listeners, 50 sources, 1000 instances), text is only text, and a YAML file\'s errors carry its lines', () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ protocol: 'http', port: 1000 + i }));
    expect(problems({ load_balancer: { listeners: many } })[0]).toMatch(/^load_balancer\.listeners: /);
    expect(problems({ load_balancer: { allowed_cidrs: Array.from({ length: 51 }, () => '0.0.0.0/0') } })[0]).toMatch(/^load_balancer\.allowed_cidrs: /);
    expect(problems({ scaling: { min: 1, max: 1e9 } })[0]).toMatch(/^scaling\.max: /);
    // A path is printable ASCII starting with /, nothing that could break a probe request.
    expect(problems({ health_check: { path: '/ok\r\nHost: evil' } })[0]).toMatch(/^health_check\.path: /);
    expect(problems({ health_check: { path: 'healthz' } })[0]).toMatch(/^health_check\.path: /);
    // A Terraform expression in a certificate is accepted as text here; the renderers escape it
    // (constructs/literal.ts), which their tests check.
    expect(parse({ load_balancer: { listeners: [{ protocol: 'https', port: 443, certificate: '${file("/etc/passwd")}' }] } }).loadBalancer!.listeners[0].certificate)
      .toBe('${file("/etc/passwd")}');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-bal-'));
    try {
      const file = path.join(dir, 'blueprint.yml');
      fs.writeFileSync(file, ['image:', `  name: "${IMAGE.name}"`, 'load_balancer:', '  listeners:', '    - protocol: https', '      port: 443', 'scaling:', '  min: 3', '  max: 2', ''].join('\n'));
      clearBlueprintCache();
      const e = butterErrorOf(() => loadServiceBlueprint(file));
      expect(e.code).toBe('BLUEPRINT_INVALID');
      expect(e.message).toContain('blueprint.yml');
      expect(e.message).toMatch(/line 5/);
      expect(e.message).toMatch(/line 8/);
      expect(e.message).not.toMatch(/\n\s+at /); // no stack frames
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
