import { describe, it, expect } from 'vitest';
import { compareWithBase } from '../tools/lib/report/baseline.ts';
import type { Finding } from '../tools/lib/core/types.ts';

function finding(fingerprint: string, line = 1, message = 'm'): Finding {
  return {
    rule: 'resources/requests-limits',
    severity: 'error',
    cluster: 'kind',
    message,
    fingerprint,
    location: { file: 'apps/a/deploy.yaml', line, column: 1 },
  };
}

describe('compareWithBase', () => {
  it('marks a finding that only moved lines as unchanged', () => {
    const result = compareWithBase([finding('a', 40)], [finding('a', 12)]);
    expect(result.findings).toEqual([{ ...finding('a', 40), status: 'unchanged' }]);
    expect(result.fixed).toEqual([]);
  });

  it('marks findings absent from the base as new and base-only findings as fixed', () => {
    const result = compareWithBase([finding('a'), finding('c')], [finding('a'), finding('b')]);
    expect(result.findings.map((f) => [f.fingerprint, f.status])).toEqual([
      ['a', 'unchanged'],
      ['c', 'new'],
    ]);
    expect(result.fixed.map((f) => f.fingerprint)).toEqual(['b']);
  });

  it('counts repeated fingerprints as a multiset', () => {
    const result = compareWithBase([finding('a', 1), finding('a', 2), finding('a', 3)], [finding('a', 1), finding('a', 9)]);
    expect(result.findings.map((f) => f.status)).toEqual(['unchanged', 'unchanged', 'new']);
    expect(result.fixed).toEqual([]);

    const fewer = compareWithBase([finding('a', 1)], [finding('a', 1), finding('a', 2)]);
    expect(fewer.findings.map((f) => f.status)).toEqual(['unchanged']);
    expect(fewer.fixed.map((f) => f.location?.line)).toEqual([2]);
  });

  it('keeps the current order and does not mutate its inputs', () => {
    const current = [finding('z'), finding('y'), finding('x')];
    const base = [finding('x')];
    const copy = structuredClone({ current, base });
    const result = compareWithBase(current, base);
    expect(result.findings.map((f) => f.fingerprint)).toEqual(['z', 'y', 'x']);
    expect({ current, base }).toEqual(copy);
  });

  it('handles empty sides', () => {
    expect(compareWithBase([], [])).toEqual({ findings: [], fixed: [] });
    expect(compareWithBase([], [finding('a')]).fixed).toHaveLength(1);
    expect(compareWithBase([finding('a')], []).findings[0].status).toBe('new');
  });
});
