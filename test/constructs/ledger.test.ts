/**
 * The address ledger (butter.lock.json) is written only when the whole app synthesized, and
 * never by stacks built under cdktf's Testing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack, Testing } from 'cdktf';
import { Network, Service } from '../../constructs';
import { clearBlueprintCache } from '../../src/blueprint/load';
import { serviceBody, tempDir, writeBlueprint } from '../helpers/synth';

const dir = tempDir();
const good = writeBlueprint(dir, 'good', serviceBody());
const bad: Record<string, [string, string]> = {
  'no image': ['IMAGE_MISSING_FOR_CLOUD', writeBlueprint(dir, 'no-image', serviceBody({ image: { google: { family: 'ubuntu-2204-lts' } } }))],
  'no instance type fits': ['INSTANCE_NO_FIT', writeBlueprint(dir, 'no-fit', serviceBody({ instance: { memory: '100000GB', cpus: 1 } }))],
  'a template error': ['TEMPLATE_VAR_MISSING', writeBlueprint(dir, 'template', serviceBody({ initialization: [{ path: 'setup.sh', vars: { Port: { required: true } } }] }), { 'setup.sh': 'listen {{ Port }}\n' })],
};

beforeEach(() => clearBlueprintCache());

/** An app (a real one unless `testing`) with network dev and these services; returns the app. */
function build(ledger: string, services: Record<string, string>, testing = false): App {
  const app = testing ? Testing.app() : new App({ outdir: tempDir() });
  const stack = new TerraformStack(app, 's');
  const net = new Network(stack, 'dev', { cloud: 'aws', region: 'us-east-1', addressLedger: ledger });
  for (const [name, bp] of Object.entries(services)) new Service(net, name, { blueprint: bp });
  return app;
}

test('a complete synth records the allocations', () => {
  const ledger = path.join(tempDir(), 'butter.lock.json');
  const app = build(ledger, { web: good });
  expect(fs.existsSync(ledger)).toBe(false); // not before the app synthesized
  app.synth();
  const services = Object.keys(JSON.parse(fs.readFileSync(ledger, 'utf8')).networks.dev.services);
  expect(services.filter((s) => !s.startsWith('_'))).toEqual(['web']); // `_nat-N`: the NAT subnets
});

describe.each(Object.entries(bad))('a synth failing on %s leaves the ledger byte-identical', (_what, [code, blueprint]) => {
  test('', () => {
    const ledger = path.join(tempDir(), 'butter.lock.json');
    build(ledger, { web: good }).synth();
    const before = fs.readFileSync(ledger);
    expect(() => {
      const app = build(ledger, { web: good, api: good, broken: blueprint });
      app.synth();
    }).toThrow(expect.objectContaining({ code }));
    expect(fs.readFileSync(ledger).equals(before)).toBe(true);
  });
});

test('Testing apps neither read nor write the ledger, and allocate deterministically', () => {
  const ledger = path.join(tempDir(), 'butter.lock.json');
  const real = build(ledger, { first: good, second: good });
  real.synth();
  const before = fs.readFileSync(ledger);
  const cidrs = () => {
    const app = build(ledger, { second: good, third: good }, true);
    const net = app.node.findAll().find((c): c is Network => c instanceof Network)!;
    Testing.fullSynth(net.node.scope as TerraformStack);
    return [net.cidr, ...net.services.map((s) => s.node.id)];
  };
  expect(cidrs()).toEqual(cidrs());
  expect(fs.readFileSync(ledger).equals(before)).toBe(true);
  // synthScope (a Testing app too) with the default ledger file in the working directory.
  const cwd = process.cwd();
  const work = tempDir();
  process.chdir(work);
  try {
    Testing.synthScope((scope) => {
      const net = new Network(scope, 'dev', { cloud: 'aws', region: 'us-east-1' });
      new Service(net, 'web', { blueprint: good });
    });
  } finally {
    process.chdir(cwd);
  }
  expect(fs.existsSync(path.join(work, 'butter.lock.json'))).toBe(false);
});

test('under Testing, the subnets do not depend on what the ledger file holds', () => {
  const ledger = path.join(tempDir(), 'butter.lock.json');
  const subnets = () => {
    const app = build(ledger, { web: good }, true);
    const stack = app.node.findChild('s') as TerraformStack;
    return JSON.parse(Testing.synth(stack)).resource.aws_subnet;
  };
  const fresh = subnets();
  build(ledger, { other: good, web2: good }).synth(); // the real file now reserves other blocks
  expect(subnets()).toEqual(fresh);
});
