import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, Target } from '../client';
import { ButterError, displayPath } from '../errors';
import type { ServiceInfo } from '../inventory/types';
import type { BlueprintTest, TeardownContext, TestContext, VerifyContext } from './fixture';
import { FIXTURE_FILE, loadFixture, TESTED_BLUEPRINT_FILE } from './load';
import { readTesterState, removeTesterState, TesterState, writeTesterState } from './state';
import { messageOf, PhaseOutcome, TestAction, TestPhase, TestReport } from './report';
import { deployedResidue, startupScriptsOf, workspaceReachability } from './inspect';

/** Options for {@link runBlueprintTest}. */
export interface BlueprintTestOptions {
  /** The blueprint folder: holds `blueprint.yml` and `blueprint_fixture.ts`. */
  readonly blueprintDir: string;
  /**
   * Where to deploy.
   * @default - where the test was set up; for a new test, the mock of the fixture's first cloud
   * (`mock-aws` unless the fixture says otherwise)
   */
  readonly target?: Target;
  /**
   * Where the test keeps what later invocations need: its state, its Client workspace,
   * synthesized stacks, Terraform state and (on the mock) the mock cloud.
   * @default `<blueprintDir>/.butter-test`
   */
  readonly stateDir?: string;
  /** @default - the Client's default (us-east-1 / us-central1) */
  readonly region?: string;
  /** Google project. @default - the Client's default */
  readonly project?: string;
  /**
   * Progress lines (step start and end, the Client's and the fixture's lines).
   * @default - nothing is reported
   */
  readonly progress?: (line: string) => void;
}

/**
 * Run one action of a blueprint test. Problems with the request itself (no fixture, nothing set
 * up, a setup already there) throw a ButterError; a failing phase does not throw but is reported
 * as failed, with its error. `run` is setup, verify (if the setup succeeded) and teardown, which
 * always happens, whatever failed before it.
 */
export async function runBlueprintTest(action: TestAction, options: BlueprintTestOptions): Promise<TestReport> {
  const test = prepare(action, options);
  const client = await Client.open({
    dir: test.stateDir,
    target: test.target,
    region: options.region,
    project: options.project,
    progress: (line) => test.progress(`  ${line}`),
  });
  try {
    const phases: PhaseOutcome[] = [];
    const record = async (name: TestPhase, fn: () => Promise<void>): Promise<boolean> => {
      phases.push(await phase(name, fn));
      return phases[phases.length - 1].status === 'passed';
    };
    const setUp = action === 'setup' || action === 'run' ? await record('setup', () => setup(test, client)) : false;
    if (action === 'verify' || (action === 'run' && setUp)) await record('verify', () => verify(test, client));
    if (action === 'run' && !setUp) phases.push({ phase: 'verify', status: 'skipped', seconds: 0 });
    if (action === 'teardown' || action === 'run') await record('teardown', () => teardown(test, client));
    return {
      ok: phases.every((p) => p.status === 'passed'),
      action,
      target: test.target,
      network: test.network,
      service: test.service,
      phases,
    };
  } finally {
    await client.close();
  }
}

/** Everything a test's phases share. */
interface PreparedTest {
  readonly dir: string;
  readonly blueprint: string;
  readonly stateDir: string;
  /** Undefined only for a teardown whose fixture cannot be loaded (then `fixtureError` says why). */
  readonly fixture?: BlueprintTest;
  readonly fixtureError?: unknown;
  readonly target: Target;
  readonly network: string;
  readonly service: string;
  /** State left by an earlier setup (or this one, as it goes). */
  state: TesterState | undefined;
  progress(line: string): void;
}

