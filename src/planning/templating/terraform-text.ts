/**
 * Terraform template text: escaping plain text for it, and assembling it from literal text,
 * interpolations and directives.
 *
 * Every string in Terraform JSON is itself a Terraform template, so a startup script put into
 * `user_data` verbatim would have each `${...}` / `%{...}` in it evaluated by Terraform. Text that
 * has been made safe for that carries the {@link TerraformTemplate} brand.
 */

/**
 * Text that is valid *Terraform template* source and means what Butter intends: literal text in
 * it is escaped (`$${`, `%%{`) and any `${...}` / `%{...}` in it is deliberate. Put it into
 * Terraform JSON as-is; never escape it again, and never pass plain strings where one is expected.
 */
export type TerraformTemplate = string & { readonly __brand: 'TerraformTemplate' };

/**
 * Escape plain text so Terraform reads it back literally: `${` becomes `$${` and `%{` becomes
 * `%%{`. Nothing else in a template is special to Terraform (a lone `$` or `%` is literal).
 *
 * One more sequence is special on the way there: cdktf, which writes the Terraform JSON, replaces
 * `${TfToken[KEY]}` (and `#{TfToken[...]}` in lists) anywhere in a string by the token it
 * stands for, so text that merely spells one would pull an arbitrary reference of the app into
 * the output, or crash the synth. The `[` after `TfToken` is therefore written as the
 * interpolation `${"["}`, which Terraform turns back into `[` and cdktf does not recognise.
 */
export function escapeTerraformTemplate(text: string): TerraformTemplate {
  return text
    .replace(/([$%])\{/g, '$1$1{')
    .replace(/TfToken\[/g, () => 'TfToken${"["}') as TerraformTemplate;
}

/**
 * An HCL quoted string literal for `value`, for use inside `${ ... }`. Quoted strings are
 * templates too, so `${` / `%{` are escaped as well as quotes, backslashes and control characters.
 */
export function hclString(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `"${escapeTerraformTemplate(out)}"`;
}

type Piece = { readonly text: string } | { readonly code: string };

/**
 * Builds a Terraform template from literal text (escaped on the way out) and template syntax
 * (emitted verbatim).
 */
export class TerraformTemplateBuilder {
  private readonly pieces: Piece[] = [];
  private codeCount = 0;
  private size = 0;

  /** Characters appended so far (before escaping). */
  public get length(): number {
    return this.size;
  }

  /** Append literal text; it is escaped when the template is built. */
  public text(text: string): void {
    this.size += text.length;
    if (text) this.pieces.push({ text });
  }

  /** Append `${expression}`. */
  public interpolation(expression: string): void {
    this.code(`\${${expression}}`);
  }

  /** Append `%{ directive }` (e.g. `for ip in var.ips`, `endif`). */
  public directive(directive: string): void {
    this.code(`%{ ${directive} }`);
  }

  /** True once any interpolation or directive was appended. */
  public get hasTemplateSyntax(): boolean {
    return this.codeCount > 0;
  }

  /** The finished template. */
  public build(): TerraformTemplate {
    let out = '';
    let pending = '';
    const flushBefore = (code: string | undefined) => {
      // Literal text ending in `$` or `%` right before `${` or `%{` would fuse with it into the
      // escape sequence `$${` / `%%{`; emit that trailing run as a quoted string instead.
      const run = code !== undefined ? /[$%]+$/.exec(pending) : null;
      if (run) {
        out += escapeTerraformTemplate(pending.slice(0, run.index));
        out += `\${${hclString(run[0])}}`;
      } else {
        out += escapeTerraformTemplate(pending);
      }
      pending = '';
    };
    for (const p of this.pieces) {
      if ('text' in p) {
        pending += p.text;
      } else {
        flushBefore(p.code);
        out += p.code;
      }
    }
    flushBefore(undefined);
    return out as TerraformTemplate;
  }

  private code(code: string): void {
    this.size += code.length;
    this.codeCount++;
    this.pieces.push({ code });
  }
}
