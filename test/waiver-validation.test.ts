// Issue 20: every waiver (config or annotation) is validated the same way: a real calendar date,
// the same minimum reason, and an optional maximum lifetime; an invalid one waives nothing.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture, REPO_ROOT, runCli } from './helpers/cli.ts';
import { MIN_WAIVER_REASON_LENGTH, parseCalendarDate, waiverProblem } from '../tools/lib/core/waiver-validation.ts';

describe('parseCalendarDate', () => {
  it.each(['2026-02-30', '9999-99-99', '2020-13-45', '2027-02-29', '2026-00-10', '2026-1-01', '2026-01-01T00:00:00Z', ''])('refuses %j', (text) => {
    expect(parseCalendarDate(text)).toBeUndefined();
  });

  it('accepts real days, leap days included, as midnight UTC', () => {
    expect(parseCalendarDate('2028-02-29')?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(parseCalendarDate('2026-12-31')?.toISOString()).toBe('2026-12-31T00:00:00.000Z');
    expect(parseCalendarDate(20261231)).toBeUndefined();
  });
});

describe('waiverProblem', () => {
  const ok = { rule: 'images/pinned-tag', reason: 'pinned by the registry policy', expires: '2027-01-31' };
  const today = new Date('2026-12-01T12:00:00Z');

  it('names the field and says what is wrong', () => {
    expect(waiverProblem(ok)).toBeUndefined();
    expect(waiverProblem({ ...ok, reason: 'x' })).toEqual({ field: 'reason', message: 'reason must say why in at least 10 characters, got "x"' });
    expect(waiverProblem({ ...ok, reason: '          ' })?.field).toBe('reason');
    expect(waiverProblem({ ...ok, expires: '9999-99-99' })).toEqual({ field: 'expires', message: 'expires must be a real calendar date as YYYY-MM-DD, got "9999-99-99"' });
    expect(waiverProblem({ ...ok, rule: 'pinned' })).toEqual({ field: 'rule', message: 'rule must be a rule id (area/name), got "pinned"' });
  });

  it('a lifetime limit counts whole days from today', () => {
    const policy = { maxLifetimeDays: 180 };
    expect(waiverProblem({ ...ok, expires: '2027-05-30' }, policy, today)).toBeUndefined(); // 180 days
    expect(waiverProblem({ ...ok, expires: '2027-05-31' }, policy, today)).toEqual({
      field: 'expires',
      message: 'expires 2027-05-31 is 181 days after 2026-12-01; waiverPolicy.maxLifetimeDays allows at most 180',
    });
    expect(waiverProblem({ ...ok, expires: '2099-01-01' }, {}, today)).toBeUndefined();
  });

  it('the config schema states the same minimum reason length', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schemas/config.schema.json'), 'utf8'));
    expect(schema.definitions.waiver.properties.reason.minLength).toBe(MIN_WAIVER_REASON_LENGTH);
    expect(schema.properties.waiverPolicy.properties.maxLifetimeDays).toMatchObject({ type: 'integer', minimum: 1 });
  });
});

describe('config waivers (subprocess)', () => {
  const withConfig = (text: string) => {
    const dir = copyFixture('engine-repo');
    fs.mkdirSync(path.join(dir, 'policies'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'policies/config.yaml'), text);
    return dir;
  };
  const config = (expires: string, head = '') =>
    `${head}waivers:\n  - rule: images/pinned-tag\n    object: "Deployment dev/dev-web"\n    reason: nginx:latest is pinned by the image policy of the dev registry\n    expires: ${expires}\n`;
  const args = ['--rule', 'images/pinned-tag', '--cluster', 'flux-dev', '--today', '2026-12-01'];

  it.each(['2026-02-30', '9999-99-99', '2020-13-45'])('expires: %s is refused with one line and exit 2', (expires) => {
    const run = runCli(args, withConfig(config(expires)));
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`policy-check: policies/config.yaml:5: invalid waiver: expires must be a real calendar date as YYYY-MM-DD, got "${expires}"`);
    expect(run.stdout).toBe('');
  });

  it('waiverPolicy.maxLifetimeDays refuses a waiver that expires further out', () => {
    const head = 'waiverPolicy:\n  maxLifetimeDays: 180\n';
    const far = runCli(args, withConfig(config('2099-01-01', head)));
    expect(far.code).toBe(2);
    expect(far.stderr.trim()).toBe('policy-check: policies/config.yaml:7: invalid waiver: expires 2099-01-01 is 26329 days after 2026-12-01; waiverPolicy.maxLifetimeDays allows at most 180');
    const near = runCli([...args, '--format', 'json'], withConfig(config('2027-05-30', head)));
    expect(near.code).toBe(0);
    expect(JSON.parse(near.stdout).summary.suppressed).toBe(1);
  });

  it('an unknown waiverPolicy key is refused at its line', () => {
    const run = runCli(args, withConfig(config('2027-01-31', 'waiverPolicy:\n  maxDays: 10\n')));
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('policy-check: policies/config.yaml:2: unknown key "maxDays" in waiverPolicy');
  });

  it('--today 2026-02-30 is one line and exit 2', () => {
    const run = runCli(['--today', '2026-02-30'], path.join(REPO_ROOT, 'test/fixtures/engine-repo'));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('policy-check: --today needs a real calendar date as YYYY-MM-DD, got "2026-02-30" (see --help)\n');
  });
});

