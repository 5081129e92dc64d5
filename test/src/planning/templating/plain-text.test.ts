import * as fc from 'fast-check';
import { compileTemplate, DeployTimeValue, isPlainText } from '../../../../src/planning/templating';
import { renderTemplate } from '../../../../src/planning/templating/render';
import { escapeTerraformTemplate } from '../../../../src/planning/templating/terraform-text';

/**
 * compileTemplate skips the template engine for scripts without template syntax (so that
 * loading Butter does not load nunjucks for them). That is only right if nunjucks would have
 * printed such a script unchanged: checked here on arbitrary text, including the characters
 * around the delimiters (`{`, `}`, `%`, `#`, `-`, newlines and blanks) that matter to its lexer.
 */
const origin = { file: 'script.sh' };
const near = fc.constantFrom('{', '}', '%', '#', '-', '\n', '\r\n', ' ', '\t', '$', '"', "'", '\\', 'raw', 'endraw', 'x');
const text = fc.array(fc.oneof(near, fc.string(), fc.string({ unit: 'binary' })), { maxLength: 40 }).map((parts) => parts.join(''));

describe('scripts without template syntax', () => {
  test('nunjucks prints them unchanged, so skipping it gives the same text', () => {
    fc.assert(fc.property(text, (source) => {
      fc.pre(isPlainText(source));
      expect(renderTemplate(source, {}, origin)).toBe(source);
      expect(compileTemplate(source, {}, origin)).toEqual({ text: escapeTerraformTemplate(source), deployTime: false });
    }), { numRuns: 2000 });
  });

  test('any delimiter sends a script through the engine, with its checks', () => {
    for (const d of ['{{', '{%', '{#', '#}']) expect(isPlainText(`echo ${d} x`)).toBe(false);
    expect(() => compileTemplate('echo #} x', {}, origin)).toThrow(expect.objectContaining({ code: 'TEMPLATE_SYNTAX_ERROR' }));
    expect(isPlainText('a { b } %{x} #{y} ${z}')).toBe(true);
    expect(() => compileTemplate('echo {{ undeclared }}', {}, origin)).toThrow(expect.objectContaining({ code: 'TEMPLATE_VAR_UNDECLARED' }));
    expect(() => compileTemplate('{{ range.constructor("x")() }}', {}, origin)).toThrow(expect.objectContaining({ code: 'TEMPLATE_FORBIDDEN' }));
  });

  test('Terraform syntax in plain text is escaped; deploy-time variables a script does not use change nothing', () => {
    const source = 'echo ${HOME} %{ if x }\n';
    const plain = compileTemplate(source, { ip: new DeployTimeValue('aws_instance.a.private_ip', 'string') }, origin);
    expect(plain).toEqual({ text: 'echo $${HOME} %%{ if x }\n', deployTime: false });
  });

  test('a text longer than a template may print still goes to the engine, which refuses it', () => {
    const huge = 'x'.repeat(1_000_001);
    expect(isPlainText(huge)).toBe(false);
    expect(() => compileTemplate(huge, {}, origin)).toThrow(/more than 1000000 characters/);
  });
});
