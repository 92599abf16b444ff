import { describe, expect, it } from 'vitest';
import { applyBaseline } from '../tools/lib/report/baseline.ts';
import type { Finding, Report } from '../tools/lib/core/types.ts';

const finding = (fingerprint: string, extra: Partial<Finding> = {}): Finding => ({
  rule: 'images/pinned-tag',
  severity: 'error',
  cluster: 'kind',
  message: fingerprint,
  fingerprint,
  ...extra,
});

const report = (findings: Finding[], connectivity = [{ from: 'a', to: 'b', port: 80, protocol: 'TCP' }]): Report => ({
  schemaVersion: 1,
  tool: { name: 'policy-check', version: '0' },
  generatedAt: '2026-11-23T00:00:00Z',
  clusters: [{ name: 'kind', entryPoints: [], skipped: [], objectCount: 1, connectivity }],
  findings,
  summary: { errors: 0, warnings: 0, infos: 0, suppressed: 0, blocking: 0 },
  rules: [],
});

describe('applyBaseline', () => {
  it('marks findings, lists the fixed ones, attaches the base connectivity and blocks only on new errors', () => {
    const current = report([
      finding('aa01'),
      finding('bb02', { severity: 'warning' }),
      finding('cc03', { suppressed: { kind: 'config', reason: 'accepted for now', expires: '2027-01-01' } }),
    ]);
    const base = report([finding('aa01'), finding('dd04'), finding('ee05', { suppressed: { kind: 'config', reason: 'accepted for now', expires: '2027-01-01' } })], []);
    const out = applyBaseline(current, base, { ref: 'origin/main', commit: 'f'.repeat(40) });
    expect(out.findings.map((f) => [f.fingerprint, f.status])).toEqual([['aa01', 'unchanged'], ['bb02', 'new'], ['cc03', 'new']]);
    // a waived base finding that disappears is not "fixed": it was never shown as a problem
    expect(out.fixed?.map((f) => f.fingerprint)).toEqual(['dd04']);
    expect(out.summary).toEqual({ errors: 1, warnings: 1, infos: 0, suppressed: 1, blocking: 0, new: 1, fixed: 1 });
    expect(out.clusters[0].baseConnectivity).toEqual([]);
    expect(out.clusters[0].connectivity).toHaveLength(1);
    expect(out.base).toEqual({ ref: 'origin/main', commit: 'f'.repeat(40) });
  });

  it('a new error blocks; a cluster missing from the base gets an empty base connectivity', () => {
    const out = applyBaseline(report([finding('aa01')]), { findings: [], clusters: [] }, { ref: 'main' });
    expect(out.summary.blocking).toBe(1);
    expect(out.clusters[0].baseConnectivity).toEqual([]);
  });
});
