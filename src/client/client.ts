import * as fs from 'node:fs';
import * as path from 'node:path';
import { ButterError, isButterError } from '../errors';
import { InstanceInfo, NetworkInfo, PathInfo, ServiceInfo } from '../inventory/types';
import { mockStateDir, mockWorkdir, runStacks } from '../deploy/deploy';
import { Progress, silentProgress } from '../deploy/progress';
import { Interrupt, InterruptedError } from '../deploy/interrupt';
import { startMockCloud, MockCloud } from '../mock/launch/daemon';
import { acquireLock, LockTimeoutError } from '../mock/cloud/file-lock';
import { AddressPlanner } from '../planning/cidr';
import { readLedger, writeLedger } from '../planning/ledger';
import { readIfExists, writeFileAtomic } from '../util/atomic-file';
import {
  canonicalPort, canonicalSource, checkName, cloudOf, emptyWorkspace, isMockTarget, nameHint, parseWorkspace,
  readWorkspace, Target, TARGETS, toStoredPath, Workspace, WorkspaceBackend, WorkspacePath, WORKSPACE_FILE, writeWorkspace,
} from './workspace';
import { NetworkStack, networkOfStack, stackName, stackOutdir, workspaceLedger } from './stack-names';
import { synthesizeNetwork } from '../../constructs/workspace-stack';
import { deployedNetworks, deployedStates } from './deployed';
import { describeSources } from '../deploy/state-sources';
import { fromState, InternetVerdict, PortInput, Reachability, ReachabilityModel, ServiceRef, SourceRef, Verdict } from '../reachability';
import { drawGraph, GraphFormat, toDot } from '../reachability/graph';

/** Options of {@link Client.open}. */
export interface ClientOptions {
  /**
   * Folder holding the workspace file (`butter.workspace.json`), its address ledger, the
   * synthesized stacks and, on the mock, the Terraform state and the mock cloud.
   * @default process.cwd()
   */
  readonly dir?: string;
  /**
   * Where to deploy. A workspace keeps the target it was first used with; asking for another
   * while it holds networks is an error (destroy them first, or use another folder).
   * @default - the workspace's target, else 'mock-aws'
   */
  readonly target?: Target;
  /**
   * Region of every network.
   * @default - the workspace's region, else us-east-1 (AWS) or us-central1 (Google)
   */
  readonly region?: string;
  /**
   * Google Cloud project (Google targets).
   * @default - the workspace's project, else 'butter-mock' on the mock (required on real Google Cloud)
   */
  readonly project?: string;
  /**
   * Where real-cloud networks keep their Terraform state (a team shares the workspace through
   * git plus this backend). Like the target, a workspace keeps it while it holds networks.
   * @default - the workspace's backend, else local (`terraform.ws-<network>.tfstate`)
   */
  readonly backend?: WorkspaceBackend;
  /**
   * Progress of long operations: a line callback, or a {@link Progress} (the CLI's live display).
   * @default - silent
   */
  readonly progress?: Progress | ((line: string) => void);
  /**
   * Handle SIGINT, SIGTERM and SIGHUP during changes, as `butter deploy` does: the first stops
   * the change gracefully (Terraform finishes what is in progress and saves its state, the
   * workspace file and address ledger stay as they were, the locks are released) and the change
   * rejects with an {@link InterruptedError}; a second ends the process at once, still releasing
   * the locks. The CLI turns this on; a program with its own signal handling leaves it off.
   * @default false - unless Butter already listens for them in this process (see DeployOptions.handleSignals)
   */
  readonly handleSignals?: boolean;
}

/** Options of `client.network.create`. */
export interface NetworkCreateOptions {
  /**
   * Network blueprint file (relative paths are relative to the current directory).
   * @default - the default network (10.0.0.0/8 range, a /16, NAT per zone)
   */
  readonly blueprint?: string;
}

/** Options of `client.service.create`. */
export interface ServiceCreateOptions {
  /** Service blueprint file (relative paths are relative to the current directory). */
  readonly blueprint: string;
  /**
   * Instances to run.
   * @default - one per zone of the blueprint
   */
  readonly count?: number;
  /**
   * Template variables of the blueprint's startup scripts: plain JSON values (another
   * service's IPs come from `client.service.getInstances`).
   * @default {}
   */
  readonly vars?: Record<string, unknown>;
}

/** Options of `client.network.destroy` and `client.service.destroy`. */
export interface DestroyOptions {
  /**
   * Do nothing when there is nothing of that name, instead of throwing `NETWORK_NOT_FOUND` /
   * `SERVICE_NOT_FOUND` (for scripts that clean up whatever is left).
   * @default false
   */
  readonly ifExists?: boolean;
}

