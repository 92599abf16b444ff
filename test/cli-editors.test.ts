// Editors, terminals and code scanning, through the command line as a user runs it (issue 15).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { copyFixture, REPO_ROOT, runCli, type CliRun } from './helpers/cli.ts';
import { parseXml, type XmlElement } from './helpers/xml.ts';
import { compileReportValidator } from '../tools/lib/report/report-schema.ts';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/engine-repo');
const TODAY = ['--today', '2026-11-23'];
/** Outside Actions, and with no GitHub remote unless a test adds one. */
const NO_ACTIONS = { GITHUB_REPOSITORY: '', GITHUB_SERVER_URL: '' };
const PINNED_LINE = 'overlays/dev/web-image.yaml:10:11: container "web" of Deployment dev/dev-web uses the floating tag "latest" in "nginx:latest" (cluster flux-dev) [Error/images/pinned-tag]';

const matchers = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, '.github/problem-matchers/policy-check.json'), 'utf8')).problemMatcher as {
  owner: string;
  pattern: { regexp: string; file: number; line: number; column: number; message: number; severity: number; code: number }[];
}[];
/** What GitHub's runner (and VS Code) reads out of one line with the matcher's regexp and group numbers. */
function matchLine(owner: string, line: string) {
  const p = matchers.find((m) => m.owner === owner)!.pattern[0];
  const m = new RegExp(p.regexp).exec(line);
  return m && { file: m[p.file], line: Number(m[p.line]), column: Number(m[p.column]), severity: m[p.severity], code: m[p.code], message: m[p.message] };
}

