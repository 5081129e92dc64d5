import { ButterError, withErrorLocation } from '../errors';
import { Architecture, CloudName, ImageSpec, ScalingSpec, ServiceBlueprint } from '../blueprint/types';
import { HealthCheckPlan, resolveHealthCheck } from './balancer-plan';
import { AWS_SUBNET_RULES, GOOGLE_SUBNET_RULES, instancesPerZone, subnetPrefixFor } from './cidr';
import { AddressBook } from './address-book';
import { fitAwsInstanceType, awsInstanceRequirements, fitGoogleMachineType, validatePinnedType } from './fit';
import { resolveAwsImage, resolveGoogleImage } from './images';
import { googleInstanceIps } from './google-addresses';

/**
 * Everything Butter decides about one service, before any cloud resource exists: plain data, so
 * it can be tested, printed and benchmarked without cdktf. The cloud renderers only translate it.
 */
export interface ServicePlan {
  readonly cloud: CloudName;
  /** Distinct zones the service spreads over. */
  readonly zones: number;
  /** Instances to run. */
  readonly count: number;
  /**
   * AWS: one subnet block per zone, in zone order. Google: one block, because a Google subnet is
   * regional and serves every zone of the region.
   */
  readonly subnets: readonly string[];
  /** Instances each subnet can hold after the cloud's reserved addresses. */
  readonly instancesPerSubnet: number;
  /**
   * Google only: the internal IP of each instance (`count` of them, in instance order), taken in
   * order from the subnet's usable addresses. Absent on AWS, where the cloud assigns them.
   */
  readonly instanceIps?: readonly string[];
  readonly publicIp: boolean;
  readonly architecture: Architecture;
  readonly machine: MachineChoice;
  readonly image: ImageChoice;
  /** Disks, the first being the boot disk, with cloud-native volume types. */
  readonly disks: readonly PlannedDisk[];
  /**
   * Autoscaling bounds and target (`scaling`); `count` is then the group's starting size, `min`.
   * @default - none: the group holds exactly `count`
   */
  readonly scaling?: ScalingSpec;
  /**
   * The health check that replaces broken instances: the blueprint's `health_check`, or the
   * balancer's default when the service has a balancer. @default - none (instance status only)
   */
  readonly healthCheck?: HealthCheckPlan;
}

/** The chosen instance/machine type, or attribute-based requirements. */
export type MachineChoice =
  | {
    readonly kind: 'type';
    /** e.g. `t3.medium`, `e2-medium`, `n2-custom-2-5120`. */
    readonly type: string;
    /** Why this type: the requirement and the price, for people reading plans. */
    readonly reason: string;
    /** Google only: GPUs attached to an n1 machine. */
    readonly guestAccelerator?: { readonly type: string; readonly count: number };
  }
  | {
    readonly kind: 'requirements';
    /** AWS `instance_requirements` values (vcpu_count, memory_mib, ...). */
    readonly requirements: Record<string, unknown>;
  };

/** How to look up the image. `owners` (AWS) or `project` (Google) is always set. */
export type ImageChoice =
  | { readonly cloud: 'aws'; readonly namePattern: string; readonly owners: readonly string[] }
  | { readonly cloud: 'google'; readonly family?: string; readonly name?: string; readonly project: string };

export interface PlannedDisk {
  readonly sizeGiB: number;
  /** Cloud-native type: gp3, io2, standard (AWS); pd-balanced, pd-ssd, pd-standard (Google). */
  readonly type: string;
  readonly deviceName?: string;
}

/** Inputs of {@link planService}. */
export interface ServicePlanInput {
  readonly cloud: CloudName;
  readonly network: string;
  readonly service: string;
  readonly blueprint: ServiceBlueprint;
  /** @default - the number of zones */
  readonly count?: number;
  readonly addresses: AddressBook;
}

/** Decide subnets, instance type, image and disks for one service. */
export function planService(input: ServicePlanInput): ServicePlan {
  const { blueprint: bp, cloud } = input;
  const zones = bp.availabilityZones;
  if (bp.scaling && input.count !== undefined) {
    throw new ButterError('SERVICE_COUNT_WITH_SCALING', `count ${input.count} is given, but the blueprint scales the group (scaling: min ${bp.scaling.min}, max ${bp.scaling.max})`, {
      file: bp.file,
      key: 'scaling',
      hint: 'leave count out (the group starts at scaling.min and follows its load), or remove `scaling:` for a fixed size',
    });
  }
  const count = bp.scaling ? bp.scaling.min : input.count ?? zones;
  if (!Number.isInteger(count) || count < 0) {
    throw new ButterError('SERVICE_COUNT_INVALID', `count ${count} is not a whole number of instances`, {
      hint: 'set count to 0 or more',
    });
  }
  if (count > bp.subnetworkMaxInstanceCount) {
    throw new ButterError('SERVICE_COUNT_TOO_LARGE',
      `count ${count} is more than the blueprint's subnets are sized for (${bp.subnetworkMaxInstanceCount})`, {
        file: bp.file,
        key: 'network.subnetwork_max_instance_count',
        hint: `raise network.subnetwork_max_instance_count to at least ${count}, or lower count`,
      });
  }

  const rules = cloud === 'aws' ? AWS_SUBNET_RULES : GOOGLE_SUBNET_RULES;
  // An AWS subnet lives in one zone, so each zone gets its share of the instances; a Google
  // subnet is regional, so one subnet holds them all, whatever the zones.
  const subnetCount = cloud === 'aws' ? zones : 1;
  const perSubnet = instancesPerZone(bp.subnetworkMaxInstanceCount, subnetCount);
  const prefix = withErrorLocation({ file: bp.file, key: 'network.subnetwork_max_instance_count' }, () =>
    subnetPrefixFor(perSubnet, rules));
  const subnets = withErrorLocation({ file: bp.file, key: 'network.subnetwork_max_instance_count' }, () =>
    input.addresses.serviceSubnets(input.network, input.service, subnetCount, prefix));

  const { image, architecture, machine } = instanceChoice(bp, cloud);

  return {
    cloud,
    zones,
    count,
    subnets,
    instancesPerSubnet: 2 ** (32 - prefix) - rules.reservedPerSubnet,
    // Google does not autoscale stateful groups, so an autoscaled group's addresses are not pinned.
    ...(cloud === 'google' && !bp.scaling ? { instanceIps: googleInstanceIps(subnets[0], count) } : {}),
    publicIp: bp.instance.publicIp,
    architecture,
    machine,
    image,
    disks: bp.instance.disks.map((d) => ({ sizeGiB: d.sizeGiB, type: nativeDiskType(cloud, d.type), deviceName: d.deviceName })),
    ...(bp.scaling && { scaling: bp.scaling }),
    ...((bp.healthCheck || bp.loadBalancer) && { healthCheck: resolveHealthCheck(bp.healthCheck, bp.loadBalancer, cloud) }),
  };
}

