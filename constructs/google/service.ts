import { Annotations, Fn, TerraformLocal, Token } from 'cdktf';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { DataGoogleComputeImage, DataGoogleComputeImageConfig } from '@cdktf/provider-google/lib/data-google-compute-image';
import { ComputeInstanceTemplate, ComputeInstanceTemplateDisk } from '@cdktf/provider-google/lib/compute-instance-template';
import { ComputeRegionInstanceGroupManager } from '@cdktf/provider-google/lib/compute-region-instance-group-manager';
import { ComputeAddress } from '@cdktf/provider-google/lib/compute-address';
import { ComputeRegionPerInstanceConfig } from '@cdktf/provider-google/lib/compute-region-per-instance-config';
import type { ComputeRegionAutoscaler } from '@cdktf/provider-google/lib/compute-region-autoscaler';
import { ButterError, displayPath } from '../../src/errors';
import type { HealthCheckPlan } from '../../src/planning/balancer-plan';
import { GOOGLE_NAME_PATTERN } from '../../src/planning/google-names';
import type { PlannedDisk } from '../../src/planning/service-plan';
import type { Service } from '../service';
import type { RenderedService } from '../renderer';
import { GoogleNetworkResources } from './network';
import { googleLabels } from './names';
import { googleStartupKey, securityMetadata, securityOverrides } from './metadata';
import { checkUserDataSize } from '../../src/planning/templating/user-data-size';
import { literal, literals } from '../literal';
import { recordBlueprint } from '../checks';
import { GoogleHealthCheck } from './health-check';

/** Google's name for an instance's first network interface, as stateful configs key it. */
const NIC = 'nic0';

/*
 * Private IPs on Google, and what they cost.
 *
 * Another service's startup script needs this service's private IPs (HAProxy lists its nginx
 * backends). AWS has a data source listing an autoscaling group's instances; Google has none
 * for a managed instance group's IPs (listing the group gives instance URLs, each needing a
 * zonal instance lookup whose zone is unknown at plan time). So Butter decides the IPs itself:
 * instance i gets the i-th usable address of the service's subnet (planService), reserved as a
 * `google_compute_address` (nothing else in the subnet can take it) and bound to the instance
 * named `<network>-<service>-<i>` by a stateful per-instance config. `privateIps` is then a
 * plain list at synth time, and stays true through recreation, autohealing and updates.
 *
 * The price, all acceptable for Butter's fixed-size groups:
 * - the group is stateful: no autoscaler (Butter's groups are min = max = count anyway), and a
 *   new template rolls out by recreating instances in place (RECREATE, no surge), at most one
 *   per zone at a time, instead of creating replacements first;
 * - proactive redistribution is off: instances stay in their zone (they come back there after
 *   a zone outage rather than moving);
 * - the group's size is the number of per-instance configs, not its target_size (see below);
 * - two more resources per instance (the reservation and the config).
 * Public IPs are reserved the same way, so `publicIps` are the reservations' addresses (known
 * after deploy, and kept across recreation).
 *
 * Autoscaled services (`scaling:`) are the exception: Google does not autoscale stateful
 * groups, so their instances get no pinned names or addresses. The group is then an ordinary
 * stateless one (replacements are created before old instances go, and instances move between
 * zones to stay balanced), sized by a regional autoscaler, and its addresses are unknown until
 * the autoscaler decides: `privateIps`, `publicIps` and `instanceIds` refuse with
 * SERVICE_ADDRESSES_UNKNOWN. Such a service is reached through its load balancer.
 */

/**
 * One service on Google Cloud: a regional subnet, an instance template (Shielded VM, boot disk
 * never smaller than its image, startup metadata, a network tag naming the service), a regional
 * managed instance group over distinct zones, and one stateful per-instance config per instance
 * pinning its name and internal IP (see {@link GoogleServiceResources.privateIps}).
 */
