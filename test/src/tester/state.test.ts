import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { butterErrorOf } from '../../helpers/errors';
import { readTesterState, removeTesterState, testerStateFile, writeTesterState, TesterState } from '../../../src/tester/state';

/** The state `setup` leaves for later `verify` and `teardown` invocations. */
describe('tester state', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-tester-state-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('absent until written; read back as written; gone once removed', () => {
    expect(readTesterState(dir)).toBeUndefined();
    const state: TesterState = { version: 1, target: 'mock-google', network: 'test-x', service: 'x', phase: 'ready', vars: { Ips: ['10.0.0.5'] } };
    writeTesterState(dir, state);
    expect(readTesterState(dir)).toEqual(state);
    removeTesterState(dir);
    expect(readTesterState(dir)).toBeUndefined();
    expect(fs.existsSync(testerStateFile(dir))).toBe(false);
  });

  test('a damaged file is TEST_STATE_INVALID naming the file and key', () => {
    fs.writeFileSync(testerStateFile(dir), JSON.stringify({ version: 1, target: 'mock-azure', network: 'n', service: 's', phase: 'ready' }));
    expect(() => readTesterState(dir)).toThrow(expect.objectContaining({ code: 'TEST_STATE_INVALID', key: 'target', file: testerStateFile(dir) }));
    expect(() => readTesterState(dir)).toThrow(/cannot be read: not one of: mock-aws, mock-google, aws, google/);
    fs.writeFileSync(testerStateFile(dir), JSON.stringify({ version: 1, target: 'aws', network: 'n', service: 's', phase: 'ready', extra: 1 }));
    expect(() => readTesterState(dir)).toThrow(/cannot be read: unknown key "extra"/);
    // An untrusted key of any length is cut to a readable length in the problem.
    fs.writeFileSync(testerStateFile(dir), JSON.stringify({ version: 1, target: 'aws', network: 'n', service: 's', phase: 'ready', ['k'.repeat(100_000)]: 1 }));
    const long = butterErrorOf(() => readTesterState(dir));
    expect(long.message).toMatch(/unknown key "kkk/);
    expect(long.problem.length).toBeLessThan(200);
    fs.writeFileSync(testerStateFile(dir), JSON.stringify({ version: 1, target: 'aws', network: 7, service: 's', phase: 'ready' }));
    expect(() => readTesterState(dir)).toThrow(expect.objectContaining({ key: 'network', message: expect.stringMatching(/expected string/) }));
    fs.writeFileSync(testerStateFile(dir), '{ not json');
    expect(() => readTesterState(dir)).toThrow(/tester\.json: the blueprint test's state cannot be read: not valid JSON/);
  });
});
