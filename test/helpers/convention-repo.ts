// A small repository with the real components/namespace-defaults (copied from this repository), one app that
// includes it (billing) and a new app that does not (shop), rendered as one cluster `dev`, for the component-fix tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

const kustomization = (namespace: string, resources: string[], components: string[] = []) =>
  [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    `namespace: ${namespace}`,
    'resources:',
    ...resources.map((r) => `  - ${r}`),
    ...(components.length ? ['components:', ...components.map((c) => `  - ${c}`)] : []),
    '',
  ].join('\n');

const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;

/** A Deployment every rule accepts on its own, isolated for egress by its own HTTPS policy (so it needs DNS). */
export function api(name: string, image = 'ghcr.io/example/api:1.4.2', resources = 'requests:\n              cpu: 100m\n              memory: 128Mi\n            limits:\n              cpu: 200m\n              memory: 256Mi'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app.kubernetes.io/name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: api
          image: ${image}
          readinessProbe:
            exec:
              command: ["/api", "ready"]
          livenessProbe:
            exec:
              command: ["/api", "alive"]
          resources:
            ${resources}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}-egress-https
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  policyTypes:
    - Egress
  egress:
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
      ports:
        - protocol: TCP
          port: 443
`;
}

const created: string[] = [];

/** Removes every repository conventionRepo wrote (for afterAll). */
export function removeConventionRepos(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes the repository into a new temporary folder; `overrides` replaces or adds files. */
export function conventionRepo(overrides: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convention-repo-'));
  created.push(dir);
  const files: Record<string, string> = {
    'clusters/dev/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../apps/billing\n  - ../../apps/shop\n',
    'apps/billing/kustomization.yaml': kustomization('billing', ['namespace.yaml', 'api.yaml'], ['../../components/namespace-defaults']),
    'apps/billing/namespace.yaml': namespace('billing'),
    'apps/billing/api.yaml': api('billing-api'),
    'apps/shop/kustomization.yaml': kustomization('shop', ['namespace.yaml', 'api.yaml']),
    'apps/shop/namespace.yaml': namespace('shop'),
    'apps/shop/api.yaml': api('shop-api'),
    ...overrides,
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  fs.cpSync(path.join(ROOT, 'components/namespace-defaults'), path.join(dir, 'components/namespace-defaults'), { recursive: true });
  return dir;
}