function sarifValidator() {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

/** A copy of the fixture in its own git repository, with `origin` set to `remote` when given. */
function repoWithRemote(remote?: string): string {
  const dir = copyFixture('engine-repo');
  spawnSync('git', ['init', '-q'], { cwd: dir });
  if (remote) spawnSync('git', ['remote', 'add', 'origin', remote], { cwd: dir });
  return dir;
}

describe('one run of the fixture in every editor format', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'editor-formats-'));
  let unix: CliRun;
  const read = (name: string) => fs.readFileSync(path.join(out, name), 'utf8');
  beforeAll(() => {
    unix = runCli([...TODAY, '--format', 'unix', '--report', `compact=${out}/compact.txt`, '--report', `junit=${out}/junit.xml`, '--report', `sarif=${out}/r.sarif`, '--report', `json=${out}/r.json`], repoWithRemote('git@github.com:acme/fleet.git'), NO_ACTIONS);
  }, 300_000);

  it('unix: one line per mistake, path:line:col: message [Severity/rule], then the count', () => {
    expect(unix.code).toBe(1);
    const lines = unix.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('60 problems');
    expect(lines.at(-2)).toBe('');
    expect(lines).toContain(PINNED_LINE);
    // the base file shared by argo-prod and broken is one line naming both clusters
    expect(lines).toContain('apps/web/deployment.yaml:16:11: container "web" of Deployment prod/web has no readinessProbe (clusters argo-prod, broken) [Error/probes/required]');
    expect(lines.filter((l) => l.startsWith('apps/web/deployment.yaml:16:11: container "web" of Deployment prod/web has no readinessProbe'))).toHaveLength(1);
    expect(new Set(lines).size).toBe(lines.length);
  });

  it("the problem matcher's unix regexp reads every finding line of the real output, and nothing else", () => {
    const lines = unix.stdout.trimEnd().split('\n');
    const findingLines = lines.slice(0, -2);
    expect(findingLines).toHaveLength(60);
    for (const line of findingLines) expect(matchLine('policy-check-unix', line), line).not.toBeNull();
    expect(matchLine('policy-check-unix', '60 problems')).toBeNull();
    expect(matchLine('policy-check-unix', PINNED_LINE)).toEqual({
      file: 'overlays/dev/web-image.yaml',
      line: 10,
      column: 11,
      severity: 'Error',
      code: 'images/pinned-tag',
      message: 'container "web" of Deployment dev/dev-web uses the floating tag "latest" in "nginx:latest" (cluster flux-dev)',
    });
    const renderFailed = findingLines.find((l) => l.includes('[Error/render/failed]'))!;
    expect(matchLine('policy-check-unix', renderFailed)).toMatchObject({ file: 'overlays/broken/bad.yaml', line: 7, column: 3, code: 'render/failed' });
  });

  it('compact: ESLint compact lines, and its problem matcher reads each of them', () => {
    const lines = read('compact.txt').trimEnd().split('\n');
    expect(lines.at(-1)).toBe('60 problems');
    expect(lines).toContain('overlays/dev/web-image.yaml: line 10, col 11, Error - container "web" of Deployment dev/dev-web uses the floating tag "latest" in "nginx:latest" (cluster flux-dev) (images/pinned-tag)');
    for (const line of lines.slice(0, -2)) expect(matchLine('policy-check-compact', line), line).not.toBeNull();
    expect(matchLine('policy-check-compact', lines.find((l) => l.includes('(images/pinned-tag)'))!)).toEqual({
      file: 'overlays/dev/web-image.yaml',
      line: 10,
      column: 11,
      severity: 'Error',
      code: 'images/pinned-tag',
      message: 'container "web" of Deployment dev/dev-web uses the floating tag "latest" in "nginx:latest" (cluster flux-dev)',
    });
  });

  it('junit: well-formed XML, one testsuite per cluster, one testcase per rule, one failure per blocking finding', () => {
    const report = JSON.parse(read('r.json'));
    const root = parseXml(read('junit.xml'));
    expect(root.name).toBe('testsuites');
    const suites = root.children;
    expect(suites.map((s) => s.attributes.name)).toEqual(['argo-prod', 'broken', 'flux-dev']);
    const failures = (s: XmlElement) => s.children.flatMap((c) => c.children.filter((f) => f.name === 'failure'));
    for (const suite of suites) {
      const blocking = report.findings.filter((f: any) => f.cluster === suite.attributes.name && f.severity === 'error' && !f.suppressed);
      expect(failures(suite)).toHaveLength(blocking.length);
      expect(suite.attributes.failures).toBe(String(blocking.length));
      const names = suite.children.map((c) => c.attributes.name);
      expect(new Set(names).size).toBe(names.length);
      expect(suite.attributes.tests).toBe(String(names.length));
    }
    expect(root.attributes.failures).toBe(String(report.summary.errors));
    const flux = suites.find((s) => s.attributes.name === 'flux-dev')!;
    const pinned = flux.children.find((c) => c.attributes.name === 'images/pinned-tag')!;
    expect(pinned.attributes.classname).toBe('policy-check.flux-dev');
    expect(pinned.children.map((f) => [f.attributes.message, f.attributes.type])).toEqual([['container "web" of Deployment dev/dev-web uses the floating tag "latest" in "nginx:latest"', 'images/pinned-tag (error)']]);
    expect(pinned.children[0].text.split('\n').slice(0, 3)).toEqual([
      'overlays/dev/web-image.yaml:10:11',
      'Deployment dev/dev-web spec.template.spec.containers[0].image',
      'container "web" of Deployment dev/dev-web uses the floating tag "latest" in "nginx:latest"',
    ]);
  });

  it('sarif: valid 2.1.0, every rule ranked with security-severity and tagged, help fenced, helpUri from the GitHub remote', () => {
    const log = JSON.parse(read('r.sarif'));
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const rules = log.runs[0].tool.driver.rules;
    expect(log.runs[0].tool.driver.informationUri).toBe('https://github.com/acme/fleet');
    for (const rule of rules) {
      expect(rule.properties['security-severity'], rule.id).toMatch(/^\d+\.\d$/);
      expect(rule.properties.tags).toContain(rule.id.split('/')[0]);
      expect(rule.helpUri).toBe(`https://github.com/acme/fleet/blob/HEAD/docs/rules/${rule.id.replace('/', '-')}.md`);
      expect(rule.help.text).not.toContain('```');
    }
    const byId = (id: string) => rules.find((r: any) => r.id === id);
    expect(byId('security/pod-security').properties).toMatchObject({ 'security-severity': '8.0', tags: ['kubernetes', 'security'] });
    expect(byId('probes/required').properties).toMatchObject({ 'security-severity': '5.0', tags: ['kubernetes', 'probes'] });
    expect(byId('images/pinned-tag').help.markdown).toContain('```yaml\nimage: nats:2.10.22-alpine\nimage: nats:2.10.22-alpine@sha256:<digest>\n```');
  });

  it('sarif: one result per mistake, naming every cluster it shows up in', () => {
    const results = JSON.parse(read('r.sarif')).runs[0].results;
    expect(results).toHaveLength(60);
    const readiness = results.filter((r: any) => r.ruleId === 'probes/required' && r.message.text.startsWith('container "web" of Deployment prod/web has no readinessProbe'));
    expect(readiness).toHaveLength(1);
    expect(readiness[0].properties.clusters).toEqual(['argo-prod', 'broken']);
    expect(readiness[0].message.text.split('\n')[0]).toBe('container "web" of Deployment prod/web has no readinessProbe [Deployment prod/web spec.template.spec.containers[0].readinessProbe] (clusters argo-prod, broken)');
    const fingerprints = results.map((r: any) => r.partialFingerprints['policyCheck/v2']);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });

  it('json: names the kustomize that rendered, and still validates against schemas/report.schema.json', () => {
    const report = JSON.parse(read('r.json'));
    expect(compileReportValidator()(report).ok).toBe(true);
    expect(path.isAbsolute(report.kustomize.path)).toBe(true);
    expect(report.kustomize.version).toMatch(/^v\d+\.\d+\.\d+/);
    expect(report.kustomize.description).toContain(report.kustomize.version);
  });
});

