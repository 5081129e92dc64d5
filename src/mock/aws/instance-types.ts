import { Architecture } from '../../blueprint/types';
import { AWS_INSTANCE_TYPES } from '../../planning/catalog/aws-instance-types';
import { AwsInstanceFacts } from '../../planning/catalog/types';
import { block, NestedBlockSpec, optional, required } from '../schema/dsl';
import { set } from '../values/cty-type';
import { ObjectValue } from '../values/value';
import { awsError, first, num, str, strings } from './common';
import { ec2InstanceTypeFamilies } from './data/ec2-instance-types';
import { REGION_OFFERINGS, ZONE_OFFERINGS, ZONE_SURVEYED_REGIONS } from './data/ec2-type-offerings';
import { availabilityZones } from './regions';
import { matchesAny } from './filters';

/**
 * Instance types. The mock offers every type the EC2 API enumerates (data/ec2-instance-types.ts,
 * about 1,200 names), so a user who pins an ordinary type can deploy; a name EC2 does not have is
 * refused with EC2's error. Butter's fitter keeps choosing from its own curated, priced catalog,
 * and attribute-based selection (`instance_requirements` of launch templates and mixed instances
 * policies, where EC2 picks the cheapest matching type) uses that priced catalog too: the full
 * list has names, not prices.
 */

/** What the mock knows of any EC2 instance type: its name, family and CPU architecture. */
export interface Ec2InstanceType {
  readonly name: string;
  readonly family: string;
  readonly architecture: Architecture;
}

let catalog: Map<string, Ec2InstanceType> | undefined;

/**
 * Graviton families carry a `g` after the generation digit (`m7g`, `c8gn`, `is4gen`, `x2gd`,
 * `p6e-gb200`); `a1` is the first Graviton; the Apple silicon Macs (`mac2*`, `mac-m4*`) are arm64
 * too. Source: the Amazon EC2 instance types guide, "Instance type naming conventions" and the
 * Graviton and Mac pages.
 */
function architectureOf(family: string): Architecture {
  if (family === 'a1' || family.startsWith('mac2') || family.startsWith('mac-m')) return 'arm64';
  return /^[a-z]+\d[a-z-]*g/.test(family) && !family.startsWith('mac') ? 'arm64' : 'x86_64';
}

/** Every EC2 instance type, built on first use (start-up does not pay for it). */
export function ec2InstanceTypes(): ReadonlyMap<string, Ec2InstanceType> {
  if (!catalog) {
    catalog = new Map();
    for (const [family, sizes] of ec2InstanceTypeFamilies()) {
      const architecture = architectureOf(family);
      for (const size of sizes) catalog.set(`${family}.${size}`, { name: `${family}.${size}`, family, architecture });
    }
  }
  return catalog;
}

/**
 * vCPUs of an instance type: the priced catalog's figure where it has the type, else from the size
 * as EC2 names them (Amazon EC2 instance types guide: large = 2 vCPUs, xlarge = 4, Nxlarge = 4N,
 * metal as the family's largest size; the burstable t2 nano/micro/small have 1, t3/t3a/t4g 2; other
 * medium sizes 1).
 */
export function vcpusOf(name: string): number {
  const priced = AWS_INSTANCE_TYPES.find((t) => t.name === name);
  if (priced) return priced.vcpus;
  const [family, size] = name.split('.');
  const fromSize = (s: string): number => {
    if (['nano', 'micro', 'small'].includes(s)) return family === 't2' ? 1 : 2;
    if (s === 'medium') return family.startsWith('t') ? 2 : 1;
    if (s === 'large') return 2;
    const m = /^(\d*)xlarge$/.exec(s) ?? /^metal-(\d+)xl$/.exec(s);
    if (m) return 4 * Number(m[1] || 1);
    return 0;
  };
  if (size === 'metal') return Math.max(0, ...(ec2InstanceTypeFamilies().get(family) ?? []).map(fromSize));
  return fromSize(size ?? '');
}

