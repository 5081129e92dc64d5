/**
 * The normalized, validated form of blueprints. YAML keys are snake_case (as in the seed);
 * these are the camelCase shapes the rest of Butter works with, defaults filled in, sizes in MiB.
 * Pure data: no cdktf, no file access.
 */

/** Clouds a blueprint can be synthesized for. */
export type CloudName = 'aws' | 'google';

/** CPU architecture of an image and of the instance types that can run it. */
export type Architecture = 'x86_64' | 'arm64';

/** A Network blueprint: how the network's private address space is laid out. */
export interface NetworkBlueprint {
  /** Source file, for error messages. `undefined` for blueprints built in code. */
  readonly file?: string;
  /**
   * The private range the network's block is carved from (`network.allowed_private_cidr`).
   * @default '10.0.0.0/8'
   */
  readonly allowedPrivateCidr: string;
  /**
   * Host bits of the network's block (`network.legacy_network_size_bits`): 16 means a /16 taken
   * from `allowedPrivateCidr` (65,536 addresses). On AWS it is the VPC's CIDR block.
   * @default 16
   */
  readonly sizeBits: number;
  /**
   * How private services reach the internet (`network.nat`): one NAT gateway per zone
   * (resilient), a single shared one (cheaper), or none (no outbound internet).
   * @default 'per-zone'
   */
  readonly nat: NatMode;
  /**
   * Flow logs (`network.flow_logs`): on AWS a VPC flow log of all traffic to a CloudWatch Logs
   * group (with the IAM role the service needs), on Google flow logs on every subnetwork.
   * Off by default because the logs are billed; `butter check` reports networks without them.
   * @default 'off'
   */
  readonly flowLogs?: FlowLogsMode;
}

/** Whether a network records flow logs. */
export type FlowLogsMode = 'off' | 'on';

/** `instance.google`: Butter's Google VM metadata defaults, each overridable. */
export interface GoogleInstanceSpec {
  /** `enable-oslogin` (`os_login`). @default true */
  readonly osLogin?: boolean;
  /** `block-project-ssh-keys` (`block_project_ssh_keys`). @default true */
  readonly blockProjectSshKeys?: boolean;
  /** `serial-port-enable` (`serial_port`). @default false */
  readonly serialPort?: boolean;
}

/** Outbound internet for private services. */
export type NatMode = 'per-zone' | 'single' | 'none';

/** One disk of an instance (`instance.disks[]`). The first is the boot disk. */
export interface DiskSpec {
  /** Size in GiB (`size: 8GB`). */
  readonly sizeGiB: number;
  /**
   * Butter disk class or a cloud-native type: `standard` (general purpose SSD: AWS gp3,
   * Google pd-balanced), `ssd` (AWS gp3, Google pd-ssd), `magnetic` (AWS standard, Google
   * pd-standard), or a native name such as `io2` / `pd-extreme`.
   * @default 'standard'
   */
  readonly type: string;
  /** Device name (`/dev/sda1`). @default - the image's root device for the first disk */
  readonly deviceName?: string;
}

/** How the instance type is chosen. */
export type InstanceSelection =
  /** Cheapest catalog type that fits (the default). */
  | 'cheapest'
  /** AWS: EC2 attribute-based selection (`instance_requirements`); Google: a custom machine type. */
  | 'requirements';

/** `instance:`: what each instance needs. */
export interface InstanceSpec {
  /** @default false */
  readonly publicIp: boolean;
  /** Memory in MiB (`memory: 4GB`). @default 1024 */
  readonly memoryMiB: number;
  /** vCPUs. @default 1 */
  readonly cpus: number;
  /** GPUs per instance (`gpu: false` = 0, `gpu: true` = 1, or a number). @default 0 */
  readonly gpus: number;
  /** @default [] (the image's own boot disk size) */
  readonly disks: readonly DiskSpec[];
  /** Pinned instance/machine type per cloud (`instance.type`). @default - fitted */
  readonly type?: Partial<Record<CloudName, string>>;
  /** @default 'cheapest' */
  readonly selection: InstanceSelection;
  /** Architecture (`instance.architecture`). @default - from the image name, else x86_64 */
  readonly architecture?: Architecture;
  /** Overrides of Butter's Google VM defaults (`instance.google`). @default - none */
  readonly google?: GoogleInstanceSpec;
}

/** How to find the image on one cloud. */
export interface ImageSpec {
  /** AWS: AMI name pattern (wildcards allowed). Google: image name or name pattern. */
  readonly name?: string;
  /** Google only: image family (`ubuntu-2204-lts`). Preferred over `name` when set. */
  readonly family?: string;
  /**
   * AWS: AMI owner account id or alias (`099720109477`, `amazon`); Google: the publishing
   * project (`ubuntu-os-cloud`). @default - the well-known publisher for the name, else an error
   */
  readonly owner?: string;
}

