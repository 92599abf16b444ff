// A small GitOps repository with four Flux clusters (k3s, kind, staging, production) over one app base,
// committed on main, for tests that run the CLI with --base on a second branch.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export const FLEET_CLUSTERS = ['k3s', 'kind', 'production', 'staging'];

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
}

const FILES: Record<string, string> = {
  'apps/web/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - service.yaml\n',
  'apps/web/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27.0
          ports:
            - name: http
              containerPort: 8080
`,
  'apps/web/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: http
`,
};

function overlay(cluster: string, replicas: number): string {
  return `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${cluster}
resources:
  - ../../apps/web
replicas:
  - name: web
    count: ${replicas}
`;
}

function sync(cluster: string): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://github.com/example/fleet
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./overlays/${cluster}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;
}

/** Writes the repository, commits it on main and checks out a branch `change` for the test's edits. */
export function createFleetRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-repo-'));
  const files: Record<string, string> = { ...FILES };
  FLEET_CLUSTERS.forEach((cluster, index) => {
    files[`overlays/${cluster}/kustomization.yaml`] = overlay(cluster, index + 1);
    files[`clusters/${cluster}/sync.yaml`] = sync(cluster);
  });
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'four clusters');
  git(dir, 'checkout', '-qb', 'change');
  return dir;
}

/** Replaces `from` by `to` in one file of the repository and commits it. */
export function commitEdit(dir: string, file: string, from: string, to: string, message = 'edit'): void {
  const full = path.join(dir, file);
  const text = fs.readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
  fs.writeFileSync(full, text.replace(from, to));
  git(dir, 'commit', '-qam', message);
}