/** Where a Client answer about reachability was read from. */
export interface DeployedAnswer {
  /** The states read, one per stack: `ws-dev from .butter/mock/stacks/ws-dev/butter.tfstate (butter deploy)`. */
  readonly from: string;
  /** What the readers could not take into account (the answer may then be incomplete). */
  readonly warnings: readonly string[];
}

/** Options of `client.graph()`. */
export interface GraphOptions {
  /** DOT text, an SVG picture, or a self-contained HTML page. @default 'dot' */
  readonly format?: GraphFormat;
  /** A title for the picture. @default - none */
  readonly title?: string;
}

/** Options of `client.paths.add` and `client.paths.remove`. */
export interface PathOptions {
  /**
   * The network of the destination service.
   * @default - the one network holding a service named like the destination
   */
  readonly network?: string;
}

const DEFAULT_REGION = { aws: 'us-east-1', google: 'us-central1' } as const;
/** Project of Google networks on the mock cloud, which accepts any project id. */
const MOCK_PROJECT = 'butter-mock';

/**
 * Work with Networks, Services and Paths without writing a stack, as the seed's client did:
 *
 * ```ts
 * const client = await Client.open({ dir: 'my-workspace' });   // mock-aws by default
 * await client.network.create('dev');
 * await client.service.create('dev', 'web', { blueprint: 'example-blueprints/aws-nginx/blueprint.yml', count: 3 });
 * await client.paths.add('0.0.0.0/0', 'web', 80);
 * console.log(client.service.getInstances('dev', 'web'));
 * await client.network.destroy('dev');
 * await client.close();
 * ```
 *
 * Each change is recorded in the workspace file (`butter.workspace.json`), the changed
 * network is synthesized in-process with the constructs (one stack per network) and Terraform
 * applies it; the file is written only once Terraform succeeded. Reads (`get`, `list`) come from
 * Terraform state, enriched on the mock with the mock cloud's instance facts, so they say what
 * is really deployed; they also see networks deployed from the folder's cdktf app with
 * `butter deploy`, which the Client reads but never changes. On mock targets the in-process
 * mock cloud starts with the first change (reads need none) and stops with {@link close}.
 */
export class Client {
  /** Open the workspace in `options.dir` (nothing is written until the first change). */
  public static async open(options: ClientOptions = {}): Promise<Client> {
    const dir = path.resolve(options.dir ?? process.cwd());
    const file = path.join(dir, WORKSPACE_FILE);
    const recorded = readWorkspace(file);
    if (options.target !== undefined && !TARGETS.includes(options.target)) {
      throw new ButterError('TARGET_INVALID', `"${String(options.target)}" is not a target`, { hint: `use one of: ${TARGETS.join(', ')}` });
    }
    const target = options.target ?? recorded?.target ?? 'mock-aws';
    const cloud = cloudOf(target);
    const region = options.region ?? (recorded?.target === target ? recorded.region : undefined) ?? DEFAULT_REGION[cloud];
    const project = cloud !== 'google' ? undefined
      : options.project ?? (recorded?.target === target ? recorded.project : undefined) ?? (isMockTarget(target) ? MOCK_PROJECT : undefined);
    if (recorded && recorded.networks.length > 0
      && (recorded.target !== target || recorded.region !== region || recorded.project !== project)) {
      const now = describeTarget(recorded.target, recorded.region, recorded.project);
      throw new ButterError('WORKSPACE_TARGET_MISMATCH', `the workspace deploys to ${now}, not to ${describeTarget(target, region, project)}`, {
        file,
        key: 'target',
        hint: `leave out --cloud/--region/--project to use ${now}, destroy its networks first (${recorded.networks.map((n) => n.name).join(', ')}), or use another folder (-C)`,
      });
    }
    const backend = options.backend ?? recorded?.backend;
    if (options.backend !== undefined) parseWorkspace({ ...emptyWorkspace(target, region, project), backend: options.backend }, file); // untrusted: same rules as the file
    if (recorded && recorded.networks.length > 0 && JSON.stringify(recorded.backend ?? { type: 'local' }) !== JSON.stringify(backend ?? { type: 'local' })) {
      throw new ButterError('WORKSPACE_BACKEND_MISMATCH', `the workspace keeps its state in ${JSON.stringify(recorded.backend ?? { type: 'local' })}, not ${JSON.stringify(backend)}`, {
        file,
        key: 'backend',
        hint: 'leave out the backend option to use the workspace\'s; moving state between backends is Terraform\'s job (terraform init -migrate-state), not a Butter option',
      });
    }
    return new Client(dir, file, target, region, project, toProgress(options.progress), backend, options.handleSignals ?? false);
  }

