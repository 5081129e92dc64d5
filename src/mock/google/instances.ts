import { Cloud } from '../cloud/cloud';
import { ObjectValue } from '../values/value';
import { allocateExternal, allocateInternal, checkInternal } from './address';
import { alreadyExists, hashHex, invalidField, notFound, selfLink, timestamp, zonalId } from './common';
import { findMachineType, requireMachineTypeInZone } from './machine-types';
import {
  AddressRecord, InstanceGroupManagerRecord, InstanceRecord, InstanceTemplateRecord, Kind, PerInstanceConfigRecord, PreservedIp, SubnetworkRecord,
} from './model';

/**
 * The VMs of managed instance groups: Compute Engine makes them from the group's template, so
 * no Terraform resource manages them directly. Each is an `instance` record (see
 * {@link InstanceRecord}): name, zone, private IP (a per-instance config's preserved address, or
 * the lowest free address of the template's subnetwork), public IP when the template has an
 * access config (the preserved external address, else an ephemeral one), status RUNNING, machine
 * type, metadata as the instance received it, network tags, and the group it belongs to.
 */

/** The group's instances, by name. */
export function groupInstances(cloud: Cloud, groupId: string): InstanceRecord[] {
  return cloud.list<InstanceRecord>(Kind.instance, (i) => i.instance_group_manager === groupId)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The group's per-instance configs. */
export function groupConfigs(cloud: Cloud, groupId: string): PerInstanceConfigRecord[] {
  return cloud.list<PerInstanceConfigRecord>(Kind.perInstanceConfig, (c) => c.group === groupId);
}

/**
 * Where a new instance goes: the group's zone with the fewest instances, earlier zones first on
 * a tie. Creating instances one by one this way is round-robin over `distribution_policy_zones`,
 * the even shape Google keeps a regional group in.
 */
export function pickZone(cloud: Cloud, group: InstanceGroupManagerRecord): string {
  const counts = new Map(group.zones.map((z) => [z, 0]));
  for (const i of groupInstances(cloud, group.id)) if (counts.has(i.zone)) counts.set(i.zone, (counts.get(i.zone) ?? 0) + 1);
  return group.zones.reduce((best, z) => ((counts.get(z) ?? 0) < (counts.get(best) ?? 0) ? z : best), group.zones[0]);
}

/** A name for an instance the group makes itself: the base name, a dash and 4 random characters. */
export function generatedName(cloud: Cloud, group: InstanceGroupManagerRecord): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  for (;;) {
    const h = hashHex(`${group.id}/${cloud.nextNumericId()}`, 8);
    const suffix = [0, 2, 4, 6].map((k) => alphabet[parseInt(h.slice(k, k + 2), 16) % alphabet.length]).join('');
    const name = `${group.base_instance_name}-${suffix}`;
    if (!cloud.list<InstanceRecord>(Kind.instance, (i) => i.name === name && i.region === group.region).length) return name;
  }
}

/** The template the group's instances are made from (its first version). */
export function groupTemplate(cloud: Cloud, group: InstanceGroupManagerRecord, action: string): InstanceTemplateRecord {
  const id = group.versions[0]?.instance_template ?? '';
  const template = cloud.get<InstanceTemplateRecord>(Kind.instanceTemplate, id);
  if (!template) throw notFound(action, id, ['version']);
  return template;
}

/** What to launch. */
export interface Launch {
  readonly name: string;
  readonly zone: string;
  /** The per-instance config pinning the instance, if any. */
  readonly config?: PerInstanceConfigRecord | null;
  /** IPs to keep when recreating (stateful policy). */
  readonly keepPrivateIp?: string | null;
  readonly keepPublicIp?: string | null;
}

/**
 * Create one instance of `group` from its template, as Compute Engine would: the name must be
 * free in the zone, preserved addresses must exist, be of the right type, sit in the template's
 * subnetwork and not be used by another instance.
 */
