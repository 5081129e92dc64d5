import { isIPv4 } from 'node:net';
import { Value } from '../values/value';
import { Validator } from './dsl';

/**
 * Ready-made attribute validators. Each returns a message when the value is not acceptable; the
 * framework turns it into a diagnostic pointing at the attribute.
 */

/** The value must be one of `allowed`. */
export function oneOf(...allowed: readonly (string | number)[]): Validator {
  return (v: Value) => (allowed.includes(v as string | number) ? undefined
    : `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(v)}`);
}

/** The string must match `pattern`; `what` describes the expected form for the message. */
export function matches(pattern: RegExp, what: string): Validator {
  return (v: Value) => (typeof v === 'string' && pattern.test(v) ? undefined : `expected ${what}, got ${JSON.stringify(v)}`);
}

/** A whole number in [min, max]. */
export function intBetween(min: number, max: number): Validator {
  return (v: Value) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? undefined
    : `expected a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
}

/** A string whose length is in [min, max]. */
export function lengthBetween(min: number, max: number): Validator {
  return (v: Value) => (typeof v === 'string' && v.length >= min && v.length <= max ? undefined
    : `expected ${min} to ${max} characters, got ${JSON.stringify(v)}`);
}

/** An IPv4 CIDR block whose address is the network address, like `10.0.0.0/16`. */
export function ipv4Cidr(): Validator {
  return (v: Value) => {
    const m = typeof v === 'string' ? /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(v) : null;
    if (!m || !isIPv4(m[1]) || Number(m[2]) > 32) return `expected an IPv4 CIDR block like "10.0.0.0/16", got ${JSON.stringify(v)}`;
    const address = m[1].split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
    const hostBits = 32 - Number(m[2]);
    const hostPart = address % 2 ** hostBits;
    return hostPart === 0 ? undefined : `${v} is not a network address (the host bits are not zero)`;
  };
}
