// Renders the json report as the sticky PR comment: verdict, a per-cluster summary table,
// new findings with links to the head commit, connectivity changes, fixed and unchanged
// findings collapsed, and a footer. Every repository-derived string goes through escape.ts.
import type { ConnectivityEdge, Finding, FindingStatus, ObjectRef, Report } from '../core/types.ts';
import { codeBlock, encodeRepoPath, escapeInline, link } from './escape.ts';
import { describeRef } from '../core/identity.ts';
import { groupAcrossClusters, type FindingGroup } from './finding-groups.ts';
import { formatPath } from '../core/yaml-source.ts';
import { fitSections, GITHUB_COMMENT_LIMIT, type CommentSection, type FitResult } from './fit.ts';
import { renderedOutputSections } from './diff-comment.ts';
import { combinedFixSection } from './combined-fixes.ts';

/** Hidden first line by which the bot finds its own comment again (together with the author). */
export const COMMENT_MARKER = '<!-- policy-check:pr-comment -->';

export interface CommentContext {
  /** Web URL of the GitHub server, e.g. https://github.com or https://ghe.example.com. */
  serverUrl: string;
  /** owner/name. */
  repository: string;
  /** Commit the new findings link to (the PR head). Without it locations are plain text. */
  headSha?: string;
  /** Character limit of a comment body. */
  limit?: number;
}

export interface RenderedComment extends FitResult {
  body: string;
}

type ReportFinding = Finding & { status?: FindingStatus };

const CONNECTIVITY_OPEN_MAX = 15;

const SEVERITY_ICON: Record<Finding['severity'], string> = { error: ':x:', warning: ':warning:', info: ':information_source:' };

export function renderComment(report: Report, context: CommentContext): RenderedComment {
  const limit = context.limit ?? GITHUB_COMMENT_LIMIT;
  const compared = report.base !== undefined;
  const active = report.findings.filter((f) => !f.suppressed);
  const newFindings = active.filter((f) => !compared || f.status !== 'unchanged');
  const unchanged = compared ? active.filter((f) => f.status === 'unchanged') : [];
  const fixed = (report.fixed ?? []).filter((f) => !f.suppressed);
  const waived = groupAcrossClusters(report.findings.filter((f) => f.suppressed)).length;
  const headSha = safeSha(context.headSha) ?? safeSha(report.commit);
  const baseSha = safeSha(report.base?.commit);

  const sections: CommentSection[] = [
    { required: true, head: `${COMMENT_MARKER}\n${verdict(report, newFindings, fixed, unchanged, waived)}\n` },
    { required: true, head: summaryTable(report, newFindings, fixed, unchanged) },
    ...renderedOutputSections(report),
    findingsSection(newFindings, compared ? 'New in this pull request' : 'Findings', 'new findings', 40, context, headSha, 'open'),
    combinedFixSection(report.fixes ?? [], new Set(newFindings.map((f) => f.fingerprint))),
    connectivitySection(report),
    findingsSection(fixed, 'Fixed by this pull request', 'fixed findings', 20, context, baseSha, 'collapsed'),
    findingsSection(unchanged, 'Unchanged (already on the base branch)', 'unchanged findings', 10, context, headSha, 'collapsed'),
    { required: true, head: footer(report) },
  ].filter((s): s is CommentSection => s !== undefined);

  const result = fitSections(sections, limit, cutNote);
  return { ...result, body: result.markdown };
}

