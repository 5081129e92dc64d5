import { ComputeAddress } from '@cdktf/provider-google/lib/compute-address';
import { ComputeRegionBackendService } from '@cdktf/provider-google/lib/compute-region-backend-service';
import { ComputeRegionUrlMap } from '@cdktf/provider-google/lib/compute-region-url-map';
import { ComputeRegionTargetHttpProxy } from '@cdktf/provider-google/lib/compute-region-target-http-proxy';
import { ComputeRegionTargetHttpsProxy } from '@cdktf/provider-google/lib/compute-region-target-https-proxy';
import { ComputeForwardingRule } from '@cdktf/provider-google/lib/compute-forwarding-rule';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { Annotations } from 'cdktf';
import { ButterError, cut } from '../../src/errors';
import { GOOGLE_NAME_PATTERN } from '../../src/planning/google-names';
import type { ListenerSpec } from '../../src/blueprint/types';
import type { LoadBalancer } from '../load-balancer';
import type { RenderedBalancer } from '../renderer';
import type { GoogleNetworkResources } from './network';
import type { GoogleServiceResources } from './service';
import { googleLabels } from './names';
import { literal } from '../literal';

/**
 * A service's load balancer on Google Cloud, regional like everything else Butter makes there.
 *
 * - `type: application` is a regional external (EXTERNAL_MANAGED) or internal (INTERNAL_MANAGED)
 *   Application Load Balancer: a backend service per target port over the group's named port,
 *   a URL map sending everything to it, a target HTTP(S) proxy and a forwarding rule per
 *   listener. Google's proxies in the network's proxy-only subnet terminate the connections and
 *   open new ones to the instances, so the instances must admit that subnet's range, which is
 *   what the balancer's Paths render to.
 * - `type: network` is a passthrough Network Load Balancer (EXTERNAL, or INTERNAL): a backend
 *   service per protocol and a forwarding rule per listener. Packets reach the instances with the
 *   clients' addresses and ports unchanged, so the Paths admit the allowed clients themselves,
 *   and a listener cannot forward to another port.
 *
 * Every forwarding rule uses one reserved address, so a balancer with several listeners has one
 * IP, and the IP survives a forwarding rule's replacement. The group's health check (the
 * balancer's settings) serves both the backend services and autohealing.
 */
export class GoogleBalancerResources implements RenderedBalancer {
  public readonly address: ComputeAddress;
  /** Application: one per target port (key `port-<n>`); network: one per protocol (key `tcp`/`udp`). */
  public readonly backends = new Map<string, ComputeRegionBackendService>();
  public readonly forwardingRules: ComputeForwardingRule[] = [];
  /** The proxy-only subnet application balancers need. @default - none (network balancers) */
  public readonly proxyOnlySubnet?: ComputeSubnetwork;
  /** The sources the balancer's traffic to the instances comes from (what its Paths admit). */
  public readonly sourceRanges: readonly string[];