  /** Networks: the top-level containers. */
  public readonly network = {
    /** Create and deploy a network; resolves to what was deployed. */
    create: (name: string, options: NetworkCreateOptions = {}): Promise<NetworkInfo> => this.createNetwork(name, options),
    /** A deployed network; throws `NETWORK_NOT_FOUND` (with the closest name) when there is none. */
    get: (name: string): NetworkInfo => this.getNetwork(name),
    /** Every deployed network (the workspace's first, then those of the folder's cdktf app). */
    list: (): NetworkInfo[] => this.listNetworks(),
    /** Destroy a workspace network with its services and paths (terraform destroy of its stack). */
    destroy: (name: string, options: DestroyOptions = {}): Promise<void> => this.destroyNetwork(name, options),
  };

  /** Services: groups of instances made from blueprints. */
  public readonly service = {
    /** Create and deploy a service in a workspace network; resolves to what was deployed. */
    create: (network: string, name: string, options: ServiceCreateOptions): Promise<ServiceInfo> => this.createService(network, name, options),
    /** A deployed service; throws `NETWORK_NOT_FOUND` or `SERVICE_NOT_FOUND`. */
    get: (network: string, name: string): ServiceInfo => this.getService(network, name),
    /** The service's instances (zone, private and public IP, state). */
    getInstances: (network: string, name: string): InstanceInfo[] => [...this.getService(network, name).instances],
    /** Services of one network, or of every network. */
    list: (network?: string): ServiceInfo[] =>
      (network === undefined ? this.listNetworks() : [this.getNetwork(network)]).flatMap((n) => [...n.services]),
    /** Destroy a service and every path into or out of it (its network stays). */
    destroy: (network: string, name: string, options: DestroyOptions = {}): Promise<void> => this.destroyService(network, name, options),
  };

  /** Paths: allowed traffic into services. */
  public readonly paths = {
    /**
     * Allow traffic from `source` (a service of the same network, a CIDR block, or `internet`)
     * to the service `destination` on `port` (`80`, `'tcp:80'`, `'udp:53'`, `'tcp:8000-8080'`).
     */
    add: (source: string, destination: string, port: number | string, options: PathOptions = {}): Promise<void> =>
      this.changePath('add', source, destination, port, options),
    /** Remove a path added with `add`; throws `PATH_NOT_FOUND` when there is no such path. */
    remove: (source: string, destination: string, port: number | string, options: PathOptions = {}): Promise<void> =>
      this.changePath('remove', source, destination, port, options),
    /** Deployed paths of one network, or of every network. */
    list: (network?: string): PathInfo[] =>
      (network === undefined ? this.listNetworks() : [this.getNetwork(network)]).flatMap((n) => [...n.paths]),
    /**
     * Whether `source` (a service: `web`, `dev/web` or a ServiceInfo; a CIDR block or address;
     * or `internet`) may send `port` traffic to `destination`, from what is deployed: the
     * seed's `has_access`, with the reason and the rules that decide it.
     */
    hasAccess: (source: SourceRef | 'internet', destination: ServiceRef, port: PortInput): Verdict & DeployedAnswer =>
      this.answer((r) => r.hasAccess(source === 'internet' ? { kind: 'cidr', cidr: '0.0.0.0/0' } : source, destination, port)),
    /**
     * Whether the internet reaches `service` on `port`, from what is deployed: a rule admits
     * a public address, the instances have one, and a route leads to them (the seed's
     * `internet_accessible`).
     */
    internetAccessible: (service: ServiceRef, port: PortInput): InternetVerdict & DeployedAnswer =>
      this.answer((r) => r.internetAccessible(service, port)),
  };

  private cloud?: Promise<MockCloud>;

  private constructor(
    /** The workspace folder. */
    public readonly dir: string,
    /** The workspace file. */
    public readonly file: string,
    public readonly target: Target,
    public readonly region: string,
    public readonly project: string | undefined,
    private readonly progress: Progress,
    /** Where real-cloud networks keep their state (undefined: local). */
    public readonly backend: WorkspaceBackend | undefined,
    private readonly handleSignals: boolean,
  ) {}

  /** True when the target is the local mock cloud. */
  public get mock(): boolean {
    return isMockTarget(this.target);
  }

  /** Where the mock cloud keeps its record of what exists (read it with CloudStore). */
  public get mockStateDir(): string {
    return mockStateDir(this.dir);
  }

