/**
 * The workload with Butter's constructs: the whole infrastructure is a Network, N Services from
 * one blueprint and N-1 Paths. Everything else (subnet sizes, zones, image, instance type,
 * launch template, NAT) comes from the blueprints in bench/fixtures.
 */
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { Network, Path, Service } from '../../constructs';
import { fixturesDir, PORT, REGION, serviceName } from './shape';

/**
 * One AWS VPC is at most a /16 and each service takes three /28s, so a network holds 1,365
 * services. Past 1,000 (only the scale search goes there) services go in several networks of
 * 1,000, with paths between neighbours of the same network (Butter joins services of one
 * network only).
 */
export const SERVICES_PER_NETWORK = 1000;

export function build(n: number, outdir: string): App {
  return buildWith(n, outdir, 'service', SERVICES_PER_NETWORK);
}

/** The workload with the service blueprint of `fixtures/<serviceFixture>`, `perNetwork` services a network. */
export function buildWith(n: number, outdir: string, serviceFixture: string, perNetwork: number): App {
  const fixtures = fixturesDir();
  const networkBlueprint = path.join(fixtures, 'network.yml');
  const serviceBlueprint = path.join(fixtures, serviceFixture, 'blueprint.yml');

  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'bench');
  for (let first = 0; first < n; first += perNetwork) {
    // The ledger is off: a benchmark must not write butter.lock.json, and writing it is I/O a
    // bare cdktf app would not do either.
    const network = new Network(stack, first === 0 ? 'net' : `net${first / perNetwork}`, {
      cloud: 'aws',
      region: REGION,
      blueprint: networkBlueprint,
      addressLedger: false,
    });
    const services: Service[] = [];
    for (let i = first; i < Math.min(n, first + perNetwork); i++) {
      services.push(new Service(network, serviceName(i), { blueprint: serviceBlueprint }));
    }
    for (let i = 0; i + 1 < services.length; i++) new Path(services[i], services[i + 1], PORT);
  }
  return app;
}

export function synth(app: App): void {
  app.synth();
}
