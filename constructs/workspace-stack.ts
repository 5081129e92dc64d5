/**
 * A workspace network as a cdktf stack, synthesized in-process with the real constructs.
 *
 * This is the Client's own cdktf app (the counterpart of a user's `main.ts`): it composes
 * Network, Service and Path exactly as a user's stack would, so what the CLI deploys is what the
 * library documents. It lives here rather than in src/client because it imports cdktf, and
 * every cdktf import stays under constructs/ (a switch to the cdktn fork stays local).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, GcsBackend, LocalBackend, PgBackend, PgBackendConfig, S3Backend, TerraformStack, Token } from 'cdktf';
import { Network } from './network';
import { Service } from './service';
import { Path } from './path';
import { CidrBlock } from './peer';
import { Port } from '../src/model/port';
import { stackStateFile } from '../src/deploy/deploy';
import { cloudOf, fromStoredPath, isMockTarget, Workspace } from '../src/client/workspace';
import { NetworkStack, pgSchemaName, stackName, stackOutdir, workspaceLedger } from '../src/client/stack-names';
import { ButterError } from '../src/errors';

/**
 * Synthesize `network` of `ws` (its services and paths; nothing of other networks) to
 * Terraform JSON. Blueprint and ledger errors surface as the constructs raise them.
 */
export function synthesizeNetwork(dir: string, ws: Workspace, network: string): NetworkStack {
  const net = ws.networks.find((n) => n.name === network);
  if (!net) throw new Error(`synthesizeNetwork: no network ${network} in the workspace`); // callers check first
  const stack = stackName(network);
  const outdir = stackOutdir(dir, network);
  // One folder per network, so its manifest lists this stack alone. It is not cleared: against
  // a real cloud Terraform runs in it, and its providers and lock file must survive the next synth.
  fs.mkdirSync(outdir, { recursive: true }); // App creates only the last folder of the path
  const app = new App({ outdir, stackTraces: false });
  const scope = new TerraformStack(app, stack);
  declareBackend(scope, dir, ws, network);
  const cloud = cloudOf(ws.target);
  const n = new Network(scope, network, {
    cloud,
    region: ws.region,
    project: cloud === 'google' ? ws.project : undefined,
    blueprint: net.blueprint ? fromStoredPath(dir, net.blueprint) : undefined,
    addressLedger: workspaceLedger(dir),
  });
  const services = new Map<string, Service>();
  for (const s of ws.services.filter((x) => x.network === network)) {
    services.set(s.name, new Service(n, s.name, {
      blueprint: fromStoredPath(dir, s.blueprint),
      count: s.count,
      templateVars: textOnly(s.vars ?? {}, `services[${s.name}].vars`),
    }));
  }
  for (const p of ws.paths.filter((x) => x.network === network)) {
    const source = services.get(p.source) ?? new CidrBlock(p.source);
    new Path(source, services.get(p.destination)!, Port.parse(p.port));
  }
  app.synth();
  return { stack, outdir, file: path.join(outdir, 'stacks', stack, 'cdk.tf.json') };
}

/**
 * Template variables from the workspace (typed on the command line or read from a var file) are
 * text and data, never cdktf tokens: only code can hold a token. A value that spells one
 * (`${TfToken[TOKEN.7]}`) would otherwise be taken for the token with that number, some other
 * resource's attribute, and compiled into the startup script as a reference to it.
 */
function textOnly(vars: Readonly<Record<string, unknown>>, key: string): Record<string, unknown> {
  for (const [name, value] of Object.entries(vars)) {
    if (Token.isUnresolved(value) || JSON.stringify(value ?? null).includes('TfToken[')) {
      throw new ButterError('TEMPLATE_VAR_INVALID', `template variable "${name}" spells a cdktf token (TfToken[...])`, {
        file: 'butter.workspace.json',
        key: `${key}.${name}`,
        hint: 'pass plain text; cdktf tokens can only come from code (a cdktf app\'s templateVars)',
      });
    }
  }
  return { ...vars };
}

/**
 * Where the network's state lives. Mock targets: the mock deploy's own file (runStacks serves it;
 * said here too rather than cdktf's default of the current directory), whatever the workspace's
 * backend says, as `butter deploy --mock` does. Real clouds: the workspace's backend, with the
 * settings completed per network and no credentials (Terraform reads those from the
 * environment); by default where cdktf would keep a stack of this name, in the project folder
 * rather than the output folder that each synth clears.
 */
function declareBackend(scope: TerraformStack, dir: string, ws: Workspace, network: string): void {
  const stack = stackName(network);
  const backend = ws.backend;
  if (isMockTarget(ws.target) || !backend || backend.type === 'local') {
    new LocalBackend(scope, { path: stackStateFile(dir, stack, isMockTarget(ws.target)) });
  } else if (backend.type === 'pg') {
    // conn_str left out on purpose: Terraform's pg backend reads PG_CONN_STR.
    new PgBackend(scope, { schemaName: pgSchemaName(backend.schemaPrefix ?? 'butter', network) } as PgBackendConfig);
  } else if (backend.type === 's3') {
    new S3Backend(scope, { bucket: backend.bucket, key: `${backend.keyPrefix ?? 'butter'}/${stack}.tfstate`, region: backend.region ?? ws.region });
  } else {
    new GcsBackend(scope, { bucket: backend.bucket, prefix: `${backend.prefix ?? 'butter'}/${stack}` });
  }
}
