import { Port } from '../../../../src/model/port';
import { AccessRule, ReachabilityModel, ServiceNode } from '../../../../src/reachability/model';

/** A service node with the facts the drawing uses; override any of them. */
export function service(network: string, name: string, over: Partial<ServiceNode> = {}): ServiceNode {
  return {
    key: `${network}/${name}`,
    network,
    name,
    subnets: ['10.0.0.0/24'],
    publicAddress: false,
    internetRoute: false,
    privateIps: [],
    publicIps: [],
    ...over,
  };
}

/** An allow rule from a service (`net/name`) or a CIDR block (anything with a digit first). */
export function rule(source: string, destination: string, port: Port, origin = `rule.${destination.replace('/', '_')}_${port.key}`): AccessRule {
  return {
    origin,
    network: destination.split('/')[0],
    destination,
    source: /^[0-9:]/.test(source) ? { kind: 'cidr', cidr: source } : { kind: 'service', service: source },
    port,
  };
}

/**
 * Two networks on two clouds: the seed's example (internet -> lb -> web) in `dev`, with a
 * database and a range of ports, and a Google network reached from a private block.
 */
export function sampleModel(): ReachabilityModel {
  return {
    networks: [
      { name: 'dev', cloud: 'aws', stack: 'aws-stack' },
      { name: 'ops', cloud: 'google', stack: 'gce-stack' },
    ],
    services: [
      service('dev', 'lb', { publicAddress: true, internetRoute: true, publicIps: ['54.1.2.3'] }),
      service('dev', 'web', { privateIps: ['10.0.1.10', '10.0.1.11'] }),
      service('dev', 'db'),
      service('ops', 'metrics', { subnets: ['10.1.0.0/24'] }),
      service('ops', 'dns', { subnets: ['10.1.1.0/24'] }),
    ],
    rules: [
      rule('0.0.0.0/0', 'dev/lb', Port.tcp(443)),
      rule('dev/lb', 'dev/web', Port.tcp(80)),
      rule('dev/web', 'dev/db', Port.allTraffic()),
      rule('10.0.0.0/8', 'ops/metrics', Port.tcpRange(8000, 8080)),
      rule('10.0.0.0/8', 'ops/dns', Port.udp(53)),
      rule('ops/metrics', 'ops/dns', Port.allIcmp()),
    ],
  };
}
