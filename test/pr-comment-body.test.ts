// The PR comment's text, asserted whole: a calm line when nothing blocks, counts that equal the items listed,
// rule ids linked to their pages at the head commit, and links built from the real repository's web URL
// (GitHub Actions' environment, GitHub Enterprise's server URL, or the git remote) or absent, never a placeholder.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderComment } from '../tools/lib/report/comment.ts';
import { formatMarkdown } from '../tools/lib/report/markdown.ts';
import { blobUrl, originWebUrl, ruleDocUrl, runRepositoryWebUrl } from '../tools/lib/docs/rule-links.ts';
import { groupAcrossClusters } from '../tools/lib/report/finding-groups.ts';
import { main } from '../tools/pr-comment.ts';
import type { Report } from '../tools/lib/core/types.ts';
import { BOT_USER, buildReport, HEAD_SHA, reportFinding, startFakeGitHub, type FakeGitHub } from './helpers/fake-github.ts';
import { REPO_ROOT, runCli } from './helpers/cli.ts';

const FLEET = 'https://github.com/gitops-fleet/gitops-fleet';
const WAIVER = { kind: 'config' as const, reason: 'hodei-server creates the worker pods at run time', expires: '2027-03-31' };

/** The shape of this repository's green run: four clusters, one waived mistake found in each of them. */
function greenReport(): Report {
  const waived = ['k3s', 'kind', 'production', 'staging'].map((cluster) =>
    reportFinding({
      cluster,
      fingerprint: `waived-${cluster}`,
      rule: 'references/network-policy-selector',
      severity: 'warning',
      status: undefined,
      object: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespace: 'hodei-jobs', name: 'hodei-worker' },
      path: ['spec', 'podSelector'],
      message: 'NetworkPolicy hodei-jobs/hodei-worker selects no pod',
      location: { file: 'apps/hodei-jobs/workers/network-policies.yaml', line: 7, column: 3 },
      suppressed: WAIVER,
    }),
  );
  return buildReport({
    base: undefined,
    findings: waived,
    clusters: [
      { name: 'k3s', entryPoints: [], skipped: [], objectCount: 81 },
      { name: 'kind', entryPoints: [], skipped: [], objectCount: 185 },
      { name: 'production', entryPoints: [], skipped: [], objectCount: 195 },
      { name: 'staging', entryPoints: [], skipped: [], objectCount: 195 },
    ],
  });
}

/** A red pull request: one mistake in a base shared by two clusters, one warning, one fixed. */
function redReport(): Report {
  return buildReport({
    findings: [
      reportFinding({ fingerprint: 'kind', fix: 'resources:\n  limits:\n    memory: 256Mi' }),
      reportFinding({ fingerprint: 'production', cluster: 'production', fix: 'resources:\n  limits:\n    memory: 256Mi' }),
      reportFinding({
        fingerprint: 'probe',
        rule: 'probes/required',
        severity: 'warning',
        path: ['spec', 'template', 'spec', 'containers', 0],
        message: 'container web has no readiness probe',
        location: { file: 'apps/shop/deployment.yaml', line: 17, column: 9 },
      }),
    ],
    fixed: [reportFinding({ fingerprint: 'fixed', status: undefined, rule: 'images/pinned-tag', message: 'container web uses the floating tag "latest"', location: { file: 'apps/shop/deployment.yaml', line: 19, column: 18 } })],
  });
}

const hasPage = (id: string) => ['resources/requests-limits', 'images/pinned-tag'].includes(id);

