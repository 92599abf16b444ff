import type { Finding, Report, Severity } from '../core/types.ts';

/** Counts of the findings that are not waived; every error blocks (a baseline narrows that to new ones). */
export function summarize(findings: Finding[]): Report['summary'] {
  const active = findings.filter((f) => !f.suppressed);
  const count = (s: Severity) => active.filter((f) => f.severity === s).length;
  return {
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
    suppressed: findings.length - active.length,
    blocking: count('error'),
  };
}
