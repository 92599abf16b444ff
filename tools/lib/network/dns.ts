// Cluster DNS as a destination. The kube-dns / CoreDNS pods come with the cluster and are
// rarely in the repository, so when none is rendered a stand-in pod with their usual labels is used.
import type { ClusterGraph, PodTemplate } from '../core/graph.ts';
import { matchesLabelSelector } from '../core/label-selector.ts';
import type { Protocol } from './policy.ts';

export interface DnsTarget {
  namespace: string;
  podLabels: Record<string, string>;
}

export const DEFAULT_DNS_TARGET: DnsTarget = { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } };

export const DNS_PORTS: { port: number; protocol: Protocol }[] = [
  { port: 53, protocol: 'UDP' },
  { port: 53, protocol: 'TCP' },
];

export function virtualDnsPod(target: DnsTarget = DEFAULT_DNS_TARGET): PodTemplate {
  const containers = [
    {
      name: 'coredns',
      ports: [
        { name: 'dns', containerPort: 53, protocol: 'UDP' },
        { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
      ],
    },
  ];
  return {
    owner: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'cluster-dns', namespace: target.namespace, labels: target.podLabels } },
    namespace: target.namespace,
    labels: { ...target.podLabels },
    annotations: {},
    spec: { containers },
    specPath: ['spec'],
    metadataPath: ['metadata'],
    replicas: 1,
  };
}

/** The DNS pods rendered in the cluster, or the stand-in when there are none. */
export function dnsPods(graph: ClusterGraph, target: DnsTarget = DEFAULT_DNS_TARGET): PodTemplate[] {
  const rendered = graph.podTemplates.filter(
    (pod) => pod.namespace === target.namespace && matchesLabelSelector({ matchLabels: target.podLabels }, pod.labels),
  );
  return rendered.length > 0 ? rendered : [virtualDnsPod(target)];
}
