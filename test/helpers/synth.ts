import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { App, TerraformStack, Testing } from 'cdktf';
import { Network, NetworkProps } from '../../constructs';

/** A temp folder for one test file, removed once the file's tests are done (tests never share one). */
export function tempDir(prefix = 'butter-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
const made: string[] = [];

// jest loads this module once per test file, so this runs after each file that made folders.
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Write a blueprint (as a JS object) to YAML in `dir` with its scripts; returns the path. */
export function writeBlueprint(dir: string, name: string, body: object, scripts: Record<string, string> = {}): string {
  const folder = path.join(dir, name);
  fs.mkdirSync(folder, { recursive: true });
  for (const [file, text] of Object.entries(scripts)) fs.writeFileSync(path.join(folder, file), text);
  const file = path.join(folder, 'blueprint.yml');
  fs.writeFileSync(file, yaml.dump(body));
  return file;
}

/** A minimal service blueprint body; override any section. */
export function serviceBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    network: { subnetwork_max_instance_count: 48 },
    placement: { availability_zones: 3 },
    instance: { public_ip: false, memory: '4GB', cpus: 1, disks: [{ size: '8GB', type: 'standard', device_name: '/dev/sda1' }] },
    image: { name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*' },
    ...over,
  };
}

/** A stack with one AWS network (in-memory ledger unless given). */
export function awsStack(props: Partial<NetworkProps> = {}): { app: App; stack: TerraformStack; network: Network } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  const network = new Network(stack, 'dev', { cloud: 'aws', region: 'us-east-1', addressLedger: false, ...props });
  return { app, stack, network };
}

/** A stack with one Google network in project `butter-test` (in-memory ledger unless given). */
export function googleStack(props: Partial<NetworkProps> = {}): { app: App; stack: TerraformStack; network: Network } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  const network = new Network(stack, 'dev', {
    cloud: 'google', region: 'us-central1', project: 'butter-test', addressLedger: false, ...props,
  });
  return { app, stack, network };
}

/** A minimal service blueprint body that also names a Google image; override any section. */
export function googleServiceBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return serviceBody({
    image: {
      aws: { name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*' },
      google: { family: 'ubuntu-2204-lts' },
    },
    ...over,
  });
}

/** Synthesized Terraform JSON of a stack, parsed. */
export function synthJson(stack: TerraformStack): TfJson {
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

export interface TfJson {
  resource: Record<string, Record<string, any>>;
  data: Record<string, Record<string, any>>;
  locals?: Record<string, any>;
  provider?: Record<string, any>;
  output?: Record<string, any>;
}

/** All resources of one type, as [logicalId, config] pairs. */
export function resourcesOf(tf: TfJson, type: string): Array<[string, any]> {
  return Object.entries(tf.resource?.[type] ?? {});
}

/** The single resource of a type whose logical id contains `fragment`. */
export function resourceNamed(tf: TfJson, type: string, fragment: string): any {
  const found = resourcesOf(tf, type).filter(([id]) => id.includes(fragment));
  if (found.length !== 1) throw new Error(`expected one ${type} matching ${fragment}, found ${found.map(([id]) => id).join(', ') || 'none'}`);
  return found[0][1];
}
