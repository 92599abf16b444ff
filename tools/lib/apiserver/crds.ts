// The CustomResourceDefinitions a cluster's custom resources need: the ones rendered in the cluster, else the CRD
// schemas the strict schema rules use (schemas/crds/*.json, from the upstream CRDs at the pinned tags).
import type { K8sObject } from '../core/types.ts';
import type { CrdBundle } from '../schema/crd-catalog.ts';

/** English plural as Kubernetes resource names write it: policies, prometheuses, ingresses, certificates. */
export function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}

/** Kubernetes' own version priority (kube-aggregator's): GA, then beta, then alpha, higher numbers first. */
export function versionPriority(version: string): number[] {
  const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!match) return [0, 0, 0];
  const stage = match[2] === undefined ? 3 : match[2] === 'beta' ? 2 : 1;
  return [stage, Number(match[1]), Number(match[3] ?? 0)];
}

const compareVersions = (a: string, b: string) => {
  const [x, y] = [versionPriority(a), versionPriority(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return y[i] - x[i];
  return 0;
};

const ANY_OBJECT = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

/**
 * A CRD object for one bundled definition. Bundles keep group, kind, scope and each version's schema (descriptions
 * and CEL rules dropped, so those rules are not checked here); the storage version is the highest-priority served
 * version. The plural is derived from the kind: objects name only apiVersion and kind, so it never shows.
 */
export function crdFromBundle(crd: CrdBundle['crds'][number]): K8sObject {
  const plural = pluralOf(crd.kind);
  const served = crd.versions.filter((v) => v.served).map((v) => v.name).sort(compareVersions);
  const storage = served[0] ?? [...crd.versions.map((v) => v.name)].sort(compareVersions)[0];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${crd.group}` },
    spec: {
      group: crd.group,
      scope: crd.scope,
      names: { kind: crd.kind, listKind: `${crd.kind}List`, plural, singular: crd.kind.toLowerCase() },
      versions: crd.versions.map((v) => ({
        name: v.name,
        served: v.served,
        storage: v.name === storage,
        schema: { openAPIV3Schema: v.schema && typeof v.schema === 'object' ? v.schema : ANY_OBJECT },
      })),
    },
  } as K8sObject;
}

const groupKind = (group: string, kind: string) => `${kind}.${group}`;

/**
 * The CRDs to install for a set of clusters: every rendered apiextensions.k8s.io/v1 CRD, then a bundled one for each
 * group and kind no rendered CRD defines and some object uses. Ordered by name, so runs repeat.
 */
export function crdsToInstall(rendered: K8sObject[], bundles: CrdBundle[], used: K8sObject[]): { object: K8sObject; from: string }[] {
  const out: { object: K8sObject; from: string }[] = [];
  const defined = new Set<string>();
  const names = new Set<string>();
  for (const object of rendered) {
    if (object.kind !== 'CustomResourceDefinition' || object.apiVersion !== 'apiextensions.k8s.io/v1') continue;
    const spec = (object as any).spec;
    if (typeof spec?.group !== 'string' || typeof spec?.names?.kind !== 'string') continue;
    const name = String(object.metadata.name ?? '');
    if (names.has(name)) continue;
    names.add(name);
    defined.add(groupKind(spec.group, spec.names.kind));
    out.push({ object, from: 'rendered' });
  }
  const usedKinds = new Set(used.map((o) => groupKind(typeof o.apiVersion === 'string' && o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '', String(o.kind))));
  for (const bundle of bundles) {
    for (const crd of bundle.crds) {
      const key = groupKind(crd.group, crd.kind);
      if (defined.has(key) || !usedKinds.has(key)) continue;
      defined.add(key);
      out.push({ object: crdFromBundle(crd), from: `${bundle.name} ${bundle.source.tag}` });
    }
  }
  return out.sort((a, b) => String(a.object.metadata.name).localeCompare(String(b.object.metadata.name)));
}
