/**
 * The size limits of the rendered startup script, checked at synth rather than at deploy.
 *
 * - AWS: EC2 takes at most 16 KB (16,384 bytes) of user data, counted in raw form before
 *   base64 (EC2 User Guide, "Run commands when you launch an EC2 instance with user data
 *   input"); the launch template is accepted, but every launch fails.
 * - Google Compute Engine: a metadata value holds at most 256 KB (262,144 bytes; Compute Engine
 *   docs, "About VM metadata", limits). The blueprint loader caps the script files; the rendered
 *   value (variables filled in, several scripts joined as cloud-init multipart) can still grow.
 *
 * What is measured is the document the instance receives: the user data after cloud-init
 * multipart assembly, before base64. When every value is known at synth that is exact. A
 * startup script with deploy-time values (another service's IPs) is a Terraform template that
 * Terraform renders at apply: only its literal text outside `%{ if }`/`%{ for }` blocks is
 * certain to be in the result, so that is what is counted (a lower bound), and going over the
 * limit with the deploy-time values is left to the cloud (README, Blueprints).
 */
import { ButterError, ErrorLocation } from '../../errors';

/** EC2's user data limit, in bytes before base64. */
export const AWS_USER_DATA_MAX_BYTES = 16 * 1024;

/** Compute Engine's limit for one metadata value, in bytes. */
export const GOOGLE_METADATA_VALUE_MAX_BYTES = 256 * 1024;

/** What {@link renderedSize} found. */
export interface RenderedSize {
  /** UTF-8 bytes of the rendered text: exact, or (with `exact` false) the least it will be. */
  readonly bytes: number;
  /** False when the template holds deploy-time interpolations or directives. */
  readonly exact: boolean;
}

/**
 * The UTF-8 size of what Terraform renders from `template` (Terraform template text as Butter
 * writes it into Terraform JSON: literal `${`/`%{` escaped as `$${`/`%%{`). Interpolations
 * and directives count as nothing, and literal text inside a directive block (which may be
 * skipped, or repeated) is not counted. Linear in the template's length.
 */
export function renderedSize(template: string): RenderedSize {
  let bytes = 0;
  let exact = true;
  let blocks = 0; // open %{ if } / %{ for } blocks
  let i = 0;
  const n = template.length;
  while (i < n) {
    const c = template[i];
    const next = template[i + 1];
    if ((c === '$' || c === '%') && next === c && template[i + 2] === '{') {
      // `$${` / `%%{`: a literal `${` / `%{`, two bytes.
      if (blocks === 0) bytes += 2;
      i += 3;
      continue;
    }
    if ((c === '$' || c === '%') && next === '{') {
      exact = false;
      const end = closingBrace(template, i + 2);
      if (c === '%') {
        const word = /^~?\s*(\w+)/.exec(template.slice(i + 2, Math.min(end, i + 40)))?.[1];
        if (word === 'if' || word === 'for') blocks++;
        else if ((word === 'endif' || word === 'endfor') && blocks > 0) blocks--;
      }
      i = end + 1;
      continue;
    }
    if (blocks === 0) bytes += utf8Length(template, i);
    // A surrogate pair is one character of four bytes: skip both halves.
    i += isHighSurrogate(template.charCodeAt(i)) && i + 1 < n ? 2 : 1;
  }
  return { bytes, exact };
}

/**
 * Index of the `}` closing an interpolation or directive whose body starts at `start`, skipping
 * quoted strings (with their escapes and nested templates) and nested braces; the template's
 * end when it is not closed.
 */
function closingBrace(text: string, start: number, nesting = 0): number {
  // Butter's own expressions nest a few levels; deeper is not a template Butter wrote, and
  // recursing on would overflow the stack: treat it as running to the end.
  if (nesting > MAX_NESTING) return text.length;
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = closingQuote(text, i + 1, nesting + 1) + 1;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
    i++;
  }
  return text.length;
}

const MAX_NESTING = 64;

/** Index of the `"` ending a quoted HCL string whose text starts at `start`. */
function closingQuote(text: string, start: number, nesting: number): number {
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i;
    else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') i += 3;
    else if ((c === '$' || c === '%') && text[i + 1] === '{') i = closingBrace(text, i + 2, nesting + 1) + 1;
    else i++;
  }
  return text.length;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** UTF-8 bytes of the character at `i` (a surrogate pair counts as one 4-byte character). */
function utf8Length(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (isHighSurrogate(code) && i + 1 < text.length) return 4;
  return 3;
}

/**
 * Throws `USER_DATA_TOO_LARGE` when the startup script `template` renders to more than the
 * cloud allows (see the module comment), naming the blueprint's `initialization` key and the
 * size. `where` says whose blueprint it is.
 */
export function checkUserDataSize(cloud: 'aws' | 'google', template: string, where: ErrorLocation): void {
  const limit = cloud === 'aws' ? AWS_USER_DATA_MAX_BYTES : GOOGLE_METADATA_VALUE_MAX_BYTES;
  const { bytes, exact } = renderedSize(template);
  if (bytes <= limit) return;
  const what = cloud === 'aws'
    ? `the rendered startup script is ${bytes.toLocaleString('en-US')} bytes${exact ? '' : ' before its deploy-time values'}; EC2 accepts at most ${limit.toLocaleString('en-US')} bytes of user data (before base64)`
    : `the rendered startup script is ${bytes.toLocaleString('en-US')} bytes${exact ? '' : ' before its deploy-time values'}; a Compute Engine metadata value holds at most ${limit.toLocaleString('en-US')} bytes`;
  throw new ButterError('USER_DATA_TOO_LARGE', what, {
    ...where,
    key: 'initialization',
    hint: 'make the startup scripts smaller: have them download what they install (from a bucket or a package repository) ' +
      'instead of carrying it, compress large files (a #cloud-config write_files entry with `encoding: gz+b64`), ' +
      'or bake it into the image',
  });
}
