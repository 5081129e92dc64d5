import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJsonFile } from '../../../src/util/json-file';
import { tempDir } from '../../helpers/synth';
import { butterErrorOf } from '../../helpers/errors';

const ERRORS = { code: 'THING_INVALID', what: 'the thing file', readHint: 'make it readable', syntaxHint: 'fix its syntax' };

describe('readJsonFile', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('butter-json-')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the parsed value, or undefined when there is no file', () => {
    const file = path.join(dir, 'thing.json');
    expect(readJsonFile(file, ERRORS)).toBeUndefined();
    fs.writeFileSync(file, '{"a":[1,null]}');
    expect(readJsonFile(file, ERRORS)).toEqual({ a: [1, null] });
  });

  test('text that is not JSON: the code, the file and the syntax hint', () => {
    const file = path.join(dir, 'thing.json');
    fs.writeFileSync(file, '{"a":');
    const e = butterErrorOf(() => readJsonFile(file, ERRORS));
    expect([e.code, e.file, e.hint]).toEqual(['THING_INVALID', file, 'fix its syntax']);
    expect(e.problem).toMatch(/^the thing file is not valid JSON/);
  });

  test('a file that exists but cannot be read (a folder in its place): the read hint', () => {
    const e = butterErrorOf(() => readJsonFile(dir, ERRORS));
    expect([e.code, e.file, e.hint]).toEqual(['THING_INVALID', dir, 'make it readable']);
    expect(e.problem).toMatch(/^cannot read the thing file/);
  });
});
