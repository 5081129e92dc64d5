import { ProviderDefinition } from '../framework/types';
import { address } from './address';
import { firewall } from './firewall';
import { computeImage } from './images';
import { regionInstanceGroupManager } from './instance-group-manager';
import { instanceTemplate } from './instance-template';
import { network } from './network';
import { regionPerInstanceConfig } from './per-instance-config';
import { configureProvider, PROVIDER_SCHEMA } from './provider-config';
import { router, routerNat } from './router';
import { subnetwork } from './subnetwork';
import { computeZones } from './zones';

/**
 * The simulated Google Cloud: what `registry.terraform.io/hashicorp/google` 6.50.0 offers for
 * the Compute Engine resources Butter emits (networks, firewall rules, subnetworks, Cloud
 * Router and NAT, addresses, instance templates, regional managed instance groups with
 * per-instance configs) and the data sources it reads (zones, images). Managed instance groups
 * create `instance` records in the mock cloud, the VMs a real group would run.
 */
export const provider: ProviderDefinition = {
  name: 'google',
  schema: PROVIDER_SCHEMA,
  resources: [network, firewall, subnetwork, router, routerNat, address, instanceTemplate, regionInstanceGroupManager, regionPerInstanceConfig],
  dataSources: [computeZones, computeImage],
  configure: configureProvider,
};
