/**
 * Edit distance for "did you mean ...?" hints: insertions, deletions, substitutions, and a swap
 * of two adjacent letters counted as one edit (optimal string alignment), since swapped letters
 * are the commonest typo in keys and names.
 *
 * The words come from untrusted input, so a megabytes-long value may be compared with a short
 * name: only the last three rows of the table are kept (a full table for a 5,000,000-character
 * value built as many arrays), and the inner loop is plain comparisons (no Math.min call per
 * cell: under jest's sandbox such calls are not inlined and cost a microsecond each).
 */
export function editDistance(a: string, b: string): number {
  let before = new Array<number>(b.length + 1).fill(0); // row i - 2
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j); // row i - 1
  let current = new Array<number>(b.length + 1).fill(0); // row i
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const ai = a.charCodeAt(i - 1);
    const aBefore = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = 1; j <= b.length; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = previous[j - 1] + (ai === bj ? 0 : 1); // substitute (or keep)
      if (previous[j] + 1 < d) d = previous[j] + 1; // delete a[i - 1]
      if (current[j - 1] + 1 < d) d = current[j - 1] + 1; // insert b[j - 1]
      if (j > 1 && ai === b.charCodeAt(j - 2) && aBefore === bj && before[j - 2] + 1 < d) d = before[j - 2] + 1; // swap
      current[j] = d;
    }
    const done = before;
    before = previous;
    previous = current;
    current = done;
  }
  return previous[b.length];
}