  constructor(private readonly lb: LoadBalancer, private readonly net: GoogleNetworkResources, svc: GoogleServiceResources) {
    const { plan, service } = lb;
    const application = plan.type === 'application';
    const external = plan.scheme === 'internet-facing';
    if (!application) checkPassthroughPorts(lb);
    if (application && !external && lb.spec.allowedCidrs !== undefined) {
      Annotations.of(lb).addWarning(`Google's internal Application Load Balancer admits every client that can route to it: allowed_cidrs (${plan.allowedCidrs.join(', ')}) is not enforced`);
    }

    const health = svc.useHealthCheck(plan.healthCheck);
    if (application) {
      if (!plan.proxyOnlySubnet) throw new Error(`${lb.node.path}: no proxy-only block planned`); // planBalancer gives one
      this.proxyOnlySubnet = net.proxyOnlySubnet(plan.proxyOnlySubnet);
      this.sourceRanges = [plan.proxyOnlySubnet];
    } else {
      this.sourceRanges = [...plan.allowedCidrs];
    }
    const { provider, project, names } = net;
    const region = service.network.region;
    const name = service.serviceName;
    const scheme = application ? (external ? 'EXTERNAL_MANAGED' : 'INTERNAL_MANAGED') : (external ? 'EXTERNAL' : 'INTERNAL');
    // The regional external Application Load Balancer runs in the Standard network tier.
    const tier = application && external ? { networkTier: 'STANDARD' } : {};
    const description = literal(`Butter load balancer ${lb.peerId}`);

    this.address = new ComputeAddress(lb, 'address', {
      provider,
      project,
      region,
      name: names.name(names.regional('address'), lb, [name, 'lb']),
      description,
      labels: googleLabels(service.network.networkName, name),
      ...(external
        ? { addressType: 'EXTERNAL', ...tier }
        // Several forwarding rules (listeners) may share an internal address only with this purpose.
        : { addressType: 'INTERNAL', subnetwork: svc.subnet.id, purpose: 'SHARED_LOADBALANCER_VIP' }),
    });

    if (application) {
      const portNames = svc.nameTargetPorts(plan.targetPorts);
      plan.targetPorts.forEach((port, i) => {
        this.backends.set(`port-${port}`, new ComputeRegionBackendService(lb, `backend-${port}`, {
          provider,
          project,
          region,
          name: names.name(names.regional('backend service'), lb, [name, 'lb', String(port)]),
          description,
          loadBalancingScheme: scheme,
          protocol: 'HTTP',
          portName: portNames[i],
          healthChecks: [health.check.id],
          backend: [{ group: svc.group.instanceGroup, balancingMode: 'UTILIZATION', capacityScaler: 1 }],
        }));
      });
    } else {
      svc.nameTargetPorts(plan.targetPorts);
      for (const protocol of [...new Set(plan.listeners.map((l) => l.protocol))]) {
        this.backends.set(protocol, new ComputeRegionBackendService(lb, `backend-${protocol}`, {
          provider,
          project,
          region,
          name: names.name(names.regional('backend service'), lb, [name, 'lb', protocol]),
          description,
          loadBalancingScheme: scheme,
          protocol: protocol.toUpperCase(),
          healthChecks: [health.check.id],
          backend: [{ group: svc.group.instanceGroup, balancingMode: 'CONNECTION' }],
        }));
      }
    }

    const urlMaps = new Map<number, ComputeRegionUrlMap>();
    plan.listeners.forEach((l, i) => {
      const common = {
        provider,
        project,
        region,
        description,
        ipAddress: this.address.address,
        loadBalancingScheme: scheme,
        ...tier,
      };
      if (application) {
        let urlMap = urlMaps.get(l.targetPort);
        if (!urlMap) {
          urlMap = new ComputeRegionUrlMap(lb, `url-map-${l.targetPort}`, {
            provider,
            project,
            region,
            name: names.name(names.regional('url map'), lb, [name, 'lb', String(l.targetPort)]),
            description,
            defaultService: this.backends.get(`port-${l.targetPort}`)!.id,
          });
          urlMaps.set(l.targetPort, urlMap);
        }
        const proxy = l.protocol === 'https'
          ? new ComputeRegionTargetHttpsProxy(lb, `https-proxy-${l.port}`, {
            provider,
            project,
            region,
            name: names.name(names.regional('target https proxy'), lb, [name, 'lb', String(l.port)]),
            description,
            urlMap: urlMap.id,
            sslCertificates: [certificateRef(lb, l, i, project, region)],
          })
          : new ComputeRegionTargetHttpProxy(lb, `http-proxy-${l.port}`, {
            provider,
            project,
            region,
            name: names.name(names.regional('target http proxy'), lb, [name, 'lb', String(l.port)]),
            description,
            urlMap: urlMap.id,
          });
        this.forwardingRules.push(new ComputeForwardingRule(lb, `forwarding-rule-${l.port}`, {
          ...common,
          name: names.name(names.regional('forwarding rule'), lb, [name, 'lb', String(l.port)]),
          ipProtocol: 'TCP',
          portRange: String(l.port),
          target: proxy.id,
          network: net.vpc.id,
          ...(external ? {} : { subnetwork: svc.subnet.id }),
          // Google refuses a managed balancer's forwarding rule until the region has an active
          // proxy-only subnet in the network.
          dependsOn: [this.proxyOnlySubnet!],
        }));
      } else {
        this.forwardingRules.push(new ComputeForwardingRule(lb, `forwarding-rule-${l.protocol}-${l.port}`, {
          ...common,
          name: names.name(names.regional('forwarding rule'), lb, [name, 'lb', l.protocol, String(l.port)]),
          ipProtocol: l.protocol.toUpperCase(),
          backendService: this.backends.get(l.protocol)!.id,
          ...(external
            ? { portRange: String(l.port) }
            : { ports: [String(l.port)], network: net.vpc.id, subnetwork: svc.subnet.id }),
        }));
      }
    });
  }

