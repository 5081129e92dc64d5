import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as nunjucks from 'nunjucks';
import { compileTemplate, DeployTimeValue, renderTemplate } from '../../../../src/planning/templating';
import { butterErrorOf } from '../../../helpers/errors';

/**
 * Known ways out of a nunjucks template into JavaScript, each carrying a payload that would
 * create a marker file. Every one must be refused with a ButterError naming the file and line,
 * on both paths (rendering at synth, compiling for deploy-time values), and the marker must not
 * exist afterwards: the payload did not run.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-sandbox-'));
const marker = path.join(dir, 'pwned');
/** JavaScript that creates the marker file if it ever runs. */
const payload = `process.getBuiltinModule('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`;
const P = JSON.stringify(payload);

const origin = { file: '/bp/scripts/evil.sh' };
const vars = {
  x: 'text',
  k: 'constructor',
  items: [{ name: 'b' }, { name: 'a' }],
  cfg: { port: 80 },
};

afterEach(() => fs.rmSync(marker, { force: true }));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Case = [title: string, source: string, line: number, code?: string];

const corpus: Case[] = [
  ['range.constructor', `{{ range.constructor(${P})() }}`, 1],
  ['cycler.constructor', `ok\n{{ cycler.constructor(${P})() }}`, 2],
  ['joiner.constructor', `{{ joiner.constructor(${P})() }}`, 1],
  ["''.constructor.constructor", `{{ ''.constructor.constructor(${P})() }}`, 1],
  ['a string variable\'s constructor', `\n\n{{ x.constructor.constructor(${P})() }}`, 3],
  ['a computed key built from parts', `{% set F = range['constru' + 'ctor'] %}{% set g = F(${P}) %}{{ g() }}`, 1],
  ['a computed key joined with ~', `\n{% set F = x['constr' ~ 'uctor'] %}`, 2],
  ['a key from {% set %}', `{% set c = 'constructor' %}\n{{ range[c] }}`, 2],
  ['a key from a template variable', `{% set f = range[k] %}{% set g = f(${P}) %}{{ g() }}`, 1],
  ['calling a computed lookup', `{{ range[k](${P})() }}`, 1],
  ['calling the result of a call', `{% set F = range %}{{ F(${P})() }}`, 1],
  ['__proto__ by dot', '{{ cfg.__proto__ }}', 1],
  ['__proto__ by subscript', `{{ cfg["__proto__"]["constructor"](${P}) }}`, 1],
  ['prototype', '{{ range.prototype }}', 1],
  ['a bare constructor name', `{{ constructor.constructor(${P})() }}`, 1],
  ['set to __proto__', '{% set __proto__ = cfg %}', 1],
  ['a dict key __proto__', '{{ {"__proto__": cfg} }}', 1],
  ['a keyword argument __proto__', '{{ range(3, __proto__=1) }}', 1],
  ['a macro\'s constructor', `{% macro m() %}{% endmacro %}\n{{ m.constructor(${P})() }}`, 2],
  ['caller\'s constructor', `{% macro m() %}{{ caller.constructor(${P})() }}{% endmacro %}{% call m() %}x{% endcall %}`, 1],
  ['Function.prototype.call through a method name', '{{ range.call(null, 3) }}', 1],
  ['a property of a function', '{% set f = range %}\n\n{{ f["bind"] }}', 3],
  ['an unsafe method by value', '{% set v = x.valueOf %}', 1],
  ['toString.constructor', `{{ x.toString.constructor(${P})() }}`, 1],
  ['sort(attribute=constructor)', '{{ items | sort(false, false, "constructor") | join }}', 1],
  ['sort by a dotted attribute', '\n{{ items | sort(attribute="name.constructor") | join }}', 2],
  ['sort by a computed attribute', '{{ items | sort(false, false, k) | join }}', 1],
  ['join on an attribute', '{{ items | join(",", "constructor") }}', 1],
  ['groupby constructor', '{{ items | groupby("constructor") }}', 1],
  ['selectattr __proto__', '{{ items | selectattr("__proto__") | length }}', 1],
  ['the attr filter', '{{ x | attr("constructor") }}', 1, 'TEMPLATE_UNKNOWN_FILTER'],
  ['the map filter', '{{ items | map(attribute="constructor") }}', 1, 'TEMPLATE_UNKNOWN_FILTER'],
  ['an inherited "filter" handing out nunjucks\' context', '{% set c = x | valueOf %}{{ c.env.opts | dump }}', 1, 'TEMPLATE_UNKNOWN_FILTER'],
  ['an inherited "test"', '{{ x is valueOf }}', 1, 'TEMPLATE_UNKNOWN_FILTER'],
  ['a regular expression (ReDoS)', '{{ x | replace(r/(a+)+$/, "b") }}', 1],
  ['the sandbox\'s own key guard', '{{ __butter_key__("constructor") }}', 1],
  ['a mutating method', '{{ items.push(1) }}', 1],
  ['a huge range', '\n{{ range(100000000) | length }}', 2],
  ['nested loops past the budget', '{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}', 1],
  ['a huge indent', '{{ x | indent(100000000) }}', 1],
  ['a huge slice', '{{ items | slice(1000000000) | length }}', 1],
  ['text doubled in a loop', '{% set s = "x" %}\n{% for i in range(40) %}{% set s = s ~ s %}{% endfor %}', 2],
  ['text doubled with +', '{% set s = "x" %}{% for i in range(40) %}{% set s = s + s %}{% endfor %}', 1],
  ['joining with a huge separator', '{% set big = range(9999) | join("yyyyyyyyyy") %}\n{{ range(10000) | join(big) }}', 2],
  ['joining by method with a huge separator', '{% set big = range(9999) | join("yyyyyyyyyy") %}{{ range(10000).join(big) }}', 1],
  ['replacing the empty string with a huge text', '{% set big = range(9999) | join("yyyyyyyyyy") %}{{ big | replace("", big) }}', 1],
  ['a string concat of many huge arguments', '{% set big = range(9999) | join("yyyyyyyyyy") %}{{ x.concat(big, big, big) }}', 1],
  ['loops printing literal text', `{% for i in range(10000) %}{% for j in range(9) %}${'y'.repeat(100)}{% endfor %}{% endfor %}`, 1],
];

