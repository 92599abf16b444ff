// Several findings whose fixes go to one place of one object get one merged snippet (text and json).
import path from 'node:path';
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { combinedFixes, mergeValues } from '../../tools/lib/report/combined-fixes.ts';
import { formatText } from '../../tools/lib/report/text.ts';
import { renderComment } from '../../tools/lib/report/comment.ts';
import type { Finding, Report } from '../../tools/lib/core/types.ts';
import { findKustomize } from '../../tools/lib/render/kustomize.ts';
import { runCli } from '../helpers/cli.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const object = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'api' };
const container = (field: string) => ['spec', 'template', 'spec', 'containers', 0, 'securityContext', field];
const finding = (rule: string, fix: string | undefined, path: (string | number)[], extra: Partial<Finding> = {}): Finding => ({
  rule, severity: 'error', cluster: 'kind', object, path, message: `${rule} message`, fingerprint: createHash('sha256').update(`${rule}|${path.join('.')}`).digest('hex').slice(0, 16), fix,
  location: { file: 'apps/shop/api.yaml', line: 12, column: 11 }, ...extra,
});

const POD_SECURITY = [
  finding('security/pod-security', '# under spec.template.spec of Deployment shop/api\ncontainers:\n- name: api\n  securityContext:\n    allowPrivilegeEscalation: false', container('allowPrivilegeEscalation')),
  finding('security/pod-security', '# under spec.template.spec of Deployment shop/api\nsecurityContext:\n  runAsNonRoot: true', container('runAsNonRoot')),
  finding('security/pod-security', '# under spec.template.spec of Deployment shop/api\nsecurityContext:\n  seccompProfile:\n    type: RuntimeDefault', container('seccompProfile')),
  finding('security/pod-security', '# under spec.template.spec of Deployment shop/api\ncontainers:\n- name: api\n  securityContext:\n    capabilities:\n      drop:\n      - ALL', container('capabilities')),
  finding('security/read-only-root-fs', 'containers:\n- name: api\n  securityContext:\n    readOnlyRootFilesystem: true', container('readOnlyRootFilesystem')),
  finding('security/pod-security', '# under spec.template.spec of Deployment shop/api\ncontainers:\n- name: api\n  securityContext:\n    runAsUser: 1000', container('runAsUser')),
];

const MERGED = [
  '# under spec.template.spec of Deployment shop/api',
  'containers:',
  '- name: api',
  '  securityContext:',
  '    allowPrivilegeEscalation: false',
  '    capabilities:',
  '      drop:',
  '      - ALL',
  '    readOnlyRootFilesystem: true',
  '    runAsUser: 1000',
  'securityContext:',
  '  runAsNonRoot: true',
  '  seccompProfile:',
  '    type: RuntimeDefault',
].join('\n');

