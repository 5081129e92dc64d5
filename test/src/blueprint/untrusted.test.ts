/**
 * Hostile blueprints, scripts and variables files: each gets a clear ButterError, quickly, with
 * bounded memory, and nothing outside the blueprint's folder is ever read.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clearBlueprintCache, loadServiceBlueprint } from '../../../src/blueprint/load';
import { readVarFile, parseVarAssignment } from '../../../src/client/vars';
import { butterErrorOf } from '../../helpers/errors';
import { tempDir } from '../../helpers/synth';

beforeEach(() => clearBlueprintCache());

const IMAGE = 'image: {name: "ubuntu/images/*"}\n';

/** A folder holding blueprint.yml with `yaml` (and `files`); returns the blueprint's path. */
function blueprint(yaml: string, files: Record<string, string | Buffer> = {}): string {
  const dir = tempDir('butter-untrusted-');
  for (const [name, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), body);
  }
  fs.writeFileSync(path.join(dir, 'blueprint.yml'), yaml);
  return path.join(dir, 'blueprint.yml');
}

function fifo(dir: string, name: string): string {
  const file = path.join(dir, name);
  execFileSync('mkfifo', [file]);
  return file;
}

describe('the blueprint file', () => {
  test('a FIFO is refused at once, without waiting for a writer', () => {
    const file = fifo(tempDir(), 'blueprint.yml');
    const e = butterErrorOf(() => loadServiceBlueprint(file));
    expect(e).toMatchObject({ code: 'BLUEPRINT_UNREADABLE', problem: 'the blueprint is a FIFO (named pipe), not a regular file' });
  });

  test('/dev/zero is refused (a device), without reading it', () => {
    const e = butterErrorOf(() => loadServiceBlueprint('/dev/zero'));
    expect(e).toMatchObject({ code: 'BLUEPRINT_UNREADABLE', file: '/dev/zero', problem: 'the blueprint is a device, not a regular file' });
  });

  test('more than 1 MiB is refused before it is read', () => {
    const file = blueprint(`${IMAGE}# ${'x'.repeat(1024 * 1024)}\n`);
    expect(butterErrorOf(() => loadServiceBlueprint(file)).problem).toBe('the blueprint is larger than 1 MiB, the most Butter reads');
  });

  test('bytes that are not UTF-8 are an error naming the file', () => {
    const file = blueprint('');
    fs.writeFileSync(file, Buffer.concat([Buffer.from(IMAGE), Buffer.from([0xff, 0xfe, 0x41])]));
    const e = butterErrorOf(() => loadServiceBlueprint(file));
    expect(e).toMatchObject({ code: 'BLUEPRINT_UNREADABLE', file, problem: 'the blueprint is not UTF-8 text' });
  });

  test('an alias bomb is refused quickly with a clear error', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const file = blueprint(`${IMAGE}initialization:\n  - path: setup.sh\n    vars:\n      X:\n        default:\n${levels.map((l) => `          ${l}`).join('\n')}\n`, { 'setup.sh': 'echo hi\n' });
    expect(fs.statSync(file).size).toBeLessThan(1000);
    const t0 = Date.now();
    const e = butterErrorOf(() => loadServiceBlueprint(file));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(e).toMatchObject({ code: 'BLUEPRINT_TOO_COMPLEX', problem: 'expands to more than 100000 values' });
  });

  test('a self-referencing alias is refused, not walked forever', () => {
    const file = blueprint(`${IMAGE}instance: &a {disks: [*a]}\n`);
    expect(butterErrorOf(() => loadServiceBlueprint(file)).code).toBe('BLUEPRINT_TOO_COMPLEX');
  });

  test('deep nesting is refused with the line', () => {
    const file = blueprint(`${IMAGE}instance: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    const e = butterErrorOf(() => loadServiceBlueprint(file));
    expect(e.code).toBe('BLUEPRINT_TOO_COMPLEX');
    expect(e.problem).toMatch(/^nests deeper than 32 levels \(line 2\)$/);
  });

  test('a huge value is quoted cut short in the error', () => {
    const file = blueprint(`${IMAGE}instance:\n  memory: "${'9'.repeat(600_000)}x"\n  ${'k'.repeat(300_000)}: 1\n`);
    const e = butterErrorOf(() => loadServiceBlueprint(file));
    expect(e.message.length).toBeLessThan(2000);
    expect(e.issues.map((i) => i.code)).toEqual(['BLUEPRINT_INVALID_SIZE', 'BLUEPRINT_UNKNOWN_KEY']);
  });
});

describe('startup scripts stay inside the blueprint\'s folder', () => {
  const entry = (p: string) => `${IMAGE}initialization:\n  - path: ${JSON.stringify(p)}\n`;

  test.each([
    ['../../../../../../etc/passwd', 'is outside the blueprint\'s folder'],
    ['/etc/passwd', 'is an absolute path'],
    ['/proc/self/environ', 'is an absolute path'],
    ['../../../../../../proc/self/environ', 'is outside the blueprint\'s folder'],
  ])('%s is refused', (given, why) => {
    const e = butterErrorOf(() => loadServiceBlueprint(blueprint(entry(given))));
    expect(e).toMatchObject({ code: 'BLUEPRINT_SCRIPT_OUTSIDE', key: 'initialization[0].path', line: 3 });
    expect(e.problem).toContain(why);
  });

  test('a symlink leading outside is refused; one staying inside is followed', () => {
    const file = blueprint(entry('setup.sh'), { 'real/inside.sh': 'echo inside\n' });
    const dir = path.dirname(file);
    fs.symlinkSync('/etc/hostname', path.join(dir, 'setup.sh'));
    const e = butterErrorOf(() => loadServiceBlueprint(file));
    expect(e.code).toBe('BLUEPRINT_SCRIPT_OUTSIDE');
    expect(e.problem).toContain('it leads to /etc/hostname');
    fs.rmSync(path.join(dir, 'setup.sh'));
    fs.symlinkSync('real/inside.sh', path.join(dir, 'setup.sh'));
    clearBlueprintCache();
    expect(loadServiceBlueprint(file).initialization[0].source).toBe('echo inside\n');
  });

  test('a path through a file (ENOTDIR) is a missing script, not an escape', () => {
    const file = blueprint(entry('setup.sh/x'), { 'setup.sh': 'echo\n' });
    expect(butterErrorOf(() => loadServiceBlueprint(file)).code).toBe('BLUEPRINT_SCRIPT_NOT_FOUND');
  });

  test('a symlinked folder leading outside is refused', () => {
    const file = blueprint(entry('etc/passwd'));
    fs.symlinkSync('/etc', path.join(path.dirname(file), 'etc'));
    expect(butterErrorOf(() => loadServiceBlueprint(file)).code).toBe('BLUEPRINT_SCRIPT_OUTSIDE');
  });

  test('a folder, a FIFO, a too-large or non-UTF-8 script is refused', () => {
    const dirScript = blueprint(entry('scripts'), { 'scripts/a.sh': 'x' });
    expect(butterErrorOf(() => loadServiceBlueprint(dirScript)).problem).toBe('startup script "scripts" is a folder, not a regular file');
    const withFifo = blueprint(entry('pipe.sh'));
    fifo(path.dirname(withFifo), 'pipe.sh');
    expect(butterErrorOf(() => loadServiceBlueprint(withFifo)).problem).toBe('startup script "pipe.sh" is a FIFO (named pipe), not a regular file');
    const big = blueprint(entry('big.sh'), { 'big.sh': 'x'.repeat(256 * 1024 + 1) });
    expect(butterErrorOf(() => loadServiceBlueprint(big)).problem).toBe('startup script "big.sh" is larger than 256 KiB, the most Butter reads');
    const binary = blueprint(entry('bin.sh'), { 'bin.sh': Buffer.from([0xc3, 0x28]) });
    expect(butterErrorOf(() => loadServiceBlueprint(binary))).toMatchObject({ code: 'BLUEPRINT_SCRIPT_UNREADABLE', problem: 'startup script "bin.sh" is not UTF-8 text' });
  });

  test('scripts adding up to more than Google\'s 512 KiB of metadata are refused', () => {
    const scripts = Object.fromEntries([1, 2, 3].map((n) => [`s${n}.sh`, 'x'.repeat(200 * 1024)]));
    const file = blueprint(`${IMAGE}initialization:\n${[1, 2, 3].map((n) => `  - path: s${n}.sh\n`).join('')}`, scripts);
    expect(butterErrorOf(() => loadServiceBlueprint(file))).toMatchObject({ code: 'BLUEPRINT_SCRIPT_UNREADABLE', key: 'initialization' });
  });
});

describe('every problem in one run', () => {
  test('in file order, each with its line, key and fix', () => {
    const file = blueprint([
      'instance:',
      '  cpus: two',
      '  memroy: 4GB',
      'image: {}',
      'initialization:',
      '  - path: ../outside.sh',
      'placement:',
      '  availability_zones: 9',
      '',
    ].join('\n'));
    const e = butterErrorOf(() => loadServiceBlueprint(file));
    expect(e.code).toBe('BLUEPRINT_INVALID');
    expect(e.issues.map((i) => [i.line, i.key, i.code])).toEqual([
      [2, 'instance.cpus', 'BLUEPRINT_INVALID_VALUE'],
      [3, 'instance.memroy', 'BLUEPRINT_UNKNOWN_KEY'],
      [4, 'image', 'BLUEPRINT_MISSING_KEY'],
      [6, 'initialization[0].path', 'BLUEPRINT_SCRIPT_OUTSIDE'],
      [8, 'placement.availability_zones', 'BLUEPRINT_INVALID_VALUE'],
    ]);
    expect(e.issues.every((i) => i.hint && i.file === file)).toBe(true);
    expect(e.message.split('\n')[0]).toBe(`${file}: 5 problems [BLUEPRINT_INVALID]`);
    expect(e.message).toContain('  - line 3: instance.memroy: unknown key `memroy` [BLUEPRINT_UNKNOWN_KEY]\n      fix: did you mean `memory`?');
  });

  test('at most 20 are listed', () => {
    const file = blueprint(`${IMAGE}instance:\n${Array.from({ length: 30 }, (_, n) => `  bad${n}: 1\n`).join('')}`);
    const e = butterErrorOf(() => loadServiceBlueprint(file));
    expect(e.issues).toHaveLength(20);
    expect(e.problem).toBe('30 problems (the first 20 shown)');
  });
});

describe('--var-file and --var', () => {
  test('a FIFO, a device and a folder are refused', () => {
    const dir = tempDir();
    expect(butterErrorOf(() => readVarFile(fifo(dir, 'vars.yml'))).problem).toBe('the variables file is a FIFO (named pipe), not a regular file');
    expect(butterErrorOf(() => readVarFile('/dev/zero')).problem).toBe('the variables file is a device, not a regular file');
    expect(butterErrorOf(() => readVarFile(dir)).problem).toBe('the variables file is a folder, not a regular file');
  });

  test('an alias bomb is refused quickly', () => {
    const file = path.join(tempDir(), 'vars.yml');
    const lines = ['a: &a [x,x,x,x,x,x,x,x,x,x]'];
    for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const t0 = Date.now();
    expect(butterErrorOf(() => readVarFile(file))).toMatchObject({ code: 'VAR_FILE_INVALID', problem: 'expands to more than 100000 values' });
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  test('a long bad --var is quoted cut short', () => {
    const e = butterErrorOf(() => parseVarAssignment(`${'x'.repeat(100_000)}`));
    expect(e.message.length).toBeLessThan(300);
  });
});