describe('the comment body', () => {
  it('a green pull request gets one calm line, the waived mistake folded under it', () => {
    const { body } = renderComment(greenReport(), { repositoryUrl: FLEET, headSha: HEAD_SHA, hasRuleDoc: () => true });
    expect(body).toBe(`<!-- policy-check:pr-comment -->
✔ No blocking findings in 4 clusters (656 objects). 1 waived.

<details><summary>Waived (1)</summary>

- :mute: **[references/network\\-policy\\-selector](${FLEET}/blob/${HEAD_SHA}/docs/rules/references-network-policy-selector.md)** in NetworkPolicy hodei\\-jobs/hodei\\-worker at spec\\.podSelector ([apps/hodei\\-jobs/workers/network\\-policies\\.yaml\\:7](${FLEET}/blob/${HEAD_SHA}/apps/hodei-jobs/workers/network-policies.yaml#L7)), clusters k3s, kind, production, staging  
  NetworkPolicy hodei\\-jobs/hodei\\-worker selects no pod  
  waived: hodei\\-server creates the worker pods at run time (until 2027\\-03\\-31)

</details>

---
<sub>Run it locally: <code>npx tsx tools/check.ts</code> · policy\\-check 0\\.1\\.0 · c0ffee0</sub>
`);
  });

  it('a green run with nothing waived is the line and the footer only', () => {
    const { body } = renderComment(buildReport({ findings: [] }), { repositoryUrl: FLEET, headSha: HEAD_SHA });
    expect(body).toBe(`<!-- policy-check:pr-comment -->
✔ No new blocking findings in 2 clusters (42 objects), compared with origin/main (ba5e000).

---
<sub>Run it locally: <code>npx tsx tools/check.ts --base origin/main</code> · policy\\-check 0\\.1\\.0 · c0ffee0</sub>
`);
  });

  it('a red pull request: the headline counts the items listed, rule ids link to their pages at the head commit', () => {
    const report = redReport();
    const { body } = renderComment(report, { repositoryUrl: FLEET, headSha: HEAD_SHA, hasRuleDoc: hasPage });
    const blob = `${FLEET}/blob/${HEAD_SHA}`;
    const baseBlob = `${FLEET}/blob/${report.base!.commit}`;
    expect(body).toBe(`<!-- policy-check:pr-comment -->
### :x: Policy check: 1 blocking finding new in this pull request

Checked 2 clusters (42 objects), compared with origin/main (ba5e000): 1 blocking finding · 1 warning · 1 fixed.

#### New blocking findings (1)

- :x: **[resources/requests\\-limits](${blob}/docs/rules/resources-requests-limits.md)** in Deployment shop/web at spec\\.template\\.spec\\.containers\\[0\\]\\.resources ([apps/shop/deployment\\.yaml\\:21](${blob}/apps/shop/deployment.yaml#L21)), clusters kind, production  
  container web sets no memory limit

  \`\`\`yaml
  resources:
    limits:
      memory: 256Mi
  \`\`\`


#### New warnings (1)

- :warning: **probes/required** in Deployment shop/web at spec\\.template\\.spec\\.containers\\[0\\] ([apps/shop/deployment\\.yaml\\:17](${blob}/apps/shop/deployment.yaml#L17)), cluster kind  
  container web has no readiness probe

<details><summary>Fixed by this pull request (1)</summary>

- :heavy_check_mark: **[images/pinned\\-tag](${baseBlob}/docs/rules/images-pinned-tag.md)** in Deployment shop/web at spec\\.template\\.spec\\.containers\\[0\\]\\.resources ([apps/shop/deployment\\.yaml\\:19](${baseBlob}/apps/shop/deployment.yaml#L19)), cluster kind  
  container web uses the floating tag &quot;latest&quot;

</details>

---
<sub>Run it locally: <code>npx tsx tools/check.ts --base origin/main</code> · Waive a finding with a reason and an expiry: an entry under <code>waivers</code> in <code>policies/config.yaml</code>, or the <code>policy-check.dev/waivers</code> annotation on the object · policy\\-check 0\\.1\\.0 · c0ffee0</sub>
`);
  });

  it('every count in the verdict is the number of items under the matching heading, however the findings spread', () => {
    const spread = ['kind', 'production', 'staging', 'k3s'];
    const findings = [
      ...spread.map((cluster, i) => reportFinding({ cluster, fingerprint: `shared-${i}` })),
      ...spread.slice(0, 2).map((cluster, i) => reportFinding({ cluster, fingerprint: `warn-${i}`, severity: 'warning', message: 'a warning' })),
      reportFinding({ fingerprint: 'own', cluster: 'staging', location: { file: 'overlays/staging/patch.yaml', line: 4, column: 1 } }),
      reportFinding({ fingerprint: 'info', severity: 'info', message: 'a note' }),
      ...spread.map((cluster, i) => reportFinding({ cluster, fingerprint: `old-${i}`, status: 'unchanged', message: 'old' })),
    ];
    const report = buildReport({ findings, clusters: spread.map((name) => ({ name, entryPoints: [], skipped: [], objectCount: 10 })) });
    const { body } = renderComment(report, { repositoryUrl: FLEET, headSha: HEAD_SHA });
    expect(body.split('\n')[3]).toBe('Checked 4 clusters (40 objects), compared with origin/main (ba5e000): 2 blocking findings · 1 warning · 1 note · 1 unchanged.');
    expect(body.split('\n')[1]).toBe('### :x: Policy check: 2 blocking findings new in this pull request');
    const listed = (heading: string) => {
      const start = body.indexOf(heading);
      const rest = body.slice(start + heading.length);
      const end = rest.search(/\n(####|<details>|<\/details>|---)/);
      return (rest.slice(0, end).match(/^- /gm) ?? []).length;
    };
    expect(listed('#### New blocking findings (2)')).toBe(2);
    expect(listed('#### New warnings (1)')).toBe(1);
    expect(listed('#### New notes (1)')).toBe(1);
    expect(listed('<details><summary>Unchanged (already on the base branch) (1)</summary>')).toBe(1);
    expect(groupAcrossClusters(findings.filter((f) => f.severity === 'error' && f.status === 'new'))).toHaveLength(2);
  });

  it('without a repository URL there is no link at all, and never a placeholder', () => {
    const { body } = renderComment(redReport(), { headSha: HEAD_SHA, hasRuleDoc: () => true });
    expect(body).not.toMatch(/\]\(/);
    expect(body).not.toContain('OWNER/REPO');
    expect(body).toContain('- :x: **resources/requests\\-limits** in Deployment shop/web at spec\\.template\\.spec\\.containers\\[0\\]\\.resources (apps/shop/deployment\\.yaml\\:21), clusters kind, production  \n');
  });

  it('a rule without a page in the repository is plain text; one with a page links to it', () => {
    const { body } = renderComment(redReport(), { repositoryUrl: FLEET, headSha: HEAD_SHA, hasRuleDoc: (id) => id === 'probes/required' });
    expect(body).toContain(`- :warning: **[probes/required](${FLEET}/blob/${HEAD_SHA}/docs/rules/probes-required.md)** in`);
    expect(body).toContain('- :x: **resources/requests\\-limits** in');
  });
});

describe('the one link builder (tools/lib/docs/rule-links.ts)', () => {
  it('builds file and rule page links, and refuses paths and refs that could leave the repository', () => {
    expect(blobUrl(FLEET, HEAD_SHA, 'apps/my app/x.yaml', 3)).toBe(`${FLEET}/blob/${HEAD_SHA}/apps/my%20app/x.yaml#L3`);
    expect(blobUrl(FLEET, HEAD_SHA, 'apps/x.yaml')).toBe(`${FLEET}/blob/${HEAD_SHA}/apps/x.yaml`);
    expect(blobUrl(FLEET, HEAD_SHA, '../other/x.yaml', 3)).toBeUndefined();
    expect(blobUrl(FLEET, 'main/../../x', 'apps/x.yaml')).toBeUndefined();
    expect(blobUrl('javascript:alert(1)//x', HEAD_SHA, 'apps/x.yaml')).toBeUndefined();
    expect(ruleDocUrl(FLEET, 'security/pod-security')).toBe(`${FLEET}/blob/HEAD/docs/rules/security-pod-security.md`);
    expect(ruleDocUrl(FLEET, 'security/pod-security', HEAD_SHA)).toBe(`${FLEET}/blob/${HEAD_SHA}/docs/rules/security-pod-security.md`);
  });

  it('inside GitHub Actions: GITHUB_SERVER_URL (GitHub Enterprise Server) and GITHUB_REPOSITORY', () => {
    const nowhere = fs.mkdtempSync(path.join(os.tmpdir(), 'no-git-'));
    expect(runRepositoryWebUrl({ GITHUB_REPOSITORY: 'acme/fleet' }, nowhere)).toBe('https://github.com/acme/fleet');
    expect(runRepositoryWebUrl({ GITHUB_REPOSITORY: 'acme/fleet', GITHUB_SERVER_URL: 'https://ghe.example.com/' }, nowhere)).toBe('https://ghe.example.com/acme/fleet');
    expect(runRepositoryWebUrl({ GITHUB_REPOSITORY: 'not a repository' }, nowhere)).toBeUndefined();
    expect(runRepositoryWebUrl({}, nowhere)).toBeUndefined();
  });

  it('outside Actions: the git remote origin, in its https and ssh forms; none for a local remote or no remote', () => {
    const cases: [string, string | undefined][] = [
      ['https://github.com/acme/fleet.git', 'https://github.com/acme/fleet'],
      ['git@github.com:acme/fleet.git', 'https://github.com/acme/fleet'],
      ['ssh://git@ghe.example.com:2222/platform/fleet.git', 'https://ghe.example.com/platform/fleet'],
      ['https://token@github.com/acme/fleet', 'https://github.com/acme/fleet'],
      ['/srv/git/fleet.git', undefined],
    ];
    for (const [remote, web] of cases) {
      const repo = gitRepo({ remote });
      expect(originWebUrl(repo), remote).toBe(web);
      expect(runRepositoryWebUrl({}, repo), remote).toBe(web);
    }
    expect(originWebUrl(gitRepo({}))).toBeUndefined();
  });

  it('--format markdown outside Actions links by the git remote and the commit, and rule pages that exist', () => {
    const repo = gitRepo({ remote: 'git@github.com:acme/fleet.git', files: { 'docs/rules/resources-requests-limits.md': '# page\n' } });
    const report = { ...redReport(), commit: git(repo, 'rev-parse', 'HEAD') };
    const body = formatMarkdown(report, repo, {});
    expect(body).toContain(`**[resources/requests\\-limits](https://github.com/acme/fleet/blob/${report.commit}/docs/rules/resources-requests-limits.md)**`);
    expect(body).toContain(`(https://github.com/acme/fleet/blob/${report.commit}/apps/shop/deployment.yaml#L21)`);
    expect(body).toContain('- :warning: **probes/required** in');
    // In Actions the environment wins, GitHub Enterprise included.
    const actions = formatMarkdown(report, repo, { GITHUB_SERVER_URL: 'https://ghe.example.com', GITHUB_REPOSITORY: 'platform/fleet', GITHUB_SHA: HEAD_SHA });
    expect(actions).toContain(`(https://ghe.example.com/platform/fleet/blob/${HEAD_SHA}/apps/shop/deployment.yaml#L21)`);
    expect(formatMarkdown(report, gitRepo({}), {})).not.toMatch(/\]\(/);
  });
});

describe('check.ts --format markdown on another repository, as a subprocess', () => {
  it('checks the repository of its working directory and links by that repository\'s remote', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'other-repo-'));
    fs.cpSync(path.join(REPO_ROOT, 'test/fixtures/engine-repo'), repo, { recursive: true });
    fs.mkdirSync(path.join(repo, 'docs/rules'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'docs/rules/images-pinned-tag.md'), '# images/pinned-tag\n');
    initGit(repo, 'git@github.com:acme/fleet.git');
    const sha = git(repo, 'rev-parse', 'HEAD');
    const run = runCli(['--rule', 'images/pinned-tag', '--format', 'markdown', '--cluster', 'flux-dev'], repo, { GITHUB_REPOSITORY: '', GITHUB_SERVER_URL: '', GITHUB_SHA: '' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').slice(0, 8).join('\n')).toBe(`<!-- policy-check:pr-comment -->
### :x: Policy check: 1 blocking finding

Checked 1 cluster (8 objects): 1 blocking finding.

#### Blocking findings (1)

- :x: **[images/pinned\\-tag](https://github.com/acme/fleet/blob/${sha}/docs/rules/images-pinned-tag.md)** in Deployment dev/dev\\-web at spec\\.template\\.spec\\.containers\\[0\\]\\.image ([overlays/dev/web\\-image\\.yaml\\:10](https://github.com/acme/fleet/blob/${sha}/overlays/dev/web-image.yaml#L10)), cluster flux\\-dev  `);
  });
});

describe('pr-comment posts the same links through Octokit to a GitHub-like server', () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = await startFakeGitHub();
    github.addPullRequest({ number: 7, headSha: HEAD_SHA });
  });
  afterEach(async () => {
    await github.close();
    expect(github.violations).toEqual([]);
  });

  async function post(args: string[], env: Record<string, string>, root: string) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { env, root, io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t) } });
    return { code, stdout: out.join(''), stderr: err.join('') };
  }

  it('on GitHub Enterprise: file and rule links on the server URL at the head commit', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'report-')), 'report.json');
    fs.writeFileSync(file, JSON.stringify(redReport()));
    const env = { GITHUB_API_URL: github.url, GITHUB_SERVER_URL: 'https://ghe.example.com', GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_TOKEN: 'actions-token' };
    const result = await post(['--report', file, '--pr', '7', '--head-sha', HEAD_SHA], env, REPO_ROOT);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const [comment] = github.commentsOn(7);
    expect(comment.user.login).toBe(BOT_USER.login);
    const blob = `https://ghe.example.com/${github.owner}/${github.repo}/blob/${HEAD_SHA}`;
    expect(comment.body).toBe(renderComment(redReport(), { repositoryUrl: `https://ghe.example.com/${github.owner}/${github.repo}`, headSha: HEAD_SHA, hasRuleDoc: () => true }).body);
    expect(comment.body).toContain(`**[resources/requests\\-limits](${blob}/docs/rules/resources-requests-limits.md)**`);
    expect(comment.body).toContain(`**[probes/required](${blob}/docs/rules/probes-required.md)**`);
  });

  it('--dry-run outside Actions links by the git remote, and without a remote has no links', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'report-')), 'report.json');
    fs.writeFileSync(file, JSON.stringify(redReport()));
    const withRemote = await post(['--report', file, '--pr', '7', '--dry-run'], {}, gitRepo({ remote: 'https://github.com/acme/fleet.git', files: { 'docs/rules/probes-required.md': '#\n' } }));
    expect(withRemote.code).toBe(0);
    expect(withRemote.stdout).toContain(`- :warning: **[probes/required](https://github.com/acme/fleet/blob/${HEAD_SHA}/docs/rules/probes-required.md)** in`);
    expect(withRemote.stdout).toContain(`(https://github.com/acme/fleet/blob/${HEAD_SHA}/apps/shop/deployment.yaml#L17)`);
    const noRemote = await post(['--report', file, '--pr', '7', '--dry-run'], {}, gitRepo({}));
    expect(noRemote.code).toBe(0);
    expect(noRemote.stdout).not.toMatch(/\]\(|OWNER\/REPO/);
    expect(github.requests).toEqual([]);
  });
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function initGit(dir: string, remote?: string): void {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, '-c', 'user.email=test@example.com', '-c', 'user.name=test', 'commit', '-q', '--allow-empty', '-m', 'fixture');
  if (remote) git(dir, 'remote', 'add', 'origin', remote);
}

function gitRepo({ remote, files = {} }: { remote?: string; files?: Record<string, string> }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'links-repo-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  initGit(dir, remote);
  return dir;
}
