import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { CheckReport, Finding, Severity } from './types';

/** SARIF levels: errors fail code scanning's default gate, warnings and notes do not. */
const LEVEL: Record<Severity, Result.level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
/** GitHub code scanning's `security-severity` (0-10), which sets the alert's severity. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

/** Options of {@link toSarif}. */
export interface SarifOptions {
  /** Where each stack's file is, for locations (relative to the repository root for code scanning). @default - `<stack>/cdk.tf.json` */
  readonly fileOf?: (stack: string) => string;
  /** @default - unknown */
  readonly version?: string;
}

/**
 * The report as a SARIF 2.1.0 log (one run, Butter as the tool): rule metadata with help and
 * the checkov/trivy equivalents, a result per finding located in the stack's file (with the
 * resource address as a logical location), and suppressed findings carried with their
 * justification as SARIF suppressions, as GitHub code scanning reads them.
 */
export function toSarif(report: CheckReport, options: SarifOptions = {}): Log {
  const fileOf = options.fileOf ?? ((s: string) => `${s}/cdk.tf.json`);
  const rules: ReportingDescriptor[] = report.rules.map((r) => ({
    id: r.id,
    name: r.id.replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: r.title },
    fullDescription: { text: r.description },
    help: { text: `Fix: ${r.fix}`, markdown: `**Fix:** ${r.fix}` },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: {
      tags: ['security', 'terraform'],
      'security-severity': SECURITY_SEVERITY[r.severity],
      ...(r.references.checkov?.length ? { checkov: [...r.references.checkov] } : {}),
      ...(r.references.trivy?.length ? { trivy: [...r.references.trivy] } : {}),
    },
  }));
  const index = new Map(report.rules.map((r, i) => [r.id, i]));
  const result = (f: Finding): Result => ({
    ruleId: f.ruleId,
    ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId)! } : {}),
    level: LEVEL[f.severity],
    message: { text: `${f.message}. Fix: ${f.fix}` },
    locations: [{
      physicalLocation: { artifactLocation: { uri: f.blueprintFile ?? fileOf(f.stack) }, region: { startLine: 1 } },
      logicalLocations: [{ name: f.address, fullyQualifiedName: `${f.stack}/${f.address}`, kind: 'resource' }],
    }],
    partialFingerprints: { butterResource: `${f.stack}/${f.address}/${f.ruleId}` },
    properties: {
      severity: f.severity,
      'security-severity': SECURITY_SEVERITY[f.severity],
      ...(f.constructPath ? { constructPath: f.constructPath } : {}),
      ...(f.blueprintKey ? { blueprintKey: f.blueprintKey } : {}),
    },
    ...(f.suppressed ? { suppressions: [{ kind: 'inSource', status: 'accepted', justification: f.suppressed.reason }] } : {}),
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'butter check', ...(options.version ? { version: options.version } : {}), rules } },
      results: [...report.findings, ...report.suppressed].map(result),
    }],
  };
}
