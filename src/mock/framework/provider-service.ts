import { CloudStore } from '../cloud/store';
import { compileSchema, Schema } from '../schema/compile';
import { schemaMessage } from '../schema/to-proto';
import { decodeDynamicValue as decode, encodeDynamicValue as encode } from '../values/dynamic-value';
import { JsonObject, ObjectValue } from '../values/value';
import { attributePathMessage, CloudError, diagnosticMessage, DiagnosticList } from './diagnostics';
import { Confirmations, newSession } from './journal';
import { applyResource, importResource, planResource, readDataSource, readResource, Simulated, upgradeResource } from './lifecycle';
import { ProviderRequest, ProviderResponse } from './messages';
import { DataSourceType, ProviderConfiguration, ProviderDefinition, ResourceType, ValidateContext } from './types';
import { unsimulatedDiagnostics } from './unsimulated';
import { validateBlock } from './validate';

/**
 * A {@link ProviderDefinition} served over the plugin protocol: one method per tfplugin6 RPC,
 * taking and returning messages as @grpc/proto-loader represents them (so tests can call it
 * without gRPC). This is the wire side — decoding values by schema, encoding answers, turning
 * every failure into diagnostics; what each RPC means is in lifecycle.ts.
 */

interface Compiled<T> {
  readonly type: T;
  readonly schema: Schema;
}

const CAPABILITIES = { plan_destroy: true, get_provider_schema_optional: true, move_resource_state: false };

/** Options of a {@link ProviderService}. */
export interface ProviderServiceOptions {
  /**
   * The Terraform working directory, when the service runs as the plugin Terraform started there:
   * GetProviderSchema then names the types its configuration uses that the mock does not simulate
   * (unsimulated.ts). Not for the shared reattach daemon, which serves many directories.
   * @default - no configuration is looked at
   */
  readonly configDir?: string;
}

/** Serves one simulated provider. */
export class ProviderService {
  private readonly providerSchema: Schema;
  private readonly resources = new Map<string, Compiled<ResourceType>>();
  private readonly dataSources = new Map<string, Compiled<DataSourceType>>();
  private configuration: ProviderConfiguration;
  private schemaResponse?: ProviderResponse;
  private readonly inFlight = new Set<AbortController>();
  /**
   * The create journal's session (journal.ts): a new one on every ConfigureProvider, which
   * Terraform calls once per run (and per phase) before any apply.
   */
  private session = newSession();
  private readonly confirmations: Confirmations;

  constructor(public readonly definition: ProviderDefinition, public readonly store: CloudStore, private readonly options: ProviderServiceOptions = {}) {
    this.providerSchema = compileSchema(definition.schema ?? {}, `provider ${definition.name}`);
    for (const r of definition.resources) {
      if (this.resources.has(r.name)) throw new Error(`${definition.name}: resource type ${r.name} is defined twice`);
      this.resources.set(r.name, { type: r, schema: compileSchema(r.schema, r.name, { allForceNew: !r.update }) });
    }
    for (const d of definition.dataSources ?? []) {
      if (this.dataSources.has(d.name)) throw new Error(`${definition.name}: data source ${d.name} is defined twice`);
      this.dataSources.set(d.name, { type: d, schema: compileSchema(d.schema, `data.${d.name}`) });
    }
    this.configuration = { name: definition.name, config: {}, terraformVersion: '' };
    this.confirmations = new Confirmations(store);
  }

  /** Resource type names this provider simulates. */
  public get resourceTypes(): string[] {
    return [...this.resources.keys()];
  }

  /** Data source names this provider simulates. */
  public get dataSourceTypes(): string[] {
    return [...this.dataSources.keys()];
  }

  /** The compiled schema of a resource type or data source (undefined when not simulated). */
  public schemaOf(kind: 'resource' | 'data', name: string): Schema | undefined {
    return (kind === 'resource' ? this.resources : this.dataSources).get(name)?.schema;
  }

  public async GetMetadata(): Promise<ProviderResponse> {
    return {
      server_capabilities: CAPABILITIES,
      resources: this.resourceTypes.map((type_name) => ({ type_name })),
      data_sources: this.dataSourceTypes.map((type_name) => ({ type_name })),
      diagnostics: [],
    };
  }

  public async GetProviderSchema(): Promise<ProviderResponse> {
    this.schemaResponse ??= {
      provider: schemaMessage(this.providerSchema),
      resource_schemas: Object.fromEntries([...this.resources].map(([n, r]) => [n, schemaMessage(r.schema)])),
      data_source_schemas: Object.fromEntries([...this.dataSources].map(([n, d]) => [n, schemaMessage(d.schema)])),
      server_capabilities: CAPABILITIES,
      functions: {},
      diagnostics: this.unsimulatedInConfig().map(diagnosticMessage),
    };
    return this.schemaResponse;
  }

