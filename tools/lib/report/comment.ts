// Renders the json report as the sticky PR comment: one calm line when nothing blocks; otherwise the verdict,
// then blocking findings, warnings and notes with their fixes, connectivity changes, and fixed, unchanged and
// waived findings collapsed, and a footer. Every count is of mistakes (finding-groups.ts) and equals the
// items listed under it. Every repository-derived string goes through escape.ts; every link is built by
// docs/rule-links.ts from the repository's web URL, and there are none without one.
import type { CombinedFix, ConnectivityEdge, Finding, FindingStatus, ObjectRef, Report } from '../core/types.ts';
import { codeBlock, escapeInline, link } from './escape.ts';
import { describeRef } from '../core/identity.ts';
import { groupAcrossClusters, type FindingGroup } from './finding-groups.ts';
import { formatPath } from '../core/yaml-source.ts';
import { fitSections, GITHUB_COMMENT_LIMIT, type CommentSection, type FitResult } from './fit.ts';
import { renderedOutputSections } from './diff-comment.ts';
import { blobUrl, ruleDocUrl } from '../docs/rule-links.ts';
import { combinedFixSection, componentFixesByFinding, componentPointer } from './combined-fixes.ts';

/** Hidden first line by which the bot finds its own comment again (together with the author). */
export const COMMENT_MARKER = '<!-- policy-check:pr-comment -->';

export interface CommentContext {
  /** Web URL of the repository (https://github.com/owner/name, or a GitHub Enterprise host). Without it, no links. */
  repositoryUrl?: string;
  /** Commit the new findings and rule pages link to (the PR head). Without it locations are plain text. */
  headSha?: string;
  /** Whether the repository has the rule's page (docs/rules/<area>-<name>.md); rule ids link only to pages that exist. */
  hasRuleDoc?: (id: string) => boolean;
  /** Character limit of a comment body. */
  limit?: number;
}

export interface RenderedComment extends FitResult {
  body: string;
}

type ReportFinding = Finding & { status?: FindingStatus };

/** How a list item links: the commit its locations point at, and whether its rule id links to the rule's page. */
interface ItemLinks {
  context: CommentContext;
  sha: string | undefined;
  /** Findings a component fix resolves: they point at it instead of showing their own snippet. */
  componentFixes?: ReadonlyMap<string, CombinedFix>;
}

const CONNECTIVITY_OPEN_MAX = 15;

const WAIVED_ICON = ':mute:';
const FIXED_ICON = ':heavy_check_mark:';
const SEVERITY_ICON: Record<Finding['severity'], string> = { error: ':x:', warning: ':warning:', info: ':information_source:' };

export function renderComment(report: Report, context: CommentContext): RenderedComment {
  const limit = context.limit ?? GITHUB_COMMENT_LIMIT;
  const compared = report.base !== undefined;
  const active = report.findings.filter((f) => !f.suppressed);
  const current = active.filter((f) => !compared || f.status !== 'unchanged');
  const lists: Lists = {
    blocking: current.filter((f) => f.severity === 'error'),
    warnings: current.filter((f) => f.severity === 'warning'),
    notes: current.filter((f) => f.severity === 'info'),
    fixed: (report.fixed ?? []).filter((f) => !f.suppressed),
    unchanged: compared ? active.filter((f) => f.status === 'unchanged') : [],
    waived: report.findings.filter((f) => f.suppressed),
  };
  const head: ItemLinks = { context, sha: safeSha(context.headSha) ?? safeSha(report.commit), componentFixes: componentFixesByFinding(report.fixes ?? []) };
  const base: ItemLinks = { context, sha: safeSha(report.base?.commit) };
  const kind = (noun: string) => (compared ? `New ${noun}` : noun[0].toUpperCase() + noun.slice(1));

  const sections: CommentSection[] = [
    { required: true, head: `${COMMENT_MARKER}\n${verdict(report, lists)}` },
    ...renderedOutputSections(report),
    findingsSection(lists.blocking, kind('blocking findings'), 'blocking findings', 40, head, 'open'),
    combinedFixSection(report.fixes ?? [], new Set(current.map((f) => f.fingerprint))),
    findingsSection(lists.warnings, kind('warnings'), 'warnings', 35, head, 'open'),
    findingsSection(lists.notes, kind('notes'), 'notes', 32, head, 'open'),
    connectivitySection(report),
    findingsSection(lists.fixed, 'Fixed by this pull request', 'fixed findings', 20, base, 'fixed'),
    findingsSection(lists.unchanged, 'Unchanged (already on the base branch)', 'unchanged findings', 10, head, 'collapsed'),
    findingsSection(lists.waived, 'Waived', 'waived findings', 5, head, 'collapsed'),
    { required: true, head: footer(report, lists.blocking.length + lists.warnings.length + lists.notes.length > 0) },
  ].filter((s): s is CommentSection => s !== undefined);

  const result = fitSections(sections, limit, cutNote);
  return { ...result, body: result.markdown };
}

interface Lists {
  blocking: ReportFinding[];
  warnings: ReportFinding[];
  notes: ReportFinding[];
  fixed: Finding[];
  unchanged: ReportFinding[];
  waived: ReportFinding[];
}

/**
 * Nothing blocking: one calm line. Blocking: a heading with their number. Either way each number that follows
 * is the length of a list below it (mistakes, grouped across clusters), in the order the lists appear.
 */