  /** The workspace as recorded now (re-read from the file: another process may have changed it). */
  public workspace(): Workspace {
    return readWorkspace(this.file) ?? emptyWorkspace(this.target, this.region, this.project);
  }

  /** Synthesize a workspace network's stack as recorded, without deploying it (dry runs, reviews). */
  public synth(network: string): NetworkStack {
    const ws = this.workspace();
    this.workspaceNetwork(ws, network);
    return synthesizeNetwork(this.dir, this.forTarget(ws), network);
  }

  /**
   * Who can reach what, from what is deployed: the seed's `graph()`. DOT text by default (a
   * cluster per network, edges labelled protocol:port); `{ format: 'svg' | 'html' }` draws it.
   */
  public graph(options?: GraphOptions & { format?: 'dot' }): string;
  public graph(options: GraphOptions & { format: 'svg' | 'html' }): Promise<string>;
  public graph(options: GraphOptions = {}): string | Promise<string> {
    const { model, from } = this.deployedModel();
    if ((options.format ?? 'dot') === 'dot') return toDot(model, { title: options.title });
    return drawGraph(model, options.format!, { title: options.title, source: from });
  }

  /** Stop the mock cloud, if this client started it. Deployed resources stay. */
  public async close(): Promise<void> {
    const cloud = this.cloud;
    this.cloud = undefined;
    if (cloud) await (await cloud).stop();
  }

  // ------------------------------------------------------------------------------ networks

  private async createNetwork(name: string, options: NetworkCreateOptions): Promise<NetworkInfo> {
    checkName('network', name);
    const blueprint = options.blueprint === undefined ? undefined : this.storedBlueprint(options.blueprint);
    // Interrupted, it leaves a network the workspace does not list: only destroy reaches it.
    const abandon = `or \`butter network destroy ${name}\` removes what it deployed`;
    await this.change(`network create ${name}`, name, 'deploy', (ws) => {
      if (ws.networks.some((n) => n.name === name)) {
        throw new ButterError('NETWORK_EXISTS', `network "${name}" already exists`, {
          hint: `pick another name, or destroy it first: butter network destroy ${name}`,
        });
      }
      return { ...ws, networks: [...ws.networks, { name, ...(blueprint ? { blueprint } : {}) }] };
    }, abandon);
    return this.getNetwork(name);
  }

  private async destroyNetwork(name: string, options: DestroyOptions): Promise<void> {
    const recorded = this.workspace().networks.some((n) => n.name === name);
    // A `network create` that was interrupted (or failed) deployed part of a network the
    // workspace never recorded; destroying it is the way to abandon it, so it is destroyed too.
    const unrecorded = !recorded && this.deployedUnrecorded(name);
    if (options.ifExists && !recorded && !unrecorded) return;
    await this.change(`network destroy ${name}`, name, 'destroy', (ws) => {
      if (unrecorded && !ws.networks.some((n) => n.name === name)) return ws;
      this.workspaceNetwork(ws, name);
      return {
        ...ws,
        networks: ws.networks.filter((n) => n.name !== name),
        services: ws.services.filter((s) => s.network !== name),
        paths: ws.paths.filter((p) => p.network !== name),
      };
    });
    // Terraform destroyed everything: the addresses are free again, and the mock's working
    // folder (an empty state) would only be noise. A real cloud's state file is left alone.
    releaseAddresses(this.dir, name);
    fs.rmSync(stackOutdir(this.dir, name), { recursive: true, force: true });
    if (this.mock) fs.rmSync(mockWorkdir(this.dir, stackName(name)), { recursive: true, force: true });
  }

  /** Whether the workspace's stack for network `name` has deployed state though the workspace does not list it. */
  private deployedUnrecorded(name: string): boolean {
    try {
      return deployedNetworks(this.dir, this.mock).some((n) => n.stack === stackName(name) && n.name === name);
    } catch {
      return false; // unreadable state: the plain "not found" stays right
    }
  }

  private listNetworks(): NetworkInfo[] {
    const ws = this.workspace();
    const all = deployedNetworks(this.dir, this.mock);
    const ours = (n: NetworkInfo) => n.stack !== undefined && networkOfStack(n.stack) === n.name && ws.networks.some((x) => x.name === n.name);
    const byName = (a: NetworkInfo, b: NetworkInfo) => a.name.localeCompare(b.name) || (a.stack ?? '').localeCompare(b.stack ?? '');
    return [...all.filter(ours).sort(byName), ...all.filter((n) => !ours(n)).sort(byName)];
  }

