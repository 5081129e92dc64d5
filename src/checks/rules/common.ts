import { hasPublicAddress, rangeOf } from '../../reachability/addresses';
import type { CheckedResource } from '../stack';
import type { Violation } from '../types';

/** Ports whose exposure to the internet is an attack surface of its own: SSH and RDP. */
export const ADMIN_PORTS: readonly number[] = [22, 3389];

/** A violation of `resource`. */
export function violation(resource: CheckedResource, message: string, extra: Omit<Violation, 'resource' | 'message'> = {}): Violation {
  return { resource, message, ...extra };
}

/** True when a literal CIDR block holds some public (internet) address; expressions are not. */
export function isPublicCidr(cidr: unknown): boolean {
  if (typeof cidr !== 'string') return false;
  const range = rangeOf(cidr.trim());
  if (range) return hasPublicAddress(range);
  // IPv6: only the whole internet is recognised (::/0), the common case in scanners too.
  return /^::\/0$/.test(cidr.trim());
}

/** Literal strings of a list attribute (expressions and non-strings left out). */
export function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}
