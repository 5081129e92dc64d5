import { ButterError } from '../../../src/errors';
import {
  AddressPlanner,
  AWS_SUBNET_RULES,
  emptyLedger,
  GOOGLE_SUBNET_RULES,
  instancesPerZone,
  Ledger,
  subnetPrefixFor,
  validateLedger,
} from '../../../src/planning/cidr';
import { Cidr, cidrContains, cidrOverlaps, cidrSize, formatCidr, parseCidr } from '../../../src/planning/ipv4';
import { butterErrorOf as errorOf } from '../../helpers/errors';

/** Deterministic PRNG (mulberry32) so property tests are reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('subnet sizing', () => {
  test.each([
    [1, 28],
    [11, 28],
    [12, 27],
    [27, 27],
    [28, 26],
    [251, 24],
    [252, 23],
    [65531, 16],
  ])('AWS: %i instances per subnet -> /%i', (n, prefix) => {
    expect(subnetPrefixFor(n, AWS_SUBNET_RULES)).toBe(prefix);
  });

  test.each([
    [1, 29],
    [4, 29],
    [5, 28],
    [12, 28],
    [13, 27],
    [252, 24],
    [253, 23],
  ])('Google: %i instances per subnet -> /%i', (n, prefix) => {
    expect(subnetPrefixFor(n, GOOGLE_SUBNET_RULES)).toBe(prefix);
  });

  test('rules constants', () => {
    expect(AWS_SUBNET_RULES).toEqual({ cloud: 'aws', reservedPerSubnet: 5, minPrefix: 16, maxPrefix: 28 });
    expect(GOOGLE_SUBNET_RULES).toEqual({ cloud: 'google', reservedPerSubnet: 4, minPrefix: 8, maxPrefix: 29 });
  });

  test('impossible sizes say what the maximum is', () => {
    const aws = errorOf(() => subnetPrefixFor(65532, AWS_SUBNET_RULES));
    expect(aws.code).toBe('SUBNET_SIZE_IMPOSSIBLE');
    expect(aws.hint).toContain('65531');
    const google = errorOf(() => subnetPrefixFor(2 ** 24 - 3, GOOGLE_SUBNET_RULES));
    expect(google.code).toBe('SUBNET_SIZE_IMPOSSIBLE');
    expect(google.hint).toContain(String(2 ** 24 - 4));
    expect(subnetPrefixFor(2 ** 24 - 4, GOOGLE_SUBNET_RULES)).toBe(8);
  });

  test.each([0, -1, 1.5, NaN])('rejects %p instances with SUBNET_SIZE_INVALID', (n) => {
    expect(errorOf(() => subnetPrefixFor(n, AWS_SUBNET_RULES)).code).toBe('SUBNET_SIZE_INVALID');
  });

  test('instancesPerZone rounds up', () => {
    expect(instancesPerZone(256, 3)).toBe(86);
    expect(instancesPerZone(256, 1)).toBe(256);
    expect(instancesPerZone(10, 4)).toBe(3);
    expect(instancesPerZone(1, 3)).toBe(1);
    expect(errorOf(() => instancesPerZone(10, 0)).code).toBe('ZONE_COUNT_INVALID');
  });
});

describe('AddressPlanner.networkBlock', () => {
  test('carves consecutive blocks for several networks', () => {
    const p = new AddressPlanner();
    expect(p.networkBlock('a', '10.0.0.0/8', 16)).toBe('10.0.0.0/16');
    expect(p.networkBlock('b', '10.0.0.0/8', 16)).toBe('10.1.0.0/16');
    expect(p.networkBlock('c', '10.0.0.0/8', 12)).toBe('10.2.0.0/20');
    expect(p.networkBlock('d', '10.0.0.0/8', 16)).toBe('10.3.0.0/16');
    expect(p.networkBlock('e', '10.0.0.0/8', 12)).toBe('10.2.16.0/20'); // fills the gap
    expect(p.networkBlock('a', '10.0.0.0/8', 16)).toBe('10.0.0.0/16'); // same request, same answer
  });

  test('networks in different allowed ranges never overlap either', () => {
    const p = new AddressPlanner();
    expect(p.networkBlock('wide', '10.0.0.0/8', 8)).toBe('10.0.0.0/24');
    expect(p.networkBlock('narrow', '10.0.0.0/16', 8)).toBe('10.0.1.0/24');
  });

  test('the whole allowed range can be one network', () => {
    expect(new AddressPlanner().networkBlock('n', '192.168.0.0/16', 16)).toBe('192.168.0.0/16');
  });

  test('validation errors', () => {
    const p = new AddressPlanner();
    expect(errorOf(() => p.networkBlock('n', '10.0.0.0/16', 17)).code).toBe('NETWORK_SIZE_INVALID');
    expect(errorOf(() => p.networkBlock('n', '10.0.0.0/8', 0)).code).toBe('NETWORK_SIZE_INVALID');
    expect(errorOf(() => p.networkBlock('n', '10.0.0.0/8', 8.5)).code).toBe('NETWORK_SIZE_INVALID');
    const notPrivate = errorOf(() => p.networkBlock('n', '8.0.0.0/8', 16));
    expect(notPrivate.code).toBe('CIDR_NOT_PRIVATE');
    expect(notPrivate.key).toBe('network.allowed_private_cidr');
    expect(errorOf(() => p.networkBlock('n', '172.0.0.0/8', 16)).code).toBe('CIDR_NOT_PRIVATE');
    const bad = errorOf(() => p.networkBlock('n', '10.0.0.1/8', 16));
    expect(bad.code).toBe('CIDR_INVALID');
    expect(bad.key).toBe('network.allowed_private_cidr');
  });

  test('exhaustion', () => {
    const p = new AddressPlanner();
    p.networkBlock('a', '192.168.0.0/16', 15); // a /17
    p.networkBlock('b', '192.168.0.0/16', 15);
    const e = errorOf(() => p.networkBlock('c', '192.168.0.0/16', 15));
    expect(e.code).toBe('ADDRESS_SPACE_EXHAUSTED');
    expect(e.hint).toContain('legacy_network_size_bits');
  });

  test('a recorded block is reused; a resized network moves and drops its old subnets', () => {
    const first = new AddressPlanner();
    first.networkBlock('a', '10.0.0.0/8', 16);
    first.networkBlock('b', '10.0.0.0/8', 16);
    first.serviceSubnets('b', 'web', 1, 24);
    const saved = first.ledger().ledger;

    // `a` is not requested now, but its block stays reserved.
    const second = new AddressPlanner(saved);
    expect(second.networkBlock('c', '10.0.0.0/8', 16)).toBe('10.2.0.0/16');
    expect(second.networkBlock('b', '10.0.0.0/8', 16)).toBe('10.1.0.0/16');
    expect(second.ledger().ledger.networks.b!.services.web!.subnets).toEqual(['10.1.0.0/24']);

    const third = new AddressPlanner(saved);
    expect(third.networkBlock('b', '10.0.0.0/8', 17)).toBe('10.2.0.0/15'); // 10.0.0.0/15 would overlap a
    expect(third.ledger().ledger.networks.b).toEqual({ cidr: '10.2.0.0/15', services: {} });
    // Another allowed range that still contains the recorded block keeps it; one that does not moves it.
    expect(new AddressPlanner(saved).networkBlock('b', '10.1.0.0/16', 16)).toBe('10.1.0.0/16');
    expect(new AddressPlanner(saved).networkBlock('b', '10.16.0.0/12', 16)).toBe('10.16.0.0/16');
  });

  test('asking for one network twice with different settings is an error', () => {
    const p = new AddressPlanner();
    p.networkBlock('a', '10.0.0.0/8', 16);
    expect(errorOf(() => p.networkBlock('a', '10.0.0.0/8', 20)).code).toBe('NETWORK_CONFLICT');
  });
});

describe('AddressPlanner.serviceSubnets', () => {
  test('allocates per-zone subnets inside the network, side by side', () => {
    const p = new AddressPlanner();
    p.networkBlock('net', '10.0.0.0/8', 16);
    expect(p.serviceSubnets('net', 'web', 3, 24)).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
    // The 4th /24 of web's aligned /22 group is free for a single-zone service.
    expect(p.serviceSubnets('net', 'db', 1, 24)).toEqual(['10.0.3.0/24']);
    expect(p.serviceSubnets('net', 'api', 2, 28)).toEqual(['10.0.4.0/28', '10.0.4.16/28']);
    expect(p.serviceSubnets('net', 'web', 3, 24)).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
  });

  test('falls back to scattered subnets when no aligned group is free', () => {
    const p = new AddressPlanner();
    p.networkBlock('net', '10.0.0.0/8', 8); // 10.0.0.0/24
    p.serviceSubnets('net', 'a', 1, 26); // .0/26
    p.serviceSubnets('net', 'b', 1, 26); // .64/26
    p.serviceSubnets('net', 'c', 1, 26); // .128/26
    p.release('net', 'b'); // free again next run, but not in this one
    const saved = p.ledger().ledger;
    const next = new AddressPlanner(saved);
    next.networkBlock('net', '10.0.0.0/8', 8);
    expect(next.serviceSubnets('net', 'd', 2, 26)).toEqual(['10.0.0.64/26', '10.0.0.192/26']);
  });

  test('exhaustion names the fixes', () => {
    const p = new AddressPlanner();
    p.networkBlock('net', '10.0.0.0/8', 10); // a /22: four /24s
    p.serviceSubnets('net', 'a', 3, 24);
    const e = errorOf(() => p.serviceSubnets('net', 'b', 2, 24));
    expect(e.code).toBe('ADDRESS_SPACE_EXHAUSTED');
    expect(e.hint).toContain('legacy_network_size_bits');
    expect(e.hint).toContain('subnetwork_max_instance_count');
    expect(e.hint).toContain('availability_zones');
    // The failure changed nothing; a fitting request still succeeds.
    expect(p.serviceSubnets('net', 'b', 1, 24)).toEqual(['10.0.3.0/24']);
    expect(errorOf(() => p.serviceSubnets('net', 'huge', 1, 21)).code).toBe('ADDRESS_SPACE_EXHAUSTED');
  });

  test('services removed from the app stay reserved until released', () => {
    const p1 = new AddressPlanner();
    p1.networkBlock('net', '10.0.0.0/8', 16);
    p1.serviceSubnets('net', 'old', 1, 24);
    const saved = p1.ledger().ledger;

    const p2 = new AddressPlanner(saved);
    p2.networkBlock('net', '10.0.0.0/8', 16);
    expect(p2.serviceSubnets('net', 'new', 1, 24)).toEqual(['10.0.1.0/24']);
    expect(Object.keys(p2.ledger().ledger.networks.net!.services)).toEqual(['new', 'old']);

    const p3 = new AddressPlanner(saved);
    p3.networkBlock('net', '10.0.0.0/8', 16);
    expect(p3.release('net', 'old')).toBe(true);
    expect(p3.release('net', 'old')).toBe(false);
    // Released space is not reused in the same run (the old subnet may still exist)…
    expect(p3.serviceSubnets('net', 'new', 1, 24)).toEqual(['10.0.1.0/24']);
    const afterRelease = p3.ledger();
    expect(afterRelease.changed).toBe(true);
    expect(Object.keys(afterRelease.ledger.networks.net!.services)).toEqual(['new']);
    // …but is in the next one.
    const p4 = new AddressPlanner(afterRelease.ledger);
    p4.networkBlock('net', '10.0.0.0/8', 16);
    expect(p4.serviceSubnets('net', 'newer', 1, 24)).toEqual(['10.0.0.0/24']);
  });

  test('a re-sized service moves to fresh space; other services stay', () => {
    const p1 = new AddressPlanner();
    p1.networkBlock('net', '10.0.0.0/8', 16);
    p1.serviceSubnets('net', 'a', 2, 24); // 10.0.0-1
    p1.serviceSubnets('net', 'b', 2, 24); // 10.0.2-3
    const saved = p1.ledger().ledger;

    const p2 = new AddressPlanner(saved);
    p2.networkBlock('net', '10.0.0.0/8', 16);
    expect(p2.serviceSubnets('net', 'a', 2, 25)).toEqual(['10.0.4.0/25', '10.0.4.128/25']);
    expect(p2.serviceSubnets('net', 'b', 2, 24)).toEqual(['10.0.2.0/24', '10.0.3.0/24']);
    // a's old /24s are given up, but not to anyone in this run.
    expect(p2.serviceSubnets('net', 'c', 1, 24)).toEqual(['10.0.5.0/24']);
    expect(p2.ledger().ledger.networks.net!.services.a).toEqual({ prefix: 25, subnets: ['10.0.4.0/25', '10.0.4.128/25'] });
  });

  test('changing the zone count keeps the first zones\' subnets', () => {
    const p1 = new AddressPlanner();
    p1.networkBlock('net', '10.0.0.0/8', 16);
    p1.serviceSubnets('net', 'a', 2, 24);
    p1.serviceSubnets('net', 'b', 1, 24);
    const saved = p1.ledger().ledger;

    const grow = new AddressPlanner(saved);
    grow.networkBlock('net', '10.0.0.0/8', 16);
    expect(grow.serviceSubnets('net', 'a', 3, 24)).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.3.0/24']);

    const shrink = new AddressPlanner(saved);
    shrink.networkBlock('net', '10.0.0.0/8', 16);
    expect(shrink.serviceSubnets('net', 'a', 1, 24)).toEqual(['10.0.0.0/24']);
    expect(shrink.serviceSubnets('net', 'c', 1, 24)).toEqual(['10.0.3.0/24']); // 10.0.1 is retired this run
  });

  test('ledger() reports changes only when something changed, with sorted keys', () => {
    const p1 = new AddressPlanner();
    expect(p1.ledger()).toEqual({ ledger: emptyLedger(), changed: false });
    p1.networkBlock('zeta', '10.0.0.0/8', 16);
    p1.networkBlock('alpha', '10.0.0.0/8', 16);
    p1.serviceSubnets('zeta', 'web', 1, 24);
    p1.serviceSubnets('zeta', 'api', 1, 24);
    const r1 = p1.ledger();
    expect(r1.changed).toBe(true);
    expect(Object.keys(r1.ledger.networks)).toEqual(['alpha', 'zeta']);
    expect(Object.keys(r1.ledger.networks.zeta!.services)).toEqual(['api', 'web']);
    expect(r1.ledger).toEqual({
      version: 1,
      networks: {
        alpha: { cidr: '10.1.0.0/16', services: {} },
        zeta: {
          cidr: '10.0.0.0/16',
          services: { api: { prefix: 24, subnets: ['10.0.1.0/24'] }, web: { prefix: 24, subnets: ['10.0.0.0/24'] } },
        },
      },
    });

    const p2 = new AddressPlanner(JSON.parse(JSON.stringify(r1.ledger)) as Ledger);
    p2.networkBlock('alpha', '10.0.0.0/8', 16);
    p2.networkBlock('zeta', '10.0.0.0/8', 16);
    p2.serviceSubnets('zeta', 'web', 1, 24);
    expect(p2.ledger()).toEqual({ ledger: r1.ledger, changed: false });
  });

  test('misuse', () => {
    const p = new AddressPlanner();
    expect(() => p.serviceSubnets('missing', 'web', 1, 24)).toThrow('networkBlock');
    p.networkBlock('net', '10.0.0.0/8', 16);
    expect(errorOf(() => p.serviceSubnets('net', 'web', 0, 24)).code).toBe('ZONE_COUNT_INVALID');
    expect(errorOf(() => p.serviceSubnets('net', 'web', 1, 33)).code).toBe('SUBNET_SIZE_INVALID');
    p.serviceSubnets('net', 'web', 1, 24);
    expect(errorOf(() => p.serviceSubnets('net', 'web', 2, 24)).code).toBe('SERVICE_CONFLICT');
  });

  test('a corrupt ledger is refused', () => {
    const overlapping = {
      version: 1,
      networks: {
        n: {
          cidr: '10.0.0.0/16',
          services: { a: { prefix: 24, subnets: ['10.0.0.0/24'] }, b: { prefix: 25, subnets: ['10.0.0.128/25'] } },
        },
      },
    } as unknown as Ledger;
    const e = errorOf(() => new AddressPlanner(overlapping));
    expect(e.code).toBe('LEDGER_CONFLICT');
    expect(e.key).toBe('networks.n.services.b.subnets[0]');
  });
});

describe('validateLedger', () => {
  const ok = { version: 1, networks: { n: { cidr: '10.0.0.0/16', services: { s: { prefix: 24, subnets: ['10.0.5.0/24'] } } } } };

  test('accepts a good ledger and canonicalizes key order', () => {
    const shuffled = { networks: { n: { services: { s: { subnets: ['10.0.5.0/24'], prefix: 24 } }, cidr: '10.0.0.0/16' } }, version: 1 };
    expect(JSON.stringify(validateLedger(shuffled))).toBe(JSON.stringify(ok));
  });

  test.each<[string, unknown, string]>([
    ['not an object', [], ''],
    ['wrong version', { ...ok, version: 2 }, 'version'],
    ['unknown top key', { ...ok, extra: 1 }, 'extra'],
    ['networks not object', { version: 1, networks: [] }, 'networks'],
    ['bad network cidr', { version: 1, networks: { n: { cidr: '10.0.0.1/16', services: {} } } }, 'networks.n.cidr'],
    [
      'overlapping networks',
      { version: 1, networks: { a: { cidr: '10.0.0.0/8', services: {} }, b: { cidr: '10.1.0.0/16', services: {} } } },
      'networks.b.cidr',
    ],
    ['missing services', { version: 1, networks: { n: { cidr: '10.0.0.0/16' } } }, 'networks.n.services'],
    [
      'bad prefix',
      { version: 1, networks: { n: { cidr: '10.0.0.0/16', services: { s: { prefix: '24', subnets: ['10.0.0.0/24'] } } } } },
      'networks.n.services.s.prefix',
    ],
    [
      'empty subnets',
      { version: 1, networks: { n: { cidr: '10.0.0.0/16', services: { s: { prefix: 24, subnets: [] } } } } },
      'networks.n.services.s.subnets',
    ],
    [
      'prefix mismatch',
      { version: 1, networks: { n: { cidr: '10.0.0.0/16', services: { s: { prefix: 24, subnets: ['10.0.0.0/25'] } } } } },
      'networks.n.services.s.subnets[0]',
    ],
    [
      'subnet outside network',
      { version: 1, networks: { n: { cidr: '10.0.0.0/16', services: { s: { prefix: 24, subnets: ['10.1.0.0/24'] } } } } },
      'networks.n.services.s.subnets[0]',
    ],
    [
      'subnets of one service overlap',
      { version: 1, networks: { n: { cidr: '10.0.0.0/16', services: { s: { prefix: 24, subnets: ['10.0.0.0/24', '10.0.0.0/24'] } } } } },
      'networks.n.services.s.subnets[1]',
    ],
  ])('rejects %s', (name, value, key) => {
    const e = errorOf(() => validateLedger(value));
    expect(e.code).toBe(/overlap/.test(name) ? 'LEDGER_CONFLICT' : 'LEDGER_INVALID');
    expect(e.key ?? '').toBe(key);
  });
});

/**
 * Property test: random runs of adding, removing, re-sizing, releasing and reordering
 * services, each run starting from the ledger the previous one saved (through JSON, as on disk).
 */
