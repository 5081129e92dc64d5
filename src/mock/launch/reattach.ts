import { ProviderEntry } from '../provider-entry';
import { CloudStore, defaultStateDir } from '../cloud/store';
import { ProviderService } from '../framework/provider-service';
import { serveProvider, ServedProvider } from '../plugin/grpc-server';

/**
 * Serving providers for `TF_REATTACH_PROVIDERS`: instead of Terraform starting a plugin process for
 * every phase (three per plan, four or five per apply), it connects to servers that are already
 * running. One process can serve several providers, each on its own socket.
 *
 * Every request still checks the cloud state file (see CloudStore), so a daemon never works from a
 * stale copy when other processes change the cloud.
 */

/** One provider's entry in TF_REATTACH_PROVIDERS, in the field names go-plugin reads. */
export interface ReattachConfig {
  readonly Protocol: 'grpc';
  readonly ProtocolVersion: 6;
  readonly Pid: number;
  /** Tells Terraform not to stop the server when it is done. */
  readonly Test: true;
  readonly Addr: { readonly Network: 'unix'; readonly String: string };
}

/** Provider source address → how to reach it. */
export type ReattachProviders = Record<string, ReattachConfig>;

/** Servers running in this process. */
export interface ReattachServers {
  readonly providers: ReattachProviders;
  close(): Promise<void>;
}

/** Options for {@link serveForReattach}. */
export interface ReattachOptions {
  /** Where the clouds' state files are. @default defaultStateDir() */
  readonly stateDir?: string;
  /** @default os.tmpdir() */
  readonly socketDir?: string;
}

/** Serve `entries` in this process, plaintext on unix sockets. */
export async function serveForReattach(entries: readonly ProviderEntry[], options: ReattachOptions = {}): Promise<ReattachServers> {
  const stateDir = options.stateDir ?? defaultStateDir();
  const served: ServedProvider[] = [];
  const providers: ReattachProviders = {};
  try {
    for (const entry of entries) {
      const service = new ProviderService(entry.load(), CloudStore.forProvider(entry.name, stateDir));
      const server = await serveProvider(service, { socketDir: options.socketDir });
      served.push(server);
      providers[entry.source] = {
        Protocol: 'grpc',
        ProtocolVersion: 6,
        Pid: process.pid,
        Test: true,
        Addr: { Network: 'unix', String: server.address },
      };
    }
  } catch (e) {
    await Promise.all(served.map((s) => s.close()));
    throw e;
  }
  return { providers, close: async () => void (await Promise.all(served.map((s) => s.close()))) };
}
