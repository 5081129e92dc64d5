import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { Network, Service } from '../../../../constructs';
import { assertSimulated } from '../../../../src/mock';
import { CloudStore } from '../../../../src/mock/cloud/store';
import { targetHealthReport } from '../../../../src/mock/aws/elb-model';
import { fromShowJson } from '../../../../src/state/resources';
import { awsInventory } from '../../../../src/inventory/aws';
import { inProcessCloud, tf } from '../helpers/terraform';

/**
 * What Butter's AWS rendering makes of the aws-nginx-alb example (private nginx behind an
 * internet-facing ALB, HTTPS with HTTP redirecting, scaling 2..6), synthesized by cdktf and
 * deployed by the real Terraform CLI on the simulated AWS cloud: it applies, the instances are
 * healthy targets (their security group admits the balancer's on the health port, through the
 * balancer's Path), changing scaling.min/max updates the group in place, and destroy leaves
 * nothing.
 */

const EXAMPLE = path.join(__dirname, '../../../../example-blueprints/aws-nginx-alb');

describe('Butter service behind an ALB on the AWS mock cloud (deploy, scale in place, destroy)', () => {
  const ws = inProcessCloud('aws-lb-deploy', ['aws']);
  const { dir, stateDir, work } = ws;

  /** The example's blueprint with other scaling bounds, synthesized to work/cdk.tf.json. */
  function synth(scaling: { min: number; max: number }): void {
    const folder = path.join(dir, `blueprint-${scaling.min}-${scaling.max}`);
    fs.mkdirSync(folder, { recursive: true });
    const body = yaml.load(fs.readFileSync(path.join(EXAMPLE, 'blueprint.yml'), 'utf8')) as Record<string, any>;
    body.scaling = { ...body.scaling, ...scaling };
    fs.writeFileSync(path.join(folder, 'blueprint.yml'), yaml.dump(body));
    fs.copyFileSync(path.join(EXAMPLE, 'nginx-cloud-config.yml'), path.join(folder, 'nginx-cloud-config.yml'));

    const outdir = path.join(dir, `cdktf.out-${scaling.min}-${scaling.max}`);
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'alb');
    // No ledger file: the in-memory allocation is the same for both synths, so the subnets stay put.
    const net = new Network(stack, 'alb', { cloud: 'aws', region: 'us-east-1', addressLedger: false });
    const web = new Service(net, 'web', { blueprint: path.join(folder, 'blueprint.yml') });
    new TerraformOutput(stack, 'dns', { value: web.loadBalancer!.dnsName });
    app.synth();
    const doc = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'alb', 'cdk.tf.json'), 'utf8'));
    delete doc.terraform.backend;
    assertSimulated(doc);
    fs.writeFileSync(path.join(work, 'cdk.tf.json'), JSON.stringify(doc, null, 2));
  }

  const health = (): string[] => CloudStore.forProvider('aws', stateDir).read((c) => targetHealthReport(c).map((t) => `${t.targetGroup}:${t.port} ${t.health.state}`));
  const objects = (): Record<string, Record<string, any>> => JSON.parse(fs.readFileSync(path.join(stateDir, 'aws.json'), 'utf8')).objects;
  const clean = (): Promise<unknown> => tf(work, ws.env, 0, 'plan', '-input=false', '-detailed-exitcode');

  test('applies with healthy targets, plans clean, scales min/max in place, destroys to nothing', async () => {
    synth({ min: 2, max: 6 });
    await tf(work, ws.env, 0, 'init', '-input=false');
    await tf(work, ws.env, 0, 'apply', '-input=false', '-auto-approve');
    await clean();

    const out = JSON.parse((await tf(work, ws.env, 0, 'output', '-json')).stdout);
    expect(out.dns.value).toMatch(/^alb-web-\d+\.us-east-1\.elb\.amazonaws\.com$/);
    // Two instances (scaling.min), private, each a healthy target of the one target group on 80.
    const instances = Object.values(objects().instance ?? {}).filter((i) => i.tags?.['aws:autoscaling:groupName'] === 'alb-web');
    expect(instances).toHaveLength(2);
    expect(instances.every((i) => i.public_ip === null)).toBe(true);
    expect(health()).toEqual(['alb-web-80:80 healthy', 'alb-web-80:80 healthy']);
    // The inventory (butter mock status) keeps the balancer apart: the service has its own three
    // subnets, and the paths read internet -> web-lb -> web.
    const shown = JSON.parse((await tf(work, ws.env, 0, 'show', '-json')).stdout);
    const [network] = awsInventory(fromShowJson(shown)).networks;
    expect(network.services.map((s) => [s.name, s.subnets.length, s.instances.length])).toEqual([['web', 3, 2]]);
    expect(network.paths.map((p) => `${p.source}>${p.destination}:${p.from}`).sort()).toEqual(['0.0.0.0/0>web-lb:443', '0.0.0.0/0>web-lb:80', 'web-lb>web:80']);

    // New bounds: the group is updated in place (no subnet, template or balancer replaced).
    synth({ min: 3, max: 5 });
    const planned = (await tf(work, ws.env, 2, 'plan', '-input=false', '-detailed-exitcode')).stdout;
    expect(planned).toMatch(/aws_autoscaling_group\.[\w-]+ will be updated in-place/);
    expect(planned).toMatch(/Plan: 0 to add, \d+ to change, 0 to destroy\./);
    expect(planned).not.toMatch(/must be replaced/);
    await tf(work, ws.env, 0, 'apply', '-input=false', '-auto-approve');
    expect(health()).toEqual(['alb-web-80:80 healthy', 'alb-web-80:80 healthy', 'alb-web-80:80 healthy']);
    await clean();

    await tf(work, ws.env, 0, 'destroy', '-input=false', '-auto-approve');
    expect(Object.entries(objects()).filter(([kind, o]) => kind !== 'meta' && Object.keys(o).length > 0)).toEqual([]);
  });
});
