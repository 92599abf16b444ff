// --shard K/N: the deal of clusters over jobs, and what the CLI says about a bad K/N or an empty shard.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clustersOfShard, parseShard, ShardSpecError } from '../tools/lib/render/shard.ts';
import { compileReportValidator } from '../tools/lib/report/report-schema.ts';
import { REPO_ROOT, runCli } from './helpers/cli.ts';

describe('parseShard', () => {
  it('reads K/N, 1-based', () => {
    expect(parseShard('1/2')).toEqual({ index: 1, total: 2 });
    expect(parseShard('2/2')).toEqual({ index: 2, total: 2 });
    expect(parseShard('7/1000')).toEqual({ index: 7, total: 1000 });
  });

  it.each([
    ['3/2', '--shard K/N needs K between 1 and N (K is 1-based), got "3/2"'],
    ['0/2', '--shard K/N needs K between 1 and N (K is 1-based), got "0/2"'],
    ['1/0', '--shard K/N needs N between 1 and 1000, got "1/0"'],
    ['1/1001', '--shard K/N needs N between 1 and 1000, got "1/1001"'],
    ['x', '--shard needs K/N (this job\'s number K of N jobs, 1-based), e.g. --shard 1/2, got "x"'],
    ['1/2/3', '--shard needs K/N (this job\'s number K of N jobs, 1-based), e.g. --shard 1/2, got "1/2/3"'],
    ['-1/2', '--shard needs K/N (this job\'s number K of N jobs, 1-based), e.g. --shard 1/2, got "-1/2"'],
    ['', '--shard needs K/N (this job\'s number K of N jobs, 1-based), e.g. --shard 1/2, got ""'],
  ])('refuses %j', (spec, message) => {
    expect(() => parseShard(spec)).toThrow(new ShardSpecError(message));
  });
});

describe('clustersOfShard', () => {
  const names = ['staging', 'k3s', 'production', 'kind'];

  it('sorts the names and deals them round-robin', () => {
    expect(clustersOfShard(names, { index: 1, total: 2 })).toEqual(['k3s', 'production']);
    expect(clustersOfShard(names, { index: 2, total: 2 })).toEqual(['kind', 'staging']);
    expect(clustersOfShard(names, { index: 1, total: 3 })).toEqual(['k3s', 'staging']);
    expect(clustersOfShard(names, { index: 3, total: 3 })).toEqual(['production']);
    expect(clustersOfShard(names, { index: 5, total: 5 })).toEqual([]);
  });

  it('gives every cluster to exactly one shard, whatever the input order, with shard sizes within one', () => {
    const fleet = Array.from({ length: 103 }, (_, i) => `cluster-${(i * 37) % 103}`);
    for (const total of [1, 2, 3, 7, 103, 150]) {
      const shards = Array.from({ length: total }, (_, k) => clustersOfShard(fleet, { index: k + 1, total }));
      expect(shards.flat().sort()).toEqual([...fleet].sort());
      const sizes = shards.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      expect(clustersOfShard([...fleet].reverse(), { index: 1, total })).toEqual(shards[0]);
    }
  });
});

describe('check.ts --shard (subprocess)', () => {
  it.each(['3/2', '0/2', 'x'])('--shard %s is a usage error: one line, exit 2', (spec) => {
    const run = runCli(['--shard', spec], REPO_ROOT);
    const detail = spec === 'x' ? '--shard needs K/N (this job\'s number K of N jobs, 1-based), e.g. --shard 1/2, got "x"' : `--shard K/N needs K between 1 and N (K is 1-based), got "${spec}"`;
    expect(run.stderr).toBe(`policy-check: ${detail} (see --help)\n`);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
  });

  it('refuses --shard with PATH arguments', () => {
    const run = runCli(['test/fixtures/seed000/broken', '--shard', '1/2'], REPO_ROOT);
    expect(run.stderr).toBe('policy-check: --shard splits the clusters of the repository; it does not take PATH arguments (see --help)\n');
    expect(run.code).toBe(2);
  });

  it('a shard that no cluster falls to says so, writes a valid empty report for merge, and exits 0', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shard-empty-'));
    const file = path.join(dir, 'shard-5.json');
    const run = runCli(['--shard', '5/5', '--format', 'json', '--output', file], REPO_ROOT);
    expect(run.stderr).toBe('policy-check: nothing to check in shard 5/5: 4 clusters over 5 shards leave this one empty (exit 0; its empty report keeps merge complete)\n');
    expect(run.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(compileReportValidator()(report)).toMatchObject({ ok: true });
    expect(report).toMatchObject({ shard: { index: 5, total: 5 }, clusters: [], findings: [], summary: { errors: 0, blocking: 0 } });
    expect(report.configHash).toMatch(/^[0-9a-f]{64}$/);
    expect(report.rules.length).toBeGreaterThan(30);
  });

  it('an empty shard of a --base run records the base as the other shards do, so merge accepts it', () => {
    const mergeBase = spawnSync('git', ['merge-base', 'HEAD~1', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (mergeBase.status !== 0) return void console.warn(`skipped: no git history here (${mergeBase.stderr.trim()})`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shard-empty-base-'));
    const file = path.join(dir, 'shard-5.json');
    const run = runCli(['--shard', '5/5', '--base', 'HEAD~1', '--format', 'json', '--output', file], REPO_ROOT);
    expect(run.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(compileReportValidator()(report)).toMatchObject({ ok: true });
    expect(report.base).toEqual({ ref: 'HEAD~1', commit: mergeBase.stdout.trim() });
    expect(report.summary).toEqual({ errors: 0, warnings: 0, infos: 0, suppressed: 0, blocking: 0, new: 0, fixed: 0 });
    expect(report.fixed).toEqual([]);
  });

  it('an empty shard of an unresolvable --base is exit 2, as for any shard', () => {
    const run = runCli(['--shard', '5/5', '--base', 'no-such-ref'], REPO_ROOT);
    expect(run.stderr).toMatch(/^policy-check: --base no-such-ref: no merge base with HEAD \(.+\); in CI fetch it first, e\.g\. git fetch origin main\n$/);
    expect(run.code).toBe(2);
  });

  it('an unknown --cluster with --shard still names the clusters that exist', () => {
    const run = runCli(['--shard', '1/2', '--cluster', 'nope'], REPO_ROOT);
    expect(run.stderr).toBe('policy-check: unknown cluster nope; clusters in this repository: k3s, kind, production, staging\n');
    expect(run.code).toBe(2);
  });
});
