import { createHash } from 'node:crypto';

/**
 * Realistic ids from a counter. Real clouds hand out random-looking ids; deriving them from
 * (provider, counter) gives the same look while keeping a fresh mock cloud reproducible.
 */

function digest(provider: string, sequence: number): string {
  return createHash('sha256').update(`${provider}:${sequence}`).digest('hex');
}

/** `prefix-` and 17 hex digits, like `vpc-0a1b2c3d4e5f67890` (AWS's current long ids). */
export function awsStyleId(prefix: string, provider: string, sequence: number): string {
  return `${prefix}-${digest(provider, sequence).slice(0, 17)}`;
}

/** 19 decimal digits not starting with 0, like Google's numeric resource ids. */
export function numericId(provider: string, sequence: number): string {
  const n = BigInt(`0x${digest(provider, sequence).slice(0, 16)}`) % 9_000_000_000_000_000_000n;
  return String(n + 1_000_000_000_000_000_000n);
}