describe('helpUri', () => {
  const sarifWith = (dir: string, env: NodeJS.ProcessEnv) => {
    const run = runCli([...TODAY, '--cluster', 'flux-dev', '--rule', 'images/pinned-tag', '--format', 'sarif'], dir, env);
    expect(run.code).toBe(1);
    return JSON.parse(run.stdout).runs[0].tool.driver;
  };

  it('in GitHub Actions points at GITHUB_SERVER_URL/GITHUB_REPOSITORY, whatever the remote says', () => {
    const driver = sarifWith(repoWithRemote('https://gitlab.example.com/other/repo.git'), { GITHUB_SERVER_URL: 'https://ghe.example.com', GITHUB_REPOSITORY: 'platform/fleet' });
    expect(driver.rules[0].helpUri).toBe('https://ghe.example.com/platform/fleet/blob/HEAD/docs/rules/images-pinned-tag.md');
  });

  it('is left out when the remote is no web repository, or there is none: never a made-up OWNER/REPO', () => {
    for (const dir of [repoWithRemote('/srv/git/fleet.git'), repoWithRemote()]) {
      const driver = sarifWith(dir, NO_ACTIONS);
      expect(driver.informationUri).toBeUndefined();
      expect(driver.rules.map((r: any) => [r.id, r.helpUri])).toEqual([['images/pinned-tag', undefined]]);
    }
  });
});

