import fc from 'fast-check';
import { editDistance } from '../../../src/util/edit-distance';

/** The textbook full-table optimal string alignment distance, as the oracle. */
function fullTable(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

describe('editDistance', () => {
  test('typos count one edit each; a swap of adjacent letters is one edit', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('services', 'services')).toBe(0);
    expect(editDistance('servics', 'services')).toBe(1);
    expect(editDistance('netwrok', 'network')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('ca', 'abc')).toBe(3); // optimal string alignment: no edit of a swapped pair
  });

  test('equals the full-table distance on any pair of short words', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 9 });
    fc.assert(fc.property(word, word, (a, b) => editDistance(a, b) === fullTable(a, b)), { numRuns: 500 });
  });

  test('a value of megabytes against a short name: the exact distance, without a table per character', () => {
    expect(editDistance('x'.repeat(1_000_000), 'mock-aws')).toBe(1_000_000);
    expect(editDistance('mock-aws', 'mock-aw' + 's'.repeat(200_000))).toBe(200_000 - 1);
  });
});
