import * as path from 'node:path';
import { Construct, IConstruct } from 'constructs';
import { App } from 'cdktf';
import { ButterError, installUncaughtErrorHandler, withErrorLocation } from '../src/errors';
import { CloudName, NetworkBlueprint } from '../src/blueprint/types';
import { DEFAULT_NETWORK_BLUEPRINT, loadNetworkBlueprint } from '../src/blueprint/load';
import { AddressBook } from '../src/planning/address-book';
import type { Service } from './service';
import type { Path } from './path';
import type { CloudRenderer } from './renderer';
import { createRenderer } from './renderers';
import { sameCopies } from './copies';

// A ButterError a user's app does not catch prints as its message through `cdktf synth` too,
// not as a stack trace (every app using Butter's constructs loads this file).
installUncaughtErrorHandler();

/** Properties of a {@link Network}. */
export interface NetworkProps {
  /** The cloud to build the network on. */
  readonly cloud: CloudName;
  /**
   * Region, e.g. `us-east-1` (AWS) or `us-central1` (Google). Services spread over its zones.
   */
  readonly region: string;
  /**
   * Google Cloud project id. Required when `cloud` is `google`, ignored on AWS.
   * @default - none
   */
  readonly project?: string;
  /**
   * Network blueprint: a path to a YAML file (relative to the working directory) or a parsed
   * blueprint. Sets the private address range, the network's size and the NAT mode.
   * @default - 10.0.0.0/8 range, a /16 network, one NAT gateway per zone
   */
  readonly blueprint?: string | NetworkBlueprint;
  /**
   * Where address allocations are recorded so that adding, removing or reordering services
   * never renumbers another service's subnets (commit this file, like cdk.context.json).
   * `false` keeps allocations in memory only: fine for tests, not for real deployments.
   *
   * The file is written only when the app synthesizes completely (`app.synth()`), so a synth
   * that fails leaves it as it was. Under cdktf's `Testing` (`Testing.app()`, `synthScope`,
   * `fullSynth`) the file is neither read nor written: allocations start from an empty ledger
   * in memory, so tests are deterministic and never reserve addresses in the committed file.
   * @default 'butter.lock.json' in the working directory
   */
  readonly addressLedger?: string | false;
  /**
   * Add the cloud's Terraform provider to the stack if it has none.
   * Set to false when you configure the provider yourself (credentials, assume-role, aliases).
   * @default true
   */
  readonly addProvider?: boolean;
}

/**
 * The top-level container: an AWS VPC or a Google Cloud custom-mode network.
 *
 * Services are created inside it (`new Service(network, 'web', {...})`), and Paths between its
 * services allow traffic. Nothing is reachable unless a Path says so.
 */
export class Network extends Construct {
  /** The Network a construct belongs to, or an error naming the construct. */
  public static of(scope: IConstruct): Network {
    for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
      if (c instanceof Network) return c;
    }
    throw new ButterError('NETWORK_NOT_FOUND', `${scope.node.path} is not inside a Network`, {
      hint: 'create Services with a Network as their scope: new Service(network, "web", {...})',
    });
  }

  /** The network's name (its construct id), used in cloud resource names and tags. */
  public readonly networkName: string;
  public readonly cloud: CloudName;
  public readonly region: string;
  public readonly project?: string;
  /** The validated network blueprint. */
  public readonly blueprint: NetworkBlueprint;
  /** The network's private block, e.g. `10.0.0.0/16` (the VPC CIDR on AWS). */
  public readonly cidr: string;
  /** Stable address allocations, shared by every network using the same ledger file. */
  public readonly addresses: AddressBook;

  private readonly _services: Service[] = [];
  private readonly _paths: Path[] = [];
  /** @internal */
  public readonly renderer: CloudRenderer;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(sameCopies(scope, `Network ${id}`), id);
    this.networkName = id;
    this.cloud = props.cloud;
    this.region = props.region;
    this.project = props.project;
    this.blueprint = withErrorLocation({ constructPath: this.node.path }, () => resolveNetworkBlueprint(props.blueprint));
    validateNetworkProps(this.node.path, props, this.blueprint);
    const ledger = props.addressLedger === undefined ? 'butter.lock.json' : props.addressLedger;
    const root = this.node.root;
    const persist = !isTestingApp(root);
    this.addresses = AddressBook.open(ledger === false ? undefined : path.resolve(ledger), root, { persist });
    if (persist) onAppSynthesized(root, this.addresses);
    this.cidr = withErrorLocation({ file: this.blueprint.file, key: 'network', constructPath: this.node.path }, () =>
      this.addresses.networkBlock(this.networkName, this.blueprint.allowedPrivateCidr, this.blueprint.sizeBits));

    this.renderer = createRenderer(this, props.addProvider ?? true);
  }

  /** Services created in this network, in creation order. */
  public get services(): readonly Service[] {
    return [...this._services];
  }

  /** Paths between this network's services (and from CIDR blocks to them). */
  public get paths(): readonly Path[] {
    return [...this._paths];
  }

  /** Look up a service by name. */
  public service(name: string): Service | undefined {
    return this._services.find((s) => s.serviceName === name);
  }

  /** @internal called by Service's constructor */
  public _registerService(service: Service): void {
    this._services.push(service);
  }

  /** @internal called by Path's constructor */
  public _registerPath(p: Path): void {
    this._paths.push(p);
  }
}

