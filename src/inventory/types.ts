/** What is deployed, in Butter's terms: networks holding services holding instances, and paths. */
export interface Inventory {
  readonly networks: readonly NetworkInfo[];
}

export interface NetworkInfo {
  readonly name: string;
  readonly cloud: 'aws' | 'google';
  /** Cloud id (vpc-..., or the Google network's self link). */
  readonly id: string;
  /** The network's block (AWS VPC CIDR); undefined on Google, where networks have none. */
  readonly cidr?: string;
  /** The stack the network was deployed from, when known. */
  readonly stack?: string;
  /** Which Terraform state it was read from, in words (`terraform.dev.tfstate (cdktf local state)`), when known. */
  readonly source?: string;
  readonly services: readonly ServiceInfo[];
  readonly paths: readonly PathInfo[];
}

export interface ServiceInfo {
  readonly name: string;
  readonly network: string;
  /** Instances asked for. */
  readonly desired: number;
  readonly subnets: readonly SubnetInfo[];
  readonly instances: readonly InstanceInfo[];
}

export interface SubnetInfo {
  readonly id: string;
  readonly cidr: string;
  readonly zone?: string;
}

export interface InstanceInfo {
  readonly id: string;
  readonly zone?: string;
  readonly privateIp?: string;
  readonly publicIp?: string;
  readonly state?: string;
  /** Its load balancer target health (`healthy`, `unhealthy (Target.Timeout)`), when the (mock) cloud knows it. */
  readonly health?: string;
}

export interface PathInfo {
  /** A service name, or a CIDR block. */
  readonly source: string;
  readonly sourceKind: 'service' | 'cidr';
  readonly destination: string;
  readonly protocol: string;
  /** First port (ICMP: type), -1 for any. */
  readonly from: number;
  /** Last port (ICMP: code), -1 for any. */
  readonly to: number;
}

/**
 * Extra facts about instances that the state does not hold (zone, state), e.g. from the mock
 * cloud; `membersOf` lists a group's instances when no resource in the state names them (a
 * Google group an autoscaler sizes has no per-instance configs).
 */
export type InstanceDetails = ((id: string) => Partial<InstanceInfo> | undefined) & {
  readonly membersOf?: (group: string) => readonly InstanceInfo[];
};
