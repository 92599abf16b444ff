// Links from reports (SARIF helpUri, --explain) to a rule's generated page in this repository.
import { execFileSync } from 'node:child_process';
import { ruleDocPath } from './rule-docs.ts';

/** https://host/owner/repo for the clone URL forms Flux, Argo CD and git use; undefined when it is not one of them. */
export function webUrlOf(cloneUrl: string): string | undefined {
  const trimmed = cloneUrl.trim().replace(/\/+$/, '').replace(/\.git$/, '');
  const scp = /^[\w.-]+@([\w.-]+):(?!\/)(.+)$/.exec(trimmed);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  const url = /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+)$/.exec(trimmed);
  return url ? `https://${url[1]}/${url[2]}` : undefined;
}

const OWNER_NAME = /^[\w.-]+\/[\w.-]+$/;

/** A GitHub repository page: github.com, or the GitHub Enterprise host GITHUB_SERVER_URL names. */
function isGithubRepository(webUrl: string, env: NodeJS.ProcessEnv): boolean {
  const host = new URL(webUrl).host;
  const enterprise = env.GITHUB_SERVER_URL ? safeHost(env.GITHUB_SERVER_URL) : undefined;
  return (host === 'github.com' || host === enterprise) && OWNER_NAME.test(new URL(webUrl).pathname.slice(1));
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/**
 * The web URL of the repository being checked, for links to its docs: in GitHub Actions GITHUB_SERVER_URL and
 * GITHUB_REPOSITORY; elsewhere the git remote `origin` when it is a GitHub repository; else undefined (no link
 * rather than a link to some other repository).
 */
export function repositoryWebUrl(root: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const repository = env.GITHUB_REPOSITORY ?? '';
  if (OWNER_NAME.test(repository)) return `${(env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')}/${repository}`;
  let origin: string;
  try {
    origin = execFileSync('git', ['remote', 'get-url', 'origin'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
  } catch {
    return undefined;
  }
  const web = webUrlOf(origin);
  return web && isGithubRepository(web, env) ? web : undefined;
}

/** The rule's page on the default branch (GitHub's `blob/HEAD` resolves to it). */
export function ruleDocUrl(repositoryUrl: string, id: string): string {
  return `${repositoryUrl}/blob/HEAD/${ruleDocPath(id)}`;
}
