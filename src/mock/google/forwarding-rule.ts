import { Cloud } from '../cloud/cloud';
import { ResourceType } from '../framework/types';
import { priorRecord } from '../framework/records';
import { block, computed, optional, optionalComputed, required } from '../schema/dsl';
import { oneOf } from '../schema/validators';
import { set } from '../values/cty-type';
import { ObjectValue } from '../values/value';
import {
  apiError, checkLabels, fingerprint, finish, invalidField, notFound, numericIdNumber, orElse, regionalRef, selfLink, str,
  stringMap, strings, timeoutsBlock, timestamp,
} from './common';
import { allocateExternal, allocateInternal, checkInternal } from './address';
import { requireBackendService } from './backend-service';
import { isIp } from './ipv4';
import {
  AddressRecord, BackendServiceRecord, ForwardingRuleRecord, Kind, newRegional, putRecord, saveState, storedRecords, SubnetworkRecord,
  TargetProxyRecord, UrlMapRecord,
} from './model';
import { requireNetwork } from './network';
import { labelAttributes, planLabels, planLocation, PROJECT_ATTRIBUTE, REGION_ATTRIBUTE } from './provider-config';
import { googleQuota } from './quotas';
import { importable, regionalForms } from './resource-import';
import { activeProxySubnet, requireSubnetwork } from './subnetwork';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - a target (proxy) or a backend service, of the rule's region, whose scheme matches the rule's: Load Balancing docs, Forwarding rules overview; Compute Engine API, forwardingRules (target, backendService, loadBalancingScheme)
 * - regional Envoy-based rules (EXTERNAL_MANAGED, INTERNAL_MANAGED) need an ACTIVE REGIONAL_MANAGED_PROXY subnet in their region and network ("An active proxy-only subnetwork is required"): Load Balancing docs, Proxy-only subnets for Envoy-based load balancers
 * - INTERNAL and INTERNAL_MANAGED rules take a network and a subnetwork (the address comes from it); regional EXTERNAL_MANAGED rules a network: Load Balancing docs, Internal passthrough NLB / Regional ALB setup; Compute Engine API, forwardingRules (network, subnetwork)
 * - port_range xor ports; ports only for passthrough rules, at most 5; a single port for target proxies (80/8080 HTTP, 443 HTTPS usual, any 1-65535): Load Balancing docs, Forwarding rules overview (Port specifications)
 * - IP protocol per scheme (TCP for proxies; passthrough as the backend service's): Load Balancing docs, Forwarding rules overview (IP protocol specifications)
 * - STANDARD tier for regional external Application Load Balancers' PREMIUM/STANDARD choice, INTERNAL rules PREMIUM only: Network Service Tiers docs
 * - forwarding rules per project (FORWARDING_RULES), internal forwarding rules per VPC network: Load Balancing docs, Quotas and limits
 */

/**
 * `google_compute_forwarding_rule` (regional): a load balancer's frontend, an IP address and
 * ports sent to a regional target proxy (Application LB) or a backend service (passthrough
 * Network LB). External rules get an address from the region's public pool, internal ones the
 * lowest free address of their subnetwork. Only labels change in place, as in the API.
 */

const ACTION = { create: 'creating ForwardingRule', update: 'updating ForwardingRule', delete: 'deleting ForwardingRule' };
const STORE = storedRecords<ForwardingRuleRecord>(Kind.forwardingRule, ACTION);

const imports = importable({ ...regionalForms('forwardingRules'), configOnly: { timeouts: null, recreate_closed_psc: false }, labels: true }, (ctx) => {
  const record = ctx.cloud.get<ForwardingRuleRecord>(Kind.forwardingRule, str(ctx.state.id) ?? '');
  return record ? (record.attributes as ObjectValue) : null;
});

const SCHEMES = ['EXTERNAL', 'EXTERNAL_MANAGED', 'INTERNAL', 'INTERNAL_MANAGED', 'INTERNAL_SELF_MANAGED', ''];

export const forwardingRule: ResourceType = {
  name: 'google_compute_forwarding_rule',
  schema: {
    attributes: {
      name: required('string', { forceNew: true }),
      all_ports: optional('bool', { forceNew: true }),
      allow_global_access: optional('bool'),
      allow_psc_global_access: optional('bool'),
      backend_service: optional('string', { forceNew: true }),
      description: optional('string', { forceNew: true }),
      ip_address: optionalComputed('string', { forceNew: true }),
      ip_collection: optional('string', { forceNew: true }),
      ip_protocol: optionalComputed('string', { forceNew: true, validate: oneOf('TCP', 'UDP', 'ESP', 'AH', 'SCTP', 'ICMP', 'L3_DEFAULT') }),
      ip_version: optionalComputed('string', { forceNew: true, validate: oneOf('IPV4', 'IPV6') }),
      is_mirroring_collector: optional('bool', { forceNew: true }),
      load_balancing_scheme: optional('string', { forceNew: true, default: 'EXTERNAL', validate: oneOf(...SCHEMES) }),
      network: optionalComputed('string', { forceNew: true }),
      network_tier: optionalComputed('string', { forceNew: true, validate: oneOf('PREMIUM', 'STANDARD') }),
      no_automate_dns_zone: optional('bool', { forceNew: true }),
      port_range: optionalComputed('string', { forceNew: true }),
      ports: optional(set('string'), { forceNew: true }),
      recreate_closed_psc: optional('bool'),
      service_label: optional('string', { forceNew: true }),
      source_ip_ranges: optional(set('string'), { forceNew: true }),
      subnetwork: optionalComputed('string', { forceNew: true }),
      target: optional('string'),
      region: REGION_ATTRIBUTE,
      project: PROJECT_ATTRIBUTE,
      ...labelAttributes(),
      id: optionalComputed('string'),
      base_forwarding_rule: computed('string'),
      creation_timestamp: computed('string'),
      forwarding_rule_id: computed('number'),
      label_fingerprint: computed('string'),
      psc_connection_id: computed('string'),
      psc_connection_status: computed('string'),
      self_link: computed('string'),
      service_name: computed('string'),
    },
    blocks: {
      service_directory_registrations: block('list', { attributes: { namespace: optionalComputed('string'), service: optional('string') } }, { maxItems: 1 }),
      timeouts: timeoutsBlock('create', 'update', 'delete'),
    },
  },

  plan(ctx) {
    planLocation(ctx, true);
    planLabels(ctx);
  },

  create(ctx) {
    const p = ctx.planned;
    const { project, region, name, id } = newRegional(ctx, STORE, 'forwardingRules', ACTION.create);
    checkLabels(ACTION.create, stringMap(p.labels));
    const rule = checkRule(ctx.cloud, p, project, region);
    const external = rule.scheme.startsWith('EXTERNAL');
    const ip = pickAddress(ctx.cloud, p, project, region, external, rule.subnet);
    const state = finish(p, {
      ...p, id, project, region, self_link: selfLink(id), creation_timestamp: timestamp(), forwarding_rule_id: numericIdNumber(ctx.cloud),
      ip_address: ip,
      ip_protocol: rule.protocol,
      ip_version: orElse(p.ip_version, 'IPV4'),
      network: rule.network ? selfLink(rule.network) : '',
      subnetwork: rule.subnet ? selfLink(rule.subnet.id) : '',
      network_tier: orElse(p.network_tier, 'PREMIUM'),
      port_range: orElse(p.port_range, ''),
      label_fingerprint: fingerprint(stringMap(p.effective_labels)),
      base_forwarding_rule: '', psc_connection_id: '', psc_connection_status: '', service_name: '',
    });
    return putRecord<ForwardingRuleRecord>(ctx.cloud, STORE, {
      id, project, name, region, scheme: rule.scheme, ip_address: ip, target: rule.target, backend_service: rule.backendService,
      network: rule.network, subnetwork: rule.subnet?.id ?? null,
    }, state);
  },

  import: imports.import,
  read: imports.read,

  update(ctx) {
    const record = priorRecord(ctx, STORE);
    checkLabels(ACTION.update, stringMap(ctx.planned.labels));
    const rule = checkRule(ctx.cloud, ctx.planned, record.project, record.region);
    const state = finish(ctx.planned, { ...ctx.planned, label_fingerprint: fingerprint(stringMap(ctx.planned.effective_labels)) });
    return saveState(ctx.cloud, STORE, record, state, { target: rule.target });
  },

  delete(ctx) {
    ctx.cloud.delete(Kind.forwardingRule, str(ctx.state.id) ?? '');
  },
};

interface CheckedRule {
  scheme: string;
  protocol: string;
  target: string | null;
  backendService: string | null;
  network: string | null;
  subnet: SubnetworkRecord | null;
}

/** The forwarding rule's rules, in the order the API reports them. */
function checkRule(cloud: Cloud, p: ObjectValue, project: string, region: string): CheckedRule {
  const action = ACTION.create;
  const scheme = str(p.load_balancing_scheme) || 'EXTERNAL';
  const targetRef = str(p.target);
  const serviceRef = str(p.backend_service);
  if ((targetRef === null) === (serviceRef === null)) {
    throw invalidField(action, 'resource.target', targetRef ?? '', 'Exactly one of target and backendService must be specified for a load balancing forwarding rule.', ['target']);
  }
  let services: BackendServiceRecord[];
  let target: string | null = null;
  let backendService: string | null = null;
  if (targetRef !== null) {
    const proxy = [regionalRef(targetRef, 'targetHttpProxies', project, region), regionalRef(targetRef, 'targetHttpsProxies', project, region)]
      .map((r) => (r ? cloud.get<TargetProxyRecord>(Kind.targetProxy, r.id) : undefined)).find((t) => t !== undefined);
    if (!proxy) {
      const r = /targetHttpsProxies/.test(targetRef) ? regionalRef(targetRef, 'targetHttpsProxies', project, region) : regionalRef(targetRef, 'targetHttpProxies', project, region);
      throw notFound(action, r?.id ?? targetRef, ['target']);
    }
    if (proxy.region !== region) {
      throw invalidField(action, 'resource.target', targetRef, `The target must be in the forwarding rule's region '${region}'.`, ['target']);
    }
    if (!/_MANAGED$/.test(scheme)) {
      throw invalidField(action, 'resource.loadBalancingScheme', scheme,
        `A regional target HTTP(S) proxy needs load balancing scheme EXTERNAL_MANAGED or INTERNAL_MANAGED, not ${scheme}.`, ['load_balancing_scheme']);
    }
    const map = cloud.get<UrlMapRecord>(Kind.urlMap, proxy.url_map);
    services = (map?.services ?? []).map((s) => cloud.get<BackendServiceRecord>(Kind.backendService, s)).filter((s): s is BackendServiceRecord => !!s);
    target = proxy.id;
  } else {
    const service = requireBackendService(cloud, serviceRef as string, project, region, action, ['backend_service']);
    if (/_MANAGED$/.test(service.scheme)) {
      throw invalidField(action, 'resource.backendService', serviceRef as string,
        `A forwarding rule can reference a backend service directly only for passthrough load balancers; ${service.scheme} needs a target proxy.`, ['backend_service']);
    }
    services = [service];
    backendService = service.id;
  }
  const mismatch = services.find((s) => s.scheme !== scheme);
  if (mismatch) {
    throw invalidField(action, 'resource.loadBalancingScheme', scheme,
      `The load balancing scheme of the forwarding rule (${scheme}) must match that of its backend service '${mismatch.name}' (${mismatch.scheme}).`, ['load_balancing_scheme']);
  }
  const protocol = checkProtocol(p, scheme, backendService ? services[0] : null);
  checkPorts(p, targetRef !== null);

  // Network and subnetwork.
  const internal = scheme.startsWith('INTERNAL');
  const netRef = str(p.network);
  const subRef = str(p.subnetwork);
  let network = netRef ? requireNetwork(cloud, netRef, project, action) : null;
  let subnet: SubnetworkRecord | null = null;
  if (subRef) {
    subnet = requireSubnetwork(cloud, subRef, project, region, action);
    if (subnet.region !== region) throw invalidField(action, 'resource.subnetwork', subRef, `The subnetwork must be in the forwarding rule's region '${region}'.`, ['subnetwork']);
    if (network && subnet.network !== network) throw invalidField(action, 'resource.subnetwork', subRef, 'The subnetwork must belong to the forwarding rule\'s network.', ['subnetwork']);
    if ((subnet.purpose ?? 'PRIVATE') !== 'PRIVATE') {
      throw invalidField(action, 'resource.subnetwork', subRef, `A forwarding rule's address cannot come from a subnetwork with purpose ${subnet.purpose}.`, ['subnetwork']);
    }
    network = subnet.network;
  }
  if (internal && !subnet) {
    throw invalidField(action, 'resource.subnetwork', '', `A subnetwork must be specified for a forwarding rule with load balancing scheme ${scheme}.`, ['subnetwork']);
  }
  if (!internal && subnet) {
    throw invalidField(action, 'resource.subnetwork', subRef as string, `A subnetwork can only be specified for INTERNAL and INTERNAL_MANAGED forwarding rules.`, ['subnetwork']);
  }
  if (scheme === 'EXTERNAL_MANAGED' && !network) {
    throw invalidField(action, 'resource.network', '', 'A network must be specified for a regional EXTERNAL_MANAGED forwarding rule.', ['network']);
  }
  if (scheme === 'INTERNAL' && str(p.network_tier) === 'STANDARD') {
    throw invalidField(action, 'resource.networkTier', 'STANDARD', 'Internal forwarding rules support only the PREMIUM network tier.', ['network_tier']);
  }
  // The Envoy proxies of a regional managed load balancer live in the proxy-only subnet.
  if (/_MANAGED$/.test(scheme) && network && !activeProxySubnet(cloud, network, region)) {
    throw invalidField(action, 'resource.target', targetRef ?? '',
      `An active proxy-only subnetwork is required in the same region and VPC as the forwarding rule (region '${region}', network '${network}'): create a subnetwork with purpose REGIONAL_MANAGED_PROXY and role ACTIVE.`, ['target']);
  }
  checkQuotas(cloud, project, internal ? network : null);
  return { scheme, protocol, target, backendService, network, subnet };
}

/** IP protocol: TCP for proxies (the default); for passthrough the backend service's, unless UNSPECIFIED (any L4). */
function checkProtocol(p: ObjectValue, scheme: string, service: BackendServiceRecord | null): string {
  const protocol = str(p.ip_protocol) ?? 'TCP';
  if (/_MANAGED$/.test(scheme) && protocol !== 'TCP') {
    throw invalidField(ACTION.create, 'resource.IPProtocol', protocol, `Forwarding rules with load balancing scheme ${scheme} support only TCP.`, ['ip_protocol']);
  }
  if (service && service.protocol !== 'UNSPECIFIED' && service.protocol !== protocol && !(service.protocol === 'SSL' && protocol === 'TCP')) {
    throw invalidField(ACTION.create, 'resource.IPProtocol', protocol,
      `The forwarding rule's IP protocol must match its backend service's protocol (${service.protocol}).`, ['ip_protocol']);
  }
  return protocol;
}

/** port_range xor ports (or all_ports); ports only for passthrough rules, at most 5; proxies take one port. */
function checkPorts(p: ObjectValue, proxy: boolean): void {
  const action = ACTION.create;
  const range = str(p.port_range);
  const ports = strings(p.ports);
  const all = p.all_ports === true;
  if (range !== null && ports.length > 0) {
    throw invalidField(action, 'resource.portRange', range, 'Only one of portRange and ports can be specified.', ['port_range']);
  }
  if (all && (range !== null || ports.length > 0)) throw invalidField(action, 'resource.allPorts', 'true', 'allPorts cannot be combined with portRange or ports.', ['all_ports']);
  const valid = (port: string) => /^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535;
  if (range !== null) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(range);
    if (!m || !valid(m[1]) || (m[2] !== undefined && (!valid(m[2]) || Number(m[2]) < Number(m[1])))) {
      throw invalidField(action, 'resource.portRange', range, 'Invalid port range: expected a port or a range like 8000-8080 within 1-65535.', ['port_range']);
    }
    if (proxy && m[2] !== undefined && m[2] !== m[1]) {
      throw invalidField(action, 'resource.portRange', range, 'A forwarding rule for a target HTTP(S) proxy takes a single port.', ['port_range']);
    }
  }
  if (ports.length > 0) {
    if (proxy) throw invalidField(action, 'resource.ports', ports[0], 'ports can only be used with backend service based (passthrough) forwarding rules; use portRange.', ['ports']);
    if (ports.length > 5) throw invalidField(action, 'resource.ports', ports.join(','), 'At most 5 ports can be specified; use portRange or allPorts.', ['ports']);
    ports.forEach((port, i) => {
      if (!valid(port)) throw invalidField(action, `resource.ports[${i}]`, port, 'Must be a port from 1 to 65535.', ['ports']);
    });
  }
  if (proxy && range === null) throw invalidField(action, 'resource.portRange', '', 'A forwarding rule for a target HTTP(S) proxy needs portRange.', ['port_range']);
}