describe('stability property', () => {
  const NETWORK = 'net';

  interface Want {
    zones: number;
    prefix: number;
  }

  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

  function runSequence(seed: number, allowed: string, sizeBits: number): { runs: number; exhausted: number } {
    const rand = prng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const randomWant = (): Want => ({ zones: 1 + Math.floor(rand() * 4), prefix: pick([24, 25, 26, 27, 28]) });

    let ledger: Ledger = emptyLedger();
    let wanted = new Map<string, Want>(); // services in the "app" right now
    let nextName = 0;
    let exhausted = 0;
    const runs = 25;

    for (let run = 0; run < runs; run++) {
      // Plain checks in the hot loops (expect() is slow with thousands of calls); the message says where.
      const check = (ok: boolean, what: string): void => {
        if (!ok) throw new Error(`seed ${seed}, run ${run}: ${what}`);
      };
      // Mutate the app: add some services, remove some, re-size one.
      const added = Math.floor(rand() * 4);
      for (let i = 0; i < added; i++) wanted.set(`svc${nextName++}`, randomWant());
      for (const name of [...wanted.keys()]) if (rand() < 0.15) wanted.delete(name);
      const resized = rand() < 0.3 && wanted.size > 0 ? pick([...wanted.keys()]) : undefined;
      if (resized) wanted.set(resized, randomWant());
      // Occasionally release services that are gone from the app.
      const before = ledger.networks[NETWORK]?.services ?? {};
      const toRelease = Object.keys(before).filter((n) => !wanted.has(n) && rand() < 0.5);

      const planner = new AddressPlanner(JSON.parse(JSON.stringify(ledger)) as Ledger);
      const block = planner.networkBlock(NETWORK, allowed, sizeBits);
      for (const name of toRelease) expect(planner.release(NETWORK, name)).toBe(true);

      const order = [...wanted.keys()];
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const got = new Map<string, string[]>();
      const failed = new Set<string>();
      for (const name of order) {
        const want = wanted.get(name)!;
        try {
          got.set(name, planner.serviceSubnets(NETWORK, name, want.zones, want.prefix));
        } catch (e) {
          if (!(e instanceof ButterError) || e.code !== 'ADDRESS_SPACE_EXHAUSTED') throw e;
          failed.add(name);
          exhausted++;
        }
      }
      // A service that did not fit is dropped from the app (as a user would fix the blueprint).
      for (const name of failed) wanted.delete(name);

      const result = planner.ledger();
      const services = result.ledger.networks[NETWORK]!.services;
      expect(result.ledger.networks[NETWORK]!.cidr).toBe(block);

      for (const [name, subnets] of got) {
        const want = wanted.get(name)!;
        const old = before[name];
        check(subnets.length === want.zones, `${name} got ${subnets.length} subnets for ${want.zones} zones`);
        check(same(services[name], { prefix: want.prefix, subnets }), `${name} is recorded as returned`);
        for (const s of subnets) {
          check(parseCidr(s).prefix === want.prefix, `${name} ${s} is not a /${want.prefix}`); // canonical, so aligned
          check(cidrContains(block, s), `${name} ${s} is outside ${block}`);
        }
        if (old && old.prefix === want.prefix && old.subnets.length === want.zones) {
          // Unchanged request: exactly the same blocks, whatever else happened.
          check(same(subnets, old.subnets), `${name} moved from ${old.subnets} to ${subnets}`);
        } else if (old && old.prefix === want.prefix) {
          // Zone count changed: the surviving zones keep theirs.
          const keep = Math.min(old.subnets.length, want.zones);
          check(same(subnets.slice(0, keep), old.subnets.slice(0, keep)), `${name}'s surviving zones moved`);
        }
        // Anything newly allocated avoids every block the previous ledger recorded.
        const fresh = subnets.filter((s) => !old || !old.subnets.includes(s));
        for (const s of fresh) {
          for (const [otherName, other] of Object.entries(before)) {
            for (const o of other.subnets) check(!cidrOverlaps(s, o), `${name}'s new ${s} overlaps recorded ${otherName} ${o}`);
          }
        }
      }

      // Services not asked for (removed, not released) are carried over untouched.
      for (const [name, entry] of Object.entries(before)) {
        if (!got.has(name) && !toRelease.includes(name) && !failed.has(name)) check(same(services[name], entry), `${name} was kept`);
        if (toRelease.includes(name)) check(services[name] === undefined, `${name} was released`);
      }

      // No two subnets in the ledger overlap.
      const all = Object.entries(services).flatMap(([name, s]) => s.subnets.map((c) => ({ name, c: parseCidr(c) })));
      for (let i = 0; i < all.length; i++) {
        for (let j = i + 1; j < all.length; j++) {
          check(!cidrOverlaps(all[i]!.c, all[j]!.c), `${all[i]!.name} overlaps ${all[j]!.name}`);
        }
      }
      ledger = result.ledger;
      wanted = new Map([...wanted].filter(([name]) => got.has(name)));
    }
    return { runs, exhausted };
  }

  test.each(Array.from({ length: 40 }, (_, i) => i + 1))('seed %i in a roomy /16', (seed) => {
    runSequence(seed, '10.0.0.0/8', 16);
  });

  test('tight /20 networks reach exhaustion and stay consistent', () => {
    let exhausted = 0;
    for (let seed = 100; seed < 140; seed++) exhausted += runSequence(seed, '172.16.0.0/12', 12).exhausted;
    expect(exhausted).toBeGreaterThan(0); // the tight case really was exercised
  });

  test('first fit: a single-zone service gets the lowest free aligned block', () => {
    const rand = prng(7);
    const p = new AddressPlanner();
    const block = p.networkBlock('n', '10.0.0.0/8', 12); // /20
    const taken: Cidr[] = [];
    for (let i = 0; i < 60; i++) {
      const prefix = 24 + Math.floor(rand() * 5);
      const size = cidrSize(prefix);
      const start = parseCidr(block).base;
      let expected: string | undefined;
      for (let base = start; base + size <= start + cidrSize(20); base += size) {
        const cand = { base, prefix };
        if (!taken.some((t) => cidrOverlaps(t, cand))) {
          expected = formatCidr(cand);
          break;
        }
      }
      if (expected === undefined) {
        expect(errorOf(() => p.serviceSubnets('n', `s${i}`, 1, prefix)).code).toBe('ADDRESS_SPACE_EXHAUSTED');
      } else {
        expect(p.serviceSubnets('n', `s${i}`, 1, prefix)).toEqual([expected]);
        taken.push(parseCidr(expected));
      }
    }
  });
});
