import { CheckedResource, CheckedStack, blocks, boolOf, isExpression } from '../stack';
import type { Rule, Violation } from '../types';
import { violation } from './common';

/**
 * Load balancer rules. Both clouds' balancers terminate client connections, so what they accept
 * from the internet (plain HTTP, malformed headers) is theirs to refuse.
 */

/** BUTTER-LB-001: an internet-facing balancer does not serve plain HTTP. */
export const plainHttp: Rule = {
  id: 'BUTTER-LB-001',
  severity: 'medium',
  title: 'Internet-facing load balancers serve HTTPS, not plain HTTP',
  description: 'A plain HTTP listener on a public balancer carries requests, cookies and credentials unencrypted over the internet. A listener that only redirects to HTTPS is fine.',
  fix: 'listen on https with a certificate (load_balancer.listeners: [{protocol: https, port: 443, certificate: ...}]), or acknowledge it with Checks.suppress(..., "BUTTER-LB-001", "<why>")',
  references: { checkov: ['CKV_AWS_2'], trivy: ['AVD-AWS-0054'] },
  check: (stack) => [
    ...stack.all('aws_lb_listener').flatMap((l): Violation[] => {
      const lb = stack.resolve(l.attributes.load_balancer_arn, 'aws_lb');
      const internal = lb?.attributes.internal;
      // Internal balancers, and those whose scheme is known only at deploy time, are not findings.
      if (!lb || (internal !== undefined && internal !== null && boolOf(internal) !== false)) return [];
      if (String(l.attributes.protocol ?? 'HTTP').toUpperCase() !== 'HTTP' || isExpression(l.attributes.protocol)) return [];
      if (blocks(l.attributes.default_action).every((a) => a.type === 'redirect' && blocks(a.redirect).some((r) => String(r.protocol ?? '').toUpperCase() === 'HTTPS'))) return [];
      return [violation(l, `${l.address} serves plain HTTP on port ${String(l.attributes.port ?? 80)} of the internet-facing ${lb.address}`, { blueprintKey: 'load_balancer.listeners' })];
    }),
    ...stack.all('google_compute_forwarding_rule').flatMap((f): Violation[] => {
      if (f.attributes.load_balancing_scheme !== 'EXTERNAL_MANAGED' && f.attributes.load_balancing_scheme !== 'EXTERNAL') return [];
      const proxy = stack.resolve(f.attributes.target, 'google_compute_region_target_http_proxy')
        ?? stack.resolve(f.attributes.target, 'google_compute_target_http_proxy');
      if (!proxy) return [];
      return [violation(f, `${f.address} serves plain HTTP on port ${String(f.attributes.port_range ?? 80)} to the internet (through ${proxy.address})`, { blueprintKey: 'load_balancer.listeners' })];
    }),
  ],
};

/** BUTTER-LB-002: application load balancers drop invalid header fields. */
export const dropInvalidHeaders: Rule = {
  id: 'BUTTER-LB-002',
  severity: 'medium',
  title: 'Application load balancers drop invalid HTTP header fields',
  description: 'An ALB that passes malformed header fields on lets a client smuggle requests past it (HTTP desync) into the instances. It is off unless drop_invalid_header_fields = true.',
  fix: 'set drop_invalid_header_fields = true on the aws_lb (Butter\'s balancers always do)',
  references: { checkov: ['CKV_AWS_131'], trivy: ['AVD-AWS-0052'] },
  check: (stack: CheckedStack) => stack.all('aws_lb')
    .filter((lb: CheckedResource) => (lb.attributes.load_balancer_type ?? 'application') === 'application')
    .filter((lb) => boolOf(lb.attributes.drop_invalid_header_fields) !== true && !isExpression(lb.attributes.drop_invalid_header_fields))
    .map((lb) => violation(lb, `${lb.address} passes invalid header fields on to its targets (drop_invalid_header_fields is not true)`)),
};

export const balancingRules: readonly Rule[] = [plainHttp, dropInvalidHeaders];
