import { DataSourceType } from '../framework/types';
import { block, computed, optional, optionalComputed, required } from '../schema/dsl';
import { oneOf } from '../schema/validators';
import { list, map, set } from '../values/cty-type';
import { REGION_ATTRIBUTE, regionOf, stringMap, strings, timeoutsBlock } from './common';
import { applyFilters, filtersOf } from './filters';
import { InstanceRecord, Kind } from './model';

/**
 * `data "aws_instances"`: DescribeInstances by tags, states and filters. With no
 * `instance_state_names` only running instances count, as in the provider. Results come in
 * launch order, so the lists stay stable from one plan to the next.
 */
export const instancesData: DataSourceType = {
  name: 'aws_instances',
  schema: {
    attributes: {
      id: computed('string'),
      ids: computed(list('string')),
      instance_state_names: optional(set('string'), {
        validate: (v) => {
          const bad = (Array.isArray(v) ? v : []).filter((s) => typeof s !== 'string' || oneOf('pending', 'running', 'shutting-down', 'stopped', 'stopping', 'terminated')(s));
          return bad.length > 0 ? `expected instance states (pending, running, shutting-down, stopped, stopping, terminated), got ${JSON.stringify(bad)}` : undefined;
        },
      }),
      instance_tags: optionalComputed(map('string')),
      ipv6_addresses: computed(list('string')),
      private_ips: computed(list('string')),
      public_ips: computed(list('string')),
      region: REGION_ATTRIBUTE,
    },
    blocks: {
      filter: block('set', { attributes: { name: required('string'), values: required(set('string')) } }),
      timeouts: timeoutsBlock('read'),
    },
  },
  read(ctx) {
    const region = regionOf(ctx, ctx.config);
    const states = strings(ctx.config.instance_state_names);
    const wantedStates = states.length > 0 ? states : ['running'];
    const tags = stringMap(ctx.config.instance_tags);
    const tagFilters = Object.entries(tags).map(([k, v]) => ({ name: `tag:${k}`, values: [v] }));
    const found = applyFilters(
      ctx.cloud.list<InstanceRecord>(Kind.instance, (i) => i.region === region && wantedStates.includes(i.state)),
      [...tagFilters, ...filtersOf(ctx.config.filter)],
      {
        fields: {
          'availability-zone': (i) => i.availability_zone,
          'image-id': (i) => i.image_id,
          'instance-id': (i) => i.id,
          'instance-state-name': (i) => i.state,
          'instance-type': (i) => i.instance_type,
          'instance.group-id': (i) => i.security_groups,
          'ip-address': (i) => i.public_ip,
          'network-interface.addresses.private-ip-address': (i) => i.private_ip,
          'private-ip-address': (i) => i.private_ip,
          'subnet-id': (i) => i.subnet_id,
          'vpc-id': (i) => i.vpc_id,
        },
        tags: (i) => i.tags,
      },
    ).sort((a, b) => a.launch_sequence - b.launch_sequence);
    return {
      id: region,
      region,
      instance_tags: tags,
      ids: found.map((i) => i.id),
      private_ips: found.map((i) => i.private_ip),
      public_ips: found.flatMap((i) => (i.public_ip ? [i.public_ip] : [])),
      ipv6_addresses: [],
    };
  },
};
