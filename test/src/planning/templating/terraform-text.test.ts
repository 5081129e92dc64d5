import { escapeTerraformTemplate } from '../../../../src/planning/templating';
import { hclString, TerraformTemplateBuilder } from '../../../../src/planning/templating/terraform-text';

describe('escapeTerraformTemplate', () => {
  test.each([
    ['plain $HOME 100%', 'plain $HOME 100%'],
    ['${x}', '$${x}'],
    ['%{ if }', '%%{ if }'],
    ['$${x}', '$$${x}'],
    ['%%{x}', '%%%{x}'],
    ['a$', 'a$'],
    // cdktf's token markers, which cdktf would otherwise replace by a token of the app.
    ['${TfToken[TOKEN.1]}', '$${TfToken${"["}TOKEN.1]}'],
    ['#{TfToken[TOKEN.2]}', '#{TfToken${"["}TOKEN.2]}'],
  ])('%j -> %j', (input, output) => {
    expect(escapeTerraformTemplate(input)).toBe(output);
  });
});

describe('hclString', () => {
  test('escapes quotes, backslashes, control characters and template sequences', () => {
    expect(hclString('a"b\\c\nd\te\u0001${x}%{y}')).toBe('"a\\"b\\\\c\\nd\\te\\u0001$${x}%%{y}"');
  });
});

describe('TerraformTemplateBuilder', () => {
  test('escapes text and keeps template syntax', () => {
    const b = new TerraformTemplateBuilder();
    b.text('${not} ');
    b.interpolation('var.x');
    b.directive('if true');
    b.text('%{no}');
    b.directive('endif');
    expect(b.build()).toBe('$${not} ${var.x}%{ if true }%%{no}%{ endif }');
    expect(b.hasTemplateSyntax).toBe(true);
  });

  test('text ending in $ or % cannot fuse with a following ${ or %{', () => {
    const b = new TerraformTemplateBuilder();
    b.text('cost: $$');
    b.interpolation('var.price');
    b.text(' 100%');
    b.directive('if x');
    b.directive('endif');
    expect(b.build()).toBe('cost: ${"$$"}${var.price} 100${"%"}%{ if x }%{ endif }');
  });

  test('plain text only', () => {
    const b = new TerraformTemplateBuilder();
    b.text('a$');
    expect(b.build()).toBe('a$');
    expect(b.hasTemplateSyntax).toBe(false);
  });
});
