// .pre-commit-hooks.yaml: the hook the pre-commit framework runs, its `policy-check` command (package.json bin),
// and that command run as the framework runs it: in the repository's folder, with no file names.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/cli.ts';

interface Hook {
  id: string;
  name: string;
  entry: string;
  language: string;
  files: string;
  pass_filenames: boolean;
  require_serial: boolean;
}

const MANIFEST = path.join(REPO_ROOT, '.pre-commit-hooks.yaml');
const hooks = parse(fs.readFileSync(MANIFEST, 'utf8')) as Hook[];
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; dependencies: Record<string, string> };
const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { bin?: Record<string, string> }> };

/** The hook's command as the framework's node environment has it: the package's bin, run by node. */
function runHook(cwd: string, args: string[] = []) {
  const bin = path.join(REPO_ROOT, pkg.bin[hooks[0].entry]);
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function onPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, binary);
    if (dir && fs.existsSync(file)) return file;
  }
  return undefined;
}

describe('.pre-commit-hooks.yaml', () => {
  it('declares one hook, policy-check, that runs the whole check when any YAML file changes', () => {
    expect(hooks.map((h) => h.id)).toEqual(['policy-check']);
    const [hook] = hooks;
    expect(hook).toMatchObject({ entry: 'policy-check', language: 'node', pass_filenames: false, require_serial: true });
    const files = new RegExp(hook.files);
    for (const changed of ['apps/llm-services/ollama/statefulset.yaml', 'overlays/kind/kustomization.yaml', 'components/x/values.yml']) expect(files.test(changed), changed).toBe(true);
    for (const other of ['README.md', 'tools/check.ts', 'apps/x/yaml.txt', 'schemas/config.schema.json']) expect(files.test(other), other).toBe(false);
  });

  it('its entry is a bin of package.json (what language: node installs), present in the lock file and on disk, with tsx a runtime dependency', () => {
    const entry = hooks[0].entry;
    expect(pkg.bin[entry]).toBe('tools/bin/policy-check.mjs');
    expect(lock.packages[''].bin).toEqual(pkg.bin);
    const file = path.join(REPO_ROOT, pkg.bin[entry]);
    expect(fs.readFileSync(file, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(fs.statSync(file).mode & 0o111).not.toBe(0);
    // npm install -g (how the framework installs a node hook) leaves devDependencies out
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['tsx', 'yaml', 'ajv', 'minimatch']));
  });

  it("passes pre-commit's own manifest validation", (context) => {
    const preCommit = onPath('pre-commit');
    if (!preCommit) {
      context.skip('pre-commit is not on PATH (pip install pre-commit, or apt-get install pre-commit): its manifest validator did not run');
      return;
    }
    const result = spawnSync(preCommit, ['validate-manifest', MANIFEST], { encoding: 'utf8' });
    expect({ code: result.status, out: result.stdout + result.stderr }).toEqual({ code: 0, out: '' });
    const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hooks-')), '.pre-commit-hooks.yaml');
    fs.writeFileSync(broken, '- id: policy-check\n  entry: policy-check\n');
    expect(spawnSync(preCommit, ['validate-manifest', broken], { encoding: 'utf8' }).status).toBe(1);
  });
});

describe('the hook command, run as the framework runs it', () => {
  it('on this repository: every cluster checked, exit 0', () => {
    const run = runHook(REPO_ROOT);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^cluster k3s \(flux; /);
    expect(run.stdout).toMatch(/\n✔ 0 errors, 0 warnings(, \d+ waived)? in 4 clusters\n$/);
  }, 180_000);

  it('on another repository with a mistake: the finding and exit 1; a bad argument from args: is exit 2 in one line', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'hook-repo-'));
    fs.cpSync(path.join(REPO_ROOT, 'test/fixtures/engine-repo'), repo, { recursive: true });
    const run = runHook(repo, ['--cluster', 'flux-dev', '--rule', 'images/pinned-tag']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('error    images/pinned-tag');
    expect(run.stdout).toMatch(/\n✖ 1 error, 0 warnings in 1 cluster\n$/);
    const bad = runHook(repo, ['--cluster', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^policy-check: .*nope/);
  });
});
