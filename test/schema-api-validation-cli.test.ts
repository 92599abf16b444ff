// What a user sees from the API validation rules through the real CLI and the real kustomize: findings at the
// line of the base or of the overlay patch that wrote the value, exit 1; a bad rule option is exit 2 in one line.
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { writeTempRepo } from './helpers/temp-repo.ts';

const repoWith = (files: Record<string, string>) => writeTempRepo(files, 'api-validation-');

const base = {
  'base/kustomization.yaml': 'resources: [namespace.yaml, service.yaml, deployment.yaml]\n',
  'base/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/enforce-version: v1.33.0\n',
  'base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: { app: web }\n  ports:\n    - name: http\n      port: 70000\n      targetPort: http\n',
  'base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{ name: http, containerPort: 8080 }]
`,
  'overlay/kustomization.yaml': 'resources: [../base]\npatches:\n  - path: rollout.yaml\n',
  'overlay/rollout.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 0\n',
};

const RULES = ['--rule', 'schema/api-fields', '--rule', 'schema/namespace-admission'];

describe('API validation rules on the command line', () => {
  it('prints each refused field at the line that wrote it, the overlay patch included, and exits 1', () => {
    const run = runCli(['overlay', ...RULES], repoWith(base));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').map((l) => l.trimEnd())).toEqual([
      'cluster overlay (path; 1 entry point, 3 objects)',
      '  base/namespace.yaml',
      '    7:5      error    schema/namespace-admission       metadata.labels["pod-security.kubernetes.io/enforce-version"] is refused by Pod Security admission when the Namespace is created: Invalid value: "v1.33.0": must be "latest" or "v1.x"; every object in the namespace then fails too',
      '                      Namespace shop metadata.labels["pod-security.kubernetes.io/enforce-version"]',
      '  base/service.yaml',
      '    10:7     error    schema/api-fields                spec.ports[0].port is refused by the API server: Invalid value: 70000: must be between 1 and 65535, inclusive',
      '                      Service shop/web spec.ports[0].port',
      '  overlay/rollout.yaml',
      '    10:7     error    schema/api-fields                spec.strategy.rollingUpdate.maxUnavailable is refused by the API server: Invalid value: 0: may not be 0 when `maxSurge` is 0',
      '                      Deployment shop/web spec.strategy.rollingUpdate.maxUnavailable',
      '',
      '✖ 3 errors, 0 warnings in 1 cluster',
      '',
    ]);
  });

  it('a providedNamespaces option that is not a list is a configuration error, exit 2', () => {
    const config = 'rules:\n  schema/namespace-admission:\n    options: { providedNamespaces: argocd }\n';
    const run = runCli(['overlay', ...RULES], repoWith({ ...base, 'policies/config.yaml': config }));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('policy-check: policies/config.yaml:3: options of schema/namespace-admission: providedNamespaces must be array\n');
  });
});