/** `image:` may be one spec, or one per cloud (`image: {aws: {...}, google: {...}}`). */
export type ImageSpecs = Partial<Record<CloudName, ImageSpec>> & { readonly default?: ImageSpec };

/** A declared template variable (`initialization[].vars.NAME`). */
export interface TemplateVarSpec {
  /** @default false */
  readonly required: boolean;
  /** Value used when the caller passes none. @default - none */
  readonly default?: unknown;
}

/** One startup script (`initialization[]`). */
export interface InitializationSpec {
  /** Absolute path of the script/template (the YAML gives it relative to the blueprint). */
  readonly path: string;
  /** The script text (read at load time so rendering stays pure). */
  readonly source: string;
  /** Declared variables. Only these may be passed. */
  readonly vars: Readonly<Record<string, TemplateVarSpec>>;
  /** Key path of this entry in the blueprint, e.g. `initialization[0]`, for errors. */
  readonly key: string;
}

/** A Service blueprint: everything about a group of instances. */
export interface ServiceBlueprint {
  readonly file?: string;
  /** `network.subnetwork_max_instance_count`: instances the service's subnets must hold in all. @default 256 */
  readonly subnetworkMaxInstanceCount: number;
  /** `placement.availability_zones`: distinct zones to spread over. @default 3 */
  readonly availabilityZones: number;
  readonly instance: InstanceSpec;
  readonly image: ImageSpecs;
  /** @default [] */
  readonly initialization: readonly InitializationSpec[];
  /** A managed load balancer in front of the group (`load_balancer`). @default - none */
  readonly loadBalancer?: LoadBalancerSpec;
  /** Health checks that replace broken instances (`health_check`). @default - none (EC2/instance status only) */
  readonly healthCheck?: HealthCheckSpec;
  /** Autoscaling between `min` and `max` (`scaling`). @default - a fixed `count` */
  readonly scaling?: ScalingSpec;
}

/** What a balancer speaks: `application` (HTTP/HTTPS, layer 7) or `network` (TCP/UDP, layer 4). */
export type BalancerType = 'application' | 'network';

/** Whether the balancer has a public address (`internet-facing`) or only a private one. */
export type BalancerScheme = 'internet-facing' | 'internal';

/** A listener's protocol; `http`/`https` for application balancers, `tcp`/`udp` for network ones. */
export type ListenerProtocol = 'http' | 'https' | 'tcp' | 'udp';

/** One port a balancer listens on (`load_balancer.listeners[]`). */
export interface ListenerSpec {
  readonly protocol: ListenerProtocol;
  /** The port clients connect to. */
  readonly port: number;
  /** The instances' port traffic is forwarded to (`target_port`). @default - `port` */
  readonly targetPort: number;
  /**
   * The TLS certificate of an `https` listener: on AWS an ACM certificate ARN, on Google the
   * name or self link of a regional SSL certificate. Required for `https`, refused otherwise.
   * @default - none
   */
  readonly certificate?: string;
}

/** `load_balancer:`: a managed load balancer in front of the service's group. */
export interface LoadBalancerSpec {
  /** @default 'application' */
  readonly type: BalancerType;
  /** @default 'internet-facing' */
  readonly scheme: BalancerScheme;
  /** @default - one listener on port 80 (http for application, tcp for network) */
  readonly listeners: readonly ListenerSpec[];
  /**
   * Who may reach the listeners (`allowed_cidrs`).
   * @default - ['0.0.0.0/0'] when internet-facing; the network's block when internal
   */
  readonly allowedCidrs?: readonly string[];
}

/** `health_check:`: how the group (and its balancer) decides an instance is healthy. */
export interface HealthCheckSpec {
  /** @default - 'http' when a `path` is given or behind an application balancer, else 'tcp' */
  readonly protocol?: 'http' | 'tcp';
  /** HTTP path probed. @default '/' (for http checks) */
  readonly path?: string;
  /** @default - the first listener's target port, else 80 */
  readonly port?: number;
  /** Seconds between probes. @default 30 */
  readonly intervalSeconds: number;
  /** Seconds before a probe fails. @default 5 */
  readonly timeoutSeconds: number;
  /** @default 3 */
  readonly healthyThreshold: number;
  /** @default 3 */
  readonly unhealthyThreshold: number;
  /** Seconds a new instance may be unhealthy before it is replaced (`grace_period`). @default 300 */
  readonly gracePeriodSeconds: number;
}

/** `scaling:`: the group grows and shrinks with CPU load between `min` and `max`. */
export interface ScalingSpec {
  readonly min: number;
  readonly max: number;
  /** Average CPU utilization the group is kept at (`target_cpu_percent`). @default 60 */
  readonly targetCpuPercent: number;
}