describe('annotation waivers (subprocess)', () => {
  /** The dev overlay's patch carries the annotation: its key on line 6 of overlays/dev/web-image.yaml, the first entry on line 7. */
  const withAnnotation = (entries: string, config = '') => {
    const dir = copyFixture('engine-repo');
    const file = path.join(dir, 'overlays/dev/web-image.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('  name: web\n', `  name: web\n  annotations:\n    policy-check.dev/waivers: |\n${entries}`));
    if (config) {
      fs.mkdirSync(path.join(dir, 'policies'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'policies/config.yaml'), config);
    }
    return dir;
  };
  const entry = (expires: string, reason = 'dev tracks nginx latest on purpose') => `      - rule: images/pinned-tag\n        reason: ${reason}\n        expires: ${expires}\n`;
  const run = (dir: string) => runCli(['--rule', 'images/pinned-tag', '--cluster', 'flux-dev', '--format', 'json', '--today', '2026-12-01'], dir);
  const lines = (report: any) =>
    report.findings.map((f: any) => `${f.rule} ${f.location.file}:${f.location.line}:${f.location.column}${f.suppressed ? ' (waived)' : ''} ${f.message}`);

  it.each(['9999-99-99', '2020-13-45', '2026-02-30'])('expires: %s is a policy/invalid-waiver finding at the entry and waives nothing', (expires) => {
    const result = run(withAnnotation(entry(expires)));
    expect(result.code).toBe(1);
    expect(lines(JSON.parse(result.stdout))).toEqual([
      `policy/invalid-waiver overlays/dev/web-image.yaml:7:7 the policy-check.dev/waivers annotation is invalid: expires must be a real calendar date as YYYY-MM-DD, got "${expires}"; this waiver waives nothing`,
      'images/pinned-tag overlays/dev/web-image.yaml:15:11 container "web" of Deployment dev/dev-web uses the floating tag "latest" in "nginx:latest"',
    ]);
  });

  it('a one-character reason is refused as in the config; a valid sibling entry still waives', () => {
    const result = run(withAnnotation(`      - rule: ports/named-target-port\n        reason: x\n        expires: 2027-01-31\n${entry('2027-01-31')}`));
    expect(result.code).toBe(1);
    expect(lines(JSON.parse(result.stdout))).toEqual([
      'policy/invalid-waiver overlays/dev/web-image.yaml:7:7 the policy-check.dev/waivers annotation is invalid: reason must say why in at least 10 characters, got "x"; this waiver waives nothing',
      'images/pinned-tag overlays/dev/web-image.yaml:18:11 (waived) container "web" of Deployment dev/dev-web uses the floating tag "latest" in "nginx:latest"',
    ]);
  });

  it('waiverPolicy.maxLifetimeDays applies to annotations too', () => {
    const result = run(withAnnotation(entry('2099-01-01'), 'waiverPolicy:\n  maxLifetimeDays: 180\n'));
    expect(result.code).toBe(1);
    expect(lines(JSON.parse(result.stdout))[0]).toBe(
      'policy/invalid-waiver overlays/dev/web-image.yaml:7:7 the policy-check.dev/waivers annotation is invalid: expires 2099-01-01 is 26329 days after 2026-12-01; waiverPolicy.maxLifetimeDays allows at most 180; this waiver waives nothing',
    );
  });
});
