import * as fs from 'node:fs';
import * as path from 'node:path';
import { startStateServer, StateServer } from '../../../src/deploy/state-server';
import { tempDir } from '../../helpers/synth';

/** The state server as Terraform's http backend uses it: GET/POST/DELETE, LOCK/UNLOCK. */
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
  const call = async (url: string, method: string, body?: string) => {
    const r = await fetch(url, { method, body });
    return { status: r.status, text: await r.text() };
  };

  test('keeps the state in the stack\'s file, atomically replaced on every POST', async () => {
    const file = path.join(tempDir('butter-state-'), 'butter.tfstate');
    const { address } = (await start()).backend('shop', file).http;
    expect((await call(address, 'GET')).status).toBe(404);
    const state = JSON.stringify({ version: 4, serial: 1, resources: [] });
    expect((await call(address, 'POST', state)).status).toBe(200);
    expect(fs.readFileSync(file, 'utf8')).toBe(state);
    expect(await call(address, 'GET')).toEqual({ status: 200, text: state });
    expect((await call(address, 'DELETE')).status).toBe(200);
    expect(fs.existsSync(file)).toBe(false);
  });

  test('serves only the stacks it was given', async () => {
    const s = await start();
    const { address } = s.backend('shop', path.join(tempDir('butter-state-'), 'butter.tfstate')).http;
    expect((await call(address.replace(/shop$/, 'other'), 'GET')).status).toBe(404);
    expect((await call(address.replace(/shop$/, '..%2Fshop'), 'GET')).status).toBe(404);
  });

  test('a lock is held across processes\' servers: a second deploy of the stack is refused until the first unlocks', async () => {
    const file = path.join(tempDir('butter-state-'), 'butter.tfstate');
    const a = (await start()).backend('shop', file).http.lock_address;
    const b = (await start()).backend('shop', file).http.lock_address;
    const info = JSON.stringify({ ID: 'x', Operation: 'OperationTypeApply' });
    expect((await call(a, 'LOCK', info)).status).toBe(200);
    expect((await call(b, 'LOCK', info)).status).toBe(423);
    expect((await call(a, 'LOCK', info)).status).toBe(423);
    expect((await call(a, 'UNLOCK', info)).status).toBe(200);
    expect((await call(b, 'LOCK', info)).status).toBe(200);
    expect((await call(b, 'UNLOCK', info)).status).toBe(200);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });
});
