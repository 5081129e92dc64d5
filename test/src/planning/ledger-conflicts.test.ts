/**
 * Issue 16 item 5: the address ledger across branches. Two branches that each add a service
 * from the same base both take the lowest free block; git merges their JSON hunks (different
 * keys) cleanly, so the merged ledger holds both entries on one block. It must be refused with
 * both services, both blocks and the fix; a merge that did conflict must say so; and a block
 * that deployed state uses is never handed out again, even when the ledger lost its entry.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ButterError } from '../../../src/errors';
import { AddressPlanner, Ledger, validateLedger } from '../../../src/planning/cidr';
import { AddressBook, RESERVED_SUBNETS_ENV, reservedSubnets } from '../../../src/planning/address-book';
import { readLedger, writeLedger } from '../../../src/planning/ledger';
import { butterErrorOf as errorOf } from '../../helpers/errors';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-ledger-merge-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The ledger a run saves after planning network `dev` and `services` (name → zones) from `base`. */
function plan(base: Ledger | undefined, services: Record<string, number>): Ledger {
  const p = new AddressPlanner(base);
  p.networkBlock('dev', '10.0.0.0/8', 16);
  for (const [name, zones] of Object.entries(services)) p.serviceSubnets('dev', name, zones, 24);
  return p.ledger().ledger;
}

/** Save `ledger` to `name` as Butter writes it, and return the path. */
function save(name: string, ledger: Ledger): string {
  const file = path.join(dir, name);
  writeLedger(file, ledger);
  return file;
}

/** Merge the three files the way `git merge` merges a text file; the merged text and whether it conflicted. */
function gitMerge(ours: string, base: string, theirs: string): { text: string; conflicted: boolean } {
  const r = spawnSync('git', ['merge-file', '-p', ours, base, theirs], { encoding: 'utf8' });
  if (r.status === null || r.status < 0) throw new Error(`git merge-file failed: ${r.stderr}`);
  return { text: r.stdout, conflicted: r.status > 0 };
}

describe('a ledger merged from two branches', () => {
  // Base: lb and web. Branch A adds `api` (sorts first), branch B adds `zed` (sorts last): their
  // hunks are far apart, so git merges them without a conflict.
  const base = plan(undefined, { lb: 2, web: 2 });
  const branchA = plan(base, { lb: 2, web: 2, api: 2 });
  const branchB = plan(base, { lb: 2, web: 2, zed: 2 });

  test('both branches took the same block (the premise)', () => {
    expect(branchA.networks.dev!.services.api!.subnets).toEqual(branchB.networks.dev!.services.zed!.subnets);
  });

  test('merges cleanly and is refused at read with both services, both blocks and what to do', () => {
    const { text, conflicted } = gitMerge(save('a.json', branchA), save('base.json', base), save('b.json', branchB));
    expect(conflicted).toBe(false);
    const merged = path.join(dir, 'butter.lock.json');
    fs.writeFileSync(merged, text);
    expect(Object.keys(JSON.parse(text).networks.dev.services).sort()).toEqual(['api', 'lb', 'web', 'zed']);

    const e = errorOf(() => readLedger(merged));
    expect(e.code).toBe('LEDGER_CONFLICT');
    expect(e.file).toBe(merged);
    const [a0, a1] = branchA.networks.dev!.services.api!.subnets;
    // Two zones each: two clashes, reported together.
    expect(e.issues).toHaveLength(2);
    expect(e.issues[0]!.problem).toBe(`address ledger conflict in network 'dev': services 'api' (${a0}) and 'zed' (${a0}) hold the same block`);
    expect(e.issues[1]!.problem).toContain(`'api' (${a1}) and 'zed' (${a1})`);
    expect(e.issues[0]!.key).toBe('networks.dev.services.zed.subnets[0]');
    expect(e.issues[0]!.hint).toContain('delete the entry of the service that was not deployed yet (networks.dev.services.api or networks.dev.services.zed)');
    expect(e.hint).toMatch(/two branches .* Keep the entry of the one that is deployed/);
    expect(e.message).toContain(merged);
  });

  test('after deleting the undeployed entry, the next synth gives that service a free block', () => {
    const { text } = gitMerge(save('a.json', branchA), save('base.json', base), save('b.json', branchB));
    const doc = JSON.parse(text);
    delete doc.networks.dev.services.zed;
    const resolved = plan(validateLedger(doc), { lb: 2, web: 2, api: 2, zed: 2 });
    const api = resolved.networks.dev!.services.api!.subnets;
    const zed = resolved.networks.dev!.services.zed!.subnets;
    expect(api).toEqual(branchA.networks.dev!.services.api!.subnets); // the deployed one keeps its block
    expect(zed.some((s) => api.includes(s))).toBe(false);
    expect(() => validateLedger(resolved)).not.toThrow();
  });

  test('a single clash is its own LEDGER_CONFLICT error, with the hint for that pair', () => {
    const a = plan(base, { lb: 2, web: 2, api: 1 });
    const b = plan(base, { lb: 2, web: 2, zed: 1 });
    const { text } = gitMerge(save('a.json', a), save('base.json', base), save('b.json', b));
    const e = errorOf(() => validateLedger(JSON.parse(text)));
    expect(e.code).toBe('LEDGER_CONFLICT');
    expect(e.issues).toHaveLength(0);
    expect(e.problem).toMatch(/services 'api' \(10\.0\.\d+\.0\/24\) and 'zed' \(10\.0\.\d+\.0\/24\) hold the same block/);
    expect(e.hint).toContain('networks.dev.services.api or networks.dev.services.zed');
  });

  test('partly overlapping blocks of different sizes and two networks on one block are refused too', () => {
    const overlapping = {
      version: 1,
      networks: {
        dev: { cidr: '10.0.0.0/16', services: { big: { prefix: 22, subnets: ['10.0.4.0/22'] }, small: { prefix: 26, subnets: ['10.0.6.64/26'] } } },
        ops: { cidr: '10.0.0.0/16', services: {} },
      },
    };
    const e = errorOf(() => validateLedger(overlapping));
    expect(e.code).toBe('LEDGER_CONFLICT');
    expect(e.issues.map((i) => i.problem)).toEqual([
      "address ledger conflict: networks 'dev' (10.0.0.0/16) and 'ops' (10.0.0.0/16) hold the same block",
      "address ledger conflict in network 'dev': services 'big' (10.0.4.0/22) and 'small' (10.0.6.64/26) hold overlapping blocks",
    ]);
  });

  test('a merge that conflicted (both added a service after the same entry) says so, with the line and how to resolve it', () => {
    const a = plan(base, { lb: 2, web: 2, x1: 1 });
    const b = plan(base, { lb: 2, web: 2, x2: 1 });
    const { text, conflicted } = gitMerge(save('a.json', a), save('base.json', base), save('b.json', b));
    expect(conflicted).toBe(true);
    const merged = path.join(dir, 'butter.lock.json');
    fs.writeFileSync(merged, text);
    const e = errorOf(() => readLedger(merged));
    expect(e.code).toBe('LEDGER_INVALID');
    const line = text.split('\n').findIndex((l) => l.startsWith('<<<<<<<')) + 1;
    expect(e.problem).toBe(`the address ledger has unresolved git merge conflict markers (<<<<<<< on line ${line})`);
    expect(e.line).toBe(line);
    expect(e.hint).toContain('keeping the entries of BOTH sides');
  });

  test('other JSON syntax errors keep the ordinary message', () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{"version": 1, "networks": {,}}');
    const e = errorOf(() => readLedger(file));
    expect(e.problem).toContain('not valid JSON');
    expect(e.problem).not.toContain('conflict');
  });
});