describe('--quiet, --fail-on, --skip-rule, --verbose', () => {
  it('--quiet on the clean repository prints the summary line alone: no skipped or waived lines', () => {
    const loud = runCli([], REPO_ROOT);
    const quiet = runCli(['--quiet'], REPO_ROOT);
    expect(loud.code).toBe(0);
    expect(loud.stdout).toContain('  skipped ');
    expect(quiet.code).toBe(0);
    expect(quiet.stdout.trimEnd().split('\n')).toEqual([loud.stdout.trimEnd().split('\n').at(-1)]);
    expect(quiet.stdout).toMatch(/^✔ 0 errors, 0 warnings(, \d+ waived)? in 4 clusters\n$/);
  }, 300_000);

  it('--fail-on warning fails a run whose findings are warnings; --quiet then lists them, and only them', () => {
    const dir = copyFixture('engine-repo');
    fs.mkdirSync(path.join(dir, 'policies'));
    fs.writeFileSync(path.join(dir, 'policies/config.yaml'), 'rules:\n  images/pinned-tag:\n    severity: warning\n');
    const args = [...TODAY, '--cluster', 'flux-dev', '--rule', 'images/pinned-tag', '--format', 'unix'];
    const lenient = runCli(args, dir);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toBe(`${PINNED_LINE.replace('[Error/', '[Warning/')}\n\n1 problem\n`);
    expect(runCli([...args, '--quiet'], dir).stdout).toBe('');
    const strict = runCli([...args, '--fail-on', 'warning', '--quiet'], dir);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe(`${PINNED_LINE.replace('[Error/', '[Warning/')}\n\n1 problem\n`);
    const bad = runCli([...args, '--fail-on', 'info'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('policy-check: --fail-on needs one of error, warning, got "info" (see --help)');
  });

  it('--skip-rule leaves a rule out; an unknown id is exit 2 with did-you-mean; engine findings cannot be skipped', () => {
    const run = runCli([...TODAY, '--cluster', 'flux-dev', '--rule', 'images/pinned-tag', '--rule', 'schema/strict', '--skip-rule', 'schema/strict', '--format', 'json'], FIXTURE);
    expect(run.code).toBe(1);
    expect([...new Set(JSON.parse(run.stdout).findings.map((f: any) => f.rule))]).toEqual(['images/pinned-tag']);
    const typo = runCli(['--skip-rule', 'images/pined-tag'], FIXTURE);
    expect(typo.code).toBe(2);
    expect(typo.stderr.trim()).toBe('policy-check: unknown rule "images/pined-tag" (did you mean "images/pinned-tag"?); see --list-rules');
    const engine = runCli(['--skip-rule', 'render/failed'], FIXTURE);
    expect(engine.code).toBe(2);
    expect(engine.stderr.trim()).toBe('policy-check: --skip-rule render/failed: the engine\'s own findings cannot be skipped (a check that did not run would look clean); waive the finding instead, see --explain render/failed');
  });

  it('--rule with a mistyped or area-less id suggests the real one', () => {
    const run = runCli(['--rule', 'pinned-tag', '--rule', 'security/pod-securty'], FIXTURE);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('policy-check: unknown rule "pinned-tag" (did you mean "images/pinned-tag"?), "security/pod-securty" (did you mean "security/pod-security"?); see --list-rules');
  });

  it('--verbose names the kustomize and each cluster\'s render time and entry points on stderr', () => {
    const run = runCli([...TODAY, '--cluster', 'flux-dev', '--rule', 'images/pinned-tag', '--verbose', '--format', 'unix'], FIXTURE);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`${PINNED_LINE}\n\n1 problem\n`);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^policy-check: kustomize: (kubectl kustomize \(\/.+: kubectl v.+, kustomize v\d+\.\d+\.\d+.*\)|\/.+ build \(kustomize v\d+\.\d+\.\d+.*\))$/);
    expect(lines[1]).toMatch(/^policy-check: cluster flux-dev: rendered in \d+\.\d s; 3 entry points, \d+ objects$/);
    expect(lines.slice(2)).toContain('policy-check:   flux clusters/flux-dev -> clusters/flux-dev');
  });
});

describe('--explain', () => {
  it('prints a docs link (with the URL when the repository is known) and the waiver text once', () => {
    const run = runCli(['--explain', 'images/pinned-tag'], repoWithRemote('https://github.com/acme/fleet.git'), NO_ACTIONS);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('More: docs/rules/images-pinned-tag.md (https://github.com/acme/fleet/blob/HEAD/docs/rules/images-pinned-tag.md)');
    expect(run.stdout.match(/How to waive/g)).toHaveLength(1);
    expect(run.stdout.match(/policy-check\.dev\/waivers/g)).toHaveLength(1);
    const local = runCli(['--explain', 'images/pinned-tag'], repoWithRemote(), NO_ACTIONS);
    expect(local.stdout.trimEnd().split('\n').at(-1)).toBe('More: docs/rules/images-pinned-tag.md');
  });

  it('a mistyped id is exit 2 with "did you mean"', () => {
    const run = runCli(['--explain', 'images/pinnedtag'], FIXTURE);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe('policy-check: unknown rule "images/pinnedtag" (did you mean "images/pinned-tag"?); see --list-rules');
  });
});
