// SARIF 2.1.0 for GitHub code scanning: relative URIs, rule metadata, stable partial fingerprints, suppressions.
import type { Finding, Report, Severity } from '../core/types.ts';
import type { RuleDocs } from '../core/rule.ts';
import { describeRef } from '../core/rule.ts';
import { formatPath } from '../core/yaml-source.ts';
import { ruleDocUrl } from '../docs/rule-links.ts';

export interface SarifRuleDocs extends RuleDocs {
  id: string;
  severity: Severity;
}

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifLinks {
  /** This repository's web URL (https://github.com/owner/repo): each rule's helpUri points at its page in docs/rules/. */
  repositoryUrl?: string;
}

function fallbackLocation(report: Report, f: Finding) {
  const cluster = report.clusters.find((c) => c.name === f.cluster);
  const declared = cluster?.entryPoints.find((e) => e.declaredIn)?.declaredIn;
  if (declared) return declared;
  return { file: cluster?.entryPoints[0]?.path ?? 'clusters', line: 1, column: 1 };
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
    help: { text: `${d.rationale}\n\nHow to fix:\n${d.howToFix}`, markdown: `${d.rationale}\n\n**How to fix**\n\n${d.howToFix}` },
    ...(links.repositoryUrl ? { helpUri: ruleDocUrl(links.repositoryUrl, d.id) } : {}),
    defaultConfiguration: { level: LEVEL[d.severity] },
    properties: { tags: ['kubernetes', d.id.split('/')[0]], precision: 'very-high' },
  }));
  const results = report.findings.map((f) => {
    const location = f.location ?? fallbackLocation(report, f);
    const where = f.object ? ` [${describeRef(f.object)}${f.path ? ' ' + formatPath(f.path) : ''}]` : '';
    const result: Record<string, unknown> = {
      ruleId: f.rule,
      level: LEVEL[f.severity],
      message: { text: `${f.message}${where} (cluster ${f.cluster})${f.fix ? `\nFix:\n${f.fix}` : ''}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: location.file, uriBaseId: '%SRCROOT%' },
            region: { startLine: Math.max(1, location.line), startColumn: Math.max(1, location.column) },
          },
        },
      ],
      partialFingerprints: { 'policyCheck/v1': f.fingerprint },
      properties: { cluster: f.cluster, ...(f.object ? { object: describeRef(f.object) } : {}), ...(f.path ? { path: formatPath(f.path) } : {}) },
    };
    const index = ruleIndex.get(f.rule);
    if (index !== undefined) result.ruleIndex = index;
    if (f.related?.length) {
      result.relatedLocations = f.related
        .filter((r) => r.location)
        .map((r, id) => ({
          id,
          message: { text: r.message },
          physicalLocation: { artifactLocation: { uri: r.location!.file, uriBaseId: '%SRCROOT%' }, region: { startLine: r.location!.line, startColumn: r.location!.column } },
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