describe('the template sandbox refuses known escapes', () => {
  test('the corpus is large enough', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(10);
  });

  test('control: in plain nunjucks the payload runs (so the marker check can fail)', () => {
    nunjucks.renderString(`{{ range.constructor(${P})() }}`, {});
    expect(fs.existsSync(marker)).toBe(true);
    fs.rmSync(marker);
    nunjucks.renderString(`{% set c = 'constructor' %}{{ range[c](${P})() }}`, {});
    expect(fs.existsSync(marker)).toBe(true);
  });

  describe.each([
    ['rendering', (source: string) => renderTemplate(source, vars, origin)],
    [
      'compiling with a deploy-time value',
      (source: string) => compileTemplate(`{{ ips }}\n${source}`, { ...vars, ips: new DeployTimeValue('var.ips', 'list') }, origin),
    ],
  ])('%s', (mode, run) => {
    const shift = mode === 'rendering' ? 0 : 1;
    test.each(corpus)('%s', (_title, source, line, code = 'TEMPLATE_FORBIDDEN') => {
      const e = butterErrorOf(() => run(source));
      expect(e.code).toBe(code);
      expect(e.file).toBe(origin.file);
      expect(e.key).toBe(`line ${line + shift}`);
      expect(e.message).toContain(`${origin.file}: line ${line + shift}: `);
      expect(fs.existsSync(marker)).toBe(false);
    });
  });
});

