import * as fs from 'node:fs';
import * as os from 'node:os';
import { execFileSync } from 'node:child_process';
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

describe('hostile files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-json-hostile-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a FIFO is refused at once, a device is not read', () => {
    const fifo = path.join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    expect(butterErrorOf(() => readJsonFile(fifo, ERRORS)).problem).toBe('cannot read the thing file: it is a FIFO (named pipe), not a regular file');
    expect(butterErrorOf(() => readJsonFile('/dev/zero', ERRORS)).problem).toBe('cannot read the thing file: it is a device, not a regular file');
  });

  test('a huge value in a bad file is not echoed whole', () => {
    const file = path.join(dir, 'big.json');
    fs.writeFileSync(file, `{"a": "${'x'.repeat(1_000_000)}`);
    expect(butterErrorOf(() => readJsonFile(file, ERRORS)).message.length).toBeLessThan(500);
  });
});
