// `check.ts merge`: the json reports of --shard jobs (or of --cluster runs) joined into one report, as if one
// run had checked every cluster. The reports are CI artifacts: each is read with a size limit and validated
// against schemas/report.schema.json before anything in it is trusted.
import type { Finding, Report } from '../core/types.ts';
import { readBounded } from './bounded-read.ts';
import { compileReportValidator } from './report-schema.ts';
import { summarize } from './summary.ts';

export class MergeError extends Error {}

export interface ReportFile {
  file: string;
  report: Report;
}

/** One report file, read with the size limit, parsed and validated; MergeError with one line otherwise. */
export function readReportFile(file: string, validate: ReturnType<typeof compileReportValidator>): ReportFile {
  const read = readBounded(file);
  if (!read.ok) throw new MergeError(read.message);
  let data: unknown;
  try {
    data = JSON.parse(read.text);
  } catch {
    throw new MergeError(`refusing ${file}: it is not JSON`);
  }
  const result = validate(data);
  if (!result.ok) {
    const more = result.errors.length > 1 ? ` (and ${result.errors.length - 1} more problem${result.errors.length > 2 ? 's' : ''})` : '';
    throw new MergeError(`refusing ${file}: it is not a policy-check json report: ${result.errors[0]}${more}`);
  }
  return { file, report: result.report };
}

const shown = (value: string | undefined) => (value === undefined ? 'none recorded' : value);

/** The first report whose `what` differs from the first file's, as a MergeError naming both. */
function requireSame(inputs: ReportFile[], what: string, valueOf: (r: Report) => string | undefined): void {
  const [first, ...rest] = inputs;
  const expected = valueOf(first.report);
  for (const other of rest) {
    const actual = valueOf(other.report);
    if (actual !== expected) throw new MergeError(`cannot merge ${first.file} and ${other.file}: they were checked with different ${what} (${shown(expected)} and ${shown(actual)})`);
  }
}

const shardText = (r: Report) => (r.shard ? `${r.shard.index}/${r.shard.total}` : undefined);

/** Every shard K/N of one N exactly once, or no shards at all (reports of --cluster runs). */
function requireWholeShardSet(inputs: ReportFile[]): void {
  const sharded = inputs.filter((i) => i.report.shard);
  if (sharded.length === 0) return;
  const whole = inputs.find((i) => !i.report.shard);
  if (whole) throw new MergeError(`cannot merge ${whole.file} with shard reports: it is not the report of a --shard run (${sharded[0].file} is shard ${shardText(sharded[0].report)})`);
  requireSame(inputs, 'shard counts (--shard K/N)', (r) => String(r.shard!.total));
  const total = sharded[0].report.shard!.total;
  const byIndex = new Map<number, string>();
  for (const { file, report } of sharded) {
    const twice = byIndex.get(report.shard!.index);
    if (twice) throw new MergeError(`cannot merge ${twice} and ${file}: both are shard ${shardText(report)}`);
    byIndex.set(report.shard!.index, file);
  }
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw new MergeError(`cannot merge: shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${total}`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing (a job that failed before writing its report?); every shard's report is needed`);
}

function requireDistinctClusters(inputs: ReportFile[]): void {
  const owner = new Map<string, string>();
  for (const { file, report } of inputs) {
    for (const cluster of report.clusters) {
      const first = owner.get(cluster.name);
      if (first !== undefined) throw new MergeError(`cannot merge: cluster ${cluster.name} is in both ${first} and ${file}; each cluster must be checked by exactly one report`);
      owner.set(cluster.name, file);
    }
  }
}

/** Counts as one run would give them: with a base, only new blocking findings block. */
function summaryOf(findings: Report['findings'], fixed: Finding[] | undefined, hasBase: boolean): Report['summary'] {
  const summary = summarize(findings);
  if (!hasBase) return summary;
  const fresh = findings.filter((f) => f.status === 'new' && !f.suppressed);
  return { ...summary, blocking: fresh.filter((f) => f.severity === 'error').length, new: fresh.length, fixed: (fixed ?? []).length };
}

/**
 * The merged report: clusters in name order (the order of a whole run), each cluster's findings in the order
 * its report gave them. Refuses reports of different tools, commits, configs, rules or bases, a cluster in two
 * reports, and an incomplete set of shards.
 */
export function mergeReports(inputs: ReportFile[], generatedAt = new Date().toISOString()): Report {
  if (inputs.length === 0) throw new MergeError('merge needs at least one json report');
  requireSame(inputs, 'tools', (r) => `${r.tool.name} ${r.tool.version}`);
  requireSame(inputs, 'commits', (r) => r.commit);
  requireSame(inputs, 'configs (configHash)', (r) => r.configHash);
  requireSame(inputs, 'rules (--rule or rule severities)', (r) => r.rules.map((rule) => `${rule.id}:${rule.severity}`).join(','));
  requireSame(inputs, 'bases (--base)', (r) => (r.base ? `${r.base.ref}${r.base.commit ? `@${r.base.commit}` : ''}` : undefined));
  requireWholeShardSet(inputs);
  requireDistinctClusters(inputs);

  const first = inputs[0].report;
  const clusters = inputs.flatMap((i) => i.report.clusters).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const order = new Map(clusters.map((c, i) => [c.name, i]));
  const byCluster = <T extends Finding>(items: T[]) =>
    items
      .map((finding, i) => ({ finding, i }))
      .sort((a, b) => (order.get(a.finding.cluster) ?? order.size) - (order.get(b.finding.cluster) ?? order.size) || a.i - b.i)
      .map((x) => x.finding);
  const findings = byCluster(inputs.flatMap((i) => i.report.findings));
  const hasBase = first.base !== undefined;
  const fixed = hasBase ? byCluster(inputs.flatMap((i) => i.report.fixed ?? [])) : undefined;
  const fixes = inputs.flatMap((i) => i.report.fixes ?? []).map((fix, i) => ({ fix, i }))
    .sort((a, b) => (order.get(a.fix.cluster) ?? order.size) - (order.get(b.fix.cluster) ?? order.size) || a.i - b.i)
    .map((x) => x.fix);

  const merged: Report = {
    schemaVersion: 1,
    tool: first.tool,
    generatedAt,
    ...(first.commit ? { commit: first.commit } : {}),
    ...(first.base ? { base: first.base } : {}),
    ...(first.configHash ? { configHash: first.configHash } : {}),
    // the kustomize of the first shard: every job of one workflow installs the same one
    ...(first.kustomize ? { kustomize: first.kustomize } : {}),
    clusters,
    findings,
    ...(fixed ? { fixed } : {}),
    summary: summaryOf(findings, fixed, hasBase),
    rules: first.rules,
    ...(inputs.some((i) => i.report.fixes) ? { fixes } : {}),
  };
  return merged;
}
