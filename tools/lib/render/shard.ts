// --shard K/N: which clusters one job of an N-job CI matrix checks. Clusters, never entry points: the
// per-cluster rules (capacity, NetworkPolicy reachability, references, duplicates) need a whole cluster.
export interface Shard {
  /** 1-based */
  index: number;
  total: number;
}

export class ShardSpecError extends Error {}

const MAX_SHARDS = 1000;

/** "K/N" with 1 <= K <= N <= 1000, else one line saying what is wrong. */
export function parseShard(spec: string): Shard {
  const match = /^([0-9]{1,4})\/([0-9]{1,4})$/.exec(spec);
  if (!match) throw new ShardSpecError(`--shard needs K/N (this job's number K of N jobs, 1-based), e.g. --shard 1/2, got "${spec}"`);
  const index = Number(match[1]);
  const total = Number(match[2]);
  if (total < 1 || total > MAX_SHARDS) throw new ShardSpecError(`--shard K/N needs N between 1 and ${MAX_SHARDS}, got "${spec}"`);
  if (index < 1 || index > total) throw new ShardSpecError(`--shard K/N needs K between 1 and N (K is 1-based), got "${spec}"`);
  return { index, total };
}

/**
 * The clusters of shard K/N: the names sorted (code-unit order, the same on every runner), then dealt round-robin,
 * cluster i to shard (i mod N) + 1. Round-robin keeps the shards within one cluster of each other in size; a hash
 * would keep a cluster in its shard as clusters come and go, which no CI run needs, at the cost of uneven shards.
 */
export function clustersOfShard(names: readonly string[], shard: Shard): string[] {
  return [...new Set(names)].sort().filter((_, i) => i % shard.total === shard.index - 1);
}

export const shardLabel = (shard: Shard) => `${shard.index}/${shard.total}`;