/** Check the request before anything is deployed, and settle the names and target. */
function prepare(action: TestAction, options: BlueprintTestOptions): PreparedTest {
  const dir = path.resolve(options.blueprintDir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new ButterError('TEST_DIR_NOT_FOUND', 'blueprint folder not found', {
      file: displayPath(dir),
      hint: `--blueprint-dir must name a folder holding ${TESTED_BLUEPRINT_FILE} and ${FIXTURE_FILE}`,
    });
  }
  const blueprint = path.join(dir, TESTED_BLUEPRINT_FILE);
  if (action !== 'teardown' && !fs.existsSync(blueprint)) {
    throw new ButterError('TEST_BLUEPRINT_NOT_FOUND', 'the blueprint under test not found', {
      file: displayPath(blueprint),
      hint: `a blueprint test deploys ${TESTED_BLUEPRINT_FILE} from the blueprint folder`,
    });
  }
  // A teardown must still work when the fixture broke since the setup: the networks go anyway,
  // and the fixture's error fails the teardown (its own teardown hook could not run).
  let fixture: BlueprintTest | undefined;
  let fixtureError: unknown;
  try {
    fixture = loadFixture(dir);
  } catch (e) {
    if (action !== 'teardown') throw e;
    fixtureError = e;
  }
  const stateDir = path.resolve(options.stateDir ?? path.join(dir, '.butter-test'));
  const state = readTesterState(stateDir);
  const names = testNames(dir);
  const network = state?.network ?? names.network;
  const service = state?.service ?? names.service;
  if (state && options.target && options.target !== state.target) {
    throw new ButterError('TEST_TARGET_MISMATCH', `the test is set up on ${state.target}, not ${options.target}`, {
      file: displayPath(stateDir),
      hint: `run ${action} with --cloud ${state.target}, or without --cloud`,
    });
  }
  const clouds = fixture?.clouds ?? ['aws', 'google'];
  const target = options.target ?? state?.target ?? (`mock-${clouds[0]}` as Target);
  if (!clouds.includes(cloudOf(target))) {
    throw new ButterError('TEST_CLOUD_UNSUPPORTED', `the fixture runs on ${clouds.join(' and ')} only, not ${cloudOf(target)}`, {
      file: displayPath(path.join(dir, FIXTURE_FILE)),
      key: 'clouds',
      hint: `use --cloud ${clouds.map((c) => `mock-${c}`).join(' or --cloud ')}`,
    });
  }
  checkPrecondition(action, state, stateDir);
  return { dir, blueprint, stateDir, fixture, fixtureError, target, network, service, state, progress: options.progress ?? (() => undefined) };
}

/** Refuse what cannot work from the state a previous invocation left. */
function checkPrecondition(action: TestAction, state: TesterState | undefined, stateDir: string): void {
  const where = displayPath(stateDir);
  if ((action === 'setup' || action === 'run') && state) {
    throw state.phase === 'ready'
      ? new ButterError('TEST_ALREADY_SET_UP', `the test is already set up (network ${state.network} on ${state.target})`, {
        file: where,
        hint: 'run `verify`, or `teardown` before setting it up again',
      })
      : incomplete(state, where);
  }
  if ((action === 'verify' || action === 'teardown') && !state) {
    throw new ButterError('TEST_NOT_SET_UP', 'nothing is set up for this blueprint test', {
      file: where,
      hint: action === 'verify' ? 'run `setup` first (or `run` for setup, verify and teardown at once)' : 'there is nothing to tear down',
    });
  }
  if (action === 'verify' && state?.phase === 'setting-up') throw incomplete(state, where);
}

function incomplete(state: TesterState, where: string): ButterError {
  return new ButterError('TEST_SETUP_INCOMPLETE', `a previous setup did not finish (network ${state.network} on ${state.target})`, {
    file: where,
    hint: 'run `teardown` to destroy what it deployed, then set up again',
  });
}

async function setup(test: PreparedTest, client: Client): Promise<void> {
  // Recorded before anything is deployed: a setup that fails or is killed can still be torn down.
  test.state = { version: 1, target: test.target, network: test.network, service: test.service, phase: 'setting-up' };
  writeTesterState(test.stateDir, test.state);
  await step(test, `create network ${test.network}`, () => client.network.create(test.network));
  const fixture = test.fixture!; // loaded: only a teardown goes on without it
  const vars = await step(test, 'fixture: setupBeforeTestedService', () => fixture.setupBeforeTestedService(context(test, client)));
  const saved = templateVars(vars, test);
  test.state = { ...test.state, vars: saved };
  writeTesterState(test.stateDir, test.state);
  const service = await step(test, `deploy ${test.service} from ${displayPath(test.blueprint)}`,
    () => client.service.create(test.network, test.service, { blueprint: test.blueprint, vars: saved }));
  await step(test, 'fixture: setupAfterTestedService', () => fixture.setupAfterTestedService({ ...context(test, client), service, vars: saved }));
  test.state = { ...test.state, phase: 'ready' };
  writeTesterState(test.stateDir, test.state);
}

async function verify(test: PreparedTest, client: Client): Promise<void> {
  const service = client.service.get(test.network, test.service);
  const base = context(test, client);
  const ctx: VerifyContext = {
    ...base,
    service,
    vars: test.state?.vars ?? {},
    startupScripts: (name = test.service) => startupScriptsOf(client, test.network, name),
    reachability: () => workspaceReachability(client),
  };
  await step(test, 'fixture: verify', () => test.fixture!.verify(ctx));
}

