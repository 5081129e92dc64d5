import { Cloud } from '../cloud/cloud';
import { AttributePath } from '../framework/diagnostics';
import { claimId, RecordStore } from '../framework/records';
import { CreateContext } from '../framework/types';
import { JsonObject, ObjectValue } from '../values/value';
import { alreadyExists, checkName, notFound, regionalId, selfLink, str, toJson } from './common';
import { regionalTarget } from './provider-config';

/**
 * The records of the simulated Google Cloud, keyed by their relative resource path
 * (`projects/p/global/networks/n`), which is also the Terraform id of most types. Each record
 * holds what Compute Engine knows about the object (the fields the rules look at) and, under
 * `attributes`, the Terraform view last written, which `read` hands back so a refresh shows
 * exactly what the cloud has.
 */

export const Kind = {
  network: 'network',
  firewall: 'firewall',
  subnetwork: 'subnetwork',
  router: 'router',
  routerNat: 'router_nat',
  address: 'address',
  instanceTemplate: 'instance_template',
  instanceGroupManager: 'instance_group_manager',
  perInstanceConfig: 'per_instance_config',
  instance: 'instance',
  healthCheck: 'health_check',
  backendService: 'backend_service',
  urlMap: 'url_map',
  targetProxy: 'target_proxy',
  forwardingRule: 'forwarding_rule',
  autoscaler: 'autoscaler',
} as const;

export interface BaseRecord extends JsonObject {
  /** Relative path, e.g. `projects/p/global/networks/n`. */
  id: string;
  project: string;
  name: string;
  self_link: string;
  creation_timestamp: string;
  /** The Terraform state of the managing resource (empty for objects Google made itself). */
  attributes: JsonObject;
}

export interface NetworkRecord extends BaseRecord {
  numeric_id: string;
  auto_create_subnetworks: boolean;
  mtu: number;
}

export interface FirewallRecord extends BaseRecord {
  network: string;
  direction: string;
  priority: number;
}

export interface SubnetworkRecord extends BaseRecord {
  region: string;
  /** PRIVATE (instances), REGIONAL_MANAGED_PROXY (proxy-only), ... (records written before it: read as PRIVATE). */
  purpose: string;
  /** ACTIVE or BACKUP for proxy-only subnetworks, else null. */
  role: string | null;
  network: string;
  ip_cidr_range: string;
  secondary_ranges: string[];
  /** Made by Google for an auto-mode network (deleted with it). */
  auto: boolean;
  gateway_address: string;
}

export interface RouterRecord extends BaseRecord {
  region: string;
  network: string;
}

export interface RouterNatRecord extends BaseRecord {
  region: string;
  /** The router's id. */
  router: string;
  /** Ids of the reserved addresses the NAT uses. */
  nat_ips: string[];
}

export interface AddressRecord extends BaseRecord {
  region: string;
  address: string;
  address_type: 'INTERNAL' | 'EXTERNAL';
  purpose: string;
  network_tier: string;
  /** Subnetwork id (internal addresses). */
  subnetwork: string | null;
  /** Network id (internal addresses). */
  network: string | null;
}

/** What an instance template gives every instance made from it. */
export interface TemplateProperties extends JsonObject {
  machine_type: string;
  /** Metadata as instances receive it (`metadata_startup_script` folded in as `startup-script`). */
  metadata: Record<string, string>;
  tags: string[];
  labels: Record<string, string>;
  network: string;
  subnetwork: string;
  /** The first interface has an access config (an external IP). */
  external_access: boolean;
  /** The access config's fixed nat_ip, if any. */
  nat_ip: string | null;
  network_tier: string;
  boot_image: string;
  boot_disk_size_gb: number;
  boot_disk_type: string;
  can_ip_forward: boolean;
  service_account: string | null;
}

export interface InstanceTemplateRecord extends BaseRecord {
  numeric_id: string;
  self_link_unique: string;
  properties: TemplateProperties;
}

export interface GroupVersion extends JsonObject {
  name: string | null;
  /** Template id. */
  instance_template: string;
}

export interface InstanceGroupManagerRecord extends BaseRecord {
  region: string;
  numeric_id: number;
  base_instance_name: string;
  zones: string[];
  /** The live target size: what Google maintains (per-instance configs add to it). */
  target_size: number;
  versions: GroupVersion[];
  update_type: string;
  minimal_action: string;
  replacement_method: string;
  redistribution: string;
  /** Interfaces whose IPs the stateful policy preserves. */
  stateful_internal_ips: string[];
  stateful_external_ips: string[];
  /** Metadata and labels from `all_instances_config`. */
  all_metadata: Record<string, string>;
  all_labels: Record<string, string>;
  fingerprint: string;
  /** `named_port`s (name → port); records written before them: none. */
  named_ports: { name: string; port: number }[];
  /** The autohealing health check's id, or null. */
  autohealing: string | null;
}

/** A preserved IP of a per-instance config, resolved. */
export interface PreservedIp extends JsonObject {
  interface_name: string;
  auto_delete: string;
  /** The reserved address's id, when the config names one. */
  address_id: string | null;
  /** The literal IP (the reservation's address, or the one written). */
  ip: string | null;
}

