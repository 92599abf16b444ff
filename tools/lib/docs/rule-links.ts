// Links from reports (SARIF helpUri) to a rule's generated page in this repository.
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

/** The repository's web URL: the first of config's repository.urls that is a URL, else the git remote `origin`. */
export function repositoryWebUrl(configUrls: string[], root: string): string | undefined {
  for (const url of configUrls) {
    const web = webUrlOf(url);
    if (web) return web;
  }
  try {
    const origin = execFileSync('git', ['remote', 'get-url', 'origin'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return webUrlOf(origin);
  } catch {
    return undefined;
  }
}

/** The rule's page on the default branch (GitHub's and GitLab's `blob/HEAD` both resolve to it). */
export function ruleDocUrl(repositoryUrl: string, id: string): string {
  return `${repositoryUrl}/blob/HEAD/${ruleDocPath(id)}`;
}
