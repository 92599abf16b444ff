import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/schema-namespace-admission.ts';

const namespace = (name: string, labels: string[] = []) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
${labels.length ? `  labels:\n${labels.map((l) => `    ${l}\n`).join('')}` : ''}---
`;

const configMap = (namespace: string, marker = '') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  ${marker}namespace: ${namespace}
data: { mode: fast }
---
`;

const NOT_FOUND = (ns: string, kind: string, provided = 'default, kube-system, kube-public, kube-node-lease') =>
  `namespace "${ns}" is not rendered in this cluster and is not one the cluster has by itself (${provided}): the API server refuses the ${kind} with namespaces "${ns}" not found`;
const VERSION = (label: string, value: string) =>
  `metadata.labels["${label}"] is refused by Pod Security admission when the Namespace is created: Invalid value: "${value}": must be "latest" or "v1.x"; every object in the namespace then fails too`;

ruleTester(rule, {
  valid: [
    { name: 'an object in a namespace the cluster renders', yaml: namespace('shop') + configMap('shop') },
    { name: 'objects in the namespaces every cluster has', yaml: ['default', 'kube-system', 'kube-public', 'kube-node-lease'].map((ns) => configMap(ns)).join('') },
    { name: 'a namespace the config declares as provided', options: { providedNamespaces: ['monitoring'] }, yaml: configMap('monitoring') },
    {
      name: "the namespaces of Flux's bootstrap and of Argo CD's Applications, which their installers create",
      yaml: `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: flux-system, namespace: flux-system }
spec: { interval: 1m, url: https://github.com/gitops-fleet/gitops-fleet.git }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps, namespace: flux-system }
spec: { interval: 10m, path: ./apps, prune: true, sourceRef: { kind: GitRepository, name: flux-system } }
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: apps, namespace: argocd }
spec:
  project: default
  source: { repoURL: https://github.com/gitops-fleet/gitops-fleet.git, path: apps }
  destination: { server: https://kubernetes.default.svc, namespace: shop }
`,
    },
    {
      name: 'a cluster-scoped custom resource written with a namespace',
      yaml: `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: clusterissuers.cert-manager.io }
spec:
  group: cert-manager.io
  names: { kind: ClusterIssuer, plural: clusterissuers }
  scope: Cluster
  versions: [{ name: v1, served: true, storage: true }]
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: { name: letsencrypt, namespace: nowhere }
spec: { selfSigned: {} }
`,
    },
    {
      name: 'Pod Security versions latest, v1.33 and v1.0',
      yaml: namespace('shop', ['pod-security.kubernetes.io/enforce-version: latest', 'pod-security.kubernetes.io/audit-version: v1.33', 'pod-security.kubernetes.io/warn-version: v1.0']),
    },
  ],
  invalid: [
    {
      name: 'an object in a namespace nothing renders',
      yaml: namespace('shop') + configMap('shpo', '⟦1⟧'),
      findings: [{ at: '1', object: 'ConfigMap shpo/settings', path: 'metadata.namespace', message: NOT_FOUND('shpo', 'ConfigMap') }],
    },
    {
      name: 'the provided namespaces are named in the message',
      options: { providedNamespaces: ['flux-system'] },
      yaml: configMap('argocd', '⟦1⟧'),
      findings: [{ at: '1', object: 'ConfigMap argocd/settings', path: 'metadata.namespace', message: NOT_FOUND('argocd', 'ConfigMap', 'default, kube-system, kube-public, kube-node-lease, flux-system') }],
    },
    {
      name: 'a Flux Kustomization of a tenant namespace that nothing renders (only the bootstrap namespace is known)',
      yaml: `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: team-a
  ⟦1⟧namespace: tenants
spec: { interval: 10m, path: ./tenants/team-a, prune: true, sourceRef: { kind: GitRepository, name: flux-system } }
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: flux-system, namespace: flux-system }
spec: { interval: 1m, url: https://github.com/gitops-fleet/gitops-fleet.git }
`,
      findings: [{ at: '1', object: 'Kustomization tenants/team-a', path: 'metadata.namespace', message: NOT_FOUND('tenants', 'Kustomization', 'default, kube-system, kube-public, kube-node-lease, flux-system') }],
    },
    ...['v1.33.0', '1.33', 'Latest', 'v1.037'].map((value, i) => {
      const label = `pod-security.kubernetes.io/${['enforce', 'audit', 'warn', 'enforce'][i]}-version`;
      return {
        name: `Pod Security version label ${value}`,
        yaml: namespace('shop', [`⟦1⟧${label}: "${value}"`]),
        findings: [{ at: '1', object: 'Namespace shop', path: `metadata.labels["${label}"]`, message: VERSION(label, value) }],
      };
    }),
    {
      name: 'a Pod Security level that is not a level, on a namespace without pods',
      yaml: namespace('empty', ['⟦1⟧pod-security.kubernetes.io/warn: Restricted']),
      findings: [
        {
          at: '1',
          object: 'Namespace empty',
          path: 'metadata.labels["pod-security.kubernetes.io/warn"]',
          message: 'metadata.labels["pod-security.kubernetes.io/warn"] is refused by Pod Security admission when the Namespace is created: Invalid value: "Restricted": must be one of privileged, baseline, restricted',
        },
      ],
    },
    {
      name: 'a bad level where pods run is left to security/namespace-pss-label; the bad version is still reported',
      yaml:
        namespace('shop', ['pod-security.kubernetes.io/enforce: strict', '⟦1⟧pod-security.kubernetes.io/enforce-version: v1.33.0']) +
        'apiVersion: v1\nkind: Pod\nmetadata: { name: web, namespace: shop }\nspec:\n  containers: [{ name: web, image: nginx:1.27 }]\n',
      findings: [{ at: '1', object: 'Namespace shop', path: 'metadata.labels["pod-security.kubernetes.io/enforce-version"]', message: VERSION('pod-security.kubernetes.io/enforce-version', 'v1.33.0') }],
    },
  ],
});
