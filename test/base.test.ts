import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { copyFixture, runCli } from './helpers/cli.ts';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });

describe('--base', () => {
  it('classifies findings as new, unchanged or fixed and fails only on new blocking ones', () => {
    const dir = copyFixture('engine-repo');
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'base');
    git(dir, 'checkout', '-qb', 'change');
    // move the existing finding two lines down: still "unchanged"
    const patch = path.join(dir, 'overlays/dev/web-image.yaml');
    fs.writeFileSync(patch, '# moved\n\n' + fs.readFileSync(patch, 'utf8'));
    git(dir, 'commit', '-qam', 'move lines');

    const unchangedOnly = runCli(['--rule', 'images/pinned-tag', '--cluster', 'flux-dev', '--base', 'main', '--format', 'json'], dir);
    const report1 = JSON.parse(unchangedOnly.stdout);
    expect(report1.findings.map((f: any) => [f.rule, f.status, f.location.line])).toEqual([['images/pinned-tag', 'unchanged', 12]]);
    expect(report1.summary).toMatchObject({ errors: 1, blocking: 0, new: 0, fixed: 0 });
    expect(report1.base.ref).toBe('main');
    expect(report1.base.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(unchangedOnly.code).toBe(0);

    // fix the old finding, add a new one
    fs.writeFileSync(patch, fs.readFileSync(patch, 'utf8').replace('nginx:latest', 'nginx:1.27.1'));
    const api = path.join(dir, 'apps/api/deployment.yaml');
    fs.writeFileSync(api, fs.readFileSync(api, 'utf8').replace('ghcr.io/example/api:${API_TAG:=1.0.0}', 'ghcr.io/example/api:latest'));
    git(dir, 'commit', '-qam', 'fix one, break one');
    const mixed = runCli(['--rule', 'images/pinned-tag', '--cluster', 'flux-dev', '--base', 'main', '--format', 'json'], dir);
    const report2 = JSON.parse(mixed.stdout);
    expect(report2.findings.map((f: any) => [f.object.name, f.status])).toEqual([['api', 'new']]);
    expect(report2.fixed.map((f: any) => f.object.name)).toEqual(['dev-web']);
    expect(report2.summary).toMatchObject({ blocking: 1, new: 1, fixed: 1 });
    expect(mixed.code).toBe(1);
    // the temporary worktree is gone
    expect(git(dir, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  });

  it('says clearly when the base cannot be resolved', () => {
    const dir = copyFixture('engine-repo');
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'base');
    const run = runCli(['--rule', 'images/pinned-tag', '--base', 'origin/nope'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^policy-check: --base origin\/nope: no merge base with HEAD .*git fetch origin main\n$/);
  });
});