  /** The reachability model of every deployed stack (the workspace's and the app's) on this client's cloud. */
  private deployedModel(): { model: ReachabilityModel; from: string } {
    const report = deployedStates(this.dir, this.mock);
    if (report.states.length === 0) {
      throw new ButterError('NOTHING_DEPLOYED', `nothing is deployed from ${this.dir} on ${this.mock ? 'the mock cloud' : 'a real cloud'}`, {
        hint: report.elsewhere.length ? `stacks ${report.elsewhere.map((s) => s.stack).join(', ')} have state on ${this.mock ? 'a real' : 'the mock'} cloud: open the client with that target`
          : 'create a network and services first (client.network.create, client.service.create)',
      });
    }
    const model = fromState(report.states.map((s) => ({ stack: s.stack, resources: [...s.resources] })));
    return { model, from: describeSources(report.states) };
  }

  private answer<V extends Verdict>(ask: (r: Reachability) => V): V & DeployedAnswer {
    const { model, from } = this.deployedModel();
    return { ...ask(new Reachability(model)), from, warnings: [...(model.warnings ?? [])] };
  }

  private getNetwork(name: string): NetworkInfo {
    const all = this.listNetworks();
    const found = all.find((n) => n.name === name);
    if (!found) {
      throw new ButterError('NETWORK_NOT_FOUND', `no network named "${name}" is deployed`, {
        hint: all.length ? nameHint(name, [...new Set(all.map((n) => n.name))].sort(), 'network') : `create it: butter network create ${name}`,
      });
    }
    return found;
  }

  // ------------------------------------------------------------------------------ services

  private async createService(network: string, name: string, options: ServiceCreateOptions): Promise<ServiceInfo> {
    checkName('service', name);
    if (!options || typeof options.blueprint !== 'string') {
      throw new ButterError('SERVICE_BLUEPRINT_REQUIRED', `service "${name}" needs a blueprint`, { hint: 'pass blueprint: "path/to/blueprint.yml" (--blueprint on the command line)' });
    }
    const blueprint = this.storedBlueprint(options.blueprint);
    const vars = plainVars(options.vars ?? {});
    await this.change(`service create ${network}/${name}`, network, 'deploy', (ws) => {
      this.workspaceNetwork(ws, network);
      if (ws.services.some((s) => s.network === network && s.name === name)) {
        throw new ButterError('SERVICE_EXISTS', `service "${name}" already exists in network "${network}"`, {
          hint: `pick another name, or destroy it first: butter service destroy ${network} ${name}`,
        });
      }
      const service = {
        network,
        name,
        blueprint,
        ...(options.count !== undefined ? { count: options.count } : {}),
        ...(Object.keys(vars).length ? { vars } : {}),
      };
      return { ...ws, services: [...ws.services, service] };
    });
    return this.getService(network, name);
  }

  private async destroyService(network: string, name: string, options: DestroyOptions): Promise<void> {
    if (options.ifExists && !this.workspace().services.some((s) => s.network === network && s.name === name)) return;
    await this.change(`service destroy ${network}/${name}`, network, 'deploy', (ws) => {
      this.workspaceService(ws, network, name);
      return {
        ...ws,
        services: ws.services.filter((s) => !(s.network === network && s.name === name)),
        // A path cannot outlive either end.
        paths: ws.paths.filter((p) => !(p.network === network && (p.destination === name || p.source === name))),
      };
    });
    releaseAddresses(this.dir, network, name);
  }

  private getService(network: string, name: string): ServiceInfo {
    const net = this.getNetwork(network);
    const found = net.services.find((s) => s.name === name);
    if (!found) {
      throw new ButterError('SERVICE_NOT_FOUND', `no service named "${name}" is deployed in network "${network}"`, {
        hint: net.services.length ? nameHint(name, net.services.map((s) => s.name), 'service') : `create it: butter service create ${network} ${name} --blueprint FILE`,
      });
    }
    return found;
  }

  // ------------------------------------------------------------------------------ paths

