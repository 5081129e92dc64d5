/**
 * Matching the template variables a construct is given (`templateVars`) against the ones its
 * startup scripts declare (`initialization[].vars`): required ones must be given, unknown ones
 * are refused (a typo would otherwise be silently ignored), defaults are filled in.
 */
import { ButterError } from '../../errors';
import type { InitializationSpec, TemplateVarSpec } from '../../blueprint/types';
import { didYouMean } from './suggest';
import { forbiddenNameReason } from './sandbox-names';

/** Where the variables of one startup script are declared, for error messages. */
export interface TemplateVarsLocation {
  /** The blueprint file declaring the script. @default - none (a blueprint built in code) */
  readonly file?: string;
  /** The script's key in the blueprint, e.g. `initialization[0]`. */
  readonly key: string;
  /** The script's path. @default - not named in messages */
  readonly script?: string;
  /** The construct being built. @default - none */
  readonly constructPath?: string;
}

/**
 * The variables one script is rendered with.
 *
 * Returns one entry per *declared* variable: the given value, else the default, else `undefined`
 * (declared, optional, not given: `{{ x | default(...) }}` and `{% if x is defined %}` work, printing
 * `{{ x }}` fails). Keeping the unset ones lets rendering tell them from undeclared names.
 *
 * @throws ButterError `TEMPLATE_VAR_MISSING` (a required variable was not given) or
 *   `TEMPLATE_VAR_UNKNOWN` (a given variable is not declared).
 */
export function resolveTemplateVars(
  declared: Readonly<Record<string, TemplateVarSpec>>,
  given: Readonly<Record<string, unknown>>,
  where: TemplateVarsLocation,
): Record<string, unknown> {
  const names = Object.keys(declared);
  for (const name of names) {
    // A template could not use such a name anyway (sandbox.ts), and `__proto__` as a key of the
    // variables object would replace its prototype instead of adding a variable.
    const why = forbiddenNameReason(name);
    if (why) {
      throw new ButterError('TEMPLATE_VAR_INVALID', `template variable name "${name}" is not allowed: ${why}`, {
        file: where.file,
        key: `${where.key}.vars`,
        constructPath: where.constructPath,
        hint: 'rename the variable (letters, digits and underscores, not starting with "__")',
      });
    }
  }
  for (const name of Object.keys(given)) {
    if (given[name] !== undefined && !Object.prototype.hasOwnProperty.call(declared, name)) {
      throw unknownVar(name, names, where.file, where.constructPath, `${where.key}.vars`, where.script);
    }
  }
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const spec = declared[name];
    // Own properties only: `toString` must not be "given" by Object.prototype.
    const value = Object.prototype.hasOwnProperty.call(given, name) ? given[name] : undefined;
    if (value !== undefined) out[name] = value;
    else if (spec.default !== undefined) out[name] = spec.default;
    else if (spec.required) {
      throw new ButterError(
        'TEMPLATE_VAR_MISSING',
        `template variable "${name}" is required by ${where.script ?? 'the startup script'} but was not given`,
        {
          file: where.file,
          key: `${where.key}.vars.${name}`,
          constructPath: where.constructPath,
          hint: `pass it to the construct: templateVars: { ${name}: ... }`,
        },
      );
    } else out[name] = undefined;
  }
  return out;
}

/**
 * The variables of each of a service's startup scripts, in order. All scripts share one
 * `templateVars`; each script gets the ones it declares. A given variable must be declared by at
 * least one script.
 *
 * @throws ButterError `TEMPLATE_VAR_UNKNOWN`, `TEMPLATE_VAR_MISSING`.
 */
export function resolveInitializationVars(
  scripts: readonly InitializationSpec[],
  given: Readonly<Record<string, unknown>>,
  where: { readonly file?: string; readonly constructPath?: string },
): Record<string, unknown>[] {
  const declaredAnywhere = [...new Set(scripts.flatMap((s) => Object.keys(s.vars)))];
  for (const name of Object.keys(given)) {
    if (given[name] !== undefined && !declaredAnywhere.includes(name)) {
      throw unknownVar(name, declaredAnywhere, where.file, where.constructPath, undefined, undefined);
    }
  }
  return scripts.map((script) => {
    const own: Record<string, unknown> = {};
    for (const name of Object.keys(script.vars)) {
      if (Object.prototype.hasOwnProperty.call(given, name)) own[name] = given[name];
    }
    return resolveTemplateVars(script.vars, own, {
      file: where.file,
      key: script.key,
      script: script.path,
      constructPath: where.constructPath,
    });
  });
}

function unknownVar(
  name: string,
  declared: readonly string[],
  file: string | undefined,
  constructPath: string | undefined,
  key: string | undefined,
  script: string | undefined,
): ButterError {
  const by = script ? `by ${script}` : 'by any initialization script';
  const known = declared.length ? `declared: ${declared.join(', ')}` : 'no variables are declared';
  return new ButterError(
    'TEMPLATE_VAR_UNKNOWN',
    `templateVars.${name} is not declared ${by}${didYouMean(name, declared)}; ${known}`,
    {
      file,
      key,
      constructPath,
      hint: `declare it in the blueprint under initialization[].vars.${name}, or remove it from templateVars`,
    },
  );
}
