import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { buildExamples } from '../../../../example-blueprints/stacks';
import { MockCloud, startMockCloud } from '../../../../src/mock';
import { scratch, terraformEnv, tf } from '../helpers/terraform';

/**
 * The real Terraform CLI against the simulated Google Cloud (in-process reattach): Butter's
 * synthesized Google example stacks deploy, converge (a second plan is empty) and destroy
 * cleanly, and small configurations go through in-place updates and replacements.
 */

interface Cloud {
  objects: Record<string, Record<string, Record<string, any>>>;
}

describe('simulated Google Cloud through terraform', () => {
  const tmp = scratch('google-e2e');
  const stateDir = path.join(tmp.dir, 'cloud');
  let cloud: MockCloud;
  let env: NodeJS.ProcessEnv;
  let stacks: string;

  beforeAll(async () => {
    stacks = path.join(tmp.dir, 'synth');
    const app = new App({ outdir: stacks });
    buildExamples(app, { addressLedger: false });
    app.synth();
    cloud = await startMockCloud({ stateDir });
    env = terraformEnv(tmp.dir, cloud.env);
  });
  afterAll(async () => {
    await cloud?.stop();
    tmp.cleanup();
  });

  const cloudState = (): Cloud => JSON.parse(fs.readFileSync(path.join(stateDir, 'google.json'), 'utf8'));
  const list = (kind: string): Record<string, any>[] => Object.values(cloudState().objects[kind] ?? {});

  /** A synthesized stack in its own folder, with a local backend there. */
  const workspace = (stack: string): string => {
    const dir = path.join(tmp.dir, stack);
    fs.mkdirSync(dir, { recursive: true });
    const config = JSON.parse(fs.readFileSync(path.join(stacks, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    config.terraform.backend = { local: { path: 'terraform.tfstate' } };
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(config, null, 2));
    return dir;
  };
  const outputs = async (dir: string): Promise<Record<string, { value: any }>> => JSON.parse((await tf(dir, env, 0, 'output', '-json')).stdout);

  test('gce-haproxy and gce-apache deploy, converge and destroy', async () => {
    const haproxy = workspace('gce-haproxy');
    const apache = workspace('gce-apache');
    await Promise.all([tf(haproxy, env, 0, 'init', '-input=false'), tf(apache, env, 0, 'init', '-input=false')]);
    // Both stacks share the project: their names must not collide.
    await Promise.all([tf(haproxy, env, 0, 'apply', '-input=false', '-auto-approve'), tf(apache, env, 0, 'apply', '-input=false', '-auto-approve')]);

    const out = await outputs(haproxy);
    const webIps: string[] = out.web_private_ips.value;
    const groups = list('instance_group_manager');
    const groupId = (name: string) => groups.find((g) => g.name === name)!.id;
    const web = list('instance').filter((i) => i.instance_group_manager === groupId('gdev-web'));
    const lb = list('instance').filter((i) => i.instance_group_manager === groupId('gdev-lb'));

    // The web group: 6 instances over 3 zones, on the IPs Butter pinned, in the web subnet.
    expect(web).toHaveLength(6);
    expect(new Set(web.map((i) => i.zone)).size).toBe(3);
    expect(web.map((i) => i.private_ip).sort()).toEqual([...webIps].sort());
    const webSubnet = list('subnetwork').find((s) => s.name === 'gdev-web')!;
    for (const i of web) {
      expect(i).toMatchObject({ status: 'RUNNING', machine_type: 'e2-medium', subnetwork: webSubnet.id, public_ip: null, tags: ['gdev-web'] });
      expect(i.private_ip.startsWith(webSubnet.ip_cidr_range.split('.').slice(0, 2).join('.'))).toBe(true);
    }
    expect(groups.find((g) => g.name === 'gdev-web')!.target_size).toBe(6);

    // The load balancers: public, and their cloud-init config lists exactly the web instances.
    expect(lb).toHaveLength(3);
    expect(lb.map((i) => i.public_ip).sort()).toEqual([...out.lb_public_ips.value].sort());
    for (const i of lb) {
      const userData: string = i.metadata['user-data'];
      expect(userData).toMatch(/^#cloud-config/);
      const backends = [...userData.matchAll(/server web\d+ (\d+\.\d+\.\d+\.\d+):80/g)].map((m) => m[1]);
      expect(backends.sort()).toEqual(web.map((w) => w.private_ip).sort());
    }

    // gce-apache: public instances started by a shell script.
    const apacheOut = await outputs(apache);
    const apacheInstances = list('instance').filter((i) => i.instance_group_manager === groupId('apache-public'));
    expect(apacheInstances.map((i) => i.public_ip).sort()).toEqual([...apacheOut.apache_public_ips.value].sort());
    for (const i of apacheInstances) expect(i.metadata['startup-script']).toMatch(/^#!\/bin\/bash/);

    // Converged: nothing to do on a second plan.
    await Promise.all([
      tf(haproxy, env, 0, 'plan', '-input=false', '-detailed-exitcode'),
      tf(apache, env, 0, 'plan', '-input=false', '-detailed-exitcode'),
    ]);

    await Promise.all([tf(haproxy, env, 0, 'destroy', '-input=false', '-auto-approve'), tf(apache, env, 0, 'destroy', '-input=false', '-auto-approve')]);
    expect(cloudState().objects).toEqual({});
  });

  test('a firewall updates in place; a template change replaces the template and rolls the group', async () => {
    const dir = path.join(tmp.dir, 'small');
    fs.mkdirSync(dir, { recursive: true });
    const write = (port: string, script: string, size = 2) => fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(smallConfig(port, script, size), null, 2));
    write('80', 'echo one');
    await tf(dir, env, 0, 'init', '-input=false');
    await tf(dir, env, 0, 'apply', '-input=false', '-auto-approve');
    await tf(dir, env, 0, 'plan', '-input=false', '-detailed-exitcode');
    const [firewall] = list('firewall');
    const [template] = list('instance_template');
    const before = list('instance');
    expect(before).toHaveLength(2);
    expect(before.map((i) => i.zone).sort()).toEqual(['us-central1-a', 'us-central1-b']);
    expect(before.every((i) => i.metadata['startup-script'] === 'echo one' && i.instance_template === template.id)).toBe(true);

    // In place: the firewall's port, and the group's size.
    write('8080', 'echo one', 3);
    const update = await tf(dir, env, 2, 'plan', '-input=false', '-detailed-exitcode');
    expect(update.stdout).toContain('google_compute_firewall.web will be updated in-place');
    expect(update.stdout).toContain('google_compute_region_instance_group_manager.web will be updated in-place');
    expect(update.stdout).toContain('Plan: 0 to add, 2 to change, 0 to destroy.');
    await tf(dir, env, 0, 'apply', '-input=false', '-auto-approve');
    expect(list('firewall')).toEqual([expect.objectContaining({ id: firewall.id, attributes: expect.objectContaining({ allow: [{ protocol: 'tcp', ports: ['8080'] }] }) })]);
    expect(list('instance').map((i) => i.zone).sort()).toEqual(['us-central1-a', 'us-central1-b', 'us-central1-c']);
    await tf(dir, env, 0, 'plan', '-input=false', '-detailed-exitcode');

    // Replacement: a new startup script means a new template (created first), and the group
    // recreates its instances from it, keeping their names.
    const names = list('instance').map((i) => i.name).sort();
    const ids = list('instance').map((i) => i.instance_id);
    write('8080', 'echo two', 3);
    const replace = await tf(dir, env, 2, 'plan', '-input=false', '-detailed-exitcode');
    expect(replace.stdout).toContain('google_compute_instance_template.web must be replaced');
    expect(replace.stdout).toContain('+/- create replacement and then destroy');
    expect(replace.stdout).toContain('Plan: 1 to add, 1 to change, 1 to destroy.');
    await tf(dir, env, 0, 'apply', '-input=false', '-auto-approve');
    const templates = list('instance_template');
    expect(templates).toHaveLength(1);
    expect(templates[0].id).not.toEqual(template.id);
    const after = list('instance');
    expect(after.map((i) => i.name).sort()).toEqual(names);
    expect(after.every((i) => i.metadata['startup-script'] === 'echo two' && i.instance_template === templates[0].id)).toBe(true);
    expect(after.some((i) => ids.includes(i.instance_id))).toBe(false);
    await tf(dir, env, 0, 'plan', '-input=false', '-detailed-exitcode');

    await tf(dir, env, 0, 'destroy', '-input=false', '-auto-approve');
    expect(cloudState().objects).toEqual({});
  });

  test('a cloud error stops the apply with Google\'s message', async () => {
    const dir = path.join(tmp.dir, 'bad');
    fs.mkdirSync(dir, { recursive: true });
    const config = smallConfig('80', 'echo', 1);
    (config.resource.google_compute_subnetwork.web as Record<string, unknown>).ip_cidr_range = '10.0.0.0/30';
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(config));
    await tf(dir, env, 0, 'init', '-input=false');
    const failed = await tf(dir, env, 1, 'apply', '-input=false', '-auto-approve');
    expect(failed.stderr).toContain("Error creating Subnetwork: googleapi: Error 400: Invalid value for field 'resource.ipCidrRange': '10.0.0.0/30'");
    await tf(dir, env, 0, 'destroy', '-input=false', '-auto-approve');
    expect(cloudState().objects).toEqual({});
  });
});

/** A small stack: network, subnet, firewall, template (name_prefix, create_before_destroy) and a group. */
function smallConfig(port: string, script: string, size: number) {
  return {
    terraform: { required_providers: { google: { source: 'hashicorp/google', version: '6.50.0' } } },
    provider: { google: [{ project: 'small-project', region: 'us-central1' }] },
    data: {
      google_compute_zones: { all: {} },
      google_compute_image: { debian: { project: 'debian-cloud', family: 'debian-12' } },
    },
    resource: {
      google_compute_network: { net: { name: 'small', auto_create_subnetworks: false } },
      google_compute_subnetwork: { web: { name: 'small-web', network: '${google_compute_network.net.id}', ip_cidr_range: '10.0.0.0/24' } },
      google_compute_firewall: {
        web: {
          name: 'small-web', network: '${google_compute_network.net.id}', source_ranges: ['0.0.0.0/0'], target_tags: ['web'],
          allow: [{ protocol: 'tcp', ports: [port] }],
        },
      },
      google_compute_instance_template: {
        web: {
          name_prefix: 'small-web-', machine_type: 'e2-small', tags: ['web'], metadata: { 'startup-script': script },
          disk: [{ boot: true, source_image: '${data.google_compute_image.debian.self_link}' }],
          network_interface: [{ subnetwork: '${google_compute_subnetwork.web.self_link}' }],
          lifecycle: { create_before_destroy: true },
        },
      },
      google_compute_region_instance_group_manager: {
        web: {
          name: 'small-web', base_instance_name: 'small-web', target_size: size,
          version: [{ name: 'primary', instance_template: '${google_compute_instance_template.web.self_link_unique}' }],
          distribution_policy_zones: ['${data.google_compute_zones.all.names[0]}', '${data.google_compute_zones.all.names[1]}', '${data.google_compute_zones.all.names[2]}'],
          update_policy: [{ type: 'PROACTIVE', minimal_action: 'REPLACE', replacement_method: 'RECREATE', max_surge_fixed: 0, max_unavailable_fixed: 3 }],
        },
      },
    },
  };
}
