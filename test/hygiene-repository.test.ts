// The issue 14 rules on this repository itself, rendered by the real kustomize: clean as committed, and each rule
// catches the mistake it exists for at the line of the real manifest (seed 002's probes, seed 003's token).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './helpers/cli.ts';

const RULES = [
  'probes/required', 'probes/distinct-liveness', 'rbac/no-wildcards', 'rbac/sensitive-permissions', 'rbac/service-account-token',
  'security/secret-literal', 'security/runtime-socket', 'workloads/duplicate-env', 'workloads/job-cleanup', 'workloads/replica-spread',
];

function copyRepository(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hygiene-repo-'));
  for (const folder of ['apps', 'clusters', 'components', 'infrastructure', 'overlays', 'policies', 'schemas']) {
    fs.cpSync(path.join(REPO_ROOT, folder), path.join(dir, folder), { recursive: true, filter: (src) => !src.endsWith('.ts') });
  }
  return dir;
}

function edit(dir: string, file: string, from: string, to: string): number {
  const absolute = path.join(dir, file);
  const text = fs.readFileSync(absolute, 'utf8');
  expect(text, `${file} contains the text to change`).toContain(from);
  fs.writeFileSync(absolute, text.replace(from, to));
  return text.slice(0, text.indexOf(from)).split('\n').length;
}

function findings(dir: string, cluster: string): string[] {
  const run = runCli([...RULES.flatMap((r) => ['--rule', r]), '--cluster', cluster, '--format', 'json'], dir);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout).findings.map((f: any) => `${f.rule} ${f.location?.file}:${f.location?.line} ${f.message}`);
}

describe('issue 14 rules on this repository', () => {
  it('the committed repository is clean on every cluster', () => {
    const dir = copyRepository();
    // one run checks the four clusters in parallel: four runs took longer than a minute on a loaded machine
    const run = runCli([...RULES.flatMap((r) => ['--rule', r]), '--format', 'json'], dir);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    expect(report.clusters.map((c: any) => c.name)).toEqual(['k3s', 'kind', 'production', 'staging']);
    expect(report.findings.map((f: any) => `${f.cluster} ${f.rule} ${f.location?.file}:${f.location?.line} ${f.message}`)).toEqual([]);
  }, 180_000);

  it('catches a dropped Ollama readiness probe, a token mounted again, an unbounded Job and an unspread Deployment', () => {
    const dir = copyRepository();
    const ollama = edit(dir, 'apps/llm-services/ollama.yaml', `          readinessProbe:
            httpGet:
              path: /api/tags
              port: http
            periodSeconds: 10
`, '');
    const containerLine = fs.readFileSync(path.join(dir, 'apps/llm-services/ollama.yaml'), 'utf8').split('\n').indexOf('        - name: ollama') + 1;
    const langchain = edit(dir, 'apps/llm-services/langchain-api.yaml', '      automountServiceAccountToken: false\n', '');
    const job = edit(dir, 'apps/llm-services/model-download-job.yaml', '  backoffLimit: 10\n', '');
    const spread = edit(dir, 'apps/llm-services/langchain-api.yaml', '      topologySpreadConstraints:', '      topologySpreadConstraintz:');
    expect(ollama).toBeGreaterThan(containerLine);
    const langchainLines = fs.readFileSync(path.join(dir, 'apps/llm-services/langchain-api.yaml'), 'utf8').split('\n');
    const podSpecLine = langchainLines.indexOf('    spec:', langchainLines.indexOf('  template:')) + 1;
    expect(podSpecLine).toBeLessThan(langchain);
    expect(findings(dir, 'k3s').sort()).toEqual([
      `probes/required apps/llm-services/ollama.yaml:${containerLine} container "ollama" of StatefulSet llm-services/ollama has no readinessProbe`,
      `rbac/service-account-token apps/llm-services/langchain-api.yaml:${podSpecLine} Deployment llm-services/langchain-api mounts the API token of ServiceAccount llm-services/default, which no RoleBinding or ClusterRoleBinding in this cluster grants a role; set automountServiceAccountToken: false on the pod or the ServiceAccount`,
      `workloads/job-cleanup apps/llm-services/model-download-job.yaml:${job - 1} Job llm-services/model-download does not set backoffLimit; a failing Job is retried 6 times by default`,
      `workloads/replica-spread apps/llm-services/langchain-api.yaml:${podSpecLine} Deployment llm-services/langchain-api can run 4 replicas (HorizontalPodAutoscaler llm-services/langchain-api maxReplicas) but no topologySpreadConstraints or podAntiAffinity term selects its own pods; they may all land on one node`,
    ].sort());
    expect(spread).toBeGreaterThan(0);
  });
});
