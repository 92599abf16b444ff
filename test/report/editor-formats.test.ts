// The pure formatters behind unix, compact, junit and SARIF ranking, on hand-made reports (edge cases the fixture lacks).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../tools/lib/core/types.ts';
import { formatUnix } from '../../tools/lib/report/unix.ts';
import { formatCompact } from '../../tools/lib/report/compact.ts';
import { formatJunit } from '../../tools/lib/report/junit.ts';
import { quietReport, withFailOn } from '../../tools/lib/report/fail-on.ts';
import { SECURITY_AREAS, SECURITY_SEVERITY, ruleTags, securitySeverity } from '../../tools/lib/report/security-severity.ts';
import { parseXml } from '../helpers/xml.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

const finding = (over: Partial<Finding>): Finding => ({ rule: 'images/pinned-tag', severity: 'error', cluster: 'kind', message: 'bad', fingerprint: 'f', location: { file: 'apps/a.yaml', line: 3, column: 5 }, ...over });

function reportOf(findings: Finding[]): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'policy-check', version: '0.0.0' },
    generatedAt: '2026-12-01T12:00:00.000Z',
    clusters: ['kind', 'k3s'].map((name) => ({ name, entryPoints: [{ engine: 'flux' as const, name: 'apps', path: `overlays/${name}`, declaredIn: { file: `clusters/${name}/apps.yaml`, line: 7, column: 1 } }], skipped: [{ cluster: name, name: 'x', kind: 'HelmRelease', reason: 'offline' }], objectCount: 3 })),
    findings,
    summary: { errors: 0, warnings: 0, infos: 0, suppressed: 0, blocking: 0 },
    rules: [{ id: 'images/pinned-tag', severity: 'error', description: 'd' }],
  };
}

describe('unix and compact', () => {
  const report = reportOf([
    finding({ cluster: 'kind', message: 'two\n  lines' }),
    finding({ cluster: 'k3s', message: 'two\n  lines' }),
    finding({ severity: 'warning', rule: 'probes/required', location: undefined, message: 'no probe' }),
    finding({ severity: 'info', message: 'fyi' }),
    finding({ message: 'waived', suppressed: { kind: 'config', reason: 'accepted for now', expires: '2027-01-01' } }),
  ]);

  it('one line per mistake across clusters, messages on one line, a reconciler line when there is no source line, waived left out', () => {
    expect(formatUnix(report)).toBe(
      'apps/a.yaml:3:5: two lines (clusters kind, k3s) [Error/images/pinned-tag]\n' +
        'clusters/kind/apps.yaml:7:1: no probe (cluster kind) [Warning/probes/required]\n' +
        'apps/a.yaml:3:5: fyi (cluster kind) [Info/images/pinned-tag]\n' +
        '\n3 problems\n',
    );
    expect(formatCompact(report)).toBe(
      'apps/a.yaml: line 3, col 5, Error - two lines (clusters kind, k3s) (images/pinned-tag)\n' +
        'clusters/kind/apps.yaml: line 7, col 1, Warning - no probe (cluster kind) (probes/required)\n' +
        'apps/a.yaml: line 3, col 5, Info - fyi (cluster kind) (images/pinned-tag)\n' +
        '\n3 problems\n',
    );
  });

  it('prints nothing at all for a run without findings', () => {
    expect(formatUnix(reportOf([]))).toBe('');
    expect(formatCompact(reportOf([]))).toBe('');
  });

  it('--quiet keeps the blocking findings and drops skipped notes; --fail-on warning counts warnings as blocking', () => {
    expect(quietReport(report, 'error').findings.map((f) => f.message)).toEqual(['two\n  lines', 'two\n  lines']);
    expect(quietReport(report, 'warning').findings.map((f) => f.message)).toEqual(['two\n  lines', 'two\n  lines', 'no probe']);
    expect(quietReport(report, 'error').clusters.map((c) => c.skipped)).toEqual([[], []]);
    expect(withFailOn(report, 'error').summary.blocking).toBe(2);
    expect(withFailOn(report, 'warning').summary.blocking).toBe(3);
    const withBase = reportOf([{ ...finding({}), status: 'unchanged' } as Finding, { ...finding({ severity: 'warning' }), status: 'new' } as Finding]);
    expect(withFailOn(withBase, 'error').summary.blocking).toBe(0);
    expect(withFailOn(withBase, 'warning').summary.blocking).toBe(1);
  });
});

describe('junit', () => {
  it('escapes markup, quotes and characters XML forbids, and stays well-formed', () => {
    const hostile = 'a <b> & "c" \'d\' \u0001 \u001b[31m ]]>';
    const xml = formatJunit(reportOf([finding({ message: hostile, fix: 'x: "<y>"' }), finding({ cluster: 'k3s', severity: 'warning', message: 'soft' })]));
    const root = parseXml(xml);
    const kind = root.children[0];
    expect(kind.attributes).toMatchObject({ name: 'kind', tests: '1', failures: '1' });
    const failure = kind.children[0].children[0];
    expect(failure.attributes.message).toBe('a <b> & "c" \'d\' \uFFFD \uFFFD[31m ]]>');
    expect(failure.text).toBe('apps/a.yaml:3:5\na <b> & "c" \'d\' \uFFFD \uFFFD[31m ]]>\nFix:\nx: "<y>"');
    // the warning does not fail the k3s testcase: it is listed in system-out
    const k3s = root.children[1].children[0];
    expect(k3s.children.map((c) => c.name)).toEqual(['system-out']);
    expect(k3s.children[0].text).toBe('warning: apps/a.yaml:3:5\nsoft');
    expect(root.attributes).toMatchObject({ tests: '2', failures: '1' });
    // the checker must refuse what it must refuse
    expect(() => parseXml('<a><b></a></b>')).toThrow('</a> at 6 closes <b>');
    expect(() => parseXml('<a x="1 & 2"/>')).toThrow('bare &');
    expect(() => parseXml('<a>\u0001</a>')).toThrow('character not allowed');
  });
});

describe('security-severity', () => {
  it('follows the documented table, and the table in docs/code-scanning.md is the one in the code', () => {
    expect(securitySeverity('security/pod-security', 'error')).toBe('8.0');
    expect(securitySeverity('rbac/no-wildcards', 'warning')).toBe('5.0');
    expect(securitySeverity('probes/required', 'error')).toBe('5.0');
    expect(securitySeverity('probes/required', 'warning')).toBe('3.0');
    expect(ruleTags('security/pod-security')).toEqual(['kubernetes', 'security']);
    expect(ruleTags('network/default-deny')).toEqual(['kubernetes', 'network', 'security']);
    expect(ruleTags('ports/env-from-registry')).toEqual(['kubernetes', 'ports']);
    const doc = fs.readFileSync(path.join(ROOT, 'docs/code-scanning.md'), 'utf8');
    const row = (label: string, scores: Record<string, number>) => `| ${label} | ${scores.error.toFixed(1)} | ${scores.warning.toFixed(1)} | ${scores.info.toFixed(1)} |`;
    expect(doc).toContain(row(`${SECURITY_AREAS.join(', ')} (tagged \`security\`)`, SECURITY_SEVERITY.security));
    expect(doc).toContain(row('every other area', SECURITY_SEVERITY.other));
  });

  it("the README's VS Code task uses the problem matcher's unix regexp", () => {
    const matcher = JSON.parse(fs.readFileSync(path.join(ROOT, '.github/problem-matchers/policy-check.json'), 'utf8')).problemMatcher[0].pattern[0].regexp;
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`"regexp": ${JSON.stringify(matcher)}`);
  });
});
