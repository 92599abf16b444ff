// SARIF 2.1.0 for GitHub code scanning: one result per mistake (a finding shared by several clusters names them
// all), relative URIs, rule metadata with security-severity and fenced help, stable fingerprints, suppressions.
import { createHash } from 'node:crypto';
import type { Finding, FindingStatus, Report, Severity } from '../core/types.ts';
import type { RuleDocs } from '../core/rule.ts';
import { describeRef } from '../core/rule.ts';
import { objectKey } from '../core/identity.ts';
import { formatPath } from '../core/yaml-source.ts';
import { ruleDocUrl } from '../docs/rule-links.ts';
import { textToMarkdown } from '../docs/rule-docs.ts';
import { groupAcrossClusters, type FindingGroup } from './finding-groups.ts';
import { ruleTags, securitySeverity } from './security-severity.ts';
import { locationOf } from './fallback-location.ts';
import { componentFixesByFinding, fixTextOf } from './combined-fixes.ts';

export interface SarifRuleDocs extends RuleDocs {
  id: string;
  severity: Severity;
}

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifLinks {
  /** This repository's web URL (https://github.com/owner/repo): each rule's helpUri points at its page in docs/rules/. */
  repositoryUrl?: string;
}

type ReportFinding = Finding & { status?: FindingStatus };

/** One identity per mistake, whichever clusters it shows up in, that survives line moves. */
function mistakeFingerprint(f: Finding, file: string): string {
  return createHash('sha256')
    .update([f.rule, file, f.object ? objectKey(f.object) : '', formatPath(f.path ?? []), f.messageId ?? f.message].join('\n'))
    .digest('hex')
    .slice(0, 24);
}

/** Groups of one mistake across clusters; waived and active (and new and unchanged) findings never share a result. */
function mistakes(findings: readonly ReportFinding[]): FindingGroup<ReportFinding>[] {
  const partitions = new Map<string, ReportFinding[]>();
  for (const f of findings) {
    const key = `${f.suppressed ? 'waived' : 'active'}|${f.status ?? ''}`;
    partitions.set(key, [...(partitions.get(key) ?? []), f]);
  }
  const groups = [...partitions.values()].flatMap((list) => groupAcrossClusters(list));
  const order = new Map(findings.map((f, i) => [f, i]));
  return groups.sort((a, b) => order.get(a.finding)! - order.get(b.finding)!);
}

const clusterText = (clusters: string[]) => (clusters.length === 1 ? `cluster ${clusters[0]}` : `clusters ${clusters.join(', ')}`);

/** help.text is plain: a fenced block some rules write in their metadata becomes an indented one. */
const plainText = (text: string) => text.replace(/^```\w*\n([\s\S]*?)\n```$/gm, (_m, code: string) => code.split('\n').map((l) => `  ${l}`).join('\n'));

function ruleHelp(d: SarifRuleDocs) {
  return {
    text: plainText(`${d.rationale}\n\nHow to fix:\n${d.howToFix}`),
    markdown: `${textToMarkdown(d.rationale)}\n\n**How to fix**\n\n${textToMarkdown(d.howToFix)}`,
  };
}

export function formatSarif(report: Report, docs: SarifRuleDocs[], links: SarifLinks = {}): string {
  const used = new Set(report.findings.map((f) => f.rule));
  const ruleDocs = docs.filter((d) => used.has(d.id) || report.rules.some((r) => r.id === d.id));
  const ruleIndex = new Map(ruleDocs.map((d, i) => [d.id, i]));
  const rules = ruleDocs.map((d) => ({
    id: d.id,
    name: d.id.replace(/[/-](\w)/g, (_m, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase()),
    shortDescription: { text: d.description },
    fullDescription: { text: d.rationale },
    help: ruleHelp(d),
    ...(links.repositoryUrl ? { helpUri: ruleDocUrl(links.repositoryUrl, d.id) } : {}),
    defaultConfiguration: { level: LEVEL[d.severity] },
    properties: { tags: ruleTags(d.id), precision: 'very-high', 'security-severity': securitySeverity(d.id, d.severity) },
  }));
  const seenFingerprints = new Set<string>();
  const componentFixes = componentFixesByFinding(report.fixes ?? []);
  const results = mistakes(report.findings).map(({ finding: f, clusters }) => {
    const location = locationOf(report, f);
    // one mistake whose message differs by cluster (a cluster's own namespaces listed) is two results: keep them apart
    let fingerprint = mistakeFingerprint(f, location.file);
    if (seenFingerprints.has(fingerprint)) fingerprint = createHash('sha256').update(`${fingerprint}\n${f.message}`).digest('hex').slice(0, 24);
    seenFingerprints.add(fingerprint);
    const where = f.object ? ` [${describeRef(f.object)}${f.path ? ' ' + formatPath(f.path) : ''}]` : '';
    const fix = fixTextOf(f, componentFixes);
    const result: Record<string, unknown> = {
      ruleId: f.rule,
      level: LEVEL[f.severity],
      message: { text: `${f.message}${where} (${clusterText(clusters)})${fix ? `\nFix:\n${fix}` : ''}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: location.file, uriBaseId: '%SRCROOT%' },
            region: { startLine: Math.max(1, location.line), startColumn: Math.max(1, location.column) },
          },
        },
      ],
      partialFingerprints: { 'policyCheck/v2': fingerprint },
      properties: { clusters, ...(f.object ? { object: describeRef(f.object) } : {}), ...(f.path ? { path: formatPath(f.path) } : {}) },
    };
    const index = ruleIndex.get(f.rule);
    if (index !== undefined) result.ruleIndex = index;
    if (f.status === 'new' || f.status === 'unchanged') result.baselineState = f.status;
    if (f.related?.length) {
      result.relatedLocations = f.related
        .filter((r) => r.location)
        .map((r, id) => ({
          id,
          message: { text: r.message },
          physicalLocation: { artifactLocation: { uri: r.location!.file, uriBaseId: '%SRCROOT%' }, region: { startLine: Math.max(1, r.location!.line), startColumn: Math.max(1, r.location!.column) } },
        }));
    }
    if (f.suppressed) {
      result.suppressions = [{ kind: f.suppressed.kind === 'annotation' ? 'inSource' : 'external', status: 'accepted', justification: `${f.suppressed.reason} (expires ${f.suppressed.expires})` }];
    }
    return result;
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: report.tool.name, version: report.tool.version, semanticVersion: report.tool.version, ...(links.repositoryUrl ? { informationUri: links.repositoryUrl } : {}), rules } },
        automationDetails: { id: `${report.tool.name}/` },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The repository root' } } },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
