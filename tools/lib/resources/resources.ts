// Container resources as admission leaves them (shared by the resources/* rules; not a rule itself):
// Pod defaulting copies a limit to a missing request, then the LimitRanger plugin fills missing limits from
// `default` and missing requests from `defaultRequest` of each Container-type LimitRange item.
import type { ClusterGraph, ContainerEntry, PodTemplate } from '../core/graph.ts';
import { containersOf } from '../core/graph.ts';
import type { FieldPath, K8sObject } from '../core/types.ts';
import { parseQuantity } from './quantity.ts';

export type Bound = 'requests' | 'limits';

export interface ResourceValue {
  value: unknown;
  /** Where the value comes from: written on the container, copied from its limit by Pod defaulting, or from a LimitRange. */
  source: 'container' | 'limit' | 'limitrange';
  /** The object and path where the value is written (the container, or the LimitRange item). */
  object: K8sObject;
  path: FieldPath;
}

export type ResourceList = Map<string, ResourceValue>;

export interface EffectiveResources {
  requests: ResourceList;
  limits: ResourceList;
}

export interface LimitRangeDefaults {
  default: ResourceList;
  defaultRequest: ResourceList;
}

function entries(value: unknown): [string, unknown][] {
  return value && typeof value === 'object' ? Object.entries(value as Record<string, unknown>) : [];
}

/** Container defaults of a namespace's LimitRanges, with the API's LimitRangeItem defaulting (max -> default -> defaultRequest, min -> defaultRequest). */
export function limitRangeDefaults(graph: ClusterGraph, namespace: string): LimitRangeDefaults {
  const defaults: LimitRangeDefaults = { default: new Map(), defaultRequest: new Map() };
  const ranges = [...graph.byKind('LimitRange', namespace)].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  for (const range of ranges) {
    const limits = (range as any).spec?.limits;
    if (!Array.isArray(limits)) continue;
    limits.forEach((item: any, index: number) => {
      if (item?.type !== 'Container') return;
      const itemPath: FieldPath = ['spec', 'limits', index];
      const itemDefault: ResourceList = new Map();
      const itemDefaultRequest: ResourceList = new Map();
      const at = (field: string, name: string, value: unknown): ResourceValue => ({ value, source: 'limitrange', object: range, path: [...itemPath, field, name] });
      for (const [name, value] of entries(item.default)) itemDefault.set(name, at('default', name, value));
      for (const [name, value] of entries(item.max)) if (!itemDefault.has(name)) itemDefault.set(name, at('max', name, value));
      for (const [name, value] of entries(item.defaultRequest)) itemDefaultRequest.set(name, at('defaultRequest', name, value));
      for (const [name, value] of itemDefault) if (!itemDefaultRequest.has(name)) itemDefaultRequest.set(name, value);
      for (const [name, value] of entries(item.min)) if (!itemDefaultRequest.has(name)) itemDefaultRequest.set(name, at('min', name, value));
      // An earlier LimitRange has already filled what it defines; later ones only fill what is still missing.
      for (const [name, value] of itemDefault) if (!defaults.default.has(name)) defaults.default.set(name, value);
      for (const [name, value] of itemDefaultRequest) if (!defaults.defaultRequest.has(name)) defaults.defaultRequest.set(name, value);
    });
  }
  return defaults;
}

export function effectiveResources(owner: K8sObject, entry: ContainerEntry, defaults: LimitRangeDefaults): EffectiveResources {
  const resources = entry.container.resources ?? {};
  const requests: ResourceList = new Map();
  const limits: ResourceList = new Map();
  for (const [name, value] of entries(resources.limits)) {
    limits.set(name, { value, source: 'container', object: owner, path: [...entry.path, 'resources', 'limits', name] });
  }
  for (const [name, value] of entries(resources.requests)) {
    requests.set(name, { value, source: 'container', object: owner, path: [...entry.path, 'resources', 'requests', name] });
  }
  for (const [name, limit] of limits) if (!requests.has(name)) requests.set(name, { ...limit, source: 'limit' });
  for (const [name, value] of defaults.default) if (!limits.has(name)) limits.set(name, value);
  for (const [name, value] of defaults.defaultRequest) if (!requests.has(name)) requests.set(name, value);
  return { requests, limits };
}

/** LimitRange defaults by namespace, each computed once per cluster. */
export function limitRangeDefaultsFor(graph: ClusterGraph): (namespace: string) => LimitRangeDefaults {
  const cache = new Map<string, LimitRangeDefaults>();
  return (namespace) => {
    let defaults = cache.get(namespace);
    if (!defaults) cache.set(namespace, (defaults = limitRangeDefaults(graph, namespace)));
    return defaults;
  };
}

/** Containers that admission constrains: regular and init containers (ephemeral containers take no resources). */
export function resourceContainers(template: PodTemplate): ContainerEntry[] {
  return containersOf(template).filter((e) => e.kind !== 'ephemeralContainers');
}

/** Nano-units of one resource, 0 when absent or invalid (invalid quantities are resources/requests-within-limits findings). */
export function amountOf(list: ResourceList, resource: string): bigint {
  const value = list.get(resource);
  if (!value) return 0n;
  const quantity = parseQuantity(value.value);
  return quantity.ok && quantity.nano > 0n ? quantity.nano : 0n;
}

/**
 * What the scheduler reserves for one pod (KEP-753 sidecars included): the larger of
 * (all regular containers + all restartable init containers) and, for each ordinary init container,
 * itself plus the restartable init containers started before it.
 */
export function podAmount(template: PodTemplate, defaults: LimitRangeDefaults, bound: Bound, resource: string): bigint {
  let regular = 0n;
  let sidecars = 0n;
  let initPeak = 0n;
  for (const entry of resourceContainers(template)) {
    const amount = amountOf(effectiveResources(template.owner, entry, defaults)[bound], resource);
    if (entry.kind === 'containers') regular += amount;
    else if (entry.container.restartPolicy === 'Always') sidecars += amount;
    else if (sidecars + amount > initPeak) initPeak = sidecars + amount;
  }
  const running = regular + sidecars;
  return running > initPeak ? running : initPeak;
}
