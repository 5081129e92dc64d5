import * as fs from 'node:fs';
import * as path from 'node:path';
import { deployedSubnets, reservedSubnetsEnv } from '../../../src/deploy/reserved-subnets';
import { mockStateFile } from '../../../src/deploy/deploy';
import { synthesizeApp } from '../../../src/deploy/synth';
import { RESERVED_SUBNETS_ENV, reservedSubnets } from '../../../src/planning/address-book';
import { cidrOverlaps } from '../../../src/planning/ipv4';
import { tempDir } from '../../helpers/synth';
import { butterErrorOf } from '../../helpers/errors';

/** A Terraform state (format 4) holding `resources` as [type, attributes] pairs. */
function state(resources: Array<[string, Record<string, unknown>]>, mode = 'managed'): string {
  return JSON.stringify({
    version: 4,
    resources: resources.map(([type, attributes], i) => ({ mode, type, name: `r${i}`, instances: [{ attributes }] })),
  });
}

describe('the subnets of deployed state, for butter deploy/plan', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('butter-reserved-')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('nothing deployed: no subnets and no variable for the app', () => {
    expect(deployedSubnets(dir)).toEqual([]);
    expect(reservedSubnetsEnv(dir)).toEqual({});
  });

  test("reads the mock deploy's state and cdktf's local state: AWS and Google subnets, not other blocks", () => {
    const mock = mockStateFile(dir, 'dev');
    fs.mkdirSync(path.dirname(mock), { recursive: true });
    fs.writeFileSync(mock, state([
      ['aws_vpc', { cidr_block: '10.0.0.0/16' }],
      ['aws_subnet', { cidr_block: '10.0.1.0/24' }],
      ['aws_subnet', { cidr_block: '10.0.0.0/24' }],
    ]));
    fs.writeFileSync(path.join(dir, 'terraform.prod.tfstate'), state([
      ['google_compute_subnetwork', { ip_cidr_range: '10.1.0.0/22' }],
      ['aws_subnet', { cidr_block: '10.0.1.0/24' }],
    ]));
    // A data source is not something deployed.
    fs.writeFileSync(path.join(dir, 'terraform.data.tfstate'), state([['aws_subnet', { cidr_block: '10.9.0.0/24' }]], 'data'));
    expect(deployedSubnets(dir)).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.1.0.0/22']);

    const env = reservedSubnetsEnv(dir);
    expect(Object.keys(env)).toEqual([RESERVED_SUBNETS_ENV]);
    expect(reservedSubnets(env)).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.1.0.0/22']);
  });

  test('a state file that is not JSON stops the deploy with STATE_INVALID naming it', () => {
    fs.writeFileSync(path.join(dir, 'terraform.dev.tfstate'), '{');
    const e = butterErrorOf(() => reservedSubnetsEnv(dir));
    expect(e.code).toBe('STATE_INVALID');
    expect(e.file).toBe(path.join(dir, 'terraform.dev.tfstate'));
  });

  test('synthesizeApp hands the variable to the app', async () => {
    fs.writeFileSync(path.join(dir, 'terraform.dev.tfstate'), state([['aws_subnet', { cidr_block: '10.0.3.0/24' }]]));
    // An app that records what it was given, then writes an empty manifest.
    const app = `node -e "const fs=require('fs');fs.writeFileSync('seen.txt',String(process.env.${RESERVED_SUBNETS_ENV}));` +
      `fs.mkdirSync(process.env.CDKTF_OUTDIR,{recursive:true});fs.writeFileSync(process.env.CDKTF_OUTDIR+'/manifest.json','{\\"stacks\\":{}}')"`;
    fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({ app }));
    await expect(synthesizeApp({ cwd: dir, env: reservedSubnetsEnv(dir) })).resolves.toEqual([]);
    const seen = fs.readFileSync(path.join(dir, 'seen.txt'), 'utf8');
    expect(fs.readFileSync(seen, 'utf8')).toBe('10.0.3.0/24\n');
    // Without it (cdktf synth, tests) the app gets nothing.
    await synthesizeApp({ cwd: dir });
    expect(fs.readFileSync(path.join(dir, 'seen.txt'), 'utf8')).toBe(process.env[RESERVED_SUBNETS_ENV] ?? 'undefined');
  });
});

/**
 * The whole path as `butter deploy`/`plan` take it: state files read, the file named to a real
 * cdktf app (run as `cdktf synth` would, through cdktf.json), whose ledger lost a deployed
 * service's entry. The next service must not get the deployed subnet.
 */
describe('a real app whose ledger lost a deployed entry', () => {
  const root = path.resolve(__dirname, '../../..');
  let dir: string;
  beforeAll(() => {
    dir = tempDir('butter-reserved-app-');
    // A user's project has cdktf installed; this one borrows the repository's.
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    fs.writeFileSync(path.join(dir, 'main.ts'), [
      "import { App, TerraformStack } from 'cdktf';",
      `import { Network, Service } from ${JSON.stringify(path.join(root, 'constructs'))};`,
      'const app = new App();',
      "const stack = new TerraformStack(app, 'dev');",
      "const net = new Network(stack, 'dev', { cloud: 'aws', region: 'us-east-1' });",
      `new Service(net, 'api', { blueprint: ${JSON.stringify(path.join(root, 'example-blueprints/aws-nginx/blueprint.yml'))} });`,
      'app.synth();',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({ app: `${path.join(root, 'node_modules/.bin/tsx')} main.ts` }));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The ledger as it was left: network dev, the deployed service `web` lost. */
  const lostLedger = () => fs.writeFileSync(path.join(dir, 'butter.lock.json'), JSON.stringify({ version: 1, networks: { dev: { cidr: '10.0.0.0/16', services: {} } } }));
  const subnetsOf = (): string[] => {
    const tf = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out/stacks/dev/cdk.tf.json'), 'utf8'));
    return Object.values(tf.resource.aws_subnet as Record<string, { cidr_block: string }>).map((s) => s.cidr_block);
  };

  test('without the state the deployed block is handed out again; with it, it is avoided', async () => {
    lostLedger();
    await synthesizeApp({ cwd: dir });
    const naive = subnetsOf();
    // The premise: the lowest free block, which `web` still holds in the cloud.
    const deployed = naive[0]!;
    expect(deployed.startsWith('10.0.0.0/')).toBe(true);

    lostLedger();
    fs.writeFileSync(path.join(dir, 'terraform.dev.tfstate'), state([['aws_subnet', { cidr_block: deployed }]]));
    await synthesizeApp({ cwd: dir, env: reservedSubnetsEnv(dir) });
    const planned = subnetsOf();
    expect(planned).toHaveLength(naive.length);
    expect(planned.filter((s) => cidrOverlaps(s, deployed))).toEqual([]);
    const ledger = JSON.parse(fs.readFileSync(path.join(dir, 'butter.lock.json'), 'utf8'));
    // The ledger records what was planned (api's subnets, and the network's own NAT subnets).
    const recorded = Object.values(ledger.networks.dev.services as Record<string, { subnets: string[] }>).flatMap((e) => e.subnets);
    expect([...recorded].sort()).toEqual([...planned].sort());
  }, 60_000);
});