/** Counts are of mistakes (groups across clusters), so each number matches the list a reader sees under it. */
function verdict(report: Report, newFindings: ReportFinding[], fixed: Finding[], unchanged: ReportFinding[], waived: number): string {
  const groups = (list: readonly Finding[]) => groupAcrossClusters(list).length;
  const blocking = groups(newFindings.filter((f) => f.severity === 'error'));
  const newWarnings = groups(newFindings.filter((f) => f.severity === 'warning'));
  const headline =
    blocking > 0
      ? `### :x: Policy check: ${plural(blocking, 'blocking finding')}${report.base ? ' new in this pull request' : ''}`
      : `### :white_check_mark: Policy check passed${report.base ? ': no new blocking findings' : ''}`;
  const facts: string[] = [];
  if (report.base) {
    facts.push(`${plural(groups(newFindings), 'new finding')}${newWarnings ? ` (${plural(newWarnings, 'warning')})` : ''}`);
    facts.push(`${groups(fixed)} fixed`, `${groups(unchanged)} unchanged`);
  } else {
    facts.push(plural(groups(newFindings), 'finding'));
  }
  if (waived > 0) facts.push(`${waived} waived`);
  const against = report.base
    ? ` Compared with ${escapeInline(report.base.ref, 100)}${report.base.commit ? ` (${escapeInline(report.base.commit.slice(0, 7), 7)})` : ''}.`
    : '';
  return `${headline}\n\n${facts.join(' · ')}.${against}\n`;
}

