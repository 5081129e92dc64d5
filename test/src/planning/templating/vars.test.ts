import type { InitializationSpec } from '../../../../src/blueprint/types';
import { resolveInitializationVars, resolveTemplateVars } from '../../../../src/planning/templating';
import { butterErrorOf as error } from '../../../helpers/errors';

const where = {
  file: '/bp/web.yaml',
  key: 'initialization[0]',
  script: '/bp/scripts/haproxy.yaml',
  constructPath: 'dev/lb',
};

describe('resolveTemplateVars', () => {
  const declared = {
    PrivateIps: { required: true },
    port: { required: false, default: 80 },
    banner: { required: false },
  };

  test('applies defaults and keeps unset optional variables as undefined', () => {
    const out = resolveTemplateVars(declared, { PrivateIps: ['a'] }, where);
    expect(out).toEqual({ PrivateIps: ['a'], port: 80, banner: undefined });
    expect('banner' in out).toBe(true);
  });

  test('given values win over defaults', () => {
    expect(resolveTemplateVars(declared, { PrivateIps: [], port: 8080 }, where).port).toBe(8080);
  });

  test('a missing required variable names it, the script, the blueprint key and how to pass it', () => {
    const e = error(() => resolveTemplateVars(declared, {}, where));
    expect(e.code).toBe('TEMPLATE_VAR_MISSING');
    expect(e.file).toBe('/bp/web.yaml');
    expect(e.key).toBe('initialization[0].vars.PrivateIps');
    expect(e.constructPath).toBe('dev/lb');
    expect(e.problem).toContain('"PrivateIps" is required by /bp/scripts/haproxy.yaml');
    expect(e.hint).toBe('pass it to the construct: templateVars: { PrivateIps: ... }');
  });

  test('an undeclared variable is refused with a suggestion', () => {
    const e = error(() => resolveTemplateVars(declared, { PrivateIps: [], prot: 1 }, where));
    expect(e.code).toBe('TEMPLATE_VAR_UNKNOWN');
    expect(e.problem).toContain('templateVars.prot is not declared by /bp/scripts/haproxy.yaml (did you mean "port"?)');
  });
});

describe('resolveInitializationVars', () => {
  const script = (i: number, vars: InitializationSpec['vars']): InitializationSpec => ({
    path: `/bp/scripts/${i}.sh`,
    source: '',
    vars,
    key: `initialization[${i}]`,
  });
  const scripts = [
    script(0, { PrivateIps: { required: true } }),
    script(1, { port: { required: false, default: 80 } }),
  ];

  test('each script gets the variables it declares', () => {
    expect(resolveInitializationVars(scripts, { PrivateIps: ['a'], port: 1 }, { file: '/bp/web.yaml' })).toEqual([
      { PrivateIps: ['a'] },
      { port: 1 },
    ]);
  });

  test('a variable no script declares is refused', () => {
    const e = error(() =>
      resolveInitializationVars(
        scripts,
        { PrivateIps: [], PrivateIp: 1 },
        { file: '/bp/web.yaml', constructPath: 'dev/lb' },
      ),
    );
    expect(e.code).toBe('TEMPLATE_VAR_UNKNOWN');
    expect(e.problem).toContain('not declared by any initialization script (did you mean "PrivateIps"?)');
    expect(e.constructPath).toBe('dev/lb');
  });

  test('missing required variables point at the right script', () => {
    const e = error(() => resolveInitializationVars(scripts, {}, { file: '/bp/web.yaml' }));
    expect(e.code).toBe('TEMPLATE_VAR_MISSING');
    expect(e.key).toBe('initialization[0].vars.PrivateIps');
    expect(e.problem).toContain('/bp/scripts/0.sh');
  });
});

describe('variable names that would reach JavaScript', () => {
  test('a declared variable named __proto__ or constructor is refused with its key', () => {
    for (const name of ['__proto__', 'constructor']) {
      const declared = JSON.parse(`{"${name}": {"required": false}}`) as Record<string, { required: boolean }>;
      const e = error(() => resolveTemplateVars(declared, {}, { file: '/bp/blueprint.yml', key: 'initialization[0]' }));
      expect(e.code).toBe('TEMPLATE_VAR_INVALID');
      expect(e.file).toBe('/bp/blueprint.yml');
      expect(e.key).toBe('initialization[0].vars');
    }
  });

  test('names inherited from Object.prototype are neither declared nor given', () => {
    const e = error(() => resolveTemplateVars({}, { toString: 'x' }, { key: 'initialization[0]' }));
    expect(e.code).toBe('TEMPLATE_VAR_UNKNOWN');
    expect(resolveTemplateVars({ toString: { required: false } }, {}, { key: 'initialization[0]' })).toEqual({ toString: undefined });
  });
});
