/**
 * workloads/butter.ts with a load balancer per service: the services' blueprint declares an
 * Application Load Balancer (HTTP on 80), so each Service also makes its LoadBalancer, whose
 * balancer subnets, security group, ALB, target group, listener and Path into the service come
 * from Butter's planning. Compared with workloads/bare-lb.ts.
 */
import { App } from 'cdktf';
import { buildWith } from './butter';

/**
 * Each service takes three /28s and its balancer three /27s (144 addresses), so a /16 VPC holds
 * 455 of them; past 400, services go in several networks.
 */
export const SERVICES_PER_NETWORK = 400;

export function build(n: number, outdir: string): App {
  return buildWith(n, outdir, 'service-lb', SERVICES_PER_NETWORK);
}

export function synth(app: App): void {
  app.synth();
}
