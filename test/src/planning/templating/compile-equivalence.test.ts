/**
 * The deploy-time compiler's contract: a compiled template, evaluated by Terraform with the
 * deploy-time values filled in, prints exactly what nunjucks prints when rendering the template
 * with those values. Checked against the real `terraform` CLI, all cases in one run.
 */
import {
  cloudInitMultipart,
  compileTemplate,
  DeployTimeType,
  DeployTimeValue,
  renderTemplate,
} from '../../../../src/planning/templating';
import { evaluateWithTerraform, terraformAvailable, TfCase, TfVariable } from './terraform-eval';

interface Deploy {
  readonly value: unknown;
  /** Terraform type constraint of the variable standing in for the deploy-time value. */
  readonly tf: string;
  readonly type: DeployTimeType;
}

interface Case {
  readonly name: string;
  readonly template: string;
  readonly statics?: Record<string, unknown>;
  readonly deploy: Record<string, Deploy>;
}

const ips = (...v: string[]): Deploy => ({ value: v, tf: 'list(string)', type: 'list' });
const str = (v: string, type: DeployTimeType = 'string'): Deploy => ({ value: v, tf: 'string', type });
const num = (v: number, type: DeployTimeType = 'number'): Deploy => ({ value: v, tf: 'number', type });
const any = (v: unknown): Deploy => ({ value: v, tf: 'any', type: 'any' });

const HAPROXY = `#cloud-config
write_files:
  - path: /etc/haproxy/haproxy.cfg
    content: |
      frontend http
        bind *:{{ port }}
        default_backend web
      backend web
        balance roundrobin
{% for ip in PrivateIps %}
        server web{{ loop.index }} {{ ip }}:{{ backend_port }} check{% if loop.last %} # last of {{ loop.length }}{% endif %}
{% endfor %}
runcmd:
  - systemctl restart haproxy
`;

