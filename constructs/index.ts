// The constructs users compose in their cdktf stacks. Everything cloud-specific lives in
// ./aws and ./google; these are the same on every cloud.
export { Network, NetworkProps } from './network';
export { Service, ServiceProps } from './service';
export { Path, PathProps } from './path';
export { Connections } from './connections';
export { IPeer, CidrBlock, Internet, Peer } from './peer';
export { Port, Protocol } from '../src/model/port';
export { ButterError } from '../src/errors';