/**
 * Destroy everything the test deployed: the fixture's own teardown first (its failure does not
 * stop the rest), then every network of the test's workspace. The state is forgotten only when
 * all of it went, so a failed teardown can be run again.
 */
async function teardown(test: PreparedTest, client: Client): Promise<void> {
  const failures: string[] = [];
  const hook = test.fixture?.teardown?.bind(test.fixture);
  if (test.fixtureError !== undefined) failures.push(`fixture: ${messageOf(test.fixtureError)}`);
  if (hook) {
    const ctx: TeardownContext = { ...context(test, client), service: findService(client, test), vars: test.state?.vars ?? {} };
    await step(test, 'fixture: teardown', () => hook(ctx)).catch((e) => failures.push(`fixture teardown: ${messageOf(e)}`));
  }
  // The workspace is the test's own: every network in it belongs to the test (the fixture may
  // have made more than one). The test's network may be missing: a setup can fail before it.
  const networks = new Set([test.network, ...client.workspace().networks.map((n) => n.name)]);
  for (const name of networks) {
    await step(test, `destroy network ${name}`, () => client.network.destroy(name, { ifExists: true }))
      .catch((e) => failures.push(`network ${name}: ${messageOf(e)}`));
  }
  const residue = failures.length ? undefined : deployedResidue(client);
  if (residue) failures.push(residue);
  if (failures.length) {
    // The state stays, so that `teardown` can be run again once the cause is fixed.
    throw new ButterError('TEST_TEARDOWN_FAILED', `teardown did not finish:\n  ${failures.join('\n  ')}`, {
      file: displayPath(test.stateDir),
      hint: 'fix the cause and run `teardown` again',
    });
  }
  removeTesterState(test.stateDir);
  test.state = undefined;
}

function context(test: PreparedTest, client: Client): TestContext {
  return {
    client,
    network: test.network,
    serviceName: test.service,
    blueprintDir: test.dir,
    blueprint: test.blueprint,
    target: test.target,
    cloud: cloudOf(test.target),
    mock: test.target.startsWith('mock-'),
    log: (line) => test.progress(`  ${line}`),
  };
}

/** The tested service if it is deployed (teardown runs after failed setups too). */
function findService(client: Client, test: PreparedTest): ServiceInfo | undefined {
  try {
    return client.service.get(test.network, test.service);
  } catch {
    return undefined;
  }
}

/** What the fixture returned, checked: a plain object of JSON values (kept between invocations). */
function templateVars(vars: unknown, test: PreparedTest): Record<string, unknown> {
  if (vars === undefined) return {};
  if (typeof vars !== 'object' || vars === null || Array.isArray(vars)) {
    throw new ButterError('FIXTURE_VARS_INVALID', 'setupBeforeTestedService must return an object of template variables', {
      file: displayPath(path.join(test.dir, FIXTURE_FILE)),
      hint: 'return e.g. `{ PrivateIps: [...] }`, or `{}` when the blueprint needs none',
    });
  }
  return JSON.parse(JSON.stringify(vars));
}

/** Run a phase: its outcome, never a throw. */
async function phase(name: TestPhase, fn: () => Promise<void>): Promise<PhaseOutcome> {
  const t0 = Date.now();
  try {
    await fn();
    return { phase: name, status: 'passed', seconds: (Date.now() - t0) / 1000 };
  } catch (error) {
    return { phase: name, status: 'failed', seconds: (Date.now() - t0) / 1000, error };
  }
}

/** A named step with its start, end and duration reported. */
async function step<T>(test: PreparedTest, label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  test.progress(`… ${label}`);
  try {
    const result = await fn();
    test.progress(`✓ ${label} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
    return result;
  } catch (e) {
    test.progress(`✗ ${label}`);
    throw e;
  }
}

/** The test's network and service names, from the blueprint folder's name. */
export function testNames(dir: string): { network: string; service: string } {
  const base = path.basename(path.resolve(dir)).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  const service = (/^[a-z]/.test(base) ? base : `bp-${base}`).slice(0, 24).replace(/-+$/, '') || 'tested';
  return { network: `test-${service}`, service };
}

export function cloudOf(target: Target): 'aws' | 'google' {
  return target.endsWith('google') ? 'google' : 'aws';
}