/** FORWARDING_RULES per project; internal forwarding rules per VPC network. */
function checkQuotas(cloud: Cloud, project: string, internalNetwork: string | null): void {
  const limit = googleQuota('forwarding_rules_per_project');
  if (cloud.list<ForwardingRuleRecord>(Kind.forwardingRule, (f) => f.project === project).length >= limit) {
    throw apiError(ACTION.create, 403, `Quota 'FORWARDING_RULES' exceeded.  Limit: ${limit.toFixed(1)} globally.`, 'quotaExceeded', ['name'],
      'BUTTER_MOCK_QUOTAS {"google": {"forwarding_rules_per_project": N}} raises it.');
  }
  if (internalNetwork) {
    const perNetwork = googleQuota('internal_forwarding_rules_per_network');
    if (cloud.list<ForwardingRuleRecord>(Kind.forwardingRule, (f) => f.network === internalNetwork && f.scheme.startsWith('INTERNAL')).length >= perNetwork) {
      throw apiError(ACTION.create, 403, `Quota 'INTERNAL_FORWARDING_RULES_PER_NETWORK' exceeded.  Limit: ${perNetwork.toFixed(1)} in network ${internalNetwork}.`,
        'quotaExceeded', ['network'], 'BUTTER_MOCK_QUOTAS {"google": {"internal_forwarding_rules_per_network": N}} raises it.');
    }
  }
}

