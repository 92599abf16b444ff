// Finds the pull request a workflow run belongs to from the run's head commit, which the
// workflow_run event reports even for forks (where workflow_run.pull_requests is empty),
// and cross-checks the number the artifact claims: the artifact comes from untrusted code.
import type { Octokit } from '@octokit/rest';
import { defaultRetryPolicy, withRetry, type RetryPolicy } from './retry.ts';

export interface ResolveOptions {
  owner: string;
  repo: string;
  /** The run's head commit (trusted: from the workflow_run event, not from the artifact). */
  headSha: string;
  /** "owner:branch" of the head, for the pulls.list fallback (fork PRs). */
  headLabel?: string;
  /** The number read from the artifact (untrusted). */
  claimedNumber?: number;
  retry?: RetryPolicy;
}

export class PullRequestMismatchError extends Error {}

interface PullLike {
  number: number;
  state: string;
  head: { sha: string };
}

export async function resolvePullRequest(octokit: Octokit, options: ResolveOptions): Promise<number> {
  const { owner, repo, headSha, headLabel, claimedNumber } = options;
  const retry = options.retry ?? defaultRetryPolicy;
  const matches = (pulls: PullLike[]): number[] =>
    pulls.filter((p) => p.state === 'open' && p.head.sha === headSha).map((p) => p.number);

  let candidates = matches(
    (
      await withRetry(
        `listing pull requests of commit ${headSha.slice(0, 7)}`,
        () => octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: headSha, per_page: 100 }),
        retry,
      )
    ).data as PullLike[],
  );

  if (candidates.length === 0 && headLabel) {
    candidates = matches(
      (
        await withRetry(
          `listing open pull requests from ${headLabel}`,
          () => octokit.rest.pulls.list({ owner, repo, state: 'open', head: headLabel, per_page: 100 }),
          retry,
        )
      ).data as PullLike[],
    );
  }

  if (candidates.length === 0 && claimedNumber !== undefined) {
    const pull = await withRetry(
      `reading pull request #${claimedNumber}`,
      () => octokit.rest.pulls.get({ owner, repo, pull_number: claimedNumber }),
      retry,
    );
    if (pull.data.state === 'open' && pull.data.head.sha === headSha) return claimedNumber;
    throw new PullRequestMismatchError(
      `the artifact names pull request #${claimedNumber}, whose head is ${pull.data.head.sha.slice(0, 7)}, not the run's head ${headSha.slice(0, 7)}`,
    );
  }
  if (candidates.length === 0) throw new PullRequestMismatchError(`no open pull request has head commit ${headSha.slice(0, 7)}`);
  if (claimedNumber !== undefined && !candidates.includes(claimedNumber)) {
    throw new PullRequestMismatchError(
      `the artifact names pull request #${claimedNumber}, but commit ${headSha.slice(0, 7)} is the head of #${candidates.join(', #')}`,
    );
  }
  if (claimedNumber !== undefined) return claimedNumber;
  if (candidates.length > 1) {
    throw new PullRequestMismatchError(`commit ${headSha.slice(0, 7)} is the head of several pull requests (#${candidates.join(', #')}); pass --pr`);
  }
  return candidates[0];
}
