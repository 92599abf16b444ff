// Copy-pasteable NetworkPolicies that would fix a finding.
import { stringify } from 'yaml';
import type { PodTemplate } from '../core/graph.ts';
import type { Protocol } from './policy.ts';

/** Labels that pick out a workload's pods: its selector's matchLabels when it has one, else the template labels. */
export function workloadSelectorLabels(pod: PodTemplate): Record<string, string> {
  const spec = (pod.owner as any).spec ?? {};
  const matchLabels = spec.selector?.matchLabels ?? spec.jobTemplate?.spec?.selector?.matchLabels;
  if (matchLabels && typeof matchLabels === 'object' && Object.keys(matchLabels).length > 0) return { ...matchLabels };
  return { ...pod.labels };
}

function policyName(...parts: string[]): string {
  const name = parts.join('-').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return name.slice(0, 63).replace(/-$/, '');
}

function peerFor(peer: { namespace: string; labels: Record<string, string> }, policyNamespace: string): Record<string, unknown> {
  const entry: Record<string, unknown> = { podSelector: { matchLabels: peer.labels } };
  if (peer.namespace !== policyNamespace) {
    entry.namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } };
  }
  return entry;
}

function document(name: string, namespace: string, spec: Record<string, unknown>): string {
  return stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec }, { lineWidth: 0 });
}

export interface SnippetEnd {
  name: string;
  namespace: string;
  labels: Record<string, string>;
}

export function endOf(pod: PodTemplate): SnippetEnd {
  return { name: pod.owner.metadata.name ?? 'pods', namespace: pod.namespace, labels: workloadSelectorLabels(pod) };
}

/** A policy at the source that lets it send to the destination on one port. */
export function egressSnippet(source: SnippetEnd, destination: SnippetEnd, port: number, protocol: Protocol): string {
  return document(policyName(source.name, 'to', destination.name), source.namespace, {
    podSelector: { matchLabels: source.labels },
    policyTypes: ['Egress'],
    egress: [{ to: [peerFor(destination, source.namespace)], ports: [{ protocol, port }] }],
  });
}

/** A policy at the destination that lets it receive from the source on one port. */
export function ingressSnippet(source: SnippetEnd, destination: SnippetEnd, port: number, protocol: Protocol): string {
  return document(policyName(destination.name, 'from', source.name), destination.namespace, {
    podSelector: { matchLabels: destination.labels },
    policyTypes: ['Ingress'],
    ingress: [{ from: [peerFor(source, destination.namespace)], ports: [{ protocol, port }] }],
  });
}

/** A policy admitting a Service's clients when the clients are not known: every pod of the namespace, to be narrowed. */
export function serviceIngressSnippet(destination: SnippetEnd, port: number, protocol: Protocol): string {
  return document(policyName(destination.name, 'ingress'), destination.namespace, {
    podSelector: { matchLabels: destination.labels },
    policyTypes: ['Ingress'],
    ingress: [{ from: [{ podSelector: {} }], ports: [{ protocol, port }] }],
  });
}

export function defaultDenySnippet(namespace: string): string {
  return document('default-deny', namespace, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
}

export function dnsEgressSnippet(namespace: string, dns: { namespace: string; podLabels: Record<string, string> }): string {
  return document('allow-dns', namespace, {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': dns.namespace } }, podSelector: { matchLabels: dns.podLabels } }],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ],
  });
}
