/**
 * Input text on its way into Terraform JSON.
 *
 * Every string in Terraform JSON is a Terraform template: `${...}` in it is evaluated (a
 * blueprint's `image.name: 'x/${file("/etc/hostname")}*'` would read the deploying machine's
 * files), and cdktf replaces `${TfToken[...]}` in it by one of the app's tokens. Blueprint values,
 * workspace values, names and file paths are text, never expressions, so each one passes through
 * {@link literal} (or {@link literals}, for the plain data of a service plan) where the renderers
 * read it. Values Butter builds on purpose as Terraform (cdktf tokens, `Fn.*`, the zone-count
 * conditions, compiled startup scripts) do not, and must not: they are the only Terraform
 * expressions in the output.
 */
import { escapeTerraformTemplate, isPlainObject } from '../src/planning/templating';

/** `text` as Terraform reads it back literally: `${` as `$${`, `%{` as `%%{`, no cdktf token markers. */
export function literal(text: string): string {
  return escapeTerraformTemplate(text);
}

/**
 * A copy of plain data (a service plan, an image lookup) with every string passed through
 * {@link literal}, at any depth of arrays and plain objects. Numbers and booleans are unchanged.
 */
export function literals<T>(data: T): T {
  if (typeof data === 'string') return literal(data) as T;
  if (Array.isArray(data)) return data.map((d) => literals(d)) as T;
  if (isPlainObject(data)) {
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, literals(v)])) as T;
  }
  return data;
}
