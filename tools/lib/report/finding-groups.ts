// One mistake, one item: the same finding in several clusters (a base file feeding four overlays) is one group
// that names its clusters. The PR comment, the annotations and every count a reader sees use this grouping.
import type { Finding } from '../core/types.ts';
import { objectKey } from '../core/identity.ts';
import { formatPath } from '../core/yaml-source.ts';

export interface FindingGroup<F extends Finding = Finding> {
  /** The first finding of the group (findings are sorted first, so this is stable). */
  finding: F;
  /** Clusters the mistake shows up in, in order of appearance. */
  clusters: string[];
  findings: F[];
}

/** What makes two findings the same mistake: rule, severity, place, object, field and message; not the cluster. */
export function findingGroupKey(f: Finding): string {
  return JSON.stringify([
    f.rule,
    f.severity,
    f.location?.file ?? '',
    f.location?.line ?? 0,
    f.location?.column ?? 0,
    f.object ? objectKey(f.object) : '',
    formatPath(f.path ?? []),
    f.message,
  ]);
}

/** Groups findings across clusters, keeping the order of first appearance; one cluster never appears twice in a group. */
export function groupAcrossClusters<F extends Finding>(findings: readonly F[]): FindingGroup<F>[] {
  const groups: FindingGroup<F>[] = [];
  const open = new Map<string, FindingGroup<F>>();
  for (const f of findings) {
    const key = findingGroupKey(f);
    const group = open.get(key);
    if (group && !group.clusters.includes(f.cluster)) {
      group.clusters.push(f.cluster);
      group.findings.push(f);
      continue;
    }
    const fresh: FindingGroup<F> = { finding: f, clusters: [f.cluster], findings: [f] };
    groups.push(fresh);
    open.set(key, fresh);
  }
  return groups;
}
