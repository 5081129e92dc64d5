import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { buildExamples } from '../../example-blueprints/stacks';
import { synthJson, resourcesOf } from '../helpers/synth';

const ledger = path.join(__dirname, '../../example-blueprints/butter.lock.json');

describe('example stacks', () => {
  const before = fs.readFileSync(ledger, 'utf8');
  const app = Testing.app();
  const stacks = buildExamples(app);

  test.each(stacks.map((s) => [s.node.id, s]))('%s synthesizes to the same Terraform JSON as before (snapshot)', (_id, stack) => {
    expect(Testing.synth(stack)).toMatchSnapshot();
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
});