function verdict(report: Report, lists: Lists): string {
  const groups = (list: readonly Finding[]) => groupAcrossClusters(list).length;
  const blocking = groups(lists.blocking);
  const objects = report.clusters.reduce((sum, c) => sum + c.objectCount, 0);
  const scope = `in ${plural(report.clusters.length, 'cluster')} (${plural(objects, 'object')})`;
  const against = report.base
    ? `, compared with ${escapeInline(report.base.ref, 100)}${report.base.commit ? ` (${escapeInline(report.base.commit.slice(0, 7), 7)})` : ''}`
    : '';
  const facts = [
    [groups(lists.warnings), 'warning'],
    [groups(lists.notes), 'note'],
    [groups(lists.fixed), 'fixed'],
    [groups(lists.unchanged), 'unchanged'],
    [groups(lists.waived), 'waived'],
  ] as const;
  const rest = facts.filter(([n]) => n > 0).map(([n, what]) => (what === 'warning' || what === 'note' ? plural(n, what) : `${n} ${what}`));
  if (blocking === 0) {
    const line = `✔ No${report.base ? ' new' : ''} blocking findings ${scope}${against}.`;
    return `${line}${rest.length ? ` ${rest.join(' · ')}.` : ''}\n`;
  }
  const headline = `### :x: Policy check: ${plural(blocking, 'blocking finding')}${report.base ? ' new in this pull request' : ''}`;
  return `${headline}\n\nChecked ${scope.slice(3)}${against}: ${[plural(blocking, 'blocking finding'), ...rest].join(' · ')}.\n`;
}

/** Open sections list each finding with its fix; collapsed ones (fixed, unchanged, waived) fold into <details> without fixes. */
function findingsSection(
  findings: ReportFinding[],
  title: string,
  unit: string,
  priority: number,
  links: ItemLinks,
  style: 'open' | 'collapsed' | 'fixed',
): CommentSection | undefined {
  if (findings.length === 0) return undefined;
  const groups = groupAcrossClusters(sortFindings(findings));
  const heading = `${title} (${groups.length})`;
  const collapsed = style !== 'open';
  return {
    head: collapsed ? `\n<details><summary>${heading}</summary>\n\n` : `\n#### ${heading}\n\n`,
    items: groups.map((g) => findingItem(g, links, style)),
    tail: collapsed ? '\n</details>\n' : '',
    priority,
    unit,
  };
}

function findingItem({ finding: f, clusters }: FindingGroup<ReportFinding>, links: ItemLinks, style: 'open' | 'collapsed' | 'fixed'): string {
  const where = f.location ? locationLink(f.location.file, f.location.line, links) : '';
  const object = f.object ? ` in ${objectLabel(f.object)}` : '';
  const path = f.path && f.path.length > 0 ? ` at ${escapeInline(formatPath(f.path), 200)}` : '';
  const inClusters = `${clusters.length === 1 ? 'cluster' : 'clusters'} ${clusters.map((c) => escapeInline(c, 80)).join(', ')}`;
  const waived = f.suppressed
    ? `  \n  waived: ${escapeInline(f.suppressed.reason, 300)}${f.suppressed.expires ? ` (until ${escapeInline(f.suppressed.expires, 20)})` : ''}`
    : '';
  const icon = f.suppressed ? WAIVED_ICON : style === 'fixed' ? FIXED_ICON : SEVERITY_ICON[f.severity];
  let item = `- ${icon} **${ruleLink(f.rule, links)}**${object}${path}${where ? ` (${where})` : ''}, ${inClusters}  \n  ${escapeInline(f.message, 600)}${waived}\n`;
  const byComponent = style === 'open' && !f.suppressed ? links.componentFixes?.get(f.fingerprint) : undefined;
  if (byComponent) item += `\n  ${escapeInline(componentPointer(byComponent), 1500)}\n\n`;
  else if (style === 'open' && f.fix) {
    // Indented two spaces so the block belongs to the list item; the fence cannot be closed from inside.
    item += `\n${indent(codeBlock(f.fix, 'yaml', 1500), '  ')}\n\n`;
  }
  return item;
}

/** The rule id, linked to its page at the linked commit when the repository has one. */
function ruleLink(rule: string, { context, sha }: ItemLinks): string {
  const text = escapeInline(rule, 100);
  if (!context.repositoryUrl || !sha || !context.hasRuleDoc?.(rule)) return text;
  const url = ruleDocUrl(context.repositoryUrl, rule, sha);
  return url ? link(text, url) : text;
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

/** How to reproduce and, when something is listed, how to waive; a green comment stays short. */
function footer(report: Report, anythingListed: boolean): string {
  const base = report.base ? ` --base ${escapeInline(report.base.ref, 100)}` : '';
  const waive = anythingListed
    ? 'Waive a finding with a reason and an expiry: an entry under <code>waivers</code> in <code>policies/config.yaml</code>, ' +
      'or the <code>policy-check.dev/waivers</code> annotation on the object · '
    : '';
  return [
    '',
    '---',
    `<sub>Run it locally: <code>npx tsx tools/check.ts${base}</code> · ${waive}` +
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

function locationLink(file: string, line: number, { context, sha }: ItemLinks): string {
  const safeLine = Number.isInteger(line) && line > 0 ? line : undefined;
  const text = escapeInline(safeLine ? `${file}:${safeLine}` : file, 200);
  const url = context.repositoryUrl && sha ? blobUrl(context.repositoryUrl, sha, file, safeLine) : undefined;
  return url ? link(text, url) : text;
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
