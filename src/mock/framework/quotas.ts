import * as fs from 'node:fs';
import { CloudError } from './diagnostics';

/**
 * Quotas a simulated cloud enforces, with the real clouds' defaults, which users can raise (or
 * lower) as they can ask the real clouds to. Overrides come from `BUTTER_MOCK_QUOTAS`: a JSON
 * object `{ "aws": { "<quota>": <n>, ... }, "google": { ... } }`, written inline or in a file the
 * variable names. It is read where the provider runs (it inherits Terraform's environment, or the
 * Butter CLI's for the reattached daemon), once per process.
 *
 * The variable is untrusted input: a file is read only if it is a regular file of at most 64 KiB;
 * anything that is not an object of known quota names and whole numbers from 0 to 10^9 is an
 * error naming the variable, the cloud and the quota.
 */

export const QUOTAS_ENV = 'BUTTER_MOCK_QUOTAS';
const MAX_FILE_BYTES = 64 * 1024;

/** One quota: its default (the cloud's) and where that default is documented. */
export interface QuotaSpec {
  readonly default: number;
  readonly source: string;
}

type Overrides = Record<string, Record<string, number>>;

/**
 * The overrides' shape, checked by hand: zod would add most of a megabyte to the provider bundle
 * for one small object, and the bundle's start-up time is what every Terraform run pays.
 */
function checkShape(value: unknown): Overrides {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value)) throw problem('At the top: expected an object.');
  const out: Overrides = {};
  for (const [cloud, quotas] of Object.entries(value)) {
    if (!isObject(quotas)) throw problem(`At ${cloud}: expected an object of quota names and numbers.`);
    out[cloud] = {};
    for (const [name, n] of Object.entries(quotas)) {
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 1e9) {
        throw problem(`At ${cloud}.${name}: expected a whole number from 0 to 1000000000.`);
      }
      out[cloud][name] = n;
    }
  }
  return out;
}

let cached: { raw: string | undefined; overrides: Overrides } | undefined;

function problem(detail: string): CloudError {
  return new CloudError(`the Butter mock cloud cannot read ${QUOTAS_ENV}`, {
    detail: `${detail} ${QUOTAS_ENV} is a JSON object like {"aws": {"rules_per_security_group": 100}}, inline or in a file it names.`,
  });
}

/** The overrides of `env` (parsed once per value). */
export function quotaOverrides(env: NodeJS.ProcessEnv = process.env): Overrides {
  const raw = env[QUOTAS_ENV];
  if (cached && cached.raw === raw) return cached.overrides;
  let text = raw?.trim() ?? '';
  if (text !== '' && !/^[{[]/.test(text)) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(text);
    } catch {
      throw problem(`It names the file ${JSON.stringify(text)}, which cannot be read.`);
    }
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) throw problem(`${JSON.stringify(text)} is not a file of at most 64 KiB.`);
    text = fs.readFileSync(text, 'utf8');
  }
  let parsed: unknown = {};
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw problem(`It is not JSON (${(e as Error).message}).`);
    }
  }
  const overrides = checkShape(parsed);
  cached = { raw, overrides };
  return overrides;
}

/**
 * A cloud's quota table: `limit(name)` is the override when one is set, else the default. Unknown
 * quota names under the cloud's key are refused, so a typo does not silently keep the default.
 */
export function quotaTable<N extends string>(cloud: string, specs: Readonly<Record<N, QuotaSpec>>): (name: N) => number {
  return (name) => {
    const overrides = quotaOverrides()[cloud] ?? {};
    for (const key of Object.keys(overrides)) {
      if (!(key in specs)) throw problem(`"${cloud}.${key}" is not a quota of the mock; it knows ${Object.keys(specs).join(', ')}.`);
    }
    return overrides[name] ?? specs[name].default;
  };
}
