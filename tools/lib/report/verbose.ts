// --verbose: which kustomize rendered, and per cluster how long it took and which entry points it followed.
import type { Report } from '../core/types.ts';

export function formatVerbose(report: Report, renderMs: ReadonlyMap<string, number>): string {
  const lines = [`kustomize: ${report.kustomize?.description ?? 'none (nothing was rendered)'}`];
  for (const cluster of report.clusters) {
    const ms = renderMs.get(cluster.name);
    const time = ms === undefined ? '' : ` rendered in ${(ms / 1000).toFixed(1)} s;`;
    lines.push(`cluster ${cluster.name}:${time} ${cluster.entryPoints.length} entry point${cluster.entryPoints.length === 1 ? '' : 's'}, ${cluster.objectCount} objects`);
    for (const e of cluster.entryPoints) {
      const at = e.declaredIn ? ` (${e.declaredIn.file}:${e.declaredIn.line})` : '';
      lines.push(`  ${e.engine} ${e.name} -> ${e.path}${at}`);
    }
  }
  return lines.map((l) => `policy-check: ${l}\n`).join('');
}
