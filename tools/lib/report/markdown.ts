// --format markdown: the same body the PR bot posts, so what a person previews locally is what the PR shows.
// Links come from GitHub Actions' environment or the git remote of the checked repository, or there are none.
import fs from 'node:fs';
import path from 'node:path';
import type { Report } from '../core/types.ts';
import { renderComment } from './comment.ts';
import { runRepositoryWebUrl } from '../docs/rule-links.ts';
import { ruleDocPath } from '../docs/rule-docs.ts';

export function formatMarkdown(report: Report, root: string, env: NodeJS.ProcessEnv = process.env): string {
  return (
    renderComment(report, {
      repositoryUrl: runRepositoryWebUrl(env, root),
      headSha: env.GITHUB_SHA,
      hasRuleDoc: ruleDocExists(root),
    }).body + '\n'
  );
}

/** Whether the repository at `root` has the rule's generated page, so the comment never links to a missing one. */
export function ruleDocExists(root: string): (id: string) => boolean {
  return (id) => fs.existsSync(path.join(root, ruleDocPath(id)));
}
