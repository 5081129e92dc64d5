import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { findProvider, ProviderEntry } from '../provider-entry';
import { CloudStore } from '../cloud/store';
import { ProviderService } from '../framework/provider-service';
import { ProviderDefinition } from '../framework/types';
import { log } from '../log';
import { removeAbandonedSocketFolders, serveProvider, ServedProvider } from '../plugin/grpc-server';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../plugin/plugin-mode';
import { ensurePrivateFolder, LAUNCH_PROTOCOL } from './launch-client';

/**
 * The launch daemon: the long-lived half of the mirror's plugin launcher (launcher.c).
 *
 * Terraform starts a plugin process for every phase. Instead of loading the mock provider each
 * time, the launcher connects here and asks for one provider; the daemon (which loaded the
 * simulations once) answers with the go-plugin handshake line of a fresh gRPC listener, serving a
 * fresh ProviderService (its own configuration, its own working folder for the unsimulated-type
 * check, the state folder the launcher names) over mutual TLS with exactly the client
 * certificate that launcher's Terraform sent. So each launch behaves as a plugin process of its
 * own would, and concurrent Terraform runs never share a listener.
 *
 * The launcher's connection is that plugin's life: Terraform's GRPCController.Shutdown closes the
 * listener and ends the connection (the launcher exits, which Terraform waits for); the
 * connection ending first (Terraform killed the launcher, or died) closes the listener too.
 *
 * Only this user can reach the daemon: its socket is in a folder that must be this user's and
 * mode 0700 (checked here and by the launcher). Requests are still checked as untrusted input:
 * size, known keys, absolute paths, a parseable certificate, a provider of the catalog.
 *
 * The daemon exits when no launcher has been connected for `idleMs`, at once when the code it
 * runs (`watchFile`) is removed, when another daemon took over its socket path, or on a `stop`
 * request ({@link stopLaunchDaemon}).
 */

const MAX_REQUEST_BYTES = 64 * 1024;
const HEADER = `${LAUNCH_PROTOCOL}\0`;
const REQUEST_TIMEOUT_MS = 10_000;
/** How long an unused daemon stays. @default 120 s, or `BUTTER_MOCK_LAUNCH_IDLE_MS` */
export const DEFAULT_IDLE_MS = 120_000;
const KEYS = new Set(['provider', 'cwd', 'magic_cookie', 'protocol_versions', 'client_cert', 'socket_dir', 'state_dir', 'command']);

/** Options for {@link runLaunchDaemon}. */
export interface LaunchDaemonOptions {
  /** The socket path; its folder must be this user's, mode 0700 (created so when missing). */
  readonly socket: string;
  readonly catalog: readonly ProviderEntry[];
  /** @default BUTTER_MOCK_LAUNCH_IDLE_MS, else DEFAULT_IDLE_MS */
  readonly idleMs?: number;
  /** Exit when this file disappears (the daemon's own code). @default - not watched */
  readonly watchFile?: string;
}

/** A running daemon (the process exits through `onExit`). */
export interface LaunchDaemon {
  /** Resolves when the daemon has stopped serving. */
  readonly stopped: Promise<void>;
  stop(): Promise<void>;
}


