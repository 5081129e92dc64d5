import * as fs from 'node:fs';
import * as path from 'node:path';
import { adoptErroredState, startStateServer, StateServer } from '../../../src/deploy/state-server';
import { acquireLock } from '../../../src/mock/cloud/file-lock';
import { tempDir } from '../../helpers/synth';

/** The state server as Terraform's http backend uses it: GET/POST/DELETE, LOCK/UNLOCK, with its credentials. */
describe('state server', () => {
  const servers: StateServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });
  const start = async (): Promise<StateServer> => {
    const s = await startStateServer();
    servers.push(s);
    return s;
  };
  /** A request as Terraform makes it: basic auth from TF_HTTP_USERNAME / TF_HTTP_PASSWORD. */
  const basic = (s: StateServer) => `Basic ${Buffer.from(`${s.env.TF_HTTP_USERNAME}:${s.env.TF_HTTP_PASSWORD}`).toString('base64')}`;
  const call = async (s: StateServer | string | undefined, url: string, method: string, body?: string) => {
    const authorization = typeof s === 'string' ? s : s ? basic(s) : undefined;
    const r = await fetch(url, { method, body, headers: authorization ? { authorization } : {} });
    return { status: r.status, text: await r.text() };
  };
  const lockInfo = (id: string) => JSON.stringify({ ID: id, Operation: 'OperationTypeApply', Who: 'ann@box', Created: '2026-12-06T07:00:00Z' });

  test('keeps the state in the stack\'s file, atomically replaced on every POST under the lock', async () => {
    const file = path.join(tempDir('butter-state-'), 'butter.tfstate');
    const s = await start();
    const { TF_HTTP_ADDRESS: address } = s.stackEnv('shop', file);
    expect((await call(s, address, 'GET')).status).toBe(404);
    const state = JSON.stringify({ version: 4, serial: 1, resources: [] });
    expect((await call(s, address, 'LOCK', lockInfo('l1'))).status).toBe(200);
    expect((await call(s, `${address}?ID=l1`, 'POST', state)).status).toBe(200);
    expect(fs.readFileSync(file, 'utf8')).toBe(state);
    expect(await call(s, address, 'GET')).toEqual({ status: 200, text: state });
    expect((await call(s, `${address}?ID=l1`, 'DELETE')).status).toBe(200);
    expect(fs.existsSync(file)).toBe(false);
    expect((await call(s, address, 'UNLOCK', lockInfo('l1'))).status).toBe(200);
  });

  test('serves only the stacks it was given', async () => {
    const s = await start();
    const { TF_HTTP_ADDRESS: address } = s.stackEnv('shop', path.join(tempDir('butter-state-'), 'butter.tfstate'));
    expect((await call(s, address.replace(/shop$/, 'other'), 'GET')).status).toBe(404);
    expect((await call(s, address.replace(/shop$/, '..%2Fshop'), 'GET')).status).toBe(404);
  });

  test('refuses every request without its credentials (401) or with wrong ones (403): nothing read, locked or written', async () => {
    const file = path.join(tempDir('butter-state-'), 'butter.tfstate');
    const secret = JSON.stringify({ version: 4, serial: 3, resources: [], user_data: 'secret' });
    fs.writeFileSync(file, secret);
    const s = await start();
    const other = await start(); // another run's credentials are wrong here
    const { TF_HTTP_ADDRESS: address } = s.stackEnv('shop', file);
    for (const method of ['GET', 'POST', 'DELETE', 'LOCK', 'UNLOCK']) {
      const body = method === 'GET' || method === 'DELETE' ? undefined : lockInfo('intruder');
      const none = await call(undefined, address, method, body);
      expect(none.status).toBe(401);
      expect(none.text).not.toContain('secret');
      expect((await call(other, address, method, body)).status).toBe(403);
      expect((await call(`Basic ${Buffer.from(`butter:${s.env.TF_HTTP_PASSWORD}x`).toString('base64')}`, address, method, body)).status).toBe(403);
      expect((await call('Bearer nonsense', address, method, body)).status).toBe(403);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe(secret);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
    // The rightful client still works.
    expect((await call(s, address, 'GET')).text).toBe(secret);
  });

  test('credentials are new for every server, and apart from the addresses (Terraform writes a backend block\'s values to .terraform)', async () => {
    const a = await start();
    const b = await start();
    expect(a.env.TF_HTTP_PASSWORD).not.toBe(b.env.TF_HTTP_PASSWORD);
    expect(a.env.TF_HTTP_PASSWORD.length).toBeGreaterThanOrEqual(40);
    expect(JSON.stringify(a.stackEnv('shop', '/x/butter.tfstate'))).not.toContain(a.env.TF_HTTP_PASSWORD);
  });

  test('writes and unlocks must name the lock held: a write without it, or an unlock of another ID, is refused', async () => {
    const file = path.join(tempDir('butter-state-'), 'butter.tfstate');
    const s = await start();
    const { TF_HTTP_ADDRESS: address } = s.stackEnv('shop', file);
    const state = JSON.stringify({ version: 4, serial: 1, resources: [] });
    expect((await call(s, address, 'POST', state)).status).toBe(409); // not locked
    expect((await call(s, address, 'LOCK', lockInfo('mine'))).status).toBe(200);
    expect((await call(s, address, 'POST', state)).status).toBe(409);
    expect((await call(s, `${address}?ID=theirs`, 'POST', state)).status).toBe(409);
    expect((await call(s, `${address}?ID=theirs`, 'DELETE')).status).toBe(409);
    expect(fs.existsSync(file)).toBe(false);
    expect((await call(s, address, 'UNLOCK', lockInfo('theirs'))).status).toBe(409);
    expect((await call(s, address, 'UNLOCK', '')).status).toBe(409);
    expect(fs.existsSync(`${file}.lock`)).toBe(true);
    expect((await call(s, address, 'LOCK', 'not json')).status).toBe(400);
    expect((await call(s, address, 'UNLOCK', lockInfo('mine'))).status).toBe(200);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  test('a lock is held across processes\' servers: the second is refused with the holder\'s lock info', async () => {
    const file = path.join(tempDir('butter-state-'), 'butter.tfstate');
    const sa = await start();
    const sb = await start();
    const a = sa.stackEnv('shop', file).TF_HTTP_LOCK_ADDRESS;
    const b = sb.stackEnv('shop', file).TF_HTTP_LOCK_ADDRESS;
    expect((await call(sa, a, 'LOCK', lockInfo('x'))).status).toBe(200);
    const refused = await call(sb, b, 'LOCK', lockInfo('y'));
    expect(refused.status).toBe(423);
    const holder = JSON.parse(refused.text);
    expect(holder).toMatchObject({ ID: 'x', Who: 'ann@box', Created: '2026-12-06T07:00:00Z', Operation: 'OperationTypeApply' });
    expect(holder.Info).toContain(`butter process ${process.pid}`);
    expect(holder.Info).toContain(`${file}.lock`);
    expect((await call(sa, a, 'LOCK', lockInfo('x2'))).status).toBe(423);
    expect((await call(sa, a, 'UNLOCK', lockInfo('x'))).status).toBe(200);
    expect((await call(sb, b, 'LOCK', lockInfo('y'))).status).toBe(200);
    sb.releaseLocks(); // what a second signal does before exiting
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });
});

describe('errored.tfstate left by a killed run', () => {
  const state = (lineage: string, serial: number, n: number) => JSON.stringify({ version: 4, lineage, serial, resources: Array(n).fill({}) });

  test('is adopted when it is the newer version of the stack\'s state, and removed', async () => {
    const dir = tempDir('butter-errored-');
    const file = path.join(dir, 'butter.tfstate');
    fs.writeFileSync(file, state('L', 4, 10));
    fs.writeFileSync(path.join(dir, 'errored.tfstate'), state('L', 5, 30));
    expect(await adoptErroredState(dir, file)).toBe('adopted');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).resources).toHaveLength(30);
    expect(fs.existsSync(path.join(dir, 'errored.tfstate'))).toBe(false);
    expect(await adoptErroredState(dir, file)).toBe('none');
  });

  test('is adopted when there is no state yet; removed when the saved state is newer; kept aside when of another lineage', async () => {
    const dir = tempDir('butter-errored-');
    const file = path.join(dir, 'butter.tfstate');
    const errored = path.join(dir, 'errored.tfstate');
    fs.writeFileSync(errored, state('L', 1, 3));
    expect(await adoptErroredState(dir, file)).toBe('adopted');
    fs.writeFileSync(file, state('L', 9, 12));
    fs.writeFileSync(errored, state('L', 8, 3));
    expect(await adoptErroredState(dir, file)).toBe('superseded');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).resources).toHaveLength(12);
    fs.writeFileSync(errored, state('OTHER', 20, 1));
    expect(await adoptErroredState(dir, file)).toBe('kept-aside');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).serial).toBe(9);
    expect(fs.existsSync(`${errored}.other-lineage`)).toBe(true);
    expect(fs.existsSync(errored)).toBe(false);
  });

  test('is left alone while another run holds the stack\'s lock', async () => {
    const dir = tempDir('butter-errored-');
    const file = path.join(dir, 'butter.tfstate');
    fs.writeFileSync(path.join(dir, 'errored.tfstate'), state('L', 1, 3));
    const release = await acquireLock(`${file}.lock`);
    try {
      expect(await adoptErroredState(dir, file)).toBe('none');
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      release();
    }
  });
});