export function launchInstance(cloud: Cloud, group: InstanceGroupManagerRecord, launch: Launch, action: string): InstanceRecord {
  const template = groupTemplate(cloud, group, action);
  const props = template.properties;
  const id = zonalId(group.project, launch.zone, 'instances', launch.name);
  const machine = findMachineType(String(props.machine_type));
  if (machine && !('problem' in machine)) requireMachineTypeInZone(machine, group.project, launch.zone, action, ['version']);
  if (cloud.get(Kind.instance, id)) throw alreadyExists(action, id);
  const subnet = props.subnetwork ? cloud.get<SubnetworkRecord>(Kind.subnetwork, props.subnetwork) : undefined;
  if (!subnet) throw notFound(action, props.subnetwork || `projects/${group.project}/regions/${group.region}/subnetworks/default`, ['version']);
  // VPC docs, Proxy-only subnets: "Proxy-only subnets are for Envoy proxies only, not for VMs".
  if ((subnet.purpose ?? 'PRIVATE') !== 'PRIVATE') {
    throw invalidField(action, 'resource.networkInterfaces[0].subnetwork', subnet.self_link,
      `Subnetwork with purpose ${subnet.purpose} cannot be used for VM instances; only subnetworks with purpose PRIVATE can.`, ['version']);
  }

  const internal = preserved(launch.config?.internal_ips, 'nic0');
  const external = preserved(launch.config?.external_ips, 'nic0');
  let privateIp: string;
  let internalAddress: string | null = null;
  if (internal?.address_id) {
    const address = preservedAddress(cloud, internal, 'INTERNAL', id, action);
    if (address.subnetwork !== subnet.id) {
      throw invalidField(action, "resource.preservedState.internalIPs['nic0'].ipAddress.address", address.self_link,
        `The address is in subnetwork '${address.subnetwork}', not in the instance's subnetwork '${subnet.id}'.`, ['preserved_state']);
    }
    privateIp = address.address;
    internalAddress = address.id;
  } else if (internal?.ip) {
    privateIp = checkInternal(cloud, subnet, internal.ip, action, "resource.preservedState.internalIPs['nic0'].ipAddress.literal", ['preserved_state']);
  } else if (launch.keepPrivateIp) {
    privateIp = launch.keepPrivateIp;
  } else {
    privateIp = allocateInternal(cloud, subnet, action);
  }

  let publicIp: string | null = null;
  let externalAddress: string | null = null;
  if (external?.address_id) {
    const address = preservedAddress(cloud, external, 'EXTERNAL', id, action);
    publicIp = address.address;
    externalAddress = address.id;
  } else if (external?.ip) {
    publicIp = external.ip;
  } else if (props.external_access) {
    publicIp = props.nat_ip ?? launch.keepPublicIp ?? allocateExternal(cloud, group.region);
  }

  const record: InstanceRecord = {
    id,
    instance_id: cloud.nextNumericId(),
    name: launch.name,
    project: group.project,
    zone: launch.zone,
    region: group.region,
    self_link: selfLink(id),
    status: 'RUNNING',
    creation_timestamp: timestamp(),
    machine_type: props.machine_type,
    network: props.network,
    subnetwork: subnet.id,
    private_ip: privateIp,
    public_ip: publicIp,
    internal_address: internalAddress,
    external_address: externalAddress,
    tags: [...props.tags],
    labels: { ...props.labels, ...group.all_labels },
    metadata: { ...props.metadata, ...group.all_metadata, ...(launch.config?.metadata ?? {}) },
    boot_image: props.boot_image,
    boot_disk_size_gb: props.boot_disk_size_gb,
    instance_template: template.id,
    instance_group_manager: group.id,
    per_instance_config: launch.config?.name ?? null,
    health: null,
  };
  return cloud.put<InstanceRecord>(Kind.instance, id, record);
}

function preserved(ips: PreservedIp[] | undefined, nic: string): PreservedIp | undefined {
  return ips?.find((p) => p.interface_name === nic);
}

