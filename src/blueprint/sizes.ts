/**
 * Memory and disk sizes as blueprints write them (`4GB`, `512 MiB`, `1.5GiB`, `8G`, `1TB`).
 *
 * Units are binary whichever way they are spelled: `GB`, `GiB` and `G` all mean 1024 MiB, `TB`
 * 1024 GiB. That is deliberate. Cloud consoles label memory and disks "GB" but mean GiB (an EC2
 * "t3.medium, 4 GB" has 4096 MiB; a Google "10 GB" persistent disk is 10 GiB). Reading `4GB` as
 * 4,000,000,000 bytes would give 3815 MiB: an exact 4 GiB type would then be "too big" and a
 * `size: 8GB` disk would not be a whole number of GiB, which the clouds' APIs require.
 *
 * A bare number (`memory: 4`) is rejected instead of guessing a unit: `4` could mean GiB or MiB
 * and a wrong guess is off by 1024x. The error suggests the likely spelling.
 */
import { ButterError, ErrorLocation } from '../errors';

/** Error code for a value that is not a valid size. */
export const INVALID_SIZE = 'BLUEPRINT_INVALID_SIZE';

/** MiB per unit. Keys are lower case; matching ignores case (`gb`, `GB`, `Gb` are the same). */
const MIB_PER_UNIT: Readonly<Record<string, number>> = {
  m: 1, mb: 1, mib: 1,
  g: 1024, gb: 1024, gib: 1024,
  t: 1024 * 1024, tb: 1024 * 1024, tib: 1024 * 1024,
};

const SIZE_PATTERN = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*$/i;

/**
 * Parse a size into MiB. Accepts a number with a unit (M, MB, MiB, G, GB, GiB, T, TB, TiB, any
 * case, optional space). The result must be a positive whole number of MiB.
 * @throws ButterError `BLUEPRINT_INVALID_SIZE`, located at `where`
 */
export function parseSize(value: unknown, where: ErrorLocation = {}): number {
  const fail = (problem: string, hint: string): never => {
    throw new ButterError(INVALID_SIZE, problem, { ...where, hint });
  };
  if (typeof value === 'number') {
    return fail(
      `${value} has no unit`,
      `add a unit, e.g. \`${value}GB\` (or \`${value}MiB\`); Butter does not guess whether a bare number means GiB or MiB`,
    );
  }
  if (typeof value !== 'string') {
    return fail(`expected a size such as 4GB, got ${describeValue(value)}`, 'write a number and a unit, e.g. `4GB` or `512MiB`');
  }
  const match = SIZE_PATTERN.exec(value);
  if (!match) {
    return fail(`"${value}" is not a size`, 'write a number and a unit, e.g. `4GB`, `512MiB` or `1.5GiB`');
  }
  const [, amountText, unitText] = match;
  const amount = Number(amountText);
  if (unitText === '') {
    return fail(`"${value}" has no unit`, `add a unit, e.g. \`${amountText}GB\``);
  }
  const perUnit = MIB_PER_UNIT[unitText.toLowerCase()];
  if (perUnit === undefined) {
    return fail(`"${unitText}" is not a size unit`, 'use MB/MiB, GB/GiB or TB/TiB (all binary: 1GB = 1024MiB)');
  }
  const mib = amount * perUnit;
  if (mib <= 0) return fail(`size must be more than zero, got "${value}"`, 'give a positive size, e.g. `1GB`');
  if (!Number.isSafeInteger(mib)) {
    if (Number.isInteger(mib)) return fail(`"${value}" is too large`, 'give a realistic size');
    return fail(
      `"${value}" is not a whole number of MiB (${mib} MiB)`,
      `round it, e.g. \`${Math.round(mib) || 1}MiB\``,
    );
  }
  return mib;
}

/**
 * Parse a disk size into whole GiB (clouds size disks in GiB; at least 1).
 * @throws ButterError `BLUEPRINT_INVALID_SIZE`, located at `where`
 */
export function toGiB(value: unknown, where: ErrorLocation = {}): number {
  const mib = parseSize(value, where);
  if (mib % 1024 !== 0) {
    const up = Math.ceil(mib / 1024);
    throw new ButterError(INVALID_SIZE, `disk sizes must be whole GiB, got "${String(value)}" (${mib} MiB)`, {
      ...where,
      hint: `use \`${up}GB\``,
    });
  }
  return mib / 1024;
}

/** Human description of a YAML value's type, for "expected X, got Y". */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text "${value.length > 40 ? `${value.slice(0, 37)}...` : value}"`;
  if (typeof value === 'number') return `the number ${value}`;
  return `\`${String(value)}\``;
}
