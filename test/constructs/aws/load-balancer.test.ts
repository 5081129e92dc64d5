import * as fs from 'node:fs';
import * as yaml from 'js-yaml';
import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { Checks, Network, Service, LoadBalancer, Path, Port } from '../../../constructs';
import { installButterMatchers } from '../../../constructs/testing';
import { AwsRenderer } from '../../../constructs/aws/renderer';
import { AWS_HTTPS_SSL_POLICY } from '../../../constructs/aws/load-balancer';
import { parseServiceBlueprint } from '../../../src/blueprint/load';
import { cidrContains, parseCidr } from '../../../src/planning/ipv4';
import { awsStack, synthJson, resourcesOf, resourceNamed, tempDir, writeBlueprint, serviceBody, TfJson } from '../../helpers/synth';
import { butterErrorOf } from '../../helpers/errors';

installButterMatchers();

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666';

describe('LoadBalancer on AWS', () => {
  const dir = tempDir();
  // nginx-like: private instances, an ALB with HTTPS and HTTP onto port 8080, scaled 2..6.
  const albBp = writeBlueprint(dir, 'alb', serviceBody({
    load_balancer: {
      listeners: [
        { protocol: 'https', port: 443, target_port: 8080, certificate: CERT },
        { protocol: 'http', port: 80, target_port: 8080 },
      ],
    },
    health_check: { path: '/healthz', interval: 15, timeout: 4, healthy_threshold: 2, unhealthy_threshold: 4, grace_period: 120 },
    scaling: { min: 2, max: 6, target_cpu_percent: 55 },
  }));
  const plainBp = writeBlueprint(dir, 'plain', serviceBody());

  function albStack() {
    const env = awsStack();
    const web = new Service(env.network, 'web', { blueprint: albBp });
    return { ...env, web, tf: synthJson(env.stack) };
  }

  const ingress = (tf: TfJson) => resourcesOf(tf, 'aws_vpc_security_group_ingress_rule').map(([, r]) => r);
  const egress = (tf: TfJson) => resourcesOf(tf, 'aws_vpc_security_group_egress_rule').map(([, r]) => r);
  const ref = (type: string, fragment: string, attr: string) => new RegExp(`^\\$\\{${type}\\.[\\w-]*${fragment}[\\w-]*\\.${attr}\\}$`);

  test('synthesizes to the same Terraform JSON as before (snapshot)', () => {
    // A blueprint given as data (no temp file path in the output), the same body as albBp's.
    const { stack, network } = awsStack();
    new Service(network, 'web', { blueprint: parseServiceBlueprint(yaml.load(fs.readFileSync(albBp, 'utf8'))) });
    expect(Testing.synth(stack)).toMatchSnapshot();
  });

  test('a /27 subnet of its own in each of the service\'s zones, public when internet-facing, inside the VPC', () => {
    const { tf, web } = albStack();
    const lbSubnets = resourcesOf(tf, 'aws_subnet').filter(([id]) => id.includes('_web_lb_'));
    const webSubnets = resourcesOf(tf, 'aws_subnet').filter(([id]) => /_web_subnet-/.test(id));
    expect(lbSubnets).toHaveLength(3);
    expect(lbSubnets.map(([, s]) => parseCidr(s.cidr_block).prefix)).toEqual([27, 27, 27]);
    expect(web.loadBalancer!.plan.subnets).toEqual(lbSubnets.map(([, s]) => s.cidr_block));
    // Zone i of the balancer is zone i of the service: the balancer has a node wherever instances are.
    expect(lbSubnets.map(([, s]) => s.availability_zone)).toEqual(webSubnets.map(([, s]) => s.availability_zone));
    const vpc = resourceNamed(tf, 'aws_vpc', 'vpc');
    for (const [, s] of lbSubnets) {
      expect(cidrContains(vpc.cidr_block, s.cidr_block)).toBe(true);
      for (const [, w] of webSubnets) expect(cidrContains(w.cidr_block, s.cidr_block)).toBe(false);
    }
    expect(lbSubnets.map(([, s]) => s.tags.Name)).toEqual(['dev-web-lb-0', 'dev-web-lb-1', 'dev-web-lb-2']);
    // Tagged as the balancer (`web-lb`), so the inventory does not count them as the service's subnets.
    for (const [, s] of lbSubnets) expect(s.tags).toMatchObject({ 'butter:network': 'dev', 'butter:service': 'web-lb' });
    // Public: associated with the route table whose default route is the internet gateway.
    const assoc = resourcesOf(tf, 'aws_route_table_association').filter(([id]) => id.includes('_web_lb_'));
    expect(assoc).toHaveLength(3);
    for (const [, a] of assoc) expect(a.route_table_id).toMatch(ref('aws_route_table', 'public-routes', 'id'));
  });

  test('instances behind an internet-facing balancer stay private: no public IP, private subnets', () => {
    const { tf } = albStack();
    const lt = resourceNamed(tf, 'aws_launch_template', 'web');
    expect(lt.network_interfaces[0].associate_public_ip_address).toBe('false');
    const assoc = resourcesOf(tf, 'aws_route_table_association').filter(([id]) => /_web_subnet-\d-routes/.test(id));
    expect(assoc).toHaveLength(3);
    for (const [, a] of assoc) expect(a.route_table_id).toMatch(ref('aws_route_table', 'private-routes', 'id'));
  });

  test('its own security group: no inline rules, the allowed CIDRs on each listener port, out only to the service', () => {
    const { tf } = albStack();
    const sg = resourceNamed(tf, 'aws_security_group', '_web_lb_');
    expect(sg.name).toBe('dev-web-lb');
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
    const lbSg = ref('aws_security_group', '_web_lb_', 'id');
    const clients = ingress(tf).filter((r) => lbSg.test(r.security_group_id));
    expect(clients.map((r) => [r.cidr_ipv4, r.ip_protocol, r.from_port, r.to_port]).sort()).toEqual([
      ['0.0.0.0/0', 'tcp', 443, 443],
      ['0.0.0.0/0', 'tcp', 80, 80],
    ]);
    // Egress: to the service's group, on the target port only (the health check probes the same port).
    const out = egress(tf).filter((r) => lbSg.test(r.security_group_id));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ ip_protocol: 'tcp', from_port: 8080, to_port: 8080 });
    expect(out[0].referenced_security_group_id).toMatch(ref('aws_security_group', '_web_sg_', 'id'));
    expect(out[0].cidr_ipv4).toBeUndefined();
  });

  test('a Path from the balancer to the service: the service admits the balancer\'s group on the target port, nothing else', () => {
    const { tf, web } = albStack();
    const lb = web.loadBalancer!;
    expect(lb.paths.map((p) => [p.source, p.destination, p.port.toString()])).toEqual([[lb, web, Port.tcp(8080).toString()]]);
    const intoWeb = ingress(tf).filter((r) => ref('aws_security_group', '_web_sg_', 'id').test(r.security_group_id));
    expect(intoWeb).toHaveLength(1);
    expect(intoWeb[0]).toMatchObject({ ip_protocol: 'tcp', from_port: 8080, to_port: 8080, description: 'load balancer web-lb to web on tcp:8080' });
    expect(intoWeb[0].referenced_security_group_id).toMatch(ref('aws_security_group', '_web_lb_', 'id'));
  });

  test('an http listener that only redirects to https opens nothing on its own target port: no Path, no rule, no target group', () => {
    const bp = writeBlueprint(dir, 'redirect-port', serviceBody({
      load_balancer: {
        listeners: [
          { protocol: 'http', port: 80, target_port: 8080 },
          { protocol: 'https', port: 443, target_port: 8443, certificate: CERT },
        ],
      },
    }));
    const { stack, network } = awsStack();
    const web = new Service(network, 'web', { blueprint: bp });
    const tf = synthJson(stack);
    const lb = web.loadBalancer!;
    // The health check defaults to the port the https listener forwards to, so one Path in all.
    expect(lb.paths.map((p) => p.port.toString())).toEqual([Port.tcp(8443).toString()]);
    const intoWeb = ingress(tf).filter((r) => ref('aws_security_group', '_web_sg_', 'id').test(r.security_group_id));
    expect(intoWeb.map((r) => [r.from_port, r.to_port])).toEqual([[8443, 8443]]);
    const out = egress(tf).filter((r) => ref('aws_security_group', '_web_lb_', 'id').test(r.security_group_id));
    expect(out.map((r) => [r.from_port, r.to_port])).toEqual([[8443, 8443]]);
    expect(resourcesOf(tf, 'aws_lb_target_group').map(([, g]) => [g.port, g.health_check.port])).toEqual([[8443, '8443']]);
    expect(resourceNamed(tf, 'aws_lb_listener', 'listener-80').default_action).toEqual([{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }]);
    // Clients still reach both listener ports; the instances only on 8443, through the balancer.
    const clients = ingress(tf).filter((r) => ref('aws_security_group', '_web_lb_', 'id').test(r.security_group_id));
    expect(clients.map((r) => r.from_port).sort()).toEqual([443, 80]);
  });

  test('the ALB: name within 32 characters, internet-facing, its group and subnets, invalid headers dropped', () => {
    const { tf } = albStack();
    const alb = resourceNamed(tf, 'aws_lb', 'web');
    expect(alb).toMatchObject({ name: 'dev-web', internal: false, load_balancer_type: 'application', drop_invalid_header_fields: true });
    expect(alb.security_groups).toHaveLength(1);
    expect(alb.security_groups[0]).toMatch(ref('aws_security_group', '_web_lb_', 'id'));
    expect(alb.subnets).toHaveLength(3);
    alb.subnets.forEach((s: string) => expect(s).toMatch(ref('aws_subnet', '_web_lb_subnet-\\d', 'id')));
  });

  test('one target group per target port: instances, HTTP, the VPC, the blueprint\'s health check', () => {
    const { tf } = albStack();
    const groups = resourcesOf(tf, 'aws_lb_target_group').map(([, g]) => g);
    expect(groups).toHaveLength(1);
    const [tg] = groups;
    expect(tg).toMatchObject({ name: 'dev-web-8080', target_type: 'instance', protocol: 'HTTP', port: 8080, deregistration_delay: '30' });
    expect(tg.vpc_id).toMatch(ref('aws_vpc', 'vpc', 'id'));
    expect(tg.health_check).toEqual({
      enabled: true, protocol: 'HTTP', path: '/healthz', port: '8080', matcher: '200-399',
      interval: 15, timeout: 4, healthy_threshold: 2, unhealthy_threshold: 4,
    });
  });

  test('listeners: HTTPS with the certificate and a TLS 1.2+ policy forwards to the target group; HTTP beside it redirects there (301)', () => {
    const { tf } = albStack();
    const https = resourceNamed(tf, 'aws_lb_listener', 'listener-443');
    expect(https).toMatchObject({ port: 443, protocol: 'HTTPS', certificate_arn: CERT, ssl_policy: AWS_HTTPS_SSL_POLICY });
    expect(https.default_action).toEqual([{ type: 'forward', target_group_arn: expect.stringMatching(ref('aws_lb_target_group', 'targets-http-8080', 'arn')) }]);
    const http = resourceNamed(tf, 'aws_lb_listener', 'listener-80');
    expect(http).toMatchObject({ port: 80, protocol: 'HTTP' });
    expect(http.certificate_arn).toBeUndefined();
    expect(http.ssl_policy).toBeUndefined();
    expect(http.default_action).toEqual([{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }]);
    for (const l of [https, http]) expect(l.load_balancer_arn).toMatch(ref('aws_lb', 'web', 'arn'));
  });

  test('HTTP alone forwards (and butter check reports plain HTTP on the internet, BUTTER-LB-001)', () => {
    const bp = writeBlueprint(dir, 'httponly', serviceBody({ load_balancer: {} }));
    const { stack, network } = awsStack();
    Checks.suppress(network, 'BUTTER-AWS-004', 'test network: flow logs are not what is tested');
    new Service(network, 'web', { blueprint: bp });
    const tf = synthJson(stack);
    expect(resourceNamed(tf, 'aws_lb_listener', 'web').default_action).toEqual([{ type: 'forward', target_group_arn: expect.stringMatching(ref('aws_lb_target_group', 'targets-http-80', 'arn')) }]);
    const report = Checks.report(stack);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['BUTTER-LB-001']);
  });

  test('the group: registered in the target group, ELB health with the grace period, min/max from scaling, desired left to the policy', () => {
    const { tf } = albStack();
    const group = resourceNamed(tf, 'aws_autoscaling_group', 'web');
    expect(group.target_group_arns).toEqual([expect.stringMatching(ref('aws_lb_target_group', 'targets-http-8080', 'arn'))]);
    expect(group).toMatchObject({ health_check_type: 'ELB', health_check_grace_period: 120, min_size: 2, max_size: 6 });
    expect(group).not.toHaveProperty('desired_capacity');
    expect(group.lifecycle?.ignore_changes).toBeUndefined();
    const policy = resourceNamed(tf, 'aws_autoscaling_policy', 'web');
    expect(policy).toEqual(expect.objectContaining({
      name: 'dev-web-cpu',
      policy_type: 'TargetTrackingScaling',
      target_tracking_configuration: {
        predefined_metric_specification: { predefined_metric_type: 'ASGAverageCPUUtilization' },
        target_value: 55,
      },
    }));
    expect(policy.autoscaling_group_name).toMatch(ref('aws_autoscaling_group', 'web', 'name'));
  });

  test('dnsName is the ALB\'s dns_name, known after deploy', () => {
    const { stack, network } = awsStack();
    const web = new Service(network, 'web', { blueprint: albBp });
    new TerraformOutput(stack, 'url', { value: web.loadBalancer!.dnsName });
    new TerraformOutput(stack, 'same', { value: (network.renderer as AwsRenderer).resourcesOfBalancer(web.loadBalancer!)!.dnsName });
    const out = synthJson(stack).output!;
    expect(out.url.value).toMatch(ref('aws_lb', 'web', 'dns_name'));
    expect(out.same.value).toBe(out.url.value);
  });

  test('a network balancer: TCP and UDP listeners and target groups, a TCP health check, a separate health Path', () => {
    const bp = writeBlueprint(dir, 'nlb', serviceBody({
      placement: { availability_zones: 1 }, // an NLB may live in one zone
      load_balancer: { type: 'network', listeners: [{ protocol: 'tcp', port: 5432 }, { protocol: 'udp', port: 53, target_port: 5353 }] },
      health_check: { port: 9000 },
    }));
    const { stack, network } = awsStack();
    const db = new Service(network, 'db', { blueprint: bp });
    const tf = synthJson(stack);
    const nlb = resourceNamed(tf, 'aws_lb', 'db');
    expect(nlb).toMatchObject({ load_balancer_type: 'network', internal: false });
    expect(nlb).not.toHaveProperty('drop_invalid_header_fields');
    expect(nlb.security_groups).toHaveLength(1); // NLBs take groups only when created with one
    expect(nlb.subnets).toHaveLength(1);
    const groups = resourcesOf(tf, 'aws_lb_target_group').map(([, g]) => g);
    expect(groups.map((g) => [g.name, g.protocol, g.port]).sort()).toEqual([['dev-db-5353u', 'UDP', 5353], ['dev-db-5432', 'TCP', 5432]]);
    for (const g of groups) {
      expect(g.health_check).toEqual({ enabled: true, protocol: 'TCP', port: '9000', interval: 30, timeout: 5, healthy_threshold: 3, unhealthy_threshold: 3 });
    }
    const listeners = resourcesOf(tf, 'aws_lb_listener').map(([, l]) => [l.protocol, l.port]).sort();
    expect(listeners).toEqual([['TCP', 5432], ['UDP', 53]]);
    // Paths: the target ports, and the health port that no listener forwards to.
    expect(db.loadBalancer!.paths.map((p) => p.port.toString()).sort()).toEqual([Port.tcp(5432), Port.tcp(9000), Port.udp(5353)].map(String).sort());
    const intoDb = ingress(tf).filter((r) => ref('aws_security_group', '_db_sg_', 'id').test(r.security_group_id));
    expect(intoDb.map((r) => [r.ip_protocol, r.from_port]).sort()).toEqual([['tcp', 5432], ['tcp', 9000], ['udp', 5353]]);
    const out = egress(tf).filter((r) => ref('aws_security_group', '_db_lb_', 'id').test(r.security_group_id));
    expect(out.map((r) => [r.ip_protocol, r.from_port]).sort()).toEqual([['tcp', 5432], ['tcp', 9000], ['udp', 5353]]);
    const clients = ingress(tf).filter((r) => ref('aws_security_group', '_db_lb_', 'id').test(r.security_group_id));
    expect(clients.map((r) => [r.cidr_ipv4, r.ip_protocol, r.from_port]).sort()).toEqual([['0.0.0.0/0', 'tcp', 5432], ['0.0.0.0/0', 'udp', 53]]);
    // Fixed count, no scaling policy.
    expect(resourceNamed(tf, 'aws_autoscaling_group', 'db')).toMatchObject({ min_size: 1, max_size: 1, desired_capacity: 1, health_check_type: 'ELB', health_check_grace_period: 300 });
    expect(resourcesOf(tf, 'aws_autoscaling_policy')).toHaveLength(0);
  });

  test('an internal balancer: private subnets, internal = true, and only the network\'s block by default', () => {
    const bp = writeBlueprint(dir, 'internal', serviceBody({ load_balancer: { scheme: 'internal' } }));
    const { stack, network } = awsStack();
    new Service(network, 'api', { blueprint: bp });
    const tf = synthJson(stack);
    expect(resourceNamed(tf, 'aws_lb', 'api')).toMatchObject({ internal: true });
    const assoc = resourcesOf(tf, 'aws_route_table_association').filter(([id]) => id.includes('_api_lb_'));
    expect(assoc).toHaveLength(3);
    for (const [, a] of assoc) expect(a.route_table_id).toMatch(ref('aws_route_table', 'private-routes', 'id'));
    const clients = ingress(tf).filter((r) => ref('aws_security_group', '_api_lb_', 'id').test(r.security_group_id));
    expect(clients.map((r) => r.cidr_ipv4)).toEqual([network.cidr]);
  });

  test('allowed_cidrs: each block on each listener port', () => {
    const bp = writeBlueprint(dir, 'office', serviceBody({
      load_balancer: { allowed_cidrs: ['203.0.113.0/24', '198.51.100.7/32'], listeners: [{ protocol: 'http', port: 80 }, { protocol: 'http', port: 8081, target_port: 80 }] },
    }));
    const { stack, network } = awsStack();
    new Service(network, 'web', { blueprint: bp });
    const tf = synthJson(stack);
    const clients = ingress(tf).filter((r) => ref('aws_security_group', '_web_lb_', 'id').test(r.security_group_id));
    expect(clients.map((r) => `${r.cidr_ipv4}:${r.from_port}`).sort()).toEqual([
      '198.51.100.7/32:80', '198.51.100.7/32:8081', '203.0.113.0/24:80', '203.0.113.0/24:8081',
    ]);
    // Two listeners onto one target port share one target group.
    expect(resourcesOf(tf, 'aws_lb_target_group')).toHaveLength(1);
  });

  test('in code: new LoadBalancer(service, "lb", props) overrides the blueprint and renders the same way', () => {
    const { stack, network } = awsStack();
    const web = new Service(network, 'web', { blueprint: plainBp });
    const lb = new LoadBalancer(web, 'lb', { type: 'network', scheme: 'internal', listeners: [{ protocol: 'tcp', port: 443, targetPort: 8443 }] });
    expect(web.loadBalancer).toBe(lb);
    const tf = synthJson(stack);
    expect(resourceNamed(tf, 'aws_lb', 'web')).toMatchObject({ load_balancer_type: 'network', internal: true });
    expect(resourceNamed(tf, 'aws_lb_listener', 'web')).toMatchObject({ protocol: 'TCP', port: 443 });
    expect(resourceNamed(tf, 'aws_lb_target_group', 'web')).toMatchObject({ protocol: 'TCP', port: 8443 });
    // The group made before the balancer is attached to it afterwards.
    const group = resourceNamed(tf, 'aws_autoscaling_group', 'web');
    expect(group).toMatchObject({ health_check_type: 'ELB', health_check_grace_period: 300, min_size: 3, max_size: 3, desired_capacity: 3 });
    expect(group.target_group_arns).toHaveLength(1);
  });

  test('long names: the balancer and its target groups stay within 32 characters of letters, digits and hyphens', () => {
    const bp = writeBlueprint(dir, 'long', serviceBody({ load_balancer: { type: 'network', listeners: [{ protocol: 'tcp', port: 65535 }, { protocol: 'udp', port: 65534, target_port: 65535 }] } }));
    const app = Testing.app();
    const stack = new TerraformStack(app, 'test');
    const network = new Network(stack, 'internal-production-network', { cloud: 'aws', region: 'us-east-1', addressLedger: false });
    new Service(network, 'customer-facing-payments-gateway', { blueprint: bp });
    const tf = synthJson(stack);
    const names = [...resourcesOf(tf, 'aws_lb'), ...resourcesOf(tf, 'aws_lb_target_group')].map(([, r]) => r.name as string);
    expect(names).toHaveLength(3);
    expect(new Set(names).size).toBe(3);
    for (const n of names) {
      expect(n.length).toBeLessThanOrEqual(32);
      expect(n).toMatch(/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/);
      expect(n).not.toMatch(/^internal-/);
    }
  });

  test('without a balancer: health_check sets the EC2 group\'s grace period, scaling still tracks CPU', () => {
    const bp = writeBlueprint(dir, 'nolb', serviceBody({ health_check: { grace_period: 90 }, scaling: { min: 1, max: 4 } }));
    const { stack, network } = awsStack();
    new Service(network, 'worker', { blueprint: bp });
    new Service(network, 'plain', { blueprint: plainBp });
    const tf = synthJson(stack);
    const worker = resourceNamed(tf, 'aws_autoscaling_group', 'worker');
    expect(worker).toMatchObject({ health_check_type: 'EC2', health_check_grace_period: 90, min_size: 1, max_size: 4 });
    expect(worker).not.toHaveProperty('desired_capacity');
    expect(worker.target_group_arns).toBeUndefined();
    expect(resourceNamed(tf, 'aws_autoscaling_policy', 'worker').target_tracking_configuration.target_value).toBe(60);
    // No health_check, no balancer: as before (EC2, AWS's default grace period).
    const plain = resourceNamed(tf, 'aws_autoscaling_group', 'plain');
    expect(plain).toMatchObject({ health_check_type: 'EC2', desired_capacity: 3 });
    expect(plain).not.toHaveProperty('health_check_grace_period');
    expect(resourcesOf(tf, 'aws_lb')).toHaveLength(0);
  });

  test('butter check finds nothing in a stack with a balancer', () => {
    const { stack, network } = awsStack();
    // The only finding of a bare test network is its missing flow log: not the balancer's.
    Checks.suppress(network, 'BUTTER-AWS-004', 'test network: flow logs are not what is tested');
    new Service(network, 'web', { blueprint: albBp });
    expect(stack).toPassChecks();
  });

  test('hostile input: a certificate and a health-check path holding Terraform expressions come out as text', () => {
    const bp = writeBlueprint(dir, 'hostile', serviceBody({
      load_balancer: { listeners: [{ protocol: 'https', port: 443, certificate: 'arn:${file("/etc/passwd")}' }] },
      health_check: { path: '/x${file("/etc/passwd")}%{if(true)}y%{endif}' },
    }));
    const { stack, network } = awsStack();
    new Service(network, 'web', { blueprint: bp });
    const tf = synthJson(stack);
    expect(resourceNamed(tf, 'aws_lb_listener', 'web').certificate_arn).toBe('arn:$${file("/etc/passwd")}');
    expect(resourceNamed(tf, 'aws_lb_target_group', 'web').health_check.path).toBe('/x$${file("/etc/passwd")}%%{if(true)}y%%{endif}');
    // Nowhere an unescaped `${` before file( (the escaped form is `$${`).
    expect(Testing.synth(stack)).not.toMatch(/(?<!\$)\$\{file\(/);
  });
});

