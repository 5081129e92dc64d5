import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { Network, Service } from '../../../constructs';
import { mockStateDir, mockStateFile } from '../../../src/deploy/deploy';
import { restoreBackup } from '../../../src/mock/cloud/store';
import { MockProject } from './helpers';

const EXAMPLES = path.join(__dirname, '..', '..', '..', 'example-blueprints');

function build(app: App): void {
  const dev = new Network(new TerraformStack(app, 'example'), 'dev', {
    cloud: 'aws', region: 'us-east-1', addressLedger: false, blueprint: path.join(EXAMPLES, 'network', 'blueprint.yml'),
  });
  new Service(dev, 'web', { blueprint: path.join(EXAMPLES, 'aws-nginx', 'blueprint.yml'), count: 2 });
}

/**
 * The damaged record (`objects.subnet = "garbage"`, `objects.vpc = null` in aws.json):
 * plan and deploy used to plan recreating the VPC and subnets and dropped them from Terraform's
 * state. Now they fail naming the file and the problems, before Terraform runs, and the state is
 * untouched; after `mock restore` the stack plans clean.
 */
test('a damaged mock cloud record stops plan and deploy without touching Terraform state; restored, the stack plans clean', async () => {
  const project = await MockProject.create();
  try {
    await project.run('deploy', build);
    const stateFile = mockStateFile(project.dir, 'example');
    const state = fs.readFileSync(stateFile, 'utf8');
    const record = path.join(mockStateDir(project.dir), 'aws.json');
    const doc = JSON.parse(fs.readFileSync(record, 'utf8'));
    doc.objects.subnet = 'garbage';
    doc.objects.vpc = null;
    fs.writeFileSync(record, JSON.stringify(doc));

    for (const action of ['plan', 'deploy', 'destroy'] as const) {
      const failed = project.run(action);
      await expect(failed).rejects.toMatchObject({ code: 'MOCK_STATE_UNREADABLE', file: record });
      await expect(failed).rejects.toThrow('objects.subnet: expected an object, got a string');
      expect(fs.readFileSync(stateFile, 'utf8')).toBe(state);
    }

    expect((await restoreBackup('aws', mockStateDir(project.dir))).action).toBe('restored');
    const [plan] = await project.run('plan');
    expect(plan.changes).toBe(false);
    expect(fs.readFileSync(stateFile, 'utf8')).toBe(state);
  } finally {
    await project.close();
  }
}, 120_000);