const CASES: Case[] = [
  {
    name: 'haproxy',
    template: HAPROXY,
    statics: { port: 80, backend_port: 8080 },
    deploy: { PrivateIps: ips('10.0.1.5', '10.0.2.7', '10.0.3.9') },
  },
  {
    name: 'whitespace_control',
    template:
      'hosts:\n{% for ip in ips -%}\n  - {{ ip }}\n{%- endfor %}\n{%- if ips %}  \nend{% endif -%}  \n  {{- " x" -}}  \n',
    deploy: { ips: ips('a', 'b') },
  },
  {
    name: 'if_elif_else',
    template:
      '{% for n in nums %}{% if n > 10 and n != 42 %}big{% elif n == 42 or n < 0 %}special{% elif not n %}zero{% else %}small{% endif %};{% endfor %}',
    deploy: { nums: { value: [0, 5, 11, 42, -1], tf: 'list(number)', type: 'list' } },
  },
  {
    name: 'truthiness_any',
    template:
      '{% for v in vals %}[{% if v %}T{% else %}F{% endif %}{% if not v %}n{% endif %}]{% endfor %}|{% if e %}E{% endif %}{% if s %}S{% endif %}',
    deploy: { vals: any(['', 0, false, 'x', '0', 3, true, [], {}]), e: any([]), s: str('') },
  },
  {
    name: 'filters',
    template: [
      '{{ ips | join(", ") }}|{{ ips | join }}|{{ ips | length }}|{{ name | upper }}|{{ name | lower }}',
      '{{ padded | trim }}|{{ name | replace("o", "0") }}|{{ path | replace("/x/", "$1") }}',
      '{{ ips | first }}|{{ ips | last }}|{{ name | first }}|{{ name | last }}|{{ ips | reverse | join("-") }}',
      '{{ neg | abs }}|{{ cfg.missing | default("dflt") }}|{{ cfg.port | default(1) }}|{{ name | default("x") }}',
      '{{ empty | default("was-empty", true) }}|{{ name | safe }}',
      '{{ block | indent(2) }}|{{ block | indent(4, true) }}|{{ empty | indent(3, true) }}',
    ].join('\n'),
    deploy: {
      ips: ips('10.0.0.1', '10.0.0.2', '10.0.0.3'),
      name: str('Foo.Example'),
      padded: str('  \t hi there \n '),
      path: str('a/x/b/x/'),
      neg: num(-4.5),
      cfg: { value: { port: '8443' }, tf: 'map(string)', type: 'map' },
      empty: str(''),
      block: str('line1\nline2\n\nline4\n'),
    },
  },
  {
    name: 'lookups',
    template:
      '{{ cfg.db.host }}:{{ cfg["db"]["port"] }} {{ ips[1] }} {% for ip in ips %}{{ ports[loop.index0] }}={{ ip }} {% endfor %}{{ ports[idx] }} {{ zones[idx] }}',
    statics: { ports: [8080, 8081, 8082], zones: ['a', 'b', 'c'] },
    deploy: {
      cfg: {
        value: { db: { host: 'db.internal', port: 5432 } },
        tf: 'object({db = object({host = string, port = number})})',
        type: 'map',
      },
      ips: ips('x', 'y', 'z'),
      idx: num(2),
    },
  },
  {
    name: 'map_loop',
    template: '{% for k, v in tags %}{{ loop.index }}:{{ k }}={{ v }}{% if not loop.last %},{% endif %}{% endfor %}',
    deploy: { tags: { value: { app: 'web', env: 'prod', team: 'core' }, tf: 'map(string)', type: 'map' } },
  },
  {
    name: 'for_else',
    template:
      '{% for ip in none_ %}{{ ip }}{% else %}no backends{% endfor %}/{% for ip in some %}{{ ip }}{% else %}none{% endfor %}',
    deploy: { none_: ips(), some: ips('1.1.1.1') },
  },
  {
    name: 'unrolled_static_loop',
    template:
      '{% for n in names %}{{ loop.index }}.{{ n }}={{ ips[loop.index0] }}{% if loop.first %}*{% endif %} {% endfor %}',
    statics: { names: ['alpha', 'beta'] },
    deploy: { ips: ips('10.1.0.1', '10.1.0.2') },
  },
  {
    name: 'set',
    template:
      '{% set n = ips | length %}{% set label = "pool" %}{{ label }}:{{ n * 2 }}{% for ip in ips %}{% set host = "web-" ~ ip %} {{ host }}{% endfor %}{% set n = 7 %} {{ n }}',
    deploy: { ips: ips('a', 'b') },
  },
  {
    name: 'escaping',
    template:
      'literal ${x} and %{y} and $${z} and %%{w}; cost: ${{ price }}; 100%{% if flag %}!{% endif %}; $${{ price }}; end$',
    deploy: { price: num(12), flag: { value: true, tf: 'bool', type: 'bool' } },
  },
  {
    name: 'operators',
    template:
      '{{ "n=" ~ n }} {{ n ~ "!" }} {{ n + 1 }} {{ "x" + n }} {{ n - 2 }} {{ n * 3 }} {{ n / 4 }} {{ n // 4 }} {{ n % 4 }} {{ n ** 2 }} {{ -n }} {{ (n + 1) * 2 }} {{ word ~ n ~ word }}',
    deploy: { n: num(10), word: str('w') },
  },
  {
    name: 'inline_if_and_or_values',
    template:
      '{{ "yes" if flag else "no" }} {{ name or "fallback" }} {{ empty or "fallback" }} {{ name and "both" }} {{ empty and "both" }}',
    deploy: { flag: { value: false, tf: 'bool', type: 'bool' }, name: str('n'), empty: str('') },
  },
  {
    name: 'in_and_tests',
    template: [
      '{% if "10.0.0.1" in ips %}has{% endif %} {% if "zz" in ips %}no{% else %}not-in{% endif %} {{ "ell" in word }} {{ "app" in tags }}',
      '{{ tags.app is defined }} {{ tags.nope is defined }} {{ tags.nope is undefined }} {{ n is odd }} {{ n is even }} {{ n is divisibleby(3) }}',
      '{{ n is eq(9) }} {{ n is gt(3) }} {{ word is lower }} {{ word is upper }} {{ word is truthy }} {{ n is ne(9) }}',
    ].join('\n'),
    deploy: {
      ips: ips('10.0.0.1'),
      word: str('hello'),
      tags: { value: { app: 'x' }, tf: 'map(string)', type: 'map' },
      n: num(9),
    },
  },
  {
    name: 'range_and_nested_loops',
    template:
      '{% for i in range(n) %}{{ i }}{% endfor %}|{% for i in range(1, n, 2) %}{{ i }}{% endfor %}|{% for x in outer %}{% for x in inner %}{{ x }}{% endfor %}{{ x }}/{% endfor %}|{% for a in outer %}{% for b in inner %}{{ loop.index }}{{ a }}{{ b }} {% endfor %}{{ loop.index }}{% endfor %}',
    deploy: { n: num(5), outer: ips('o1', 'o2'), inner: ips('i1', 'i2') },
  },
  {
    name: 'printing_values',
    template: '{{ ips }} {{ nums }} {{ ratio }} {{ flag }} {{ big }} {{ loop_free | join(",") }}',
    statics: { loop_free: [1, 2] },
    deploy: {
      ips: ips('a', 'b'),
      nums: { value: [1, 2.5], tf: 'list(number)', type: 'list' },
      ratio: num(0.25),
      flag: { value: true, tf: 'bool', type: 'bool' },
      big: num(123456789),
    },
  },
  {
    name: 'static_strings_inlined',
    template: '{{ ip ~ sep ~ ip }}|{{ [ip, odd] | join(sep) }}|{{ {"k": ip}.k }}',
    statics: { sep: ' "q" \\ \n ${x} %{y} \t é ', odd: 'a$' },
    deploy: { ip: str('1.2.3.4') },
  },
  {
    name: 'loop_attributes',
    template:
      '{% for ip in ips %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.revindex }}/{{ loop.revindex0 }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }};{% endfor %}',
    deploy: { ips: ips('a', 'b', 'c') },
  },
  {
    name: 'static_if_around_dynamic',
    template:
      '{% if enabled %}on:{{ ips | join(",") }}{% else %}off{% endif %}{% if not enabled %}never {{ ips[0] }}{% endif %}',
    statics: { enabled: true },
    deploy: { ips: ips('a', 'b') },
  },
  {
    name: 'pairs_loop',
    template: '{% for host, port in pairs %}{{ loop.index }}:{{ host }}:{{ port }} {% endfor %}',
    deploy: {
      pairs: {
        value: [
          ['a', '1'],
          ['b', '2'],
        ],
        tf: 'list(list(string))',
        type: 'list',
      },
    },
  },
  {
    name: 'set_in_unrolled_loops',
    template:
      '{% set total = 0 %}{% for n in names %}{% set total = total + 1 %}{% set ip = ips[loop.index0] %}{{ n }}@{{ ip }} {% endfor %}{{ total }}{% for n in names %}{% for ip in ips %}{% set pair = n ~ "/" ~ ip %}{{ pair }};{% endfor %}{% endfor %}',
    statics: { names: ['x', 'y'] },
    deploy: { ips: ips('1', '2') },
  },
  {
    name: 'raw_defaults_and_separators',
    template:
      '{% raw %}{{ not_a_var }} ${HOME}{% endraw %} {{ opt | default("dflt") }} {% if opt is defined %}def{% else %}undef{% endif %}\n{{ ips | join("\n") }}{% if ips | length > 1 %}\nmany{% endif %}',
    statics: { opt: undefined },
    deploy: { ips: ips('a', 'b') },
  },
  {
    name: 'nested_deploy_time_in_static_structure',
    template: '{% for b in backends %}{{ b.name }}={{ b.ip }} {% endfor %}',
    deploy: {},
  },
];

