import { ButterError } from '../../../src/errors';
import {
  cidrContains,
  cidrContainsIp,
  cidrLast,
  cidrOverlaps,
  cidrSize,
  formatCidr,
  intToIp,
  ipToInt,
  isPrivateCidr,
  nthHost,
  parseCidr,
  prefixMask,
} from '../../../src/planning/ipv4';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof ButterError ? e.code : `not a ButterError: ${String(e)}`;
  }
  return undefined;
}

describe('ipToInt / intToIp', () => {
  test('converts across the whole unsigned range', () => {
    expect(ipToInt('0.0.0.0')).toBe(0);
    expect(ipToInt('10.0.0.1')).toBe(0x0a000001);
    expect(ipToInt('255.255.255.255')).toBe(0xffffffff);
    expect(ipToInt('128.0.0.0')).toBe(2 ** 31); // would be negative with signed math
    expect(intToIp(0xffffffff)).toBe('255.255.255.255');
    expect(intToIp(2 ** 31)).toBe('128.0.0.0');
    expect(intToIp(0xc0a80101)).toBe('192.168.1.1');
  });

  test.each(['', '1.2.3', '1.2.3.4.5', '256.0.0.0', '1.2.3.-1', '01.2.3.4', '1.2.3.4 ', 'a.b.c.d', '1..2.3'])(
    'rejects %p with IP_INVALID',
    (ip) => {
      expect(codeOf(() => ipToInt(ip))).toBe('IP_INVALID');
    },
  );

  test('intToIp rejects values outside 32 bits', () => {
    expect(() => intToIp(-1)).toThrow(RangeError);
    expect(() => intToIp(2 ** 32)).toThrow(RangeError);
    expect(() => intToIp(1.5)).toThrow(RangeError);
  });
});

describe('parseCidr / formatCidr', () => {
  test('parses canonical blocks', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ base: 0x0a000000, prefix: 8 });
    expect(parseCidr('0.0.0.0/0')).toEqual({ base: 0, prefix: 0 });
    expect(parseCidr('255.255.255.255/32')).toEqual({ base: 0xffffffff, prefix: 32 });
    expect(parseCidr('192.168.4.128/25')).toEqual({ base: 0xc0a80480, prefix: 25 });
    expect(parseCidr('128.0.0.0/1')).toEqual({ base: 2 ** 31, prefix: 1 });
  });

  test('round-trips through formatCidr', () => {
    for (const s of ['10.0.0.0/8', '0.0.0.0/0', '172.16.32.0/20', '100.64.0.0/10', '1.2.3.4/32']) {
      expect(formatCidr(parseCidr(s))).toBe(s);
    }
  });

  test.each([
    ['10.0.0.1/8', 'host bits'],
    ['10.0.0.0/33', 'prefix'],
    ['10.0.0.0/-1', 'prefix'],
    ['10.0.0.0/08', 'prefix'],
    ['10.0.0.0/', 'prefix'],
    ['10.0.0.0', 'exactly one'],
    ['10.0.0.0/8/8', 'exactly one'],
    ['10.0.0.256/32', 'not an IPv4 address'],
    ['10.0.0/24', 'not an IPv4 address'],
    [' 10.0.0.0/8', 'not an IPv4 address'],
    ['010.0.0.0/8', 'not an IPv4 address'],
  ])('rejects %p with CIDR_INVALID (%s)', (text, why) => {
    expect(codeOf(() => parseCidr(text))).toBe('CIDR_INVALID');
    expect(() => parseCidr(text)).toThrow(why);
  });

  test('host-bits error suggests the canonical block', () => {
    try {
      parseCidr('10.1.2.3/16');
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(ButterError);
      expect((e as ButterError).hint).toBe('did you mean 10.1.0.0/16?');
    }
  });
});