describe('hostile ledgers', () => {
  test('a ledger of 50,000 services that all clash (minutes before the sweep, now about a second) is refused with at most 20 problems listed', () => {
    const services: Record<string, unknown> = {};
    for (let i = 0; i < 50_000; i++) services[`s${i}`] = { prefix: 28, subnets: ['10.0.0.0/28'] };
    const e = errorOf(() => validateLedger({ version: 1, networks: { dev: { cidr: '10.0.0.0/8', services } } }));
    expect(e.code).toBe('LEDGER_CONFLICT');
    expect(e.issues).toHaveLength(20);
    expect(e.problem).toContain('(the first 20 shown)');
  });

  test('a valid ledger of 50,000 subnets is read and planned around', () => {
    const services: Record<string, unknown> = {};
    for (let i = 0; i < 50_000; i++) services[`s${i}`] = { prefix: 28, subnets: [`10.${i >> 12}.${(i >> 4) & 255}.${(i & 15) * 16}/28`] };
    const p = new AddressPlanner(validateLedger({ version: 1, networks: { dev: { cidr: '10.0.0.0/8', services } } }));
    p.networkBlock('dev', '10.0.0.0/8', 24);
    expect(p.serviceSubnets('dev', 'new', 1, 28)).toEqual(['10.12.53.0/28']);
  });

  test.each<[string, unknown, RegExp]>([
    ['a megabyte-long block', 'x'.repeat(1_000_000), /'x{40}…' is not a CIDR block \(1000000 characters\)/],
    ['a prefix of 99', '10.0.0.0/99', /prefix '99' is not a number from 0 to 32/],
    ['an address of 300', '300.0.0.0/8', /'300\.0\.0\.0' is not an IPv4 address/],
    ['host bits', '10.0.0.1/8', /host bits are set/],
    ['a number', 167772160, /expected a CIDR block string/],
  ])('%s as a network block is LEDGER_INVALID naming the key', (_name, cidr, problem) => {
    const e = errorOf(() => validateLedger({ version: 1, networks: { dev: { cidr, services: {} } } }));
    expect(e.code).toBe('LEDGER_INVALID');
    expect(e.key).toBe('networks.dev.cidr');
    expect(e.problem).toMatch(problem);
    expect(e.message.length).toBeLessThan(1000);
  });

  test('a megabyte-long service name is cut in messages', () => {
    const name = 'n'.repeat(1_000_000);
    const e = errorOf(() => validateLedger({ version: 1, networks: { dev: { cidr: '10.0.0.0/16', services: { [name]: { prefix: 24, subnets: ['10.0.0.0/25'] } } } } }));
    expect(e.code).toBe('LEDGER_INVALID');
    expect(e.message.length).toBeLessThan(1500);
  });
});

