// --connectivity in text mode: the matrix of allowed flows per cluster, before the findings.
import type { Report } from '../core/types.ts';
import { formatConnectivity } from '../network/connectivity.ts';

export function formatConnectivityReport(report: Report): string {
  return report.clusters
    .map((c) => `connectivity of ${c.name} (${(c.connectivity ?? []).length} allowed flows)\n${formatConnectivity(c.connectivity ?? [])}\n`)
    .join('\n');
}
