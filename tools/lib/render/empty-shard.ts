// The report of a shard that no cluster fell to: valid and empty, of this commit, config and base, so that merge
// finds every shard of the matrix and agrees with the shards that did check clusters.
import type { Report } from '../core/types.ts';
import { BaseRevisionError } from './base-revision.ts';
import { configHash } from './config-hash.ts';
import { run } from './process.ts';
import { currentCommit, TOOL_NAME, TOOL_VERSION } from './run-check.ts';
import type { Shard } from './shard.ts';

export interface EmptyShardOptions {
  root: string;
  configPath?: string;
  shard: Shard;
  rules: Report['rules'];
  /** --base REF: recorded as the other shards record it (ref and merge-base commit). */
  base?: string;
}

async function mergeBaseOf(root: string, ref: string): Promise<string> {
  const mergeBase = await run('git', ['merge-base', ref, 'HEAD'], { cwd: root });
  if (mergeBase.code !== 0) throw new BaseRevisionError(`--base ${ref}: no merge base with HEAD (${mergeBase.stderr.trim() || 'unknown revision'}); in CI fetch it first, e.g. git fetch origin main`);
  return mergeBase.stdout.trim();
}

export async function emptyShardReport(options: EmptyShardOptions): Promise<Report> {
  const commit = currentCommit(options.root);
  const base = options.base === undefined ? undefined : { ref: options.base, commit: await mergeBaseOf(options.root, options.base) };
  return {
    schemaVersion: 1,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    generatedAt: new Date().toISOString(),
    ...(commit ? { commit } : {}),
    ...(base ? { base } : {}),
    configHash: configHash(options.root, options.configPath),
    shard: options.shard,
    clusters: [],
    findings: [],
    ...(base ? { fixed: [] } : {}),
    summary: { errors: 0, warnings: 0, infos: 0, suppressed: 0, blocking: 0, ...(base ? { new: 0, fixed: 0 } : {}) },
    rules: options.rules,
  };
}
