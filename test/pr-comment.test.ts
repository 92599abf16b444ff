// tools/pr-comment.ts end to end: the real Octokit client over HTTP against a local server
// that answers like GitHub and checks each request against GitHub's OpenAPI description.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../tools/pr-comment.ts';
import { COMMENT_MARKER } from '../tools/lib/report/comment.ts';
import type { RetryPolicy } from '../tools/lib/github/retry.ts';
import type { Report } from '../tools/lib/core/types.ts';
import { BOT_USER, buildReport, faults, HEAD_SHA, reportFinding, startFakeGitHub, type FakeGitHub } from './helpers/fake-github.ts';

const PR = 7;

let github: FakeGitHub;
let dir: string;
let sleeps: number[];

beforeEach(async () => {
  github = await startFakeGitHub();
  github.addPullRequest({ number: PR, headSha: HEAD_SHA });
  dir = mkdtempSync(join(tmpdir(), 'pr-comment-'));
  sleeps = [];
});

afterEach(async () => {
  await github.close();
  // Every request the client made must have matched GitHub's OpenAPI description.
  expect(github.violations).toEqual([]);
});

function writeReport(report: unknown, name = 'report.json'): string {
  const file = join(dir, name);
  writeFileSync(file, typeof report === 'string' ? report : JSON.stringify(report));
  return file;
}

