// Posts (or edits in place) the one policy-check comment on a pull request from a json
// report. Runs the same in the workflow_run job, on a laptop and against GitHub Enterprise:
// the API URL, repository and token come from GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_TOKEN.
//
// Exit codes: 0 posted, printed (--dry-run) or posting failed (a ::warning:: line: the comment
// is a courtesy, the check job carries the verdict); 2 refused input (bad arguments, a report
// that is not valid against schemas/report.schema.json or larger than MAX_REPORT_BYTES, a PR
// number or commit that does not match the run) or missing configuration; 1 an unexpected error (a bug).
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createOctokit, GitHubConfigError, readGitHubEnvironment } from './lib/github/client.ts';
import { renderComment } from './lib/report/comment.ts';
import { ruleDocExists } from './lib/report/markdown.ts';
import { runRepositoryWebUrl } from './lib/docs/rule-links.ts';
import { defaultRetryPolicy, GitHubGiveUpError, type RetryPolicy } from './lib/github/retry.ts';
import { PullRequestMismatchError, resolvePullRequest } from './lib/github/pull-request.ts';
import { ACTIONS_BOT_LOGIN, upsertStickyComment } from './lib/github/sticky-comment.ts';
import { compileReportValidator, REPORT_SCHEMA_PATH } from './lib/report/report-schema.ts';
import type { Report } from './lib/core/types.ts';
import { MAX_REPORT_BYTES, readBounded } from './lib/report/bounded-read.ts';
import { appendFileSync, writeFileSync } from 'node:fs';
import { formatSarif } from './lib/report/sarif.ts';
import { loadRules } from './lib/render/load-rules.ts';
import { BUILTIN_RULES } from './lib/core/builtin-rules.ts';

const USAGE = `Usage: npx tsx tools/pr-comment.ts --report FILE --pr N [options]

Posts the policy-check json report as one sticky comment on pull request N
(created the first time, edited in place afterwards).

Options:
  --report FILE        json report written by tools/check.ts --format json (required);
                       refused unread when larger than ${MAX_REPORT_BYTES / 1024 / 1024} MiB
  --pr N               pull request number (required unless --head-sha finds it)
  --head-sha SHA       the PR head commit: links point at it, the report's commit must
                       match it, and the PR is looked up by it and cross-checked with --pr
  --head-label O:B     owner:branch of the PR head, a fallback lookup for fork PRs
  --bot-login LOGIN    author of the comment to edit (default ${ACTIONS_BOT_LOGIN}; with a
                       personal token, your own login)
  --schema FILE        schema to validate the report against (default schemas/report.schema.json)
  --dry-run            print the markdown instead of posting
  --sarif-output FILE  instead of commenting: write the report as SARIF 2.1.0 to FILE (from the
                       validated report, by this trusted code) and, with GITHUB_OUTPUT set,
                       record pull-request=N for the code scanning upload; needs --head-sha
  --help               this text

Environment: GITHUB_TOKEN (required unless --dry-run), GITHUB_REPOSITORY (owner/name),
GITHUB_API_URL (default https://api.github.com), GITHUB_SERVER_URL (default https://github.com).
Links to files and rule pages use GITHUB_SERVER_URL/GITHUB_REPOSITORY; with --dry-run outside
Actions, the git remote origin of the working directory; without either there are no links.

Exit codes: 0 posted, printed, or posting failed after retries (reported as a ::warning::,
so the comment never turns the check red); 2 refused input or missing configuration.`;

/** Second try after GitHub says the body is too long (a server with a lower limit). */
const FALLBACK_LIMIT = 16_000;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  io?: CliIo;
  retry?: RetryPolicy;
  /** The checked-out repository: its git remote gives links outside Actions, its docs/rules/ the rule pages (default: the working directory). */
  root?: string;
}

class UsageError extends Error {}

