// What a cluster offers the objects that need a cluster service to work (HPAs a metrics API, PVCs a StorageClass,
// monitors a Prometheus): the config's `provides` for what the distribution or platform installs, plus what the render holds.
import type { ClusterGraph } from '../core/graph.ts';
import { apiGroupOf } from '../core/graph.ts';
import { describeRef, refOf } from '../core/identity.ts';
import type { LabelSelector } from '../core/label-selector.ts';
import type { ClusterSettings, K8sObject } from '../core/types.ts';

export type MetricsApi = 'resource' | 'custom' | 'external';

/** The API group an HPA metric type is read from, and who usually serves it. */
export const METRICS_API_GROUPS: Record<MetricsApi, { group: string; servedBy: string }> = {
  resource: { group: 'metrics.k8s.io', servedBy: 'metrics-server' },
  custom: { group: 'custom.metrics.k8s.io', servedBy: 'an adapter such as prometheus-adapter' },
  external: { group: 'external.metrics.k8s.io', servedBy: 'an adapter such as KEDA or prometheus-adapter' },
};

/** Where a capability comes from, for messages: the config, or a rendered object. */
export interface Provenance {
  text: string;
  object?: K8sObject;
}

export interface PrometheusServer {
  namespace: string;
  name: string;
  serviceMonitorSelector?: LabelSelector | null;
  serviceMonitorNamespaceSelector?: LabelSelector | null;
  podMonitorSelector?: LabelSelector | null;
  podMonitorNamespaceSelector?: LabelSelector | null;
  from: Provenance;
}

export interface ClusterCapabilities {
  metricsApis: Map<MetricsApi, Provenance>;
  storageClasses: Map<string, Provenance>;
  defaultStorageClass?: { name: string; from: Provenance };
  prometheuses: PrometheusServer[];
}

const DECLARED = (cluster: string, key: string): Provenance => ({ text: `policies/config.yaml clusters.${cluster}.provides.${key}` });
const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

/** The cluster's capabilities, or undefined when the config declares no `provides` for it (then nothing is judged). */
export function capabilitiesOf(graph: ClusterGraph, cluster: ClusterSettings): ClusterCapabilities | undefined {
  const provides = cluster.provides;
  if (!provides) return undefined;
  const capabilities: ClusterCapabilities = { metricsApis: new Map(), storageClasses: new Map(), prometheuses: [] };
  for (const api of provides.metricsApis ?? []) capabilities.metricsApis.set(api, DECLARED(cluster.name, 'metricsApis'));
  for (const service of graph.byKind('APIService')) {
    if (apiGroupOf(service) !== 'apiregistration.k8s.io') continue;
    const group = (service as any).spec?.group;
    for (const [api, served] of Object.entries(METRICS_API_GROUPS) as [MetricsApi, { group: string }][]) {
      if (group === served.group && !capabilities.metricsApis.has(api)) capabilities.metricsApis.set(api, { text: describeRef(refOf(service)), object: service });
    }
  }
  for (const name of provides.storageClasses ?? []) capabilities.storageClasses.set(name, DECLARED(cluster.name, 'storageClasses'));
  if (provides.defaultStorageClass) {
    capabilities.defaultStorageClass = { name: provides.defaultStorageClass, from: DECLARED(cluster.name, 'defaultStorageClass') };
    if (!capabilities.storageClasses.has(provides.defaultStorageClass)) capabilities.storageClasses.set(provides.defaultStorageClass, DECLARED(cluster.name, 'defaultStorageClass'));
  }
  for (const storageClass of graph.byKind('StorageClass')) {
    if (apiGroupOf(storageClass) !== 'storage.k8s.io') continue;
    const name = storageClass.metadata.name;
    if (typeof name !== 'string') continue;
    const from = { text: describeRef(refOf(storageClass)), object: storageClass };
    capabilities.storageClasses.set(name, from);
    const annotations = storageClass.metadata.annotations ?? {};
    if (DEFAULT_CLASS_ANNOTATIONS.some((a) => annotations[a] === 'true')) capabilities.defaultStorageClass = { name, from };
  }
  for (const declared of provides.prometheus ?? []) {
    capabilities.prometheuses.push({ ...(declared as Omit<PrometheusServer, 'from'>), from: DECLARED(cluster.name, 'prometheus') });
  }
  for (const prometheus of graph.byKind('Prometheus')) {
    if (apiGroupOf(prometheus) !== 'monitoring.coreos.com' || typeof prometheus.metadata.name !== 'string') continue;
    const spec = (prometheus as any).spec ?? {};
    capabilities.prometheuses.push({
      namespace: prometheus.metadata.namespace ?? 'default',
      name: prometheus.metadata.name,
      serviceMonitorSelector: spec.serviceMonitorSelector,
      serviceMonitorNamespaceSelector: spec.serviceMonitorNamespaceSelector,
      podMonitorSelector: spec.podMonitorSelector,
      podMonitorNamespaceSelector: spec.podMonitorNamespaceSelector,
      from: { text: describeRef(refOf(prometheus)), object: prometheus },
    });
  }
  return capabilities;
}
