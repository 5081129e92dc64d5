import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AddressPlanner } from '../../../src/planning/cidr';
import { emptyLedger, Ledger, readLedger, writeLedger } from '../../../src/planning/ledger';
import { butterErrorOf as errorOf } from '../../helpers/errors';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-ledger-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function sampleLedger(): Ledger {
  const p = new AddressPlanner();
  p.networkBlock('prod', '10.0.0.0/8', 16);
  p.networkBlock('dev', '10.0.0.0/8', 16);
  p.serviceSubnets('prod', 'web', 3, 24);
  p.serviceSubnets('prod', 'api', 2, 26);
  p.serviceSubnets('dev', 'web', 1, 28);
  return p.ledger().ledger;
}

describe('readLedger', () => {
  test('a missing file is an empty ledger', () => {
    expect(readLedger(path.join(dir, 'nope.json'))).toEqual(emptyLedger());
  });

  test('invalid JSON names the file and how to fix it', () => {
    const file = path.join(dir, 'ledger.json');
    fs.writeFileSync(file, '{"version": 1, "networks": {');
    const e = errorOf(() => readLedger(file));
    expect(e.code).toBe('LEDGER_INVALID');
    expect(e.file).toBe(file);
    expect(e.problem).toContain('not valid JSON');
    expect(e.hint).toContain('version control');
    expect(e.message).toContain(file);
  });

  test('a wrong shape names the file and the key', () => {
    const file = path.join(dir, 'ledger.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, networks: { n: { cidr: '10.0.0.0/16', services: { s: { prefix: 24, subnets: ['10.9.0.0/24'] } } } } }));
    const e = errorOf(() => readLedger(file));
    expect(e.code).toBe('LEDGER_INVALID');
    expect(e.file).toBe(file);
    expect(e.key).toBe('networks.n.services.s.subnets[0]');
    expect(e.problem).toContain('outside network 10.0.0.0/16');
  });

  test.each([['null'], ['[]'], ['"ledger"'], ['{"version": 2, "networks": {}}'], ['{"networks": {}}']])('rejects %s', (text) => {
    const file = path.join(dir, 'ledger.json');
    fs.writeFileSync(file, text);
    const e = errorOf(() => readLedger(file));
    expect(e.code).toBe('LEDGER_INVALID');
    expect(e.file).toBe(file);
  });

  test('an unreadable path (a directory) is LEDGER_INVALID, not a crash', () => {
    const e = errorOf(() => readLedger(dir));
    expect(e.code).toBe('LEDGER_INVALID');
    expect(e.file).toBe(dir);
  });
});

describe('writeLedger', () => {
  test('round trip', () => {
    const file = path.join(dir, 'ledger.json');
    const ledger = sampleLedger();
    writeLedger(file, ledger);
    expect(readLedger(file)).toEqual(ledger);
    // A planner started from the file reproduces every allocation without changes.
    const p = new AddressPlanner(readLedger(file));
    expect(p.networkBlock('prod', '10.0.0.0/8', 16)).toBe(ledger.networks.prod!.cidr);
    expect(p.serviceSubnets('prod', 'web', 3, 24)).toEqual(ledger.networks.prod!.services.web!.subnets);
    expect(p.ledger().changed).toBe(false);
  });

  test('sorted keys, two-space indent, trailing newline', () => {
    const file = path.join(dir, 'ledger.json');
    writeLedger(file, sampleLedger());
    const text = fs.readFileSync(file, 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
    expect(text).toBe(
      [
        '{',
        '  "networks": {',
        '    "dev": {',
        '      "cidr": "10.1.0.0/16",',
        '      "services": {',
        '        "web": {',
        '          "prefix": 28,',
        '          "subnets": [',
        '            "10.1.0.0/28"',
        '          ]',
        '        }',
        '      }',
        '    },',
        '    "prod": {',
        '      "cidr": "10.0.0.0/16",',
        '      "services": {',
        '        "api": {',
        '          "prefix": 26,',
        '          "subnets": [',
        '            "10.0.3.0/26",',
        '            "10.0.3.64/26"',
        '          ]',
        '        },',
        '        "web": {',
        '          "prefix": 24,',
        '          "subnets": [',
        '            "10.0.0.0/24",',
        '            "10.0.1.0/24",',
        '            "10.0.2.0/24"',
        '          ]',
        '        }',
        '      }',
        '    }',
        '  },',
        '  "version": 1',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('writing is atomic: it replaces the file and leaves no temporary file behind', () => {
    const file = path.join(dir, 'ledger.json');
    fs.writeFileSync(file, 'old contents');
    const inodeBefore = fs.statSync(file).ino;
    writeLedger(file, sampleLedger());
    expect(fs.readdirSync(dir)).toEqual(['ledger.json']);
    // Replaced by rename, not rewritten in place (a reader never sees a half-written file).
    expect(fs.statSync(file).ino).not.toBe(inodeBefore);
    writeLedger(file, emptyLedger());
    expect(fs.readdirSync(dir)).toEqual(['ledger.json']);
    expect(readLedger(file)).toEqual(emptyLedger());
  });

  test('a failed write reports LEDGER_WRITE_FAILED and removes its temporary file', () => {
    // The rename fails because the target is a non-empty directory.
    const file = path.join(dir, 'ledger.json');
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, 'keep'), 'x');
    const e = errorOf(() => writeLedger(file, sampleLedger()));
    expect(e.code).toBe('LEDGER_WRITE_FAILED');
    expect(e.file).toBe(file);
    expect(e.hint).toContain(dir);
    expect(fs.readdirSync(dir)).toEqual(['ledger.json']);
    expect(fs.readdirSync(file)).toEqual(['keep']);
  });

  test('creates missing directories', () => {
    const file = path.join(dir, 'a', 'b', 'ledger.json');
    writeLedger(file, emptyLedger());
    expect(readLedger(file)).toEqual(emptyLedger());
    expect(fs.readdirSync(path.dirname(file))).toEqual(['ledger.json']);
  });

  test('refuses to write an inconsistent ledger', () => {
    const file = path.join(dir, 'ledger.json');
    const bad = { version: 1, networks: { n: { cidr: '10.0.0.1/16', services: {} } } } as Ledger;
    expect(errorOf(() => writeLedger(file, bad)).code).toBe('LEDGER_INVALID');
    expect(fs.existsSync(file)).toBe(false);
  });
});
