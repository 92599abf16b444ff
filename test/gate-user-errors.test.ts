// Issues 20, 16 and 15: a run that checked nothing is not green, and the user errors around it
// (a folder as --config, a KUSTOMIZE that does not run, --output into a missing folder) are
// one line and exit 2, never "internal error" or a silent fallback.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture, REPO_ROOT, runCli } from './helpers/cli.ts';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/engine-repo');
const tempDir = (files: Record<string, string> = {}) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-'));
  // marks the repository root, so the checker never walks up into whatever /tmp holds
  fs.mkdirSync(path.join(dir, '.git'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
};

describe('green on nothing', () => {
  it('a repository without clusters/ is exit 2 with one line, not "0 errors"', () => {
    const run = runCli([], tempDir({ 'README.md': '# nothing here\n' }));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'policy-check: nothing was checked: this repository has no clusters/<name>/ folders (give PATH arguments to check folders or files); pass --allow-empty if an empty run is what you mean\n',
    );
  });

  it('an empty folder given as PATH is exit 2', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'empty'));
    const run = runCli(['empty'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('policy-check: nothing was checked: the path empty rendered 0 objects; pass --allow-empty if an empty run is what you mean\n');
  });

  it('clusters that render zero objects are exit 2, naming them', () => {
    const kustomization = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n';
    const dir = tempDir({ 'clusters/a/kustomization.yaml': kustomization, 'clusters/b/kustomization.yaml': kustomization });
    const run = runCli([], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('policy-check: nothing was checked: the clusters a, b rendered 0 objects; pass --allow-empty if an empty run is what you mean\n');
  });

  it('--allow-empty makes an empty run exit 0 and still prints the report', () => {
    const run = runCli(['--allow-empty', '--format', 'json'], tempDir());
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ clusters: [], findings: [], summary: { errors: 0, blocking: 0 } });
  });

  it('a render failure with zero objects stays a blocking finding (exit 1), not "nothing checked"', () => {
    const run = runCli(['--cluster', 'broken', '--rule', 'images/pinned-tag'], FIXTURE);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('render/failed');
  });
});

describe('--config naming a folder (issue 16)', () => {
  it('is one line and exit 2, not an internal error', () => {
    const run = runCli(['--config', 'overlays', '--rule', 'images/pinned-tag'], FIXTURE);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('policy-check: overlays: is a folder, not a config file; name a YAML file such as policies/config.yaml\n');
  });
});

describe('KUSTOMIZE (issue 16)', () => {
  it('naming a program that does not exist is exit 2 with one line, not a fallback to kubectl', () => {
    const run = runCli(['--rule', 'images/pinned-tag', 'overlays/prod'], FIXTURE, { KUSTOMIZE: '/nonexistent/kustomize' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'policy-check: KUSTOMIZE=/nonexistent/kustomize cannot be used: `/nonexistent/kustomize version` failed (no such program); point KUSTOMIZE at a kustomize binary, or unset it to use kustomize or kubectl from PATH\n',
    );
  });

  it('naming a program that fails is exit 2 with its exit code', () => {
    const run = runCli(['--rule', 'images/pinned-tag', 'overlays/prod'], FIXTURE, { KUSTOMIZE: 'false' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'policy-check: KUSTOMIZE=false cannot be used: `false version` failed (it exited with code 1); point KUSTOMIZE at a kustomize binary, or unset it to use kustomize or kubectl from PATH\n',
    );
  });
});

describe('--output and --report destinations (issue 15)', () => {
  it('--output into a missing folder is one line and exit 2, before any render', () => {
    const run = runCli(['--rule', 'images/pinned-tag', 'overlays/prod', '--output', 'out/report.txt'], FIXTURE);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('policy-check: cannot write out/report.txt: the folder out does not exist\n');
  });

  it('--report into a missing folder and --output naming a folder are refused the same way', () => {
    const report = runCli(['--rule', 'images/pinned-tag', 'overlays/prod', '--report', 'json=missing/deeper/r.json'], FIXTURE);
    expect(report.code).toBe(2);
    expect(report.stderr).toBe('policy-check: cannot write missing/deeper/r.json: the folder missing/deeper does not exist\n');
    const folder = runCli(['--rule', 'images/pinned-tag', 'overlays/prod', '--output', 'apps'], FIXTURE);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe('policy-check: cannot write apps: it is a folder\n');
  });

  it('an existing folder works', () => {
    const dir = copyFixture('engine-repo');
    fs.mkdirSync(path.join(dir, 'out'));
    const run = runCli(['--rule', 'images/pinned-tag', 'overlays/prod', '--output', 'out/report.json', '--format', 'json'], dir);
    expect(run.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out/report.json'), 'utf8')).clusters[0].name).toBe('overlays/prod');
  });
});
