import { Fn, TerraformProvider, TerraformStack, Token } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { Route } from '@cdktf/provider-aws/lib/route';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import type { Construct } from 'constructs';
import type { Network } from '../network';
import { AWS_SUBNET_RULES } from '../../src/planning/cidr';
import { awsTags } from './tags';
import { literal } from '../literal';
import type * as FlowLogs from './flow-logs';
import { recordBlueprint } from '../checks';

/** Smallest AWS subnet: a NAT gateway needs one address, so /28 wastes the least. */
const NAT_SUBNET_PREFIX = AWS_SUBNET_RULES.maxPrefix;

/**
 * The network-level AWS resources: VPC (DNS on), internet gateway, the default security group
 * emptied, the zone list, and (created on first need) the public route table and the private
 * route tables with their NAT gateways.
 */
export class AwsNetworkResources {
  public readonly provider?: TerraformProvider;
  public readonly vpc: Vpc;
  /**
   * `vpc.id`, read once. In cdktf every attribute read makes a new token and captures a stack
   * trace for it, the largest cost of a synth: shared references are read once and reused.
   */
  public readonly vpcId: string;
  public readonly zones: DataAwsAvailabilityZones;
  private readonly zoneNames = new Map<number, string>();
  private readonly zoneConditions = new Map<number, string>();
  private readonly tableIds = new Map<RouteTable, string>();
  private internetGateway?: InternetGateway;
  private publicRouteTable?: RouteTable;
  private readonly privateRouteTables = new Map<number, RouteTable>();

  constructor(private readonly network: Network, addProvider: boolean) {
    this.provider = awsProviderFor(network, addProvider);
    const tags = awsTags(network.networkName);
    this.vpc = new Vpc(network, 'vpc', {
      provider: this.provider,
      cidrBlock: network.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags,
    });
    this.vpcId = this.vpc.id;
    // AWS creates every VPC with a default security group that lets its members talk to each
    // other. Managing it with no rules empties it, so nothing is open that no Path asked for.
    new DefaultSecurityGroup(network, 'default-sg', { provider: this.provider, vpcId: this.vpcId, tags });
    recordBlueprint(this.vpc, network.blueprint.file);
    if (network.blueprint.flowLogs === 'on') {
      // Loaded only when asked for: its four provider classes are off in most networks.
      (require('./flow-logs') as typeof FlowLogs).renderAwsFlowLogs(network, this.provider, this.vpcId, tags);
    }
    // Local and wavelength zones need opt-in and lack most instance types: only real AZs.
    this.zones = new DataAwsAvailabilityZones(network, 'zones', {
      provider: this.provider,
      state: 'available',
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    });
  }

  /** The name of the i-th availability zone (strict indexing: never wraps around). */
  public zoneName(i: number): string {
    let name = this.zoneNames.get(i);
    if (name === undefined) this.zoneNames.set(i, (name = Token.asString(Fn.lookupNested(this.zones.names, [i]))));
    return name;
  }

  /** Terraform condition that the region has more than `i` zones, for preconditions. */
  public zoneCountCondition(zones: number): string {
    let condition = this.zoneConditions.get(zones);
    if (condition === undefined) this.zoneConditions.set(zones, (condition = `\${length(${this.zones.fqn}.names) >= ${zones}}`));
    return condition;
  }

  /** A route table's id, read once per table (see {@link vpcId}). */
  public tableId(table: RouteTable): string {
    let id = this.tableIds.get(table);
    if (id === undefined) this.tableIds.set(table, (id = table.id));
    return id;
  }

  /**
   * One subnet per zone for `cidrs` (a service's, a balancer's), each associated with the public
   * route table or its zone's private one. A resized owner moves to new subnets (the ledger gives
   * it fresh space): they are created first, so its instances or nodes can move before the old
   * subnets are deleted. Each checks that the region has the zones the blueprint asks for.
   */
  public zoneSubnets(scope: Construct, cidrs: readonly string[], options: {
    readonly public: boolean; readonly zones: number; readonly tags: Record<string, string>; readonly name: string; readonly blueprintName: string;
  }): Subnet[] {
    return cidrs.map((cidr, i) => {
      const subnet = new Subnet(scope, `subnet-${i}`, {
        provider: this.provider,
        vpcId: this.vpcId,
        cidrBlock: cidr,
        availabilityZone: this.zoneName(i),
        tags: { ...options.tags, Name: `${options.name}-${i}` },
        lifecycle: {
          createBeforeDestroy: true,
          precondition: [{
            condition: this.zoneCountCondition(options.zones),
            errorMessage: `${literal(this.network.region)} has fewer than ${options.zones} availability zones: lower placement.availability_zones in ${options.blueprintName}.`,
          }],
        },
      });
      const routes = options.public ? this.publicRoutes() : this.privateRoutes(i);
      new RouteTableAssociation(scope, `subnet-${i}-routes`, { provider: this.provider, subnetId: subnet.id, routeTableId: this.tableId(routes) });
      return subnet;
    });
  }