/**
 * The rule's address: the one configured (a reserved address by reference, or a literal IP: for
 * internal rules free in the subnetwork or reserved there), else a new one: the region's public
 * pool for external rules, the lowest free address of the subnetwork for internal ones.
 */
function pickAddress(cloud: Cloud, p: ObjectValue, project: string, region: string, external: boolean, subnet: SubnetworkRecord | null): string {
  const wanted = str(p.ip_address);
  if (wanted === null) return external ? allocateExternal(cloud, region) : allocateInternal(cloud, subnet as SubnetworkRecord, ACTION.create);
  if (!isIp(wanted)) {
    const r = regionalRef(wanted, 'addresses', project, region);
    const address = r ? cloud.get<AddressRecord>(Kind.address, r.id) : undefined;
    if (!address) throw notFound(ACTION.create, r?.id ?? wanted, ['ip_address']);
    return address.address;
  }
  const reserved = cloud.list<AddressRecord>(Kind.address, (a) => a.address === wanted && a.region === region && a.project === project)[0];
  if (reserved) {
    if ((reserved.address_type === 'EXTERNAL') !== external) {
      throw invalidField(ACTION.create, 'resource.IPAddress', wanted, `The address is ${reserved.address_type}; the forwarding rule needs an ${external ? 'EXTERNAL' : 'INTERNAL'} address.`, ['ip_address']);
    }
    return wanted;
  }
  if (external) {
    throw invalidField(ACTION.create, 'resource.IPAddress', wanted, 'An external forwarding rule can only use an external address reserved in its region.', ['ip_address']);
  }
  return checkInternal(cloud, subnet as SubnetworkRecord, wanted, ACTION.create, 'resource.IPAddress', ['ip_address']);
}
