// Where a finding without a source line is shown (editors, code scanning): its cluster's reconciler declaration.
import type { Finding, Report, SourceLocation } from '../core/types.ts';

export function locationOf(report: Report, f: Finding): SourceLocation {
  if (f.location) return f.location;
  const cluster = report.clusters.find((c) => c.name === f.cluster);
  const declared = cluster?.entryPoints.find((e) => e.declaredIn)?.declaredIn;
  if (declared) return declared;
  return { file: cluster?.entryPoints[0]?.path ?? 'clusters', line: 1, column: 1 };
}