describe('LoadBalancer on AWS: bad input gets errors naming the file and the key', () => {
  const dir = tempDir();

  test('an application balancer on a service in one zone', () => {
    const bp = writeBlueprint(dir, 'onezone', serviceBody({ placement: { availability_zones: 1 }, load_balancer: {} }));
    const { network } = awsStack();
    const e = butterErrorOf(() => new Service(network, 'web', { blueprint: bp }));
    expect(e.code).toBe('LOAD_BALANCER_ZONES');
    expect(e.file).toBe(bp);
    expect(e.key).toBe('placement.availability_zones');
    expect(e.hint).toMatch(/availability_zones to 2 or more|type: network/);
  });

  test('an unknown protocol, in the blueprint and in props', () => {
    const bp = writeBlueprint(dir, 'proto', serviceBody({ load_balancer: { listeners: [{ protocol: 'ftp', port: 21 }] } }));
    const { network } = awsStack();
    const e = butterErrorOf(() => new Service(network, 'web', { blueprint: bp }));
    expect(e.file).toBe(bp);
    expect(e.message).toMatch(/load_balancer\.listeners\[0\]\.protocol/);
    expect(e.message).toMatch(/ftp/);

    const plain = writeBlueprint(dir, 'plain', serviceBody());
    const web = new Service(network, 'web2', { blueprint: plain });
    const p = butterErrorOf(() => new LoadBalancer(web, 'lb', { listeners: [{ protocol: 'ftp' as never, port: 21 }] }));
    expect(p.message).toMatch(/load_balancer\.listeners\[0\]\.protocol/);
    expect(p.file).toBe(plain);
  });

  test('HTTPS without a certificate', () => {
    const bp = writeBlueprint(dir, 'nocert', serviceBody({ load_balancer: { listeners: [{ protocol: 'https', port: 443 }] } }));
    const { network } = awsStack();
    const e = butterErrorOf(() => new Service(network, 'web', { blueprint: bp }));
    expect(e.file).toBe(bp);
    expect(e.message).toMatch(/load_balancer\.listeners\[0\]/);
    expect(e.message).toMatch(/certificate/);
  });

  test('count beside scaling', () => {
    const bp = writeBlueprint(dir, 'scaled', serviceBody({ scaling: { min: 2, max: 4 } }));
    const { network } = awsStack();
    const e = butterErrorOf(() => new Service(network, 'web', { blueprint: bp, count: 3 }));
    expect(e.code).toBe('SERVICE_COUNT_WITH_SCALING');
    expect(e.file).toBe(bp);
    expect(e.key).toBe('scaling');
  });

  test('a second balancer on one service', () => {
    const bp = writeBlueprint(dir, 'one', serviceBody({ load_balancer: {} }));
    const { network } = awsStack();
    const web = new Service(network, 'web', { blueprint: bp });
    const e = butterErrorOf(() => new LoadBalancer(web, 'second'));
    expect(e.code).toBe('LOAD_BALANCER_DUPLICATE');
    expect(e.key).toBe('load_balancer');
  });

  test('a balancer and a service cannot share a name (<service>-lb), whichever comes first', () => {
    const withLb = writeBlueprint(dir, 'named', serviceBody({ load_balancer: {} }));
    const plain = writeBlueprint(dir, 'named-plain', serviceBody());
    let { network } = awsStack();
    new Service(network, 'web', { blueprint: withLb });
    const later = butterErrorOf(() => new Service(network, 'web-lb', { blueprint: plain }));
    expect(later.code).toBe('SERVICE_NAME_TAKEN');
    expect(later.message).toContain('"web-lb" is the name of');

    ({ network } = awsStack());
    new Service(network, 'api-lb', { blueprint: plain });
    const earlier = butterErrorOf(() => new Service(network, 'api', { blueprint: withLb }));
    expect(earlier.code).toBe('LOAD_BALANCER_NAME_TAKEN');
    expect(earlier.hint).toContain('rename the service api-lb');
    // A service merely ending in -lb is fine when no balancer claims the name.
    ({ network } = awsStack());
    expect(new Service(network, 'edge-lb', { blueprint: plain }).serviceName).toBe('edge-lb');
  });

  test('a Path cannot be declared twice from the balancer (its Paths already exist)', () => {
    const bp = writeBlueprint(dir, 'dup', serviceBody({ load_balancer: {} }));
    const { network } = awsStack();
    const web = new Service(network, 'web', { blueprint: bp });
    expect(butterErrorOf(() => new Path(web.loadBalancer!, web, 80)).code).toBe('PATH_DUPLICATE');
  });
});
