import * as path from 'node:path';
import { Construct } from 'constructs';
import { ButterError, withErrorLocation } from '../src/errors';
import { ServiceBlueprint } from '../src/blueprint/types';
import { loadServiceBlueprint } from '../src/blueprint/load';
import { planService, ServicePlan } from '../src/planning/service-plan';
import { compileTemplate, cloudInitMultipart, resolveInitializationVars } from '../src/planning/templating';
import { Port } from '../src/model/port';
import { Network } from './network';
import { IPeer } from './peer';
import { Connections } from './connections';
import { withDeployTimeValues } from './tokens';
import type { RenderedService } from './renderer';
import { LoadBalancer } from './load-balancer';

/** Properties of a {@link Service}. */
export interface ServiceProps {
  /**
   * The service blueprint: a path to a YAML file (relative to the working directory) or a parsed
   * blueprint. Says how big the subnets are, how many zones, what each instance needs, which
   * image and which startup scripts.
   */
  readonly blueprint: string | ServiceBlueprint;
  /**
   * How many instances to run (min = max = desired). Spread over the blueprint's zones. Not
   * allowed with the blueprint's `scaling:`, which sets the group's bounds instead.
   * @default - the number of zones (`placement.availability_zones`); `scaling.min` when scaling
   */
  readonly count?: number;
  /**
   * Values for the startup scripts' template variables (`initialization[].vars`). A value may be
   * known only at deploy time (another service's `privateIps`): the script is then compiled to a
   * Terraform template and filled in by Terraform.
   * @default {}
   */
  readonly templateVars?: Record<string, unknown>;
}

/**
 * A group of identical instances made from a blueprint: subnets sized and spread across zones,
 * an instance group, a fitted instance type, an image looked up by name and templated startup
 * scripts. Nothing can reach it until a {@link Path} allows it.
 */
export class Service extends Construct implements IPeer {
  public readonly peerKind = 'service' as const;
  /** The service's name (its construct id). */
  public readonly serviceName: string;
  /** The network this service is in. */
  public readonly network: Network;
  /** The validated blueprint. */
  public readonly blueprint: ServiceBlueprint;
  /** Everything Butter decided: subnets, instance type, image, disks, count. Plain data. */
  public readonly plan: ServicePlan;
  /** Traffic rules in the aws-cdk-lib style: `web.connections.allowFrom(lb, Port.tcp(80))`. */
  public readonly connections: Connections;
  /** The startup script as a Terraform template (already escaped for Terraform JSON). */
  public readonly userData: string;

  private readonly rendered: RenderedService;
  private _balancer?: LoadBalancer;

  constructor(scope: Network, id: string, props: ServiceProps) {
    super(scope, id);
    if (!(scope instanceof Network)) {
      throw new ButterError('SERVICE_SCOPE_INVALID', `Service "${id}" must be created in a Network`, {
        constructPath: this.node.path,
        hint: 'pass the Network as the first argument: new Service(network, "web", {...})',
      });
    }
    this.serviceName = id;
    this.network = scope;
    const where = { constructPath: this.node.path };
    this.blueprint = withErrorLocation(where, () =>
      typeof props.blueprint === 'string' ? loadServiceBlueprint(props.blueprint) : props.blueprint);
    const file = this.blueprint.file;

    this.plan = withErrorLocation({ ...where, file }, () => planService({
      cloud: scope.cloud,
      network: scope.networkName,
      service: id,
      blueprint: this.blueprint,
      count: props.count,
      addresses: scope.addresses,
    }));
    this.userData = withErrorLocation({ ...where, file }, () => this.renderStartupScripts(props.templateVars ?? {}));
    this.connections = new Connections(this);

    const fronted = id.endsWith('-lb') ? scope.service(id.slice(0, -3)) : undefined;
    if (fronted?.loadBalancer) {
      throw new ButterError('SERVICE_NAME_TAKEN', `"${id}" is the name of ${fronted.node.path}'s load balancer`, {
        constructPath: this.node.path,
        hint: `name the service otherwise (a balancer is named after its service with -lb)`,
      });
    }
    scope._registerService(this);
    this.rendered = scope.renderer.renderService(this);
    // A blueprint that asks for a balancer gets one; in code, `new LoadBalancer(service, ...)`.
    if (this.blueprint.loadBalancer) new LoadBalancer(this, 'lb');
  }

  /** The service's load balancer, if it has one (blueprint `load_balancer:` or a LoadBalancer construct). */
  public get loadBalancer(): LoadBalancer | undefined {
    return this._balancer;
  }

  /** @internal called by LoadBalancer's constructor */
  public _registerBalancer(balancer: LoadBalancer): void {
    this._balancer = balancer;
  }

  public get peerId(): string {
    return this.serviceName;
  }

  /**
   * The instances' private IPv4 addresses, usable in other services' templateVars. On AWS they
   * are known after deploy (Terraform fills them in); on Google, Butter picks and pins them, so
   * they are plain strings at synth time.
   */
  public get privateIps(): string[] {
    return this.rendered.privateIps;
  }

  /** The instances' public IPv4 addresses (empty unless `instance.public_ip`). */
  public get publicIps(): string[] {
    return this.rendered.publicIps;
  }

  /** The instances' ids (on Google: the instances' names, which Butter fixes). */
  public get instanceIds(): string[] {
    return this.rendered.instanceIds;
  }

  /**
   * The planned subnet blocks: on AWS one per zone (`['10.0.0.0/22', '10.0.4.0/22', ...]`), on
   * Google one regional block for all zones.
   */
  public get subnetCidrs(): readonly string[] {
    return this.plan.subnets;
  }

  /** Allow traffic from `source` to this service: shorthand for `new Path(source, this, port)`. */
  public allowFrom(source: IPeer, port: number | Port): void {
    this.connections.allowFrom(source, port);
  }

  /**
   * Render every initialization script with the given variables. Scripts that see a deploy-time
   * value are compiled to Terraform templates; several scripts become a cloud-init multipart.
   */
  private renderStartupScripts(given: Record<string, unknown>): string {
    const scripts = this.blueprint.initialization;
    if (scripts.length === 0) return '';
    // Values are checked against the declarations first (missing required, unknown names);
    // each script then sees only the variables it declares, as in the seed.
    const perScript = resolveInitializationVars(scripts, given, {
      file: this.blueprint.file,
      constructPath: this.node.path,
    });
    const parts = scripts.map((script, i) => {
      const vars = Object.fromEntries(Object.entries(perScript[i]).map(([name, value]) =>
        [name, withDeployTimeValues(this, value)]));
      const text = compileTemplate(script.source, vars, { file: script.path }).text;
      return { filename: path.basename(script.path), content: text };
    });
    return cloudInitMultipart(parts);
  }

}
