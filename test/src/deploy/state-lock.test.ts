import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { Network } from '../../../constructs';
import { mockStateFile } from '../../../src/deploy/deploy';
import { startStateServer } from '../../../src/deploy/state-server';
import { MockProject } from './helpers';

const EXAMPLES = path.join(__dirname, '..', '..', '..', 'example-blueprints');

function build(app: App): void {
  new Network(new TerraformStack(app, 'net'), 'dev', {
    cloud: 'aws', region: 'us-east-1', addressLedger: false, blueprint: path.join(EXAMPLES, 'network', 'blueprint.yml'),
  });
}

/**
 * A mock stack whose state another run holds: who holds it, since when, and how to release it if
 * stale (other backends: state-sources.ts and its tests).
 */
test('a locked state is a STATE_LOCKED error naming the holder, the time and the lock file; once released the plan runs', async () => {
  const project = await MockProject.create();
  const other = await startStateServer(); // another `butter deploy` of this stack, mid-apply
  try {
    await project.run('deploy', build);
    const file = mockStateFile(project.dir, 'net');
    const { TF_HTTP_LOCK_ADDRESS: address } = other.stackEnv('net', file);
    const auth = `Basic ${Buffer.from(`${other.env.TF_HTTP_USERNAME}:${other.env.TF_HTTP_PASSWORD}`).toString('base64')}`;
    const info = { ID: '5d0c6f2e-1111-2222-3333-444455556666', Operation: 'OperationTypeApply', Who: 'ann@build-7', Version: '1.11.0', Created: '2026-12-06T07:00:00.000Z' };
    expect((await fetch(address, { method: 'LOCK', body: JSON.stringify(info), headers: { authorization: auth } })).status).toBe(200);

    const refused = project.run('plan');
    await expect(refused).rejects.toMatchObject({ code: 'STATE_LOCKED' });
    const message = await refused.catch((e: Error) => e.message);
    expect(message).toContain('the state of stack net is locked by another Terraform run: held by ann@build-7, running apply, since 2026-12-06T07:00:00.000Z');
    expect(message).toContain(`lock ID ${info.ID}`);
    expect(message).toContain(`butter process ${process.pid} on `);
    expect(message).toContain('fix: wait for that run to finish and run again; a lock whose butter process is gone is taken over by the next run');
    expect(message).toContain(`delete ${file}.lock when no butter or terraform process is running`);
    expect(message).not.toContain('the mock cloud reports what the real cloud would'); // the unrelated hint

    await other.stop(); // releases it
    const [plan] = await project.run('plan');
    expect(plan.changes).toBe(false);
  } finally {
    await other.stop();
    await project.close();
  }
}, 120_000);
