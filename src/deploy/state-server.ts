import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { writeFileAtomic } from '../util/atomic-file';
import { acquireLock, LockTimeoutError } from '../mock/cloud/file-lock';

/**
 * Terraform state for mock deploys, served to Terraform's `http` backend from this process and
 * kept in each stack's working folder (`butter.tfstate`; see mockStateFile in deploy.ts).
 *
 * Why not the local backend: it rewrites the whole state file after every single change, so an
 * apply of N resources writes N files of growing size. With the mock's real provider schemas a
 * stack's state is large (hundreds of attributes per resource), and that rewrite was most of
 * Terraform's time: 300 resources of 20 attributes take 16 s to apply and destroy with the local
 * backend and 3 s with this one (bench/README.md). A remote backend only persists at the end of
 * an operation and every 20 s in between. What a killed apply created after the last persist is
 * adopted by the mock cloud's create journal on the next apply, the same as when the local
 * backend's file was emptied by the kill.
 *
 * The protocol is the http backend's: GET (200 with the state, or 404 for none), POST (store),
 * DELETE (forget), and LOCK / UNLOCK with the lock's JSON (423 when taken). The lock is a file
 * next to the state (`butter.tfstate.lock`, the mock cloud's lock files), not this server's
 * memory: two `butter deploy` processes have two servers, and must still not apply one stack at
 * the same time. A lock left by a killed process is stale (its pid is gone) and taken over.
 */
export interface StateServer {
  /** The backend block for a stack whose state lives in `file`. */
  backend(stack: string, file: string): { http: Record<string, string> };
  stop(): Promise<void>;
}

/** Start serving on 127.0.0.1 (a free port). Only stacks given to {@link StateServer.backend} are served. */
export async function startStateServer(): Promise<StateServer> {
  const files = new Map<string, string>();
  /** Release functions of the locks Terraform holds, by stack. */
  const locks = new Map<string, () => void>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const reply = (status: number, body?: string) => {
        res.writeHead(status, body ? { 'content-type': 'application/json' } : {});
        res.end(body);
      };
      const stack = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/state\//, ''));
      const file = files.get(stack);
      if (!file) return reply(404);
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        switch (req.method) {
          case 'GET':
            return fs.existsSync(file) ? reply(200, fs.readFileSync(file, 'utf8')) : reply(404);
          case 'POST':
            // Atomic and fsync'd before Terraform is told it is stored.
            writeFileAtomic(file, body);
            return reply(200);
          case 'DELETE':
            fs.rmSync(file, { force: true });
            return reply(200);
          case 'LOCK': {
            if (locks.has(stack)) return reply(423);
            try {
              // Try once (no waiting): Terraform reports a taken lock, and retries with -lock-timeout.
              locks.set(stack, await acquireLock(`${file}.lock`, { timeoutMs: 0 }));
            } catch (e) {
              if (e instanceof LockTimeoutError) return reply(423, JSON.stringify({ ID: 'butter', Info: e.problem }));
              throw e;
            }
            return reply(200);
          }
          case 'UNLOCK':
            locks.get(stack)?.();
            locks.delete(stack);
            return reply(200);
          default:
            return reply(405);
        }
      } catch (e) {
        return reply(500, JSON.stringify({ error: (e as Error).message }));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    backend(stack, file) {
      files.set(stack, file);
      const address = `http://127.0.0.1:${port}/state/${encodeURIComponent(stack)}`;
      return { http: { address, lock_address: address, unlock_address: address } };
    },
    stop: () => new Promise<void>((resolve) => {
      // Terraform unlocks before it exits; a lock still held here belongs to a run that died.
      for (const release of locks.values()) release();
      locks.clear();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
