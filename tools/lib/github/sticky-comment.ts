// Finds the bot's one comment on a pull request (by hidden marker AND author) and creates
// or edits it in place. A comment by anyone else is never touched, even if it carries the
// marker: a user pasting the marker into their own comment must not get it overwritten.
import type { Octokit } from '@octokit/rest';
import { defaultRetryPolicy, withRetry, type RetryPolicy } from './retry.ts';
import { COMMENT_MARKER } from '../report/comment.ts';

/** The identity of GITHUB_TOKEN in Actions. A GitHub App token may not call GET /user, so we cannot ask. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

export interface CommentAuthor {
  login: string;
  type?: string;
}

export interface IssueCommentLike {
  id: number;
  body?: string | null;
  user: CommentAuthor | null;
  html_url?: string;
}

/**
 * A login ending in "[bot]" names a GitHub App (users cannot have brackets in their name),
 * so we also require the account type to say Bot; any other configured login (a personal
 * token used from a laptop) is matched by login alone.
 */
export function isBotComment(comment: IssueCommentLike, botLogin: string): boolean {
  const user = comment.user;
  if (!user || typeof comment.body !== 'string') return false;
  if (!comment.body.startsWith(COMMENT_MARKER)) return false;
  if (user.login.toLowerCase() !== botLogin.toLowerCase()) return false;
  return botLogin.endsWith('[bot]') ? user.type === 'Bot' : true;
}

export interface UpsertOptions {
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  botLogin?: string;
  retry?: RetryPolicy;
}

export interface UpsertResult {
  action: 'created' | 'updated' | 'unchanged';
  commentId: number;
  url?: string;
}

export async function upsertStickyComment(octokit: Octokit, options: UpsertOptions): Promise<UpsertResult> {
  const { owner, repo, issueNumber, body } = options;
  const botLogin = options.botLogin ?? ACTIONS_BOT_LOGIN;
  const retry = options.retry ?? defaultRetryPolicy;

  const comments = await withRetry(
    `listing comments of #${issueNumber}`,
    () => octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 }),
    retry,
  );
  const existing = (comments as IssueCommentLike[]).find((c) => isBotComment(c, botLogin));

  if (!existing) {
    const created = await withRetry(
      `creating the comment on #${issueNumber}`,
      () => octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body }),
      retry,
    );
    return { action: 'created', commentId: created.data.id, url: created.data.html_url };
  }
  if (existing.body === body) return { action: 'unchanged', commentId: existing.id, url: existing.html_url };

  const updated = await withRetry(
    `updating comment ${existing.id} on #${issueNumber}`,
    () => octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body }),
    retry,
  );
  return { action: 'updated', commentId: updated.data.id, url: updated.data.html_url };
}
