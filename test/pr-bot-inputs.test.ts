// Issue 20: the PR bot's input is bounded (an oversized artifact is refused before it is read
// or parsed) and GH-N references are neutralised like #N.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli.ts';
import { buildReport, reportFinding } from './helpers/fake-github.ts';
import { escapeInline } from '../tools/lib/report/escape.ts';
import { renderComment } from '../tools/lib/report/comment.ts';
import { MAX_REPORT_BYTES, readBounded } from '../tools/lib/report/bounded-read.ts';

const PR_COMMENT = path.join(REPO_ROOT, 'tools/pr-comment.ts');
const TSX_LOADER = pathToFileURL(path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const JOINER = '\u200d';

function prComment(args: string[]) {
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', TSX_LOADER, PR_COMMENT, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GITHUB_TOKEN: '', GITHUB_REPOSITORY: 'acme/fleet' },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - started };
}

const tempFile = (name: string) => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pr-bot-inputs-')), name);

describe('report artifact size limit', () => {
  it('is 16 MiB, as docs/pr-bot.md says', () => {
    expect(MAX_REPORT_BYTES).toBe(16 * 1024 * 1024);
    expect(fs.readFileSync(path.join(REPO_ROOT, 'docs/pr-bot.md'), 'utf8')).toContain('larger than 16 MiB');
  });

  it('a 319 MiB artifact is refused unread: one line, exit 2, in seconds', () => {
    const file = tempFile('report.json');
    fs.writeFileSync(file, '{');
    fs.truncateSync(file, 319 * 1024 * 1024); // sparse: costs no disk, and reading it would cost 319 MiB
    const run = prComment(['--report', file, '--pr', '7', '--dry-run']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`pr-comment: refusing ${file}: it is 319.0 MiB, more than the 16.0 MiB a policy-check report may be\n`);
    expect(run.ms).toBeLessThan(20_000);
  });

  it('a report just under the limit is read and posted as usual (--dry-run)', () => {
    const report = buildReport();
    const text = JSON.stringify(report);
    const file = tempFile('report.json');
    fs.writeFileSync(file, text + ' '.repeat(MAX_REPORT_BYTES - Buffer.byteLength(text)));
    const run = prComment(['--report', file, '--pr', '7', '--dry-run']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('<!-- policy-check:pr-comment -->');
  });

  it('a folder or a device is refused as not a regular file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-bot-inputs-'));
    expect(readBounded(dir)).toEqual({ ok: false, message: `refusing ${dir}: it is not a regular file` });
    expect(readBounded('/dev/zero')).toEqual({ ok: false, message: 'refusing /dev/zero: it is not a regular file' });
    expect(readBounded(path.join(dir, 'none.json'))).toEqual({ ok: false, message: `cannot read ${path.join(dir, 'none.json')}: ENOENT` });
  });

  it('readBounded reads a small file whole and refuses one byte over its limit', () => {
    const file = tempFile('r.json');
    fs.writeFileSync(file, 'x'.repeat(2048));
    expect(readBounded(file, 2048)).toEqual({ ok: true, text: 'x'.repeat(2048) });
    expect(readBounded(file, 2047)).toEqual({ ok: false, message: `refusing ${file}: it is 2048 bytes, more than the 2047 bytes a policy-check report may be` });
  });
});

describe('GH-N references', () => {
  it('GH-1 in any case gets a joiner, like #1; words that merely contain gh- do not change', () => {
    expect(escapeInline('see GH-1 and gh-42')).toBe(`see GH${JOINER}\\-1 and gh${JOINER}\\-42`);
    expect(escapeInline('fixes #1')).toBe(`fixes \\#${JOINER}1`);
    expect(escapeInline('high-1 sigh-2 GH-x')).toBe('high\\-1 sigh\\-2 GH\\-x');
  });

  it('a finding message with GH-7 reaches the comment neutralised', () => {
    const report = buildReport({ findings: [{ ...reportFinding(), message: 'as agreed in GH-7, ports come from the registry' }] });
    const { body } = renderComment(report, { repositoryUrl: 'https://github.com/acme/fleet' });
    expect(body).toContain(`as agreed in GH${JOINER}\\-7, ports come from the registry`);
    expect(body).not.toMatch(/GH-7/);
  });
});

describe('pr-comment --sarif-output (the code scanning job of pr-comment.yml)', () => {
  it('writes SARIF from the validated report and records the resolved PR, posting no comment', async () => {
    const { main } = await import('../tools/pr-comment.ts');
    const { startFakeGitHub, HEAD_SHA } = await import('./helpers/fake-github.ts');
    const github = await startFakeGitHub();
    try {
      github.addPullRequest({ number: 7, headSha: HEAD_SHA });
      const report = tempFile('report.json');
      fs.writeFileSync(report, JSON.stringify(buildReport({ findings: [reportFinding()] })));
      const sarif = path.join(path.dirname(report), 'policy-check.sarif');
      const output = path.join(path.dirname(report), 'github-output');
      const out: string[] = [];
      const err: string[] = [];
      const env = { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_TOKEN: 'actions-token', GITHUB_OUTPUT: output };
      const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) };
      const code = await main(['--report', report, '--head-sha', HEAD_SHA, '--pr', '7', '--sarif-output', sarif], { env, io });
      expect(err.join('')).toBe('');
      expect(code).toBe(0);
      expect(out.join('')).toBe(`pr-comment: wrote ${sarif} for pull request #7\n`);
      expect(fs.readFileSync(output, 'utf8')).toBe('pull-request=7\n');
      const log = JSON.parse(fs.readFileSync(sarif, 'utf8'));
      expect(log.version).toBe('2.1.0');
      expect(log.runs[0].results).toHaveLength(1);
      expect(github.operations()).toEqual(['repos/list-pull-requests-associated-with-commit']);
      expect(github.violations).toEqual([]);

      // the artifact's claim must match the PR of the head commit, as for the comment
      const mismatch = await main(['--report', report, '--head-sha', HEAD_SHA, '--pr', '8', '--sarif-output', sarif], { env, io });
      expect(mismatch).toBe(2);
      const noSha = await main(['--report', report, '--pr', '7', '--sarif-output', sarif], { env, io });
      expect(noSha).toBe(2);
      expect(err.join('')).toContain('pr-comment: --sarif-output needs --head-sha: the pull request is looked up by the run head commit\n');
    } finally {
      await github.close();
    }
  });
});
