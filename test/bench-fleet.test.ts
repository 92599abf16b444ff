// The benchmark's synthetic fleet passes every rule, so the bench measures the rules' full work, not early exits.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFleet } from '../bench/fleet.ts';
import { runCli } from './helpers/cli.ts';

describe('bench/fleet.ts', () => {
  it('writes a repository of clean apps spread over Flux clusters', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fleet-test-'));
    const { appsPerCluster } = writeFleet(root, { apps: 5, clusters: 2, layout: 'per-app' });
    expect(appsPerCluster).toEqual([3, 2]);
    const run = runCli(['--format', 'json'], root);
    const report = JSON.parse(run.stdout);
    expect(report.clusters.map((c: any) => [c.name, c.objectCount])).toEqual([['c0', 27], ['c1', 18]]);
    expect(report.findings).toEqual([]);
    expect(run.code).toBe(0);
    fs.rmSync(root, { recursive: true, force: true });
  }, 120_000);
});
