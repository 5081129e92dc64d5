/**
 * Combining several startup scripts into one instance user-data document, as cloud-init's MIME
 * multipart format.
 *
 * Parts are written as-is (no base64 or quoted-printable transfer encoding) so that Terraform
 * template syntax inside a compiled part (`${...}`, `%{ for }`) still works when the document is
 * put into Terraform JSON. Lines end in `\n`: cloud-init reads multipart data with Python's email
 * parser, which accepts bare LF line endings.
 */
import type { TerraformTemplate } from './terraform-text';

/** One startup script for {@link cloudInitMultipart}. */
export interface CloudInitPart<Content extends string = string> {
  /** Shown to cloud-init as the part's filename (it names the file scripts are saved as). */
  readonly filename: string;
  /** The script or config text (may be a Terraform template). */
  readonly content: Content;
}

/** The boundary used unless a part happens to contain it. Fixed, so snapshots are stable. */
export const CLOUD_INIT_BOUNDARY = 'BUTTER-CLOUD-INIT-BOUNDARY';

/**
 * Header lines cloud-init recognises (see its "user data formats") and the MIME type of each.
 * Longer prefixes first: `#cloud-config-archive` must not be taken for `#cloud-config`.
 */
const CONTENT_TYPES: ReadonlyArray<readonly [prefix: string, type: string]> = [
  ['#cloud-config-archive', 'text/cloud-config-archive'],
  ['#cloud-config', 'text/cloud-config'],
  ['#cloud-boothook', 'text/cloud-boothook'],
  ['#include-once', 'text/x-include-once-url'],
  ['#include', 'text/x-include-url'],
  ['#part-handler', 'text/part-handler'],
  ['#upstart-job', 'text/upstart-job'],
  ['## template: jinja', 'text/jinja2'],
  ['#!', 'text/x-shellscript'],
];

/** MIME type for content whose first line cloud-init would not recognise. */
const FALLBACK_CONTENT_TYPE = 'text/x-shellscript';

/** The MIME content type cloud-init expects for a part, from its first line. */
export function cloudInitContentType(content: string): string {
  const start = content.replace(/^\uFEFF/, '');
  return CONTENT_TYPES.find(([prefix]) => start.startsWith(prefix))?.[1] ?? FALLBACK_CONTENT_TYPE;
}

/**
 * The user data for a list of startup scripts: a single part unchanged, several as a MIME
 * `multipart/mixed` document (each part typed by its first line), none as the empty string.
 * Deterministic: the same parts always give the same text.
 *
 * The MIME headers added contain no `${` or `%{`, so when every part is Terraform template text
 * (from `compileTemplate`) so is the result, and it can go into Terraform JSON as-is.
 */
export function cloudInitMultipart(parts: readonly CloudInitPart<TerraformTemplate>[]): TerraformTemplate;
export function cloudInitMultipart(parts: readonly CloudInitPart[]): string;
export function cloudInitMultipart(parts: readonly CloudInitPart[]): string {
  if (parts.length === 0) return '';
  if (parts.length === 1) return parts[0].content;

  const boundary = chooseBoundary(parts);
  const lines = [`Content-Type: multipart/mixed; boundary="${boundary}"`, 'MIME-Version: 1.0', ''];
  for (const part of parts) {
    lines.push(
      `--${boundary}`,
      `Content-Type: ${cloudInitContentType(part.content)}; charset="utf-8"`,
      'MIME-Version: 1.0',
      // 7bit/8bit declare "sent as is"; 8bit once any byte is outside ASCII.
      `Content-Transfer-Encoding: ${/^[\x00-\x7f]*$/.test(part.content) ? '7bit' : '8bit'}`,
      `Content-Disposition: attachment; filename="${headerSafe(part.filename)}"`,
      '',
      // The line break before the next boundary belongs to the boundary, not to the content.
      part.content,
    );
  }
  lines.push(`--${boundary}--`, '');
  return lines.join('\n');
}

/** The fixed boundary, suffixed with a counter in the unlikely case a part contains it. */
function chooseBoundary(parts: readonly CloudInitPart[]): string {
  let boundary = CLOUD_INIT_BOUNDARY;
  for (let n = 2; parts.some((p) => p.content.includes(`--${boundary}`)); n++) boundary = `${CLOUD_INIT_BOUNDARY}-${n}`;
  return boundary;
}

/**
 * A filename fit for a quoted header parameter (no line breaks, quotes or backslashes) and for a
 * Terraform template (no braces, so no `${` or `%{`).
 */
function headerSafe(filename: string): string {
  return filename.replace(/[\r\n"\\{}]/g, '_');
}
