// --base REF: the merge base of REF and HEAD, checked out in a temporary worktree so the user's tree is untouched.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Report } from '../core/types.ts';
import { applyBaseline } from '../report/baseline.ts';
import { ConfigError } from '../core/config.ts';
import { run } from './process.ts';
import { runCheck, UnknownClusterError, type CheckOptions } from './run-check.ts';

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

/**
 * Checks the merge base of `ref` with the same options and folds it into `report` (see applyBaseline).
 * The base is judged by its own config when it has one at the same place, since a change may edit the config.
 */
export async function checkAgainstBase(
  report: Report,
  options: CheckOptions,
  ref: string,
  warn: (message: string) => void,
): Promise<Report> {
  const worktree = await checkoutMergeBase(options.root, ref);
  try {
    const root = path.resolve(options.root);
    const baseRoot = worktree.dir;
    const configPath = options.configPath && fs.existsSync(path.resolve(baseRoot, options.configPath)) ? options.configPath : undefined;
    const paths = (options.paths ?? []).map((p) => path.resolve(baseRoot, path.relative(root, path.resolve(p)))).filter((p) => fs.existsSync(p));
    const empty = { findings: [], clusters: [] };
    let baseReport: Pick<Report, 'findings' | 'clusters'> = empty;
    // paths new in this change have no base: everything found there is new
    if ((options.paths ?? []).length === 0 || paths.length > 0) {
      try {
        baseReport = (await runCheck({ ...options, root: baseRoot, configPath, paths })).report;
      } catch (error) {
        if (!(error instanceof ConfigError || error instanceof UnknownClusterError)) throw error;
        warn(`the base revision could not be checked (${(error as Error).message}); every finding counts as new`);
      }
    }
    return applyBaseline(report, baseReport, { ref, commit: worktree.commit });
  } finally {
    await worktree.remove();
  }
}