/**
 * Whether the type counts against the Standard On-Demand vCPU quota: families starting with A, C,
 * D, H, I, M, R, T or Z, less those with quotas of their own (DL, HPC, Inf, Trn) and the Mac dedicated hosts. Source: Amazon EC2
 * User Guide, On-Demand Instance quotas.
 */
export function isStandardFamily(name: string): boolean {
  const family = name.split('.')[0];
  return /^[acdhimrtz]/.test(family) && !/^(dl|hpc|inf|trn|mac)/.test(family);
}

/** The instance type, or undefined when EC2 has no such type. */
export function findInstanceType(name: string): Ec2InstanceType | undefined {
  return ec2InstanceTypes().get(name);
}

/** The instance type `name`, or EC2's error for a type it does not have. */
export function requireInstanceType(name: string, path: (string | number)[] = ['instance_type']): Ec2InstanceType {
  const found = findInstanceType(name);
  if (!found) {
    // EC2 RunInstances / CreateLaunchTemplate: "Invalid value 'x' for InstanceType".
    throw awsError('InvalidParameterValue', `Invalid value '${name}' for InstanceType (invalid instance type)`, path,
      'EC2 has no such instance type (the mock knows every name of the EC2 API\'s InstanceType list, e.g. t3.micro, m7g.large, c7i.2xlarge).');
  }
  return found;
}

/**
 * The availability zones (names, in the mock's naming) of `region` that offer `type`, or undefined
 * when EC2 offers it in every zone there (or nothing is known: data/ec2-type-offerings.ts says
 * which types and regions its sources cover).
 */
export function zonesOffering(type: string, region: string): string[] | undefined {
  const zones = availabilityZones(region);
  const family = type.split('.')[0];
  const regions = REGION_OFFERINGS[family];
  if (regions && !regions.includes(region)) return [];
  const ids = ZONE_OFFERINGS[type];
  if (ids === undefined || !ZONE_SURVEYED_REGIONS.includes(region)) return undefined;
  const offered = new Set(ids.split(' '));
  return zones.filter((z) => offered.has(z.zoneId)).map((z) => z.name);
}

/**
 * RunInstances in a zone that does not offer the type: EC2's Unsupported error, in its two forms
 * (hashicorp/terraform-provider-aws issue 9113 for a type the region does not offer at all;
 * ned1313/Getting-Started-Terraform issue 44 and skyplane-project/skyplane issue 172 for a zone:
 * "Unsupported: Your requested instance type (t3.micro) is not supported in your requested
 * Availability Zone (us-east-1e). Please retry your request by not specifying an Availability Zone
 * or choosing us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1f.").
 */
export function requireOfferedIn(type: string, region: string, zone: string, path?: (string | number)[]): void {
  const zones = zonesOffering(type, region);
  if (zones === undefined || zones.includes(zone)) return;
  if (zones.length === 0) {
    throw awsError('Unsupported', 'The requested configuration is currently not supported. Please check the documentation for supported configurations.', path,
      `EC2 does not offer ${type} in ${region} (the mock's offerings follow DescribeInstanceTypeOfferings; see src/mock/aws/data/ec2-type-offerings.ts).`);
  }
  throw awsError('Unsupported', `Your requested instance type (${type}) is not supported in your requested Availability Zone (${zone}). `
    + `Please retry your request by not specifying an Availability Zone or choosing ${zones.join(', ')}.`, path);
}

/**
 * CPU manufacturer of a family, as `cpu_manufacturers` names them: Graviton families carry a
 * `g` after the generation digit, AMD ones an `a`; the GPU families are stated outright.
 */
export function cpuManufacturer(t: AwsInstanceFacts): 'intel' | 'amd' | 'amazon-web-services' {
  const special: Record<string, 'intel' | 'amd' | 'amazon-web-services'> = { g5: 'amd', g4dn: 'intel', g5g: 'amazon-web-services', p4d: 'intel' };
  if (special[t.family]) return special[t.family];
  const suffix = t.family.replace(/^[a-z]+\d/, '');
  if (suffix.includes('g')) return 'amazon-web-services';
  if (suffix.includes('a')) return 'amd';
  return 'intel';
}