function summaryTable(report: Report, newFindings: ReportFinding[], fixed: Finding[], unchanged: ReportFinding[]): string {
  const clusters = [...new Set([...report.clusters.map((c) => c.name), ...[...newFindings, ...fixed, ...unchanged].map((f) => f.cluster)])];
  if (clusters.length === 0) return '';
  const count = (list: Finding[], cluster: string, severity: Finding['severity']): number =>
    list.filter((f) => f.cluster === cluster && f.severity === severity).length;
  const rows = clusters.map((cluster) => {
    const cells = [newFindings, fixed, unchanged].flatMap((list) => [count(list, cluster, 'error'), count(list, cluster, 'warning')]);
    return `| ${escapeInline(cluster, 80)} | ${cells.join(' | ')} |`;
  });
  return [
    '',
    '| Cluster | New errors | New warnings | Fixed errors | Fixed warnings | Unchanged errors | Unchanged warnings |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ].join('\n') + '\n';
}

/** Open sections list each finding with its fix; collapsed ones (fixed, unchanged) fold into <details> without fixes. */
function findingsSection(
  findings: ReportFinding[],
  title: string,
  unit: string,
  priority: number,
  context: CommentContext,
  sha: string | undefined,
  style: 'open' | 'collapsed',
): CommentSection | undefined {
  if (findings.length === 0) return undefined;
  const groups = groupAcrossClusters(sortFindings(findings));
  const heading = `${title} (${groups.length})`;
  const collapsed = style === 'collapsed';
  return {
    head: collapsed ? `\n<details><summary>${heading}</summary>\n\n` : `\n#### ${heading}\n\n`,
    items: groups.map((g) => findingItem(g, context, sha, !collapsed)),
    tail: collapsed ? '\n</details>\n' : '',
    priority,
    unit,
  };
}

function findingItem({ finding: f, clusters }: FindingGroup<ReportFinding>, context: CommentContext, sha: string | undefined, withFix: boolean): string {
  const where = f.location ? locationLink(f.location.file, f.location.line, context, sha) : '';
  const object = f.object ? ` in ${objectLabel(f.object)}` : '';
  const path = f.path && f.path.length > 0 ? ` at ${escapeInline(formatPath(f.path), 200)}` : '';
  const inClusters = `${clusters.length === 1 ? 'cluster' : 'clusters'} ${clusters.map((c) => escapeInline(c, 80)).join(', ')}`;
  let item = `- ${SEVERITY_ICON[f.severity]} **${escapeInline(f.rule, 100)}**${object}${path}${where ? ` (${where})` : ''}, ${inClusters}  \n  ${escapeInline(f.message, 600)}\n`;
  if (withFix && f.fix) {
    // Indented two spaces so the block belongs to the list item; the fence cannot be closed from inside.
    item += `\n${indent(codeBlock(f.fix, 'yaml', 1500), '  ')}\n\n`;
  }
  return item;
}

function connectivitySection(report: Report): CommentSection | undefined {
  const items: string[] = [];
  for (const cluster of report.clusters) {
    if (!cluster.connectivity || !cluster.baseConnectivity) continue;
    const now = new Map(cluster.connectivity.map((e) => [edgeKey(e), e]));
    const before = new Map(cluster.baseConnectivity.map((e) => [edgeKey(e), e]));
    const added = [...now].filter(([k]) => !before.has(k)).map(([, e]) => e);
    const removed = [...before].filter(([k]) => !now.has(k)).map(([, e]) => e);
    let first = true;
    for (const [sign, edges] of [['allowed now', added], ['no longer allowed', removed]] as const) {
      for (const e of edges) {
        const heading = first ? `\n**Cluster ${escapeInline(cluster.name, 80)}**\n\n` : '';
        first = false;
        const icon = sign === 'allowed now' ? ':heavy_plus_sign:' : ':heavy_minus_sign:';
        items.push(
          `${heading}- ${icon} ${escapeInline(e.from, 200)} → ${escapeInline(e.to, 200)} on ${escapeInline(String(e.port), 20)}/${escapeInline(e.protocol, 10)} (${sign})\n`,
        );
      }
    }
  }
  if (items.length === 0) return undefined;
  // A handful of changes is the news of the PR; a long list (a new app, a new cluster) folds away.
  if (items.length <= CONNECTIVITY_OPEN_MAX) {
    return { head: `\n#### Connectivity changes\n`, items, tail: '', priority: 30, unit: 'connectivity changes' };
  }
  return {
    head: `\n<details><summary>Connectivity changes (${items.length})</summary>\n`,
    items,
    tail: '\n</details>\n',
    priority: 30,
    unit: 'connectivity changes',
  };
}

function footer(report: Report): string {
  const base = report.base ? ` --base ${escapeInline(report.base.ref, 100)}` : '';
  return [
    '',
    '---',
    `<sub>Run it locally: <code>npx tsx tools/check.ts${base}</code> · ` +
      'Waive a finding with a reason and an expiry: an entry under <code>waivers</code> in <code>policies/config.yaml</code>, ' +
      'or the <code>policy-check.dev/waivers</code> annotation on the object · ' +
      `${escapeInline(report.tool.name, 60)} ${escapeInline(report.tool.version, 30)}` +
      `${report.commit ? ` · ${escapeInline(report.commit.slice(0, 7), 7)}` : ''}</sub>`,
    '',
  ].join('\n');
}

function cutNote(cuts: FitResult['cuts']): string {
  if (cuts.length === 0) return '';
  const parts = cuts.map((c) => (c.omitted === c.total ? `all ${c.total} ${c.unit}` : `${c.omitted} of ${c.total} ${c.unit}`));
  const diffs = cuts.some((c) => c.unit.startsWith('object diffs of '))
    ? ' Every rendered diff is in the json report artifact (<code>clusters[].diff</code>) and locally in <code>npx tsx tools/check.ts --base REF --diff</code>.'
    : '';
  return (
    `\n> [!NOTE]\n> Cut to stay under GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character comment limit: ${parts.join(', ')}. ` +
    `The annotations and the json report artifact of the check run list everything.${diffs}\n`
  );
}

function locationLink(file: string, line: number, context: CommentContext, sha: string | undefined): string {
  const safeLine = Number.isInteger(line) && line > 0 ? line : undefined;
  const text = escapeInline(safeLine ? `${file}:${safeLine}` : file, 200);
  const encoded = encodeRepoPath(file);
  const server = context.serverUrl.replace(/\/+$/, '');
  if (!sha || !encoded || !/^[\w.-]+\/[\w.-]+$/.test(context.repository)) return text;
  return link(text, `${server}/${context.repository}/blob/${sha}/${encoded}${safeLine ? `#L${safeLine}` : ''}`);
}

function objectLabel(object: ObjectRef): string {
  return escapeInline(describeRef(object), 200);
}

function sortFindings<T extends Finding>(findings: T[]): T[] {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return [...findings].sort(
    (a, b) =>
      rank[a.severity] - rank[b.severity] ||
      (a.location?.file ?? '').localeCompare(b.location?.file ?? '') ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      a.cluster.localeCompare(b.cluster),
  );
}

function edgeKey(e: ConnectivityEdge): string {
  return JSON.stringify([e.from, e.to, String(e.port), e.protocol]);
}

function safeSha(sha: string | undefined): string | undefined {
  return sha && /^[0-9a-f]{7,64}$/i.test(sha) ? sha : undefined;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
