/**
 * Template variables given on the command line (`--var K=V`, `--var-file F`). Values are YAML,
 * so `--var count=3` is a number, `--var ips='[10.0.0.1, 10.0.0.2]'` a list and
 * `--var name=web` text, the way they would be written in a blueprint.
 */
import * as yaml from '../util/js-yaml';
import { ButterError, cut } from '../errors';
import { MAX_BLUEPRINT_BYTES, readInputFile } from '../util/input-file';
import { isYamlProblem, parseYaml } from '../blueprint/yaml';

/** Template variable names, as blueprints declare them (`initialization[].vars`). */
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One `K=V` assignment; throws `VAR_INVALID` naming the variable (or the text) that is wrong. */
export function parseVarAssignment(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    throw new ButterError('VAR_INVALID', `--var "${cut(text)}" is not NAME=VALUE`, { hint: 'write --var NAME=VALUE, e.g. --var PrivateIps=\'[10.0.0.5]\'' });
  }
  const name = text.slice(0, eq).trim();
  if (!VAR_NAME.test(name)) {
    throw new ButterError('VAR_INVALID', `"${cut(name)}" is not a template variable name`, {
      hint: 'names are letters, digits and _, not starting with a digit',
    });
  }
  const raw = text.slice(eq + 1);
  // The core schema: `yes`/`no` stay text, as in blueprints (YAML 1.2).
  const parsed = parseYaml(raw, { schema: yaml.CORE_SCHEMA });
  if (isYamlProblem(parsed)) {
    throw new ButterError('VAR_INVALID', `the value of ${name} ${parsed.problem.startsWith('YAML') ? `is not valid YAML: ${parsed.problem}` : parsed.problem}`, {
      hint: parsed.problem.startsWith('YAML') ? `quote it for your shell, e.g. --var ${name}='[10.0.0.5, 10.0.0.6]', or pass text without brackets` : parsed.hint,
    });
  }
  const value = raw === '' ? '' : parsed.value;
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
  const { text } = readInputFile(file, { code: 'VAR_FILE_INVALID', what: 'the variables file', maxBytes: MAX_BLUEPRINT_BYTES, shown: file,
    notFound: { problem: 'variables file not found', hint: 'check the path given to --var-file' },
  });
  const parsed = parseYaml(text, { schema: yaml.CORE_SCHEMA, filename: file });
  if (isYamlProblem(parsed)) {
    const syntax = parsed.problem.startsWith('YAML');
    throw new ButterError('VAR_FILE_INVALID', syntax ? `not valid YAML or JSON: ${parsed.problem}` : parsed.problem, { file, hint: syntax ? 'fix the syntax' : parsed.hint });
  }
  const doc = parsed.value;
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
