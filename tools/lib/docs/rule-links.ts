// The one builder of links into this repository's web pages: rule docs for SARIF helpUri and the PR comment,
// file lines for the PR comment. The repository's web URL comes from GitHub Actions' environment, the config's
// repository.urls or the git remote; when none of them names a web repository there are no links (never a placeholder).
import { execFileSync } from 'node:child_process';
import { ruleDocPath } from './rule-docs.ts';
import { encodeRepoPath } from '../report/escape.ts';

/** A web URL we are willing to build links on: http(s), a host, an optional port and plain path segments. */
const SAFE_WEB_URL = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:\/[A-Za-z0-9._~-]+)+$/;

/** https://host/owner/repo for the clone URL forms Flux, Argo CD and git use; undefined when it is not one of them. */
export function webUrlOf(cloneUrl: string): string | undefined {
  const trimmed = cloneUrl.trim().replace(/\/+$/, '').replace(/\.git$/, '');
  const scp = /^[\w.-]+@([\w.-]+):(?!\/)(.+)$/.exec(trimmed);
  if (scp) return safeWebUrl(`https://${scp[1]}/${scp[2]}`);
  const url = /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+)$/.exec(trimmed);
  return url ? safeWebUrl(`https://${url[1]}/${url[2]}`) : undefined;
}

/** The web URL of the `origin` remote of the git repository at `root`, if it has one that names a web repository. */
export function originWebUrl(root: string): string | undefined {
  try {
    const origin = execFileSync('git', ['remote', 'get-url', 'origin'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return webUrlOf(origin);
  } catch {
    return undefined;
  }
}

/** The repository's web URL: the first of config's repository.urls that is a URL, else the git remote `origin`. */
export function repositoryWebUrl(configUrls: string[], root: string): string | undefined {
  for (const url of configUrls) {
    const web = webUrlOf(url);
    if (web) return web;
  }
  return originWebUrl(root);
}

/**
 * The web URL of the repository a run is about: inside GitHub Actions GITHUB_SERVER_URL/GITHUB_REPOSITORY
 * (GitHub Enterprise Server sets its own server URL), elsewhere the git remote `origin` of `root`.
 */
export function runRepositoryWebUrl(env: NodeJS.ProcessEnv, root: string): string | undefined {
  if (env.GITHUB_REPOSITORY && /^[\w.-]+\/[\w.-]+$/.test(env.GITHUB_REPOSITORY)) {
    const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
    const web = safeWebUrl(`${server}/${env.GITHUB_REPOSITORY}`);
    if (web) return web;
  }
  return originWebUrl(root);
}

/** A file (and line) of the repository at a commit or ref; undefined for a path that could leave the repository. */
export function blobUrl(repositoryUrl: string, ref: string, file: string, line?: number): string | undefined {
  const encoded = encodeRepoPath(file);
  if (!encoded || !safeWebUrl(repositoryUrl) || !/^[\w.-]+$/.test(ref)) return undefined;
  const anchor = line !== undefined && Number.isInteger(line) && line > 0 ? `#L${line}` : '';
  return `${repositoryUrl}/blob/${ref}/${encoded}${anchor}`;
}

/** The rule's generated page (docs/rules/<area>-<name>.md) at `ref`; `HEAD` is the default branch on GitHub and GitLab. */
export function ruleDocUrl(repositoryUrl: string, id: string, ref = 'HEAD'): string | undefined {
  return blobUrl(repositoryUrl, ref, ruleDocPath(id));
}

function safeWebUrl(url: string): string | undefined {
  return SAFE_WEB_URL.test(url) ? url : undefined;
}