  /** The balancer's address (the forwarding rules' shared IP), known after deploy. */
  public get dnsName(): string {
    return this.address.address;
  }

  /** The balancer this renders. */
  public get balancer(): LoadBalancer {
    return this.lb;
  }

  /** The network resources it is in. */
  public get network(): GoogleNetworkResources {
    return this.net;
  }
}

/**
 * A passthrough balancer does not translate ports: packets reach the instances on the port the
 * client chose. A listener forwarding to another port cannot be built; say so instead of
 * building one that silently sends to the listener's port.
 */
function checkPassthroughPorts(lb: LoadBalancer): void {
  const i = lb.plan.listeners.findIndex((l) => l.targetPort !== l.port);
  if (i < 0) return;
  const l = lb.plan.listeners[i];
  throw new ButterError('LOAD_BALANCER_PORT_TRANSLATION_UNSUPPORTED',
    `listener ${i} forwards port ${l.port} to ${l.targetPort}, but Google's Network Load Balancer passes packets through unchanged`, {
      constructPath: lb.node.path,
      file: lb.service.blueprint.file,
      key: `load_balancer.listeners[${i}].target_port`,
      hint: `make target_port the listener's port (${l.port}) and serve it on the instances, or use \`type: application\` for HTTP`,
    });
}

/** `projects/p/regions/r/sslCertificates/name`, with or without the API's https prefix. */
const CERT_SELF_LINK = /^(?:https:\/\/(?:www\.|compute\.)?googleapis\.com\/compute\/(?:v1|beta)\/)?projects\/([a-z0-9.:-]{1,100})\/regions\/([a-z0-9-]{1,63})\/sslCertificates\/([a-z0-9-]{1,63})$/;

/**
 * The regional SSL certificate of an https listener, as a reference the proxy takes: a bare name
 * becomes the certificate of that name in the network's project and region; a self link must be
 * in the network's region (a regional proxy cannot use another region's certificate). Anything
 * else (an AWS ACM ARN, a global certificate, text with Terraform expressions) is refused.
 */
function certificateRef(lb: LoadBalancer, l: ListenerSpec, i: number, project: string, region: string): string {
  const cert = l.certificate ?? '';
  const where = { constructPath: lb.node.path, file: lb.service.blueprint.file, key: `load_balancer.listeners[${i}].certificate` };
  if (GOOGLE_NAME_PATTERN.test(cert) && cert.length <= 63) return `projects/${project}/regions/${region}/sslCertificates/${cert}`;
  const m = CERT_SELF_LINK.exec(cert);
  if (m && GOOGLE_NAME_PATTERN.test(m[3])) {
    if (m[2] !== region) {
      throw new ButterError('LOAD_BALANCER_CERTIFICATE_INVALID', `the certificate ${cut(cert)} is in ${m[2]}, and the balancer in ${region}`, {
        ...where, hint: `use a regional SSL certificate of ${region}`,
      });
    }
    return literal(cert);
  }
  throw new ButterError('LOAD_BALANCER_CERTIFICATE_INVALID', `"${cut(cert)}" is not a Google regional SSL certificate`, {
    ...where,
    hint: `give the certificate's name (e.g. web-cert) or self link (projects/<project>/regions/${region}/sslCertificates/<name>); an AWS ACM ARN only works on AWS`,
  });
}
