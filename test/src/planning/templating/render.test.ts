import { ButterError } from '../../../../src/errors';
import { renderTemplate } from '../../../../src/planning/templating';
import { butterErrorOf } from '../../../helpers/errors';

const origin = { file: '/bp/scripts/setup.sh' };

function renderError(source: string, vars: Record<string, unknown>): ButterError {
  return butterErrorOf(() => renderTemplate(source, vars, origin));
}

describe('renderTemplate', () => {
  test('renders jinja2 syntax without HTML escaping and returns plain (unescaped) text', () => {
    const source = [
      '#!/bin/bash',
      '{% for u in users -%}',
      'useradd {{ u.name }}{% if u.admin %} -G sudo{% endif %}',
      '{% endfor -%}',
      'echo "<{{ greeting | upper }}> & ${HOME}"',
    ].join('\n');
    const out = renderTemplate(
      source,
      { users: [{ name: 'ann', admin: true }, { name: 'bob' }], greeting: 'hi' },
      origin,
    );
    expect(out).toBe('#!/bin/bash\nuseradd ann -G sudo\nuseradd bob\necho "<HI> & ${HOME}"');
  });

  test('declared-but-unset variables work with default and "is defined"', () => {
    const out = renderTemplate(
      '{{ port | default(80) }} {% if port is defined %}set{% else %}unset{% endif %}',
      { port: undefined },
      origin,
    );
    expect(out).toBe('80 unset');
  });

  test('printing an unset variable is an error with its line', () => {
    const e = renderError('line one\n\nvalue: {{ port }}', { port: undefined });
    expect(e.code).toBe('TEMPLATE_RENDER_FAILED');
    expect(e.key).toBe('line 3');
    expect(e.file).toBe(origin.file);
    expect(e.problem).toMatch(/undefined/);
  });

  test('a variable neither declared nor given is reported with its line and a suggestion', () => {
    const e = renderError('a\n{% if true %}\n  {{ prot }}\n{% endif %}', { port: 1 });
    expect(e.code).toBe('TEMPLATE_VAR_UNDECLARED');
    expect(e.key).toBe('line 3');
    expect(e.problem).toBe('template uses variable "prot", which is neither declared nor given (did you mean "port"?)');
    expect(e.hint).toMatch(/templateVars: \{ prot: \.\.\. \}/);
  });

  test('names the template binds itself are not variables', () => {
    const source =
      '{% set x = 1 %}{% for a, b in pairs %}{{ a }}{{ b }}{{ loop.index }}{% endfor %}{{ x }}{{ range(2) | join }}';
    expect(renderTemplate(source, { pairs: [[1, 2]] }, origin)).toBe('121101');
  });

  test('syntax errors carry the line', () => {
    const e = renderError('ok\n{% if %}', {});
    expect(e.code).toBe('TEMPLATE_SYNTAX_ERROR');
    expect(e.key).toBe('line 2');
  });

  test('unknown filters are reported with their line', () => {
    const e = renderError('\n{{ x | shout }}', { x: 1 });
    expect(e.code).toBe('TEMPLATE_UNKNOWN_FILTER');
    expect(e.key).toBe('line 2');
  });

  test('runtime errors carry the line (nunjucks reports most of them 0-based)', () => {
    const e = renderError('a\n\n{{ x.join() }}', { x: {} });
    expect(e.code).toBe('TEMPLATE_RENDER_FAILED');
    expect(e.key).toBe('line 3');
  });

  test('includes fail: startup scripts are self-contained', () => {
    expect(renderError('{% include "x.j2" %}', {}).code).toBe('TEMPLATE_RENDER_FAILED');
  });
});
