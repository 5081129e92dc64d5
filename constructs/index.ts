// The constructs users compose in their cdktf stacks. Everything cloud-specific lives in
// ./aws and ./google; these are the same on every cloud.
export { Network } from './network';
export type { NetworkProps } from './network';
export { Service } from './service';
export type { ServiceProps } from './service';
export { LoadBalancer } from './load-balancer';
export type { LoadBalancerProps, ListenerProps } from './load-balancer';
export { Path } from './path';
export type { PathProps } from './path';
export { Connections } from './connections';
export { Checks } from './checks';
export type { ChecksOptions } from './checks';
export { CidrBlock, Internet, Peer } from './peer';
export type { IPeer } from './peer';
export { Port } from '../src/model/port';
export type { Protocol } from '../src/model/port';
export { ButterError } from '../src/errors';
