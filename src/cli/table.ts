/** Left-aligned columns separated by two spaces, the way `kubectl get` prints. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, indent = ''): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => indent + cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}