// A variable mixing static values and deploy-time values inside a list of objects.
const MIXED_VALUE = [
  { name: 'one', ip: '10.9.0.1' },
  { name: 'two', ip: '10.9.0.2' },
];

const describeIfTerraform = terraformAvailable() ? describe : describe.skip;

describeIfTerraform('compiled templates evaluate in Terraform exactly as nunjucks renders them', () => {
  const expected: Record<string, string> = {};
  const compiled: Record<string, { text: string; deployTime: boolean }> = {};
  const failures: Record<string, unknown> = {};
  let actual: Record<string, string>;

  beforeAll(() => {
    const tfCases: TfCase[] = [];
    for (const c of CASES) {
      const real: Record<string, unknown> = { ...c.statics };
      const deployTime: Record<string, unknown> = { ...c.statics };
      const variables: Record<string, TfVariable> = {};
      for (const [name, d] of Object.entries(c.deploy)) {
        const tfName = `${c.name}__${name}`;
        real[name] = d.value;
        deployTime[name] = new DeployTimeValue(`var.${tfName}`, d.type);
        variables[tfName] = { type: d.tf, value: d.value };
      }
      if (c.name === 'nested_deploy_time_in_static_structure') {
        real.backends = MIXED_VALUE;
        deployTime.backends = MIXED_VALUE.map((b, i) => ({
          name: b.name,
          ip: new DeployTimeValue(`var.mixed_ip_${i}`, 'string'),
        }));
        MIXED_VALUE.forEach((b, i) => (variables[`mixed_ip_${i}`] = { type: 'string', value: b.ip }));
      }
      try {
        expected[c.name] = renderTemplate(c.template, real, { file: `${c.name}.j2` });
        compiled[c.name] = compileTemplate(c.template, deployTime, { file: `${c.name}.j2` });
        tfCases.push({ name: c.name, template: compiled[c.name].text, variables });
      } catch (e) {
        failures[c.name] = e; // reported by the case's own test
      }
    }
    // Compiled parts combined into cloud-init multipart user data still evaluate correctly.
    const parts = ['haproxy', 'filters', 'escaping'];
    expected.multipart = cloudInitMultipart(parts.map((n) => ({ filename: `${n}.j2`, content: expected[n] })));
    compiled.multipart = {
      text: cloudInitMultipart(parts.map((n) => ({ filename: `${n}.j2`, content: compiled[n].text }))),
      deployTime: true,
    };
    tfCases.push({
      name: 'multipart',
      template: compiled.multipart.text,
      variables: Object.assign({}, ...tfCases.filter((c) => parts.includes(c.name)).map((c) => c.variables)),
    });

    actual = evaluateWithTerraform(tfCases);
    if (process.env.DEBUG_TF_EQ) {
      // DEBUG_TF_EQ=1 npx jest compile-equivalence: show each compiled template and both outputs.
      for (const k of Object.keys(compiled)) {
        console.log(`== ${k}\n${compiled[k].text}\n-- nunjucks:\n${expected[k]}\n-- terraform:\n${actual[k]}`);
      }
    }
  });

  test.each([...CASES.map((c) => c.name), 'multipart'])('%s', (name) => {
    if (failures[name]) throw failures[name];
    expect(compiled[name].deployTime).toBe(true);
    expect(actual[name]).toBe(expected[name]);
  });
});
