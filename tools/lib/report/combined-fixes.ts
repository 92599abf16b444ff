// Several rules often fix one place: six Pod Security findings on one securityContext each carry a partial
// snippet. This merges the snippets of one object and one anchor (the field the snippet is written under) into
// one, so a reviewer pastes one block instead of six.
import { isMap, parseDocument, stringify } from 'yaml';
import type { CombinedFix, FieldPath, Finding, ObjectRef } from '../core/types.ts';
import { codeBlock, escapeInline } from './escape.ts';
import type { CommentSection } from './fit.ts';

export type { CombinedFix };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const UNDER = /^# under (\S+) of .*$/;

/** Where a snippet is written: its own `# under <path> of <object>` comment, else where its first key sits in the finding's path. */
function anchorOf(finding: Finding, value: Record<string, Json>, comment?: string): string | undefined {
  if (comment) return comment;
  const first = Object.keys(value)[0];
  const path: FieldPath = finding.path ?? [];
  const at = path.findIndex((segment) => segment === first);
  if (at < 0) return undefined;
  return path.slice(0, at).map(String).join('.');
}

/** A snippet as YAML data, with the anchor comment of its first line; undefined when it is not a YAML map (prose, several documents). */
function parseSnippet(fix: string): { value: Record<string, Json>; under?: string } | undefined {
  const lines = fix.split('\n');
  const under = lines[0].match(UNDER)?.[1];
  const body = under ? lines.slice(1).join('\n') : fix;
  if (body.includes('\n---')) return undefined;
  const doc = parseDocument(body);
  if (doc.errors.length || !isMap(doc.contents)) return undefined;
  const value = doc.toJS() as Record<string, Json>;
  return value && typeof value === 'object' ? { value, under } : undefined;
}

const isObject = (v: Json | undefined): v is { [key: string]: Json } => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Deep merge: maps key by key, lists of named maps by name (containers), other lists as a union; two different
 * scalars at one place keep the first and record the other in `conflicts` (path -> the values asked for).
 */
export function mergeValues(a: Json, b: Json, path: string, conflicts: Map<string, Json[]>): Json {
  if (isObject(a) && isObject(b)) {
    const out: { [key: string]: Json } = { ...a };
    for (const [key, value] of Object.entries(b)) out[key] = key in out ? mergeValues(out[key], value, path ? `${path}.${key}` : key, conflicts) : value;
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const named = (v: Json): v is { [key: string]: Json } => isObject(v) && typeof v.name === 'string';
    if (a.every(named) && b.every(named)) {
      const out: Json[] = [...a];
      for (const item of b) {
        const at = out.findIndex((o) => (o as { name: string }).name === item.name);
        if (at < 0) out.push(item);
        else out[at] = mergeValues(out[at], item, `${path}[${item.name}]`, conflicts);
      }
      return out;
    }
    const out = [...a];
    for (const item of b) if (!out.some((o) => JSON.stringify(o) === JSON.stringify(item))) out.push(item);
    return out;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) conflicts.set(path, [...(conflicts.get(path) ?? [a]), b]);
  return a;
}

const objectKey = (cluster: string, o: ObjectRef) => `${cluster}|${o.apiVersion}|${o.kind}|${o.namespace ?? ''}|${o.name}`;
const describe = (o: ObjectRef) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

/**
 * One merged fix per object and anchor where two or more unsuppressed findings carry a YAML snippet for it. The
 * component fixes (convention-fixes.ts) come first and replace the snippets of the findings they resolve.
 */
export function combinedFixes(findings: readonly Finding[], componentFixes: readonly CombinedFix[] = []): CombinedFix[] {
  const byComponent = new Set(componentFixes.flatMap((f) => f.fingerprints));
  const groups = new Map<string, { finding: Finding; value: Record<string, Json>; under: string }[]>();
  for (const finding of findings) {
    if (!finding.fix || !finding.object || finding.suppressed || byComponent.has(finding.fingerprint)) continue;
    const parsed = parseSnippet(finding.fix);
    if (!parsed) continue;
    const under = anchorOf(finding, parsed.value, parsed.under);
    if (under === undefined) continue;
    const key = `${objectKey(finding.cluster, finding.object)}|${under}`;
    groups.set(key, [...(groups.get(key) ?? []), { finding, value: parsed.value, under }]);
  }
  const fixes: CombinedFix[] = [...componentFixes];
  for (const members of groups.values()) {
    const distinct = new Set(members.map((m) => JSON.stringify(m.value)));
    if (distinct.size < 2) continue;
    const conflicts = new Map<string, Json[]>();
    let merged: Json = members[0].value;
    for (const m of members.slice(1)) merged = mergeValues(merged, m.value, '', conflicts);
    const { finding, under } = members[0];
    const notes = [...conflicts].map(([at, values]) => `# rules disagree on ${at}: ${values.map((v) => JSON.stringify(v)).join(' or ')}; the first is shown`);
    const header = `# under ${under || 'the top level'} of ${describe(finding.object!)}`;
    const body = stringify(merged, { lineWidth: 0, indentSeq: false }).trimEnd();
    const fix: CombinedFix = {
      cluster: finding.cluster,
      object: finding.object!,
      under,
      rules: [...new Set(members.map((m) => m.finding.rule))],
      fingerprints: members.map((m) => m.finding.fingerprint),
      snippet: [header, ...notes, body].join('\n'),
    };
    if (finding.location) fix.location = finding.location;
    fixes.push(fix);
  }
  return fixes;
}

