import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack, Testing } from 'cdktf';
import { Network, Service } from '../../../constructs';
import { awsStack, synthJson, resourcesOf, resourceNamed, tempDir, writeBlueprint, serviceBody } from '../../helpers/synth';

describe('Network on AWS', () => {
  test('a VPC with DNS on, from the default 10.0.0.0/8 range and /16 size, with the provider added', () => {
    const { stack } = awsStack();
    const tf = synthJson(stack);
    expect(resourceNamed(tf, 'aws_vpc', 'vpc')).toMatchObject({ cidr_block: '10.0.0.0/16', enable_dns_support: true, enable_dns_hostnames: true });
    expect(tf.provider?.aws).toEqual([{ region: 'us-east-1' }]);
  });

  test('the network blueprint sets the range and size', () => {
    const dir = tempDir();
    const bp = writeBlueprint(dir, 'net', { network: { allowed_private_cidr: '172.16.0.0/12', legacy_network_size_bits: 12 } });
    const { stack } = awsStack({ blueprint: bp });
    expect(resourceNamed(synthJson(stack), 'aws_vpc', 'vpc').cidr_block).toBe('172.16.0.0/20');
  });

  test('two networks sharing a ledger get distinct blocks; regions get their own provider', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'two');
    const ledger = path.join(tempDir(), 'butter.lock.json');
    const a = new Network(stack, 'a', { cloud: 'aws', region: 'us-east-1', addressLedger: ledger });
    const b = new Network(stack, 'b', { cloud: 'aws', region: 'eu-west-1', addressLedger: ledger });
    expect([a.cidr, b.cidr]).toEqual(['10.0.0.0/16', '10.1.0.0/16']);
    const tf = synthJson(stack);
    expect(tf.provider?.aws).toEqual([{ region: 'us-east-1' }, { region: 'eu-west-1', alias: 'eu-west-1' }]);
    expect(resourcesOf(tf, 'aws_vpc').map(([, v]) => v.provider)).toEqual(['aws', 'aws.eu-west-1']);
  });

  test('bad props are clear errors', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'bad');
    expect(() => new Network(stack, 'x', { cloud: 'azure' as any, region: 'us-east-1', addressLedger: false }))
      .toThrow(expect.objectContaining({ code: 'NETWORK_CLOUD_INVALID' }));
    expect(() => new Network(stack, 'y', { cloud: 'aws', region: 'mars', addressLedger: false }))
      .toThrow(expect.objectContaining({ code: 'NETWORK_REGION_INVALID' }));
  });

  describe('stable subnets (the ledger)', () => {
    const dir = tempDir();
    const small = writeBlueprint(dir, 'small', serviceBody());
    const big = writeBlueprint(dir, 'big', serviceBody({ network: { subnetwork_max_instance_count: 768 } }));

    /** Synthesize a fresh app with these services, in this order; return each service's subnets. */
    function synthWith(ledger: string, services: Array<[string, string]>): Record<string, string[]> {
      const app = new App({ outdir: tempDir() });
      const stack = new TerraformStack(app, 's');
      const net = new Network(stack, 'dev', { cloud: 'aws', region: 'us-east-1', addressLedger: ledger });
      for (const [name, bp] of services) new Service(net, name, { blueprint: bp });
      const tf = synthJson(stack);
      app.synth(); // the ledger is written once the whole app has synthesized
      const out: Record<string, string[]> = {};
      for (const [name] of services) {
        out[name] = resourcesOf(tf, 'aws_subnet').filter(([id]) => id.includes(`_${name}_`)).map(([, s]) => s.cidr_block);
      }
      return out;
    }

    test('adding, removing and reordering services never changes another service\'s subnets', () => {
      const ledger = path.join(tempDir(), 'butter.lock.json');
      const first = synthWith(ledger, [['a', small], ['b', big], ['c', small]]);
      expect(JSON.parse(fs.readFileSync(ledger, 'utf8')).networks.dev.services.b.subnets).toEqual(first.b);
      // Remove a (the first one), reorder, and add d and e in front.
      const second = synthWith(ledger, [['e', big], ['c', small], ['d', small], ['b', big]]);
      expect(second.b).toEqual(first.b);
      expect(second.c).toEqual(first.c);
      // New services never take the removed service's space in the same deploy.
      for (const s of [...second.d, ...second.e]) expect(first.a).not.toContain(s);
      // And a third run with everything back in the original order changes nothing.
      const before = fs.readFileSync(ledger, 'utf8');
      const third = synthWith(ledger, [['a', small], ['b', big], ['c', small], ['d', small], ['e', big]]);
      expect(third).toEqual({ ...first, d: second.d, e: second.e });
      expect(fs.readFileSync(ledger, 'utf8')).toBe(before);
    });
  });
});
