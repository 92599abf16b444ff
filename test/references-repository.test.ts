import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { copyFixture, REPO_ROOT, runCli } from './helpers/cli.ts';
import { runRule } from '../tools/lib/core/rule-tester.ts';
import externalSecret from '../policies/references-external-secret.ts';

const STORE = 'infrastructure/configs/dev-secret-store/cluster-secret-store.yaml';
const EXTERNAL_SECRETS = ['apps/a4co/external-secrets.yaml', 'apps/orchestrator-system/orchestrator-secrets.yaml', 'apps/swe-ai-fleet/neo4j-auth.yaml'];

/** The repository's ExternalSecrets, each given its app's namespace as kustomize would, after the development store. */
function repositoryYaml(store: string): string {
  const namespaced = EXTERNAL_SECRETS.map((file) => {
    const namespace = file.split('/')[1];
    return fs.readFileSync(path.join(REPO_ROOT, file), 'utf8').replace(/^metadata:\n/gm, `metadata:\n  namespace: ${namespace}\n`);
  });
  return [store, ...namespaced].join('\n---\n');
}

describe('issue 11: Secrets materialise on k3s and kind', () => {
  const store = fs.readFileSync(path.join(REPO_ROOT, STORE), 'utf8');

  it('the development ClusterSecretStore serves every property the ExternalSecrets read', () => {
    expect(runRule(externalSecret, { name: 'repo', yaml: repositoryYaml(store) })).toEqual([]);
  });

  it('the store as it was on main (valueMap entries) fails every property read', () => {
    // Rewrite each `value: '<json>'` back into the `valueMap:` shape main had.
    const asValueMap = store.replace(/^( +)value: '(.*)'$/gm, (_all, indent: string, json: string) =>
      `${indent}valueMap:\n` + Object.entries(JSON.parse(json) as Record<string, string>).map(([k, v]) => `${indent}  ${k}: ${v}`).join('\n'));
    expect(parse(asValueMap).spec.provider.fake.data.every((d: any) => d.valueMap && d.value === undefined)).toBe(true);
    const findings = runRule(externalSecret, { name: 'main', yaml: repositoryYaml(asValueMap) });
    const reads = EXTERNAL_SECRETS.flatMap((f) => fs.readFileSync(path.join(REPO_ROOT, f), 'utf8').match(/property: /g) ?? []);
    expect(findings).toHaveLength(reads.length);
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(findings.length);
    expect(findings.every((f) => f.message.includes('only as a valueMap, which it never reads for a property'))).toBe(true);
  });
});

describe('references rules through the CLI', () => {
  it('on this repository no references rule finds anything, waived or not (the hodei worker pods have their PodTemplate)', () => {
    const run = runCli(['--format', 'json'], REPO_ROOT);
    const report = JSON.parse(run.stdout);
    expect(report.findings.filter((f: any) => f.rule.startsWith('references/')).map((f: any) => `${f.cluster} ${f.rule} ${f.object?.name}`)).toEqual([]);
  });

  it('reports a Secret nothing produces at its file:line, with the ExternalSecret-made Secret as the suggestion, and exits 1', () => {
    const dir = copyFixture('engine-repo');
    const deployment = path.join(dir, 'apps/api/deployment.yaml');
    const text = fs.readFileSync(deployment, 'utf8');
    const withEnvFrom = text.replace(/^(\s+)image: (.*)$/m, (_all, indent: string, image: string) => `${indent}image: ${image}\n${indent}envFrom:\n${indent}  - secretRef:\n${indent}      name: api-credential`);
    expect(withEnvFrom).not.toBe(text);
    fs.writeFileSync(deployment, withEnvFrom + `---
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: api-credentials
spec:
  secretStoreRef: { kind: ClusterSecretStore, name: vault }
  target: { name: api-credentials }
  data: [{ secretKey: TOKEN, remoteRef: { key: api/token } }]
`);
    const run = runCli(['--rule', 'references/workload-refs', '--format', 'json'], dir);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    const findings = report.findings.filter((f: any) => f.rule === 'references/workload-refs');
    const line = withEnvFrom.split('\n').findIndex((l) => l.includes('name: api-credential')) + 1;
    const message = 'envFrom of container "api" in Deployment api/api needs Secret "api-credential", which does not exist in namespace api and nothing in the render produces: the pod cannot start; did you mean "api-credentials"?';
    // The Argo CD cluster argo-prod deploys apps/api (the fixture's Flux cluster is checked as plain YAML).
    expect(findings.filter((f: any) => f.cluster === 'argo-prod').map((f: any) => [f.location?.file, f.location?.line, f.message])).toEqual([
      ['apps/api/deployment.yaml', line, message],
    ]);
  });
});
