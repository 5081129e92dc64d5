import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { ProviderRequest, ProviderResponse } from '../framework/messages';
import { ProviderService } from '../framework/provider-service';
import { log } from '../log';
import { pluginServices } from '../proto/load';
import { generateServerCertificate } from './certificate';
import { addGoPluginServices } from './goplugin-services';
import { isAlive } from '../../util/process';

/**
 * One provider served over gRPC on a unix socket: `tfplugin6.Provider` answered by a
 * {@link ProviderService}, plus go-plugin's own services.
 */

/** Options for {@link serveProvider}. */
export interface ServeOptions {
  /**
   * Terraform's client certificate (PEM, from `PLUGIN_CLIENT_CERT`): serve mutual TLS with a fresh
   * self-signed certificate. Plaintext when absent (TF_DISABLE_PLUGIN_TLS, or reattach).
   * @default - plaintext
   */
  readonly clientCertPem?: string;
  /** Folder for the socket's own temp folder. @default os.tmpdir() */
  readonly socketDir?: string;
  /** Called after answering GRPCController.Shutdown. @default - Shutdown is ignored */
  readonly onShutdown?: () => void;
  /**
   * Remove socket folders killed servers left in `socketDir` first. The launch daemon, which
   * serves many short-lived listeners, does that itself now and then instead: reading a busy
   * temp folder (thousands of entries) took 20-250 ms per launch on a loaded machine.
   * @default true
   */
  readonly removeAbandoned?: boolean;
}

/** A running server. */
export interface ServedProvider {
  readonly network: 'unix';
  /** The socket path. */
  readonly address: string;
  /** Our certificate (DER) when serving TLS. */
  readonly serverCertDer?: Buffer;
  /** Stop serving and remove the socket. */
  close(): Promise<void>;
}

type Handler = (call: grpc.ServerUnaryCall<ProviderRequest, ProviderResponse>, callback: grpc.sendUnaryData<ProviderResponse>) => void;

const RPCS = [
  'GetMetadata', 'GetProviderSchema', 'ValidateProviderConfig', 'ValidateResourceConfig', 'ValidateDataResourceConfig',
  'UpgradeResourceState', 'GetResourceIdentitySchemas', 'ConfigureProvider', 'ReadResource', 'PlanResourceChange',
  'ApplyResourceChange', 'ImportResourceState', 'MoveResourceState', 'ReadDataSource', 'GetFunctions', 'StopProvider',
] as const;

/** Start serving `service`. */
export async function serveProvider(service: ProviderService, options: ServeOptions = {}): Promise<ServedProvider> {
  const services = pluginServices();
  const server = new grpc.Server({ 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 });
  const handlers: Record<string, Handler> = {};
  for (const rpc of RPCS) handlers[rpc] = unary(service, rpc);
  server.addService(services.provider, handlers);
  const goPlugin = addGoPluginServices(server, services, options.onShutdown);

  let serverCertDer: Buffer | undefined;
  let credentials = grpc.ServerCredentials.createInsecure();
  if (options.clientCertPem) {
    const cert = generateServerCertificate();
    serverCertDer = cert.der;
    credentials = grpc.ServerCredentials.createSsl(Buffer.from(options.clientCertPem),
      [{ private_key: Buffer.from(cert.keyPem), cert_chain: Buffer.from(cert.certPem) }], true);
  }

  // A private folder per socket: no clash with other servers, and nobody else can connect. Its
  // name carries this pid, so a later server can remove what a killed one left behind.
  const socketDir = options.socketDir ?? os.tmpdir();
  if (options.removeAbandoned ?? true) removeAbandonedSocketFolders(socketDir);
  const socketFolder = fs.mkdtempSync(path.join(socketDir, `butter-mock-${process.pid}-`));
  const address = path.join(socketFolder, 'provider.sock');
  await new Promise<void>((resolve, reject) => {
    server.bindAsync(`unix://${address}`, credentials, (err) => (err ? reject(err) : resolve()));
  });
  const removeSocket = (): void => fs.rmSync(socketFolder, { recursive: true, force: true });
  process.once('exit', removeSocket);

  return {
    network: 'unix',
    address,
    serverCertDer,
    close: () => new Promise<void>((resolve) => {
      goPlugin.endStreams();
      server.tryShutdown(() => {
        removeSocket();
        process.removeListener('exit', removeSocket);
        resolve();
      });
      // A client that keeps calls open would keep a graceful shutdown waiting forever.
      setTimeout(() => server.forceShutdown(), 200).unref();
    }),
  };
}

/**
 * Remove the socket folders of servers whose process is gone (SIGKILL skips exit handlers): only
 * this user's, only named `butter-mock-<pid>-…`, only when no process has that pid.
 */
export function removeAbandonedSocketFolders(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^butter-mock-(\d+)-[A-Za-z0-9]{6}$/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    const folder = path.join(dir, name);
    try {
      const st = fs.lstatSync(folder);
      if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid())) continue;
      fs.rmSync(folder, { recursive: true, force: true });
    } catch {
      // gone already, or not ours to remove
    }
  }
}

function unary(service: ProviderService, rpc: (typeof RPCS)[number]): Handler {
  return (call, callback) => {
    const started = process.hrtime.bigint();
    // Terraform going away (SIGKILL, Ctrl-C twice) cancels the call: abort the apply so its
    // changes to the cloud are discarded rather than half-remembered.
    const cancelled = new AbortController();
    call.on('cancelled', () => cancelled.abort(new Error('Terraform cancelled the request')));
    const request = call.request;
    const run = rpc === 'ApplyResourceChange' ? service.ApplyResourceChange(request, cancelled.signal)
      : (service[rpc] as (r: ProviderRequest) => Promise<ProviderResponse>).call(service, request);
    run.then((response) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const diagnostics = (response.diagnostics as unknown[] | undefined)?.length ?? 0;
      log(`${rpc}${request.type_name ? ` ${request.type_name}` : ''} ${ms.toFixed(2)}ms${diagnostics ? ` diagnostics=${diagnostics}` : ''}`);
      callback(null, response);
    }, (e: unknown) => {
      // ProviderService turns failures into diagnostics; reaching here is a bug in the framework.
      log(`${rpc} failed: ${(e as Error).stack ?? String(e)}`);
      callback({ code: grpc.status.INTERNAL, details: String((e as Error).message ?? e) });
    });
  };
}