async function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const retry: RetryPolicy = {
    maxAttempts: 4,
    baseDelayMs: 1000,
    maxDelayMs: 60_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
  const code = await main(args, {
    env: {
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: 'https://github.example.com',
      GITHUB_REPOSITORY: `${github.owner}/${github.repo}`,
      GITHUB_TOKEN: 'actions-token',
      ...env,
    },
    io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t) },
    retry,
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('pr-comment against a GitHub-like server', () => {
  it('creates the comment on the first run and edits the same one on the second', async () => {
    const first = await run(['--report', writeReport(buildReport()), '--pr', String(PR)]);
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toMatch(/created comment \d+ on #7/);
    expect(github.commentsOn(PR)).toHaveLength(1);
    const [comment] = github.commentsOn(PR);
    expect(comment.body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(comment.user.login).toBe('github-actions[bot]');
    expect(comment.body).toContain(
      `(https://github.example.com/acme/gitops/blob/${HEAD_SHA}/apps/shop/deployment.yaml#L21)`,
    );

    const fixedReport = buildReport({ findings: [], fixed: [reportFinding({ status: undefined })] });
    const second = await run(['--report', writeReport(fixedReport), '--pr', String(PR)]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`updated comment ${comment.id} on #7`);
    expect(github.commentsOn(PR)).toHaveLength(1);
    expect(github.commentsOn(PR)[0].body).toContain('Fixed by this pull request (1)');
    expect(github.operations()).toEqual([
      'issues/list-comments',
      'issues/create-comment',
      'issues/list-comments',
      'issues/update-comment',
    ]);

    const third = await run(['--report', writeReport(fixedReport), '--pr', String(PR)]);
    expect(third.stdout).toContain(`unchanged comment ${comment.id}`);
    expect(github.operations().slice(4)).toEqual(['issues/list-comments']);
  });

  it('finds its comment across pages of comments (Link header pagination)', async () => {
    for (let i = 0; i < 230; i++) github.addComment(PR, `chatter ${i}`, { login: `user${i % 7}`, id: 100 + (i % 7), type: 'User' });
    github.addComment(PR, `${COMMENT_MARKER}\nold verdict`, BOT_USER);
    const result = await run(['--report', writeReport(buildReport()), '--pr', String(PR)]);
    expect(result.stdout).toContain('updated comment');
    expect(github.commentsOn(PR)).toHaveLength(231);
    const listCalls = github.requests.filter((r) => r.operationId === 'issues/list-comments');
    expect(listCalls.map((r) => r.path)).toEqual([
      '/repos/acme/gitops/issues/7/comments?per_page=100',
      '/repos/acme/gitops/issues/7/comments?per_page=100&page=2',
      '/repos/acme/gitops/issues/7/comments?per_page=100&page=3',
    ]);
  });

  it('leaves alone a comment by someone else that carries the marker', async () => {
    const pasted = github.addComment(PR, `${COMMENT_MARKER}\nlook, I can paste the marker`, { login: 'mallory', id: 666, type: 'User' });
    const impostorBot = github.addComment(PR, `${COMMENT_MARKER}\nanother app`, { login: 'other-app[bot]', id: 667, type: 'Bot' });
    const result = await run(['--report', writeReport(buildReport()), '--pr', String(PR)]);
    expect(result.stdout).toContain('created comment');
    const comments = github.commentsOn(PR);
    expect(comments).toHaveLength(3);
    expect(comments.find((c) => c.id === pasted.id)!.body).toBe(`${COMMENT_MARKER}\nlook, I can paste the marker`);
    expect(comments.find((c) => c.id === impostorBot.id)!.body).toBe(`${COMMENT_MARKER}\nanother app`);

    // The next run edits its own comment, still not theirs.
    await run(['--report', writeReport(buildReport({ findings: [] })), '--pr', String(PR)]);
    expect(github.commentsOn(PR)).toHaveLength(3);
    expect(github.commentsOn(PR)[2].body).toContain('✔ No new blocking findings in 2 clusters (42 objects)');
    expect(github.operations().filter((o) => o === 'issues/update-comment')).toHaveLength(1);
  });

  it('edits the comment of a configured identity (--bot-login) for personal tokens', async () => {
    github.tokens['laptop-token'] = { login: 'alice', id: 5, type: 'User' };
    const mine = github.addComment(PR, `${COMMENT_MARKER}\nfrom my laptop`, { login: 'alice', id: 5, type: 'User' });
    const result = await run(['--report', writeReport(buildReport()), '--pr', String(PR), '--bot-login', 'alice'], { GITHUB_TOKEN: 'laptop-token' });
    expect(result.stdout).toContain(`updated comment ${mine.id}`);
  });

  it('stays under the 65,536-character limit and says what it cut', async () => {
    const findings = Array.from({ length: 1500 }, (_, i) =>
      reportFinding({
        fingerprint: `fp-${i}`,
        status: i % 2 ? 'new' : 'unchanged',
        message: `container c${i} sets no memory limit `.repeat(4),
        location: { file: `apps/app-${i}/deployment.yaml`, line: i + 1, column: 3 },
      }),
    );
    const result = await run(['--report', writeReport(buildReport({ findings })), '--pr', String(PR)]);
    expect(result.code).toBe(0);
    const body = github.commentsOn(PR)[0].body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/Cut to stay under GitHub's 65,536-character comment limit: \d+ of 750 blocking findings, all 750 unchanged findings/);
    expect(body).toContain('Run it locally');
    expect(result.stderr).toMatch(/cut to fit: \d+\/750 blocking findings, 750\/750 unchanged findings/);
  });

  it('escapes a hostile resource name so it cannot inject HTML, markdown or mentions', async () => {
    const hostile = '</details><img src=x onerror=alert(1)> @admin';
    const report = buildReport({
      findings: [
        reportFinding({
          object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: hostile },
          message: `name ${hostile} closes \`code\` and [links](javascript:alert(1)) #1`,
          location: { file: 'apps/</details>/x.yaml', line: 3, column: 1 },
        }),
      ],
      fixed: [reportFinding({ status: undefined, fingerprint: 'old', message: hostile })],
    });
    await run(['--report', writeReport(report), '--pr', String(PR)]);
    const body = github.commentsOn(PR)[0].body;
    expect(body).not.toContain('<img');
    expect(body).not.toMatch(/@admin/);
    expect(body).toContain('@\u200dadmin');
    expect(body).not.toContain('](javascript');
    expect(body.match(/<details>/g)?.length).toBe(body.match(/<\/details>/g)?.length);
    // The only raw HTML is ours.
    const tags = [...body.matchAll(/<\/?([a-z]+)[^>]*>/gi)].map((m) => m[1].toLowerCase());
    expect(new Set(tags)).toEqual(new Set(['details', 'summary', 'sub', 'code']));
  });

  it('refuses a report that does not match the schema, with one message and exit 2', async () => {
    const notAReport = { schemaVersion: 1, findings: 'all good, trust me' };
    const result = await run(['--report', writeReport(notAReport), '--pr', String(PR)]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/refusing .*report\.json: it is not a policy-check report/);
    expect(github.requests).toEqual([]);

    const forged = buildReport({ findings: [{ ...reportFinding(), severity: 'critical' as 'error', rule: '<img src=x>' }] });
    const almost = await run(['--report', writeReport(forged, 'forged.json'), '--pr', String(PR)]);
    expect(almost.code).toBe(2);
    expect(almost.stderr).toMatch(/\/findings\/0\/rule must match pattern/);
    expect(almost.stderr).toMatch(/\/findings\/0\/severity must be equal to one of the allowed values/);

    const notJson = await run(['--report', writeReport('<html>', 'page.json'), '--pr', String(PR)]);
    expect(notJson).toMatchObject({ code: 2, stderr: expect.stringMatching(/not JSON/) });
  });

  it('retries a 5xx and a secondary rate limit, then succeeds', async () => {
    github.fail(faults.serverError('issues/list-comments', 502));
    github.fail(faults.secondaryRateLimit('issues/create-comment', 3));
    const result = await run(['--report', writeReport(buildReport()), '--pr', String(PR)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('created comment');
    expect(github.operations()).toEqual(['issues/list-comments', 'issues/list-comments', 'issues/create-comment', 'issues/create-comment']);
    expect(sleeps).toEqual([1000, 3000]);
    expect(result.stderr).toMatch(/HTTP 502; retrying/);
    expect(result.stderr).toMatch(/GitHub asks to wait 3s; retrying/);
    expect(github.commentsOn(PR)).toHaveLength(1);
  });

  it('gives up after bounded retries with a clear ::warning:: and exit 0', async () => {
    github.fail(faults.serverError('issues/list-comments', 503, 10));
    const result = await run(['--report', writeReport(buildReport()), '--pr', String(PR)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^::warning::Could not post the policy-check PR comment \(the check's own result stands\): GitHub API: listing comments of #7 failed after 4 attempts: HTTP 503: Server Error\n$/,
    );
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(github.commentsOn(PR)).toHaveLength(0);
  });

  it('gives up at once when a rate limit asks for a longer wait than allowed', async () => {
    github.fail(faults.tooManyRequests('issues/list-comments', 3600));
    const result = await run(['--report', writeReport(buildReport()), '--pr', String(PR)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/::warning::.*GitHub asks to wait 3600s, longer than the 60s we wait/);
    expect(sleeps).toEqual([]);
  });

  it('does not retry a 404 and reports it', async () => {
    const result = await run(['--report', writeReport(buildReport()), '--pr', '404']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/::warning::.*listing comments of #404 failed: HTTP 404: Not Found/);
    expect(github.operations()).toEqual(['issues/list-comments']);
  });

  it('falls back to a shorter body when GitHub answers 422 body too long', async () => {
    await github.close();
    github = await startFakeGitHub({ bodyLimit: 20_000 });
    github.addPullRequest({ number: PR, headSha: HEAD_SHA });
    const findings = Array.from({ length: 400 }, (_, i) => reportFinding({ fingerprint: `fp-${i}`, message: `finding ${i} `.repeat(10) }));
    const result = await run(['--report', writeReport(buildReport({ findings })), '--pr', String(PR)]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('GitHub refused the body as too long; posting a shorter one');
    expect(github.requests.filter((r) => r.operationId === 'issues/create-comment').map((r) => r.status)).toEqual([422, 201]);
    expect(github.commentsOn(PR)[0].body.length).toBeLessThanOrEqual(16_000);
  });
});

describe('pr-comment finds the pull request by the run head commit', () => {
  it('finds a same-repository PR through GET /commits/{sha}/pulls and accepts the matching claim', async () => {
    const result = await run(['--report', writeReport(buildReport()), '--pr', String(PR), '--head-sha', HEAD_SHA]);
    expect(result.stdout).toContain('created comment');
    expect(github.operations()[0]).toBe('repos/list-pull-requests-associated-with-commit');
  });

  it('finds a fork PR through pulls.list with head=owner:branch when the commit lookup is empty', async () => {
    const forkSha = 'f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0';
    github.addPullRequest({ number: 12, headSha: forkSha, headRepo: 'contributor/gitops', headRef: 'patch-1', listedForCommit: false });
    const report = buildReport({ commit: forkSha });
    const result = await run(['--report', writeReport(report), '--head-sha', forkSha, '--head-label', 'contributor:patch-1']);
    expect(result.stdout).toContain('created comment');
    expect(github.commentsOn(12)).toHaveLength(1);
    expect(github.operations().slice(0, 2)).toEqual(['repos/list-pull-requests-associated-with-commit', 'pulls/list']);
    expect(github.requests[1].path).toBe('/repos/acme/gitops/pulls?state=open&head=contributor%3Apatch-1&per_page=100');
  });

  it('refuses when the artifact names a different pull request than the head commit belongs to', async () => {
    github.addPullRequest({ number: 8, headSha: 'abababababababababababababababababababab' });
    const result = await run(['--report', writeReport(buildReport()), '--pr', '8', '--head-sha', HEAD_SHA]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refusing to post: the artifact names pull request #8, but commit c0ffee0 is the head of #7/);
    expect(github.comments).toHaveLength(0);
  });

  it('checks a claimed number with GET /pulls/{n} when no lookup finds the commit', async () => {
    github.pulls[0].listedForCommit = false;
    const ok = await run(['--report', writeReport(buildReport()), '--pr', String(PR), '--head-sha', HEAD_SHA]);
    expect(ok.stdout).toContain('created comment');
    expect(github.operations().slice(0, 2)).toEqual(['repos/list-pull-requests-associated-with-commit', 'pulls/get']);
  });

  it('refuses a report that describes another commit than the run head', async () => {
    const other = 'dddddddddddddddddddddddddddddddddddddddd';
    const result = await run(['--report', writeReport(buildReport()), '--pr', String(PR), '--head-sha', other]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/it describes commit c0ffee0+1, but the pull request head is d+/);
  });
});

describe('pr-comment command line', () => {
  it('prints the markdown with --dry-run and needs no token', async () => {
    const result = await run(['--report', writeReport(buildReport()), '--pr', String(PR), '--dry-run'], { GITHUB_TOKEN: '' });
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith(COMMENT_MARKER)).toBe(true);
    expect(github.requests).toEqual([]);
  });

  it('rejects bad arguments and missing configuration with exit 2', async () => {
    const report = writeReport(buildReport() satisfies Report);
    expect((await run(['--pr', '7'])).code).toBe(2);
    expect((await run(['--report', report, '--pr', '7; rm -rf /'])).stderr).toMatch(/--pr must be a pull request number/);
    expect((await run(['--report', report, '--pr', '7'], { GITHUB_TOKEN: '' })).stderr).toMatch(/GITHUB_TOKEN is not set/);
    expect((await run(['--report', report, '--pr', '7'], { GITHUB_REPOSITORY: 'nope' })).stderr).toMatch(/GITHUB_REPOSITORY must be "owner\/name"/);
    const help = await run(['--help']);
    expect(help).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: npx tsx tools/pr-comment.ts') });
  });
});
