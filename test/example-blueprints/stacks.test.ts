import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { buildExamples, DEPLOY_BALANCER_EXAMPLES } from '../../example-blueprints/stacks';
import { synthJson, resourcesOf } from '../helpers/synth';
import { installButterMatchers } from '../../constructs/testing';
import { Checks } from '../../constructs';

installButterMatchers();

const ledger = path.join(__dirname, '../../example-blueprints/butter.lock.json');

describe('example stacks', () => {
  const before = fs.readFileSync(ledger, 'utf8');
  const app = Testing.app();
  // With the load-balancer examples, whichever way the npm start switch is set.
  const stacks = buildExamples(app, { balancers: true });

  test.each(stacks.map((s) => [s.node.id, s]))('%s synthesizes to the same Terraform JSON as before (snapshot)', (_id, stack) => {
    expect(Testing.synth(stack)).toMatchSnapshot();
  });

  test.each(stacks.map((s) => [s.node.id, s]))('%s has zero findings from butter check (flow logs suppressed with a reason)', (_id, stack) => {
    expect(stack).toPassChecks();
    const report = Checks.report(stack);
    // The only suppressions are the flow-log rule, each with its reason, and plain HTTP on the
    // balancer examples (no certificate for a demonstration).
    const flowLogs = report.suppressed.filter((f) => /^BUTTER-(AWS-004|GCP-008)$/.test(f.ruleId));
    expect(new Set(flowLogs.map((f) => f.ruleId)).size).toBe(1);
    expect(flowLogs.every((f) => /billed/.test(f.suppressed!.reason))).toBe(true);
    const others = report.suppressed.filter((f) => !flowLogs.includes(f));
    expect(others.every((f) => f.ruleId === 'BUTTER-LB-001' && /no domain or certificate/.test(f.suppressed!.reason))).toBe(true);
  });

  test('the committed address ledger already holds every example allocation (synth changes nothing)', () => {
    expect(fs.readFileSync(ledger, 'utf8')).toBe(before);
  });

  test('aws-haproxy: HAProxy user data loops over the nginx instances\' private IPs at deploy time', () => {
    const tf = synthJson(stacks.find((s) => s.node.id === 'aws-haproxy')!);
    const webInstances = Object.keys(tf.data.aws_instances).find((id) => id.includes('_web_'))!;
    const lbScript = Object.entries(tf.locals ?? {}).find(([id]) => id.includes('_lb_'))![1] as string;
    expect(lbScript).toContain(`%{ for i, ip in data.aws_instances.${webInstances}.private_ips }`);
    expect(lbScript).toContain('server web${i + 1} ${ip}:80 check');
    // 6 nginx instances, HAProxy one per zone, both over 3 zones.
    const groups = Object.fromEntries(resourcesOf(tf, 'aws_autoscaling_group').map(([, g]) => [g.name, g.desired_capacity]));
    expect(groups).toEqual({ 'dev-web': 6, 'dev-lb': 3 });
    // Paths: internet -> lb on 80 and 443, lb -> web on 80, nothing else.
    const rules = resourcesOf(tf, 'aws_vpc_security_group_ingress_rule').map(([, r]) => `${r.cidr_ipv4 ?? 'lb-sg'}:${r.from_port}`);
    expect(rules.sort()).toEqual(['0.0.0.0/0:443', '0.0.0.0/0:80', 'lb-sg:80']);
  });

  test('gce-haproxy: the same example on Google, HAProxy listing the nginx instances\' pinned IPs', () => {
    const tf = synthJson(stacks.find((s) => s.node.id === 'gce-haproxy')!);
    const webIps = resourcesOf(tf, 'google_compute_address')
      .filter(([id]) => id.includes('_web_ip-'))
      .map(([, a]) => a.address);
    expect(webIps).toHaveLength(6);
    const lbScript = Object.entries(tf.locals ?? {}).find(([id]) => id.includes('_lb_'))![1] as string;
    webIps.forEach((ip, i) => expect(lbScript).toContain(`server web${i + 1} ${ip}:80 check`));
    expect(tf.output?.web_private_ips.value).toEqual(webIps);
    // 6 nginx instances and one HAProxy per zone, each a named per-instance config.
    const configs = resourcesOf(tf, 'google_compute_region_per_instance_config').map(([, c]) => c.name);
    expect(configs.filter((n) => n.startsWith('gdev-web-'))).toHaveLength(6);
    expect(configs.filter((n) => n.startsWith('gdev-lb-'))).toHaveLength(3);
    // Paths: internet -> lb on 80 and 443, lb -> web on 80; the only other rule denies.
    const rules = resourcesOf(tf, 'google_compute_firewall').map(([, r]) =>
      `${r.allow ? 'allow' : 'deny'} ${r.source_ranges ?? r.source_tags}>${r.target_tags ?? '*'}:${r.allow?.[0].ports ?? r.deny?.[0].protocol}`);
    expect(rules.sort()).toEqual([
      'allow 0.0.0.0/0>gdev-lb:443',
      'allow 0.0.0.0/0>gdev-lb:80',
      'allow gdev-lb>gdev-web:80',
      'deny 0.0.0.0/0>*:all',
    ]);
  });

  test('gce-apache: one public Apache service, open to the internet on 80 only', () => {
    const tf = synthJson(stacks.find((s) => s.node.id === 'gce-apache')!);
    const template = Object.values(tf.resource.google_compute_instance_template)[0] as any;
    // The startup script, and Butter's secure Google VM defaults.
    expect(template.metadata).toEqual(expect.objectContaining({
      'enable-oslogin': 'TRUE', 'block-project-ssh-keys': 'TRUE', 'serial-port-enable': 'FALSE',
    }));
    expect(Object.keys(template.metadata).sort()).toEqual(['block-project-ssh-keys', 'enable-oslogin', 'serial-port-enable', 'startup-script']);
    expect(template.network_interface[0].access_config).toEqual([{ network_tier: 'PREMIUM' }]);
    const allows = resourcesOf(tf, 'google_compute_firewall').filter(([, r]) => r.allow).map(([, r]) => r);
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['80'] }] });
    // Public only: no Cloud NAT is needed.
    expect(resourcesOf(tf, 'google_compute_router_nat')).toHaveLength(0);
  });

  test('gce-nginx-lb: private nginx autoscaled 2 to 6 behind a regional external Application Load Balancer', () => {
    const stack = stacks.find((s) => s.node.id === 'gce-nginx-lb')!;
    const tf = synthJson(stack);
    const one = (type: string) => {
      const all = resourcesOf(tf, type);
      expect(all).toHaveLength(1);
      return all[0][1];
    };
    expect(one('google_compute_region_autoscaler').autoscaling_policy).toMatchObject({ min_replicas: 2, max_replicas: 6, cpu_utilization: { target: 0.6 } });
    const group = one('google_compute_region_instance_group_manager');
    expect(group.target_size).toBeUndefined();
    expect(group.named_port).toEqual([{ name: 'port-80', port: 80 }]);
    expect(group.auto_healing_policies.initial_delay_sec).toBe(180);
    expect(resourcesOf(tf, 'google_compute_region_per_instance_config')).toHaveLength(0);
    expect(one('google_compute_region_health_check')).toMatchObject({ http_health_check: { port: 80, request_path: '/' }, check_interval_sec: 10, healthy_threshold: 2 });
    expect(one('google_compute_region_backend_service')).toMatchObject({ load_balancing_scheme: 'EXTERNAL_MANAGED', protocol: 'HTTP', port_name: 'port-80' });
    expect(one('google_compute_forwarding_rule')).toMatchObject({ port_range: '80', load_balancing_scheme: 'EXTERNAL_MANAGED', network_tier: 'STANDARD' });
    const proxyOnly = resourcesOf(tf, 'google_compute_subnetwork').map(([, s]) => s).find((s) => s.purpose === 'REGIONAL_MANAGED_PROXY');
    expect(proxyOnly).toMatchObject({ role: 'ACTIVE', ip_cidr_range: '10.4.2.0/23' });
    // Private instances (Cloud NAT for the package install), reached by the proxies and the
    // health checkers on 80, and by nothing else.
    expect(one('google_compute_instance_template').network_interface[0].access_config).toBeUndefined();
    expect(resourcesOf(tf, 'google_compute_router_nat')).toHaveLength(1);
    const rules = resourcesOf(tf, 'google_compute_firewall').map(([, r]) =>
      `${r.allow ? 'allow' : 'deny'} ${r.source_ranges}>${r.target_tags ?? '*'}:${r.allow?.[0].ports ?? r.deny?.[0].protocol}`);
    expect(rules.sort()).toEqual([
      'allow 10.4.2.0/23>weblb-web:80',
      'allow 35.191.0.0/16,130.211.0.0/22>weblb-web:80',
      'deny 0.0.0.0/0>*:all',
    ]);
    // Reachability: the internet reaches nginx on 80 through the balancer only, on 22 not at all.
    expect(stack).toBeInternetAccessible({ network: 'weblb', name: 'web' }, 80);
    expect(stack).not.toBeInternetAccessible({ network: 'weblb', name: 'web' }, 22);
    expect(stack).not.toBeInternetAccessible({ network: 'weblb', name: 'web' }, 8080);
    expect(tf.output?.web_lb_address.value).toMatch(/^\$\{google_compute_address\.[\w-]+\.address\}$/);
  });

  test('aws-nginx-alb: private nginx behind an internet-facing ALB on 443 (80 redirects), scaled 2..6 on CPU, the balancer the only way in', () => {
    const tf = synthJson(stacks.find((s) => s.node.id === 'aws-nginx-alb')!);
    const [alb] = resourcesOf(tf, 'aws_lb').map(([, r]) => r);
    expect(alb).toMatchObject({ name: 'alb-web', internal: false, load_balancer_type: 'application', drop_invalid_header_fields: true });
    const listeners = Object.fromEntries(resourcesOf(tf, 'aws_lb_listener').map(([, r]) => [r.port, r]));
    expect(listeners[443]).toMatchObject({ protocol: 'HTTPS', certificate_arn: expect.stringMatching(/^arn:aws:acm:us-east-1:\d{12}:certificate\//) });
    expect(listeners[443].default_action[0].type).toBe('forward');
    expect(listeners[80]).toMatchObject({ protocol: 'HTTP', default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }] });
    const [tg] = resourcesOf(tf, 'aws_lb_target_group').map(([, r]) => r);
    expect(tg).toMatchObject({ port: 80, protocol: 'HTTP', health_check: expect.objectContaining({ path: '/', port: '80', protocol: 'HTTP' }) });
    const [group] = resourcesOf(tf, 'aws_autoscaling_group').map(([, r]) => r);
    expect(group).toMatchObject({ min_size: 2, max_size: 6, health_check_type: 'ELB', health_check_grace_period: 120 });
    expect(group.desired_capacity).toBeUndefined();
    expect(group.target_group_arns).toHaveLength(1);
    const [policy] = resourcesOf(tf, 'aws_autoscaling_policy').map(([, r]) => r);
    expect(policy.target_tracking_configuration.target_value).toBe(60);
    // nginx is private; the internet reaches the balancer on 80 and only the balancer reaches nginx.
    const [lt] = resourcesOf(tf, 'aws_launch_template').map(([, r]) => r);
    expect(lt.network_interfaces[0].associate_public_ip_address).toBe('false');
    const rules = resourcesOf(tf, 'aws_vpc_security_group_ingress_rule').map(([, r]) =>
      `${r.cidr_ipv4 ?? 'lb-sg'}>${/_lb_sg_/.test(r.security_group_id) ? 'lb' : 'web'}:${r.from_port}`);
    expect(rules.sort()).toEqual(['0.0.0.0/0>lb:443', '0.0.0.0/0>lb:80', 'lb-sg>web:80']);
    // Subnets sized for scaling.max (24 over 3 zones: /28), the balancer's /27s apart from them.
    const subnets = resourcesOf(tf, 'aws_subnet').filter(([id]) => id.includes('_web_')).map(([id, s]) => `${id.includes('_lb_') ? 'lb' : 'web'} ${s.cidr_block}`);
    expect(subnets.filter((s) => s.startsWith('lb ')).every((s) => s.endsWith('/27'))).toBe(true);
    expect(subnets.filter((s) => s.startsWith('web ')).every((s) => s.endsWith('/28'))).toBe(true);
    expect(subnets).toHaveLength(6);
    expect(tf.output?.url.value).toMatch(/^https:\/\/\$\{aws_lb\.[\w-]+\.dns_name\}\/$/);
  });

  test('npm start deploys the load-balancer examples of both clouds when the switch is on', () => {
    const ids = buildExamples(Testing.app()).map((s) => s.node.id);
    expect(ids.includes('gce-nginx-lb')).toBe(DEPLOY_BALANCER_EXAMPLES);
    expect(ids.includes('aws-nginx-alb')).toBe(DEPLOY_BALANCER_EXAMPLES);
  });
});
