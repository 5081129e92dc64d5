import type { Client, Target } from '../client';
import type { InstanceInfo, ServiceInfo } from '../inventory/types';
import type { Reachability } from '../reachability';

/**
 * A blueprint test: what `butter test --blueprint-dir DIR run` needs to know about a blueprint
 * beyond the blueprint itself. DIR holds `blueprint.yml` (the blueprint under test) and
 * `blueprint_fixture.ts`, whose **default export** (or, failing that, its export named
 * `BlueprintTest`, the seed's name) is a class implementing this interface with a constructor
 * taking no arguments. An object implementing it may be exported instead of a class.
 *
 * The tester gives every test a network of its own and runs, in order:
 *
 * 1. {@link setupBeforeTestedService}: deploy what the tested service depends on (through
 *    `ctx.client`, in `ctx.network`) and return the template variables its blueprint needs;
 * 2. the tester deploys the tested service from `DIR/blueprint.yml` with those variables;
 * 3. {@link setupAfterTestedService}: what needs the tested service to exist (usually Paths);
 * 4. {@link verify}: check that the deployment works; throw (an `AssertionError` from
 *    `node:assert` reads well) to fail the test;
 * 5. teardown: {@link teardown} if given, then the tester destroys every network of the test.
 *
 * `setup` (steps 1-3), `verify` and `teardown` may run as separate `butter test` invocations, so
 * a fixture must not keep anything in memory between them: what it deployed is found again
 * through `ctx.client` (the deployed state is the truth), and the template variables it returned
 * come back as `ctx.vars`.
 *
 * ```ts
 * import * as assert from 'node:assert/strict';
 * import type { BlueprintTest, TestContext, TestedServiceContext, VerifyContext } from 'butter-cdktf';
 *
 * export default class WebTest implements BlueprintTest {
 *   async setupBeforeTestedService(ctx: TestContext) {
 *     const db = await ctx.client.service.create(ctx.network, 'db', { blueprint: '../db/blueprint.yml' });
 *     return { DbIps: db.instances.map((i) => i.privateIp) };
 *   }
 *   async setupAfterTestedService(ctx: TestedServiceContext) {
 *     await ctx.client.paths.add(ctx.service.name, 'db', 5432, { network: ctx.network });
 *   }
 *   async verify(ctx: VerifyContext) {
 *     assert.ok((await ctx.reachability()).hasAccess(`${ctx.network}/${ctx.service.name}`, `${ctx.network}/db`, 5432).allowed);
 *   }
 * }
 * ```
 */
export interface BlueprintTest {
  /**
   * The clouds this blueprint runs on (its `image` may name an image for one cloud only). The
   * tester refuses other targets with a clear error, and with no `--cloud` picks the mock of the
   * first one.
   * @default ['aws', 'google']
   */
  readonly clouds?: readonly ('aws' | 'google')[];

  /**
   * Deploy the services the tested service depends on, through `ctx.client` in `ctx.network`,
   * and return the template variables the tested blueprint's `initialization` scripts need
   * (e.g. `{ PrivateIps: [...] }`). Return `{}` when there is nothing to pass. The values must be
   * JSON (they are kept in DIR between invocations).
   */
  setupBeforeTestedService(ctx: TestContext): Promise<Record<string, unknown>>;

  /**
   * Finish the setup now that the tested service is deployed (`ctx.service`): typically open
   * Paths to it and from it.
   */
  setupAfterTestedService(ctx: TestedServiceContext): Promise<void>;

  /**
   * Check that the deployment does what the blueprint promises. Throw to fail the test; the
   * error's message is what the person running the test sees.
   */
  verify(ctx: VerifyContext): Promise<void>;

  /**
   * Clean up anything the tester cannot see, before it destroys the test's networks (they hold
   * everything deployed through `ctx.client`, so most fixtures need no teardown). Also called
   * when the setup failed halfway, so `ctx.service` may be missing.
   * @default - nothing beyond destroying the test's networks
   */
  teardown?(ctx: TeardownContext): Promise<void>;
}

/** What every phase of a blueprint test gets. */
export interface TestContext {
  /**
   * The client of this test's own workspace (kept in the tester's state folder, apart from any
   * other Butter workspace): deploy, inspect and destroy networks, services and paths with it.
   */
  readonly client: Client;
  /** The network created for this test, named after the blueprint folder (`test-aws-haproxy`). */
  readonly network: string;
  /** The tested service's name (the blueprint folder's name, made a valid name). */
  readonly serviceName: string;
  /** Absolute path of the blueprint folder (DIR). */
  readonly blueprintDir: string;
  /** Absolute path of the tested blueprint, `DIR/blueprint.yml`. */
  readonly blueprint: string;
  /** Where the test is deployed. */
  readonly target: Target;
  /** The cloud of `target`. */
  readonly cloud: 'aws' | 'google';
  /** Whether `target` is the local mock cloud. */
  readonly mock: boolean;
  /** Print a progress line (on stderr, under the current step). */
  log(line: string): void;
}

/** Context of the phases that run after the tested service was deployed. */
export interface TestedServiceContext extends TestContext {
  /** The tested service as deployed (instances with their addresses). */
  readonly service: ServiceInfo;
  /** The template variables {@link BlueprintTest.setupBeforeTestedService} returned. */
  readonly vars: Readonly<Record<string, unknown>>;
}

/** Context of {@link BlueprintTest.verify}: the deployment, and ways to look inside it. */
export interface VerifyContext extends TestedServiceContext {
  /**
   * What each instance of a service received as its startup script: the user data on AWS, the
   * `startup-script` (or else `user-data`) metadata on Google, after templating. Only the mock
   * cloud records it: on a real cloud this throws `TEST_MOCK_ONLY`.
   * @param service - a service of `network` (default: the tested service)
   */
  startupScripts(service?: string): InstanceStartup[];

  /**
   * Who can reach whom in this test's networks, computed from the deployed Terraform state:
   * `hasAccess('test-x/lb', 'test-x/web', 80)`, `internetAccessible('test-x/lb', 80)`.
   */
  reachability(): Reachability;
}

/** Context of {@link BlueprintTest.teardown}: the tested service only when it was deployed. */
export interface TeardownContext extends TestContext {
  /** @default - undefined when the setup failed before deploying it */
  readonly service?: ServiceInfo;
  /** @default {} when the setup failed before the fixture returned them */
  readonly vars: Readonly<Record<string, unknown>>;
}

/** One instance and the startup script it received. */
export interface InstanceStartup {
  readonly instance: InstanceInfo;
  /** The script as the instance saw it; undefined when it received none. */
  readonly script?: string;
}
