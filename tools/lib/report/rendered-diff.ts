// The rendered diff of --base: per cluster, which objects a change adds, removes or changes, each
// changed one as a unified diff of its canonical YAML. Plain data in (both sides' objects), plain data out.
import type { ClusterDiff, K8sObject, ObjectDiff, RenderProblem, Report } from '../core/types.ts';
import { canonicalJson, canonicalLines, displayOrderOf, identityOf, isSecret, redactSecrets, referenceOf, stripNoise } from './canonical-object.ts';
import { diffLines, unifiedHunks } from './line-diff.ts';
import { describeRef } from '../core/rule.ts';

/** What one side (base or head) rendered for a cluster. */
export interface RenderedSide {
  objects: K8sObject[];
  problems: RenderProblem[];
}

/** Objects by identity; the value keeps the display order key beside the object. */
function byIdentity(objects: K8sObject[]): Map<string, { object: K8sObject; order: string }> {
  const map = new Map<string, { object: K8sObject; order: string }>();
  for (const object of objects) {
    // the same object twice (render/duplicate-object) is compared occurrence by occurrence
    let key = identityOf(object);
    let order = displayOrderOf(object);
    for (let n = 2; map.has(key); n++) {
      key = `${identityOf(object)}\u0000#${n}`;
      order = `${displayOrderOf(object)}\u0000#${n}`;
    }
    map.set(key, { object, order });
  }
  return map;
}

const compareKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function problemSummary(problems: RenderProblem[]): string {
  const first = `${problems[0].entryPoint}: ${problems[0].message}`;
  return problems.length === 1 ? first : `${first}; and ${problems.length - 1} more render error${problems.length === 2 ? '' : 's'}`;
}

/** Which side did not render and why, or undefined when both sides rendered. */
export function notComparedBecause(base: RenderedSide | undefined, head: RenderedSide): Pick<ClusterDiff, 'notRendered' | 'reason'> | undefined {
  const headFailed = head.problems.length > 0;
  const baseFailed = (base?.problems.length ?? 0) > 0;
  if (headFailed && baseFailed) return { notRendered: 'both', reason: `it does not render on either side (head: ${problemSummary(head.problems)})` };
  if (headFailed) return { notRendered: 'head', reason: `it does not render at the head of this change (${problemSummary(head.problems)})` };
  if (baseFailed) return { notRendered: 'base', reason: `it does not render on the base revision (${problemSummary(base!.problems)})` };
  return undefined;
}

export function objectDiff(before: K8sObject | undefined, after: K8sObject | undefined): ObjectDiff | undefined {
  const subject = (after ?? before)!;
  let old = before ? stripNoise(before) : undefined;
  let now = after ? stripNoise(after) : undefined;
  let redacted: ObjectDiff['redacted'];
  if (isSecret(subject)) {
    const pair = redactSecrets(old, now);
    old = pair.before;
    now = pair.after;
    redacted = { changedKeys: pair.changedKeys };
  }
  if (old && now && canonicalJson(old) === canonicalJson(now)) return undefined;
  const oldLines = old ? canonicalLines(old) : [];
  const newLines = now ? canonicalLines(now) : [];
  const ops = diffLines(oldLines, newLines);
  const hunks = unifiedHunks(ops);
  if (hunks.length === 0) return undefined;
  const label = describeRef(referenceOf(subject));
  const header = [before ? `--- base: ${label}` : '--- /dev/null', after ? `+++ head: ${label}` : '+++ /dev/null'];
  const result: ObjectDiff = {
    change: !before ? 'added' : !after ? 'removed' : 'changed',
    object: referenceOf(subject),
    diff: [...header, ...hunks].join('\n') + '\n',
    additions: ops.filter((op) => op.kind === 'insert').length,
    deletions: ops.filter((op) => op.kind === 'delete').length,
  };
  if (redacted) result.redacted = redacted;
  return result;
}

/**
 * One cluster's diff. `base` undefined means the cluster is new in this change (everything is added);
 * a side with render problems makes the cluster not compared, since a broken render looks like a cluster
 * that lost every object.
 */
export function diffCluster(base: RenderedSide | undefined, head: RenderedSide): ClusterDiff {
  const because = notComparedBecause(base, head);
  if (because) return { status: 'not-compared', ...because, objects: [] };
  const before = byIdentity(base?.objects ?? []);
  const after = byIdentity(head.objects);
  const orderOf = (key: string) => (after.get(key) ?? before.get(key))!.order;
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => compareKeys(orderOf(a), orderOf(b)) || compareKeys(a, b));
  const objects = keys.map((key) => objectDiff(before.get(key)?.object, after.get(key)?.object)).filter((d): d is ObjectDiff => d !== undefined);
  return { status: objects.length > 0 ? 'changed' : 'unchanged', objects };
}

/** For every cluster when the base revision as a whole could not be checked. */
export function notCompared(reason: string): ClusterDiff {
  return { status: 'not-compared', notRendered: 'base', reason, objects: [] };
}

/**
 * Puts each cluster's diff on the report. A cluster that was not compared loses its base connectivity
 * (or every flow would read "no longer allowed"), and a cluster that did not render at the head has no
 * "fixed" findings: nothing was checked there, so nothing is known to be fixed.
 */
export function withRenderedDiff(report: Report, diffs: Map<string, ClusterDiff>): Report {
  const headUnrendered = (cluster: string) => ['head', 'both'].includes(diffs.get(cluster)?.notRendered ?? '');
  const clusters = report.clusters.map((cluster) => {
    const diff = diffs.get(cluster.name);
    if (!diff) return cluster;
    const { baseConnectivity, ...rest } = cluster;
    return diff.status === 'not-compared' ? { ...rest, diff } : { ...cluster, diff };
  });
  if (!report.fixed) return { ...report, clusters };
  const fixed = report.fixed.filter((f) => !headUnrendered(f.cluster));
  return { ...report, clusters, fixed, summary: { ...report.summary, fixed: fixed.length } };
}

export function changeCounts(diff: ClusterDiff): { added: number; removed: number; changed: number; additions: number; deletions: number } {
  const count = (change: ObjectDiff['change']) => diff.objects.filter((o) => o.change === change).length;
  return {
    added: count('added'),
    removed: count('removed'),
    changed: count('changed'),
    additions: diff.objects.reduce((sum, o) => sum + o.additions, 0),
    deletions: diff.objects.reduce((sum, o) => sum + o.deletions, 0),
  };
}

