import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Fn, TerraformStack } from 'cdktf';
import { Network, Service } from '../../../constructs';
import { ButterError } from '../../../src/errors';
import { MockProject } from './helpers';
import { serviceBody, tempDir, writeBlueprint } from '../../helpers/synth';

/**
 * Blueprint strings through real Terraform against the mock cloud: `${file(...)}` in them is
 * text that arrives in the cloud as written, and Terraform never reads the file. Deploy-time
 * values nested in template variables arrive as values.
 */
describe('untrusted strings through terraform', () => {
  let project: MockProject;
  const dir = tempDir();
  // A file Terraform would read if it evaluated the injected expression.
  const secretFile = path.join(dir, 'secret.txt');
  const SECRET = 'butter-secret-4f1c9';
  fs.writeFileSync(secretFile, SECRET);
  const FILE = `\${file(${JSON.stringify(secretFile)})}`;

  beforeAll(async () => {
    project = await MockProject.create();
  });
  afterAll(async () => project?.close());

  test('terraform plan: image.name with ${file()} reaches the cloud as text, the file is not read', async () => {
    const bp = writeBlueprint(dir, 'evil-image', serviceBody({ image: { name: `ubuntu/images/${FILE}*` } }));
    const build = (app: App) => {
      const stack = new TerraformStack(app, 'image');
      const net = new Network(stack, 'dev', { cloud: 'aws', region: 'us-east-1', addressLedger: false });
      new Service(net, 'web', { blueprint: bp, count: 1 });
    };
    // No image has that name, so the mock cloud refuses the lookup, quoting the filter it got.
    const error = await project.run('plan', build).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ButterError);
    const message = (error as ButterError).message;
    expect(message).toContain('Your query returned no results');
    expect(message).toContain(`name=[ubuntu/images/${FILE}*]`);
    expect(message).not.toContain(SECRET);
  });

  test('terraform apply: device names and variable values arrive as written; nested deploy-time values arrive as values', async () => {
    const web = writeBlueprint(dir, 'web', serviceBody({
      instance: { memory: '1GB', disks: [{ size: '8GB' }, { size: '8GB', device_name: `/dev/sdf${FILE}` }] },
    }));
    const lb = writeBlueprint(dir, 'lb', serviceBody({
      initialization: [{ path: 'lb.sh', vars: { Backends: { required: true }, Note: { required: true } } }],
    }), { 'lb.sh': '#!/bin/sh\n{% for b in Backends %}server {{ b }}\n{% endfor %}note {{ Note }}\n' });
    await project.run('deploy', (app) => {
      const stack = new TerraformStack(app, 'apply');
      const net = new Network(stack, 'dev', { cloud: 'aws', region: 'us-east-1', addressLedger: false });
      const w = new Service(net, 'web', { blueprint: web, count: 2 });
      new Service(net, 'lb', {
        blueprint: lb,
        count: 1,
        templateVars: { Backends: [Fn.element(w.privateIps, 0), 'x'], Note: FILE },
      });
    });
    const instances = project.awsObjects('instance');
    const webInstances = instances.filter((i: any) => i.tags['butter:service'] === 'web');
    const [lbInstance] = instances.filter((i: any) => i.tags['butter:service'] === 'lb');
    expect(webInstances).toHaveLength(2);
    for (const i of webInstances) {
      expect(JSON.stringify(i)).toContain(JSON.stringify(`/dev/sdf${FILE}`).slice(1, -1));
      expect(JSON.stringify(i)).not.toContain(SECRET);
    }
    const userData = lbInstance.user_data as string;
    const webIps = webInstances.map((i: any) => i.private_ip as string);
    const [first, second] = [...userData.matchAll(/^server (.*)$/gm)].map((m) => m[1]);
    expect(webIps).toContain(first);
    expect(second).toBe('x');
    expect(userData).toContain(`note ${FILE}\n`);
    expect(userData).not.toContain(SECRET);
    expect(userData).not.toContain('element(');

    await project.run('destroy');
    expect(project.awsObjects('instance')).toEqual([]);
  });
});