/** A preserved address: it must exist, be of `type`, and not be used by another instance. */
function preservedAddress(cloud: Cloud, ip: PreservedIp, type: 'INTERNAL' | 'EXTERNAL', instanceId: string, action: string): AddressRecord {
  const address = cloud.get<AddressRecord>(Kind.address, ip.address_id as string);
  if (!address) throw notFound(action, ip.address_id as string, ['preserved_state']);
  const field = type === 'INTERNAL' ? 'internalIPs' : 'externalIPs';
  if (address.address_type !== type) {
    throw invalidField(action, `resource.preservedState.${field}['${ip.interface_name}'].ipAddress.address`, address.self_link,
      `The address is ${address.address_type}, but a preserved ${type === 'INTERNAL' ? 'internal' : 'external'} IP needs an ${type} address.`, ['preserved_state']);
  }
  const user = cloud.list<InstanceRecord>(Kind.instance, (i) => i.id !== instanceId
    && (i.internal_address === address.id || i.external_address === address.id || (type === 'INTERNAL' && i.private_ip === address.address && i.subnetwork === address.subnetwork)))[0];
  if (user) {
    throw invalidField(action, `resource.preservedState.${field}['${ip.interface_name}'].ipAddress.address`, address.self_link,
      `IP_IN_USE_BY_ANOTHER_RESOURCE - IP '${address.address}' is already being used by '${user.id}'.`, ['preserved_state']);
  }
  return address;
}

/**
 * Delete an instance. A permanent deletion (the group shrinks, the config goes, the group is
 * deleted) also releases preserved addresses whose auto_delete is ON_PERMANENT_INSTANCE_DELETION,
 * as Google does: the reason Butter keeps its reservations with NEVER.
 */
export function deleteInstance(cloud: Cloud, instance: InstanceRecord, permanent: boolean): void {
  cloud.delete(Kind.instance, instance.id);
  if (!permanent || !instance.per_instance_config) return;
  const config = groupConfigs(cloud, instance.instance_group_manager).find((c) => c.name === instance.per_instance_config);
  for (const ip of [...(config?.internal_ips ?? []), ...(config?.external_ips ?? [])]) {
    if (ip.auto_delete === 'ON_PERMANENT_INSTANCE_DELETION' && ip.address_id) cloud.delete(Kind.address, ip.address_id);
  }
}

/**
 * Recreate an instance (a template rollout, or a changed per-instance config): same name and
 * zone, the group's current template, addresses preserved by its config or by the group's
 * stateful policy, a new instance id.
 */
export function recreateInstance(cloud: Cloud, group: InstanceGroupManagerRecord, instance: InstanceRecord, action: string,
  config: PerInstanceConfigRecord | null = null): InstanceRecord {
  cloud.delete(Kind.instance, instance.id);
  return launchInstance(cloud, group, {
    name: instance.name,
    zone: instance.zone,
    config,
    keepPrivateIp: group.stateful_internal_ips.includes('nic0') ? instance.private_ip : null,
    keepPublicIp: group.stateful_external_ips.includes('nic0') ? instance.public_ip : null,
  }, action);
}

/** Group `status` as the provider reports it. */
export function groupStatus(cloud: Cloud, group: InstanceGroupManagerRecord): ObjectValue[] {
  const instances = groupInstances(cloud, group.id);
  const template = group.versions[0]?.instance_template;
  const configs = groupConfigs(cloud, group.id).length;
  return [{
    is_stable: true,
    version_target: [{ is_reached: instances.every((i) => i.instance_template === template) }],
    stateful: [{
      has_stateful_config: configs > 0 || group.stateful_internal_ips.length > 0 || group.stateful_external_ips.length > 0,
      per_instance_configs: [{ all_effective: true }],
    }],
    all_instances_config: [{ effective: true, current_revision: '' }],
  }];
}
