// Classifies the findings of a change against those of its merge base, by fingerprint,
// so a finding that only moved lines is "unchanged" and only genuinely new ones block.
import type { Finding, FindingStatus, Report } from '../core/types.ts';
import { summarize } from './summary.ts';

export type ClassifiedFinding = Finding & { status: Exclude<FindingStatus, 'fixed'> };

export interface BaselineComparison {
  /** The current findings, in their original order, each marked new or unchanged. */
  findings: ClassifiedFinding[];
  /** Base findings with no counterpart in the current run, in base order. */
  fixed: Finding[];
}

/**
 * Fingerprints are compared as multisets: if the base had one finding with fingerprint F
 * and the change has two, one of them is unchanged and the other is new.
 */
export function compareWithBase(current: Finding[], base: Finding[]): BaselineComparison {
  const unmatchedBase = new Map<string, Finding[]>();
  for (const finding of base) {
    const same = unmatchedBase.get(finding.fingerprint);
    if (same) same.push(finding);
    else unmatchedBase.set(finding.fingerprint, [finding]);
  }

  const findings = current.map((finding): ClassifiedFinding => {
    const counterparts = unmatchedBase.get(finding.fingerprint);
    if (counterparts && counterparts.length > 0) {
      counterparts.shift();
      return { ...finding, status: 'unchanged' };
    }
    return { ...finding, status: 'new' };
  });

  const stillUnmatched = new Set([...unmatchedBase.values()].flat());
  const fixed = base.filter((finding) => stillUnmatched.has(finding));
  return { findings, fixed };
}

/**
 * The current report, annotated against the base's: each finding new or unchanged, the fixed ones listed,
 * the base's connectivity beside each cluster's, and only new blocking findings counted as blocking.
 */
export function applyBaseline(report: Report, baseReport: Pick<Report, 'findings' | 'clusters'>, base: NonNullable<Report['base']>): Report {
  const comparison = compareWithBase(report.findings, baseReport.findings.filter((f) => !f.suppressed));
  const fresh = comparison.findings.filter((f) => f.status === 'new' && !f.suppressed);
  return {
    ...report,
    base,
    findings: comparison.findings,
    fixed: comparison.fixed,
    clusters: report.clusters.map((cluster) => ({
      ...cluster,
      baseConnectivity: baseReport.clusters.find((c) => c.name === cluster.name)?.connectivity ?? [],
    })),
    summary: {
      ...summarize(comparison.findings),
      blocking: fresh.filter((f) => f.severity === 'error').length,
      new: fresh.length,
      fixed: comparison.fixed.length,
    },
  };
}
