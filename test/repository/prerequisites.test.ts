// Issue 11: HPAs, PVCs and ServiceMonitors need a cluster service (metrics API, StorageClass, Prometheus). On main the
// config declared nothing and nothing in the render provided them: each rule found the blockers below; here they are gone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { copyFixture, REPO_ROOT, runCli } from '../helpers/cli.ts';

const RULES = ['references/hpa-metrics-source', 'references/pvc-storage-class', 'references/monitor-prometheus'];
const CLUSTERS = ['k3s', 'kind', 'staging', 'production'];
// A full check of the four clusters: slow on a loaded machine.
const FULL_RUN = 240_000;

function copyRepository(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prerequisites-repo-'));
  for (const folder of ['apps', 'clusters', 'components', 'infrastructure', 'overlays', 'policies', 'schemas']) {
    fs.cpSync(path.join(REPO_ROOT, folder), path.join(dir, folder), { recursive: true, filter: (src) => !src.endsWith('.ts') });
  }
  return dir;
}

function counts(dir: string): Record<string, number> {
  const run = runCli([...RULES.flatMap((r) => ['--rule', r]), '--format', 'json'], dir);
  expect(run.stderr).toBe('');
  const result: Record<string, number> = {};
  for (const f of JSON.parse(run.stdout).findings) result[`${f.cluster} ${f.rule}`] = (result[`${f.cluster} ${f.rule}`] ?? 0) + 1;
  return result;
}

const render = (folder: string) =>
  parseAllDocuments(execFileSync('kubectl', ['kustomize', folder], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 })).map((d) => d.toJS()).filter(Boolean);

describe('issue 11: what HPAs, PVCs and monitors need is there on every cluster', () => {
  it('every cluster declares what it provides, and the three rules find nothing', () => {
    const config = parse(fs.readFileSync(path.join(REPO_ROOT, 'policies/config.yaml'), 'utf8'));
    for (const cluster of CLUSTERS) expect(config.clusters[cluster].provides, cluster).toBeDefined();
    expect(counts(REPO_ROOT)).toEqual({});
  }, FULL_RUN);

  it('with nothing declared (main\'s state, the render alone) every blocker of issue 11 is a finding', () => {
    const dir = copyRepository();
    const file = path.join(dir, 'policies/config.yaml');
    const config = parse(fs.readFileSync(file, 'utf8'));
    for (const cluster of CLUSTERS) config.clusters[cluster].provides = {};
    fs.writeFileSync(file, JSON.stringify(config));
    // The repository's own gp3 StorageClass still serves staging and production; the kind ServiceMonitors stay left out.
    expect(counts(dir)).toEqual({
      'k3s references/hpa-metrics-source': 1, 'k3s references/pvc-storage-class': 1,
      'kind references/hpa-metrics-source': 11, 'kind references/pvc-storage-class': 6,
      'staging references/hpa-metrics-source': 16, 'staging references/monitor-prometheus': 5,
      'production references/hpa-metrics-source': 16, 'production references/monitor-prometheus': 5,
    });
  }, FULL_RUN);

  it('staging and production render a default StorageClass for their class-less PVCs', () => {
    for (const env of ['staging', 'production']) {
      const classes = render(`infrastructure/configs/${env}`).filter((o) => o.kind === 'StorageClass');
      expect(classes.map((c) => [c.metadata.name, c.metadata.annotations['storageclass.kubernetes.io/is-default-class'], c.provisioner])).toEqual([['gp3', 'true', 'ebs.csi.aws.com']]);
    }
  });

  it('kind, which has no Prometheus, receives no ServiceMonitor; staging and production keep the five', () => {
    expect(render('overlays/kind').filter((o) => o.kind === 'ServiceMonitor')).toEqual([]);
    for (const env of ['staging', 'production']) {
      const monitors = render(`overlays/${env}`).filter((o) => o.kind === 'ServiceMonitor');
      expect(monitors.map((m) => m.metadata.labels.release)).toEqual(Array(5).fill('kube-prometheus-stack'));
    }
  });

  it('a provides entry the schema does not know stops the check with its line (exit 2)', () => {
    const dir = copyFixture('engine-repo');
    fs.mkdirSync(path.join(dir, 'policies'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'policies/config.yaml'), 'clusters:\n  prod:\n    provides:\n      metricsApis: [cpu]\n');
    const run = runCli(['--rule', 'references/hpa-metrics-source'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('policy-check: policies/config.yaml:4: clusters.prod.provides.metricsApis.0 must be one of resource, custom, external');
  });
});
