import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { AddressInfo } from 'node:net';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { writeFileAtomic } from '../util/atomic-file';
import { acquireLock, LockTimeoutError, readLock } from '../mock/cloud/file-lock';

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
 *
 * Only the Terraform this process starts may talk to it: the port is reachable by every local
 * user, so every request must carry HTTP basic credentials made for this server alone, which
 * Terraform reads from its environment ({@link StateServer.env}: never a command line, which
 * `ps` shows, nor a file). A request without them gets 401, with wrong ones 403. A write
 * (POST, DELETE) must name the lock this server holds for the stack (the http backend adds the
 * lock's `ID` to the address), and UNLOCK must send that lock's info: 409 otherwise.
 */
export interface StateServer {
  /**
   * Terraform's environment for a stack whose state lives in `file`: `TF_HTTP_ADDRESS` and the
   * lock and unlock addresses, for a backend block that names none (`{ http: {} }`). The port
   * changes every run, and in the environment it does not change the configuration, so a folder
   * initialized once needs no `terraform init` again (init-stamp.ts).
   */
  stackEnv(stack: string, file: string): Record<string, string>;
  /**
   * The credentials for Terraform's environment (`TF_HTTP_USERNAME`, `TF_HTTP_PASSWORD`). Only
   * in the environment of the Terraform processes this server is for.
   */
  readonly env: { readonly TF_HTTP_USERNAME: string; readonly TF_HTTP_PASSWORD: string };
  /**
   * Release the locks Terraform still holds, at once (synchronous: for a process about to exit).
   * {@link stop} does this too.
   */
  releaseLocks(): void;
  stop(): Promise<void>;
}

/** Terraform's lock info (the body of LOCK and UNLOCK), as far as Butter reads it. */
export interface TerraformLockInfo {
  readonly ID: string;
  readonly Operation?: string;
  readonly Who?: string;
  readonly Version?: string;
  readonly Created?: string;
  readonly Path?: string;
  readonly Info?: string;
}

/** A lock this server holds for Terraform. */
interface HeldLock {
  readonly id: string;
  readonly release: () => void;
}

/** Start serving on 127.0.0.1 (a free port). Only stacks given to {@link StateServer.backend} are served. */
export async function startStateServer(): Promise<StateServer> {
  const files = new Map<string, string>();
  /** The locks Terraform holds, by stack. */
  const locks = new Map<string, HeldLock>();
  const env = { TF_HTTP_USERNAME: 'butter', TF_HTTP_PASSWORD: randomBytes(32).toString('base64url') };
  const expected = digest(`Basic ${Buffer.from(`${env.TF_HTTP_USERNAME}:${env.TF_HTTP_PASSWORD}`).toString('base64')}`);

  const server = http.createServer((req, res) => {
    const reply = (status: number, body?: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { ...(body ? { 'content-type': 'application/json' } : {}), ...headers });
      res.end(body);
    };
    // Checked before the body is read: a stranger's request costs nothing and learns nothing.
    const auth = req.headers.authorization;
    if (auth === undefined) return void reply(401, undefined, { 'www-authenticate': 'Basic realm="butter state"', connection: 'close' });
    // Compared as digests: equal lengths for timingSafeEqual, and no timing hint of the secret.
    if (!timingSafeEqual(digest(auth), expected)) return void reply(403, undefined, { connection: 'close' });

    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const stack = decodeURIComponent(url.pathname.replace(/^\/state\//, ''));
      const file = files.get(stack);
      if (!file) return reply(404);
      const body = Buffer.concat(chunks).toString('utf8');
      const held = locks.get(stack);
      /** A write must come from the holder of this server's lock on the stack. */
      const holdsLock = () => held !== undefined && url.searchParams.get('ID') === held.id;
      try {
        switch (req.method) {
          case 'GET':
            return fs.existsSync(file) ? reply(200, fs.readFileSync(file, 'utf8')) : reply(404);
          case 'POST':
            if (!holdsLock()) return reply(409, JSON.stringify({ error: 'the state is written only under its lock' }));
            // Atomic and fsync'd before Terraform is told it is stored.
            writeFileAtomic(file, body);
            return reply(200);
          case 'DELETE':
            if (!holdsLock()) return reply(409, JSON.stringify({ error: 'the state is deleted only under its lock' }));
            fs.rmSync(file, { force: true });
            return reply(200);
          case 'LOCK': {
            const info = parseLockInfo(body);
            if (!info) return reply(400, JSON.stringify({ error: 'LOCK needs Terraform\'s lock info' }));
            if (held) return reply(423, JSON.stringify(holderInfo(`${file}.lock`) ?? { ID: held.id }));
            try {
              // Try once (no waiting): Terraform reports a taken lock, and retries with -lock-timeout.
              // Terraform's lock info goes into the lock file: whoever is refused is told who holds it.
              const release = await acquireLock(`${file}.lock`, { timeoutMs: 0, detail: info });
              locks.set(stack, { id: info.ID, release });
            } catch (e) {
              if (e instanceof LockTimeoutError) return reply(423, JSON.stringify(holderInfo(`${file}.lock`) ?? { ID: 'unknown', Info: e.problem }));
              throw e;
            }
            return reply(200);
          }
          case 'UNLOCK': {
            const info = parseLockInfo(body);
            if (!held) return reply(200); // nothing to release (Terraform unlocks after a failed lock too)
            if (info?.ID !== held.id) return reply(409, JSON.stringify(holderInfo(`${file}.lock`) ?? { ID: held.id }));
            held.release();
            locks.delete(stack);
            return reply(200);
          }
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
  const releaseLocks = (): void => {
    for (const held of locks.values()) held.release();
    locks.clear();
  };

  return {
    env,
    stackEnv(stack, file) {
      files.set(stack, file);
      const address = `http://127.0.0.1:${port}/state/${encodeURIComponent(stack)}`;
      return { TF_HTTP_ADDRESS: address, TF_HTTP_LOCK_ADDRESS: address, TF_HTTP_UNLOCK_ADDRESS: address };
    },
    releaseLocks,
    stop: () => new Promise<void>((resolve) => {
      // Terraform unlocks before it exits; a lock still held here belongs to a run that died.
      releaseLocks();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function parseLockInfo(body: string): TerraformLockInfo | undefined {
  try {
    const info = JSON.parse(body) as TerraformLockInfo;
    return info !== null && typeof info === 'object' && typeof info.ID === 'string' && info.ID !== '' ? info : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What Terraform prints about the lock's holder: its own lock info (ID, Who, Created, Operation),
 * with the holding Butter process added to Info (its pid: a lock whose process is gone is stale,
 * and the next lock takes it over).
 */
function holderInfo(lockFile: string): TerraformLockInfo | undefined {
  const lock = readLock(lockFile);
  if (!lock) return undefined;
  const tf = parseLockInfo(JSON.stringify(lock.detail ?? null));
  const held = `butter process ${lock.pid} on ${lock.host} holds ${lockFile}`;
  return tf ? { ...tf, Info: held } : { ID: lock.token, Created: lock.since, Info: held };
}

/**
 * Take back the state a killed run left in `errored.tfstate` (Terraform writes it there when the
 * backend is gone before it could save, e.g. when Butter was killed mid-apply): it becomes the
 * stack's state when it is the newer version of it, and is removed either way, so it never
 * lingers after a good deploy. A state of another lineage is kept aside as
 * `errored.tfstate.other-lineage` (it is not this stack's history; never merged blindly).
 * Done under the stack's state lock; when another run holds it, nothing is touched.
 * Returns what it did.
 */
export async function adoptErroredState(workdir: string, stateFile: string): Promise<'adopted' | 'superseded' | 'kept-aside' | 'none'> {
  const errored = path.join(workdir, 'errored.tfstate');
  if (!fs.existsSync(errored)) return 'none';
  let release: () => void;
  try {
    release = await acquireLock(`${stateFile}.lock`, { timeoutMs: 0 });
  } catch (e) {
    if (e instanceof LockTimeoutError) return 'none';
    throw e;
  }
  try {
    const left = readState(errored);
    const current = readState(stateFile);
    if (!left) {
      fs.renameSync(errored, `${errored}.unreadable`);
      return 'kept-aside';
    }
    if (current && current.lineage !== left.lineage) {
      fs.renameSync(errored, `${errored}.other-lineage`);
      return 'kept-aside';
    }
    if (!current || left.serial >= current.serial) {
      writeFileAtomic(stateFile, left.text);
      fs.rmSync(errored);
      return 'adopted';
    }
    fs.rmSync(errored); // the saved state is newer: errored.tfstate is an older copy of it
    return 'superseded';
  } finally {
    release();
  }
}

function readState(file: string): { text: string; lineage: string; serial: number } | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const doc = JSON.parse(text);
    if (doc?.version !== 4 || typeof doc.serial !== 'number' || typeof doc.lineage !== 'string') return undefined;
    return { text, lineage: doc.lineage, serial: doc.serial };
  } catch {
    return undefined;
  }
}
