import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { copyFixture, REPO_ROOT, runCli } from './helpers/cli.ts';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/engine-repo');

describe('tools/check.ts command line', () => {
  it('--help prints usage and exits 0', () => {
    const run = runCli(['--rule', 'images/pinned-tag', '--help'], FIXTURE);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: npx tsx tools/check.ts [PATH...] [options]');
    expect(run.stdout).toContain('Exit codes: 0 nothing blocking, 1 blocking findings, 2 the check could not run.');
  });

  it('--version prints the package version', () => {
    const version = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version;
    expect(runCli(['--rule', 'images/pinned-tag', '--version'], FIXTURE).stdout.trim()).toBe(`policy-check ${version}`);
  });

  it('rejects an unknown format with one line and exit 2', () => {
    const run = runCli(['--rule', 'images/pinned-tag', '--format', 'xml'], FIXTURE);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('policy-check: unknown --format "xml"; use one of text, json, sarif, github, markdown, unix, compact, junit (see --help)');
  });

  it('rejects an unknown option with exit 2', () => {
    const run = runCli(['--rule', 'images/pinned-tag', '--colour'], FIXTURE);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown option '--colour'");
  });

  it('rejects an unknown cluster, naming the ones that exist', () => {
    const run = runCli(['--rule', 'images/pinned-tag', '--cluster', 'nope'], FIXTURE);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('policy-check: unknown cluster nope; clusters in this repository: argo-prod, broken, flux-dev');
  });

  it('finds the repository root from a subfolder; PATH arguments stay relative to where you are', () => {
    const run = runCli(['--rule', 'images/pinned-tag', '--cluster', 'flux-dev'], path.join(FIXTURE, 'overlays'));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('  overlays/dev/web-image.yaml\n    10:11    error    images/pinned-tag');
    const local = runCli(['--rule', 'images/pinned-tag', 'prod'], path.join(FIXTURE, 'overlays'));
    expect(local.code).toBe(0);
    expect(local.stdout).toContain('cluster overlays/prod (path; 1 entry point, 1 objects)');
  });

  it('checks a single YAML file as a pseudo-cluster', () => {
    const run = runCli(['--rule', 'images/pinned-tag', 'apps/web/deployment.yaml'], FIXTURE);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('cluster apps/web/deployment.yaml (path; 1 entry point, 1 objects)\n  apps/web/deployment.yaml\n    19:11    error    images/pinned-tag                container "sidecar" of Deployment default/web uses "busybox" with no tag');
  });

  it('rejects a PATH that does not exist', () => {
    const run = runCli(['overlays/nope'], FIXTURE);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('policy-check: overlays/nope: no such file or folder');
  });

  it('rejects PATH arguments together with --cluster', () => {
    const run = runCli(['overlays/prod', '--cluster', 'flux-dev'], FIXTURE);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('policy-check: use either PATH arguments or --cluster, not both (see --help)');
  });

  it('rejects a --today that is not a date', () => {
    const run = runCli(['--today', '31/01/2027'], FIXTURE);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('policy-check: --today needs a real calendar date as YYYY-MM-DD, got "31/01/2027" (see --help)');
  });

  it('rejects an unknown --rule', () => {
    const run = runCli(['--rule', 'images/nope'], FIXTURE);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('policy-check: unknown rule "images/nope"; see --list-rules');
  });

  it('--explain prints what, why, how to fix and how to waive', () => {
    const run = runCli(['--rule', 'images/pinned-tag', '--explain', 'images/pinned-tag'], FIXTURE);
    expect(run.code).toBe(0);
    for (const heading of ['images/pinned-tag  (default severity: error)', 'Why', 'How to fix', 'How to waive', 'policy-check.dev/waivers']) {
      expect(run.stdout).toContain(heading);
    }
    expect(run.stdout.match(/to waive/gi), 'the waiver text is printed once').toEqual(['to waive']);
    expect(run.stdout.match(/- rule: images\/pinned-tag/g)).toHaveLength(2);
    expect(run.stdout).toContain('Options\n  forbiddenTags (string[], default ["latest","main","master","edge","stable","dev"]): Tags that float like latest (compared without case)\n');
    expect(run.stdout.trimEnd().split('\n').pop()).toBe('More: docs/rules/images-pinned-tag.md');
    const unknown = runCli(['--rule', 'images/pinned-tag', '--explain', 'images/nope'], FIXTURE);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe('policy-check: unknown rule "images/nope"; see --list-rules');
  });

  it('--list-rules lists rules and the engine\'s own findings', () => {
    const run = runCli(['--rule', 'images/pinned-tag', '--list-rules'], FIXTURE);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^images\/pinned-tag\s+error\s+Every container image/m);
    expect(run.stdout).toMatch(/^render\/failed\s+error/m);
  });

  it('exits 1 on blocking findings and groups text output by cluster and file', () => {
    const run = runCli(['--rule', 'images/pinned-tag', '--cluster', 'broken', '--cluster', 'flux-dev'], FIXTURE);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('cluster broken (flux;');
    expect(run.stdout).toContain('  overlays/broken/bad.yaml\n    7:3      error    render/failed');
    expect(run.stdout).toContain('  overlays/dev/web-image.yaml\n    10:11    error    images/pinned-tag');
    expect(run.stdout).toContain('skipped HelmRelease flux-system/cert-manager: Helm chart cert-manager v1.16.2 is not rendered: its HelmRepository flux-system/jetstack is not in this cluster (clusters/flux-dev/sync.yaml:61)');
    expect(run.stdout).not.toContain('\x1b[');
  });

  it('exits 0 on a clean path and checks a path as a pseudo-cluster', () => {
    const run = runCli(['--rule', 'images/pinned-tag', 'overlays/prod'], FIXTURE);
    expect(run.stdout).toContain('cluster overlays/prod (path; 1 entry point, 1 objects)');
    expect(run.code).toBe(0);
  });

  it('writes json to --output that validates against the published schema', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'json-')), 'report.json');
    const run = runCli(['--rule', 'images/pinned-tag', '--format', 'json', '--output', out], FIXTURE);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    const validate = new Ajv({ strict: false }).compile(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schemas/report.schema.json'), 'utf8')));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.summary).toEqual({ errors: 2, warnings: 0, infos: 0, suppressed: 0, blocking: 2 });
  });

  it('--report writes more formats from the same run', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-'));
    const run = runCli(['--rule', 'images/pinned-tag', '--cluster', 'flux-dev', '--format', 'github', '--report', `json=${dir}/r.json`, '--report', `sarif=${dir}/r.sarif`], FIXTURE);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error file=overlays\/dev\/web-image.yaml/);
    expect(JSON.parse(fs.readFileSync(`${dir}/r.json`, 'utf8')).findings).toHaveLength(1);
    expect(JSON.parse(fs.readFileSync(`${dir}/r.sarif`, 'utf8')).runs[0].results).toHaveLength(1);
    const bad = runCli(['--report', 'yaml=x'], FIXTURE);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--report needs FORMAT=FILE with FORMAT one of text, json, sarif, github, markdown, unix, compact, junit, got "yaml=x"');
  });

  it('prints GitHub workflow annotations with escaped properties', () => {
    const run = runCli(['--rule', 'images/pinned-tag', '--format', 'github', '--cluster', 'flux-dev'], FIXTURE);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe(
      '::error file=overlays/dev/web-image.yaml,line=10,col=11,title=images/pinned-tag (flux-dev)::container "web" of Deployment dev/dev-web uses the floating tag "latest" in "nginx:latest"',
    );
  });

  it('prints the PR comment body as markdown', () => {
    const run = runCli(['--rule', 'images/pinned-tag', '--format', 'markdown', '--cluster', 'flux-dev'], FIXTURE);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('<!-- policy-check:pr-comment -->');
    expect(run.stdout).toContain('uses the floating tag &quot;latest&quot;');
  });

  it('falls back to `kubectl kustomize` and, with neither binary, says so in one line with exit 2', () => {
    const onlyNode = fs.mkdtempSync(path.join(os.tmpdir(), 'path-'));
    fs.symlinkSync(process.execPath, path.join(onlyNode, 'node'));
    const missing = runCli(['--rule', 'images/pinned-tag', 'overlays/prod'], FIXTURE, { PATH: onlyNode, KUSTOMIZE: '' });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('neither `kustomize` nor `kubectl` (with `kubectl kustomize`) was found on PATH; install one');

    const kubectl = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();
    const withKubectl = fs.mkdtempSync(path.join(os.tmpdir(), 'path-'));
    fs.symlinkSync(kubectl, path.join(withKubectl, 'kubectl'));
    const fallback = runCli(['--rule', 'images/pinned-tag', 'overlays/prod'], FIXTURE, { PATH: withKubectl, KUSTOMIZE: '' });
    expect(fallback.stderr).toBe('');
    expect(fallback.code).toBe(0);
  });
});

