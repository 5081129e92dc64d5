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
  // Rendered errors carry "(path) [Line N, Column M]\n  Error: ..." in the message; parse errors
  // carry the (already 1-based) line on the object.
  const located = /\[Line (\d+), Column \d+\]/.exec(raw);
  let line: number | undefined = typeof err.lineno === 'number' ? err.lineno : undefined;
  if (located) {
    line = Number(located[1]);
    // nunjucks reports output-of-undefined errors 1-based but every other runtime error 0-based.
    if (!raw.includes('attempted to output null or undefined value')) line += 1;
  }
  const detail = raw
    .replace(/^\([^)]*\)( \[Line \d+, Column \d+\])?\s*/, '')
    .replace(/^Error: /, '')
    .trim();
  return phase === 'parse'
    ? templateError('TEMPLATE_SYNTAX_ERROR', `template syntax error: ${detail}`, origin, line)
    : templateError('TEMPLATE_RENDER_FAILED', `template rendering failed: ${detail}`, origin, line);
}