  private async changePath(op: 'add' | 'remove', source: string, destination: string, port: number | string, options: PathOptions): Promise<void> {
    const canonical = canonicalPort(port);
    let network = options.network;
    await this.change(`paths ${op} ${source} ${destination} ${canonical}`, () => network!, 'deploy', (ws) => {
      network = network ?? this.networkOfService(ws, destination);
      const services = this.workspaceNetwork(ws, network).services;
      this.workspaceService(ws, network, destination);
      const src = canonicalSource(source, services);
      if (src === undefined) {
        throw new ButterError('PATH_SOURCE_INVALID', `"${source}" is neither a service of network "${network}" nor a CIDR block`, {
          hint: suggestionOr(source, services, 'use a service name, a CIDR block such as 203.0.113.0/24, or internet (0.0.0.0/0)'),
        });
      }
      const entry: WorkspacePath = { network, source: src, destination, port: canonical };
      const same = (p: WorkspacePath) => p.network === network && p.source === src && p.destination === destination && p.port === canonical;
      const exists = ws.paths.some(same);
      if (op === 'add' && exists) {
        throw new ButterError('PATH_EXISTS', `the path from ${src} to ${destination} on ${canonical} already exists in network "${network}"`, { hint: 'nothing to do' });
      }
      if (op === 'remove' && !exists) {
        const there = ws.paths.filter((p) => p.network === network).map((p) => `${p.source} -> ${p.destination} ${p.port}`);
        throw new ButterError('PATH_NOT_FOUND', `there is no path from ${src} to ${destination} on ${canonical} in network "${network}"`, {
          hint: there.length ? `paths are: ${there.join('; ')}` : 'the network has no paths',
        });
      }
      return { ...ws, paths: op === 'add' ? [...ws.paths, entry] : ws.paths.filter((p) => !same(p)) };
    });
  }

  // ------------------------------------------------------------------------------ changes

  /**
   * One change: under the workspace lock, read the workspace afresh, apply `edit`, synthesize
   * the network's stack and run Terraform; record the new workspace only once that succeeded.
   * `network` may be a function when the edit itself finds the network (paths). `abandon`: how
   * to give up an interrupted change instead of finishing it, for the error's hint.
   * @default - the network's next change undoes it
   */
  private async change(what: string, network: string | (() => string), action: 'deploy' | 'destroy',
    edit: (ws: Workspace) => Workspace, abandon?: string): Promise<void> {
    // Signals (interrupt.ts): the first stops the change at the next step, passing it to a running
    // Terraform; the force hooks below put the ledger back and release the locks on a second.
    const interrupt = this.handleSignals ? Interrupt.listen() : Interrupt.join();
    let name: string | undefined;
    try {
      await this.locked(interrupt, async () => {
        const current = this.forTarget(this.workspace());
        const next = edit(current);
        parseWorkspace(next, this.file); // a bug in an edit must never reach the file
        name = typeof network === 'function' ? network() : network;
        checkTargetReady(next, this.file);
        // Destroy runs against the network alone: Terraform destroys whatever its state holds,
        // so the services' blueprints need not even exist any more (nor the network's entry,
        // for what an interrupted `network create` left).
        const networks = current.networks.some((n) => n.name === name) ? current.networks : [...current.networks, { name }];
        const desired = action === 'destroy' ? { ...current, networks, services: [], paths: [] } : next;
        // Synthesis records new addresses in the workspace ledger; a change that fails must leave
        // it as it was, like the workspace file.
        const ledger = workspaceLedger(this.dir);
        const ledgerBefore = readIfExists(ledger);
        const forgetForce = interrupt?.onForce(() => restoreFile(ledger, ledgerBefore));
        try {
          const stack = await this.progress.step(`${stackName(name)}: synthesize`, async () => synthesizeNetwork(this.dir, desired, name!));
          interrupt?.throwIfInterrupted(what);
          await runStacks({
            cwd: this.dir,
            action,
            stacks: [stack.stack],
            skipSynth: true,
            outdir: stack.outdir,
            mock: this.mock,
            mockCloud: this.mock ? await this.mockCloud() : undefined,
            progress: this.progress,
          });
          // Done (even if a signal came just as Terraform finished): the workspace says so below.
        } catch (e) {
          restoreFile(ledger, ledgerBefore);
          throw deployFailed(what, e);
        } finally {
          forgetForce?.();
        }
        writeWorkspace(this.file, next);
      });
    } catch (e) {
      // Whatever failed after a signal failed because of it (Terraform exits 1 when interrupted).
      if (interrupt?.received) throw changeInterrupted(interrupt.received, what, name, abandon);
      throw e;
    } finally {
      interrupt?.dispose();
    }
  }