describe('configuration errors', () => {
  const withConfig = (text: string) => {
    const dir = copyFixture('engine-repo');
    fs.mkdirSync(path.join(dir, 'policies'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'policies/config.yaml'), text);
    return dir;
  };

  it('names the unknown key and its line', () => {
    const run = runCli(['--rule', 'images/pinned-tag', ], withConfig('defaults:\n  kubernetesVersion: "1.31"\n  podSecurityMinimun: baseline\n'));
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('policy-check: policies/config.yaml:3: unknown key "podSecurityMinimun" in defaults');
  });

  it('names a bad severity', () => {
    const run = runCli(['--rule', 'images/pinned-tag', ], withConfig('rules:\n  images/pinned-tag:\n    severity: fatal\n'));
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('policy-check: policies/config.yaml:3: rules.images/pinned-tag.severity must be one of error, warning, info, off');
  });

  it('names an unknown rule', () => {
    const run = runCli(['--rule', 'images/pinned-tag', ], withConfig('rules:\n  images/pinned:\n    severity: warning\n'));
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('policy-check: policies/config.yaml:2: unknown rule "images/pinned" (see --list-rules)');
  });

  it('validates rule options against the rule\'s schema', () => {
    const run = runCli(['--rule', 'images/pinned-tag', ], withConfig('rules:\n  images/pinned-tag:\n    options:\n      requireDigest: "yes"\n'));
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('policy-check: policies/config.yaml:4: options of images/pinned-tag: requireDigest must be boolean');
  });

  it('reports malformed YAML with its line', () => {
    const run = runCli(['--rule', 'images/pinned-tag', ], withConfig('rules:\n  images/pinned-tag: [\n'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^policy-check: policies\/config\.yaml:\d+: invalid YAML: /);
  });

  it('refuses an alias bomb instead of hanging', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 9; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`);
    const run = runCli(['--rule', 'images/pinned-tag', ], withConfig(bomb.join('\n') + '\n'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('policies/config.yaml');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a missing --config file is an error, a missing default config is not', () => {
    const run = runCli(['--rule', 'images/pinned-tag', '--config', 'nope.yaml', 'overlays/prod'], FIXTURE);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('policy-check: nope.yaml: config file not found');
  });
});

describe('waivers', () => {
  const withConfig = (text: string) => {
    const dir = copyFixture('engine-repo');
    fs.mkdirSync(path.join(dir, 'policies'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'policies/config.yaml'), text);
    return dir;
  };
  const waiver = (expires: string) =>
    `waivers:\n  - rule: images/pinned-tag\n    object: "Deployment dev/dev-web"\n    reason: nginx:latest is pinned by the image policy of the dev registry\n    expires: ${expires}\n`;

  it('a config waiver suppresses the finding, which still shows in json as suppressed', () => {
    const run = runCli(['--rule', 'images/pinned-tag', '--cluster', 'flux-dev', '--format', 'json', '--today', '2026-11-23'], withConfig(waiver('2027-01-31')));
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.summary).toEqual({ errors: 0, warnings: 0, infos: 0, suppressed: 1, blocking: 0 });
    expect(report.findings[0].suppressed).toEqual({ kind: 'config', reason: 'nginx:latest is pinned by the image policy of the dev registry', expires: '2027-01-31' });
  });

  it('an expired waiver is itself a blocking finding at the waiver\'s line', () => {
    const run = runCli(['--rule', 'images/pinned-tag', '--cluster', 'flux-dev', '--today', '2027-02-01'], withConfig(waiver('2027-01-31')));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('  policies/config.yaml\n    2:5      error    policy/expired-waiver            waiver for images/pinned-tag expired on 2027-01-31');
    expect(run.stdout).toContain('10:11    error    images/pinned-tag');
  });

  it('an annotation waiver on the object suppresses that rule for that object', () => {
    const dir = copyFixture('engine-repo');
    const file = path.join(dir, 'overlays/dev/web-image.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('  name: web\n', '  name: web\n  annotations:\n    policy-check.dev/waivers: |\n      - rule: images/pinned-tag\n        reason: dev tracks nginx latest on purpose\n        expires: 2027-01-31\n'));
    const run = runCli(['--rule', 'images/pinned-tag', '--cluster', 'flux-dev', '--format', 'json', '--today', '2026-11-23'], dir);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.findings.map((f: any) => [f.rule, f.suppressed?.kind])).toEqual([['images/pinned-tag', 'annotation']]);
  });
});
