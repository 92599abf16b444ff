// One mistake in a file shared by several clusters is one annotation and one comment item, and every count
// a reader sees matches the list under it.
import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../tools/lib/core/types.ts';
import { formatGithub } from '../../tools/lib/report/github.ts';
import { renderComment } from '../../tools/lib/report/comment.ts';
import { groupAcrossClusters } from '../../tools/lib/report/finding-groups.ts';
import { summarize } from '../../tools/lib/report/summary.ts';

const CLUSTERS = ['kind', 'staging', 'production'];
const mistake = (rule: string, cluster: string): Finding => ({
  rule,
  severity: 'error',
  cluster,
  object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'swe-ai-fleet', name: 'monitoring-dashboard' },
  path: ['spec', 'template', 'spec', 'containers', 0, 'env', 1, 'value'],
  message: `${rule} says orchestrator:50052 is wrong`,
  location: { file: 'apps/swe-ai-fleet/monitoring.yaml', line: 29, column: 15 },
  fingerprint: `${rule}-${cluster}`,
});

function report(findings: Finding[]): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'policy-check', version: '0.1.0' },
    generatedAt: '2026-12-01T00:00:00.000Z',
    clusters: CLUSTERS.map((name) => ({ name, entryPoints: [], skipped: [], objectCount: 1 })),
    findings,
    summary: summarize(findings),
    rules: [],
  };
}

const SEED_000 = ['ports/dangling-reference', 'ports/env-from-registry'].flatMap((rule) => CLUSTERS.map((cluster) => mistake(rule, cluster)));

describe('findings grouped across clusters', () => {
  it('groups the same mistake, keeping the clusters in order', () => {
    expect(groupAcrossClusters(SEED_000).map((g) => [g.finding.rule, g.clusters])).toEqual([
      ['ports/dangling-reference', CLUSTERS],
      ['ports/env-from-registry', CLUSTERS],
    ]);
  });

  it('a different line or message is a different mistake', () => {
    const moved = { ...mistake('ports/dangling-reference', 'staging'), location: { file: 'apps/swe-ai-fleet/monitoring.yaml', line: 30, column: 15 } };
    expect(groupAcrossClusters([mistake('ports/dangling-reference', 'kind'), moved]).length).toBe(2);
  });

  it('annotations: one per mistake, naming its clusters', () => {
    const lines = formatGithub(report(SEED_000)).trim().split('\n');
    expect(lines.filter((l) => l.startsWith('::'))).toEqual([
      '::error file=apps/swe-ai-fleet/monitoring.yaml,line=29,col=15,title=ports/dangling-reference (kind%2C staging%2C production)::ports/dangling-reference says orchestrator:50052 is wrong',
      '::error file=apps/swe-ai-fleet/monitoring.yaml,line=29,col=15,title=ports/env-from-registry (kind%2C staging%2C production)::ports/env-from-registry says orchestrator:50052 is wrong',
    ]);
  });

  it('the comment headline counts the items it lists', () => {
    const { body } = renderComment(report(SEED_000), { repositoryUrl: 'https://github.com/gitops-fleet/gitops-fleet' });
    expect(body).toContain('### :x: Policy check: 2 blocking findings');
    expect(body).toContain(': 2 blocking findings.');
    expect(body).toContain('#### Blocking findings (2)');
    expect(body.match(/^- :x: /gm)?.length).toBe(2);
    expect(body).toContain('clusters kind, production, staging');
  });
});
