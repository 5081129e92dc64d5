/**
 * Template variables given on the command line (`--var K=V`, `--var-file F`). Values are YAML,
 * so `--var count=3` is a number, `--var ips='[10.0.0.1, 10.0.0.2]'` a list and
 * `--var name=web` text, the way they would be written in a blueprint.
 */
import * as fs from 'node:fs';
import * as yaml from 'js-yaml';
import { ButterError } from '../errors';

/** Template variable names, as blueprints declare them (`initialization[].vars`). */
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One `K=V` assignment; throws `VAR_INVALID` naming the variable (or the text) that is wrong. */
export function parseVarAssignment(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    throw new ButterError('VAR_INVALID', `--var "${text}" is not NAME=VALUE`, { hint: 'write --var NAME=VALUE, e.g. --var PrivateIps=\'[10.0.0.5]\'' });
  }
  const name = text.slice(0, eq).trim();
  if (!VAR_NAME.test(name)) {
    throw new ButterError('VAR_INVALID', `"${name}" is not a template variable name`, {
      hint: 'names are letters, digits and _, not starting with a digit',
    });
  }
  const raw = text.slice(eq + 1);
  let value: unknown;
  try {
    // The core schema: `yes`/`no` stay text, as in blueprints (YAML 1.2).
    value = raw === '' ? '' : yaml.load(raw, { schema: yaml.CORE_SCHEMA });
  } catch (e) {
    throw new ButterError('VAR_INVALID', `the value of ${name} is not valid YAML: ${(e as yaml.YAMLException).reason ?? (e as Error).message}`, {
      hint: `quote it for your shell, e.g. --var ${name}='[10.0.0.5, 10.0.0.6]', or pass text without brackets`,
    });
  }
  return [name, value === null || value === undefined ? '' : value];
}

/** Several `K=V` assignments; a name given twice is an error (which one was meant?). */
export function parseVarAssignments(texts: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const t of texts) {
    const [name, value] = parseVarAssignment(t);
    if (Object.prototype.hasOwnProperty.call(out, name)) {
      throw new ButterError('VAR_INVALID', `${name} is given twice`, { hint: 'give each --var once' });
    }
    out[name] = value;
  }
  return out;
}

/**
 * Variables from a YAML or JSON file holding a mapping of names to values. Throws
 * `VAR_FILE_INVALID` naming the file (and the key when one name is wrong).
 */
export function readVarFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ButterError('VAR_FILE_INVALID', missing ? 'variables file not found' : `cannot read the variables file: ${(e as Error).message}`, {
      file,
      hint: 'check the path given to --var-file',
    });
  }
  let doc: unknown;
  try {
    doc = yaml.load(text, { schema: yaml.CORE_SCHEMA, filename: file });
  } catch (e) {
    throw new ButterError('VAR_FILE_INVALID', `not valid YAML or JSON: ${(e as yaml.YAMLException).reason ?? (e as Error).message}`, {
      file,
      hint: 'fix the syntax',
    });
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ButterError('VAR_FILE_INVALID', 'expected a mapping of variable names to values', { file, hint: 'write one `Name: value` line per variable' });
  }
  for (const name of Object.keys(doc)) {
    if (!VAR_NAME.test(name)) {
      throw new ButterError('VAR_FILE_INVALID', `"${name}" is not a template variable name`, {
        file,
        key: name,
        hint: 'names are letters, digits and _, not starting with a digit',
      });
    }
  }
  return { ...(doc as Record<string, unknown>) };
}
