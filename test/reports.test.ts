import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { runCheck } from '../tools/lib/render/run-check.ts';
import pinnedTag from '../policies/images-pinned-tag.ts';
import { formatSarif } from '../tools/lib/report/sarif.ts';
import { formatGithub } from '../tools/lib/report/github.ts';
import { formatText } from '../tools/lib/report/text.ts';
import { BUILTIN_RULES } from '../tools/lib/core/builtin-rules.ts';
import type { Report } from '../tools/lib/core/types.ts';

const ROOT = path.resolve(import.meta.dirname, 'fixtures/engine-repo');
const require_ = (p: string) => JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '..', p), 'utf8'));

let report: Report;
beforeAll(async () => {
  report = (await runCheck({ root: ROOT, rules: [pinnedTag], today: new Date('2026-11-23') })).report;
});

const docs = () => [pinnedTag, ...BUILTIN_RULES].map((r) => ({ id: r.id, severity: r.severity, description: r.description, rationale: r.rationale, howToFix: r.howToFix }));

/** The official SARIF 2.1.0 schema is draft-04; ajv 8 reads it once `id` is spelled `$id`. */
function sarifValidator() {
  const schema = require_('node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

describe('sarif', () => {
  it('validates against the SARIF 2.1.0 schema', () => {
    const log = JSON.parse(formatSarif(report, docs()));
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('uses relative URIs, rule metadata and stable fingerprints', () => {
    const log = JSON.parse(formatSarif(report, docs()));
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual(['images/pinned-tag', 'render/failed']);
    const pinned = run.results.find((r: any) => r.ruleId === 'images/pinned-tag');
    expect(pinned.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'overlays/dev/web-image.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 10, startColumn: 11 },
    });
    expect(run.tool.driver.rules[pinned.ruleIndex].id).toBe('images/pinned-tag');
    expect(pinned.partialFingerprints['policyCheck/v2']).toMatch(/^[0-9a-f]{24}$/);
    for (const result of run.results) expect(result.locations[0].physicalLocation.artifactLocation.uri).not.toMatch(/^(\/|file:)/);
  });

  it("points each rule's helpUri at its generated page in this repository", () => {
    const log = JSON.parse(formatSarif(report, docs(), { repositoryUrl: 'https://github.com/gitops-fleet/gitops-fleet' }));
    const driver = log.runs[0].tool.driver;
    expect(driver.informationUri).toBe('https://github.com/gitops-fleet/gitops-fleet');
    expect(driver.rules.map((r: any) => r.helpUri)).toEqual([
      'https://github.com/gitops-fleet/gitops-fleet/blob/HEAD/docs/rules/images-pinned-tag.md',
      'https://github.com/gitops-fleet/gitops-fleet/blob/HEAD/docs/rules/render-failed.md',
    ]);
    for (const rule of driver.rules) expect(fs.existsSync(path.resolve(import.meta.dirname, '..', rule.helpUri.split('/blob/HEAD/')[1]))).toBe(true);
    expect(sarifValidator()(log)).toBe(true);
    const unknown = JSON.parse(formatSarif(report, docs())).runs[0].tool.driver;
    expect(unknown.informationUri).toBeUndefined();
    expect(unknown.rules.map((r: any) => r.helpUri)).toEqual([undefined, undefined]);
  });

  it('marks waived findings as suppressed', () => {
    const waived: Report = { ...report, findings: report.findings.map((f) => ({ ...f, suppressed: { kind: 'config' as const, reason: 'accepted for the demo', expires: '2027-01-01' } })) };
    const log = JSON.parse(formatSarif(waived, docs()));
    expect(log.runs[0].results[0].suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'accepted for the demo (expires 2027-01-01)' }]);
    expect(sarifValidator()(log)).toBe(true);
  });
});

describe('fingerprints', () => {
  it('survive line moves', async () => {
    const copy = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'moved-'));
    fs.cpSync(ROOT, copy, { recursive: true });
    const patch = path.join(copy, 'overlays/dev/web-image.yaml');
    fs.writeFileSync(patch, '# a comment that moves every line down\n\n' + fs.readFileSync(patch, 'utf8'));
    const moved = (await runCheck({ root: copy, rules: [pinnedTag], clusters: ['flux-dev'] })).report.findings;
    const original = report.findings.filter((f) => f.cluster === 'flux-dev');
    expect(moved.map((f) => f.location?.line)).toEqual([12]);
    expect(moved.map((f) => f.fingerprint)).toEqual(original.map((f) => f.fingerprint));
  });
});

describe('github annotations', () => {
  it('escapes newlines, percent signs, colons and commas', () => {
    const hostile: Report = {
      ...report,
      findings: [{ rule: 'images/pinned-tag', severity: 'warning', cluster: 'a,b', message: '100% bad\nsecond line', fingerprint: 'ab12cd34', location: { file: 'dir:x/f,1.yaml', line: 3, column: 1 } }],
    };
    expect(formatGithub(hostile).split('\n')[0]).toBe('::warning file=dir%3Ax/f%2C1.yaml,line=3,col=1,title=images/pinned-tag (a%2Cb)::100%25 bad%0Asecond line');
  });
});

describe('text', () => {
  it('colours only when asked', () => {
    expect(formatText(report, { colour: false })).not.toContain('\x1b[');
    expect(formatText(report, { colour: true })).toContain('\x1b[31m');
  });

  it('ends with a summary line', () => {
    expect(formatText(report, { colour: false }).trim().split('\n').pop()).toBe('✖ 2 errors, 0 warnings in 3 clusters');
  });
});
