import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeCdktfProject, REPO, butterInProcess as butter } from '../cli/helpers';
import { serviceBody, tempDir, writeBlueprint } from '../../helpers/synth';

/**
 * `butter check` on a cdktf app: synthesized first (or `--no-synth`), stacks selected by name,
 * suppressions made in code honoured from the synthesized files.
 */
describe('butter check on a cdktf app', () => {
  const bpDir = tempDir('butter-check-app-bp-');
  const bp = writeBlueprint(bpDir, 'bastion', serviceBody({ instance: { public_ip: true, memory: '4GB', cpus: 1 } }));
  const dir = makeCdktfProject('butter-check-app-', `
import { App, TerraformStack } from 'cdktf';
import { Network, Service, Path, Internet, Checks } from ${JSON.stringify(path.join(REPO, 'constructs'))};
const app = new App();
const shop = new TerraformStack(app, 'shop');
const net = new Network(shop, 'dev', { cloud: 'aws', region: 'us-east-1', addressLedger: false });
const bastion = new Service(net, 'bastion', { blueprint: ${JSON.stringify(bp)}, count: 1 });
new Path(Internet, bastion, 22);
Checks.suppress(net, 'BUTTER-AWS-004', 'flow logs are collected centrally');
const quiet = new TerraformStack(app, 'quiet');
const q = new Network(quiet, 'q', { cloud: 'aws', region: 'us-east-1', addressLedger: false, blueprint: { allowedPrivateCidr: '10.0.0.0/8', sizeBits: 16, nat: 'none', flowLogs: 'on' } });
app.synth();
`);
  afterAll(() => {
    for (const d of [dir, bpDir]) fs.rmSync(d, { recursive: true, force: true });
  });

  test('synthesizes, reports the exposure with its construct path, honours the suppression; exit 1', async () => {
    const r = await butter('check', '-C', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/HIGH BUTTER-NET-001 shop: aws_vpc_security_group_ingress_rule\.\S+ admits 0\.0\.0\.0\/0 to port 22/);
    expect(r.stdout).toContain('(construct shop/dev/bastion/from-cidr-0-0-0-0-0-tcp-22/rule)');
    expect(r.stdout).toMatch(/suppressed MEDIUM BUTTER-AWS-004 shop: .*\n.*\n\s+suppressed: flow logs are collected centrally/);
    expect(r.stdout).toMatch(/1 finding \(1 high\) at or above low, 1 suppressed, in 2 stacks/);
  }, 180_000);

  test('one stack by name, from the output folder as it is (--no-synth): a clean stack exits 0', async () => {
    const r = await butter('check', '-C', dir, '--no-synth', 'quiet');
    expect(r.stdout).toContain('0 findings at or above low, 0 suppressed, in 1 stack');
    expect(r.code).toBe(0);
    expect((await butter('check', '-C', dir, '--no-synth', 'nope')).code).toBe(1);
  });
});