/**
 * Image, architecture and machine depend on the blueprint and cloud alone. Loaded blueprints are
 * cached and frozen, so a hundred services of one blueprint decide this once.
 */
const choices = new WeakMap<ServiceBlueprint, Map<CloudName, { image: ImageChoice; architecture: Architecture; machine: MachineChoice }>>();

function instanceChoice(bp: ServiceBlueprint, cloud: CloudName): { image: ImageChoice; architecture: Architecture; machine: MachineChoice } {
  let perCloud = choices.get(bp);
  if (!perCloud) choices.set(bp, (perCloud = new Map()));
  let choice = perCloud.get(cloud);
  if (!choice) {
    const imageSpec = pickImageSpec(bp, cloud);
    // The image decides the architecture (an amd64 AMI never runs on Graviton); a stated
    // instance.architecture that contradicts the image name is an error raised here.
    const { image, architecture } = withErrorLocation({ file: bp.file, key: 'image' }, () =>
      resolveImage(cloud, imageSpec, bp.instance.architecture));
    const machine = withErrorLocation({ file: bp.file, key: 'instance' }, () => chooseMachine(cloud, bp, architecture));
    perCloud.set(cloud, (choice = { image, architecture, machine }));
  }
  return choice;
}

function pickImageSpec(bp: ServiceBlueprint, cloud: CloudName): ImageSpec {
  const spec = bp.image[cloud] ?? bp.image.default;
  if (!spec) {
    const other = cloud === 'aws' ? 'google' : 'aws';
    throw new ButterError('IMAGE_MISSING_FOR_CLOUD', `the blueprint names no image for ${cloud}`, {
      file: bp.file,
      key: 'image',
      hint: bp.image[other]
        ? `add image.${cloud} next to image.${other}`
        : 'set image.name (and image.owner unless the publisher is well known)',
    });
  }
  return spec;
}

function resolveImage(cloud: CloudName, spec: ImageSpec, stated?: Architecture): { image: ImageChoice; architecture: Architecture } {
  if (cloud === 'aws') {
    const r = resolveAwsImage(spec, { architecture: stated });
    return { image: { cloud, namePattern: r.namePattern, owners: r.owners }, architecture: r.architecture };
  }
  const r = resolveGoogleImage(spec, { architecture: stated });
  return { image: { cloud, family: r.family, name: r.name, project: r.project }, architecture: r.architecture };
}

function chooseMachine(cloud: CloudName, bp: ServiceBlueprint, architecture: Architecture): MachineChoice {
  const req = { cpus: bp.instance.cpus, memoryMiB: bp.instance.memoryMiB, gpus: bp.instance.gpus, architecture };
  const pinned = bp.instance.type?.[cloud];
  if (pinned) {
    validatePinnedType(cloud, pinned, { architecture });
    return { kind: 'type', type: pinned, reason: 'pinned by instance.type' };
  }
  if (cloud === 'aws') {
    if (bp.instance.selection === 'requirements') return { kind: 'requirements', requirements: awsInstanceRequirements(req) };
    const fit = fitAwsInstanceType(req);
    return { kind: 'type', type: fit.type, reason: fit.reason };
  }
  const fit = fitGoogleMachineType(req, { mode: bp.instance.selection });
  return { kind: 'type', type: fit.type, reason: fit.reason, guestAccelerator: fit.guestAccelerator };
}

/** Butter's disk classes mean "the cloud's usual disk of that kind"; native names pass through. */
export function nativeDiskType(cloud: CloudName, type: string): string {
  const table: Record<string, Record<CloudName, string>> = {
    standard: { aws: 'gp3', google: 'pd-balanced' },
    ssd: { aws: 'gp3', google: 'pd-ssd' },
    magnetic: { aws: 'standard', google: 'pd-standard' },
  };
  return table[type]?.[cloud] ?? type;
}
