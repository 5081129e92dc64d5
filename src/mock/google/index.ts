import { ProviderDefinition } from '../framework/types';
import { address } from './address';
import { regionAutoscaler } from './autoscaler';
import { refreshHealth } from './backend-health';
import { regionBackendService } from './backend-service';
import { forwardingRule } from './forwarding-rule';
import { healthCheck, regionHealthCheck } from './health-check';
import { firewall } from './firewall';
import { computeImage } from './images';
import { regionInstanceGroupManager } from './instance-group-manager';
import { instanceTemplate } from './instance-template';
import { network } from './network';
import { regionPerInstanceConfig } from './per-instance-config';
import { configureProvider, PROVIDER_SCHEMA } from './provider-config';
import { router, routerNat } from './router';
import { subnetwork } from './subnetwork';
import { regionTargetHttpProxy, regionTargetHttpsProxy } from './target-proxy';
import { regionUrlMap } from './url-map';
import { computeZones } from './zones';

/**
 * The simulated Google Cloud: what `registry.terraform.io/hashicorp/google` 6.50.0 offers for
 * the Compute Engine resources Butter emits (networks, firewall rules, subnetworks, Cloud
 * Router and NAT, addresses, instance templates, regional managed instance groups with
 * per-instance configs, regional load balancers: health checks, backend services, URL maps,
 * target HTTP(S) proxies, forwarding rules, autoscalers) and the data sources it reads (zones,
 * images). Managed instance groups create `instance` records in the mock cloud, the VMs a real
 * group would run; after every change their health as load balancers see it is recomputed.
 */
export const provider: ProviderDefinition = {
  name: 'google',
  schema: PROVIDER_SCHEMA,
  resources: [
    network, firewall, subnetwork, router, routerNat, address, instanceTemplate, regionInstanceGroupManager, regionPerInstanceConfig,
    regionHealthCheck, healthCheck, regionBackendService, regionUrlMap, regionTargetHttpProxy, regionTargetHttpsProxy, forwardingRule,
    regionAutoscaler,
  ],
  dataSources: [computeZones, computeImage],
  configure: configureProvider,
  afterApply: refreshHealth,
};
