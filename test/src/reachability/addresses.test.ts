import { canonicalCidr, coveredBy, hasPublicAddress, intersect, rangeOf, rangeToCidrs, subtract } from '../../../src/reachability/addresses';

const r = (cidr: string) => rangeOf(cidr)!;

describe('address ranges', () => {
  test('blocks and bare addresses; host bits masked as the clouds do; anything else is unreadable', () => {
    expect(rangeOf('10.0.0.0/8')).toEqual({ lo: 10 * 2 ** 24, hi: 11 * 2 ** 24 - 1 });
    expect(rangeOf('1.2.3.4')).toEqual({ lo: 0x01020304, hi: 0x01020304 });
    expect(rangeOf('0.0.0.0/0')).toEqual({ lo: 0, hi: 2 ** 32 - 1 });
    expect(canonicalCidr(' 10.1.2.3/16 ')).toBe('10.1.0.0/16');
    expect(canonicalCidr('203.0.113.7')).toBe('203.0.113.7/32');
    for (const bad of ['${var.cidr}', '10.0.0.0/33', '256.0.0.0/8', '::/0', '', 42, undefined]) expect(rangeOf(bad)).toBeUndefined();
  });

  test('coveredBy is containment by the union, never overlap', () => {
    expect(coveredBy(r('10.0.5.0/24'), [r('10.0.0.0/16')])).toBe(true);
    expect(coveredBy(r('10.0.0.0/8'), [r('10.0.0.0/16')])).toBe(false);
    expect(coveredBy(r('10.0.0.0/16'), [r('10.0.128.0/17'), r('10.0.0.0/17')])).toBe(true);
    expect(coveredBy(r('10.0.0.0/16'), [r('10.0.0.0/17'), r('10.0.192.0/18')])).toBe(false);
    expect(coveredBy(r('0.0.0.0/0'), [r('0.0.0.0/1'), r('128.0.0.0/1')])).toBe(true);
    expect(coveredBy(r('10.0.0.1/32'), [])).toBe(false);
  });

  test('differences and intersections, as the fewest blocks', () => {
    expect(subtract(r('10.0.0.0/16'), [r('10.0.0.0/17')]).flatMap(rangeToCidrs)).toEqual(['10.0.128.0/17']);
    expect(subtract(r('10.0.0.0/24'), [r('10.0.0.0/26'), r('10.0.0.128/26')]).flatMap(rangeToCidrs)).toEqual(['10.0.0.64/26', '10.0.0.192/26']);
    expect(subtract(r('10.0.0.0/24'), [r('10.0.0.0/8')])).toEqual([]);
    expect(intersect(r('10.0.0.0/16'), [r('10.0.1.0/24'), r('192.168.0.0/16')]).flatMap(rangeToCidrs)).toEqual(['10.0.1.0/24']);
    expect(rangeToCidrs({ lo: r('10.0.0.1/32').lo, hi: r('10.0.0.6/32').lo })).toEqual(['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6/32']);
    expect(rangeToCidrs(r('0.0.0.0/0'))).toEqual(['0.0.0.0/0']);
  });

  test('public addresses: private, shared, loopback, link-local and multicast blocks hold none', () => {
    for (const pub of ['0.0.0.0/0', '8.8.8.8/32', '203.0.113.0/24', '10.0.0.0/7', '172.32.0.0/16']) expect([pub, hasPublicAddress(r(pub))]).toEqual([pub, true]);
    for (const priv of ['10.0.0.0/8', '172.16.0.0/12', '192.168.1.0/24', '100.64.0.0/10', '127.0.0.1/32', '169.254.169.254/32', '224.0.0.0/4']) {
      expect([priv, hasPublicAddress(r(priv))]).toEqual([priv, false]);
    }
  });
});