describe('subnets in use by deployed state', () => {
  const deployed = plan(undefined, { lb: 1, web: 1 });
  const webSubnet = deployed.networks.dev!.services.web!.subnets[0]!;

  test('a ledger that lost an entry: the next allocation avoids the deployed subnet', () => {
    // The ledger lost `web` (a bad merge resolution) while web's subnet is deployed.
    const lost = JSON.parse(JSON.stringify(deployed));
    delete lost.networks.dev.services.web;
    // Without the state, the block would be handed out again: the failure this guards against.
    expect(plan(lost, { lb: 1, api: 1 }).networks.dev!.services.api!.subnets).toEqual([webSubnet]);

    const p = new AddressPlanner(lost, { reserved: [webSubnet] });
    p.networkBlock('dev', '10.0.0.0/8', 16);
    const api = p.serviceSubnets('dev', 'api', 1, 24);
    expect(api).not.toContain(webSubnet);
    expect(api).toEqual(['10.0.2.0/24']);
    // The reserved block is not written to the ledger: it is the state's, not an allocation.
    expect(Object.keys(p.ledger().ledger.networks.dev!.services).sort()).toEqual(['api', 'lb']);
  });

  test('recorded entries are kept as they are (a service owns its deployed subnets)', () => {
    const p = new AddressPlanner(deployed, { reserved: [webSubnet] });
    p.networkBlock('dev', '10.0.0.0/8', 16);
    expect(p.serviceSubnets('dev', 'web', 1, 24)).toEqual([webSubnet]);
  });

  test('a network new to the ledger avoids the deployed subnets inside its block', () => {
    const p = new AddressPlanner(undefined, { reserved: ['10.0.0.0/24', '10.0.1.0/25', '192.168.0.0/24'] });
    p.networkBlock('dev', '10.0.0.0/8', 16);
    expect(p.serviceSubnets('dev', 'web', 1, 24)).toEqual(['10.0.2.0/24']);
  });

  test('the AddressBook of an app honours the file named by BUTTER_RESERVED_SUBNETS_FILE', () => {
    const ledgerFile = path.join(dir, 'butter.lock.json');
    const lost = JSON.parse(JSON.stringify(deployed));
    delete lost.networks.dev.services.web;
    writeLedger(ledgerFile, lost);
    const reservedFile = path.join(dir, 'deployed-subnets.txt');
    fs.writeFileSync(reservedFile, `${webSubnet}\n192.168.7.0/24\n`);
    const saved = process.env[RESERVED_SUBNETS_ENV];
    process.env[RESERVED_SUBNETS_ENV] = reservedFile;
    try {
      const book = AddressBook.open(ledgerFile, {});
      book.networkBlock('dev', '10.0.0.0/8', 16);
      expect(book.serviceSubnets('dev', 'api', 1, 24)).not.toContain(webSubnet);
      // An in-memory book (tests, addressLedger: false) stays deterministic.
      const memory = AddressBook.open(ledgerFile, {}, { persist: false });
      memory.networkBlock('dev', '10.0.0.0/8', 16);
      expect(memory.serviceSubnets('dev', 'lb', 1, 24)).toEqual(['10.0.0.0/24']);
    } finally {
      if (saved === undefined) delete process.env[RESERVED_SUBNETS_ENV];
      else process.env[RESERVED_SUBNETS_ENV] = saved;
    }
  });

  test('reservedSubnets: none without the variable; a bad word or an unreadable file is RESERVED_SUBNETS_INVALID', () => {
    expect(reservedSubnets({})).toEqual([]);
    const file = path.join(dir, 'r.txt');
    fs.writeFileSync(file, `10.0.0.0/24 ${'9'.repeat(100_000)}`);
    const e = errorOf(() => reservedSubnets({ [RESERVED_SUBNETS_ENV]: file }));
    expect(e.code).toBe('RESERVED_SUBNETS_INVALID');
    expect(e.message.length).toBeLessThan(1000);
    expect(errorOf(() => reservedSubnets({ [RESERVED_SUBNETS_ENV]: dir })).code).toBe('RESERVED_SUBNETS_INVALID');
    expect(e).toBeInstanceOf(ButterError);
  });
});
