// --fail-on and --quiet: which findings block the run, and a report cut down to them.
import type { Finding, FindingStatus, Report, Severity } from '../core/types.ts';

export const FAIL_ON = ['error', 'warning'] as const;
export type FailOn = (typeof FAIL_ON)[number];

const RANK: Record<Severity, number> = { error: 2, warning: 1, info: 0 };

/** Not waived, at least as severe as `failOn`, and (with --base) not already on the base branch. */
export function isBlocking(f: Finding & { status?: FindingStatus }, failOn: FailOn): boolean {
  return !f.suppressed && RANK[f.severity] >= RANK[failOn] && f.status !== 'unchanged';
}

/** The report with `summary.blocking` counted at the --fail-on threshold (error: what it already says). */
export function withFailOn(report: Report, failOn: FailOn): Report {
  return { ...report, summary: { ...report.summary, blocking: report.findings.filter((f) => isBlocking(f, failOn)).length } };
}

/** --quiet: only the blocking findings and none of the "skipped" notes; the summary still counts everything. */
export function quietReport(report: Report, failOn: FailOn): Report {
  const { fixed: _fixed, ...rest } = report;
  return {
    ...rest,
    findings: report.findings.filter((f) => isBlocking(f, failOn)),
    clusters: report.clusters.map((c) => ({ ...c, skipped: [] })),
  };
}
