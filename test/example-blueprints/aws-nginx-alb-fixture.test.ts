import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mockCloudStatus } from '../../src/deploy/mock-setup';
import { REPO, runButter } from '../src/cli/helpers';

/**
 * The aws-nginx-alb example's blueprint test (`butter test ... run`) on the AWS mock: nginx
 * deployed behind its balancer, scaled within 2..6, private, and reached from the internet only
 * through the balancer (the fixture's verify); everything torn down afterwards.
 */
describe('aws-nginx-alb blueprint fixture', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-alb-fixture-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('butter test run passes on the mock and leaves nothing deployed', () => {
    const state = path.join(root, 'state');
    const r = runButter(root, 'test', '--blueprint-dir', path.join(REPO, 'example-blueprints', 'aws-nginx-alb'), '--state-dir', state, 'run');
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^blueprint test aws-nginx-alb on mock-aws \(network test-aws-nginx-alb\): PASSED\n/);
    expect(r.stderr).toMatch(/^✓ fixture: verify/m);
    expect(mockCloudStatus(state).objects).toBe(0);
  });
});