export interface PerInstanceConfigRecord extends BaseRecord {
  region: string;
  /** The group's id. */
  group: string;
  internal_ips: PreservedIp[];
  external_ips: PreservedIp[];
  metadata: Record<string, string>;
}

export interface InstanceRecord extends JsonObject {
  /** `projects/p/zones/z/instances/name`. */
  id: string;
  /** Google's numeric instance id (changes when the instance is recreated). */
  instance_id: string;
  name: string;
  project: string;
  zone: string;
  region: string;
  self_link: string;
  status: 'RUNNING';
  creation_timestamp: string;
  machine_type: string;
  network: string;
  subnetwork: string;
  /** The private (internal) IP of nic0. */
  private_ip: string;
  /** The external IP of nic0's access config, or null. */
  public_ip: string | null;
  /** Ids of the reserved addresses the instance uses, if any. */
  internal_address: string | null;
  external_address: string | null;
  tags: string[];
  labels: Record<string, string>;
  /** Metadata as the instance received it (`startup-script`, `user-data`, ...). */
  metadata: Record<string, string>;
  boot_image: string;
  boot_disk_size_gb: number;
  /** Template id the instance was made from. */
  instance_template: string;
  /** Group id. */
  instance_group_manager: string;
  /** Name of the per-instance config pinning it, or null. */
  per_instance_config: string | null;
  /**
   * What the load balancers whose backend services hold the instance's group see of it:
   * HEALTHY or UNHEALTHY (kept up to date after every apply, see backend-health.ts); null
   * when no backend service uses the group.
   */
  health: 'HEALTHY' | 'UNHEALTHY' | null;
}

/** A health check (regional, or global when `region` is null). */
export interface HealthCheckRecord extends BaseRecord {
  region: string | null;
  /** TCP, HTTP, HTTPS, HTTP2, SSL or GRPC. */
  type: string;
  /** The port probed, or null when it is the serving port (port_name / USE_SERVING_PORT). */
  port: number | null;
  port_name: string | null;
}

export interface BackendServiceRecord extends BaseRecord {
  region: string;
  scheme: string;
  protocol: string;
  port_name: string | null;
  /** Health check ids. */
  health_checks: string[];
  /** Instance group manager ids of the backends. */
  groups: string[];
  network: string | null;
}

export interface UrlMapRecord extends BaseRecord {
  region: string;
  /** Backend service ids the map routes to. */
  services: string[];
}

export interface TargetProxyRecord extends BaseRecord {
  region: string;
  /** `targetHttpProxies` or `targetHttpsProxies`. */
  collection: string;
  url_map: string;
}

export interface ForwardingRuleRecord extends BaseRecord {
  region: string;
  scheme: string;
  ip_address: string;
  /** Target proxy id or backend service id. */
  target: string | null;
  backend_service: string | null;
  network: string | null;
  subnetwork: string | null;
}

export interface AutoscalerRecord extends BaseRecord {
  region: string;
  /** The group's id. */
  target: string;
  min: number;
  max: number;
}

/** The record, or Google's 404 for it. */
export function mustGet<T extends JsonObject>(cloud: Cloud, kind: string, id: string, action: string, path?: AttributePath): T {
  const found = cloud.get<T>(kind, id);
  if (!found) throw notFound(action, id, path);
  return found;
}

/**
 * A {@link RecordStore} of Compute Engine objects: found by the state's id (the relative path),
 * with Google's 404 on update and 409 on create for the type's action names.
 */
export function storedRecords<R extends BaseRecord>(kind: string, action: { create: string; update: string }): RecordStore<R> {
  return {
    kind,
    find: (ctx, state) => ctx.cloud.get<R>(kind, str(state.id) ?? ''),
    notFound: (id) => notFound(action.update, id),
    alreadyExists: (id) => alreadyExists(action.create, id),
  };
}

/**
 * The prologue of a regional type's create: project and region (which must exist), a valid name,
 * and the id under `collection`, which no object of `store` may hold yet.
 */
export function newRegional<R extends BaseRecord>(ctx: CreateContext, store: RecordStore<R>, collection: string, action: string): {
  project: string; region: string; name: string; id: string;
} {
  const { project, region } = regionalTarget(ctx, ctx.planned, action);
  const name = str(ctx.planned.name) as string;
  checkName(action, name);
  const id = regionalId(project, region, collection, name);
  claimId(ctx, store, id);
  return { project, region, name, id };
}

/** A new record (with the Terraform state it was created with) stored; the state. */
export function putRecord<R extends BaseRecord>(cloud: Cloud, store: RecordStore<R>, record: Omit<R, 'attributes' | 'self_link' | 'creation_timestamp'> & { id: string },
  state: ObjectValue): ObjectValue {
  cloud.put<R>(store.kind, record.id, {
    ...record, self_link: selfLink(record.id), creation_timestamp: str(state.creation_timestamp) ?? '', attributes: toJson(state),
  } as R);
  return state;
}

/** The record again with the state Terraform gets (records keep it as `attributes`); the state. */
export function saveState<R extends BaseRecord>(
  cloud: Cloud, store: RecordStore<R>, record: R, state: ObjectValue, changes: Partial<R> = {},
): ObjectValue {
  cloud.put<R>(store.kind, record.id, { ...record, ...changes, attributes: toJson(state) });
  return state;
}
