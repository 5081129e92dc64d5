import * as path from 'node:path';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { Network, Service, Path, Internet, Port, Checks } from '../constructs';
import type { CloudName } from '../src/blueprint/types';

const here = (...p: string[]) => path.join(__dirname, ...p);

/** Options of the example stacks. */
export interface ExampleOptions {
  /** @default 'butter.lock.json' next to this file (committed, so subnets stay put) */
  readonly addressLedger?: string | false;
}

/** Google Cloud project of the Google examples. */
export const EXAMPLE_GOOGLE_PROJECT = 'butter-example';

/**
 * The seed's example: HAProxy on the internet in front of private nginx instances.
 * `web` runs 6 nginx instances over 3 zones; `lb` runs HAProxy, whose config lists the nginx
 * instances' private IPs (on AWS known only once they exist, so Terraform fills them in; on
 * Google picked and pinned by Butter); the internet reaches `lb` on 80 and 443, and only `lb`
 * reaches `web`, on 80.
 */
export function haproxyExample(app: App, id: string, cloud: CloudName, opts: ExampleOptions & {
  /**
   * The network's name. Networks sharing a ledger file need distinct names (the ledger keeps
   * their blocks apart), so the Google copy of the example has its own.
   * @default 'dev'
   */
  readonly networkName?: string;
} = {}): TerraformStack {
  const stack = new TerraformStack(app, id);
  const dev = exampleNetwork(stack, opts.networkName ?? 'dev', cloud, opts);
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

/**
 * The seed's Google example: Apache on Compute Engine, public, started by a shell script, and
 * reachable from the internet on port 80 only.
 */
export function gceApacheExample(app: App, id: string, opts: ExampleOptions = {}): TerraformStack {
  const stack = new TerraformStack(app, id);
  const net = exampleNetwork(stack, 'apache', 'google', opts);
  const apache = new Service(net, 'public', { blueprint: here('gce-apache', 'blueprint.yml') });
  new Path(Internet, apache, 80);

  new TerraformOutput(stack, 'apache_public_ips', { value: apache.publicIps });
  return stack;
}

/**
 * Whether the load-balancer examples are among {@link buildExamples}' stacks, which `npm start`
 * and the mock deploy tests deploy: the local mock cloud simulates both clouds' balancers,
 * target groups/backend services, listeners/forwarding rules, health checks and autoscaling.
 */
export const DEPLOY_BALANCER_EXAMPLES = true;

/**
 * nginx behind an AWS Application Load Balancer (issue 19): the blueprint declares the balancer
 * (HTTPS on 443, HTTP on 80 redirecting to it), its health check and `scaling: {min: 2, max: 6}`,
 * so the stack is a Network and a Service; the balancer makes its own Path to nginx on port 80.
 * The instances stay private.
 */
export function nginxAlbExample(app: App, id: string, opts: ExampleOptions = {}): TerraformStack {
  const stack = new TerraformStack(app, id);
  const net = exampleNetwork(stack, 'alb', 'aws', opts);
  const web = new Service(net, 'web', { blueprint: here('aws-nginx-alb', 'blueprint.yml') });

  new TerraformOutput(stack, 'url', { value: `https://${web.loadBalancer!.dnsName}/` });
  return stack;
}

/**
 * nginx behind a managed load balancer on Google Cloud: a regional external Application Load
 * Balancer in front of private instances that autoscale from 2 to 6 on CPU, autohealed by the
 * balancer's HTTP health check. The internet reaches only the balancer; the instances admit the
 * balancer's proxies (the network's proxy-only subnet) on 80 and Google's health checkers.
 */
export function gceNginxLbExample(app: App, id: string, opts: ExampleOptions = {}): TerraformStack {
  const stack = new TerraformStack(app, id);
  const net = exampleNetwork(stack, 'weblb', 'google', opts);
  // The blueprint's load_balancer makes the balancer and its Paths (web.loadBalancer).
  const web = new Service(net, 'web', { blueprint: here('gce-nginx-lb', 'blueprint.yml') });
  // butter check wants HTTPS on an internet-facing balancer; a demonstration has no domain to
  // hold a certificate for, so it serves plain HTTP, and says so.
  Checks.suppress(web.loadBalancer!, 'BUTTER-LB-001', 'example stack: no domain or certificate, so the demonstration serves plain HTTP');

  new TerraformOutput(stack, 'web_lb_address', { value: web.loadBalancer!.dnsName });
  return stack;
}

/** An example's network: the shared network blueprint and ledger, flow logs left off (below). */
function exampleNetwork(stack: TerraformStack, name: string, cloud: CloudName, opts: ExampleOptions): Network {
  const net = new Network(stack, name, {
    cloud,
    region: cloud === 'aws' ? 'us-east-1' : 'us-central1',
    project: cloud === 'google' ? EXAMPLE_GOOGLE_PROJECT : undefined,
    blueprint: here('network', 'blueprint.yml'),
    addressLedger: opts.addressLedger ?? here('butter.lock.json'),
  });
  leaveFlowLogsOff(net);
  return net;
}

/**
 * The examples are demonstrations, deployed to the mock cloud many times a day: flow logs
 * (billed per GB on a real cloud) stay off, which `butter check` would report. A suppression
 * with the reason is how a stack records a finding that is by design.
 */
function leaveFlowLogsOff(network: Network): void {
  const rule = network.cloud === 'aws' ? 'BUTTER-AWS-004' : 'BUTTER-GCP-008';
  Checks.suppress(network, rule, 'example stack: flow logs are billed per GB, so the examples leave network.flow_logs off');
}

/** Every example stack, as `cdktf synth` and `npm start` see them. */
export function buildExamples(app: App, opts: ExampleOptions & {
  /** Include the load-balancer examples. @default DEPLOY_BALANCER_EXAMPLES */
  readonly balancers?: boolean;
} = {}): TerraformStack[] {
  const balancers = opts.balancers ?? DEPLOY_BALANCER_EXAMPLES;
  return [
    haproxyExample(app, 'aws-haproxy', 'aws', opts),
    // The same blueprints and Paths on Google Cloud.
    haproxyExample(app, 'gce-haproxy', 'google', { ...opts, networkName: 'gdev' }),
    gceApacheExample(app, 'gce-apache', opts),
    ...(balancers ? [nginxAlbExample(app, 'aws-nginx-alb', opts), gceNginxLbExample(app, 'gce-nginx-lb', opts)] : []),
  ];
}
