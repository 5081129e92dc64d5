import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { provider } from '../../../../src/mock/aws';
import { CloudStore } from '../../../../src/mock/cloud/store';
import { ProviderService } from '../../../../src/mock/framework/provider-service';
import { decodeDynamicValue as decodeObject, encodeDynamicValue as encode } from '../../../../src/mock/values/dynamic-value';
import { Block, compileSchema } from '../../../../src/mock/schema/compile';
import { isObjectValue, JsonObject, ObjectValue, Value } from '../../../../src/mock/values/value';
import { isUnknown } from '../../../../src/mock/values/unknown';

/**
 * Drives the AWS simulation the way Terraform does, without Terraform: validate, plan (with a
 * proposal built like Terraform's), apply, read. Fast enough for one test per cloud rule.
 */

/** A Terraform-reported problem. */
export interface Problem {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail: string;
}

/** Thrown when an operation returned error diagnostics. */
export class TerraformError extends Error {
  constructor(public readonly problems: Problem[]) {
    super(problems.map((p) => `${p.summary}${p.detail ? ` (${p.detail.split('\n')[0]})` : ''}`).join('\n'));
  }
}

function problems(response: Record<string, unknown>): Problem[] {
  return ((response.diagnostics as { severity: number; summary: string; detail: string }[]) ?? [])
    .map((d) => ({ severity: d.severity === 1 ? 'error' : 'warning', summary: d.summary, detail: d.detail }));
}

function check(response: Record<string, unknown>): Problem[] {
  const all = problems(response);
  if (all.some((p) => p.severity === 'error')) throw new TerraformError(all);
  return all;
}

/**
 * Terraform's proposed new state: the configuration, with prior values for computed attributes
 * the configuration leaves null (nested list/single blocks paired by position).
 */
function proposed(block: Block, prior: ObjectValue | null, config: ObjectValue): ObjectValue {
  if (!prior) return config;
  const out: ObjectValue = { ...config };
  for (const a of block.attributes) {
    if (a.computed && (config[a.name] === null || config[a.name] === undefined)) out[a.name] = prior[a.name] ?? null;
  }
  for (const b of block.blocks) {
    const c = config[b.name];
    const p = prior[b.name];
    if (Array.isArray(c) && Array.isArray(p) && b.nesting === 'list') {
      out[b.name] = c.map((e, i) => (isObjectValue(e) && isObjectValue(p[i]) ? proposed(b.block, p[i] as ObjectValue, e) : e));
    } else if (isObjectValue(c) && isObjectValue(p)) {
      out[b.name] = proposed(b.block, p, c);
    }
  }
  return out;
}

