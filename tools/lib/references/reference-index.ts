// One index per cluster graph of everything a reference can resolve to: rendered objects, objects
// produced by something in the render (producers.ts) and what Kubernetes creates itself. Built once
// per graph (cached) so every references/* rule does map look-ups, never scans per object.
import type { K8sObject } from '../core/types.ts';
import { ClusterGraph, isClusterScoped, type PodTemplate } from '../core/graph.ts';
import { isKind } from '../core/identity.ts';
import { matchesLabelSelector, type LabelSelector } from '../core/label-selector.ts';
import { BUILT_IN_KEYS, isBuiltIn, producedBy, runtimePodsOf, type ProducedObject, type RuntimePod } from './producers.ts';

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
const labelSlot = (namespace: string, key: string, value: string) => `${namespace}\u0000${key}\u0000${value}`;

function dataKeysOf(object: K8sObject): Set<string> | undefined {
  const o = object as Record<string, any>;
  if (object.kind !== 'ConfigMap' && object.kind !== 'Secret') return undefined;
  return new Set([...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {}), ...Object.keys(o.binaryData ?? {})]);
}

/** Label index over one kind of labelled thing (pod templates, Services) so selectors look up buckets. */
export class LabelIndex<T> {
  private readonly byNamespace = new Map<string, T[]>();
  private readonly byLabel = new Map<string, T[]>();
  private readonly valuesByKey = new Map<string, Set<string>>();

  constructor(items: Iterable<T>, namespaceOf: (t: T) => string, private readonly labelsOf: (t: T) => Record<string, string>) {
    for (const item of items) {
      const namespace = namespaceOf(item);
      push(this.byNamespace, namespace, item);
      for (const [key, value] of Object.entries(labelsOf(item) ?? {})) {
        push(this.byLabel, labelSlot(namespace, key, String(value)), item);
        const values = this.valuesByKey.get(`${namespace}\u0000${key}`) ?? new Set<string>();
        values.add(String(value));
        this.valuesByKey.set(`${namespace}\u0000${key}`, values);
      }
    }
  }

  inNamespace(namespace: string): T[] {
    return this.byNamespace.get(namespace) ?? [];
  }

  /** Items in the namespace a LabelSelector selects (an empty selector selects all of them). */
  matching(namespace: string, selector: LabelSelector | null | undefined): T[] {
    const pairs = Object.entries(selector?.matchLabels ?? {});
    let candidates = this.inNamespace(namespace);
    for (const [key, value] of pairs) {
      const bucket = this.byLabel.get(labelSlot(namespace, key, String(value))) ?? [];
      if (bucket.length < candidates.length) candidates = bucket;
    }
    return candidates.filter((t) => matchesLabelSelector(selector, this.labelsOf(t)));
  }

  /** Items matching a Service-style equality selector; an empty one selects nothing, as for Services. */
  matchingEquality(namespace: string, selector: Record<string, string> | undefined): T[] {
    if (!selector || Object.keys(selector).length === 0) return [];
    return this.matching(namespace, { matchLabels: selector });
  }

  /** Values the label key carries in the namespace, for "did you mean". */
  valuesOf(namespace: string, key: string): string[] {
    return [...(this.valuesByKey.get(`${namespace}\u0000${key}`) ?? [])].sort();
  }

  hasLabel(namespace: string, key: string, value: string): boolean {
    return this.byLabel.has(labelSlot(namespace, key, value));
  }

  namespaces(): string[] {
    return [...this.byNamespace.keys()];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class ReferenceIndex {
  readonly pods: LabelIndex<PodTemplate>;
  readonly services: LabelIndex<K8sObject>;
  /** Pods controllers start at run time (producers.ts), for selectors that are meant for them. */
  readonly runtimePods: LabelIndex<RuntimePod>;
  private readonly names = new Map<string, Map<string, Resolved>>();

  constructor(readonly graph: ClusterGraph) {
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
    this.pods = new LabelIndex(graph.podTemplates, (t) => t.namespace, (t) => t.labels);
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