describe('combinedFixes', () => {
  it('merges six securityContext snippets of one Deployment into one, naming the rules and findings', () => {
    expect(combinedFixes(POD_SECURITY)).toEqual([{
      cluster: 'kind', object, under: 'spec.template.spec',
      rules: ['security/pod-security', 'security/read-only-root-fs'],
      fingerprints: POD_SECURITY.map((f) => f.fingerprint),
      snippet: MERGED,
      location: { file: 'apps/shop/api.yaml', line: 12, column: 11 },
    }]);
  });

  it('keeps the first of two conflicting scalars and says so', () => {
    const fixes = combinedFixes([
      finding('a/one', 'containers:\n- name: api\n  securityContext:\n    runAsUser: 1000', container('runAsUser')),
      finding('b/two', 'containers:\n- name: api\n  securityContext:\n    runAsUser: 65532', container('runAsUser')),
    ]);
    expect(fixes.map((f) => f.snippet)).toEqual([
      '# under spec.template.spec of Deployment shop/api\n# rules disagree on containers[api].securityContext.runAsUser: 1000 or 65532; the first is shown\ncontainers:\n- name: api\n  securityContext:\n    runAsUser: 1000',
    ]);
  });

  it('leaves alone a single fix, prose fixes, waived findings, other objects and other clusters', () => {
    const [first, second] = POD_SECURITY;
    expect(combinedFixes([first])).toEqual([]);
    expect(combinedFixes([first, { ...second, suppressed: { kind: 'config', reason: 'r', expires: '2099-01-01' } }])).toEqual([]);
    expect(combinedFixes([first, { ...second, object: { ...object, name: 'web' } }])).toEqual([]);
    expect(combinedFixes([first, { ...second, cluster: 'k3s' }])).toEqual([]);
    expect(combinedFixes([first, finding('ports/x', 'point "a:1" at an existing Service', ['spec'])])).toEqual([]);
  });

  it('merges lists of named maps by name and other lists as a union', () => {
    const conflicts = new Map();
    expect(mergeValues({ l: [{ name: 'a', x: 1 }], d: ['ALL'] }, { l: [{ name: 'b' }, { name: 'a', y: 2 }], d: ['ALL', 'NET_RAW'] }, '', conflicts))
      .toEqual({ l: [{ name: 'a', x: 1, y: 2 }, { name: 'b' }], d: ['ALL', 'NET_RAW'] });
    expect(conflicts.size).toBe(0);
  });

  it('prints the merged snippet under its cluster in the text report, and the json validates against the schema', () => {
    const report: Report = {
      schemaVersion: 1, tool: { name: 'policy-check', version: '0' }, generatedAt: '2026-12-01T00:00:00Z',
      clusters: [{ name: 'kind', entryPoints: [], skipped: [], objectCount: 1 }],
      findings: POD_SECURITY, summary: { errors: 6, warnings: 0, infos: 0, suppressed: 0, blocking: 6 }, rules: [], fixes: combinedFixes(POD_SECURITY),
    };
    const text = formatText(report, { colour: false });
    expect(text).toContain(['  combined fix for Deployment shop/api (apps/shop/api.yaml:12): one snippet for 6 findings of security/pod-security, security/read-only-root-fs', ...MERGED.split('\n').map((l) => `    ${l}`)].join('\n'));
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas/report.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('combined fixes in the PR comment', () => {
  it('lists the merged snippet once, fenced as YAML, under its own heading', () => {
    const report: Report = {
      schemaVersion: 1, tool: { name: 'policy-check', version: '0' }, generatedAt: '2026-12-01T00:00:00Z',
      clusters: [{ name: 'kind', entryPoints: [], skipped: [], objectCount: 1 }],
      findings: POD_SECURITY, summary: { errors: 6, warnings: 0, infos: 0, suppressed: 0, blocking: 6 }, rules: [], fixes: combinedFixes(POD_SECURITY),
    };
    const { body } = renderComment(report, { repositoryUrl: 'https://github.com/acme/fleet' });
    const section = [
      '#### Combined fixes (1)',
      '',
      // escapeInline escapes markdown punctuation
      '- **Deployment shop/api** (apps/shop/api\\.yaml\\:12), cluster kind: one snippet for 6 findings of security/pod\\-security, security/read\\-only\\-root\\-fs',
      '',
      '  ```yaml',
      ...MERGED.split('\n').map((l) => `  ${l}`),
      '  ```',
    ].join('\n');
    expect(body).toContain(section);
  });
});

const kustomize = await findKustomize().catch(() => undefined);
describe.skipIf(!kustomize)('combined fixes from the CLI', () => {
  it('json carries one merged fix per Deployment of the fixture', () => {
    const { stdout } = runCli(['test/fixtures/failed-patch/overlay', '--format', 'json'], ROOT);
    const report = JSON.parse(stdout);
    expect(report.fixes.map((f: any) => `${f.object.name} ${f.under} ${f.rules.join(',')} ${f.fingerprints.length}`)).toEqual([
      'api spec.template.spec probes/required,security/pod-security,security/read-only-root-fs 7',
      'web spec.template.spec probes/required,security/pod-security,security/read-only-root-fs 7',
    ]);
  }, 120_000);
});
