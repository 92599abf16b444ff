// One index per cluster graph of everything a reference can resolve to: rendered objects, objects
// produced by something in the render (producers.ts) and what Kubernetes creates itself. Built once
// per graph (cached) so every references/* rule does map look-ups, never scans per object.
import type { K8sObject } from '../core/types.ts';
import { ClusterGraph, isClusterScoped, type PodTemplate } from '../core/graph.ts';
import { describeObject, isKind } from '../core/identity.ts';
import { LabelIndex } from '../core/label-index.ts';

import { BUILT_IN_KEYS, helmReleaseNamespace, isBuiltIn, producedBy, runtimePodsOf, type ProducedObject, type RuntimePod } from './producers.ts';

export interface Resolved {
  /** The rendered object, when it is in the render. */
  object?: K8sObject;
  /** What makes it, when it is not rendered but produced. */
  produced?: ProducedObject;
  builtIn?: boolean;
  /** Data keys it holds (ConfigMap/Secret); undefined when not knowable. */
  keys?: Set<string>;
}

const slot = (kind: string, namespace: string | undefined) => `${kind}\u0000${namespace ?? ''}`;

function dataKeysOf(object: K8sObject): Set<string> | undefined {
  const o = object as Record<string, any>;
  if (object.kind !== 'ConfigMap' && object.kind !== 'Secret') return undefined;
  return new Set([...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {}), ...Object.keys(o.binaryData ?? {})]);
}


export class ReferenceIndex {
  readonly pods: LabelIndex<PodTemplate>;
  readonly services: LabelIndex<K8sObject>;
  /** Pods controllers start at run time (producers.ts), for selectors that are meant for them. */
  readonly runtimePods: LabelIndex<RuntimePod>;
  private readonly names = new Map<string, Map<string, Resolved>>();
  /**
   * Namespaces a Helm release installs into whose chart output is not in this render (helm missing, chart not in the
   * cache): which pods and Services it makes is unknown there, so "selects nothing" cannot be told; value: the release.
   */
  readonly unrenderedHelm = new Map<string, string>();

  constructor(readonly graph: ClusterGraph) {
    // the namespace Argo CD's CreateNamespace makes carries the release's origin too, but says nothing about its chart
    const renderedReleases = new Set(
      graph.objects
        .filter((o) => o.origin.helm && (o.object.kind !== 'Namespace' || o.origin.helm.template !== undefined))
        .map((o) => o.origin.helm!.reconciler),
    );
    for (const { object } of graph.objects) {
      const namespace = helmReleaseNamespace(object);
      if (namespace !== undefined && !renderedReleases.has(describeObject(object))) this.unrenderedHelm.set(namespace, describeObject(object));
    }
    for (const { object } of graph.objects) {
      // A custom resource that reuses a built-in kind's name (a Knative Service) is not what a reference to that kind means.
      if (!isKind(object, object.kind)) continue;
      const namespace = object.metadata.namespace ?? (isClusterScoped(object) ? undefined : 'default');
      this.add(object.kind, namespace, object.metadata.name ?? '', { object, keys: dataKeysOf(object) });
    }
    for (const { object } of graph.objects) {
      for (const produced of producedBy(object)) {
        // A rendered object wins over a produced one of the same name.
        if (!this.names.get(slot(produced.kind, produced.namespace))?.has(produced.name)) {
          this.add(produced.kind, produced.namespace, produced.name, { produced, keys: produced.keys ? new Set(produced.keys) : undefined });
        }
      }
    }
    this.pods = graph.podIndex();
    const findIssuer = (kind: string, namespace: string | undefined, name: string) => this.resolve(kind, namespace, name)?.object;
    this.runtimePods = new LabelIndex(graph.objects.flatMap(({ object }) => runtimePodsOf(object, findIssuer)), (p) => p.namespace, (p) => p.labels);
    this.services = new LabelIndex(graph.byKind('Service'), (s) => s.metadata.namespace ?? 'default', (s) => s.metadata.labels ?? {});
  }

  private add(kind: string, namespace: string | undefined, name: string, resolved: Resolved) {
    const key = slot(kind, namespace);
    const map = this.names.get(key) ?? new Map<string, Resolved>();
    if (!map.has(name)) map.set(name, resolved);
    this.names.set(key, map);
  }

  /** The object of that kind and name, rendered, produced or built in; undefined when nothing makes it. */
  resolve(kind: string, namespace: string | undefined, name: string): Resolved | undefined {
    const found = this.names.get(slot(kind, namespace))?.get(name);
    if (found) return found;
    if (isBuiltIn(kind, namespace, name)) {
      const keys = BUILT_IN_KEYS[`${kind}/${name}`];
      return { builtIn: true, keys: keys ? new Set(keys) : undefined };
    }
    return undefined;
  }

  /** Names of that kind in the namespace (rendered and produced), for "did you mean". */
  namesOf(kind: string, namespace: string | undefined): string[] {
    return [...(this.names.get(slot(kind, namespace))?.keys() ?? [])].sort();
  }
}

const cache = new WeakMap<ClusterGraph, ReferenceIndex>();

/** The graph's reference index, built on first use and shared by every rule of the run. */
export function referenceIndexOf(graph: ClusterGraph): ReferenceIndex {
  let index = cache.get(graph);
  if (!index) {
    index = new ReferenceIndex(graph);
    cache.set(graph, index);
  }
  return index;
}