  /**
   * Run `fn` holding the workspace lock, so two processes never interleave read-deploy-write.
   * A signal stops the wait, and a second one releases the lock before the process exits.
   */
  private async locked<T>(interrupt: Interrupt | undefined, fn: () => Promise<T>): Promise<T> {
    const lock = path.join(this.dir, '.butter', 'workspace.lock');
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    let release: () => void;
    try {
      release = await acquireLock(lock, { timeoutMs: 120_000, signal: interrupt?.signal });
    } catch (e) {
      if (e instanceof LockTimeoutError) {
        throw new ButterError('WORKSPACE_LOCKED', `another Butter command is changing this workspace${e.holder ? ` (pid ${e.holder.pid})` : ''}`, {
          file: lock,
          hint: 'wait for it to finish; if no Butter command is running, delete the lock file',
        });
      }
      throw e;
    }
    const forgetForce = interrupt?.onForce(release);
    try {
      return await fn();
    } finally {
      forgetForce?.();
      release();
    }
  }

  private mockCloud(): Promise<MockCloud> {
    if (!this.cloud) {
      this.cloud = this.progress.step('start mock cloud', () => startMockCloud({ stateDir: mockStateDir(this.dir) }));
      this.cloud.catch(() => (this.cloud = undefined));
    }
    return this.cloud;
  }

  // ------------------------------------------------------------------------------ helpers

  /** The workspace with this client's target (they differ only while it holds no network). */
  private forTarget(ws: Workspace): Workspace {
    const { networks, services, paths } = ws;
    return {
      version: 1, target: this.target, region: this.region, ...(this.project ? { project: this.project } : {}),
      ...(this.backend ? { backend: this.backend } : {}), networks, services, paths,
    };
  }

  private workspaceNetwork(ws: Workspace, name: string): { services: string[] } {
    if (!ws.networks.some((n) => n.name === name)) {
      const stack = this.deployedStackOf(name);
      if (stack) {
        throw new ButterError('NETWORK_NOT_IN_WORKSPACE', `network "${name}" was deployed from stack "${stack}" of the cdktf app, not by the workspace`, {
          hint: `change it in the app and run butter deploy ${stack} (or butter destroy ${stack})`,
        });
      }
      throw new ButterError('NETWORK_NOT_FOUND', `no network named "${name}" in the workspace`, {
        file: this.file,
        hint: ws.networks.length ? nameHint(name, ws.networks.map((n) => n.name), 'network') : `create it first: butter network create ${name}`,
      });
    }
    return { services: ws.services.filter((s) => s.network === name).map((s) => s.name) };
  }

  private workspaceService(ws: Workspace, network: string, name: string): void {
    const services = this.workspaceNetwork(ws, network).services;
    if (!services.includes(name)) {
      throw new ButterError('SERVICE_NOT_FOUND', `no service named "${name}" in network "${network}"`, {
        file: this.file,
        hint: services.length ? nameHint(name, services, 'service') : `network "${network}" has no services yet`,
      });
    }
  }

  /** The one workspace network holding a service named `service`. */
  private networkOfService(ws: Workspace, service: string): string {
    const holders = ws.services.filter((s) => s.name === service).map((s) => s.network);
    if (holders.length === 1) return holders[0];
    if (holders.length > 1) {
      throw new ButterError('PATH_NETWORK_AMBIGUOUS', `services named "${service}" are in networks ${holders.join(', ')}`, {
        hint: 'say which: --network NAME (network: in the API)',
      });
    }
    throw new ButterError('SERVICE_NOT_FOUND', `no service named "${service}" in the workspace`, {
      file: this.file,
      hint: ws.services.length ? nameHint(service, [...new Set(ws.services.map((s) => s.name))], 'service') : 'create a service first: butter service create NETWORK NAME --blueprint FILE',
    });
  }

  private deployedStackOf(network: string): string | undefined {
    try {
      return deployedNetworks(this.dir, this.mock).find((n) => n.name === network && n.stack && !networkOfStack(n.stack))?.stack;
    } catch {
      return undefined; // unreadable state: the plain "not found" is still right for the workspace
    }
  }

  /** A blueprint path as the workspace stores it; the file must exist. */
  private storedBlueprint(file: string): string {
    const abs = path.resolve(file);
    if (!fs.existsSync(abs)) {
      throw new ButterError('BLUEPRINT_NOT_FOUND', 'blueprint file not found', { file, hint: 'check the path (relative paths start from the current directory)' });
    }
    return toStoredPath(this.dir, abs);
  }
}

function describeTarget(target: Target, region: string, project?: string): string {
  return `${target} ${region}${project ? ` (project ${project})` : ''}`;
}

/** Real Google Cloud needs a project; say so before synthesizing anything. */
function checkTargetReady(ws: Workspace, file: string): void {
  if (ws.target === 'google' && !ws.project) {
    throw new ButterError('WORKSPACE_PROJECT_REQUIRED', 'Google Cloud networks need a project', {
      file,
      key: 'project',
      hint: 'pass --project my-project-id (project: in the API)',
    });
  }
  if (!isMockTarget(ws.target)) assertRealCloudEnvironment(process.env);
}

