// mergeReports: shard reports in, one report out, and every way a set of reports cannot be one run.
import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../tools/lib/core/types.ts';
import { MergeError, mergeReports, type ReportFile } from '../../tools/lib/report/merge-reports.ts';
import { compileReportValidator } from '../../tools/lib/report/report-schema.ts';

const HASH = 'a'.repeat(64);
const COMMIT = '1'.repeat(40);

function finding(cluster: string, rule: string, severity: Finding['severity'], extra: Partial<Finding> = {}): Finding {
  return { rule, severity, cluster, message: `${rule} in ${cluster}`, fingerprint: `${cluster.length}${rule.length}`.padEnd(16, '0'), ...extra };
}

function report(clusters: string[], findings: Report['findings'], extra: Partial<Report> = {}): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'policy-check', version: '0.1.0' },
    generatedAt: '2026-12-01T10:00:00.000Z',
    commit: COMMIT,
    configHash: HASH,
    clusters: clusters.map((name) => ({ name, entryPoints: [{ engine: 'flux', name: `clusters/${name}`, path: `clusters/${name}` }], skipped: [], objectCount: 10 })),
    findings,
    summary: { errors: 0, warnings: 0, infos: 0, suppressed: 0, blocking: 0 },
    rules: [{ id: 'ports/a', severity: 'error', description: 'a' }],
    ...extra,
  };
}

const file = (name: string, r: Report): ReportFile => ({ file: name, report: r });

describe('mergeReports', () => {
  it('joins shards in cluster-name order, recounts the summary and drops the shard marker', () => {
    const one = report(['k3s', 'production'], [finding('k3s', 'ports/a', 'error'), finding('production', 'ports/a', 'warning')], { shard: { index: 1, total: 2 } });
    const two = report(['kind', 'staging'], [finding('staging', 'ports/a', 'error', { suppressed: { kind: 'config', reason: 'r', expires: '2027-01-01' } }), finding('kind', 'ports/a', 'info')], { shard: { index: 2, total: 2 } });
    const merged = mergeReports([file('b.json', two), file('a.json', one)], '2026-12-01T11:00:00.000Z');
    expect(merged.clusters.map((c) => c.name)).toEqual(['k3s', 'kind', 'production', 'staging']);
    expect(merged.findings.map((f) => `${f.cluster} ${f.severity}`)).toEqual(['k3s error', 'kind info', 'production warning', 'staging error']);
    expect(merged.summary).toEqual({ errors: 1, warnings: 1, infos: 1, suppressed: 1, blocking: 1 });
    expect(merged).not.toHaveProperty('shard');
    expect(merged).toMatchObject({ commit: COMMIT, configHash: HASH, generatedAt: '2026-12-01T11:00:00.000Z' });
    expect(compileReportValidator()(merged)).toMatchObject({ ok: true });
  });

  it('keeps the base: only new errors block, fixed findings are joined', () => {
    const base = { ref: 'origin/main', commit: '2'.repeat(40) };
    const one = report(['a'], [{ ...finding('a', 'ports/a', 'error'), status: 'new' as const }], { base, shard: { index: 1, total: 2 }, fixed: [finding('a', 'ports/a', 'warning')] });
    const two = report(['b'], [{ ...finding('b', 'ports/a', 'error'), status: 'unchanged' as const }], { base, shard: { index: 2, total: 2 }, fixed: [] });
    const merged = mergeReports([file('1.json', one), file('2.json', two)]);
    expect(merged.base).toEqual(base);
    expect(merged.summary).toEqual({ errors: 2, warnings: 0, infos: 0, suppressed: 0, blocking: 1, new: 1, fixed: 1 });
    expect(merged.fixed).toHaveLength(1);
  });

  it('joins reports of --cluster runs (no shard markers)', () => {
    const merged = mergeReports([file('x.json', report(['x'], [])), file('y.json', report(['y'], []))]);
    expect(merged.clusters.map((c) => c.name)).toEqual(['x', 'y']);
  });

  it.each<[string, ReportFile[], string]>([
    ['another commit', [file('1.json', report(['a'], [])), file('2.json', report(['b'], [], { commit: '3'.repeat(40) }))], `cannot merge 1.json and 2.json: they were checked with different commits (${COMMIT} and ${'3'.repeat(40)})`],
    ['a commit against none', [file('1.json', report(['a'], [])), file('2.json', report(['b'], [], { commit: undefined }))], `cannot merge 1.json and 2.json: they were checked with different commits (${COMMIT} and none recorded)`],
    ['another config', [file('1.json', report(['a'], [])), file('2.json', report(['b'], [], { configHash: 'b'.repeat(64) }))], `cannot merge 1.json and 2.json: they were checked with different configs (configHash) (${HASH} and ${'b'.repeat(64)})`],
    ['another tool version', [file('1.json', report(['a'], [])), file('2.json', report(['b'], [], { tool: { name: 'policy-check', version: '0.2.0' } }))], 'cannot merge 1.json and 2.json: they were checked with different tools (policy-check 0.1.0 and policy-check 0.2.0)'],
    ['other rules', [file('1.json', report(['a'], [])), file('2.json', report(['b'], [], { rules: [{ id: 'ports/a', severity: 'warning', description: 'a' }] }))], 'cannot merge 1.json and 2.json: they were checked with different rules (--rule or rule severities) (ports/a:error and ports/a:warning)'],
    ['another base', [file('1.json', report(['a'], [], { base: { ref: 'main' } })), file('2.json', report(['b'], []))], 'cannot merge 1.json and 2.json: they were checked with different bases (--base) (main and none recorded)'],
    ['the same cluster twice', [file('1.json', report(['a', 'b'], [])), file('2.json', report(['b'], []))], 'cannot merge: cluster b is in both 1.json and 2.json; each cluster must be checked by exactly one report'],
    ['the same shard twice', [file('1.json', report(['a'], [], { shard: { index: 1, total: 2 } })), file('2.json', report(['b'], [], { shard: { index: 1, total: 2 } }))], 'cannot merge 1.json and 2.json: both are shard 1/2'],
    ['a missing shard', [file('1.json', report(['a'], [], { shard: { index: 1, total: 3 } })), file('3.json', report(['b'], [], { shard: { index: 3, total: 3 } }))], 'cannot merge: shard 2/3 is missing (a job that failed before writing its report?); every shard\'s report is needed'],
    ['shards of different N', [file('1.json', report(['a'], [], { shard: { index: 1, total: 2 } })), file('2.json', report(['b'], [], { shard: { index: 2, total: 3 } }))], 'cannot merge 1.json and 2.json: they were checked with different shard counts (--shard K/N) (2 and 3)'],
    ['a whole report among shards', [file('1.json', report(['a'], [], { shard: { index: 1, total: 1 } })), file('all.json', report(['b'], []))], 'cannot merge all.json with shard reports: it is not the report of a --shard run (1.json is shard 1/1)'],
  ])('refuses %s', (_, inputs, message) => {
    expect(() => mergeReports(inputs)).toThrow(new MergeError(message));
  });
});
