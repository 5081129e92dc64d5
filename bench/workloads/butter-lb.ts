/**
 * workloads/butter.ts with a load balancer per service: the services' blueprint declares an
 * Application Load Balancer (HTTP on 80), so each Service also makes its LoadBalancer, whose
 * balancer subnets, security group, ALB, target group, listener and Path into the service come
 * from Butter's planning. Compared with workloads/bare-lb.ts.
 */
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { Network, Path, Service } from '../../constructs';
import { fixturesDir, PORT, REGION, serviceName } from './shape';

/**
 * Each service takes three /28s and its balancer three /27s (144 addresses), so a /16 VPC holds
 * 455 of them; past 400, services go in several networks.
 */
export const SERVICES_PER_NETWORK = 400;

export function build(n: number, outdir: string): App {
  const fixtures = fixturesDir();
  const networkBlueprint = path.join(fixtures, 'network.yml');
  const serviceBlueprint = path.join(fixtures, 'service-lb', 'blueprint.yml');

  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'bench');
  for (let first = 0; first < n; first += SERVICES_PER_NETWORK) {
    const network = new Network(stack, first === 0 ? 'net' : `net${first / SERVICES_PER_NETWORK}`, {
      cloud: 'aws',
      region: REGION,
      blueprint: networkBlueprint,
      addressLedger: false,
    });
    const services: Service[] = [];
    for (let i = first; i < Math.min(n, first + SERVICES_PER_NETWORK); i++) {
      services.push(new Service(network, serviceName(i), { blueprint: serviceBlueprint }));
    }
    for (let i = 0; i + 1 < services.length; i++) new Path(services[i], services[i + 1], PORT);
  }
  return app;
}

export function synth(app: App): void {
  app.synth();
}