describe('sizes, masks, containment', () => {
  test('cidrSize and prefixMask', () => {
    expect(cidrSize(32)).toBe(1);
    expect(cidrSize(28)).toBe(16);
    expect(cidrSize(16)).toBe(65536);
    expect(cidrSize(0)).toBe(2 ** 32);
    expect(prefixMask(0)).toBe(0);
    expect(prefixMask(1)).toBe(0x80000000);
    expect(prefixMask(24)).toBe(0xffffff00);
    expect(prefixMask(32)).toBe(0xffffffff);
    expect(() => cidrSize(33)).toThrow(RangeError);
  });

  test('cidrLast', () => {
    expect(intToIp(cidrLast('10.0.0.0/8'))).toBe('10.255.255.255');
    expect(intToIp(cidrLast('0.0.0.0/0'))).toBe('255.255.255.255');
    expect(intToIp(cidrLast('10.1.2.3/32'))).toBe('10.1.2.3');
  });

  test('cidrContains', () => {
    expect(cidrContains('10.0.0.0/8', '10.1.0.0/16')).toBe(true);
    expect(cidrContains('10.0.0.0/8', '10.0.0.0/8')).toBe(true);
    expect(cidrContains('10.1.0.0/16', '10.0.0.0/8')).toBe(false);
    expect(cidrContains('10.0.0.0/8', '11.0.0.0/16')).toBe(false);
    expect(cidrContains('0.0.0.0/0', '255.255.255.255/32')).toBe(true);
    expect(cidrContains('128.0.0.0/1', '200.1.0.0/16')).toBe(true);
    expect(cidrContains('128.0.0.0/1', '127.255.255.255/32')).toBe(false);
    expect(cidrContains(parseCidr('192.168.0.0/16'), parseCidr('192.168.255.0/24'))).toBe(true);
  });

  test('cidrOverlaps is symmetric and exact at the edges', () => {
    expect(cidrOverlaps('10.0.0.0/24', '10.0.0.128/25')).toBe(true);
    expect(cidrOverlaps('10.0.0.128/25', '10.0.0.0/24')).toBe(true);
    expect(cidrOverlaps('10.0.0.0/25', '10.0.0.128/25')).toBe(false);
    expect(cidrOverlaps('10.0.0.0/24', '10.0.1.0/24')).toBe(false);
    expect(cidrOverlaps('0.0.0.0/0', '1.2.3.4/32')).toBe(true);
  });

  test('cidrContainsIp', () => {
    expect(cidrContainsIp('10.0.0.0/24', '10.0.0.255')).toBe(true);
    expect(cidrContainsIp('10.0.0.0/24', '10.0.1.0')).toBe(false);
    expect(cidrContainsIp('10.0.0.0/24', ipToInt('10.0.0.7'))).toBe(true);
  });

  test('isPrivateCidr accepts RFC 1918 and 100.64/10 only', () => {
    expect(isPrivateCidr('10.0.0.0/8')).toBe(true);
    expect(isPrivateCidr('172.16.0.0/12')).toBe(true);
    expect(isPrivateCidr('172.31.255.0/24')).toBe(true);
    expect(isPrivateCidr('192.168.10.0/24')).toBe(true);
    expect(isPrivateCidr('100.64.0.0/10')).toBe(true);
    expect(isPrivateCidr('100.128.0.0/16')).toBe(false);
    expect(isPrivateCidr('172.32.0.0/16')).toBe(false);
    expect(isPrivateCidr('8.8.8.0/24')).toBe(false);
    expect(isPrivateCidr('0.0.0.0/0')).toBe(false);
    expect(isPrivateCidr('10.0.0.0/7')).toBe(false); // larger than 10/8, so partly public
  });
});

describe('nthHost', () => {
  test('counts from the start, and from the end with negatives', () => {
    expect(nthHost('10.0.1.0/24', 0)).toBe('10.0.1.0');
    expect(nthHost('10.0.1.0/24', 1)).toBe('10.0.1.1');
    expect(nthHost('10.0.1.0/24', 255)).toBe('10.0.1.255');
    expect(nthHost('10.0.1.0/24', -1)).toBe('10.0.1.255');
    expect(nthHost('10.0.1.0/24', -256)).toBe('10.0.1.0');
    expect(nthHost('255.255.255.0/24', -1)).toBe('255.255.255.255');
    expect(nthHost('10.0.0.0/8', 65537)).toBe('10.1.0.1');
  });

  test('rejects positions outside the block', () => {
    expect(() => nthHost('10.0.1.0/24', 256)).toThrow(RangeError);
    expect(() => nthHost('10.0.1.0/24', -257)).toThrow(RangeError);
    expect(() => nthHost('10.0.1.0/24', 0.5)).toThrow(RangeError);
    expect(codeOf(() => nthHost('10.0.1.1/24', 0))).toBe('CIDR_INVALID');
  });
});
