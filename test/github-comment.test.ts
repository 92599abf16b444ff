// The comment's content, escaping and size fitting, without the network.
import { describe, expect, it } from 'vitest';
import { clip, codeBlock, encodeRepoPath, escapeInline } from '../tools/lib/report/escape.ts';
import { fitSections } from '../tools/lib/report/fit.ts';
import { COMMENT_MARKER, renderComment } from '../tools/lib/report/comment.ts';
import { classifyFailure, type RetryPolicy } from '../tools/lib/github/retry.ts';
import { isBotComment } from '../tools/lib/github/sticky-comment.ts';
import { BASE_SHA, buildReport, HEAD_SHA, reportFinding } from './helpers/fake-github.ts';

const context = { repositoryUrl: 'https://github.com/acme/gitops', headSha: HEAD_SHA };

describe('escapeInline', () => {
  it('turns HTML into text and breaks mentions and issue references', () => {
    expect(escapeInline('</details><img src=x onerror=alert(1)> @admin')).toBe(
      '&lt;/details&gt;&lt;img src\\=x onerror\\=alert\\(1\\)&gt; @\u200dadmin',
    );
    expect(escapeInline('fixes #12 and @org/team')).toBe('fixes \\#\u200d12 and @\u200dorg/team');
  });

  it('neutralises markdown: emphasis, links, code spans, tables, headings, math', () => {
    const out = escapeInline('*x* _y_ [a](b) `c` | d # e $f$ ~~g~~ ![i](j)');
    expect(out).toBe('\\*x\\* \\_y\\_ \\[a\\]\\(b\\) \\`c\\` \\| d \\# e \\$f\\$ \\~\\~g\\~\\~ \\!\\[i\\]\\(j\\)');
  });

  it('keeps everything on one line and drops invisible bidi controls', () => {
    expect(escapeInline('a\n\n# heading\r\n- item\u202Eevil')).toBe('a \\# heading \\- itemevil');
  });

  it('breaks autolinks', () => {
    expect(escapeInline('see https://evil.example and www.evil.example')).not.toMatch(/https:\/\/|www\.evil/);
  });

  it('clips long text before escaping so no escape is split', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(escapeInline('<'.repeat(10), 3)).toBe('&lt;&lt;…');
  });
});

describe('codeBlock', () => {
  it('uses a fence longer than any backtick run inside', () => {
    const block = codeBlock('a\n````\n</details>', 'yaml');
    expect(block).toBe('`````yaml\na\n````\n</details>\n`````');
  });
});

describe('encodeRepoPath', () => {
  it('encodes segments and refuses paths that could leave the repository', () => {
    expect(encodeRepoPath('apps/my app/(x).yaml')).toBe('apps/my%20app/%28x%29.yaml');
    expect(encodeRepoPath('../../other/repo')).toBeUndefined();
    expect(encodeRepoPath('/etc/passwd')).toBeUndefined();
    expect(encodeRepoPath('apps/%2e%2e/x')).toBeUndefined();
  });
});