/** The AWS mock cloud in a scratch folder, configured for `region`. */
export class AwsHarness {
  public readonly service: ProviderService;
  public readonly store: CloudStore;
  public readonly dir: string;

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-aws-'));
    this.store = CloudStore.forProvider('aws', this.dir);
    this.service = new ProviderService(provider, this.store);
  }

  public cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** ConfigureProvider; returns the diagnostics (errors included, for tests of configure). */
  public async configure(config: ObjectValue = { region: 'us-east-1' }): Promise<Problem[]> {
    const shape = compileSchema(provider.schema ?? {}, 'provider').block.shape;
    const response = await this.service.ConfigureProvider({ config: encode(config, shape), terraform_version: '1.11.4' });
    return problems(response);
  }

  private block(type: string): Block {
    const schema = this.service.schemaOf('resource', type);
    if (!schema) throw new Error(`no resource type ${type}`);
    return schema.block;
  }

  private dv(type: string, value: Value) {
    return encode(value, this.block(type).shape);
  }

  /** Validate + plan; returns the planned value and the paths that force replacement. */
  public async plan(type: string, prior: ObjectValue | null, config: ObjectValue): Promise<{ planned: ObjectValue; replace: string[] }> {
    check(await this.service.ValidateResourceConfig({ type_name: type, config: this.dv(type, config) }));
    const block = this.block(type);
    const conformedConfig = decodeObject(this.dv(type, config), block.shape) ?? {};
    const response = await this.service.PlanResourceChange({
      type_name: type,
      prior_state: this.dv(type, prior),
      proposed_new_state: this.dv(type, proposed(block, prior, conformedConfig)),
      config: this.dv(type, config),
    });
    check(response);
    const planned = decodeObject(response.planned_state as { msgpack: Buffer }, block.shape) ?? {};
    const replace = ((response.requires_replace as { steps: Record<string, unknown>[] }[]) ?? [])
      .map((p) => p.steps.map((s) => String(Object.values(s)[0])).join('.'));
    return { planned, replace };
  }

  /** Plan and apply a create; returns the new state (throws TerraformError on errors). */
  public async create(type: string, config: ObjectValue): Promise<ObjectValue> {
    const { planned } = await this.plan(type, null, config);
    return this.apply(type, null, planned, config);
  }

  /** Plan and apply an update (or a replacement when the plan asks for one). */
  public async update(type: string, prior: ObjectValue, config: ObjectValue): Promise<{ state: ObjectValue; replaced: boolean; planned: ObjectValue }> {
    const { planned, replace } = await this.plan(type, prior, config);
    if (replace.length > 0) {
      await this.destroy(type, prior);
      return { state: await this.create(type, config), replaced: true, planned };
    }
    return { state: await this.apply(type, prior, planned, config), replaced: false, planned };
  }

  private async apply(type: string, prior: ObjectValue | null, planned: ObjectValue | null, config: ObjectValue | null): Promise<ObjectValue> {
    const response = await this.service.ApplyResourceChange({
      type_name: type, prior_state: this.dv(type, prior), planned_state: this.dv(type, planned), config: this.dv(type, config),
    });
    check(response);
    return decodeObject(response.new_state as { msgpack: Buffer }, this.block(type).shape) ?? {};
  }

  /** Apply a destroy. */
  public async destroy(type: string, state: ObjectValue): Promise<void> {
    await this.apply(type, state, null, null);
  }

  /** ReadResource (refresh): null when gone. */
  public async read(type: string, state: ObjectValue): Promise<ObjectValue | null> {
    const response = await this.service.ReadResource({ type_name: type, current_state: this.dv(type, state) });
    check(response);
    return decodeObject(response.new_state as { msgpack: Buffer }, this.block(type).shape);
  }

  /** Read a data source (throws TerraformError on errors). */
  public async data(type: string, config: ObjectValue): Promise<ObjectValue> {
    return (await this.readData(type, config)).state;
  }

  /** Read a data source; its state and warnings. */
  public async readData(type: string, config: ObjectValue): Promise<{ state: ObjectValue; warnings: Problem[] }> {
    const shape = this.service.schemaOf('data', type)?.block.shape;
    if (!shape) throw new Error(`no data source ${type}`);
    const dv = encode(config, shape);
    check(await this.service.ValidateDataResourceConfig({ type_name: type, config: dv }));
    const response = await this.service.ReadDataSource({ type_name: type, config: dv });
    const warnings = check(response);
    return { state: decodeObject(response.state as { msgpack: Buffer }, shape) ?? {}, warnings };
  }

  /** The objects of one kind in the cloud, by id. */
  public objects<T extends JsonObject = JsonObject>(kind: string): T[] {
    return this.store.read((cloud) => cloud.list<T>(kind));
  }
}

/** Expect a promise to fail with a diagnostic whose summary matches. */
export async function expectProblem(promise: Promise<unknown>, summary: RegExp): Promise<Problem> {
  try {
    await promise;
  } catch (e) {
    if (!(e instanceof TerraformError)) throw e;
    const found = e.problems.find((p) => summary.test(p.summary));
    if (!found) throw new Error(`expected a diagnostic matching ${summary}, got:\n${e.message}`);
    return found;
  }
  throw new Error(`expected a diagnostic matching ${summary}, but the operation succeeded`);
}

/** True when no value inside is unknown (sanity check of states). */
export function wholly(v: Value): boolean {
  if (isUnknown(v)) return false;
  if (Array.isArray(v)) return v.every(wholly);
  if (isObjectValue(v)) return Object.values(v).every(wholly);
  return true;
}
