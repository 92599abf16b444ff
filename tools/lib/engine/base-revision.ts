// --base REF: the merge base of REF and HEAD, checked out in a temporary worktree so the user's tree is untouched.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from './kustomize.ts';

export class BaseRevisionError extends Error {}

export interface BaseWorktree {
  dir: string;
  commit: string;
  remove(): Promise<void>;
}

export async function checkoutMergeBase(root: string, ref: string): Promise<BaseWorktree> {
  const top = await run('git', ['rev-parse', '--show-toplevel'], { cwd: root });
  if (top.code !== 0) throw new BaseRevisionError(`--base needs a git repository: ${top.stderr.trim()}`);
  const mergeBase = await run('git', ['merge-base', ref, 'HEAD'], { cwd: root });
  if (mergeBase.code !== 0) {
    throw new BaseRevisionError(`--base ${ref}: no merge base with HEAD (${mergeBase.stderr.trim() || 'unknown revision'}); in CI fetch it first, e.g. git fetch origin main`);
  }
  const commit = mergeBase.stdout.trim();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-check-base-'));
  const added = await run('git', ['worktree', 'add', '--detach', '--quiet', dir, commit], { cwd: root });
  if (added.code !== 0) throw new BaseRevisionError(`--base ${ref}: could not check out ${commit}: ${added.stderr.trim()}`);
  const subdir = path.relative(top.stdout.trim(), path.resolve(root));
  return {
    dir: path.join(dir, subdir),
    commit,
    async remove() {
      await run('git', ['worktree', 'remove', '--force', dir], { cwd: root });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