describe('renderComment', () => {
  it('starts with the marker and a verdict whose every count is the length of a list below it', () => {
    const report = buildReport({
      findings: [
        reportFinding({ fingerprint: 'a' }),
        reportFinding({ fingerprint: 'b', severity: 'warning', cluster: 'production' }),
        reportFinding({ fingerprint: 'c', status: 'unchanged' }),
        reportFinding({ fingerprint: 'd', suppressed: { kind: 'config', reason: 'migration', expires: '2099-01-01' } }),
      ],
      fixed: [reportFinding({ fingerprint: 'e', cluster: 'production', status: undefined })],
    });
    const { body } = renderComment(report, context);
    const lines = body.split('\n');
    expect(lines[0]).toBe(COMMENT_MARKER);
    expect(lines.slice(1, 4)).toEqual([
      '### :x: Policy check: 1 blocking finding new in this pull request',
      '',
      'Checked 2 clusters (42 objects), compared with origin/main (ba5e000): 1 blocking finding · 1 warning · 1 fixed · 1 unchanged · 1 waived.',
    ]);
    const headings = lines.filter((l) => l.startsWith('#### ') || l.startsWith('<details>'));
    expect(headings).toEqual([
      '#### New blocking findings (1)',
      '#### New warnings (1)',
      '<details><summary>Fixed by this pull request (1)</summary>',
      '<details><summary>Unchanged (already on the base branch) (1)</summary>',
      '<details><summary>Waived (1)</summary>',
    ]);
    expect(body).not.toContain('| Cluster |');
  });

  it('lists new findings first with links to the head commit, and fixed ones in <details> linking the base', () => {
    const report = buildReport({
      findings: [reportFinding({ fingerprint: 'a', status: 'unchanged', message: 'old one' }), reportFinding({ fingerprint: 'b', message: 'new one' })],
      fixed: [reportFinding({ fingerprint: 'c', message: 'gone', status: undefined })],
    });
    const { body } = renderComment(report, context);
    const newAt = body.indexOf('new one');
    expect(newAt).toBeGreaterThan(0);
    expect(newAt).toBeLessThan(body.indexOf('<details><summary>Fixed by this pull request (1)</summary>'));
    expect(body.indexOf('gone')).toBeLessThan(body.indexOf('<details><summary>Unchanged (already on the base branch) (1)</summary>'));
    expect(body).toContain(`[apps/shop/deployment\\.yaml\\:21](https://github.com/acme/gitops/blob/${HEAD_SHA}/apps/shop/deployment.yaml#L21)`);
    expect(body).toContain(`(https://github.com/acme/gitops/blob/${BASE_SHA}/apps/shop/deployment.yaml#L21)`);
    expect(body).toContain('in Deployment shop/web at spec\\.template\\.spec\\.containers\\[0\\]\\.resources');
  });

  it('shows a passing verdict and the fix hint in a fence', () => {
    const report = buildReport({ findings: [reportFinding({ severity: 'warning', fix: 'resources:\n  limits: {memory: 256Mi}' })] });
    const { body } = renderComment(report, context);
    expect(body.split('\n')[1]).toBe('✔ No new blocking findings in 2 clusters (42 objects), compared with origin/main (ba5e000). 1 warning.');
    expect(body).toContain('#### New warnings (1)');
    expect(body).toContain('  ```yaml\n  resources:\n    limits: {memory: 256Mi}\n  ```');
  });

  it('shows how connectivity changed', () => {
    const report = buildReport({
      findings: [],
      clusters: [
        {
          name: 'kind',
          entryPoints: [],
          skipped: [],
          objectCount: 3,
          connectivity: [
            { from: 'Deployment shop/web', to: 'Deployment shop/db', port: 5432, protocol: 'TCP' },
            { from: 'Deployment shop/web', to: 'Deployment shop/cache', port: 6379, protocol: 'TCP' },
          ],
          baseConnectivity: [
            { from: 'Deployment shop/web', to: 'Deployment shop/db', port: 5432, protocol: 'TCP' },
            { from: 'ipBlock 0.0.0.0/0', to: 'Deployment shop/web', port: 'http', protocol: 'TCP' },
          ],
        },
      ],
    });
    const { body } = renderComment(report, context);
    expect(body).toContain('#### Connectivity changes');
    expect(body).toContain(':heavy_plus_sign: Deployment shop/web → Deployment shop/cache on 6379/TCP (allowed now)');
    expect(body).toContain(':heavy_minus_sign: ipBlock 0\\.0\\.0\\.0/0 → Deployment shop/web on http/TCP (no longer allowed)');
    expect(body).not.toContain('shop/db on');

    const wide = Array.from({ length: 16 }, (_, i) => ({ from: `Deployment shop/w${i}`, to: 'Deployment shop/db', port: 5432, protocol: 'TCP' }));
    const folded = renderComment(buildReport({ findings: [], clusters: [{ ...report.clusters[0], connectivity: wide, baseConnectivity: [] }] }), context);
    expect(folded.body).toContain('<details><summary>Connectivity changes (16)</summary>');
  });

  it('without --base, lists all findings without new/fixed wording and without links when no commit is known', () => {
    const report = buildReport({ base: undefined, commit: undefined, findings: [reportFinding({ status: undefined })] });
    const { body } = renderComment(report, { repositoryUrl: 'https://github.com/acme/gitops' });
    expect(body).toContain('### :x: Policy check: 1 blocking finding\n');
    expect(body).toContain('#### Blocking findings (1)');
    expect(body).toContain('(apps/shop/deployment\\.yaml\\:21)');
    expect(body).not.toContain('/blob/');
  });

  it('shows a finding that several clusters share once, naming its clusters', () => {
    const report = buildReport({
      findings: [
        reportFinding({ cluster: 'production', fingerprint: 'p' }),
        reportFinding({ cluster: 'kind', fingerprint: 'k' }),
        reportFinding({ cluster: 'kind', fingerprint: 'other', location: { file: 'apps/shop/deployment.yaml', line: 30, column: 11 } }),
      ],
    });
    const items = renderComment(report, context).body.split('\n').filter((l) => l.startsWith('- :x:'));
    expect(items).toHaveLength(2);
    expect(items[0]).toMatch(/deployment\\?\.yaml\\?:21\]\(.*#L21\)\), clusters kind, production  $/);
    expect(items[1]).toMatch(/#L30\)\), cluster kind  $/);
  });

  it('fits the limit by dropping whole items, unchanged before fixed before new, and says what it cut', () => {
    const many = (status: 'new' | 'unchanged', n: number) =>
      Array.from({ length: n }, (_, i) => reportFinding({ fingerprint: `${status}-${i}`, status, message: `${status} finding ${i} `.padEnd(300, '.') }));
    const report = buildReport({
      findings: [...many('new', 100), ...many('unchanged', 100)],
      fixed: Array.from({ length: 100 }, (_, i) => reportFinding({ fingerprint: `fixed-${i}`, status: undefined })),
    });
    const roomy = renderComment(report, { ...context, limit: 130_000 });
    expect(roomy.body.length).toBeLessThanOrEqual(130_000);
    expect(roomy.cuts.map((c) => c.unit)).toEqual(['unchanged findings']);
    expect(roomy.body).toMatch(/_… \d+ more unchanged findings not shown \(comment size limit\)\._\n\n<\/details>/);

    const middle = renderComment(report, { ...context, limit: 100_000 });
    expect(middle.cuts).toEqual([
      { unit: 'fixed findings', omitted: expect.any(Number), total: 100 },
      { unit: 'unchanged findings', omitted: 100, total: 100 },
    ]);
    expect(middle.body).not.toContain('Unchanged (already on the base branch)');

    const tight = renderComment(report, { ...context, limit: 20_000 });
    expect(tight.body.length).toBeLessThanOrEqual(20_000);
    expect(tight.cuts).toEqual([
      { unit: 'blocking findings', omitted: expect.any(Number), total: 100 },
      { unit: 'fixed findings', omitted: 100, total: 100 },
      { unit: 'unchanged findings', omitted: 100, total: 100 },
    ]);
    expect(tight.body).toMatch(/\d+ of 100 blocking findings, all 100 fixed findings, all 100 unchanged findings/);
    // Whole items only: every kept list item is complete and the details blocks are balanced.
    expect(tight.body.match(/<details>/g)?.length ?? 0).toBe(tight.body.match(/<\/details>/g)?.length ?? 0);
    const items = tight.body.split('\n').filter((l) => l.startsWith('- :x:'));
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((l) => /\)\), clusters? [\w, \\-]+  $/.test(l))).toBe(true);
    expect(tight.body).toContain('Run it locally');
  });
});

