import { Fn, TerraformProvider, TerraformStack, Token } from 'cdktf';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { ComputeRouter } from '@cdktf/provider-google/lib/compute-router';
import { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { DataGoogleComputeZones } from '@cdktf/provider-google/lib/data-google-compute-zones';
import { ButterError } from '../../src/errors';
import type { Network } from '../network';
import { GoogleNames } from './names';
import { literal } from '../literal';

/**
 * Priority of the explicit deny-all ingress rule: just above Google's implied deny (65535), below
 * every Path rule (1000). It changes nothing Google would not do anyway; it is there so that
 * reading the firewall rules (console, `gcloud`, Terraform state) shows the intent, and so that
 * a hand-made allow rule at the lowest priority still loses.
 */
const DENY_ALL_PRIORITY = 65534;

/**
 * The network-level Google resources: a custom-mode network, an explicit deny-all ingress rule,
 * the region's zone list, and (created on first need) a Cloud Router with Cloud NAT.
 */
export class GoogleNetworkResources {
  public readonly provider?: TerraformProvider;
  public readonly project: string;
  public readonly vpc: ComputeNetwork;
  public readonly zones: DataGoogleComputeZones;
  public readonly names: GoogleNames;
  private nat?: ComputeRouterNat;
  private proxyOnly?: { subnet: ComputeSubnetwork; cidr: string };

  constructor(private readonly network: Network, addProvider: boolean) {
    this.project = checkProject(network);
    this.names = new GoogleNames(network);
    this.provider = googleProviderFor(network, this.project, addProvider);
    const { provider, project } = this;

    this.vpc = new ComputeNetwork(network, 'network', {
      provider,
      project,
      name: this.names.name('network', network, []),
      description: literal(`Butter network ${network.networkName}`),
      // Custom mode: no subnet in every region; each service gets its own, from the ledger.
      autoCreateSubnetworks: false,
      routingMode: 'REGIONAL',
      // Keep the default route to the internet gateway: public instances need it directly,
      // and Cloud NAT (private instances) sends traffic along it too.
      deleteDefaultRoutesOnCreate: false,
    });

    // A custom-mode network starts with no allow rule at all (only Google's implied deny-all
    // ingress and allow-all egress), and Butter adds allow rules only for Paths.
    new ComputeFirewall(network, 'deny-all-ingress', {
      provider,
      project,
      name: this.names.name('firewall', network, ['deny-all-ingress']),
      description: 'Butter: no ingress unless a Path allows it (Path rules have priority 1000)',
      network: this.vpc.id,
      direction: 'INGRESS',
      priority: DENY_ALL_PRIORITY,
      sourceRanges: ['0.0.0.0/0'],
      deny: [{ protocol: 'all' }],
    });

    // Every zone of the region, not only those up right now: services index into this list,
    // and an outage that shortened it would shift the indexes and replace every instance group.
    this.zones = new DataGoogleComputeZones(network, 'zones', {
      provider,
      project,
      region: network.region,
    });
  }

  /** The name of the region's i-th zone (strict indexing: never wraps around). */
  public zoneName(i: number): string {
    return Token.asString(Fn.lookupNested(this.zones.names, [i]));
  }

  /** Terraform condition that the region has at least `zones` zones, for preconditions. */
  public zoneCountCondition(zones: number): string {
    return `\${length(${this.zones.fqn}.names) >= ${zones}}`;
  }

  /**
   * Outbound internet for private instances: one Cloud Router with Cloud NAT for the network's
   * region, created when the first private service asks. Cloud NAT is a managed, regional
   * service that survives zone outages, so the blueprint's `per-zone` and `single` both mean
   * this one gateway; `none` means no NAT. Instances with an external IP never use it.
   */
  public enableNat(): void {
    if (this.nat || this.network.blueprint.nat === 'none') return;
    const { provider, project, network } = this;
    const router = new ComputeRouter(network, 'router', {
      provider,
      project,
      region: network.region,
      name: this.names.name(this.names.regional('router'), network, ['router']),
      description: literal(`Butter network ${network.networkName}: Cloud NAT for private services`),
      network: this.vpc.id,
    });
    this.nat = new ComputeRouterNat(network, 'nat', {
      provider,
      project,
      region: network.region,
      name: this.names.name(this.names.regional('nat'), network, ['nat']),
      router: router.name,
      natIpAllocateOption: 'AUTO_ONLY',
      // Every subnet, so services added later are covered without touching the NAT.
      sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
      logConfig: { enable: true, filter: 'ERRORS_ONLY' },
    });
  }

  /**
   * The network's proxy-only subnet, created when the first regional Application Load Balancer
   * asks (one per network and region, shared by all of them). Google runs the balancers'
   * Envoy proxies there; the proxies, not the clients, connect to the instances, so Paths from
   * an Application Load Balancer admit this range. `cidr` comes from the ledger (`/proxy-only`).
   */
  public proxyOnlySubnet(cidr: string): ComputeSubnetwork {
    const { provider, project, network } = this;
    if (this.proxyOnly) {
      // The ledger gives one block per network: a second one would be a Butter bug.
      if (this.proxyOnly.cidr !== cidr) throw new Error(`${network.node.path}: two proxy-only blocks (${this.proxyOnly.cidr}, ${cidr})`);
      return this.proxyOnly.subnet;
    }
    const subnet = new ComputeSubnetwork(network, 'proxy-only-subnet', {
      provider,
      project,
      region: network.region,
      name: this.names.name(this.names.regional('subnetwork'), network, ['proxy-only']),
      description: literal(`Butter network ${network.networkName}: proxy-only subnet of regional Application Load Balancers`),
      network: this.vpc.id,
      ipCidrRange: cidr,
      purpose: 'REGIONAL_MANAGED_PROXY',
      role: 'ACTIVE',
    });
    this.proxyOnly = { subnet, cidr };
    return subnet;
  }
}

/** A Google project id: 6 to 30 lowercase letters, digits and hyphens (optionally `domain:` first). */
function checkProject(network: Network): string {
  const project = network.project ?? '';
  if (!/^([a-z0-9.-]+:)?[a-z][-a-z0-9]{4,28}[a-z0-9]$/.test(project)) {
    throw new ButterError('NETWORK_PROJECT_INVALID', `"${project}" is not a Google Cloud project id`, {
      constructPath: network.node.path,
      hint: 'use the project id (6 to 30 lowercase letters, digits and hyphens, starting with a letter), not its name or number',
    });
  }
  return project;
}

/**
 * The stack's Google provider for the network's project and region. The first provider has no
 * alias; a network in another project or region gets its own, aliased one. With
 * `addProvider: false` the user configures providers; resources still name their project.
 */
function googleProviderFor(network: Network, project: string, addProvider: boolean): TerraformProvider | undefined {
  if (!addProvider) return undefined;
  const stack = TerraformStack.of(network);
  const existing = stack.allProviders().filter((p) => p.terraformResourceType === 'google') as GoogleProvider[];
  const same = existing.find((p) => p.project === project && p.region === network.region);
  if (same) return same;
  const alias = existing.length === 0 ? undefined : `${project}-${network.region}`.replace(/[^a-zA-Z0-9_-]/g, '_');
  return new GoogleProvider(stack, alias ? `google-${alias}` : 'google', { project, region: network.region, alias });
}
