// GitHub workflow commands: one annotation per finding, shown inline on the pull request's diff.
import type { Report } from '../core/types.ts';
import { summaryLine } from './text.ts';
import { groupAcrossClusters } from './finding-groups.ts';
import { componentFixesByFinding, fixTextOf } from './combined-fixes.ts';

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function formatGithub(report: Report): string {
  const lines: string[] = [];
  // GitHub shows only the first few annotations of each kind per step: blocking ones first, and with --base
  // nothing that was already on the base branch (the PR comment lists those, collapsed).
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const shown = report.findings
    .filter((f) => !f.suppressed && (f as any).status !== 'unchanged')
    .sort((a, b) => rank[a.severity] - rank[b.severity]);
  const componentFixes = componentFixesByFinding(report.fixes ?? []);
  // one annotation per mistake, naming every cluster it shows up in (as the PR comment lists it)
  for (const { finding: f, clusters } of groupAcrossClusters(shown)) {
    const command = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
    const props = [`title=${escapeProperty(`${f.rule} (${clusters.join(', ')})`)}`];
    if (f.location) props.unshift(`file=${escapeProperty(f.location.file)}`, `line=${f.location.line}`, `col=${f.location.column}`);
    const fix = fixTextOf(f, componentFixes);
    const message = fix ? `${f.message}\n\nFix:\n${fix}` : f.message;
    lines.push(`::${command} ${props.join(',')}::${escapeData(message)}`);
  }
  lines.push(summaryLine(report));
  return lines.join('\n') + '\n';
}
