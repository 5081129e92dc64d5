import { CloudStore } from '../../../../src/mock/cloud/store';
import { ProviderResponse } from '../../../../src/mock/framework/messages';
import { ProviderService } from '../../../../src/mock/framework/provider-service';
import { ProviderDefinition } from '../../../../src/mock/framework/types';
import { decodeDynamicValue, encodeDynamicValue } from '../../../../src/mock/values/dynamic-value';
import { Shape } from '../../../../src/mock/values/shape';
import { ObjectValue, Value } from '../../../../src/mock/values/value';
import { scratch } from './terraform';

/**
 * Calling a ProviderService the way Terraform does (msgpack DynamicValues in and out), without
 * gRPC, for fast tests of planning and apply semantics.
 */
export class Harness {
  public readonly service: ProviderService;
  public readonly store: CloudStore;
  private readonly tmp = scratch('service');

  constructor(definition: ProviderDefinition) {
    this.store = CloudStore.forProvider(definition.name, this.tmp.dir);
    this.service = new ProviderService(definition, this.store);
  }

  public cleanup(): void {
    this.tmp.cleanup();
  }

  private shape(typeName: string, kind: 'resource' | 'data' = 'resource'): Shape {
    return this.service.schemaOf(kind, typeName)?.block.shape ?? { kind: 'object', attributes: new Map(), nullAsEmpty: false };
  }

  /** A DynamicValue for `value` (conformed to the type's schema). */
  public dv(typeName: string, value: Value, kind: 'resource' | 'data' = 'resource'): { msgpack: Buffer } {
    return encodeDynamicValue(value, this.shape(typeName, kind));
  }

  /** Decode a DynamicValue from a response. */
  public decode(typeName: string, dv: unknown, kind: 'resource' | 'data' = 'resource'): ObjectValue | null {
    return decodeDynamicValue(dv as { msgpack: Buffer }, this.shape(typeName, kind));
  }

  /** PlanResourceChange; `config` defaults to the proposal. */
  public async plan(typeName: string, prior: ObjectValue | null, proposed: ObjectValue | null, config: ObjectValue | null = proposed) {
    const response = await this.service.PlanResourceChange({
      type_name: typeName, prior_state: this.dv(typeName, prior), proposed_new_state: this.dv(typeName, proposed), config: this.dv(typeName, config),
    });
    return { response, planned: this.decode(typeName, response.planned_state), replace: paths(response) };
  }

  /** ApplyResourceChange; the config is the planned value. */
  public async apply(typeName: string, prior: ObjectValue | null, planned: ObjectValue | null, signal?: AbortSignal) {
    const response = await this.service.ApplyResourceChange({
      type_name: typeName, prior_state: this.dv(typeName, prior), planned_state: this.dv(typeName, planned), config: this.dv(typeName, planned),
    }, signal);
    return { response, state: this.decode(typeName, response.new_state), diagnostics: summaries(response) };
  }
}

/** requires_replace as arrays of step values. */
export function paths(response: ProviderResponse): unknown[][] {
  return ((response.requires_replace as { steps: Record<string, unknown>[] }[]) ?? []).map((p) => p.steps.map((s) => Object.values(s)[0]));
}

/** Diagnostic summaries of a response. */
export function summaries(response: ProviderResponse): string[] {
  return ((response.diagnostics as { summary: string }[]) ?? []).map((d) => d.summary);
}