/**
 * Refuse to deploy to a real cloud from a shell set up for the mock (`butter mock setup
 * --shell`): Terraform would install the mock providers from the mirror and "deploy" to them.
 */
export function assertRealCloudEnvironment(env: NodeJS.ProcessEnv): void {
  const set = ['TF_REATTACH_PROVIDERS', 'BUTTER_MOCK_STATE_DIR'].filter((k) => env[k]);
  if (/[\\/]\.butter[\\/]terraform-mirror[\\/]/.test(env.TF_CLI_CONFIG_FILE ?? '')) set.push('TF_CLI_CONFIG_FILE');
  if (set.length) {
    throw new ButterError('MOCK_ENVIRONMENT_SET', `this shell points Terraform at the mock cloud (${set.join(', ')})`, {
      hint: `unset ${set.join(' ')} to deploy to the real cloud, or use --cloud mock-aws / mock-google`,
    });
  }
}

/** Template variables as plain JSON (they are written to the workspace file). */
function plainVars(vars: Record<string, unknown>): Record<string, unknown> {
  if (typeof vars !== 'object' || vars === null || Array.isArray(vars)) {
    throw new ButterError('VAR_INVALID', 'template variables must be an object of names to values', { hint: 'pass vars: { Name: value }' });
  }
  for (const [name, value] of Object.entries(vars)) {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch {
      text = undefined;
    }
    if (text === undefined || text.includes('${')) {
      throw new ButterError('VAR_INVALID', `the value of ${name} is not plain data`, {
        key: name,
        hint: 'the workspace records values as JSON; deploy-time values (tokens) need a cdktf stack, read IPs with client.service.getInstances instead',
      });
    }
  }
  return JSON.parse(JSON.stringify(vars));
}

function suggestionOr(word: string, candidates: string[], otherwise: string): string {
  const hint = nameHint(word, candidates, 'service');
  return hint.startsWith('did you mean') ? `${hint}; or ${otherwise}` : otherwise;
}

/**
 * A change stopped by a signal: what was stopped, that the workspace file is as before, and how
 * to go on. `network` is undefined when the signal came before the change knew its network.
 */
function changeInterrupted(signal: NodeJS.Signals, what: string, network: string | undefined, abandon: string | undefined): InterruptedError {
  const otherwise = abandon ?? (network ? `otherwise the next change to network ${network} undoes what it did` : undefined);
  return new InterruptedError(signal, what, {
    state: 'the workspace file is unchanged, and a running Terraform finished the changes in progress and saved its state',
    resume: 'run the same command again to finish it: Terraform resumes from its saved state, and objects the interrupted run created are adopted, not created twice'
      + (otherwise ? `; ${otherwise}` : ''),
  });
}

/** A failed Terraform run during a change: say which change, and that nothing was recorded. */
function deployFailed(what: string, e: unknown): unknown {
  if (!isButterError(e) || !e.code.startsWith('TERRAFORM')) return e;
  return new ButterError(e.code, `${what} failed; the workspace file is unchanged. ${e.problem}`, {
    file: e.file,
    key: e.key,
    constructPath: e.constructPath,
    hint: `${e.hint ? `${e.hint}. ` : ''}Anything the failed run created goes with the next change to this network`,
  });
}

/** Put `file` back as it was (`before` undefined: it did not exist). */
function restoreFile(file: string, before: string | undefined): void {
  if (before === undefined) fs.rmSync(file, { force: true });
  else if (readIfExists(file) !== before) writeFileAtomic(file, before);
}

/** Forget the addresses of a destroyed service (or network), so they can be used again. */
function releaseAddresses(dir: string, network: string, service?: string): void {
  const file = workspaceLedger(dir);
  if (!fs.existsSync(file)) return;
  const planner = new AddressPlanner(readLedger(file));
  if (planner.release(network, service)) writeLedger(file, planner.ledger().ledger);
}

/** A line callback as a {@link Progress}: a line when a step starts, one when it ends. */
function toProgress(p: ClientOptions['progress']): Progress {
  if (p === undefined) return silentProgress;
  if (typeof p !== 'function') return p;
  return {
    async step<T>(label: string, fn: () => Promise<T>): Promise<T> {
      const t0 = Date.now();
      p(`… ${label}`);
      try {
        const result = await fn();
        p(`✓ ${label} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
        return result;
      } catch (e) {
        p(`✗ ${label}`);
        throw e;
      }
    },
    line: () => undefined,
  };
}
