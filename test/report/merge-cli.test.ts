// Sharding plus merging against the unsharded result on this repository's four clusters, as subprocesses:
// `--shard 1/2` and `--shard 2/2` merged must be the whole check (findings, fingerprints, clusters), in every
// format and as the PR comment; reports that cannot be one run give one line and exit 2.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../tools/lib/core/types.ts';
import { main as prComment } from '../../tools/pr-comment.ts';
import { MAX_REPORT_BYTES } from '../../tools/lib/report/bounded-read.ts';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { CHECK, REPO_ROOT, runCli, type CliRun } from '../helpers/cli.ts';

/** runCli with room for a cold check of four clusters on a loaded 2-core machine (runCli stops at 120 s). */
function runCheckCli(args: string[]): CliRun {
  const loader = pathToFileURL(path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const result = spawnSync(process.execPath, ['--import', loader, CHECK, ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 400_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'merge-cli-'));
const at = (name: string) => path.join(dir, name);
const read = (name: string) => JSON.parse(fs.readFileSync(at(name), 'utf8')) as Report;
const write = (name: string, report: unknown) => fs.writeFileSync(at(name), JSON.stringify(report));
// the same render cache for every run, so the shards render once; fromCache is the one field that may differ
const common = ['--format', 'json', '--render-cache', at('render-cache')];

/** What two runs of the same commit must agree on: everything but the clock and the render cache. */
function comparable(report: Report): Report {
  const copy = structuredClone(report);
  copy.generatedAt = '2026-01-01T00:00:00.000Z';
  for (const cluster of copy.clusters) for (const entry of cluster.entryPoints) delete entry.fromCache;
  return copy;
}

beforeAll(() => {
  const whole = runCheckCli([...common, '--output', at('whole.json')]);
  expect(whole.stderr).toBe('');
  expect(whole.code).toBe(0);
  for (const k of [1, 2]) {
    const shard = runCheckCli([...common, '--shard', `${k}/2`, '--output', at(`shard-${k}.json`)]);
    expect(shard.stderr).toBe('');
    expect(shard.code).toBe(0);
  }
}, 900_000);

describe('--shard 1/2 + --shard 2/2, merged, is the unsharded check', () => {
  it('each shard checked half of the clusters, named in its report', () => {
    expect(read('shard-1.json').clusters.map((c) => c.name)).toEqual(['k3s', 'production']);
    expect(read('shard-2.json').clusters.map((c) => c.name)).toEqual(['kind', 'staging']);
    expect(read('shard-1.json').shard).toEqual({ index: 1, total: 2 });
  });

  it('gives the same json report: findings, fingerprints, locations, clusters, summary, rules', () => {
    const merge = runCli(['merge', at('shard-2.json'), at('shard-1.json'), '--format', 'json', '--output', at('merged.json')], REPO_ROOT);
    expect(merge.stderr).toBe('');
    expect(merge.code).toBe(0);
    const whole = read('whole.json');
    const merged = read('merged.json');
    // the repository is clean: what is compared is every cluster's entry points, skipped sources and object counts
    expect(whole.clusters.reduce((n: number, c: any) => n + c.objectCount, 0)).toBeGreaterThan(600);
    expect(merged.findings.map((f) => f.fingerprint)).toEqual(whole.findings.map((f) => f.fingerprint));
    expect(comparable(merged)).toEqual(comparable(whole));
  });

  // what each format shows of this (clean) repository, so that equal outputs are not equally empty
  it.each([
    ['github', '✔ 0 errors, 0 warnings in 4 clusters'],
    ['text', 'cluster staging (argocd; 3 entry points, 199 objects)'],
    ['sarif', '"security-severity"'],
    ['markdown', 'No blocking findings in 4 clusters (663 objects).'],
  ])('gives the same --format %s as the unsharded run', (format, shown) => {
    // the text format says which renders came from the cache: compare the reports without that
    for (const name of ['shard-1', 'shard-2', 'whole']) write(`${name}-comparable.json`, comparable(read(`${name}.json`)));
    const merged = runCli(['merge', at('shard-1-comparable.json'), at('shard-2-comparable.json'), '--format', format], REPO_ROOT);
    const whole = runCli(['merge', at('whole-comparable.json'), '--format', format], REPO_ROOT);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain(shown);
    expect(merged.stdout).toBe(whole.stdout);
  });

  it('the PR bot renders the same comment from the merged report', async () => {
    runCli(['merge', at('shard-1.json'), at('shard-2.json'), '--format', 'json', '--output', at('for-comment.json')], REPO_ROOT);
    const body = async (file: string) => {
      let out = '';
      const code = await prComment(['--report', file, '--dry-run'], { env: {}, root: REPO_ROOT, io: { stdout: (t) => (out += t), stderr: (t) => (out += t) } });
      expect(code).toBe(0);
      return out;
    };
    const merged = await body(at('for-comment.json'));
    expect(merged).toContain('policy-check');
    expect(merged).toBe(await body(at('whole.json')));
  });

  it('exit code is the merged report\'s: a blocking finding in one shard makes merge exit 1', () => {
    const one = read('shard-1.json');
    one.findings.push({ rule: 'ports/env-from-registry', severity: 'error', cluster: 'k3s', message: 'hardcoded port', fingerprint: 'deadbeefdeadbeef' });
    write('blocking-1.json', one);
    const run = runCli(['merge', at('blocking-1.json'), at('shard-2.json')], REPO_ROOT);
    expect(run.stdout).toContain('✖ 1 error, 0 warnings in 4 clusters');
    expect(run.code).toBe(1);
  });
});

describe('merge refuses what cannot be one run: one line, exit 2', () => {
  const refuse = (args: string[], message: string) => {
    const run = runCli(['merge', ...args], REPO_ROOT);
    expect(run.stderr).toBe(`policy-check: ${message}\n`);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
  };

  it('a garbled report', () => {
    fs.writeFileSync(at('garbled.json'), '{"schemaVersion": 1, "tool": {');
    refuse([at('shard-1.json'), at('garbled.json')], `refusing ${at('garbled.json')}: it is not JSON`);
  });

  it('JSON that is not a report', () => {
    const bad = read('shard-2.json') as unknown as Record<string, unknown>;
    delete bad.findings;
    (bad.clusters as Record<string, unknown>[])[0].objectCount = -1;
    write('not-a-report.json', bad);
    refuse([at('shard-1.json'), at('not-a-report.json')], `refusing ${at('not-a-report.json')}: it is not a policy-check json report: (root) must have required property 'findings' (and 1 more problem)`);
  });

  it('an oversized artifact, before it is parsed', () => {
    fs.writeFileSync(at('huge.json'), Buffer.alloc(MAX_REPORT_BYTES + 1, 0x20));
    refuse([at('shard-1.json'), at('huge.json')], `refusing ${at('huge.json')}: it is 16.0 MiB, more than the 16.0 MiB a policy-check report may be`);
  });

  it('a report of another commit', () => {
    const one = read('shard-1.json');
    const two = read('shard-2.json');
    write('commit-1.json', { ...one, commit: 'a'.repeat(40) });
    write('commit-2.json', { ...two, commit: 'b'.repeat(40) });
    refuse([at('commit-1.json'), at('commit-2.json')], `cannot merge ${at('commit-1.json')} and ${at('commit-2.json')}: they were checked with different commits (${'a'.repeat(40)} and ${'b'.repeat(40)})`);
  });

  it('a report of another config', () => {
    write('config-2.json', { ...read('shard-2.json'), configHash: 'c'.repeat(64) });
    refuse([at('shard-1.json'), at('config-2.json')], `cannot merge ${at('shard-1.json')} and ${at('config-2.json')}: they were checked with different configs (configHash) (${read('shard-1.json').configHash} and ${'c'.repeat(64)})`);
  });

  it('the same cluster in two reports', () => {
    refuse([at('whole.json'), at('shard-1.json')], `cannot merge ${at('shard-1.json')} with shard reports: it is not the report of a --shard run (${at('shard-1.json')} is shard 1/2)`.replace(`${at('shard-1.json')} with`, `${at('whole.json')} with`));
    const { shard: _, ...first } = read('shard-1.json');
    write('cluster-1.json', first);
    refuse([at('whole.json'), at('cluster-1.json')], `cannot merge: cluster k3s is in both ${at('whole.json')} and ${at('cluster-1.json')}; each cluster must be checked by exactly one report`);
  });

  it('a missing shard', () => {
    refuse([at('shard-1.json')], "cannot merge: shard 2/2 is missing (a job that failed before writing its report?); every shard's report is needed");
  });

  it('no reports, or a file that is not there', () => {
    refuse([], 'merge needs the json reports to join, e.g. merge shard-1.json shard-2.json (see --help)');
    refuse([at('absent.json')], `cannot read ${at('absent.json')}: ENOENT`);
  });
});
