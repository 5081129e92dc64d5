import { compileTemplate, DeployTimeValue, renderTemplate } from '../../../../src/planning/templating';
import {
  AWS_USER_DATA_MAX_BYTES,
  checkUserDataSize,
  GOOGLE_METADATA_VALUE_MAX_BYTES,
  renderedSize,
} from '../../../../src/planning/templating/user-data-size';
import { butterErrorOf } from '../../../helpers/errors';

const origin = { file: 'web/start.sh' };

describe('renderedSize', () => {
  test.each([
    ['plain ASCII', '#!/bin/sh\necho hi\n'],
    ['text spelling template syntax (escaped on the way in)', 'echo "${HOME}" %{x} $${y} 100%'],
    ['multibyte characters: é (2 bytes), € (3), 😀 (4)', '#!/bin/sh\necho "é € 😀"\n'],
    ['a cdktf token spelled in the text', 'echo ${TfToken[TOKEN.1]}'],
  ])('a static script: exactly the UTF-8 bytes nunjucks renders (%s)', (_name, source) => {
    const template = compileTemplate(source, {}, origin).text;
    const size = renderedSize(template);
    const rendered = renderTemplate(source, {}, origin);
    // The TfToken escape is an interpolation of "[" (one byte Terraform puts back): a lower bound then.
    if (source.includes('TfToken')) {
      expect(size).toEqual({ bytes: Buffer.byteLength(rendered) - 1, exact: false });
    } else {
      expect(size).toEqual({ bytes: Buffer.byteLength(rendered), exact: true });
    }
  });

  test('deploy-time interpolations count as nothing, and text inside if/for blocks is not counted', () => {
    const ips = new DeployTimeValue('data.aws_instances.web.private_ips', 'list');
    const source = 'backend web\n{% for ip in ips %}  server {{ ip }}:80\n{% endfor %}# end\n';
    const template = compileTemplate(source, { ips }, origin).text;
    expect(template).toMatch(/%\{ ?for /);
    expect(renderedSize(template)).toEqual({ bytes: Buffer.byteLength('backend web\n# end\n'), exact: false });
  });

  test('quoted strings with braces inside an interpolation do not end it', () => {
    expect(renderedSize('a${join("}", ["x}"])}b')).toEqual({ bytes: 2, exact: false });
    expect(renderedSize('%{ if x == "}" }skipped%{ else }also%{ endif }z')).toEqual({ bytes: 1, exact: false });
  });

  test('hostile text: an unclosed interpolation or a megabyte of braces is measured, linearly', () => {
    expect(renderedSize(`a\${${'"'.repeat(3)}`)).toEqual({ bytes: 1, exact: false });
    // Strings within interpolations within strings: no stack overflow.
    expect(renderedSize(`a${'${"'.repeat(100_000)}`)).toEqual({ bytes: 1, exact: false });
    const big = '${'.repeat(500_000);
    expect(renderedSize(big).exact).toBe(false);
    expect(renderedSize('x'.repeat(2_000_000))).toEqual({ bytes: 2_000_000, exact: true });
  });
});

describe('checkUserDataSize', () => {
  const where = { file: 'web/blueprint.yml', constructPath: 'app/dev/web' };

  test('AWS: 16,384 bytes pass, 16,385 are USER_DATA_TOO_LARGE naming the file, the key, the size and a fix', () => {
    expect(() => checkUserDataSize('aws', 'x'.repeat(AWS_USER_DATA_MAX_BYTES), where)).not.toThrow();
    const e = butterErrorOf(() => checkUserDataSize('aws', 'x'.repeat(AWS_USER_DATA_MAX_BYTES + 1), where));
    expect(e.code).toBe('USER_DATA_TOO_LARGE');
    expect(e.file).toBe('web/blueprint.yml');
    expect(e.key).toBe('initialization');
    expect(e.constructPath).toBe('app/dev/web');
    expect(e.problem).toBe('the rendered startup script is 16,385 bytes; EC2 accepts at most 16,384 bytes of user data (before base64)');
    expect(e.hint).toMatch(/download|compress|image/);
  });

  test('counts bytes, not characters', () => {
    // 8,193 two-byte characters: 8,193 characters, 16,386 bytes.
    expect(butterErrorOf(() => checkUserDataSize('aws', 'é'.repeat(8193), where)).problem).toContain('16,386 bytes');
  });

  test('Google: a metadata value up to 262,144 bytes', () => {
    expect(() => checkUserDataSize('google', 'x'.repeat(GOOGLE_METADATA_VALUE_MAX_BYTES), where)).not.toThrow();
    const e = butterErrorOf(() => checkUserDataSize('google', 'x'.repeat(GOOGLE_METADATA_VALUE_MAX_BYTES + 1), where));
    expect(e.problem).toBe('the rendered startup script is 262,145 bytes; a Compute Engine metadata value holds at most 262,144 bytes');
  });

  test('a template with deploy-time values over the limit by its literal text alone says so', () => {
    const e = butterErrorOf(() => checkUserDataSize('aws', `${'x'.repeat(17_000)}\${data.x.y}`, where));
    expect(e.problem).toContain('17,000 bytes before its deploy-time values');
  });
});
