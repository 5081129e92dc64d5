import { TerraformStack, Testing } from 'cdktf';
import { Network, Service } from '../../../constructs';
import type { CloudName } from '../../../src/blueprint/types';
import { TfJson, googleServiceBody, synthJson, tempDir, writeBlueprint } from '../../helpers/synth';

/** Blueprints for reachability tests: one public service kind, one private, both clouds. */
export function blueprints(): { publicBp: string; privateBp: string } {
  const dir = tempDir('butter-reach-');
  return {
    publicBp: writeBlueprint(dir, 'public', googleServiceBody({ instance: { public_ip: true, memory: '2GB', cpus: 1 } })),
    privateBp: writeBlueprint(dir, 'private', googleServiceBody()),
  };
}

/** A stack with one network (`dev` unless named) of the given cloud. */
export function networkStack(cloud: CloudName, name = 'dev', stackName = 'test'): { stack: TerraformStack; network: Network } {
  const app = Testing.app();
  const stack = new TerraformStack(app, stackName);
  const network = new Network(stack, name, {
    cloud,
    region: cloud === 'aws' ? 'us-east-1' : 'us-central1',
    project: cloud === 'google' ? 'butter-test' : undefined,
    addressLedger: false,
  });
  return { stack, network };
}

/** The usual pair: a public `lb` and a private `web` (two instances each), no Paths yet. */
export function lbAndWeb(cloud: CloudName, bps: ReturnType<typeof blueprints>, name = 'dev'): { stack: TerraformStack; network: Network; lb: Service; web: Service } {
  const { stack, network } = networkStack(cloud, name);
  const lb = new Service(network, 'lb', { blueprint: bps.publicBp, count: 2 });
  const web = new Service(network, 'web', { blueprint: bps.privateBp, count: 2 });
  return { stack, network, lb, web };
}

/** Synthesized JSON (a fresh copy each call). */
export function synth(stack: TerraformStack): TfJson {
  return synthJson(stack);
}
