/**
 * Startup-script templating: jinja2-syntax templates rendered with nunjucks, and compiled to
 * Terraform template syntax when some variable is only known at deploy time.
 *
 * Pure: no cdktf, no file access. Typical use by a Service:
 *
 * ```ts
 * const varsPerScript = resolveInitializationVars(blueprint.initialization, props.templateVars ?? {}, { file, constructPath });
 * const parts = blueprint.initialization.map((script, i) => ({
 *   filename: basename(script.path),
 *   content: compileTemplate(script.source, varsPerScript[i], { file: script.path }).text,
 * }));
 * userData = cloudInitMultipart(parts); // Terraform-template-safe: put it into Terraform JSON as-is
 * ```
 *
 * Escaping rule: every string in Terraform JSON is a Terraform template. `compileTemplate`
 * returns {@link TerraformTemplate} text that is already safe for that; `renderTemplate` returns
 * plain text, to be passed through {@link escapeTerraformTemplate} before it goes into Terraform.
 */
import type { CompiledTemplate } from './templating/compile-terraform';
import { containsDeployTimeValue, DeployTimeValue } from './templating/deploy-time';
import type { TemplateOrigin } from './templating/template-errors';
import { escapeTerraformTemplate } from './templating/terraform-text';
import { MAX_TEXT_LENGTH } from './templating/sandbox-names';

export type { CompiledTemplate } from './templating/compile-terraform';
export { cloudInitContentType, cloudInitMultipart, CLOUD_INIT_BOUNDARY } from './templating/cloud-init';
export type { CloudInitPart } from './templating/cloud-init';
export { DeployTimeValue, containsDeployTimeValue, isPlainObject } from './templating/deploy-time';
export type { DeployTimeType } from './templating/deploy-time';
export { DEPLOY_TIME_FILTERS } from './templating/supported';
export type { TemplateOrigin } from './templating/template-errors';
export { escapeTerraformTemplate } from './templating/terraform-text';
export type { TerraformTemplate } from './templating/terraform-text';
export { resolveInitializationVars, resolveTemplateVars } from './templating/vars';
export type { TemplateVarsLocation } from './templating/vars';

/**
 * Turn a template into Terraform template text with the same output as rendering it.
 *
 * Without deploy-time values the template is rendered by nunjucks and the result escaped. With
 * some, it is compiled: static parts are rendered, the rest becomes Terraform template syntax
 * over the values' expressions. Either way `text` is safe to put into Terraform JSON as-is.
 *
 * @param vars Variable values, usually from `resolveTemplateVars`; any of them may be (or contain)
 *   a `DeployTimeValue`.
 * @throws ButterError as `renderTemplate`, plus `TEMPLATE_UNSUPPORTED_FOR_DEPLOY_TIME` for
 *   constructs Terraform cannot evaluate (see `DEPLOY_TIME_FILTERS` for the filters it can).
 */
export function compileTemplate(
  source: string,
  vars: Readonly<Record<string, unknown>>,
  origin: TemplateOrigin,
): CompiledTemplate {
  // A script without template syntax renders to itself: no need to load nunjucks for it.
  if (isPlainText(source)) return { text: escapeTerraformTemplate(source), deployTime: false };
  // Many services share one script and the same variables: compile each combination once.
  const key = cacheKey(source, vars, origin);
  const hit = key === undefined ? undefined : compiled.get(key);
  if (hit) return hit;
  const result: CompiledTemplate = Object.values(vars).some(containsDeployTimeValue)
    ? engine.compile().compileToTerraform(source, vars, origin)
    : { text: escapeTerraformTemplate(engine.render().renderTemplate(source, vars, origin)), deployTime: false };
  if (key !== undefined) compiled.set(key, result);
  return result;
}

/** See render.ts; loads the template engine on first use. */
export function renderTemplate(source: string, vars: Readonly<Record<string, unknown>>, origin: TemplateOrigin): string {
  return engine.render().renderTemplate(source, vars, origin);
}

/**
 * True when `source` has none of the delimiters that start template syntax (`{{`, `{%`, `{#`),
 * nor a comment's end (`#}`, which nunjucks refuses on its own): it then outputs the text
 * unchanged (test/src/planning/templating/plain-text.test.ts, where a property test found the
 * second). Longer texts than a template may print take the engine's way, which refuses them.
 */
export function isPlainText(source: string): boolean {
  return source.length <= MAX_TEXT_LENGTH && !/\{[{%#]|#\}/.test(source);
}

/**
 * The template engine (nunjucks, the sandbox and the deploy-time compiler) is loaded when a
 * template first needs it: loading it costs about 15 ms of every synth's start-up, and many
 * services' scripts have no template syntax at all.
 */
const engine = {
  render: () => require('./templating/render') as typeof import('./templating/render'),
  compile: () => require('./templating/compile-terraform') as typeof import('./templating/compile-terraform'),
};

/** Results of {@link compileTemplate}; errors are never cached. */
const compiled = new Map<string, CompiledTemplate>();

/**
 * The identity of a compilation, or undefined when the variables are not plain data (then the
 * result is not cached). DeployTimeValues are tagged so they never equal a plain object.
 */
function cacheKey(source: string, vars: Readonly<Record<string, unknown>>, origin: TemplateOrigin): string | undefined {
  try {
    const varsKey = JSON.stringify(vars, (_k, v: unknown) => {
      if (v instanceof DeployTimeValue) return { '@deployTime': [v.expression, v.type] };
      if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw new Error('not plain data');
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype) throw new Error('not plain data');
      return v;
    });
    return `${origin.file ?? ''}\u0000${source}\u0000${varsKey}`;
  } catch {
    return undefined;
  }
}
