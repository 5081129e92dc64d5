import { CloudError } from '../framework/diagnostics';
import { DataSourceType } from '../framework/types';
import { block, computed, optional, optionalComputed, required } from '../schema/dsl';
import { list, map, object, set } from '../values/cty-type';
import { ObjectValue } from '../values/value';
import { ACCOUNT_ID, REGION_ATTRIBUTE, regionOf, str, strings, timeoutsBlock } from './common';
import { applyFilters, Filter, filtersOf } from './filters';
import { imagesIn, isDeprecated, RegionalImage } from './images';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - no result, several results without most_recent, unfiltered most_recent: terraform-provider-aws, data source aws_ami
 */

/**
 * `data "aws_ami"`: DescribeImages over the mock's public images, with the provider's rules on
 * top: `owners` (account ids or the aliases `amazon`, `self`), EC2 filters with wildcards,
 * `name_regex`, and exactly one result unless `most_recent` picks the newest by creation date.
 * As in provider 6.x, `most_recent` without any owner restriction is an error unless
 * `allow_unsafe_filter` says otherwise (anyone can publish an image with a popular name).
 */

function matchesOwner(image: RegionalImage, owners: readonly string[]): boolean {
  return owners.some((o) => o === image.ownerId || (image.ownerAlias !== null && o === image.ownerAlias) || (o === 'self' && image.ownerId === ACCOUNT_ID));
}

function imageState(i: RegionalImage): ObjectValue {
  const devices: ObjectValue[] = [{
    device_name: i.rootDeviceName,
    ebs: {
      delete_on_termination: 'true',
      encrypted: 'false',
      iops: i.rootVolumeType === 'gp3' ? '3000' : '0',
      snapshot_id: i.rootSnapshotId,
      throughput: i.rootVolumeType === 'gp3' ? '125' : '0',
      volume_initialization_rate: '0',
      volume_size: String(i.rootVolumeSize),
      volume_type: i.rootVolumeType,
    },
    no_device: '',
    virtual_name: '',
  }, ...i.ephemeral.map(([device, virtualName]): ObjectValue => ({ device_name: device, ebs: {}, no_device: '', virtual_name: virtualName }))];
  return {
    id: i.id,
    image_id: i.id,
    arn: `arn:aws:ec2:${i.region}::image/${i.id}`,
    architecture: i.architecture,
    block_device_mappings: devices,
    boot_mode: i.bootMode ?? '',
    creation_date: i.creationDate,
    deprecation_time: i.deprecationTime ?? '',
    description: i.description,
    ena_support: true,
    hypervisor: 'xen',
    image_location: `${i.ownerAlias ?? i.ownerId}/${i.name}`,
    image_owner_alias: i.ownerAlias ?? '',
    image_type: 'machine',
    imds_support: i.imdsSupport ?? '',
    kernel_id: '',
    last_launched_time: '',
    name: i.name,
    owner_id: i.ownerId,
    platform: '',
    platform_details: 'Linux/UNIX',
    product_codes: [],
    public: true,
    ramdisk_id: '',
    root_device_name: i.rootDeviceName,
    root_device_type: 'ebs',
    root_snapshot_id: i.rootSnapshotId,
    sriov_net_support: 'simple',
    state: 'available',
    state_reason: { code: 'UNSET', message: 'UNSET' },
    tags: {},
    tpm_support: '',
    uefi_data: '',
    usage_operation: 'RunInstances',
    virtualization_type: 'hvm',
  };
}

/** Images matching the owners and filters of a lookup (DescribeImages). */
export function describeImages(region: string, owners: readonly string[], filters: readonly Filter[], includeDeprecated: boolean): RegionalImage[] {
  const candidates = imagesIn(region).filter((i) => (owners.length === 0 || matchesOwner(i, owners)) && (includeDeprecated || !isDeprecated(i)));
  return applyFilters(candidates, filters, {
    fields: {
      'architecture': (i) => i.architecture,
      'block-device-mapping.device-name': (i) => i.rootDeviceName,
      'block-device-mapping.volume-type': (i) => i.rootVolumeType,
      'description': (i) => i.description,
      'ena-support': () => 'true',
      'hypervisor': () => 'xen',
      'image-id': (i) => i.id,
      'image-type': () => 'machine',
      'is-public': () => 'true',
      'name': (i) => i.name,
      'owner-alias': (i) => i.ownerAlias,
      'owner-id': (i) => i.ownerId,
      'platform-details': () => 'Linux/UNIX',
      'root-device-name': (i) => i.rootDeviceName,
      'root-device-type': () => 'ebs',
      'state': () => 'available',
      'virtualization-type': () => 'hvm',
    },
  });
}

