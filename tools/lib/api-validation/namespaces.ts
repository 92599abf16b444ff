// What the API server's namespace admission refuses before any object is stored: an object in a namespace that does
// not exist (NamespaceLifecycle: `namespaces "x" not found`), and a Namespace whose Pod Security labels do not parse
// (PodSecurity admission refuses to create it: api.PolicyToEvaluate of k8s.io/pod-security-admission v0.33).
import type { ClusterGraph } from '../core/graph.ts';
import { isClusterScoped } from '../core/graph.ts';
import { formatPath } from '../core/yaml-source.ts';
import { apiGroupOf } from '../core/identity.ts';
import { fieldValue, isMap } from './values.ts';
import type { ApiProblem } from './problem.ts';

/** Namespaces every cluster has before anything is applied. */
export const BUILTIN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function crdScopes(graph: ClusterGraph): Map<string, string> {
  const scopes = new Map<string, string>();
  for (const crd of graph.byKind('CustomResourceDefinition')) {
    const spec = (crd as any).spec;
    if (isMap(spec) && typeof spec.scope === "string") scopes.set(`${(spec.names as any)?.kind}.${spec.group}`, spec.scope);
  }
  return scopes;
}

/**
 * Namespaces the reconciler's own installation creates: `flux bootstrap` (and `flux install`) creates the namespace of
 * the GitRepository / Kustomization named flux-system that it writes; the Argo CD installer creates the namespace its
 * Applications, ApplicationSets and AppProjects live in (Argo CD only reads them from its own namespace by default).
 */
export function reconcilerNamespaces(graph: ClusterGraph): string[] {
  const namespaces = new Set<string>();
  for (const object of graph.all()) {
    const group = apiGroupOf(object);
    const namespace = object.metadata?.namespace;
    if (typeof namespace !== 'string') continue;
    const fluxBootstrap = (group === 'source.toolkit.fluxcd.io' || group === 'kustomize.toolkit.fluxcd.io') && object.metadata.name === 'flux-system';
    const argo = group === 'argoproj.io' && ['Application', 'ApplicationSet', 'AppProject'].includes(object.kind);
    if (fluxBootstrap || argo) namespaces.add(namespace);
  }
  return [...namespaces].sort();
}

export function missingNamespaceProblems(graph: ClusterGraph, provided: readonly string[]): ApiProblem[] {
  const known = [...new Set([...BUILTIN_NAMESPACES, ...reconcilerNamespaces(graph), ...provided])];
  const exists = new Set(known);
  for (const namespace of graph.byKind('Namespace')) if (typeof namespace.metadata.name === 'string') exists.add(namespace.metadata.name);
  const scopes = crdScopes(graph);
  const problems: ApiProblem[] = [];
  for (const object of graph.all()) {
    const namespace: unknown = object.metadata?.namespace;
    if (typeof namespace !== 'string' || namespace === '' || exists.has(namespace) || isClusterScoped(object, scopes)) continue;
    problems.push({ object, path: ['metadata', 'namespace'], messageId: 'namespaceNotFound', data: { namespace, kind: object.kind, provided: known.join(', ') } });
  }
  return problems;
}

export const PSS_LEVEL_LABELS = ['enforce', 'audit', 'warn'].map((mode) => `pod-security.kubernetes.io/${mode}`);
export const PSS_VERSION_LABELS = PSS_LEVEL_LABELS.map((label) => `${label}-version`);
const LEVELS = ['privileged', 'baseline', 'restricted'];
// versionRegexp of pod-security-admission/api: "latest" or v1.<minor> without leading zeros
const VERSION = /^v1\.([0-9]|[1-9][0-9]*)$/;

/** Level labels are checked here only where security/namespace-pss-label does not (namespaces without pods). */
export function podSecurityLabelProblems(graph: ClusterGraph): ApiProblem[] {
  const withPods = new Set(graph.namespacesWithPods());
  const problems: ApiProblem[] = [];
  for (const namespace of graph.byKind('Namespace')) {
    const labels = namespace.metadata.labels;
    if (!isMap(labels)) continue;
    const report = (label: string, value: string, messageId: string) => {
      const path = ['metadata', 'labels', label];
      problems.push({ object: namespace, path, messageId, data: { field: formatPath(path), value: fieldValue(value) }, key: label });
    };
    for (const label of PSS_VERSION_LABELS) {
      const value = labels[label];
      if (typeof value === 'string' && value !== 'latest' && !VERSION.test(value)) report(label, value, 'podSecurityVersion');
    }
    if (withPods.has(namespace.metadata.name ?? '')) continue;
    for (const label of PSS_LEVEL_LABELS) {
      const value = labels[label];
      if (typeof value === 'string' && !LEVELS.includes(value)) report(label, value, 'podSecurityLevel');
    }
  }
  return problems;
}