/**
 * True for an app made by cdktf's `Testing.app()` (also what `synthScope` uses): it stubs the
 * cdktf version in the context, which a real app never has.
 */
function isTestingApp(root: IConstruct): boolean {
  return root.node.tryGetContext('cdktfVersion') === 'stubbed' || (root instanceof App && root.manifest.version === 'stubbed');
}

/** Books to commit per app, once its `synth()` has finished. */
const pendingCommits = new WeakMap<IConstruct, Set<AddressBook>>();

/**
 * Commit `book` when the app rooted at `root` has synthesized every stack. cdktf has no
 * after-synth hook, so the app's `synth` is wrapped (once per app). A synth that throws commits
 * nothing, and a tree that is never synthesized with `app.synth()` (`Testing.synth(stack)`, a
 * plain construct root) never writes the ledger.
 */
function onAppSynthesized(root: IConstruct, book: AddressBook): void {
  if (!(root instanceof App)) return;
  let books = pendingCommits.get(root);
  if (!books) {
    pendingCommits.set(root, (books = new Set()));
    const synth = root.synth.bind(root);
    const all = books;
    root.synth = () => {
      synth();
      for (const b of all) b.commit();
    };
  }
  books.add(book);
}

function resolveNetworkBlueprint(bp: string | NetworkBlueprint | undefined): NetworkBlueprint {
  if (bp === undefined) return DEFAULT_NETWORK_BLUEPRINT;
  return typeof bp === 'string' ? loadNetworkBlueprint(bp) : bp;
}

function validateNetworkProps(constructPath: string, props: NetworkProps, bp?: NetworkBlueprint): void {
  if (props.cloud !== 'aws' && props.cloud !== 'google') {
    throw new ButterError('NETWORK_CLOUD_INVALID', `cloud "${String(props.cloud)}" is not supported`, {
      constructPath,
      hint: 'use cloud: "aws" or cloud: "google"',
    });
  }
  // AWS: us-east-1, ap-southeast-2; Google: us-central1, europe-west1, northamerica-northeast1.
  if (!props.region || !/^[a-z]{2,}(-[a-z]+)+-?\d+$/.test(props.region)) {
    throw new ButterError('NETWORK_REGION_INVALID', `region "${props.region ?? ''}" is not a ${props.cloud} region name`, {
      constructPath,
      hint: props.cloud === 'aws' ? 'use a region such as us-east-1' : 'use a region such as us-central1',
    });
  }
  if (props.cloud === 'aws' && bp && (bp.sizeBits < 4 || bp.sizeBits > 16)) {
    // AWS takes VPC blocks from /16 to /28 only; other clouds have no such limit.
    throw new ButterError('NETWORK_SIZE_INVALID', `legacy_network_size_bits ${bp.sizeBits} gives a /${32 - bp.sizeBits} VPC; AWS allows /16 to /28`, {
      constructPath,
      file: bp.file,
      key: 'network.legacy_network_size_bits',
      hint: 'use a value from 4 to 16 on AWS',
    });
  }
  if (props.cloud === 'google' && !props.project) {
    throw new ButterError('NETWORK_PROJECT_REQUIRED', 'a Google Cloud network needs a project', {
      constructPath,
      hint: 'set project: "my-project-id" on the Network',
    });
  }
}
