// Dependency edges: a workload that reads an address resolving to a Service port, reduced to the
// pod ports NetworkPolicies must allow.
import type { FieldPath, K8sObject } from '../core/types.ts';
import type { ClusterGraph, PodTemplate } from '../core/graph.ts';
import { SCHEME_DEFAULT_PORTS, type ServiceReference } from '../ports/service-refs.ts';
import { servedPortsOf as servicePortsOf, targetPortOn, type ServicePort } from '../ports/port-model.ts';

export interface DependencyDestination {
  pod: PodTemplate;
  /** The pod port the Service forwards to. */
  port: number;
}

export interface DependencyEdge {
  consumer: PodTemplate;
  consumerPath: FieldPath;
  /** The first reference that established the edge (others to the same Service port are folded in). */
  reference: ServiceReference;
  service: K8sObject;
  servicePort: ServicePort;
  destinations: DependencyDestination[];
}

/** The Service port an address dials: its explicit port, else the scheme's default, else the Service's only port. */
function servicePortFor(service: K8sObject, reference: ServiceReference): ServicePort | undefined {
  const ports = servicePortsOf(service);
  const wanted = reference.address.port ?? (reference.address.scheme ? SCHEME_DEFAULT_PORTS[reference.address.scheme] : undefined);
  if (wanted !== undefined) return ports.find((p) => p.port === wanted);
  return ports.length === 1 ? ports[0] : undefined;
}

/**
 * One edge per (consumer workload, Service, Service port). References to Services that do not exist or
 * to ports they do not expose are the ports rules' findings, not edges.
 */
export function dependencyEdges(graph: ClusterGraph, references: readonly ServiceReference[]): DependencyEdge[] {
  const edges = new Map<string, DependencyEdge>();
  for (const reference of references) {
    if (!reference.consumer || !reference.target) continue;
    const service = graph.get('Service', reference.target.namespace, reference.target.name);
    if (!service || (service as any).spec?.type === 'ExternalName') continue;
    const servicePort = servicePortFor(service, reference);
    if (!servicePort) continue;
    const owner = reference.consumer.owner;
    const key = `${owner.kind}/${reference.consumer.namespace}/${owner.metadata.name}|${reference.target.namespace}/${reference.target.name}|${servicePort.index}`;
    if (edges.has(key)) continue;
    const destinations: DependencyDestination[] = [];
    for (const pod of graph.podsBehind(service)) {
      const port = targetPortOn(servicePort, pod);
      if (port !== undefined) destinations.push({ pod, port });
    }
    // A workload reading the address of its own Service is advertising it (to the pods it creates, say), not dialling itself.
    if (destinations.length > 0 && destinations.every((d) => d.pod === reference.consumer)) continue;
    edges.set(key, {
      consumer: reference.consumer,
      consumerPath: reference.consumerPath ?? reference.path,
      reference,
      service,
      servicePort,
      destinations,
    });
  }
  return [...edges.values()];
}