/** Serve launches on `options.socket` until idle, stopped or replaced. */
export async function runLaunchDaemon(options: LaunchDaemonOptions): Promise<LaunchDaemon | undefined> {
  const socket = path.resolve(options.socket);
  ensurePrivateFolder(path.dirname(socket));
  if (await answers(socket)) {
    log(`launch daemon: another one serves ${socket}`);
    return undefined;
  }
  const idleMs = options.idleMs ?? (Number(process.env.BUTTER_MOCK_LAUNCH_IDLE_MS) || DEFAULT_IDLE_MS);
  const definitions = new Map<string, ProviderDefinition>();
  const definition = (entry: ProviderEntry): ProviderDefinition => {
    let d = definitions.get(entry.name);
    if (!d) definitions.set(entry.name, (d = entry.load()));
    return d;
  };
  // Load the simulations now: the first launch is then as quick as the others.
  for (const entry of options.catalog) definition(entry);

  // Socket folders of killed servers in a socket folder: removed at the first launch there and
  // then at most once a minute (not per launch: see ServeOptions.removeAbandoned).
  const swept = new Map<string, number>();
  const sweep = (dir: string): void => {
    if (Date.now() - (swept.get(dir) ?? 0) < 60_000) return;
    swept.set(dir, Date.now());
    removeAbandonedSocketFolders(dir);
  };

  const connections = new Set<net.Socket>();
  let launches = 0;
  let stopping = false;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  const server = net.createServer((conn) => {
    connections.add(conn);
    armIdle();
    conn.once('close', () => {
      connections.delete(conn);
      armIdle();
    });
    conn.on('error', () => undefined);
    handle(conn).catch((e: unknown) => {
      log(`launch daemon: ${(e as Error).message}`);
      if (!conn.destroyed) conn.end(`error ${oneLine((e as Error).message)}\n`);
    });
  });

  // Bound under a name of its own, then renamed into place: never a moment without a socket for
  // a daemon that is replacing a stale one, and two daemons racing leave one in place.
  const temp = `${socket}.${process.pid}.tmp`;
  fs.rmSync(temp, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(temp, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  fs.chmodSync(temp, 0o600);
  fs.renameSync(temp, socket);
  const ino = fs.statSync(socket).ino;
  const ours = (): boolean => {
    try {
      return fs.statSync(socket).ino === ino;
    } catch {
      return false;
    }
  };
  log(`launch daemon serving ${socket} (idle ${idleMs} ms)`);

  let idleTimer: NodeJS.Timeout | undefined;
  function armIdle(): void {
    if (idleTimer) clearTimeout(idleTimer);
    if (stopping) return;
    idleTimer = connections.size === 0 ? setTimeout(() => void stop('idle'), idleMs) : undefined;
  }
  armIdle();
  const watch = setInterval(() => {
    if (options.watchFile && !fs.existsSync(options.watchFile)) {
      // Its folder is being deleted: writing the code cache there at exit (bundle.ts) would make
      // that deletion fail (ENOTEMPTY).
      (global as { butterSkipCodeCache?: boolean }).butterSkipCodeCache = true;
      void stop(`${options.watchFile} was removed`);
    }
    else if (!ours() && connections.size === 0) void stop('another daemon took over the socket');
  }, 1000);
  watch.unref();

  /**
   * Stop taking launches. `graceful` (a stop request): the plugins launched so far serve on until
   * their Terraform is done with them, so stopping never breaks a run in progress; a plugin start
   * meanwhile starts a new daemon. Otherwise (a signal, the code removed) they end now.
   */
  async function stop(why: string, graceful = false): Promise<void> {
    if (stopping) return stopped;
    stopping = true;
    log(`launch daemon stopping: ${why}`);
    clearInterval(watch);
    if (idleTimer) clearTimeout(idleTimer);
    if (ours()) fs.rmSync(socket, { force: true });
    server.close();
    if (!graceful) for (const conn of connections) conn.destroy();
    // Listeners close as their connections do (in handle); give them a moment.
    const finish = (): void => {
      if (connections.size === 0) setTimeout(resolveStopped, 100);
    };
    for (const conn of connections) conn.once('close', finish);
    finish();
    return stopped;
  }

  async function handle(conn: net.Socket): Promise<void> {
    const fields = await readRequest(conn);
    const command = fields.get('command');
    if (command === 'stop') {
      conn.end('ok\n');
      await stop('asked to', true);
      return;
    }
    if (command === 'status') {
      conn.end(`${JSON.stringify({ pid: process.pid, launches, open: connections.size - 1 })}\n`);
      return;
    }
    if (command !== undefined) throw new Error(`unknown command ${JSON.stringify(command)}`);
    const { entry, service, clientCertPem, socketDir } = launchRequest(fields, options.catalog, definition);
    let served: ServedProvider | undefined;
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      if (served) void served.close();
      conn.end();
    };
    conn.once('close', close);
    sweep(socketDir ?? os.tmpdir());
    served = await serveProvider(service, {
      clientCertPem,
      socketDir,
      removeAbandoned: false,
      // The shared process stays; only this listener goes, and the launcher with it.
      onShutdown: close,
    });
    if (closed) {
      void served.close();
      return;
    }
    launches++;
    const cert = served.serverCertDer ? served.serverCertDer.toString('base64').replace(/=+$/, '') : '';
    conn.write(`1|6|${served.network}|${served.address}|grpc|${cert}\n`);
    log(`serving ${entry.source} ${entry.version} on ${served.address} (tls: ${cert !== ''}) for launch ${launches} in ${fields.get('cwd') ?? '?'}`);
  }

  const onSignal = (): void => void stop('signal').then(() => process.exit(0));
  process.on('SIGTERM', onSignal).on('SIGINT', onSignal).on('SIGHUP', onSignal);
  process.once('exit', () => {
    if (ours()) fs.rmSync(socket, { force: true });
    // The launcher points the daemon's stderr at <socket>.log: kept only when something went there.
    try {
      if (fs.statSync(`${socket}.log`).size === 0) fs.rmSync(`${socket}.log`);
    } catch {
      // none
    }
  });
  return { stopped, stop: () => stop('asked to', true) };
}

/** The key/value fields of one request: NUL-terminated strings after {@link LAUNCH_PROTOCOL}, then an empty one. */
function readRequest(conn: net.Socket): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => fail('the request did not arrive within 10 s'), REQUEST_TIMEOUT_MS);
    const fail = (why: string): void => {
      clearTimeout(timer);
      conn.removeListener('data', onData);
      reject(new Error(why));
    };
    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length > MAX_REQUEST_BYTES) return fail(`the request is over ${MAX_REQUEST_BYTES} bytes`);
      // Anything else (a stray client, an HTTP request) is turned away at its first bytes.
      const head = buffer.subarray(0, HEADER.length).toString('latin1');
      if (!HEADER.startsWith(head)) return fail(`not a launch request (expected "${LAUNCH_PROTOCOL}")`);
      const parts: string[] = [];
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        if (buffer[i] !== 0) continue;
        const part = buffer.subarray(start, i).toString('utf8');
        start = i + 1;
        if (part === '' && parts.length % 2 === 1) {
          clearTimeout(timer);
          conn.removeListener('data', onData);
          try {
            resolve(parseFields(parts));
          } catch (e) {
            reject(e);
          }
          return;
        }
        parts.push(part);
      }
    };
    conn.on('data', onData);
    conn.once('end', () => fail('the request ended early'));
  });
}

