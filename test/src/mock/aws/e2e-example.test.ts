import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { buildExamples } from '../../../../example-blueprints/stacks';
import { assertSimulated, BUILTIN_PROVIDERS, findProvider, MockCloud, startMockCloud } from '../../../../src/mock';
import { scratch, terraformEnv, tf } from '../helpers/terraform';

/**
 * Butter's own AWS example (HAProxy in front of six nginx instances, NAT per zone) synthesized and
 * deployed by the real Terraform CLI on the simulated AWS cloud: it must apply cleanly, plan clean
 * afterwards, and destroy to nothing.
 */

interface Instance {
  private_ip: string;
  public_ip: string | null;
  subnet_id: string;
  availability_zone: string;
  user_data: string | null;
  tags: Record<string, string>;
}

describe('Butter example stack on the AWS mock cloud', () => {
  const { dir, cleanup } = scratch('aws-example');
  const stateDir = path.join(dir, 'state');
  const work = path.join(dir, 'work');
  let cloud: MockCloud;

  beforeAll(async () => {
    const app = new App({ outdir: path.join(dir, 'cdktf.out') });
    buildExamples(app, { addressLedger: false });
    app.synth();
    const stack = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'aws-haproxy', 'cdk.tf.json'), 'utf8'));
    // Keep Terraform's state in the scratch folder, not where the synthesized backend points.
    delete stack.terraform.backend;
    assertSimulated(stack);
    fs.mkdirSync(work, { recursive: true });
    fs.writeFileSync(path.join(work, 'cdk.tf.json'), JSON.stringify(stack, null, 2));
    cloud = await startMockCloud({ providers: [findProvider(BUILTIN_PROVIDERS, 'aws')], stateDir, mode: 'in-process' });
  });
  afterAll(async () => {
    await cloud?.stop();
    cleanup();
  });

  test('applies, plans clean, and destroys', async () => {
    const env = terraformEnv(dir, cloud.env);
    await tf(work, env, 0, 'init', '-input=false');
    await tf(work, env, 0, 'apply', '-input=false', '-auto-approve');
    await tf(work, env, 0, 'plan', '-input=false', '-detailed-exitcode');

    const doc = JSON.parse(fs.readFileSync(path.join(stateDir, 'aws.json'), 'utf8'));
    const instances = Object.values(doc.objects.instance) as Instance[];
    const group = (name: string): Instance[] => instances.filter((i) => i.tags['aws:autoscaling:groupName'] === name);
    const web = group('dev-web');
    const lb = group('dev-lb');
    expect(web).toHaveLength(6);
    expect(lb).toHaveLength(3);
    expect(new Set(web.map((i) => i.availability_zone))).toEqual(new Set(['us-east-1a', 'us-east-1b', 'us-east-1c']));
    expect(web.every((i) => i.public_ip === null)).toBe(true);
    expect(lb.every((i) => i.public_ip !== null)).toBe(true);
    // HAProxy's configuration, rendered by Terraform from aws_instances, lists every nginx instance.
    for (const i of lb) for (const w of web) expect(i.user_data).toContain(` ${w.private_ip}:80 check`);
    const outputs = JSON.parse((await tf(work, env, 0, 'output', '-json')).stdout);
    expect([...outputs.web_private_ips.value].sort()).toEqual(web.map((i) => i.private_ip).sort());
    expect(outputs.lb_public_ips.value).toHaveLength(3);
    expect(Object.keys(doc.objects.nat_gateway)).toHaveLength(3);

    await tf(work, env, 0, 'destroy', '-input=false', '-auto-approve');
    const after = JSON.parse(fs.readFileSync(path.join(stateDir, 'aws.json'), 'utf8'));
    const left = Object.entries(after.objects as Record<string, object>).filter(([kind, objects]) => kind !== 'meta' && Object.keys(objects).length > 0);
    expect(left).toEqual([]);
  });
});