  /** The route table of public subnets: default route to the internet gateway. */
  public publicRoutes(): RouteTable {
    if (!this.publicRouteTable) {
      const scope = this.network;
      this.internetGateway = new InternetGateway(scope, 'igw', {
        provider: this.provider, vpcId: this.vpcId, tags: awsTags(this.network.networkName),
      });
      this.publicRouteTable = new RouteTable(scope, 'public-routes', {
        provider: this.provider, vpcId: this.vpcId, tags: awsTags(this.network.networkName, undefined, 'public'),
      });
      new Route(scope, 'public-default-route', {
        provider: this.provider,
        routeTableId: this.publicRouteTable.id,
        destinationCidrBlock: '0.0.0.0/0',
        gatewayId: this.internetGateway.id,
      });
    }
    return this.publicRouteTable;
  }

  /**
   * The route table for private subnets in zone `i`. Outbound internet goes through a NAT
   * gateway: one per zone (a zone outage does not cut the others off), one shared, or none.
   */
  public privateRoutes(i: number): RouteTable {
    const mode = this.network.blueprint.nat;
    const key = mode === 'per-zone' ? i : 0;
    const existing = this.privateRouteTables.get(key);
    if (existing) return existing;

    const scope = this.network;
    const table = new RouteTable(scope, `private-routes-${key}`, {
      provider: this.provider, vpcId: this.vpcId, tags: awsTags(this.network.networkName, undefined, `private-${key}`),
    });
    if (mode !== 'none') {
      const nat = this.natGateway(key);
      new Route(scope, `private-default-route-${key}`, {
        provider: this.provider,
        routeTableId: table.id,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: nat.id,
      });
    }
    this.privateRouteTables.set(key, table);
    return table;
  }

  /** A NAT gateway in its own small public subnet of zone `i`. */
  private natGateway(i: number): NatGateway {
    const scope = this.network;
    // Allocated like a one-zone service so it is as stable as services are.
    const [cidr] = this.network.addresses.serviceSubnets(this.network.networkName, `_nat-${i}`, 1, NAT_SUBNET_PREFIX);
    const tags = awsTags(this.network.networkName, undefined, `nat-${i}`);
    const subnet = new Subnet(scope, `nat-subnet-${i}`, {
      provider: this.provider,
      vpcId: this.vpcId,
      cidrBlock: cidr,
      availabilityZone: this.zoneName(i),
      tags,
    });
    new RouteTableAssociation(scope, `nat-subnet-${i}-routes`, {
      provider: this.provider, subnetId: subnet.id, routeTableId: this.tableId(this.publicRoutes()),
    });
    const eip = new Eip(scope, `nat-ip-${i}`, { provider: this.provider, domain: 'vpc', tags });
    return new NatGateway(scope, `nat-${i}`, {
      provider: this.provider,
      allocationId: eip.allocationId,
      subnetId: subnet.id,
      tags,
      dependsOn: [this.internetGateway!],
    });
  }
}

/**
 * The stack's AWS provider for the network's region. One stack may hold networks in several
 * regions: the first provider has no alias, later regions get one named after the region.
 * With `addProvider: false` the user configures providers and resources use the default one.
 */
function awsProviderFor(network: Network, addProvider: boolean): TerraformProvider | undefined {
  if (!addProvider) return undefined;
  const stack = TerraformStack.of(network);
  const existing = stack.allProviders().filter((p) => p.terraformResourceType === 'aws') as AwsProvider[];
  const sameRegion = existing.find((p) => p.region === network.region);
  if (sameRegion) return sameRegion;
  const alias = existing.length === 0 ? undefined : network.region;
  return new AwsProvider(stack, alias ? `aws-${alias}` : 'aws', { region: network.region, alias });
}
