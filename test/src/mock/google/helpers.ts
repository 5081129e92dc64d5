import { JsonObject } from '../../../../src/mock';
import { Cloud } from '../../../../src/mock/cloud/cloud';
import { provider } from '../../../../src/mock/google';
import { ObjectValue, Value } from '../../../../src/mock/values/value';
import { Harness, summaries } from '../helpers/service';

/**
 * Driving the Google simulation the way Terraform does (plan, then apply with the plan), without
 * gRPC or the CLI: fast tests of one resource type's rules.
 */
export class GoogleHarness {
  public readonly h = new Harness(provider);

  /** ConfigureProvider with `config` (project and region by default). */
  public async configure(config: object = { project: 'test-project', region: 'us-central1' }): Promise<string[]> {
    const response = await this.h.service.ConfigureProvider({ config: { json: Buffer.from(JSON.stringify(config)) }, terraform_version: '1.11.0' });
    return summaries(response);
  }

  public cleanup(): void {
    this.h.cleanup();
  }

  /** Plan and apply a create; the state, or the errors of plan or apply. */
  public async create(type: string, config: ObjectValue): Promise<Result> {
    const plan = await this.h.plan(type, null, config);
    const planErrors = summaries(plan.response);
    if (planErrors.length > 0) return { state: null, errors: planErrors };
    const applied = await this.h.apply(type, null, plan.planned);
    return { state: applied.state, errors: applied.diagnostics };
  }

  /** Create and insist on a refusal with exactly one error; that error. */
  public async refusal(type: string, config: ObjectValue): Promise<string> {
    const r = await this.create(type, config);
    expect(r.state).toBeNull();
    expect(r.errors).toHaveLength(1);
    return r.errors[0];
  }

  /** Create and insist on success. */
  public async must(type: string, config: ObjectValue): Promise<ObjectValue> {
    const r = await this.create(type, config);
    if (r.errors.length > 0 || !r.state) throw new Error(`${type}: ${r.errors.join('\n')}`);
    return r.state;
  }

  /**
   * Plan and apply an update: Terraform's proposal is the configuration with the prior state's
   * values where the configuration leaves an attribute null (top level; blocks as configured).
   */
  public async update(type: string, prior: ObjectValue, config: ObjectValue): Promise<Result & { replace: unknown[][] }> {
    const proposed: ObjectValue = { ...prior };
    for (const [k, v] of Object.entries(config)) if (v !== null) proposed[k] = v;
    const plan = await this.h.plan(type, prior, proposed, { ...config });
    const planErrors = summaries(plan.response);
    if (planErrors.length > 0 || plan.replace.length > 0) return { state: null, errors: planErrors, replace: plan.replace };
    const applied = await this.h.apply(type, prior, plan.planned);
    return { state: applied.state, errors: applied.diagnostics, replace: [] };
  }

  /** Apply a destroy; the errors. */
  public async destroy(type: string, state: ObjectValue): Promise<string[]> {
    return (await this.h.apply(type, state, null)).diagnostics;
  }

  /** ReadResource (refresh). */
  public async read(type: string, state: ObjectValue): Promise<ObjectValue | null> {
    const response = await this.h.service.ReadResource({ type_name: type, current_state: this.h.dv(type, state) });
    return this.h.decode(type, response.new_state);
  }

  /** ReadDataSource; the state or the errors. */
  public async data(type: string, config: ObjectValue): Promise<Result> {
    const response = await this.h.service.ReadDataSource({ type_name: type, config: this.h.dv(type, config, 'data') });
    const errors = summaries(response);
    return { state: errors.length ? null : this.h.decode(type, response.state, 'data'), errors };
  }

  /** ValidateResourceConfig's errors. */
  public async validate(type: string, config: ObjectValue): Promise<string[]> {
    const response = await this.h.service.ValidateResourceConfig({ type_name: type, config: this.h.dv(type, config) });
    return summaries(response);
  }

  /** Look at the mock cloud. */
  public cloud<T>(fn: (cloud: Cloud) => T): T {
    return this.h.store.read(fn);
  }

  /** All records of a kind. */
  public list<T extends JsonObject = JsonObject>(kind: string): T[] {
    return this.cloud((c) => c.list<T>(kind));
  }
}

export interface Result {
  readonly state: ObjectValue | null;
  readonly errors: string[];
}

/** A small network: a custom-mode network and one subnetwork (10.0.0.0/24 by default) in us-central1. */
export async function baseNetwork(g: GoogleHarness, opts: { name?: string; range?: string } = {}): Promise<{ network: ObjectValue; subnet: ObjectValue }> {
  const name = opts.name ?? 'net';
  const network = await g.must('google_compute_network', { name, auto_create_subnetworks: false });
  const subnet = await g.must('google_compute_subnetwork', {
    name: `${name}-sub`, network: network.id as Value, ip_cidr_range: opts.range ?? '10.0.0.0/24',
  });
  return { network, subnet };
}

/** A template in `subnet` (public with an access config when `public`). */
export function templateConfig(subnet: ObjectValue, over: ObjectValue = {}, isPublic = false): ObjectValue {
  return {
    name_prefix: 'web-',
    machine_type: 'e2-medium',
    tags: ['web'],
    metadata: { 'startup-script': '#!/bin/sh\necho hi\n' },
    disk: [{ boot: true, source_image: 'projects/debian-cloud/global/images/family/debian-12', disk_size_gb: 10 }],
    network_interface: [{ subnetwork: subnet.self_link as Value, access_config: isPublic ? [{ network_tier: 'PREMIUM' }] : [] }],
    ...over,
  };
}

/** A regional group over three us-central1 zones with `template`. */
export function groupConfig(template: ObjectValue, over: ObjectValue = {}): ObjectValue {
  return {
    name: 'web',
    base_instance_name: 'web',
    region: 'us-central1',
    version: [{ name: 'primary', instance_template: template.self_link_unique as Value }],
    distribution_policy_zones: ['us-central1-a', 'us-central1-b', 'us-central1-c'],
    target_size: 0,
    update_policy: [{
      type: 'PROACTIVE', minimal_action: 'REPLACE', replacement_method: 'RECREATE', max_surge_fixed: 0, max_unavailable_fixed: 3,
      instance_redistribution_type: 'NONE',
    }],
    ...over,
  };
}
