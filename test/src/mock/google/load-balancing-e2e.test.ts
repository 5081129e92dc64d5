import * as fs from 'node:fs';
import * as path from 'node:path';
import { MockCloud, startMockCloud } from '../../../../src/mock';
import { scratch, terraformEnv, tf } from '../helpers/terraform';

/**
 * The real Terraform CLI against the simulated Google Cloud: a configuration in the shape of
 * Butter's Google load-balancer rendering (issue 19's design) with an application balancer
 * (regional external, proxy-only subnet) on an autoscaled group and a passthrough network
 * balancer on a fixed one deploys, converges (the second plan is empty, though the autoscaler
 * resized the group), rescales in place, shows the backends' health and destroys cleanly.
 */

const ref = (type: string, name: string, attr = 'id') => `\${${type}.${name}.${attr}}`;

function config(min: number, max: number): object {
  const template = (name: string, tag: string) => ({
    name, machine_type: 'e2-small', tags: [tag],
    disk: [{ boot: true, source_image: 'projects/debian-cloud/global/images/family/debian-12' }],
    network_interface: [{ subnetwork: ref('google_compute_subnetwork', 'app', 'self_link') }],
  });
  return {
    terraform: { required_providers: { google: { source: 'hashicorp/google', version: '6.50.0' } } },
    provider: { google: [{ project: 'lb-e2e', region: 'us-central1' }] },
    resource: {
      google_compute_network: { net: { name: 'net', auto_create_subnetworks: false } },
      google_compute_subnetwork: {
        app: { name: 'app', network: ref('google_compute_network', 'net'), ip_cidr_range: '10.0.0.0/24' },
        proxy: { name: 'proxy-only', network: ref('google_compute_network', 'net'), ip_cidr_range: '10.0.2.0/23', purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE' },
      },
      google_compute_firewall: {
        probes: {
          name: 'web-hc', network: ref('google_compute_network', 'net'), source_ranges: ['35.191.0.0/16', '130.211.0.0/22'],
          target_tags: ['web'], allow: [{ protocol: 'tcp', ports: ['80'] }],
        },
        proxies: {
          name: 'web-from-lb', network: ref('google_compute_network', 'net'), source_ranges: ['10.0.2.0/23'],
          target_tags: ['web'], allow: [{ protocol: 'tcp', ports: ['80'] }],
        },
      },
      google_compute_instance_template: { web: template('web', 'web'), dns: template('dns', 'dns') },
      google_compute_region_health_check: {
        web: { name: 'web', check_interval_sec: 30, timeout_sec: 5, healthy_threshold: 3, unhealthy_threshold: 3, http_health_check: [{ port: 80, request_path: '/' }] },
        dns: { name: 'dns', tcp_health_check: [{ port: 53 }] },
      },
      google_compute_region_instance_group_manager: {
        web: {
          name: 'web', base_instance_name: 'web', version: [{ instance_template: ref('google_compute_instance_template', 'web', 'self_link_unique') }],
          named_port: [{ name: 'http', port: 80 }], auto_healing_policies: [{ health_check: ref('google_compute_region_health_check', 'web'), initial_delay_sec: 300 }],
        },
        dns: {
          name: 'dns', base_instance_name: 'dns', target_size: 2, version: [{ instance_template: ref('google_compute_instance_template', 'dns', 'self_link_unique') }],
          named_port: [{ name: 'dns', port: 53 }],
        },
      },
      google_compute_region_autoscaler: {
        web: {
          name: 'web', target: ref('google_compute_region_instance_group_manager', 'web'),
          autoscaling_policy: [{ min_replicas: min, max_replicas: max, cooldown_period: 60, cpu_utilization: [{ target: 0.6 }] }],
        },
      },
      google_compute_region_backend_service: {
        web: {
          name: 'web', load_balancing_scheme: 'EXTERNAL_MANAGED', protocol: 'HTTP', port_name: 'http',
          health_checks: [ref('google_compute_region_health_check', 'web')],
          backend: [{ group: ref('google_compute_region_instance_group_manager', 'web', 'instance_group'), balancing_mode: 'UTILIZATION', capacity_scaler: 1 }],
        },
        dns: {
          name: 'dns', load_balancing_scheme: 'EXTERNAL', protocol: 'UDP', health_checks: [ref('google_compute_region_health_check', 'dns')],
          backend: [{ group: ref('google_compute_region_instance_group_manager', 'dns', 'instance_group'), balancing_mode: 'CONNECTION' }],
        },
      },
      google_compute_region_url_map: { web: { name: 'web', default_service: ref('google_compute_region_backend_service', 'web') } },
      google_compute_region_target_http_proxy: { web: { name: 'web', url_map: ref('google_compute_region_url_map', 'web') } },
      google_compute_forwarding_rule: {
        web: {
          name: 'web', target: ref('google_compute_region_target_http_proxy', 'web'), port_range: '80', load_balancing_scheme: 'EXTERNAL_MANAGED',
          network: ref('google_compute_network', 'net'), network_tier: 'STANDARD', depends_on: ['google_compute_subnetwork.proxy'],
        },
        dns: { name: 'dns', backend_service: ref('google_compute_region_backend_service', 'dns'), ip_protocol: 'UDP', ports: ['53'], load_balancing_scheme: 'EXTERNAL' },
      },
    },
    output: {
      web_ip: { value: ref('google_compute_forwarding_rule', 'web', 'ip_address') },
      dns_ip: { value: ref('google_compute_forwarding_rule', 'dns', 'ip_address') },
    },
  };
}

describe('Google load balancers through terraform', () => {
  const tmp = scratch('google-lb-e2e');
  const stateDir = path.join(tmp.dir, 'cloud');
  let cloud: MockCloud;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    cloud = await startMockCloud({ stateDir });
    env = terraformEnv(tmp.dir, cloud.env);
  });
  afterAll(async () => {
    await cloud?.stop();
    tmp.cleanup();
  });

  const instances = (group: string): Record<string, any>[] => {
    const objects = JSON.parse(fs.readFileSync(path.join(stateDir, 'google.json'), 'utf8')).objects;
    return Object.values<Record<string, any>>(objects.instance ?? {}).filter((i) => i.instance_group_manager.endsWith(`/instanceGroupManagers/${group}`));
  };

  test('deploy, converge, rescale in place, destroy', async () => {
    const dir = tmp.dir;
    const write = (min: number, max: number) => fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(config(min, max), null, 1));
    write(2, 4);
    await tf(dir, env, 0, 'init', '-input=false');
    await tf(dir, env, 0, 'apply', '-input=false', '-auto-approve', '-parallelism=20');
    // The autoscaler started the group at its minimum; the fixed group has its target size.
    expect(instances('web')).toHaveLength(2);
    expect(instances('dns')).toHaveLength(2);
    // The probes reach the web servers on 80; nothing admits them to the DNS servers on 53.
    expect(instances('web').map((i) => i.health)).toEqual(['HEALTHY', 'HEALTHY']);
    expect(instances('dns').map((i) => i.health)).toEqual(['UNHEALTHY', 'UNHEALTHY']);
    const out = JSON.parse((await tf(dir, env, 0, 'output', '-json')).stdout);
    expect(out.web_ip.value).toMatch(/^34\.\d+\.\d+\.\d+$/);
    expect(out.dns_ip.value).toMatch(/^34\.\d+\.\d+\.\d+$/);
    expect(out.dns_ip.value).not.toEqual(out.web_ip.value);
    // Converged: the group's live size (set by the autoscaler) plans no change.
    await tf(dir, env, 0, 'plan', '-input=false', '-detailed-exitcode');

    // Scale min/max in place: the autoscaler is updated, nothing is replaced, the group follows.
    write(3, 6);
    const plan = await tf(dir, env, 2, 'plan', '-input=false', '-detailed-exitcode');
    expect(plan.stdout).toContain('1 to change, 0 to destroy');
    await tf(dir, env, 0, 'apply', '-input=false', '-auto-approve');
    expect(instances('web')).toHaveLength(3);
    await tf(dir, env, 0, 'plan', '-input=false', '-detailed-exitcode');

    await tf(dir, env, 0, 'destroy', '-input=false', '-auto-approve', '-parallelism=20');
    const left = JSON.parse(fs.readFileSync(path.join(stateDir, 'google.json'), 'utf8')).objects;
    expect(Object.entries(left).filter(([, v]) => Object.keys(v as object).length > 0)).toEqual([]);
  }, 120_000);
});
