import { ButterError } from '../../../src/errors';
import { parseSize, toGiB } from '../../../src/blueprint/sizes';

const where = { file: 'bp.yml', key: 'instance.memory' };

describe('parseSize', () => {
  // GB, GiB and G are all binary: cloud consoles say "GB" and mean GiB.
  test.each([
    ['4GB', 4096],
    ['4 GB', 4096],
    ['4gb', 4096],
    ['4GiB', 4096],
    ['8G', 8192],
    ['512MiB', 512],
    ['512 MiB', 512],
    ['512MB', 512],
    ['256M', 256],
    ['1.5GiB', 1536],
    ['0.5GB', 512],
    ['.5GB', 512],
    ['1TB', 1024 * 1024],
    ['2TiB', 2 * 1024 * 1024],
    ['  3 GB  ', 3072],
  ])('%j is %d MiB', (text, mib) => {
    expect(parseSize(text, where)).toBe(mib);
  });

  test.each([
    [4, '4 has no unit', 'add a unit, e.g. `4GB` (or `4MiB`); Butter does not guess whether a bare number means GiB or MiB'],
    ['4', '"4" has no unit', 'add a unit, e.g. `4GB`'],
    ['4 GBs', '"GBs" is not a size unit', 'use MB/MiB, GB/GiB or TB/TiB (all binary: 1GB = 1024MiB)'],
    ['4KB', '"KB" is not a size unit', 'use MB/MiB, GB/GiB or TB/TiB (all binary: 1GB = 1024MiB)'],
    ['four GB', '"four GB" is not a size', 'write a number and a unit, e.g. `4GB`, `512MiB` or `1.5GiB`'],
    ['-1GB', '"-1GB" is not a size', 'write a number and a unit, e.g. `4GB`, `512MiB` or `1.5GiB`'],
    ['0GB', 'size must be more than zero, got "0GB"', 'give a positive size, e.g. `1GB`'],
    ['1.3GB', '"1.3GB" is not a whole number of MiB (1331.2 MiB)', 'round it, e.g. `1331MiB`'],
    [true, 'expected a size such as 4GB, got `true`', 'write a number and a unit, e.g. `4GB` or `512MiB`'],
    [null, 'expected a size such as 4GB, got an empty value', 'write a number and a unit, e.g. `4GB` or `512MiB`'],
    [['4GB'], 'expected a size such as 4GB, got a list', 'write a number and a unit, e.g. `4GB` or `512MiB`'],
  ])('%j is rejected', (value, problem, hint) => {
    const e = catchError(() => parseSize(value, where));
    expect(e).toMatchObject({ code: 'BLUEPRINT_INVALID_SIZE', file: 'bp.yml', key: 'instance.memory', problem, hint });
  });
});

describe('toGiB', () => {
  test.each([
    ['8GB', 8],
    ['10 GiB', 10],
    ['1TB', 1024],
    ['2048MiB', 2],
  ])('%j is %d GiB', (text, gib) => {
    expect(toGiB(text, where)).toBe(gib);
  });

  test.each([
    ['8.5GB', 'disk sizes must be whole GiB, got "8.5GB" (8704 MiB)', 'use `9GB`'],
    ['512MB', 'disk sizes must be whole GiB, got "512MB" (512 MiB)', 'use `1GB`'],
    [8, '8 has no unit', expect.stringContaining('`8GB`')],
  ])('%j is rejected', (value, problem, hint) => {
    expect(catchError(() => toGiB(value, where))).toMatchObject({ code: 'BLUEPRINT_INVALID_SIZE', key: 'instance.memory', problem, hint });
  });
});

function catchError(fn: () => unknown): ButterError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ButterError);
    return e as ButterError;
  }
  throw new Error('expected an error');
}
