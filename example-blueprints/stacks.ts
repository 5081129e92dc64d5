import * as path from 'node:path';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { Network, Service, Path, Internet, Port } from '../constructs';
import type { CloudName } from '../src/blueprint/types';

const here = (...p: string[]) => path.join(__dirname, ...p);

/** Options of the example stacks. */
export interface ExampleOptions {
  /** @default 'butter.lock.json' next to this file (committed, so subnets stay put) */
  readonly addressLedger?: string | false;
}

/**
 * The seed's example: HAProxy on the internet in front of private nginx instances.
 * `web` runs 6 nginx instances over 3 zones; `lb` runs HAProxy, whose config lists the nginx
 * instances' private IPs (known only once they exist); the internet reaches `lb` on 80 and 443,
 * and only `lb` reaches `web`, on 80.
 */
export function haproxyExample(app: App, id: string, cloud: CloudName, opts: ExampleOptions = {}): TerraformStack {
  const stack = new TerraformStack(app, id);
  const dev = new Network(stack, 'dev', {
    cloud,
    region: cloud === 'aws' ? 'us-east-1' : 'us-central1',
    project: cloud === 'google' ? 'butter-example' : undefined,
    blueprint: here('network', 'blueprint.yml'),
    addressLedger: opts.addressLedger ?? here('butter.lock.json'),
  });
  const web = new Service(dev, 'web', { blueprint: here('aws-nginx', 'blueprint.yml'), count: 6 });
  const lb = new Service(dev, 'lb', {
    blueprint: here('aws-haproxy', 'blueprint.yml'),
    templateVars: { PrivateIps: web.privateIps },
  });
  new Path(lb, web, 80);
  new Path(Internet, lb, 80);
  new Path(Internet, lb, Port.tcp(443));

  new TerraformOutput(stack, 'web_private_ips', { value: web.privateIps });
  new TerraformOutput(stack, 'lb_public_ips', { value: lb.publicIps });
  return stack;
}

/** Every example stack, as `cdktf synth` and `npm start` see them. */
export function buildExamples(app: App, opts: ExampleOptions = {}): TerraformStack[] {
  return [haproxyExample(app, 'aws-haproxy', 'aws', opts)];
}