export class GoogleServiceResources implements RenderedService {
  /** The network tag on every instance: what Path firewall rules target and come from. */
  public readonly tag: string;
  public readonly subnet: ComputeSubnetwork;
  public readonly image: DataGoogleComputeImage;
  public readonly template: ComputeInstanceTemplate;
  public readonly group: ComputeRegionInstanceGroupManager;
  /** The reserved internal address of each instance, in instance order. */
  public readonly internalAddresses: ComputeAddress[] = [];
  /** The reserved external address of each instance (public services only). */
  public readonly externalAddresses: ComputeAddress[] = [];
  /** The instances' names, in instance order (also their per-instance configs' names); none when autoscaled. */
  public readonly instanceNames: string[] = [];
  /** The autoscaler sizing the group (`scaling:`). @default - none: a fixed group */
  public readonly autoscaler?: ComputeRegionAutoscaler;
  /** The health check the group autoheals with (and its balancer uses). @default - none */
  public healthCheck?: GoogleHealthCheck;
  private readonly plannedIps: readonly string[] = [];
  private readonly service: Service;
  private readonly net: GoogleNetworkResources;
  private namedPorts: number[] = [];

  constructor(service: Service, net: GoogleNetworkResources) {
    // The plan's strings (machine and disk types, device names, image) are text, never Terraform
    // expressions: escaped once, here (see ../literal.ts). The image lookup is built from the
    // raw plan (it makes a regular expression of the name) and escaped as a whole.
    const plan = literals(service.plan);
    const { provider, project, names } = net;
    const region = service.network.region;
    const svc = service.serviceName;
    const labels = googleLabels(service.network.networkName, svc);
    const regional = (kind: string) => names.regional(kind);
    const scaled = plan.scaling !== undefined;
    if (plan.machine.kind !== 'type' || (!plan.instanceIps && !scaled)) {
      // planService always gives a machine type on Google, and instance IPs unless it scales.
      throw new Error(`${service.node.path}: not a Google plan`);
    }
    this.service = service;
    this.net = net;

    this.tag = names.name('network tag', service, [svc]);
    this.subnet = new ComputeSubnetwork(service, 'subnet', {
      provider,
      project,
      region,
      name: names.name(regional('subnetwork'), service, [svc]),
      // Descriptions of Google resources mostly cannot change in place: keep them constant,
      // or a catalog or count change would replace the resource.
      description: literal(`Butter service ${svc}`),
      network: net.vpc.id,
      ipCidrRange: plan.subnets[0],
      // Private instances reach Google APIs (logging, package mirrors on GCS) without NAT.
      privateIpGoogleAccess: true,
      // network.flow_logs: on: every connection sampled into Cloud Logging, with its metadata.
      ...(service.network.blueprint.flowLogs === 'on'
        ? { logConfig: { aggregationInterval: 'INTERVAL_5_SEC', flowSampling: 0.5, metadata: 'INCLUDE_ALL_METADATA' } }
        : {}),
    });
    recordBlueprint(this.subnet, service.network.blueprint.file);
    if (!plan.publicIp) net.enableNat();

    this.image = new DataGoogleComputeImage(service, 'image', { provider, ...literals(imageLookup(service.plan.image)) });
    recordBlueprint(this.image, service.blueprint.file);

    this.template = new ComputeInstanceTemplate(service, 'template', {
      provider,
      project,
      // A template cannot change in place; a prefix lets Terraform make the new one before
      // the group moves to it and the old one goes (create_before_destroy).
      namePrefix: `${names.name('instance template', service, [svc], { maxLength: 36 })}-`,
      description: literal(`Butter service ${svc}`),
      machineType: plan.machine.type,
      tags: [this.tag],
      labels,
      metadata: { ...securityMetadata(service), ...startupMetadata(service) },
      disk: templateDisks(plan.disks, this.image),
      networkInterface: [{
        subnetwork: this.subnet.selfLink,
        // An access config gives the instance an external IP; private services get none and
        // go out through Cloud NAT.
        accessConfig: plan.publicIp ? [{ networkTier: 'PREMIUM' }] : undefined,
      }],
      shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
      ...(plan.machine.guestAccelerator ? { guestAccelerator: [plan.machine.guestAccelerator] } : {}),
      // GPU machines cannot live-migrate: Google requires them to stop for host maintenance.
      ...(service.blueprint.instance.gpus > 0 ? { scheduling: { onHostMaintenance: 'TERMINATE', automaticRestart: true } } : {}),
      // No service_account: instances get no Google credentials unless the user adds them.
      lifecycle: { createBeforeDestroy: true },
    });

    recordBlueprint(this.template, service.blueprint.file, securityOverrides(service));
    if (Object.keys(securityOverrides(service)).length > 0) {
      Annotations.of(service).addInfo(`blueprint overrides Butter's Google VM defaults: ${Object.entries(securityOverrides(service)).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    }

    const zoneCount = plan.zones;
    this.group = new ComputeRegionInstanceGroupManager(service, 'group', {
      provider,
      project,
      region,
      name: names.name(regional('instance group manager'), service, [svc]),
      description: literal(`Butter service ${svc}`),
      // Google appends `-xxxx` to the base name, and instance names stop at 63 characters.
      baseInstanceName: names.name('base instance name', service, [svc], { maxLength: 58 }),
      version: [{ name: 'primary', instanceTemplate: this.template.selfLinkUnique }],
      distributionPolicyZones: Array.from({ length: zoneCount }, (_, i) => net.zoneName(i)),
      ...(scaled ? {
        // No target_size: the autoscaler owns the group's size.
        updatePolicy: {
          // Nothing is pinned, so a new template rolls out the safe way: each replacement is
          // created (and healthy) before an old instance goes. A regional group surges by 0 or
          // at least one instance per zone.
          type: 'PROACTIVE',
          minimalAction: 'REPLACE',
          replacementMethod: 'SUBSTITUTE',
          maxSurgeFixed: zoneCount,
          maxUnavailableFixed: 0,
          // Instances move between zones to keep the group balanced after an outage.
          instanceRedistributionType: 'PROACTIVE',
        },
      } : {
        // The group starts empty and each per-instance config below creates its instance with
        // `createInstances`, which adds one to the target size (and deleting a config with
        // remove_instance_on_destroy takes one off). So the group holds exactly `count`
        // instances, but as the sum of the configs: a target_size of `count` here would create
        // `count` unnamed instances *plus* the `count` named ones. Terraform must then leave the
        // live target size alone, hence ignore_changes.
        targetSize: 0,
        updatePolicy: {
          // A new template (image, startup script, machine type) rolls out by itself. Instances
          // keep their names and IPs, so they are recreated in place (RECREATE, no surge).
          type: 'PROACTIVE',
          minimalAction: 'REPLACE',
          replacementMethod: 'RECREATE',
          maxSurgeFixed: 0,
          // A regional group takes 0 or at least one per zone.
          maxUnavailableFixed: zoneCount,
          // Moving instances between zones would delete pinned ones; stateful groups must not.
          instanceRedistributionType: 'NONE',
        },
      }),
      lifecycle: {
        ignoreChanges: ['target_size'],
        precondition: [{
          condition: net.zoneCountCondition(zoneCount),
          errorMessage: literal(`${region} has fewer than ${zoneCount} zones: lower placement.availability_zones in ${service.blueprint.file ? displayPath(service.blueprint.file) : 'the blueprint'}.`),
        }],
      },
    });

    if (plan.instanceIps) {
      this.plannedIps = plan.instanceIps;
      this.instanceNames = plan.instanceIps.map((_, i) => names.name('instance', service, [svc, String(i)]));
      plan.instanceIps.forEach((ip, i) => this.pinInstance(service, net, i, ip, labels));
    }

    // Autohealing: from the blueprint's health_check (a balancer may bring its own later). The
    // raw plan: the health check escapes its own text.
    if (service.plan.healthCheck) this.useHealthCheck(service.plan.healthCheck);

    if (plan.scaling) {
      const { min, max, targetCpuPercent } = plan.scaling;
      // Loaded by the first service that scales (as on AWS).
      const { ComputeRegionAutoscaler } = require('@cdktf/provider-google/lib/compute-region-autoscaler') as typeof import('@cdktf/provider-google/lib/compute-region-autoscaler');
      this.autoscaler = new ComputeRegionAutoscaler(service, 'autoscaler', {
        provider,
        project,
        region,
        name: names.name(regional('region autoscaler'), service, [svc]),
        // Constant, like every description here: bounds change in place, not by replacement.
        description: literal(`Butter service ${svc}: autoscaler`),
        target: this.group.id,
        autoscalingPolicy: {
          minReplicas: min,
          maxReplicas: max,
          // Google's "initialization period": how long a new instance's CPU is not counted. The
          // health check's grace period says how long the instances take to start.
          cooldownPeriod: service.plan.healthCheck?.gracePeriodSeconds ?? 60,
          mode: 'ON',
          cpuUtilization: { target: targetCpuPercent / 100 },
        },
      });
    }
  }

  /**
   * Autoheal with `plan`: the service's health check is created on first use (with the
   * probers' firewall rule) and set to `plan` after that, so the group and its balancer always
   * share one check. Instances failing it after `gracePeriodSeconds` are recreated.
   */
  public useHealthCheck(plan: HealthCheckPlan): GoogleHealthCheck {
    if (this.healthCheck) this.healthCheck.apply(plan);
    else this.healthCheck = new GoogleHealthCheck(this.service, this.net, this.tag, plan);
    this.group.putAutoHealingPolicies({ healthCheck: this.healthCheck.check.id, initialDelaySec: plan.gracePeriodSeconds });
    return this.healthCheck;
  }

  /**
   * Name the ports a balancer forwards to (`port-<n>`), as backend services of Application Load
   * Balancers address their group's instances by port name. Returns the names, in `ports` order.
   */
  public nameTargetPorts(ports: readonly number[]): string[] {
    this.namedPorts = [...new Set([...this.namedPorts, ...ports])].sort((a, b) => a - b);
    this.group.putNamedPort(this.namedPorts.map((port) => ({ name: namedPort(port), port })));
    return ports.map(namedPort);
  }

  /**
   * Instance `i`: its internal IP reserved in the subnet (so nothing else can take it), an
   * external IP for public services, and a per-instance config that creates the instance under
   * its fixed name with those addresses and keeps them through recreation and autohealing.
   */
  private pinInstance(service: Service, net: GoogleNetworkResources, i: number, ip: string, labels: Record<string, string>): void {
    const { provider, project, names } = net;
    const region = service.network.region;
    const svc = service.serviceName;
    const internal = new ComputeAddress(service, `ip-${i}`, {
      provider,
      project,
      region,
      name: names.name(names.regional('address'), service, [svc, 'ip', String(i)]),
      description: literal(`Butter service ${svc}: internal IP of instance ${i}`),
      addressType: 'INTERNAL',
      purpose: 'GCE_ENDPOINT',
      subnetwork: this.subnet.id,
      address: ip,
      labels,
    });
    this.internalAddresses.push(internal);
    const external = service.plan.publicIp
      ? new ComputeAddress(service, `public-ip-${i}`, {
        provider,
        project,
        region,
        name: names.name(names.regional('address'), service, [svc, 'public-ip', String(i)]),
        description: literal(`Butter service ${svc}: external IP of instance ${i}`),
        addressType: 'EXTERNAL',
        networkTier: 'PREMIUM',
        labels,
      })
      : undefined;
    if (external) this.externalAddresses.push(external);

    // The reservations belong to Terraform, so Google must never delete them (NEVER).
    new ComputeRegionPerInstanceConfig(service, `instance-${i}`, {
      provider,
      project,
      region,
      regionInstanceGroupManager: this.group.name,
      name: this.instanceNames[i],
      preservedState: {
        internalIp: [{ interfaceName: NIC, autoDelete: 'NEVER', ipAddress: { address: internal.selfLink } }],
        ...(external ? { externalIp: [{ interfaceName: NIC, autoDelete: 'NEVER', ipAddress: { address: external.selfLink } }] } : {}),
      },
      // A changed address can only be applied by recreating the instance.
      minimalAction: 'REPLACE',
      mostDisruptiveAllowedAction: 'REPLACE',
      // Lowering `count` removes the config *and* its instance (and the group's target size).
      removeInstanceOnDestroy: true,
    });
  }

  /**
   * Known at synth time: the addresses Butter picked and pinned (plain strings, so another
   * service's startup script renders them directly).
   */
  public get privateIps(): string[] {
    this.refuseIfScaled('privateIps');
    return [...this.plannedIps];
  }

  /** The reserved external addresses (deploy-time tokens); empty for private services. */
  public get publicIps(): string[] {
    if (this.service.plan.publicIp) this.refuseIfScaled('publicIps');
    return this.externalAddresses.map((a) => a.address);
  }

  /** Instance names: Google addresses instances by name (the numeric id is rarely used). */
  public get instanceIds(): string[] {
    this.refuseIfScaled('instanceIds');
    return [...this.instanceNames];
  }

  /**
   * An autoscaled group's instances come and go with the load, under names and addresses Google
   * picks: nothing Butter could hand to another service's startup script at synth time.
   */
  private refuseIfScaled(what: string): void {
    const { plan, blueprint, node, loadBalancer } = this.service;
    if (!plan.scaling) return;
    throw new ButterError('SERVICE_ADDRESSES_UNKNOWN',
      `${node.path}.${what} is unknown: the service autoscales (scaling: min ${plan.scaling.min}, max ${plan.scaling.max}), so Google names and addresses its instances as they come and go`, {
        constructPath: node.path,
        file: blueprint.file,
        key: 'scaling',
        hint: loadBalancer
          ? `reach it through its load balancer (${node.id}.loadBalancer.dnsName)`
          : 'reach it through a load balancer (load_balancer: in its blueprint, then service.loadBalancer.dnsName), or remove `scaling:` for a fixed group with pinned addresses',
      });
  }
}

/** A group's name for an instance port, as backend services refer to it. */
function namedPort(port: number): string {
  return `port-${port}`;
}

/** The image lookup: by family (newest image) or name, always in the publishing project. */
function imageLookup(image: Service['plan']['image']): DataGoogleComputeImageConfig {
  if (image.cloud !== 'google') throw new Error('not a Google image'); // planService guarantees it
  if (image.family !== undefined) return { project: image.project, family: image.family };
  const name = image.name ?? '';
  if (!name.includes('*')) return { project: image.project, name };
  // A name pattern: newest match, by Google's regular-expression filter.
  return { project: image.project, filter: `name eq ${name.split('*').map(escapeRegex).join('.*')}`, mostRecent: true };
}

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The template's disks: the first is the boot disk, from the image, sized from the blueprint
 * but never below the image's own size (Google refuses a smaller boot disk, and a blueprint
 * written for AWS often says 8 GB where Google's images are 10 GB). The rest are blank disks.
 * Google encrypts every disk at rest by default.
 */
function templateDisks(disks: readonly PlannedDisk[], image: DataGoogleComputeImage): ComputeInstanceTemplateDisk[] {
  const [boot, ...data] = disks;
  return [
    {
      boot: true,
      autoDelete: true,
      sourceImage: image.selfLink,
      diskType: boot?.type ?? 'pd-balanced',
      ...(boot ? { diskSizeGb: Token.asNumber(Fn.max([boot.sizeGiB, image.diskSizeGb])) } : {}),
      ...deviceName(boot),
    },
    ...data.map((d): ComputeInstanceTemplateDisk => ({
      boot: false,
      autoDelete: true,
      type: 'PERSISTENT',
      diskType: d.type,
      diskSizeGb: d.sizeGiB,
      ...deviceName(d),
    })),
  ];
}

/**
 * A disk's device name, when the blueprint's is one Google accepts. AWS-style paths
 * (`/dev/sda1`) mean nothing on Google, where disks appear as `/dev/disk/by-id/google-<name>`:
 * those are left out and Google names the disk.
 */
function deviceName(disk: PlannedDisk | undefined): { deviceName?: string } {
  return disk?.deviceName && GOOGLE_NAME_PATTERN.test(disk.deviceName) ? { deviceName: disk.deviceName } : {};
}

/** The rendered initialization as instance metadata (see {@link googleStartupKey}). */
function startupMetadata(service: Service): Record<string, string> | undefined {
  if (!service.userData) return undefined;
  checkUserDataSize('google', service.userData, { file: service.blueprint.file, constructPath: service.node.path });
  // Through a local, as on AWS: one readable place in the Terraform JSON for the script.
  const text = new TerraformLocal(service, 'user-data', service.userData).asString;
  return { [googleStartupKey(service.userData)]: text };
}
