/**
 * Reference providers for the mock deploy benchmark (mock-deploy.ts): what Terraform costs with a
 * provider that does as little as a provider can, served the same way as the mock cloud
 * (TF_REATTACH_PROVIDERS, in this process).
 *
 * - {@link serveNoopClouds}: Butter's AWS and Google providers with their real schemas and data
 *   sources, but resources that do nothing: a create makes up the values the cloud would decide,
 *   and nothing is stored on disk. Terraform's own work for a configuration (plans, state, value
 *   checks, one RPC per step) is the same as with the mock cloud, so this is the floor for *any*
 *   provider with these schemas.
 * - {@link serveTrivialProvider}: one resource type with one attribute, the gRPC plugin protocol
 *   alone, to compare with the same number of `terraform_data` resources.
 */
import { BUILTIN_PROVIDERS } from '../src/mock/catalog';
import { CloudDocument, CloudStore, PendingCreates } from '../src/mock/cloud/store';
import { CloudView, Draft } from '../src/mock/cloud/view';
import { Cloud } from '../src/mock/cloud/cloud';
import { ProviderService } from '../src/mock/framework/provider-service';
import { ProviderDefinition, ResourceType } from '../src/mock/framework/types';
import { ReattachProviders } from '../src/mock/launch/reattach';
import { serveProvider, ServedProvider } from '../src/mock/plugin/grpc-server';
import { compileSchema } from '../src/mock/schema/compile';
import { optional } from '../src/mock/schema/dsl';
import { Shape } from '../src/mock/values/shape';
import { isUnknown } from '../src/mock/values/unknown';
import { isObjectValue, ObjectValue, Value } from '../src/mock/values/value';

/** Providers served in this process, and the environment Terraform needs to use them. */
export interface ServedReference {
  readonly env: { readonly TF_REATTACH_PROVIDERS: string };
  close(): Promise<void>;
}

/** A cloud kept in memory only: no file, no lock, no fsync. */
class MemoryStore extends CloudStore {
  private doc: CloudDocument;

  constructor(provider: string) {
    super('(memory)', provider);
    this.doc = { format: 'butter-mock-cloud/1', provider, serial: 0, sequence: 0, objects: {} };
  }

  public override read<T>(fn: (cloud: Cloud, pending: PendingCreates) => T): T {
    const view = new CloudView(this.doc);
    return fn(view, view.pending);
  }

  public override async transaction<T>(fn: (cloud: Cloud, pending: PendingCreates) => T | Promise<T>): Promise<T> {
    const draft = new Draft(this.doc);
    const view = new CloudView(draft);
    const result = await fn(view, view.pending);
    this.doc = draft.doc;
    return result;
  }
}

/** A placeholder for every unknown in `value`, by shape: what a cloud would have decided. */
function decide(value: Value, shape: Shape, next: () => number): Value {
  if (isUnknown(value)) {
    switch (shape.kind) {
      case 'string':
        return `noop-${next()}`;
      case 'number':
        return 1;
      case 'bool':
        return false;
      case 'list':
      case 'set':
        return [];
      case 'map':
        return {};
      default:
        return null;
    }
  }
  if (Array.isArray(value)) {
    return value.map((v, i) => decide(v, shape.kind === 'tuple' ? shape.elements[i] : (shape as { element: Shape }).element, next));
  }
  if (!isObjectValue(value)) return value;
  const out: ObjectValue = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = decide(v, shape.kind === 'object' ? shape.attributes.get(k)! : (shape as { element: Shape }).element, next);
  }
  return out;
}

/** `definition` with resources that keep nothing: same schemas, plans and data sources. */
function noop(definition: ProviderDefinition): ProviderDefinition {
  let counter = 0;
  const next = (): number => ++counter;
  return {
    ...definition,
    resources: definition.resources.map((r): ResourceType => {
      const shape = compileSchema(r.schema, r.name).block.shape;
      return {
        ...r,
        create: (ctx) => decide(ctx.planned, shape, next) as ObjectValue,
        read: (ctx) => ctx.state,
        update: r.update ? () => undefined : undefined,
        delete: () => undefined,
      };
    }),
  };
}

async function serve(definitions: Array<[source: string, definition: ProviderDefinition]>): Promise<ServedReference> {
  const servers: ServedProvider[] = [];
  const providers: ReattachProviders = {};
  for (const [source, definition] of definitions) {
    const server = await serveProvider(new ProviderService(definition, new MemoryStore(definition.name)));
    servers.push(server);
    providers[source] = { Protocol: 'grpc', ProtocolVersion: 6, Pid: process.pid, Test: true, Addr: { Network: 'unix', String: server.address } };
  }
  return {
    env: { TF_REATTACH_PROVIDERS: JSON.stringify(providers) },
    close: async () => void (await Promise.all(servers.map((s) => s.close()))),
  };
}

/** The AWS and Google providers with do-nothing resources, answering as hashicorp/aws and google. */
export function serveNoopClouds(): Promise<ServedReference> {
  return serve(BUILTIN_PROVIDERS.map((e): [string, ProviderDefinition] => [e.source, noop(e.load())]));
}

/** Source address of {@link serveTrivialProvider}'s provider. */
export const TRIVIAL_SOURCE = 'butter/trivial';

/** `trivial_thing { input = "..." }`: one optional attribute, nothing computed, nothing stored. */
export function serveTrivialProvider(): Promise<ServedReference> {
  const definition: ProviderDefinition = {
    name: 'trivial',
    resources: [{
      name: 'trivial_thing',
      schema: { attributes: { input: optional('string') } },
      create: () => ({}),
      read: (ctx) => ctx.state,
      update: () => undefined,
      delete: () => undefined,
    }],
  };
  return serve([[`registry.terraform.io/${TRIVIAL_SOURCE}`, definition]]);
}
