import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseVarAssignment, parseVarAssignments, readVarFile } from '../../../src/client/vars';
import { removeTempDirs, tempDir } from './helpers';

afterAll(removeTempDirs);

describe('--var NAME=VALUE', () => {
  test.each([
    ['PrivateIps=[10.0.0.1, 10.0.0.2]', 'PrivateIps', ['10.0.0.1', '10.0.0.2']],
    ['Count=3', 'Count', 3],
    ['Ratio=0.5', 'Ratio', 0.5],
    ['Debug=true', 'Debug', true],
    // YAML 1.2 (as blueprints): `yes` is text, not a boolean.
    ['Answer=yes', 'Answer', 'yes'],
    ['Name=web', 'Name', 'web'],
    ['Empty=', 'Empty', ''],
    // Only the first `=` separates the name.
    ['Url=http://x/?a=b', 'Url', 'http://x/?a=b'],
    ['Map={a: 1}', 'Map', { a: 1 }],
  ])('%s', (text, name, value) => {
    expect(parseVarAssignment(text)).toEqual([name, value]);
  });

  test.each([
    ['no equals sign', 'PrivateIps', /"PrivateIps" is not NAME=VALUE/],
    ['no name', '=3', /"=3" is not NAME=VALUE/],
    ['name with a dash', 'private-ips=1', /"private-ips" is not a template variable name/],
    ['name starting with a digit', '1st=1', /"1st" is not a template variable name/],
    ['unclosed list', 'Ips=[10.0.0.1', /the value of Ips is not valid YAML/],
  ])('%s is VAR_INVALID naming the variable', (_what, text, problem) => {
    expect(() => parseVarAssignment(text)).toThrow(expect.objectContaining({ code: 'VAR_INVALID', problem: expect.stringMatching(problem) }));
  });

  test('several assignments; the same name twice is an error', () => {
    expect(parseVarAssignments(['A=1', 'B=[x]'])).toEqual({ A: 1, B: ['x'] });
    expect(() => parseVarAssignments(['A=1', 'A=2'])).toThrow(expect.objectContaining({ code: 'VAR_INVALID', problem: 'A is given twice' }));
  });
});

describe('--var-file', () => {
  const dir = tempDir('butter-vars-');
  const write = (name: string, text: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };

  test('YAML and JSON mappings', () => {
    expect(readVarFile(write('v.yml', 'PrivateIps:\n  - 10.0.0.1\nGreeting: hello\n'))).toEqual({ PrivateIps: ['10.0.0.1'], Greeting: 'hello' });
    expect(readVarFile(write('v.json', '{"Count": 2}'))).toEqual({ Count: 2 });
    expect(readVarFile(write('empty.yml', ''))).toEqual({});
  });

  test('errors name the file (and the key)', () => {
    const missing = path.join(dir, 'missing.yml');
    expect(() => readVarFile(missing)).toThrow(expect.objectContaining({ code: 'VAR_FILE_INVALID', file: missing, problem: 'variables file not found' }));
    const list = write('list.yml', '- a\n- b\n');
    expect(() => readVarFile(list)).toThrow(expect.objectContaining({ code: 'VAR_FILE_INVALID', file: list, problem: 'expected a mapping of variable names to values' }));
    const bad = write('bad.yml', 'good: 1\nbad-name: 2\n');
    expect(() => readVarFile(bad)).toThrow(expect.objectContaining({ code: 'VAR_FILE_INVALID', file: bad, key: 'bad-name' }));
    const syntax = write('syntax.yml', 'a: [1\n');
    expect(() => readVarFile(syntax)).toThrow(expect.objectContaining({ code: 'VAR_FILE_INVALID', file: syntax, problem: expect.stringMatching(/not valid YAML or JSON/) }));
  });
});
