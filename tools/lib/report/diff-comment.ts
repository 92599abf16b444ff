// The rendered diff in the PR comment: a line per cluster (output changed / unchanged / not compared),
// then one collapsed <details> per changed cluster with each object's diff in a ```diff fence.
import type { ClusterDiff, ObjectDiff, Report } from '../core/types.ts';
import type { CommentSection } from './fit.ts';
import { codeBlock, escapeInline } from './escape.ts';
import { changeBreakdown } from './diff-text.ts';
import { changeCounts } from './rendered-diff.ts';

/** One object's diff in the comment is cut after this many characters; the json report keeps it whole. */
export const OBJECT_DIFF_MAX = 12_000;

/** Priorities for fit.ts: the status lines outlast new findings, the diffs go after unchanged findings. */
export const STATUS_PRIORITY = 45;
export const DIFF_PRIORITY = 15;

/** The unit in fit.ts's cut note, which prints units as they are, so the cluster name is escaped here: "3 of 12 object diffs of staging". */
export function diffUnit(cluster: string): string {
  return `object diffs of ${escapeInline(cluster, 80)}`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function statusLine(cluster: string, diff: ClusterDiff): string {
  const name = `**${escapeInline(cluster, 80)}**`;
  if (diff.status === 'not-compared') {
    return `- :warning: ${name}: not compared, ${escapeInline(diff.reason ?? 'it did not render on one side', 600)}\n`;
  }
  if (diff.status === 'unchanged') return `- ${name}: output unchanged\n`;
  return `- :pencil2: ${name}: output changed (${plural(diff.objects.length, 'object')})\n`;
}

/** Whole lines up to `max` characters, then a line saying how much of this object's diff is left out. */
export function clipDiff(diff: string, max = OBJECT_DIFF_MAX): string {
  if (diff.length <= max) return diff;
  const lines = diff.replace(/\n$/, '').split('\n');
  let kept = 0;
  let size = 0;
  while (kept < lines.length && size + lines[kept].length + 1 <= max) size += lines[kept++].length + 1;
  const rest = lines.length - kept;
  return `${lines.slice(0, kept).join('\n')}\n… ${rest} more line${rest === 1 ? '' : 's'} of this object's diff not shown (the json report has all of it)\n`;
}

function objectItem(object: ObjectDiff): string {
  const note = object.redacted ? `\n_Secret values are never shown${object.redacted.changedKeys.length ? `; changed: ${object.redacted.changedKeys.map((k) => escapeInline(k, 200)).join(', ')}` : ''}._\n` : '';
  // the fence is longer than any backtick run in the diff, and the diff is clipped before, so nothing inside can close it
  return `${codeBlock(clipDiff(object.diff), 'diff', OBJECT_DIFF_MAX * 2)}\n${note}\n`;
}

export function renderedOutputSections(report: Report): CommentSection[] {
  const compared = report.clusters.filter((c) => c.diff);
  if (!report.base || compared.length === 0) return [];
  const status: CommentSection = {
    head: `\n#### Rendered output\n\n`,
    items: compared.map((c) => statusLine(c.name, c.diff!)),
    tail: '',
    priority: STATUS_PRIORITY,
    unit: 'cluster output lines',
  };
  const details = compared
    .filter((c) => c.diff!.status === 'changed')
    .map((c): CommentSection => {
      const counts = changeCounts(c.diff!);
      const summary = `Rendered diff of ${escapeInline(c.name, 80)}: ${changeBreakdown(c.diff!)} (+${counts.additions} −${counts.deletions} lines)`;
      return {
        head: `\n<details><summary>${summary}</summary>\n\n`,
        items: c.diff!.objects.map(objectItem),
        tail: '</details>\n',
        priority: DIFF_PRIORITY,
        unit: diffUnit(c.name),
      };
    });
  return [status, ...details];
}
