// --base REF: the merge base of REF and HEAD, checked out in a temporary worktree so the user's tree is untouched.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClusterDiff, Report } from '../core/types.ts';
import { applyBaseline } from '../report/baseline.ts';
import { diffCluster, notCompared, withRenderedDiff, type RenderedSide } from '../report/rendered-diff.ts';
import { ConfigError } from '../core/config.ts';
import { run } from './process.ts';
import { runCheck, UnknownClusterError, type CheckOptions, type CheckResult, type ClusterResult } from './run-check.ts';

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

function sideOf(cluster: ClusterResult): RenderedSide {
  // the graph's objects are the ones the rules saw: namespaces defaulted as `kubectl apply` would
  return { objects: cluster.graph.objects.map((o) => o.object), problems: cluster.rendered.problems };
}

/** Each head cluster against the same cluster of the base; `baseClusters` undefined: the base could not be checked at all. */
function renderedDiffs(head: ClusterResult[], baseClusters: ClusterResult[] | undefined, baseFailure: string): Map<string, ClusterDiff> {
  const diffs = new Map<string, ClusterDiff>();
  for (const cluster of head) {
    const base = baseClusters?.find((c) => c.rendered.name === cluster.rendered.name);
    diffs.set(cluster.rendered.name, baseClusters ? diffCluster(base && sideOf(base), sideOf(cluster)) : notCompared(baseFailure));
  }
  return diffs;
}

/**
 * Checks the merge base of `ref` with the same options and folds it into the head's report (see applyBaseline),
 * with each cluster's rendered diff (see rendered-diff.ts).
 * The base is judged by its own config when it has one at the same place, since a change may edit the config.
 */
export async function checkAgainstBase(
  headCheck: CheckResult | Promise<CheckResult>,
  options: CheckOptions,
  ref: string,
  warn: (message: string) => void,
): Promise<Report> {
  // the head may still be rendering: both sides are checked at once; a failure of either is reported by whoever awaits it
  const pending = Promise.resolve(headCheck);
  pending.catch(() => {});
  const worktree = await checkoutMergeBase(options.root, ref);
  try {
    const root = path.resolve(options.root);
    const baseRoot = worktree.dir;
    const configPath = options.configPath && fs.existsSync(path.resolve(baseRoot, options.configPath)) ? options.configPath : undefined;
    const paths = (options.paths ?? []).map((p) => path.resolve(baseRoot, path.relative(root, path.resolve(p)))).filter((p) => fs.existsSync(p));
    const empty = { findings: [], clusters: [] };
    let baseReport: Pick<Report, 'findings' | 'clusters'> = empty;
    let baseClusters: ClusterResult[] | undefined = [];
    let baseFailure = '';
    // paths new in this change have no base: everything found there is new
    if ((options.paths ?? []).length === 0 || paths.length > 0) {
      try {
        const base = await runCheck({ ...options, root: baseRoot, configPath, paths });
        baseReport = base.report;
        baseClusters = base.clusters;
      } catch (error) {
        if (!(error instanceof ConfigError || error instanceof UnknownClusterError)) throw error;
        // the message names files in the temporary worktree; the user knows them by their repository path
        const message = [path.relative(process.cwd(), baseRoot), baseRoot].reduce((m, prefix) => m.split(prefix + path.sep).join(''), (error as Error).message);
        baseFailure = `the base revision could not be checked: ${message}`;
        baseClusters = undefined;
        warn(`the base revision could not be checked (${message}); every finding counts as new`);
      }
    }
    const head = await pending;
    const report = applyBaseline(head.report, baseReport, { ref, commit: worktree.commit });
    return withRenderedDiff(report, renderedDiffs(head.clusters, baseClusters, baseFailure));
  } finally {
    await worktree.remove();
  }
}