describe('fitSections', () => {
  it('never exceeds the limit even when required sections alone are too long', () => {
    const result = fitSections(
      [
        { required: true, head: 'A'.repeat(50) + '\n' },
        { required: true, head: 'B'.repeat(500) + '\n' },
        { items: ['- one\n', '- two\n'], unit: 'things' },
      ],
      200,
      (cuts) => (cuts.length ? `cut ${cuts.map((c) => c.unit).join()}\n` : ''),
    );
    expect(result.markdown).toBe('A'.repeat(50) + '\ncut things\n');
  });
});

describe('isBotComment', () => {
  const body = `${COMMENT_MARKER}\nverdict`;
  it('needs the marker at the start and the bot as author', () => {
    expect(isBotComment({ id: 1, body, user: { login: 'github-actions[bot]', type: 'Bot' } }, 'github-actions[bot]')).toBe(true);
    expect(isBotComment({ id: 1, body, user: { login: 'github-actions[bot]', type: 'User' } }, 'github-actions[bot]')).toBe(false);
    expect(isBotComment({ id: 1, body, user: { login: 'mallory', type: 'User' } }, 'github-actions[bot]')).toBe(false);
    expect(isBotComment({ id: 1, body: `quoting: ${body}`, user: { login: 'github-actions[bot]', type: 'Bot' } }, 'github-actions[bot]')).toBe(false);
    expect(isBotComment({ id: 1, body, user: null }, 'github-actions[bot]')).toBe(false);
    expect(isBotComment({ id: 1, body, user: { login: 'Alice', type: 'User' } }, 'alice')).toBe(true);
  });
});

describe('classifyFailure', () => {
  const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000, sleep: async () => {}, now: () => 1_000_000 };
  const error = (status: number, headers: Record<string, string> = {}, message = 'x') => ({ status, response: { headers, data: { message } } });

  it('backs off exponentially on 5xx and network errors', () => {
    expect(classifyFailure(error(502), 1, policy)).toMatchObject({ retry: true, delayMs: 1000 });
    expect(classifyFailure(error(500), 3, policy)).toMatchObject({ retry: true, delayMs: 4000 });
    expect(classifyFailure(new TypeError('fetch failed'), 1, policy)).toMatchObject({ retry: true, reason: 'network error' });
  });

  it('honours retry-after and the secondary rate limit message, waits a minute without a hint', () => {
    expect(classifyFailure(error(403, { 'retry-after': '7' }), 1, policy)).toMatchObject({ retry: true, delayMs: 7000 });
    expect(classifyFailure(error(429, { 'retry-after': '2' }), 1, policy)).toMatchObject({ retry: true, delayMs: 2000 });
    expect(classifyFailure(error(403, {}, 'You have exceeded a secondary rate limit.'), 1, policy)).toMatchObject({ retry: true, delayMs: 60_000 });
  });

  it('waits for a primary limit reset only when it is close', () => {
    expect(classifyFailure(error(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1010' }), 1, policy)).toMatchObject({ retry: true, delayMs: 11_000 });
    expect(classifyFailure(error(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '99999' }), 1, policy)).toMatchObject({ retry: false });
  });

  it('does not retry other client errors', () => {
    expect(classifyFailure(error(403, {}, 'Resource not accessible by integration'), 1, policy)).toEqual({ retry: false, reason: 'HTTP 403' });
    expect(classifyFailure(error(404), 1, policy)).toEqual({ retry: false, reason: 'HTTP 404' });
    expect(classifyFailure(error(422), 1, policy)).toEqual({ retry: false, reason: 'HTTP 422' });
  });
});
