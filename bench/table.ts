/** Plain-text tables for the terminal: a header row, right-aligned numbers, left-aligned text. */

export type Cell = string | number | undefined;

export function table(headers: string[], rows: Cell[][]): string {
  const text = rows.map((r) => r.map(show));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.every((r) => r[i] === undefined || typeof r[i] === 'number' || /^[\d.,x×%<>≤≥ -]+$/.test(show(r[i]))));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)].join('\n');
}

function show(c: Cell): string {
  if (c === undefined) return '';
  if (typeof c === 'string') return c;
  if (!Number.isFinite(c)) return '-';
  if (Number.isInteger(c)) return c.toLocaleString('en-US');
  return Math.abs(c) >= 100 ? Math.round(c).toLocaleString('en-US') : c.toFixed(Math.abs(c) >= 10 ? 1 : 2);
}

/** `1.23x` */
export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}

export function passFail(ok: boolean): string {
  return ok ? 'PASS' : 'FAIL';
}
