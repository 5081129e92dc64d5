import { DataSourceType } from '../framework/types';
import { block, computed, optional, required } from '../schema/dsl';
import { oneOf } from '../schema/validators';
import { list, set } from '../values/cty-type';
import { REGION_ATTRIBUTE, regionOf, str, strings, timeoutsBlock } from './common';
import { applyFilters, filtersOf } from './filters';
import { regionOrGeneric } from './regions';

/**
 * `data "aws_availability_zones"`: DescribeAvailabilityZones. Without `all_availability_zones`
 * only zones the account may use are listed (local zones need opting in, and the mock account
 * has not), then `state`, filters and exclusions narrow it down; names and ids in name order.
 */
export const availabilityZonesData: DataSourceType = {
  name: 'aws_availability_zones',
  schema: {
    attributes: {
      all_availability_zones: optional('bool'),
      exclude_names: optional(set('string')),
      exclude_zone_ids: optional(set('string')),
      group_names: computed(set('string')),
      id: computed('string'),
      names: computed(list('string')),
      region: REGION_ATTRIBUTE,
      state: optional('string', { validate: oneOf('available', 'information', 'impaired', 'unavailable') }),
      zone_ids: computed(list('string')),
    },
    blocks: {
      filter: block('set', { attributes: { name: required('string'), values: required(set('string')) } }),
      timeouts: timeoutsBlock('read'),
    },
  },
  read(ctx) {
    const region = regionOf(ctx, ctx.config);
    let zones = regionOrGeneric(region).zones.filter((z) => ctx.config.all_availability_zones === true || z.optInStatus !== 'not-opted-in');
    const state = str(ctx.config.state);
    if (state !== null) zones = zones.filter((z) => z.state === state);
    zones = applyFilters(zones, filtersOf(ctx.config.filter), {
      fields: {
        'group-name': (z) => z.groupName,
        'message': () => null,
        'opt-in-status': (z) => z.optInStatus,
        'region-name': () => region,
        'state': (z) => z.state,
        'zone-id': (z) => z.zoneId,
        'zone-name': (z) => z.name,
        'zone-type': (z) => z.zoneType,
      },
    });
    const excludedNames = strings(ctx.config.exclude_names);
    const excludedIds = strings(ctx.config.exclude_zone_ids);
    zones = zones.filter((z) => !excludedNames.includes(z.name) && !excludedIds.includes(z.zoneId))
      .sort((a, b) => a.name.localeCompare(b.name));
    return {
      id: region,
      region,
      names: zones.map((z) => z.name),
      zone_ids: zones.map((z) => z.zoneId),
      group_names: [...new Set(zones.map((z) => z.groupName))],
    };
  },
};
