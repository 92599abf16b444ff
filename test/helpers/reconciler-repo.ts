// Small repositories for the reconciler tests: one cluster folder with one Flux Kustomization or Argo CD Application,
// rendered by runCheck with the real kustomize.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCheck } from '../../tools/lib/render/run-check.ts';
import type { Finding, K8sObject, RenderedCluster, RenderedObject } from '../../tools/lib/core/types.ts';
import type { Rule } from '../../tools/lib/core/rule.ts';

export function writeRepo(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'reconciler-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** A Flux Kustomization `flux-system/app` deploying `./<folder>`, with `extra` spec lines (indented two spaces). */
export function fluxKustomization(folder: string, extra = ''): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: app
  namespace: flux-system
spec:
  interval: 10m
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./${folder}
  prune: true
${extra}`;
}

/** An Argo CD Application `argocd/app` deploying `<folder>` of this repository, with `extra` source lines (indented four) and a destination namespace. */
export function argoApplication(folder: string, extra = '', destinationNamespace = 'dest'): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: app
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/example/fleet.git
    targetRevision: main
    path: ${folder}
${extra}  destination:
    server: https://kubernetes.default.svc
${destinationNamespace ? `    namespace: ${destinationNamespace}\n` : ''}`;
}

export interface Rendered {
  cluster: RenderedCluster;
  /** Objects of the entry point the cluster folder declares (not the cluster folder's own objects). */
  objects: K8sObject[];
  findings: Finding[];
  get(kind: string, name: string): K8sObject;
}

export async function renderRepo(files: Record<string, string>, rules: Rule<any>[] = []): Promise<Rendered> {
  const root = writeRepo(files);
  try {
    const result = await runCheck({ root, rules });
    const cluster = result.clusters[0].rendered;
    const objects = cluster.objects.filter((o: RenderedObject) => !o.entryPoint.startsWith('clusters/')).map((o) => o.object);
    return {
      cluster,
      objects,
      findings: result.report.findings,
      get(kind, name) {
        const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
        if (!found) throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind} ${o.metadata.name}`).join(', ')}`);
        return found;
      },
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';

export const configMap = (name: string, namespace?: string, data = 'a: "1"') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}data:\n  ${data}\n`;

export const deployment = (name: string, namespace: string | undefined, image = 'nginx:1.27.0') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}  labels:
    app: ${name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: ${name}
          image: ${image}
`;
