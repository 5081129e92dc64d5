import { CloudError } from '../framework/diagnostics';
import { DataSourceType } from '../framework/types';
import { computed, optional, optionalComputed } from '../schema/dsl';
import { oneOf } from '../schema/validators';
import { list } from '../values/cty-type';
import { str } from './common';
import { providerProject, providerRegion } from './provider-config';
import { zonesOf } from './regions';

/**
 * Source: terraform-provider-google, data source google_compute_zones (region and project from
 * the provider, `status` filter UP/DOWN, its errors for a missing project or region).
 *
 * `data "google_compute_zones"`: the zones of a region. Like the real data source, which lists
 * zones with a region filter, an unknown region gives an empty list rather than an error. Every
 * zone of the mock cloud is UP, so `status = "DOWN"` finds none.
 */
export const computeZones: DataSourceType = {
  name: 'google_compute_zones',
  schema: {
    attributes: {
      project: optionalComputed('string'),
      region: optional('string'),
      status: optional('string', { validate: oneOf('UP', 'DOWN') }),
      names: computed(list('string')),
      id: optionalComputed('string'),
    },
  },

  read(ctx) {
    const project = str(ctx.config.project) ?? providerProject(ctx.provider.config);
    if (!project) throw new CloudError('Error listing zones: project: required field is not set', { path: ['project'] });
    const region = (str(ctx.config.region) ?? providerRegion(ctx.provider.config) ?? '').replace(/^.*\/regions\//, '');
    if (!region) {
      throw new CloudError("Cannot determine region: set in this resource, or set provider-level 'region' or 'zone'.", { path: ['region'] });
    }
    const names = str(ctx.config.status) === 'DOWN' ? [] : zonesOf(region);
    return { project, names, id: `projects/${project}/regions/${region}` };
  },
};