export const amiData: DataSourceType = {
  name: 'aws_ami',
  schema: {
    attributes: {
      allow_unsafe_filter: optional('bool'),
      architecture: computed('string'),
      arn: computed('string'),
      block_device_mappings: computed(set(object({ device_name: 'string', ebs: map('string'), no_device: 'string', virtual_name: 'string' }))),
      boot_mode: computed('string'),
      creation_date: computed('string'),
      deprecation_time: computed('string'),
      description: computed('string'),
      ena_support: computed('bool'),
      executable_users: optional(list('string')),
      hypervisor: computed('string'),
      id: computed('string'),
      image_id: computed('string'),
      image_location: computed('string'),
      image_owner_alias: computed('string'),
      image_type: computed('string'),
      imds_support: computed('string'),
      include_deprecated: optional('bool', { default: false }),
      kernel_id: computed('string'),
      last_launched_time: computed('string'),
      most_recent: optional('bool', { default: false }),
      name: computed('string'),
      name_regex: optional('string'),
      owner_id: computed('string'),
      owners: optional(list('string')),
      platform: computed('string'),
      platform_details: computed('string'),
      product_codes: computed(set(object({ product_code_id: 'string', product_code_type: 'string' }))),
      public: computed('bool'),
      ramdisk_id: computed('string'),
      region: REGION_ATTRIBUTE,
      root_device_name: computed('string'),
      root_device_type: computed('string'),
      root_snapshot_id: computed('string'),
      sriov_net_support: computed('string'),
      state: computed('string'),
      state_reason: computed(map('string')),
      tags: optionalComputed(map('string')),
      tpm_support: computed('string'),
      uefi_data: optionalComputed('string'),
      usage_operation: computed('string'),
      virtualization_type: computed('string'),
    },
    blocks: {
      filter: block('set', { attributes: { name: required('string'), values: required(list('string')) } }),
      timeouts: timeoutsBlock('read'),
    },
  },
  read(ctx) {
    const region = regionOf(ctx, ctx.config);
    const owners = strings(ctx.config.owners);
    const filters = filtersOf(ctx.config.filter);
    const mostRecent = ctx.config.most_recent === true;
    if (mostRecent && owners.length === 0 && !filters.some((f) => f.name === 'owner-id' || f.name === 'owner-alias' || f.name === 'image-id')) {
      const detail = '"most_recent" is set to "true" and results are not filtered by owner or image ID. With this configuration, '
        + 'a third party may introduce a new image which will be returned by this data source. Filter by owner or image ID to avoid this possibility.';
      if (ctx.config.allow_unsafe_filter === true) ctx.warn('Most Recent Image Not Filtered', { detail });
      else throw new CloudError('Most Recent Image Not Filtered', { detail });
    }
    let images = describeImages(region, owners, filters, ctx.config.include_deprecated === true);
    const nameRegex = str(ctx.config.name_regex);
    if (nameRegex !== null) {
      const re = new RegExp(nameRegex);
      images = images.filter((i) => re.test(i.name));
    }
    if (images.length === 0) {
      throw new CloudError('Your query returned no results. Please change your search criteria and try again.', {
        detail: `No public image of the Butter mock cloud in ${region} matches owners [${owners.join(', ')}] and filters `
        + `${filters.map((f) => `${f.name}=[${f.values.join(', ')}]`).join(', ')}. It has Ubuntu (jammy, noble), Debian (11, 12) and Amazon Linux (2, 2023) images, amd64/x86_64 and arm64.`,
      });
    }
    if (images.length > 1 && !mostRecent) {
      throw new CloudError('Your query returned more than one result. Please try more specific search criteria, or set `most_recent` attribute to true.');
    }
    const [chosen] = [...images].sort((a, b) => b.creationDate.localeCompare(a.creationDate));
    return { ...imageState(chosen), region };
  },
};
