// A check that checked nothing is not a pass: a typo in PATH, a checkout without clusters/ or
// an overlay that renders nothing would otherwise report "0 errors" and exit 0.
import type { Report } from '../core/types.ts';

export const ALLOW_EMPTY_FLAG = '--allow-empty';

/** Why this report checked nothing, as one sentence; undefined when it checked at least one object. */
export function nothingChecked(report: Report, usedPaths: boolean): string | undefined {
  if (report.clusters.length === 0) {
    return usedPaths
      ? `nothing was checked: no PATH was rendered; pass ${ALLOW_EMPTY_FLAG} if an empty run is what you mean`
      : `nothing was checked: this repository has no clusters/<name>/ folders (give PATH arguments to check folders or files); pass ${ALLOW_EMPTY_FLAG} if an empty run is what you mean`;
  }
  const objects = report.clusters.reduce((sum, cluster) => sum + cluster.objectCount, 0);
  // a render that failed has its own blocking finding, which says more than "nothing was checked"
  if (objects > 0 || report.findings.some((f) => f.rule.startsWith('render/'))) return undefined;
  const skipped = report.clusters.flatMap((c) => c.skipped);
  if (skipped.length > 0) {
    const more = skipped.length > 1 ? ` (and ${skipped.length - 1} more skipped)` : '';
    return `nothing was checked: skipped ${skipped[0].name}: ${skipped[0].reason}${more}; pass ${ALLOW_EMPTY_FLAG} if an empty run is what you mean`;
  }
  const names = report.clusters.map((c) => c.name);
  const shown = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
  const what = usedPaths ? (names.length === 1 ? 'path' : 'paths') : names.length === 1 ? 'cluster' : 'clusters';
  return `nothing was checked: the ${what} ${shown} rendered 0 objects; pass ${ALLOW_EMPTY_FLAG} if an empty run is what you mean`;
}
