// --format markdown: the same body the PR bot posts, so what a person previews locally is what the PR shows.
import type { Report } from '../core/types.ts';
import { renderComment } from './comment.ts';

export function formatMarkdown(report: Report, env: NodeJS.ProcessEnv = process.env): string {
  return (
    renderComment(report, {
      serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
      repository: env.GITHUB_REPOSITORY ?? 'OWNER/REPO',
      headSha: env.GITHUB_SHA,
    }).body + '\n'
  );
}