function parseFields(parts: readonly string[]): Map<string, string> {
  if (parts[0] !== LAUNCH_PROTOCOL) throw new Error(`not a launch request (expected "${LAUNCH_PROTOCOL}")`);
  const fields = new Map<string, string>();
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i];
    if (!KEYS.has(key)) throw new Error(`unknown request field ${JSON.stringify(key.slice(0, 40))}`);
    if (fields.has(key)) throw new Error(`request field ${key} given twice`);
    fields.set(key, parts[i + 1]);
  }
  return fields;
}

/** What a launch needs, checked: the provider, its service, the certificate to trust. */
function launchRequest(fields: Map<string, string>, catalog: readonly ProviderEntry[], definition: (e: ProviderEntry) => ProviderDefinition):
  { entry: ProviderEntry; service: ProviderService; clientCertPem?: string; socketDir?: string } {
  if (fields.get('magic_cookie') !== MAGIC_COOKIE_VALUE) {
    throw new Error(`This is a Terraform provider plugin (the Butter mock cloud); Terraform runs it, not you (${MAGIC_COOKIE_KEY} is not set).`);
  }
  const offered = (fields.get('protocol_versions') ?? '').split(',').map((v) => v.trim());
  if (!offered.includes('6')) {
    throw new Error(`The Butter mock cloud speaks plugin protocol 6; Terraform offered ${offered.join(',') || 'none'}.`);
  }
  const entry = findProvider(catalog, fields.get('provider') ?? '');
  const absolute = (key: string): string | undefined => {
    const value = fields.get(key);
    if (value === undefined) return undefined;
    if (!path.isAbsolute(value)) throw new Error(`${key} must be an absolute path`);
    return path.normalize(value);
  };
  const stateDir = absolute('state_dir');
  const cwd = absolute('cwd');
  if (!stateDir) throw new Error('no state_dir (BUTTER_MOCK_STATE_DIR) in the request');
  const clientCertPem = fields.get('client_cert');
  if (clientCertPem !== undefined) {
    try {
      // eslint-disable-next-line no-new
      new crypto.X509Certificate(clientCertPem);
    } catch {
      throw new Error('PLUGIN_CLIENT_CERT is not a PEM certificate');
    }
  }
  const service = new ProviderService(definition(entry), CloudStore.forProvider(entry.name, stateDir), { configDir: cwd });
  return { entry, service, clientCertPem, socketDir: absolute('socket_dir') };
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').slice(0, 2000);
}

/** True when a daemon answers on `socket`. */
function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = net.connect(socket);
    conn.once('connect', () => {
      conn.destroy();
      resolve(true);
    });
    conn.once('error', () => resolve(false));
  });
}
