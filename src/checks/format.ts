import type { CheckReport, Finding } from './types';

/** The report as text for people: one block per finding, then a summary line. */
export function formatText(report: CheckReport, options: { showSuppressed?: boolean } = {}): string {
  const lines: string[] = [];
  const one = (f: Finding, prefix: string) => {
    lines.push(`${prefix}${f.severity.toUpperCase()} ${f.ruleId} ${f.stack}: ${f.message}`);
    lines.push(`  resource: ${f.address}${f.constructPath ? ` (construct ${f.constructPath})` : ''}`);
    if (f.blueprintFile) lines.push(`  blueprint: ${f.blueprintFile}${f.blueprintKey ? `: ${f.blueprintKey}` : ''}`);
    if (f.suppressed) lines.push(`  suppressed: ${f.suppressed.reason}`);
    else lines.push(`  fix: ${f.fix}`);
  };
  for (const f of report.findings) one(f, '');
  if (options.showSuppressed !== false) for (const f of report.suppressed) one(f, 'suppressed ');
  const counts = ['critical', 'high', 'medium', 'low']
    .map((s) => [s, report.findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`);
  lines.push(`${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}${counts.length ? ` (${counts.join(', ')})` : ''} at or above ${report.minSeverity}, ${report.suppressed.length} suppressed, in ${report.stacks.length} stack${report.stacks.length === 1 ? '' : 's'} (${report.rules.length} rules)`);
  return `${lines.join('\n')}\n`;
}

/** The report as JSON for scripts: findings, suppressed findings and the rules that ran. */
export function formatJson(report: CheckReport): string {
  return `${JSON.stringify({
    stacks: report.stacks,
    minSeverity: report.minSeverity,
    findings: report.findings,
    suppressed: report.suppressed,
    rules: report.rules.map(({ id, severity, title, fix, references }) => ({ id, severity, title, fix, references })),
  }, null, 2)}\n`;
}
