// The rendered diff in the text report: one status line per cluster, and with --diff every object's unified diff.
import type { ClusterDiff, Report } from '../core/types.ts';
import { changeCounts } from './rendered-diff.ts';

export type Paint = (colour: 'red' | 'green' | 'cyan' | 'bold' | 'grey' | 'yellow', text: string) => string;

const plain: Paint = (_colour, text) => text;

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** "output changed (3 objects: 1 added, 2 changed)", "output unchanged", or why the cluster was not compared. */
export function outputStatus(diff: ClusterDiff): string {
  if (diff.status === 'not-compared') return `output not compared: ${diff.reason ?? 'it did not render on one side'}`;
  if (diff.status === 'unchanged') return 'output unchanged';
  return `output changed (${plural(diff.objects.length, 'object')}: ${changeBreakdown(diff)})`;
}

/** "1 added, 2 changed" in a fixed order, leaving out zeros. */
export function changeBreakdown(diff: ClusterDiff): string {
  const counts = changeCounts(diff);
  return (['added', 'removed', 'changed'] as const)
    .filter((change) => counts[change] > 0)
    .map((change) => `${counts[change]} ${change}`)
    .join(', ');
}

function paintDiffLine(line: string, paint: Paint): string {
  if (line.startsWith('--- ') || line.startsWith('+++ ')) return paint('bold', line);
  if (line.startsWith('@@')) return paint('cyan', line);
  if (line.startsWith('+')) return paint('green', line);
  if (line.startsWith('-')) return paint('red', line);
  return line;
}

/** --diff: per compared cluster, its status and then each object's diff as `git diff` would print it. */
export function formatRenderedDiff(report: Report, paint: Paint = plain): string {
  if (!report.base) return '';
  const against = `${report.base.ref}${report.base.commit ? ` (${report.base.commit.slice(0, 7)})` : ''}`;
  const blocks: string[] = [];
  for (const cluster of report.clusters) {
    if (!cluster.diff) continue;
    const lines = [paint('bold', `rendered diff of ${cluster.name} against ${against}: ${outputStatus(cluster.diff)}`)];
    for (const object of cluster.diff.objects) {
      lines.push(...object.diff.replace(/\n$/, '').split('\n').map((line) => paintDiffLine(line, paint)));
      if (object.redacted) {
        const changed = object.redacted.changedKeys.length ? `; changed: ${object.redacted.changedKeys.join(', ')}` : '';
        lines.push(paint('grey', `(Secret values are never printed${changed})`));
      }
    }
    blocks.push(lines.join('\n') + '\n');
  }
  return blocks.join('\n') + (blocks.length ? '\n' : '');
}