/** What a combined fix is, after "one snippet for" / "the component": shared by the text report and the PR comment. */
const whatItIs = (fix: CombinedFix) => (fix.component ? `the component ${fix.component} for` : 'one snippet for');

/** The findings a component fix resolves, by fingerprint: their own snippets give way to a pointer at it. */
export function componentFixesByFinding(fixes: readonly CombinedFix[]): Map<string, CombinedFix> {
  const by = new Map<string, CombinedFix>();
  for (const fix of fixes) if (fix.component) for (const fingerprint of fix.fingerprints) by.set(fingerprint, fix);
  return by;
}

/** The one line a finding shows instead of its snippet when a component fix resolves it. */
export function componentPointer(fix: CombinedFix): string {
  const others = fix.fingerprints.length - 1;
  return `fixed with ${others} other finding${others === 1 ? '' : 's'} by the combined fix below: ${fix.component} in ${fix.location?.file ?? 'the namespace\'s kustomization'}`;
}

/**
 * The fix a finding's own message carries where there is one place for it (SARIF results, GitHub annotations):
 * its own snippet, or, when a component fix resolves it, the pointer and the component's snippet.
 */
export function fixTextOf(finding: Finding, byFinding: ReadonlyMap<string, CombinedFix>): string | undefined {
  const component = byFinding.get(finding.fingerprint);
  if (!component) return finding.fix;
  const others = component.fingerprints.length - 1;
  const where = component.location ? ` in ${component.location.file}:${component.location.line}` : '';
  return `the component ${component.component}${where} fixes this and ${others} other finding${others === 1 ? '' : 's'}:\n${component.snippet}`;
}

/** The text report's lines for the combined fixes of one cluster. */
export function combinedFixLines(fixes: readonly CombinedFix[], cluster: string): string[] {
  const lines: string[] = [];
  for (const fix of fixes.filter((f) => f.cluster === cluster)) {
    const where = fix.location ? ` (${fix.location.file}:${fix.location.line})` : '';
    lines.push(`  combined fix for ${describe(fix.object)}${where}: ${whatItIs(fix)} ${fix.fingerprints.length} findings of ${fix.rules.join(', ')}`);
    for (const line of fix.snippet.split('\n')) lines.push(`    ${line}`);
  }
  return lines;
}

/**
 * The PR comment's section: one item per combined fix of a listed finding, the merged snippet in a fenced block.
 * `listed` are the fingerprints of the findings the comment lists openly (new ones, with --base).
 */
export function combinedFixSection(fixes: readonly CombinedFix[], listed: ReadonlySet<string>): CommentSection | undefined {
  const shown = fixes.filter((f) => f.fingerprints.some((p) => listed.has(p)));
  if (shown.length === 0) return undefined;
  // one fix to one shared file (a base several clusters render) is one item naming the clusters, as findings are
  const alike = new Map<string, { fix: CombinedFix; clusters: string[] }>();
  for (const fix of shown) {
    const key = JSON.stringify([describe(fix.object), fix.location?.file, fix.location?.line, fix.rules, fix.fingerprints.length, fix.snippet]);
    const entry = alike.get(key);
    if (entry) entry.clusters.push(fix.cluster);
    else alike.set(key, { fix, clusters: [fix.cluster] });
  }
  const items = [...alike.values()].map(({ fix, clusters }) => {
    const where = fix.location ? ` (${escapeInline(`${fix.location.file}:${fix.location.line}`, 300)})` : '';
    const inClusters = `${clusters.length === 1 ? 'cluster' : 'clusters'} ${clusters.map((c) => escapeInline(c, 80)).join(', ')}`;
    const head = `- **${escapeInline(describe(fix.object), 300)}**${where}, ${inClusters}: ${escapeInline(whatItIs(fix), 1100)} ${fix.fingerprints.length} findings of ${fix.rules.map((r) => escapeInline(r, 100)).join(', ')}\n`;
    const block = codeBlock(fix.snippet, 'yaml', 3000).split('\n').map((l) => (l ? `  ${l}` : l)).join('\n');
    return `${head}\n${block}\n\n`;
  });
  return { head: `\n#### Combined fixes (${items.length})\n\n`, items, tail: '', priority: 35, unit: 'combined fixes' };
}
