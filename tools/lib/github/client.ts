// One Octokit per run, configured from the standard Actions variables so the same code
// works in a workflow, on a laptop and against GitHub Enterprise Server.
import { Octokit } from '@octokit/rest';

export interface GitHubEnvironment {
  apiUrl: string;
  serverUrl: string;
  owner: string;
  repo: string;
  token: string;
}

export class GitHubConfigError extends Error {}

export function readGitHubEnvironment(env: NodeJS.ProcessEnv = process.env): GitHubEnvironment {
  const repository = env.GITHUB_REPOSITORY ?? '';
  const match = /^([\w.-]+)\/([\w.-]+)$/.exec(repository);
  if (!match) throw new GitHubConfigError(`GITHUB_REPOSITORY must be "owner/name" (got "${repository}")`);
  const token = env.GITHUB_TOKEN ?? '';
  if (!token) throw new GitHubConfigError('GITHUB_TOKEN is not set (a token that may write pull request comments)');
  return {
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    owner: match[1],
    repo: match[2],
    token,
  };
}

export function createOctokit(env: Pick<GitHubEnvironment, 'apiUrl' | 'token'>): Octokit {
  return new Octokit({
    auth: env.token,
    baseUrl: env.apiUrl,
    userAgent: 'policy-check-pr-comment',
    // Octokit's own console warnings would duplicate our messages.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}