describe('what templates may do is unchanged', () => {
  const render = (source: string, extra: Record<string, unknown> = {}) => renderTemplate(source, { ...vars, ...extra }, origin);

  test('capped filters work below their caps', () => {
    expect(render('{{ "a\nb" | indent(2) }}|{{ "x" | center(5) }}|{{ range(5) | slice(2) | length }}|{{ "ab" | replace("", "-") }}')).toBe('a\n  b|  x  |2|-a-b-');
  });

  test('concatenation and addition keep their meaning', () => {
    expect(render('{{ "a" ~ 1 ~ none }} {{ 1 + 2 }} {{ "1" + 2 }} {{ items | length ~ "" }}')).toBe('a1null 3 12 2');
  });

  test('safe methods of strings and lists, bound to their value', () => {
    expect(render('{{ "a,b".split(",") | join("-") }} {{ x.toUpperCase() }} {{ items.slice(1).length }}')).toBe('a-b TEXT 1');
  });

  test('globals: range, cycler, joiner', () => {
    expect(render('{% set c = cycler("a", "b") %}{{ c.next() }}{{ c.next() }}{{ c.next() }}{{ c.current }}')).toBe('abaa');
    expect(render('{% set j = joiner(", ") %}{% for i in range(1, 7, 2) %}{{ j() }}{{ i }}{% endfor %}')).toBe('1, 3, 5');
  });

  test('macros and call blocks', () => {
    expect(render('{% macro b(t) %}[{{ t }}{{ caller() if caller }}]{% endmacro %}{{ b("x") }}{% call b("y") %}!{% endcall %}')).toBe('[x][y!]');
  });

  test('keys computed from data, and attributes written out', () => {
    expect(render('{% set key = "port" %}{{ cfg[key] }} {{ items | sort(attribute="name") | join(",", "name") }}')).toBe('80 a,b');
  });

  test('functions passed in by code can be called, but not taken apart', () => {
    const greet = (n: string) => `hi ${n}`;
    expect(render('{{ greet("ann") }}', { greet })).toBe('hi ann');
    expect(butterErrorOf(() => render('{{ greet.constructor }}', { greet })).code).toBe('TEMPLATE_FORBIDDEN');
  });

  test('variables named like Object.prototype members read as undefined, not as inherited functions', () => {
    expect(render('{{ hasOwnProperty is defined }}', { hasOwnProperty: undefined })).toBe('false');
  });
});

describe('the deploy-time path is held to the same rule', () => {
  test('static loops unrolled around a deploy-time value count against the loop budget', () => {
    const started = Date.now();
    const e = butterErrorOf(() =>
      compileTemplate('{% for i in range(10000) %}\n{% for j in range(10000) %}{% set x = ips %}{% endfor %}{% endfor %}', { ips: new DeployTimeValue('var.ips', 'list') }, origin));
    expect(e.code).toBe('TEMPLATE_FORBIDDEN');
    expect(e.problem).toMatch(/loops run more than/);
    expect(e.key).toBe('line 2');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('static text printed around deploy-time values counts against the text budget', () => {
    const e = butterErrorOf(() =>
      compileTemplate(`{% for i in range(9000) %}{{ ips }}${'z'.repeat(200)}{% endfor %}`, { ips: new DeployTimeValue('var.ips', 'list') }, origin));
    expect(e.code).toBe('TEMPLATE_FORBIDDEN');
    expect(e.problem).toMatch(/prints more than/);
  });

  test('a forbidden key computed from static values and used on a deploy-time value', () => {
    const e = butterErrorOf(() =>
      compileTemplate('{% set c = "constr" ~ "uctor" %}\n{{ cfg[c] }}', { cfg: new DeployTimeValue('var.cfg', 'map') }, origin));
    expect(e.code).toBe('TEMPLATE_FORBIDDEN');
    expect(e.key).toBe('line 2');
  });

  test('an allowed computed key on a deploy-time value still compiles', () => {
    const out = compileTemplate('{% set c = "po" ~ "rt" %}{{ cfg[c] }}', { cfg: new DeployTimeValue('var.cfg', 'map') }, origin);
    expect(out.text).toBe('${var.cfg.port}');
  });
});

describe('keys that are not plain names or numbers', () => {
  test('a list as a key (JavaScript would read it as "constructor") is refused', () => {
    const e = butterErrorOf(() => renderTemplate('{% set f = range[key] %}', { key: ['constructor'] }, origin));
    expect(e.code).toBe('TEMPLATE_FORBIDDEN');
    expect(e.key).toBe('line 1');
  });

  test('a safe string key is checked as text, and an unset key reads nothing', () => {
    expect(butterErrorOf(() => renderTemplate('{{ range[k | safe] }}', vars, origin)).code).toBe('TEMPLATE_FORBIDDEN');
    expect(renderTemplate('{{ cfg["port" | safe] }} {{ cfg[nothing] | default("none") }}', { ...vars, nothing: undefined }, origin)).toBe('80 none');
  });
});
