/**
 * Errors about a template, located by file and line. The line goes in the error's `key`
 * (`line 12`), so messages read `scripts/haproxy.yaml: line 12: ...`.
 */
import { ButterError } from '../../errors';
import { describeNode, NjNode } from './nunjucks-ast';
import { DEPLOY_TIME_FILTERS } from './supported';

/** Where a template came from, for error messages. */
export interface TemplateOrigin {
  /** The template's file (the startup script). @default - none (a template built in code) */
  readonly file?: string;
}

/** Error code for everything the template sandbox (sandbox.ts) refuses. */
export const SANDBOX_ERROR = 'TEMPLATE_FORBIDDEN';

/** The fix offered with every sandbox refusal. */
export const SANDBOX_HINT =
  'templates work on the values they are given: their variables, keys and items, filters, and ' +
  'range()/cycler()/joiner(); a template that reaches for more is refused, since blueprints may come from anyone';

/** The error name nunjucks prints before a sandbox guard's message at render time. */
export const SANDBOX_VIOLATION = 'ButterSandbox';

/** Error location key for a 1-based line number. */
export function lineKey(line: number | undefined): string | undefined {
  return line === undefined ? undefined : `line ${line}`;
}

/** 1-based line of an AST node. */
export function nodeLine(node: NjNode): number {
  return node.lineno + 1;
}

/** A ButterError located at a template line. */
export function templateError(
  code: string,
  problem: string,
  origin: TemplateOrigin,
  line: number | undefined,
  hint?: string,
): ButterError {
  return new ButterError(code, problem, { file: origin.file, key: lineKey(line), hint });
}

/**
 * The error for template syntax the deploy-time compiler cannot turn into Terraform.
 * @param what The construct as the user wrote it, e.g. `{% macro %}`; defaults to a description of
 *   the node.
 */
export function unsupportedForDeployTime(
  node: NjNode,
  origin: TemplateOrigin,
  why: string,
  what: string = describeNode(node),
): ButterError {
  return templateError(
    'TEMPLATE_UNSUPPORTED_FOR_DEPLOY_TIME',
    `${what} cannot be compiled to a Terraform template: ${why}`,
    origin,
    nodeLine(node),
    'this template uses deploy-time values, so Terraform has to evaluate it; either render this ' +
      'part from static values only (pass plain values, not deploy-time ones, to the variables ' +
      'it uses) or simplify it to {{ }}, {% if %}/{% elif %}/{% else %}, {% for %}, {% set x = ... %} ' +
      `and the filters ${DEPLOY_TIME_FILTERS.join(', ')}`,
  );
}

/**
 * Turn an error nunjucks threw while parsing or rendering into a ButterError with the line.
 * Errors that are already ButterErrors pass through.
 */
export function fromNunjucksError(e: unknown, origin: TemplateOrigin, phase: 'parse' | 'render'): ButterError {
  if (e instanceof ButterError) return e;
  const err = e as { message?: string; lineno?: number };
  const raw = String(err.message ?? e);
  // Parse errors carry the (already 1-based) line on the object. Render errors carry nunjucks'
  // line too (the environment runs with `dev`, which keeps the error object): 0-based, except
  // for output-of-undefined errors, which nunjucks reports 1-based. Their message says
  // "(path) [Line N, Column M]", but only when both are non-zero, so the first line of a
  // template would go unnamed if the message were the only source.
  let line: number | undefined = typeof err.lineno === 'number' ? err.lineno : undefined;
  const located = /\[Line (\d+)(?:, Column \d+)?\]/.exec(raw);
  if (phase === 'render') {
    if (line === undefined && located) line = Number(located[1]);
    if (line !== undefined && !raw.includes('attempted to output null or undefined value')) line += 1;
  }
  const detail = raw
    .replace(/^\([^)]*\)( \[Line \d+(, Column \d+)?\])?\s*/, '')
    .replace(/^Error: /, '')
    .trim();
  if (detail.startsWith(`${SANDBOX_VIOLATION}: `)) {
    return templateError(SANDBOX_ERROR, detail.slice(SANDBOX_VIOLATION.length + 2), origin, line, SANDBOX_HINT);
  }
  return phase === 'parse'
    ? templateError('TEMPLATE_SYNTAX_ERROR', `template syntax error: ${detail}`, origin, line)
    : templateError('TEMPLATE_RENDER_FAILED', `template rendering failed: ${detail}`, origin, line);
}
