// Issue 19's reproducers, each checked as a PATH through the CLI: a malformed object is one located finding
// (exit 1), never "internal error" (exit 2), and the healthy objects beside it are still checked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../tools/lib/core/types.ts';
import { runCli } from './helpers/cli.ts';
import { bareDeployment } from './helpers/manifests.ts';

function repoWith(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'malformed-'));
  fs.mkdirSync(path.join(root, '.git'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** Runs the CLI on `paths` with json output; returns exit code, stderr and the findings as `file:line rule message`. */
function check(root: string, paths: string[], rule: string) {
  const run = runCli([...paths, '--rule', rule, '--format', 'json'], root);
  const report = run.stdout ? (JSON.parse(run.stdout) as Report) : undefined;
  const findings = (report?.findings ?? []).map((f) => `${f.location?.file}:${f.location?.line} ${f.rule} ${f.message}`);
  return { code: run.code, stderr: run.stderr, findings };
}

const healthyNeighbour = { 'good/web.yaml': bareDeployment('web', 'web', 'nginx:latest') };
const PINNED_TAG_FINDING = 'good/web.yaml:10 images/pinned-tag container "web" of Deployment default/web uses the floating tag "latest" in "nginx:latest"';
const REJECTED = 'the API server would reject it, and no other rule checks it until it is fixed';

const configMapWithout = (apiVersionLine: string) => `${apiVersionLine}kind: ConfigMap
metadata:
  name: settings
data:
  LOG_LEVEL: info
`;

describe('malformed objects through the CLI (issue 19 reproducers)', () => {
  it('a ConfigMap with no apiVersion is one finding at its file, and the other PATH is still checked', () => {
    const root = repoWith({ 'bad/settings.yaml': configMapWithout(''), ...healthyNeighbour });
    const { code, stderr, findings } = check(root, ['bad/settings.yaml', 'good/web.yaml'], 'images/pinned-tag');
    expect(stderr).not.toContain('internal error');
    expect(code).toBe(1);
    expect(findings).toEqual([`bad/settings.yaml:1 render/malformed-object ConfigMap settings is malformed: apiVersion is missing; ${REJECTED}`, PINNED_TAG_FINDING]);
  });

  it('apiVersion: 1 (a number) on a ConfigMap', () => {
    const root = repoWith({ 'bad/settings.yaml': configMapWithout('apiVersion: 1\n'), ...healthyNeighbour });
    const { code, stderr, findings } = check(root, ['bad/settings.yaml', 'good/web.yaml'], 'images/pinned-tag');
    expect(stderr).not.toContain('internal error');
    expect(code).toBe(1);
    expect(findings).toEqual([
      `bad/settings.yaml:1 render/malformed-object ConfigMap settings is malformed: apiVersion is the number 1, expected a non-empty string; ${REJECTED}`,
      PINNED_TAG_FINDING,
    ]);
  });

  it('apiVersion: 1 (a number) on a NetworkPolicy', () => {
    const policy = 'apiVersion: 1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: shop\nspec:\n  podSelector: {}\n';
    const root = repoWith({ 'bad/deny.yaml': policy, ...healthyNeighbour });
    const { code, stderr, findings } = check(root, ['bad/deny.yaml', 'good/web.yaml'], 'images/pinned-tag');
    expect(stderr).not.toContain('internal error');
    expect(code).toBe(1);
    expect(findings).toEqual([
      `bad/deny.yaml:1 render/malformed-object NetworkPolicy shop/deny is malformed: apiVersion is the number 1, expected a non-empty string; ${REJECTED}`,
      PINNED_TAG_FINDING,
    ]);
  });

  it('an env entry without a name and a malformed StatefulSet and NetworkPolicy beside it: network/dependency-allowed keeps its verdict on the rest', () => {
    const root = repoWith({ 'bad/shop.yaml': fs.readFileSync(path.join(import.meta.dirname, 'fixtures/malformed/dependency-beside-malformed.yaml'), 'utf8') });
    const { code, stderr, findings } = check(root, ['bad/shop.yaml'], 'network/dependency-allowed');
    expect(stderr).not.toContain('internal error');
    expect(code).toBe(1);
    const isolated = 'is not allowed (isolated by default/default-deny and no rule admits it)';
    expect(findings).toEqual([
      `bad/shop.yaml:33 render/malformed-object Deployment web is malformed: spec.template.spec.containers[0].env[0].name is missing; ${REJECTED}`,
      `bad/shop.yaml:83 render/malformed-object StatefulSet cache is malformed: spec.template.spec.containers is a map, expected a list; ${REJECTED}`,
      `bad/shop.yaml:106 render/malformed-object NetworkPolicy db-ingress is malformed: spec.ingress[0].from[0].podSelector.matchExpressions is a map, expected a list; ${REJECTED}`,
      'bad/shop.yaml:51 network/dependency-allowed Deployment default/api depends on Service default/db port 5432/TCP ("db:5432" via configMapKeyRef) ' +
        'but NetworkPolicies block it (missing egress and ingress): ' +
        `egress at the source to StatefulSet default/db port 5432/TCP ${isolated}; ingress at the destination StatefulSet default/db port 5432/TCP ${isolated}`,
    ]);
  });

  it('a number as a label value is named at its line (kustomize itself quotes the ConfigMap value 8080)', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels:\n    app: 5\ndata:\n  PORT: 8080\n';
    const root = repoWith({ 'bad/odd.yaml': text, ...healthyNeighbour });
    const { code, stderr, findings } = check(root, ['bad/odd.yaml', 'good/web.yaml'], 'images/pinned-tag');
    expect(stderr).not.toContain('internal error');
    expect(code).toBe(1);
    expect(findings).toEqual([
      `bad/odd.yaml:6 render/malformed-object ConfigMap settings is malformed: metadata.labels.app is the number 5, expected a string; ${REJECTED}`,
      PINNED_TAG_FINDING,
    ]);
  });
});