  /** Types the configuration in `configDir` uses that the real provider has and this one lacks. */
  private unsimulatedInConfig(): ReturnType<typeof unsimulatedDiagnostics> {
    if (this.options.configDir === undefined) return [];
    return unsimulatedDiagnostics(this.options.configDir, this.definition.name, {
      resources: new Set(this.resources.keys()), data: new Set(this.dataSources.keys()),
    });
  }

  /** Resource identity (Terraform 1.12+): none. */
  public async GetResourceIdentitySchemas(): Promise<ProviderResponse> {
    return { identity_schemas: {}, diagnostics: [] };
  }

  public async GetFunctions(): Promise<ProviderResponse> {
    return { functions: {}, diagnostics: [] };
  }

  public ValidateProviderConfig(req: ProviderRequest): Promise<ProviderResponse> {
    return this.run('validate provider config', async (diags) => {
      const config = decode(req.config, this.providerSchema.block.shape) ?? {};
      validateBlock(this.providerSchema.block, config, diags);
      this.definition.validate?.(validateContext(`provider ${this.definition.name}`, config, diags));
      return {};
    });
  }

  public ValidateResourceConfig(req: ProviderRequest): Promise<ProviderResponse> {
    return this.run(`validate ${req.type_name}`, async (diags) => {
      const { type, schema } = this.resource(req.type_name);
      const config = decode(req.config, schema.block.shape) ?? {};
      validateBlock(schema.block, config, diags);
      type.validate?.(validateContext(type.name, config, diags));
      return {};
    });
  }

  public ValidateDataResourceConfig(req: ProviderRequest): Promise<ProviderResponse> {
    return this.run(`validate data.${req.type_name}`, async (diags) => {
      const { type, schema } = this.dataSource(req.type_name);
      const config = decode(req.config, schema.block.shape) ?? {};
      validateBlock(schema.block, config, diags);
      type.validate?.(validateContext(type.name, config, diags));
      return {};
    });
  }

  public ConfigureProvider(req: ProviderRequest): Promise<ProviderResponse> {
    return this.run('configure provider', async (diags) => {
      const config = decode(req.config, this.providerSchema.block.shape) ?? {};
      const terraformVersion = req.terraform_version ?? '';
      this.configuration = { name: this.definition.name, config, terraformVersion };
      this.session = newSession();
      await this.definition.configure?.({ config, terraformVersion, error: diags.error, warn: diags.warn });
      return {};
    });
  }

  public UpgradeResourceState(req: ProviderRequest): Promise<ProviderResponse> {
    return this.run(`upgrade ${req.type_name} state`, async (diags) => {
      const { type, schema } = this.resource(req.type_name);
      const json = req.raw_state?.json;
      if (!json || json.length === 0) {
        if (req.raw_state?.flatmap && Object.keys(req.raw_state.flatmap).length > 0) {
          diags.error(`${type.name}: state in the pre-0.12 flatmap format cannot be upgraded by the Butter mock cloud`);
        }
        return { upgraded_state: encode(null, schema.block.shape) };
      }
      const stored = JSON.parse(Buffer.from(json).toString('utf8')) as JsonObject;
      return { upgraded_state: encode(upgradeResource(type, schema, stored, Number(req.version ?? 0)), schema.block.shape) };
    });
  }

  public ReadResource(req: ProviderRequest): Promise<ProviderResponse> {
    return this.run(`${req.type_name} read`, async (diags) => {
      const r = this.simulated(this.resource(req.type_name), diags);
      const state = decode(req.current_state, r.schema.block.shape);
      const refreshed = state === null ? null : await readResource(r, state);
      return { new_state: encode(refreshed, r.schema.block.shape), private: req.private ?? Buffer.alloc(0) };
    }, () => ({ new_state: req.current_state, private: req.private }));
  }

  public PlanResourceChange(req: ProviderRequest): Promise<ProviderResponse> {
    return this.run(`${req.type_name} plan`, async (diags) => {
      const r = this.simulated(this.resource(req.type_name), diags);
      const shape = r.schema.block.shape;
      const proposed = decode(req.proposed_new_state, shape);
      const keepPrivate = { planned_private: req.prior_private ?? Buffer.alloc(0) };
      // A null proposal is a destroy (the plan_destroy capability): nothing to decide.
      if (proposed === null) return { planned_state: encode(null, shape), ...keepPrivate };
      const plan = await planResource(r, decode(req.prior_state, shape), proposed, decode(req.config, shape) ?? {});
      return {
        planned_state: encode(plan.planned, shape),
        requires_replace: plan.requiresReplace.map(attributePathMessage),
        ...keepPrivate,
      };
    });
  }

