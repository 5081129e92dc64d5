import { ButterError } from '../../../../src/errors';
import { compileTemplate, DeployTimeValue } from '../../../../src/planning/templating';
import { butterErrorOf } from '../../../helpers/errors';

const ips = new DeployTimeValue('data.aws_instances.web.private_ips', 'list');
const origin = { file: '/blueprints/scripts/haproxy.yaml' };

function compile(source: string, vars: Record<string, unknown> = {}) {
  return compileTemplate(source, { PrivateIps: ips, ...vars }, origin);
}

function compileError(source: string, vars: Record<string, unknown> = {}): ButterError {
  return butterErrorOf(() => compile(source, vars));
}

describe('compileTemplate without deploy-time values', () => {
  test('renders with nunjucks and escapes the result for Terraform', () => {
    const out = compileTemplate('echo ${HOME} %{x} {{ name }}', { name: 'web' }, origin);
    expect(out).toEqual({ text: 'echo $${HOME} %%{x} web', deployTime: false });
  });
});

describe('compileTemplate with deploy-time values', () => {
  test('the seed HAProxy template becomes a Terraform for loop', () => {
    const source = [
      'backend web',
      '{% for ip in PrivateIps %}',
      '  server web{{ loop.index }} {{ ip }}:{{ port }} check',
      '{% endfor %}',
      '',
    ].join('\n');
    expect(compile(source, { port: 8080 })).toEqual({
      deployTime: true,
      text: [
        'backend web',
        '%{ for i, ip in data.aws_instances.web.private_ips }',
        '  server web${i + 1} ${ip}:8080 check',
        '%{ endfor }',
        '',
      ].join('\n'),
    });
  });

  test('whitespace control is applied to the literal text, so directives need no ~', () => {
    const out = compile('a\n{%- for ip in PrivateIps -%}\n  {{ ip }}\n{%- endfor -%}\nb');
    expect(out.text).toBe('a%{ for ip in data.aws_instances.web.private_ips }${ip}%{ endfor }b');
  });

  test('static parts are rendered now, with any filter; literal text is escaped', () => {
    const out = compile('{{ name | title }} ${HOME} {{ PrivateIps | join(" ") }}', { name: 'web front' });
    expect(out.text).toBe('Web Front $${HOME} ${join(" ", data.aws_instances.web.private_ips)}');
  });

  test('a template that never reads its deploy-time values is plain text', () => {
    expect(compile('hello {{ name }}', { name: 'x' })).toEqual({ text: 'hello x', deployTime: false });
  });

  test('static lists and objects are inlined as Terraform literals', () => {
    const out = compile('{% for ip in PrivateIps %}{{ ports[loop.index0] }}{{ cfg[ip] }}{% endfor %}', {
      ports: [80, 443],
      cfg: { 'a b': 'x"y' },
    });
    expect(out.text).toBe(
      '%{ for i, ip in data.aws_instances.web.private_ips }${[80, 443][i]}${{ "a b" = "x\\"y" }[ip]}%{ endfor }',
    );
  });

  test('a static if keeps only the branch taken', () => {
    expect(
      compile('{% if debug %}{{ PrivateIps }}{% else %}{{ PrivateIps | length }}{% endif %}', { debug: false }).text,
    ).toBe('${length(data.aws_instances.web.private_ips)}');
  });

  test('loop variables do not shadow Terraform names used by deploy-time expressions', () => {
    const out = compile('{% for data in PrivateIps %}{{ data }}{% endfor %}');
    expect(out.text).toBe('%{ for data2 in data.aws_instances.web.private_ips }${data2}%{ endfor }');
  });

  test('deploy-time values may sit inside static structures', () => {
    const out = compileTemplate(
      '{{ lb.dns }}:{{ lb.port }}',
      { lb: { dns: new DeployTimeValue('aws_lb.front.dns_name', 'string'), port: 80 } },
      origin,
    );
    expect(out.text).toBe(
      '${{ "dns" = aws_lb.front.dns_name, "port" = 80 }.dns}:${{ "dns" = aws_lb.front.dns_name, "port" = 80 }.port}',
    );
  });

  test('`{% set %}` of a deploy-time expression is an alias', () => {
    expect(compile('{% set n = PrivateIps | length %}{{ n }} {{ n + 1 }}').text).toBe(
      '${length(data.aws_instances.web.private_ips)} ${length(data.aws_instances.web.private_ips) + 1}',
    );
  });
});

describe('constructs Terraform cannot evaluate', () => {
  test.each([
    ['{% macro m() %}x{% endmacro %}{{ PrivateIps }}', '{% macro %}', 1],
    ['{{ PrivateIps }}\n{% include "other.j2" %}', '{% include %}', 2],
    ['\n\n{{ PrivateIps | sort | join }}', 'the "sort" filter', 3],
    ['{{ 1 < PrivateIps | length < 5 }}', 'a chained comparison', 1],
    ['{% for ip in PrivateIps %}{{ loop.depth }}{% endfor %}', 'loop.depth', 1],
    ['{% if PrivateIps %}{% set x = 1 %}{% endif %}', '{% set %}', 1],
    ['{% set x = 1 %}{% for ip in PrivateIps %}{% set x = ip %}{% endfor %}{{ x }}', '{% set %}', 1],
    ['{% set x %}{{ PrivateIps }}{% endset %}', '{% set %}...{% endset %}', 1],
    ['{{ PrivateIps | join(sep=",") }}', 'the "join" filter', 1],
    ['{{ PrivateIps.join(",") }}', 'PrivateIps.join()', 1],
    ['{{ m }}', 'printing a map', 1],
    ['{% for c in s %}{{ c }}{% endfor %}', '{% for %}', 1],
  ])('%s', (source, what, line) => {
    const e = compileError(source, {
      m: new DeployTimeValue('var.m', 'map'),
      s: new DeployTimeValue('var.s', 'string'),
    });
    expect(e.code).toBe('TEMPLATE_UNSUPPORTED_FOR_DEPLOY_TIME');
    expect(e.problem).toContain(what);
    expect(e.file).toBe(origin.file);
    expect(e.key).toBe(`line ${line}`);
    expect(e.hint).toMatch(/render this part from static values/);
  });

  test('unsupported filters are fine on static values in the same template', () => {
    expect(() =>
      compile('{{ names | sort | join(",") }} {{ PrivateIps | join }}', { names: ['b', 'a'] }),
    ).not.toThrow();
  });
});

describe('DeployTimeValue', () => {
  test('rejects empty and ${}-wrapped expressions', () => {
    expect(() => new DeployTimeValue(' ')).toThrow(/empty/);
    expect(() => new DeployTimeValue('${var.x}')).toThrow(/pass the bare expression: var.x/);
    expect(() => new DeployTimeValue('${var.a}-${var.b}')).toThrow(/TEMPLATE_VAR_INVALID/);
    expect(() => new DeployTimeValue('${TfToken[TOKEN.12]}')).toThrow(/cdktf token/);
    expect(new DeployTimeValue('"${var.a}-${var.b}"', 'string').expression).toBe('"${var.a}-${var.b}"');
  });

  test('renderTemplate refuses deploy-time values', () => {
    const { renderTemplate } = jest.requireActual('../../../../src/planning/templating');
    expect(() => renderTemplate('{{ x }}', { x: ips }, origin)).toThrow(/TEMPLATE_VAR_INVALID/);
  });
});
