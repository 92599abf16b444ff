// One line per mistake for terminals and editors (unix, compact): a finding shared by several clusters is one
// line naming them, as the annotations and code scanning show it. Waived findings are left out.
import type { Report, Severity, SourceLocation } from '../core/types.ts';
import { groupAcrossClusters } from './finding-groups.ts';
import { locationOf } from './fallback-location.ts';

export interface FindingLine extends SourceLocation {
  severity: Severity;
  /** ESLint's spelling: Error, Warning, Info. */
  severityWord: string;
  rule: string;
  /** The message on one line, with the clusters it shows up in. */
  message: string;
}

const WORD: Record<Severity, string> = { error: 'Error', warning: 'Warning', info: 'Info' };

export function findingLines(report: Report): FindingLine[] {
  return groupAcrossClusters(report.findings.filter((f) => !f.suppressed)).map(({ finding: f, clusters }) => {
    const where = clusters.length === 1 ? `cluster ${clusters[0]}` : `clusters ${clusters.join(', ')}`;
    return {
      ...locationOf(report, f),
      severity: f.severity,
      severityWord: WORD[f.severity],
      rule: f.rule,
      message: `${f.message.replace(/\s*\n\s*/g, ' ').trim()} (${where})`,
    };
  });
}

/** ESLint's closing line, when there is anything to count. */
export function problemCount(lines: FindingLine[]): string {
  return lines.length === 0 ? '' : `\n${lines.length} problem${lines.length === 1 ? '' : 's'}\n`;
}