// --- instance_requirements ------------------------------------------------------------------

function range(requiredMin: boolean): NestedBlockSpec {
  return block('list', {
    attributes: { min: requiredMin ? required('number') : optional('number'), max: optional('number') },
  }, { maxItems: 1, minItems: requiredMin ? 1 : 0 });
}

/** The `instance_requirements` block, identical in launch templates and ASG overrides. */
export function instanceRequirementsBlock(): NestedBlockSpec {
  return block('list', {
    attributes: {
      accelerator_manufacturers: optional(set('string')),
      accelerator_names: optional(set('string')),
      accelerator_types: optional(set('string')),
      allowed_instance_types: optional(set('string')),
      bare_metal: optional('string'),
      burstable_performance: optional('string'),
      cpu_manufacturers: optional(set('string')),
      excluded_instance_types: optional(set('string')),
      instance_generations: optional(set('string')),
      local_storage: optional('string'),
      local_storage_types: optional(set('string')),
      max_spot_price_as_percentage_of_optimal_on_demand_price: optional('number'),
      on_demand_max_price_percentage_over_lowest_price: optional('number'),
      require_hibernate_support: optional('bool'),
      spot_max_price_percentage_over_lowest_price: optional('number'),
    },
    blocks: {
      accelerator_count: range(false),
      accelerator_total_memory_mib: range(false),
      baseline_ebs_bandwidth_mbps: range(false),
      memory_gib_per_vcpu: range(false),
      memory_mib: range(true),
      network_bandwidth_gbps: range(false),
      network_interface_count: range(false),
      total_local_storage_gb: range(false),
      vcpu_count: range(true),
    },
  }, { maxItems: 1 });
}

function within(value: number, r: ObjectValue | null): boolean {
  if (!r) return true;
  const min = num(r.min);
  const max = num(r.max);
  return (min === null || value >= min) && (max === null || value <= max);
}

/**
 * The instance types satisfying `requirements` (one `instance_requirements` element) that can
 * boot an image of `architecture`, cheapest first: the order EC2's lowest-price allocation uses.
 */
export function typesMatching(requirements: ObjectValue, architecture: string): AwsInstanceFacts[] {
  const burstable = str(requirements.burstable_performance) ?? 'excluded';
  const generations = strings(requirements.instance_generations);
  const manufacturers = strings(requirements.cpu_manufacturers);
  const acceleratorTypes = strings(requirements.accelerator_types);
  const allowed = strings(requirements.allowed_instance_types);
  const excluded = strings(requirements.excluded_instance_types);
  return AWS_INSTANCE_TYPES.filter((t) => {
    if (t.architecture !== architecture) return false;
    if (!within(t.vcpus, first(requirements.vcpu_count))) return false;
    if (!within(t.memoryMiB, first(requirements.memory_mib))) return false;
    if (!within(t.memoryMiB / 1024 / t.vcpus, first(requirements.memory_gib_per_vcpu))) return false;
    // With no accelerator_count, EC2 places no limit; accelerator_types narrows what counts.
    if (!within(t.gpus, first(requirements.accelerator_count))) return false;
    if (acceleratorTypes.length > 0 && !acceleratorTypes.includes('gpu') && t.gpus > 0) return false;
    if (burstable === 'excluded' && t.burstable) return false;
    if (burstable === 'required' && !t.burstable) return false;
    const generation = t.previousGeneration ? 'previous' : 'current';
    if (generations.length > 0 && !generations.includes(generation)) return false;
    if (manufacturers.length > 0 && !manufacturers.includes(cpuManufacturer(t))) return false;
    if (allowed.length > 0 && !matchesAny(t.name, allowed)) return false;
    if (excluded.length > 0 && matchesAny(t.name, excluded)) return false;
    return true;
  }).sort((a, b) => a.pricePerHour - b.pricePerHour || a.name.localeCompare(b.name));
}