export async function main(argv: string[], options: CliOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const root = options.root ?? process.cwd();
  const io = options.io ?? { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };
  const fail = (message: string): number => {
    io.stderr(`pr-comment: ${message}\n`);
    return 2;
  };

  let args: ReturnType<typeof parseCli>;
  try {
    args = parseCli(argv);
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (args.help) {
    io.stdout(USAGE + '\n');
    return 0;
  }

  const loaded = loadReport(args.report, args.schema ?? REPORT_SCHEMA_PATH);
  if (!loaded.ok) return fail(loaded.message);
  const report = loaded.report;
  if (args.headSha && report.commit && report.commit !== args.headSha) {
    return fail(`refusing ${args.report}: it describes commit ${report.commit}, but the pull request head is ${args.headSha}`);
  }

  const headSha = args.headSha ?? report.commit;
  if (args.sarifOutput !== undefined && !args.headSha) return fail('--sarif-output needs --head-sha: the pull request is looked up by the run head commit');
  if (args.dryRun) {
    const { body } = renderComment(report, { repositoryUrl: runRepositoryWebUrl(env, root), headSha, hasRuleDoc: ruleDocExists(root) });
    io.stdout(body);
    return 0;
  }

  let github: ReturnType<typeof readGitHubEnvironment>;
  try {
    github = readGitHubEnvironment(env);
  } catch (error) {
    if (error instanceof GitHubConfigError) return fail(error.message);
    throw error;
  }
  const octokit = createOctokit(github);
  const retry: RetryPolicy = {
    ...(options.retry ?? defaultRetryPolicy),
    onRetry: (info) => io.stderr(`pr-comment: ${info.operation}: ${info.reason}; retrying in ${Math.round(info.delayMs / 1000)}s (attempt ${info.attempt + 1})\n`),
  };
  const { owner, repo } = github;

  try {
    let pr = args.pr;
    if (args.headSha) {
      pr = await resolvePullRequest(octokit, { owner, repo, headSha: args.headSha, headLabel: args.headLabel, claimedNumber: args.pr, retry });
    }
    if (pr === undefined) return fail('--pr N is required (or --head-sha to look the pull request up)');
    if (args.sarifOutput !== undefined) {
      writeFileSync(args.sarifOutput, await sarifOf(report));
      if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `pull-request=${pr}\n`);
      io.stdout(`pr-comment: wrote ${args.sarifOutput} for pull request #${pr}\n`);
      return 0;
    }

    const context = { repositoryUrl: runRepositoryWebUrl({ GITHUB_SERVER_URL: github.serverUrl, GITHUB_REPOSITORY: `${owner}/${repo}` }, root), headSha, hasRuleDoc: ruleDocExists(root) };
    const rendered = renderComment(report, context);
    const post = (body: string) => upsertStickyComment(octokit, { owner, repo, issueNumber: pr!, body, botLogin: args.botLogin, retry });
    let result;
    try {
      result = await post(rendered.body);
    } catch (error) {
      if (!(error instanceof GitHubGiveUpError && error.status === 422 && /too long/i.test(error.message))) throw error;
      io.stderr(`pr-comment: GitHub refused the body as too long; posting a shorter one\n`);
      result = await post(renderComment(report, { ...context, limit: FALLBACK_LIMIT }).body);
    }
    if (rendered.cuts.length > 0) io.stderr(`pr-comment: cut to fit: ${rendered.cuts.map((c) => `${c.omitted}/${c.total} ${c.unit}`).join(', ')}\n`);
    io.stdout(`pr-comment: ${result.action} comment ${result.commentId} on #${pr}${result.url ? ` (${result.url})` : ''}\n`);
    return 0;
  } catch (error) {
    if (error instanceof PullRequestMismatchError) return fail(`refusing to post: ${error.message}`);
    const what = args.sarifOutput !== undefined ? 'prepare the code scanning upload' : 'post the policy-check PR comment';
    io.stdout(workflowCommand('warning', `Could not ${what} (the check's own result stands): ${(error as Error).message}`));
    return 0;
  }
}

function parseCli(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      report: { type: 'string' },
      pr: { type: 'string' },
      'head-sha': { type: 'string' },
      'head-label': { type: 'string' },
      'bot-login': { type: 'string' },
      schema: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'sarif-output': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return { help: true as const, report: '', dryRun: false, sarifOutput: undefined };
  if (!values.report) throw new UsageError('--report FILE is required');
  let pr: number | undefined;
  if (values.pr !== undefined) {
    const text = values.pr.trim();
    if (!/^[1-9]\d{0,9}$/.test(text)) throw new UsageError(`--pr must be a pull request number (got "${values.pr.slice(0, 40)}")`);
    pr = Number(text);
  }
  const headSha = values['head-sha'];
  if (headSha !== undefined && !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(headSha)) throw new UsageError('--head-sha must be a full commit SHA');
  const headLabel = values['head-label'];
  if (headLabel !== undefined && !/^[\w.-]+:[^\s:]+$/.test(headLabel)) throw new UsageError('--head-label must look like owner:branch');
  return {
    help: false as const,
    report: values.report,
    pr,
    headSha,
    headLabel,
    botLogin: values['bot-login'],
    schema: values.schema,
    dryRun: values['dry-run'] ?? false,
    sarifOutput: values['sarif-output'],
  };
}

function loadReport(file: string, schemaPath: string): { ok: true; report: Report } | { ok: false; message: string } {
  const read = readBounded(file);
  if (!read.ok) return read;
  const text = read.text;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, message: `refusing ${file}: it is not JSON` };
  }
  let validate: ReturnType<typeof compileReportValidator>;
  try {
    validate = compileReportValidator(schemaPath);
  } catch (error) {
    return { ok: false, message: `cannot load the report schema ${schemaPath}: ${(error as Error).message}` };
  }
  const result = validate(data);
  if (!result.ok) return { ok: false, message: `refusing ${file}: it is not a policy-check report (${schemaPath}): ${result.errors.join('; ')}` };
  return { ok: true, report: result.report };
}

/** SARIF for code scanning, with rule help from this (default-branch) checkout's rules. */
async function sarifOf(report: Report): Promise<string> {
  const rules = await loadRules();
  const docs = [...rules.map((r) => ({ id: r.id, severity: r.severity, description: r.description, rationale: r.rationale, howToFix: r.howToFix })), ...BUILTIN_RULES];
  return formatSarif(report, docs, { repositoryUrl: runRepositoryWebUrl(process.env, process.cwd()) });
}

/** A GitHub workflow command line; its data must have %, CR and LF encoded. */
function workflowCommand(command: 'warning' | 'error', message: string): string {
  return `::${command}::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`pr-comment: unexpected error (a bug, please report it): ${(error as Error).stack ?? error}\n`);
      process.exit(1);
    },
  );
}
