// The verification as text: one row per cluster (objects and pods: accepted / rejected / warned), then every rejection
// with the server's message, then every warning.
import type { ClusterVerification, Verdict } from './verify-cluster.ts';

export interface Counts {
  total: number;
  accepted: number;
  rejected: number;
  warned: number;
}

export function countVerdicts(verdicts: Verdict[]): Counts {
  return {
    total: verdicts.length,
    accepted: verdicts.filter((v) => v.accepted).length,
    rejected: verdicts.filter((v) => !v.accepted).length,
    warned: verdicts.filter((v) => v.warnings.length > 0).length,
  };
}

const HEADER = ['cluster', 'objects', 'accepted', 'rejected', 'warned', 'pods', 'accepted', 'rejected', 'warned'];

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ').trimEnd();
}

export function formatVerification(clusters: ClusterVerification[]): string {
  const rows: (string | number)[][] = clusters.map((c) => {
    const o = countVerdicts(c.objects);
    const p = countVerdicts(c.pods);
    return [c.cluster, o.total, o.accepted, o.rejected, o.warned, p.total, p.accepted, p.rejected, p.warned];
  });
  if (clusters.length > 1) {
    rows.push(['total', ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => rows.reduce((sum, r) => sum + Number(r[i]), 0))]);
  }
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const lines = [row(HEADER, widths), ...rows.map((r) => row(r, widths))];
  for (const c of clusters) {
    const notes = [`${c.bundledCrds} CRD${c.bundledCrds === 1 ? '' : 's'} installed from schemas/crds`];
    if (c.providedNamespaces.length) notes.push(`namespace${c.providedNamespaces.length === 1 ? '' : 's'} the reconciler's install creates: ${c.providedNamespaces.join(', ')}`);
    lines.push(`${c.cluster}: ${notes.join('; ')}`);
  }
  const rejected = clusters.flatMap((c) => [...c.objects, ...c.pods].filter((v) => !v.accepted).map((v) => `  ${c.cluster}  ${v.subject}: ${v.message}`));
  if (rejected.length) lines.push('', `rejected (${rejected.length}):`, ...rejected);
  const warned = clusters.flatMap((c) => [...c.objects, ...c.pods].flatMap((v) => v.warnings.map((w) => `  ${c.cluster}  ${v.subject}: ${w}`)));
  if (warned.length) lines.push('', `warnings (${warned.length}):`, ...warned);
  return lines.join('\n') + '\n';
}

/** 0 everything accepted, 1 something rejected. */
export function exitCodeOf(clusters: ClusterVerification[]): 0 | 1 {
  return clusters.some((c) => [...c.objects, ...c.pods].some((v) => !v.accepted)) ? 1 : 0;
}