  /**
   * On failure the prior state is returned, so Terraform keeps tracking the object (the cloud was
   * not changed). `signal` (the call was cancelled) and StopProvider abort the apply.
   */
  public ApplyResourceChange(req: ProviderRequest, signal?: AbortSignal): Promise<ProviderResponse> {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort);
    this.inFlight.add(controller);
    return this.run(`${req.type_name} apply`, async (diags) => {
      const r = this.simulated(this.resource(req.type_name), diags);
      const shape = r.schema.block.shape;
      const newState = await applyResource(r, decode(req.prior_state, shape), decode(req.planned_state, shape),
        decode(req.config, shape) ?? {}, controller.signal);
      return { new_state: encode(newState, shape), private: req.planned_private ?? Buffer.alloc(0) };
    }, () => ({ new_state: req.prior_state })).finally(() => {
      signal?.removeEventListener('abort', onAbort);
      this.inFlight.delete(controller);
    });
  }

  public ImportResourceState(req: ProviderRequest): Promise<ProviderResponse> {
    return this.run(`${req.type_name} import`, async (diags) => {
      const r = this.simulated(this.resource(req.type_name), diags);
      const state = await importResource(r, req.id ?? '');
      return { imported_resources: [{ type_name: r.type.name, state: encode(state, r.schema.block.shape), private: Buffer.alloc(0) }] };
    });
  }

  public MoveResourceState(req: ProviderRequest): Promise<ProviderResponse> {
    return this.run('move resource state', async () => {
      throw new CloudError(`The Butter mock cloud cannot move state into ${req.target_type_name ?? 'another type'}`);
    });
  }

  public ReadDataSource(req: ProviderRequest): Promise<ProviderResponse> {
    return this.run(`data.${req.type_name} read`, async (diags) => {
      const d = this.simulated(this.dataSource(req.type_name), diags);
      const state = await readDataSource(d, decode(req.config, d.schema.block.shape) ?? {});
      return { state: encode(state, d.schema.block.shape) };
    });
  }

  /** Terraform was interrupted (Ctrl-C): abort every apply in progress, discarding its changes. */
  public async StopProvider(): Promise<ProviderResponse> {
    for (const c of this.inFlight) c.abort(new Error('Terraform stopped the provider'));
    return { Error: '' };
  }

  /**
   * Run an RPC body, turning anything it throws into diagnostics. `fallback` gives the response
   * fields to send when it fails (e.g. the prior state, so Terraform keeps tracking the object).
   */
  private async run(operation: string, body: (diags: DiagnosticList) => Promise<ProviderResponse>,
    fallback: () => ProviderResponse = () => ({})): Promise<ProviderResponse> {
    const diags = new DiagnosticList();
    let response: ProviderResponse;
    try {
      response = await body(diags);
    } catch (e) {
      diags.add(e, operation);
      response = fallback();
    }
    return { ...response, diagnostics: diags.items.map(diagnosticMessage) };
  }

  /** What lifecycle.ts needs for one RPC: the type, the cloud, and contexts reporting to `diags`. */
  private simulated<T extends { readonly name: string }>(compiled: Compiled<T>, diags: DiagnosticList): Simulated<T> {
    return {
      ...compiled,
      store: this.store,
      context: (cloud) => ({ typeName: compiled.type.name, cloud, provider: this.configuration, warn: diags.warn }),
      journal: { session: this.session, confirm: (key) => this.confirmations.confirm(key) },
      afterApply: this.definition.afterApply?.bind(this.definition),
    };
  }

  private resource(name: string | undefined): Compiled<ResourceType> {
    const r = this.resources.get(name ?? '');
    if (!r) throw unsupported(this.definition.name, name ?? '', 'resource types', this.resourceTypes);
    return r;
  }

  private dataSource(name: string | undefined): Compiled<DataSourceType> {
    const d = this.dataSources.get(name ?? '');
    if (!d) throw unsupported(this.definition.name, name ?? '', 'data sources', this.dataSourceTypes);
    return d;
  }
}

/** The diagnostic for a type the mock cloud has no simulation of. */
export function unsupported(provider: string, name: string, what: string, known: readonly string[]): CloudError {
  return new CloudError(`the Butter mock cloud does not simulate ${name} yet`, {
    detail: `The mock ${provider} cloud simulates these ${what}: ${known.length > 0 ? known.join(', ') : '(none yet)'}.`,
  });
}

function validateContext(typeName: string, config: ObjectValue, diags: DiagnosticList): ValidateContext {
  return { typeName, config, error: diags.error, warn: diags.warn };
}
