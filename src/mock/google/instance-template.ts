import { Cloud } from '../cloud/cloud';
import { CloudError } from '../framework/diagnostics';
import { ResourceType } from '../framework/types';
import { block, computed, NestedBlockSpec, optional, optionalComputed, required } from '../schema/dsl';
import { oneOf } from '../schema/validators';
import { list, map, set } from '../values/cty-type';
import { isUnknown } from '../values/unknown';
import { ObjectValue } from '../values/value';
import {
  alreadyExists, apiError, checkLabels, checkName, fingerprint, finish, first, globalId, globalRef, hashHex, inUse, invalidField, notFound, num,
  objects, orElse, projectNumber, same, regionalRef, selfLink, str, stringMap, strings, timeoutsBlock, timestamp, toJson,
  validName, readStoredState } from './common';
import { ImageFacts, imageSelfLink, resolveImage } from './images';
import { containsIp, parseBlock } from './ipv4';
import { findAccelerator, requireMachineType } from './machine-types';
import { InstanceGroupManagerRecord, InstanceTemplateRecord, Kind, NetworkRecord, SubnetworkRecord, TemplateProperties } from './model';
import { labelAttributes, planLabels, planLocation, PROJECT_ATTRIBUTE, projectOf, REGION_ATTRIBUTE, regionOf } from './provider-config';
import { zonesOf } from './regions';
import { globalForms, importable } from './resource-import';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - machine types (the API's list, data/machine-types.ts), images and their architecture, network tags (at most 64, RFC 1035), metadata keys and sizes (256 KB a value, 512 KB in all; Compute Engine API reference, Metadata.items), GPUs only on N1 and never with live migration: Compute Engine docs, Machine families, Public images, Add network tags, About VM metadata (Limitations), GPUs (Handling host maintenance)
 */

/**
 * `google_compute_instance_template`: immutable, as in Compute Engine, so any change replaces it.
 * The one update is the provider's own: `labels` and `terraform_labels` are its views of the
 * template's labels, and when they change while the labels themselves (`effective_labels`) stay,
 * as after an import, only the state changes. `name_prefix` gets a unique suffix, so a
 * replacement can be created before the old template goes (create_before_destroy). On creation
 * the template is checked as Google checks it: machine type (Butter's catalog and valid custom
 * types), boot disk first and at least as large as its image, image and architecture, disk
 * types, subnetwork and network, network tags, metadata keys and size, GPUs (attachable series,
 * TERMINATE on maintenance). A template a managed instance group still uses cannot be deleted.
 */

const ACTION = { create: 'creating instance template', delete: 'deleting instance template' };

/** What may change without replacing the template: the provider's views of its labels, timeouts. */
const STATE_ONLY = new Set(['labels', 'terraform_labels', 'timeouts']);

/**
 * Import: the provider never reads `name_prefix` back (a configuration with one plans a
 * replacement after an import unless it ignores changes to it), and reports the startup script
 * as `metadata_startup_script` only when the state already does (else it stays in `metadata`).
 */
const imports = importable({
  ...globalForms('instanceTemplates'),
  configOnly: { name_prefix: null, timeouts: null },
  labels: true,
  adjust(view, state) {
    const script = str(view.metadata_startup_script);
    if (script === null || str(state.metadata_startup_script) !== null) return view;
    return { ...view, metadata: { ...stringMap(view.metadata), 'startup-script': script }, metadata_startup_script: null };
  },
}, readStoredState(Kind.instanceTemplate));

const DISK_TYPES = ['pd-standard', 'pd-balanced', 'pd-ssd', 'pd-extreme', 'hyperdisk-balanced', 'hyperdisk-extreme', 'hyperdisk-throughput', 'local-ssd'];

/**
 * Metadata limits, as the Compute Engine API reference states them (Metadata.items: "keys must
 * conform to [a-zA-Z0-9-_]+ and be less than 128 bytes", "values ... less than or equal to
 * 262144 bytes (256 KiB)", "the total size of all keys and values must be less than 512 KB";
 * https://cloud.google.com/compute/docs/reference/rest/v1/instances, checked 2026-12-06). The
 * API's key check is the regex '[a-zA-Z0-9-_]{1,128}' its error quotes.
 */
const METADATA_KEY = /^[a-zA-Z0-9_-]{1,128}$/;
const METADATA_TOTAL_BYTES = 512 * 1024;
const METADATA_VALUE_BYTES = 256 * 1024;

const encryptionKey = (raw: boolean): NestedBlockSpec => block('list', {
  attributes: {
    kms_key_self_link: optional('string'),
    kms_key_service_account: optional('string'),
    ...(raw ? { raw_key: optional('string', { sensitive: true }), rsa_encrypted_key: optional('string', { sensitive: true }) } : {}),
  },
}, { maxItems: 1 });

const duration = (): NestedBlockSpec => block('list', { attributes: { seconds: required('number'), nanos: optional('number') } }, { maxItems: 1 });

export const instanceTemplate: ResourceType = {
  name: 'google_compute_instance_template',
  schema: {
    attributes: {
      name: optionalComputed('string'),
      name_prefix: optionalComputed('string'),
      machine_type: required('string'),
      description: optional('string'),
      instance_description: optional('string'),
      can_ip_forward: optional('bool', { default: false }),
      key_revocation_action_type: optional('string', { validate: oneOf('NONE', 'STOP', '') }),
      metadata: optional(map('string')),
      metadata_startup_script: optional('string'),
      min_cpu_platform: optional('string'),
      resource_manager_tags: optional(map('string')),
      resource_policies: optional(list('string')),
      tags: optional(set('string')),
      region: REGION_ATTRIBUTE,
      project: PROJECT_ATTRIBUTE,
      ...labelAttributes(),
      id: optionalComputed('string'),
      creation_timestamp: computed('string'),
      metadata_fingerprint: computed('string'),
      numeric_id: computed('string'),
      self_link: computed('string'),
      self_link_unique: computed('string'),
      tags_fingerprint: computed('string'),
    },
    blocks: {
      disk: block('list', {
        attributes: {
          auto_delete: optional('bool', { default: true }),
          boot: optionalComputed('bool'),
          device_name: optionalComputed('string'),
          disk_name: optional('string'),
          disk_size_gb: optionalComputed('number'),
          disk_type: optionalComputed('string'),
          interface: optionalComputed('string'),
          mode: optionalComputed('string'),
          type: optionalComputed('string'),
          source: optional('string'),
          source_image: optionalComputed('string'),
          source_snapshot: optional('string'),
          architecture: optionalComputed('string'),
          provisioned_iops: optionalComputed('number'),
          provisioned_throughput: optionalComputed('number'),
          guest_os_features: optional(list('string')),
          labels: optional(map('string')),
          resource_manager_tags: optional(map('string')),
          resource_policies: optional(list('string')),
        },
        blocks: {
          disk_encryption_key: encryptionKey(false),
          source_image_encryption_key: encryptionKey(true),
          source_snapshot_encryption_key: encryptionKey(true),
        },
      }, { minItems: 1 }),
      network_interface: block('list', {
        attributes: {
          network: optionalComputed('string'),
          subnetwork: optionalComputed('string'),
          subnetwork_project: optionalComputed('string'),
          network_ip: optional('string'),
          nic_type: optional('string', { validate: oneOf('GVNIC', 'VIRTIO_NET', 'IDPF', 'MRDMA', 'IRDMA') }),
          queue_count: optional('number'),
          stack_type: optionalComputed('string'),
          internal_ipv6_prefix_length: optionalComputed('number'),
          ipv6_address: optionalComputed('string'),
          ipv6_access_type: computed('string'),
          name: computed('string'),
        },
        blocks: {
          access_config: block('list', {
            attributes: {
              nat_ip: optionalComputed('string'),
              network_tier: optionalComputed('string', { validate: oneOf('PREMIUM', 'STANDARD') }),
              public_ptr_domain_name: computed('string'),
            },
          }),
          alias_ip_range: block('list', { attributes: { ip_cidr_range: required('string'), subnetwork_range_name: optional('string') } }),
          ipv6_access_config: block('list', {
            attributes: {
              network_tier: required('string'),
              external_ipv6: computed('string'),
              external_ipv6_prefix_length: computed('string'),
              name: computed('string'),
              public_ptr_domain_name: computed('string'),
            },
          }),
        },
      }),
      guest_accelerator: block('list', { attributes: { type: required('string'), count: required('number') } }),
      scheduling: block('list', {
        attributes: {
          automatic_restart: optional('bool', { default: true }),
          on_host_maintenance: optionalComputed('string', { validate: oneOf('MIGRATE', 'TERMINATE') }),
          preemptible: optional('bool', { default: false }),
          provisioning_model: optionalComputed('string', { validate: oneOf('STANDARD', 'SPOT') }),
          instance_termination_action: optional('string'),
          min_node_cpus: optional('number'),
          availability_domain: optional('number'),
          termination_time: optional('string'),
        },
        blocks: {
          node_affinities: block('set', { attributes: { key: required('string'), operator: required('string'), values: required(set('string')) } }),
          local_ssd_recovery_timeout: duration(),
          max_run_duration: duration(),
          on_instance_stop_action: block('list', { attributes: { discard_local_ssd: optional('bool') } }, { maxItems: 1 }),
        },
      }, { maxItems: 1 }),
      service_account: block('list', { attributes: { email: optionalComputed('string'), scopes: required(set('string')) } }, { maxItems: 1 }),
      shielded_instance_config: block('list', {
        attributes: {
          enable_secure_boot: optional('bool', { default: false }),
          enable_vtpm: optional('bool', { default: true }),
          enable_integrity_monitoring: optional('bool', { default: true }),
        },
      }, { maxItems: 1 }),
      advanced_machine_features: block('list', {
        attributes: {
          enable_nested_virtualization: optional('bool'),
          enable_uefi_networking: optional('bool'),
          performance_monitoring_unit: optional('string'),
          threads_per_core: optional('number'),
          turbo_mode: optional('string'),
          visible_core_count: optional('number'),
        },
      }, { maxItems: 1 }),
      confidential_instance_config: block('list', {
        attributes: { enable_confidential_compute: optional('bool'), confidential_instance_type: optional('string') },
      }, { maxItems: 1 }),
      network_performance_config: block('list', { attributes: { total_egress_bandwidth_tier: required('string') } }, { maxItems: 1 }),
      reservation_affinity: block('list', {
        attributes: { type: required('string') },
        blocks: { specific_reservation: block('list', { attributes: { key: required('string'), values: required(list('string')) } }, { maxItems: 1 }) },
      }, { maxItems: 1 }),
      timeouts: timeoutsBlock('create', 'delete'),
    },
  },

  validate(ctx) {
    const { name, name_prefix: prefix } = ctx.config;
    if (typeof name === 'string' && typeof prefix === 'string') {
      ctx.error('Conflicting configuration arguments', { detail: '"name": conflicts with name_prefix', path: ['name'] });
    }
    if (typeof prefix === 'string' && prefix.length > 54) {
      ctx.error(`"name_prefix" cannot be longer than 54 characters, name is limited to 63`, { path: ['name_prefix'] });
    }
    const meta = ctx.config.metadata;
    if (typeof ctx.config.metadata_startup_script === 'string' && meta !== null && !isUnknown(meta)
      && typeof (meta as ObjectValue)['startup-script'] === 'string') {
      ctx.error('Cannot provide both metadata_startup_script and metadata.startup-script.', { path: ['metadata_startup_script'] });
    }
  },

  plan(ctx) {
    planLocation(ctx, true);
    planLabels(ctx);
    if (!ctx.prior) return;
    // Immutable: any other change replaces it, also one the provider computes (the labels, when
    // default_labels change).
    for (const name of Object.keys(ctx.planned)) {
      if (!STATE_ONLY.has(name) && !same(ctx.prior[name], ctx.planned[name])) ctx.requireReplace([name]);
    }
  },

  create(ctx) {
    const p = ctx.planned;
    const project = projectOf(ctx, p, ACTION.create);
    const region = regionOf(ctx, p, ACTION.create);
    const name = str(p.name) ?? uniqueName(ctx.cloud, str(p.name_prefix));
    checkName(ACTION.create, name);
    const id = globalId(project, 'instanceTemplates', name);
    if (ctx.cloud.get(Kind.instanceTemplate, id)) throw alreadyExists(ACTION.create, id);
    checkLabels(ACTION.create, stringMap(p.labels), 'resource.properties.labels');

    const zone = zonesOf(region)[0] ?? `${region}-a`;
    const machine = requireMachineType(str(p.machine_type) as string, ACTION.create, 'resource.properties.machineType', zone, ['machine_type']);
    const disks = completeDisks(p, project, machine.architecture);
    const nics = completeInterfaces(ctx.cloud, p, project, region);
    checkTags(strings(p.tags));
    const metadata = effectiveMetadata(p);
    checkAccelerators(p, machine.name, machine.acceptsAccelerators === true);

    const numericId = ctx.cloud.nextNumericId();
    const account = objects(p.service_account).map((s) => ({
      ...s, email: str(s.email) === 'default' || orElse(s.email, null) === null ? `${projectNumber(project)}-compute@developer.gserviceaccount.com` : s.email,
    }));
    const preemptible = objects(p.scheduling).some((s) => s.preemptible === true);
    const state = finish(p, {
      ...p,
      id,
      name,
      name_prefix: orElse(p.name_prefix, null),
      project,
      region,
      self_link: selfLink(id),
      self_link_unique: `${selfLink(id)}?uniqueId=${numericId}`,
      numeric_id: numericId,
      creation_timestamp: timestamp(),
      metadata_fingerprint: fingerprint(metadata),
      tags_fingerprint: fingerprint(strings(p.tags)),
      disk: disks.map((d) => d.state),
      network_interface: nics.map((n) => n.state),
      service_account: Array.isArray(p.service_account) ? account : p.service_account,
      scheduling: Array.isArray(p.scheduling)
        ? objects(p.scheduling).map((s) => ({
          ...s,
          on_host_maintenance: orElse(s.on_host_maintenance, preemptible || objects(p.guest_accelerator).length > 0 ? 'TERMINATE' : 'MIGRATE'),
          provisioning_model: orElse(s.provisioning_model, preemptible ? 'SPOT' : 'STANDARD'),
        }))
        : p.scheduling,
    });

    const boot = disks[0];
    const nic = nics[0];
    const properties: TemplateProperties = {
      machine_type: machine.name,
      metadata,
      tags: strings(p.tags),
      labels: stringMap(state.effective_labels),
      network: nic?.network ?? '',
      subnetwork: nic?.subnetwork ?? '',
      external_access: nic ? objects(nic.state.access_config).length > 0 : false,
      nat_ip: nic ? (str(first(nic.state.access_config)?.nat_ip) || null) : null,
      network_tier: nic ? (str(first(nic.state.access_config)?.network_tier) ?? 'PREMIUM') : 'PREMIUM',
      boot_image: boot.image ? imageSelfLink(boot.image) : '',
      boot_disk_size_gb: num(boot.state.disk_size_gb) ?? 10,
      boot_disk_type: str(boot.state.disk_type) ?? 'pd-standard',
      can_ip_forward: p.can_ip_forward === true,
      service_account: str(account[0]?.email) ?? null,
    };
    ctx.cloud.put<InstanceTemplateRecord>(Kind.instanceTemplate, id, {
      id, project, name, self_link: selfLink(id), creation_timestamp: str(state.creation_timestamp) as string,
      numeric_id: numericId, self_link_unique: str(state.self_link_unique) as string, properties, attributes: toJson(state),
    });
    return state;
  },

  import: imports.import,
  read: imports.read,

  update(ctx) {
    // Only the state's label views changed (see STATE_ONLY): Compute Engine is not called.
    const id = str(ctx.prior.id) as string;
    const record = ctx.cloud.get<InstanceTemplateRecord>(Kind.instanceTemplate, id);
    if (!record) throw notFound('updating instance template', id);
    const state = finish(ctx.planned, ctx.planned);
    ctx.cloud.put<InstanceTemplateRecord>(Kind.instanceTemplate, id, { ...record, attributes: toJson(state) });
    return state;
  },

  delete(ctx) {
    const id = str(ctx.state.id) as string;
    if (!ctx.cloud.get(Kind.instanceTemplate, id)) return;
    const group = ctx.cloud.list<InstanceGroupManagerRecord>(Kind.instanceGroupManager,
      (g) => g.versions.some((v) => v.instance_template === id))[0];
    if (group) throw inUse(ACTION.delete, 'instance_template', id, group.id);
    ctx.cloud.delete(Kind.instanceTemplate, id);
  },
};

/**
 * A name from `name_prefix`, as the provider makes one: the prefix and a 26-character suffix
 * (a timestamp and a counter), or a shorter 8-character one for prefixes over 37 characters.
 * Without a prefix the provider's default is `terraform-` and a suffix.
 */
function uniqueName(cloud: Cloud, prefix: string | null): string {
  const seed = cloud.nextNumericId();
  const p = prefix ?? 'terraform-';
  if (p.length > 37) return `${p}${hashHex(seed, 8)}`;
  const stamp = new Date().toISOString().replace(/[-:TZ.]/g, '').slice(0, 17);
  return `${p}${stamp}0${seed.slice(-8)}`;
}

interface CompletedDisk {
  readonly state: ObjectValue;
  readonly image: ImageFacts | null;
}

/** Disks with the values Google fills in, after its checks. */
function completeDisks(p: ObjectValue, project: string, machineArchitecture: string): CompletedDisk[] {
  const disks = objects(p.disk);
  const field = (i: number, f: string) => `resource.properties.disks[${i}].${f}`;
  return disks.map((d, i): CompletedDisk => {
    const boot = orElse(d.boot, i === 0) === true;
    if (boot && i > 0) throw invalidField(ACTION.create, field(i, 'boot'), 'true', 'Boot disk must be the first disk attached to the instance.', ['disk', i, 'boot']);
    if (!boot && i === 0) throw invalidField(ACTION.create, field(0, 'boot'), 'false', 'The first disk must be the boot disk.', ['disk', 0, 'boot']);
    const type = str(d.type) ?? 'PERSISTENT';
    const diskType = str(d.disk_type) ?? (type === 'SCRATCH' ? 'local-ssd' : 'pd-standard');
    if (!DISK_TYPES.includes(diskType)) {
      throw invalidField(ACTION.create, field(i, 'initializeParams.diskType'), diskType,
        `Disk type '${diskType}' does not exist; use one of ${DISK_TYPES.join(', ')}.`, ['disk', i, 'disk_type']);
    }
    const imageRef = str(d.source_image);
    const image = imageRef ? resolveImage(imageRef, project, ACTION.create, ['disk', i, 'source_image']) : null;
    if (boot && !image && !str(d.source) && !str(d.source_snapshot)) {
      throw invalidField(ACTION.create, field(i, 'initializeParams.sourceImage'), '', 'A boot disk needs a source image, snapshot or disk.', ['disk', i]);
    }
    if (image && image.architecture.toLowerCase() !== machineArchitecture.toLowerCase()) {
      throw invalidField(ACTION.create, field(i, 'initializeParams.sourceImage'), imageRef as string,
        `The image's architecture (${image.architecture}) is not compatible with the machine type's (${machineArchitecture.toUpperCase()}).`,
        ['disk', i, 'source_image']);
    }
    const size = num(d.disk_size_gb) ?? image?.diskSizeGb ?? (type === 'SCRATCH' ? 375 : null);
    if (size === null && !str(d.source)) {
      throw invalidField(ACTION.create, field(i, 'initializeParams.diskSizeGb'), '0', 'A blank disk needs a size.', ['disk', i, 'disk_size_gb']);
    }
    if (image && size !== null && size < image.diskSizeGb) {
      throw invalidField(ACTION.create, field(i, 'initializeParams.diskSizeGb'), String(size),
        `Requested disk size cannot be smaller than the image size (${image.diskSizeGb} GB).`, ['disk', i, 'disk_size_gb']);
    }
    if (size !== null && (size < 1 || size > 65536)) {
      throw invalidField(ACTION.create, field(i, 'initializeParams.diskSizeGb'), String(size), 'Disk size must be from 1 to 65536 GB.', ['disk', i, 'disk_size_gb']);
    }
    const deviceName = str(d.device_name);
    if (deviceName !== null && !validName(deviceName)) {
      throw invalidField(ACTION.create, field(i, 'deviceName'), deviceName, "Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'", ['disk', i, 'device_name']);
    }
    return {
      image,
      state: {
        ...d,
        boot,
        type,
        disk_type: diskType,
        disk_size_gb: size ?? orElse(d.disk_size_gb, null),
        device_name: orElse(d.device_name, `persistent-disk-${i}`),
        interface: orElse(d.interface, type === 'SCRATCH' ? 'NVME' : 'SCSI'),
        mode: orElse(d.mode, 'READ_WRITE'),
        source_image: orElse(d.source_image, ''),
        architecture: orElse(d.architecture, image?.architecture ?? ''),
        provisioned_iops: orElse(d.provisioned_iops, 0),
        provisioned_throughput: orElse(d.provisioned_throughput, 0),
      },
    };
  });
}

interface CompletedInterface {
  readonly state: ObjectValue;
  /** Network and subnetwork ids. */
  readonly network: string;
  readonly subnetwork: string;
}

/** Network interfaces: the subnetwork (in the template's region) and network must exist and agree. */
function completeInterfaces(cloud: Cloud, p: ObjectValue, project: string, region: string): CompletedInterface[] {
  return objects(p.network_interface).map((n, i): CompletedInterface => {
    const path = ['network_interface', i];
    const subnetProject = str(n.subnetwork_project) ?? project;
    let subnet: SubnetworkRecord | undefined;
    const subnetRef = str(n.subnetwork);
    if (subnetRef) {
      const r = regionalRef(subnetRef, 'subnetworks', subnetProject, region);
      if (!r) throw invalidField(ACTION.create, `resource.properties.networkInterfaces[${i}].subnetwork`, subnetRef, 'Must be a subnetwork URL or name.', [...path, 'subnetwork']);
      subnet = cloud.get<SubnetworkRecord>(Kind.subnetwork, r.id);
      if (!subnet) throw notFound(ACTION.create, r.id, [...path, 'subnetwork']);
    }
    const networkRef = str(n.network);
    let networkId = subnet?.network;
    if (networkRef) {
      const r = globalRef(networkRef, 'networks', project);
      if (!r || !cloud.get<NetworkRecord>(Kind.network, r.id)) throw notFound(ACTION.create, r?.id ?? networkRef, [...path, 'network']);
      if (subnet && subnet.network !== r.id) {
        throw invalidField(ACTION.create, `resource.properties.networkInterfaces[${i}].subnetwork`, subnetRef as string,
          `The subnetwork does not belong to network '${r.id}'.`, [...path, 'subnetwork']);
      }
      networkId = r.id;
    }
    if (!networkId) {
      // Neither given: Google uses the project's "default" network, which the mock project lacks.
      const fallback = globalId(project, 'networks', 'default');
      if (!cloud.get(Kind.network, fallback)) throw notFound(ACTION.create, fallback, [...path, 'network']);
      networkId = fallback;
    }
    const ip = str(n.network_ip);
    if (ip && subnet && !containsIp(parseBlock(subnet.ip_cidr_range), ip)) {
      throw invalidField(ACTION.create, `resource.properties.networkInterfaces[${i}].networkIP`, ip,
        `Requested internal IP is outside the subnetwork CIDR range (${subnet.ip_cidr_range}).`, [...path, 'network_ip']);
    }
    return {
      network: networkId,
      subnetwork: subnet?.id ?? '',
      state: {
        ...n,
        network: orElse(n.network, selfLink(networkId)),
        subnetwork: orElse(n.subnetwork, subnet ? selfLink(subnet.id) : ''),
        subnetwork_project: orElse(n.subnetwork_project, subnetProject),
        stack_type: orElse(n.stack_type, 'IPV4_ONLY'),
        internal_ipv6_prefix_length: orElse(n.internal_ipv6_prefix_length, 0),
        ipv6_address: orElse(n.ipv6_address, ''),
        ipv6_access_type: '',
        name: `nic${i}`,
        access_config: objects(n.access_config).map((a) => ({
          ...a, nat_ip: orElse(a.nat_ip, ''), network_tier: orElse(a.network_tier, 'PREMIUM'), public_ptr_domain_name: '',
        })),
        ipv6_access_config: objects(n.ipv6_access_config).map((a) => ({
          ...a, external_ipv6: '', external_ipv6_prefix_length: '', name: 'external-ipv6', public_ptr_domain_name: '',
        })),
      },
    };
  });
}

/** Network tags are RFC 1035 names, at most 64 of them. */
function checkTags(tags: string[]): void {
  tags.forEach((tag, i) => {
    if (!validName(tag)) {
      throw invalidField(ACTION.create, `resource.properties.tags.items[${i}]`, tag, "Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'", ['tags']);
    }
  });
  if (tags.length > 64) throw invalidField(ACTION.create, 'resource.properties.tags.items', String(tags.length), 'At most 64 tags are allowed.', ['tags']);
}

/**
 * The metadata instances receive (`metadata_startup_script` becomes `startup-script`), checked.
 * Items are numbered in key order (the provider sends a map; the index only appears in errors).
 */
function effectiveMetadata(p: ObjectValue): Record<string, string> {
  const metadata = stringMap(p.metadata);
  const script = str(p.metadata_startup_script);
  if (script !== null) metadata['startup-script'] = script;
  let total = 0;
  Object.keys(metadata).sort().forEach((k, i) => {
    const v = metadata[k];
    if (!METADATA_KEY.test(k)) {
      // The API's text, two spaces included (hashicorp/terraform issue 757: "Invalid value for field
      // 'resource.metadata.items[1].key': '#'.  Must be a match of regex '[a-zA-Z0-9-_]{1,128}', invalid").
      throw apiError(ACTION.create, 400, `Invalid value for field 'resource.properties.metadata.items[${i}].key': '${k}'.  Must be a match of regex '[a-zA-Z0-9-_]{1,128}'`,
        'invalid', ['metadata']);
    }
    // The API's text for a value over the limit (kubernetes/kubernetes issue 37180, when the limit was
    // 32768: "Value for field 'resource.properties.metadata.items[2].value' is too large: maximum size
    // 32768 character(s); actual size 33595."); the limit is 262144 bytes now.
    const size = Buffer.byteLength(v);
    if (size > METADATA_VALUE_BYTES) {
      throw apiError(ACTION.create, 400,
        `Value for field 'resource.properties.metadata.items[${i}].value' is too large: maximum size ${METADATA_VALUE_BYTES} character(s); actual size ${size}.`,
        'invalid', ['metadata']);
    }
    total += Buffer.byteLength(k) + size;
  });
  if (total > METADATA_TOTAL_BYTES) {
    // No public record of the API's own text for the total was found; this one names the limit.
    throw invalidField(ACTION.create, 'resource.properties.metadata', `${total} bytes`, 'Metadata total size must not exceed 512 KB.', ['metadata']);
  }
  return metadata;
}

/** GPUs attach only to series that take them, and such instances cannot live-migrate. */
function checkAccelerators(p: ObjectValue, machine: string, accepts: boolean): void {
  objects(p.guest_accelerator).forEach((g, i) => {
    const type = str(g.type) as string;
    if (!findAccelerator(type)) {
      throw invalidField(ACTION.create, `resource.properties.guestAccelerators[${i}].acceleratorType`, type,
        `Accelerator type '${type}' does not exist.`, ['guest_accelerator', i, 'type']);
    }
    if (!accepts) {
      throw invalidField(ACTION.create, `resource.properties.guestAccelerators[${i}].acceleratorType`, type,
        `Machine type '${machine}' does not support attached accelerators.`, ['guest_accelerator', i, 'type']);
    }
    const maintenance = str(first(p.scheduling)?.on_host_maintenance);
    if ((num(g.count) ?? 0) > 0 && maintenance !== 'TERMINATE') {
      throw new CloudError(`Error ${ACTION.create}: googleapi: Error 400: Instances with guest accelerators do not support live migration., badRequest`,
        { path: ['scheduling'] });
    }
  });
}
