// Dependency edges to Services the cluster has outside this repository (config provides.services): a workload that
// reads an address naming one, reduced to the pod port its egress policies must allow. The far end's own policies are
// the platform's and not in the render, so only the source's side is an edge's question.
import type { FieldPath } from '../core/types.ts';
import type { ClusterGraph, PodTemplate } from '../core/graph.ts';
import type { ClusterSettings } from '../core/types.ts';
import type { ServiceReference } from '../ports/service-refs.ts';
import type { ExternalPodEndpoint } from './evaluate.ts';
import { declaredPortFor, declaredServiceFor, externalEndpointOf, type DeclaredPort, type ResolvedDeclaredService } from '../references/declared-services.ts';

export interface ExternalDependencyEdge {
  consumer: PodTemplate;
  consumerPath: FieldPath;
  /** The first reference that established the edge. */
  reference: ServiceReference;
  service: ResolvedDeclaredService;
  port: DeclaredPort;
  destination: ExternalPodEndpoint;
}

/** One edge per (consumer workload, declared Service, port). A port the Service does not declare is ports/dangling-reference's finding. */
export function externalDependencyEdges(graph: ClusterGraph, cluster: ClusterSettings, references: readonly ServiceReference[]): ExternalDependencyEdge[] {
  if (!cluster.provides?.services?.length) return [];
  const edges = new Map<string, ExternalDependencyEdge>();
  for (const reference of references) {
    if (!reference.consumer) continue;
    const service = declaredServiceFor(graph, cluster, reference);
    if (!service) continue;
    const { port } = declaredPortFor(service, reference);
    if (!port) continue;
    const owner = reference.consumer.owner;
    const key = `${owner.kind}/${reference.consumer.namespace}/${owner.metadata.name}|${service.declared.namespace}/${service.declared.name}|${port.port}/${port.protocol}`;
    if (edges.has(key)) continue;
    edges.set(key, {
      consumer: reference.consumer,
      consumerPath: reference.consumerPath ?? reference.path,
      reference,
      service,
      port,
      destination: externalEndpointOf(graph, service),
    });
  }
  return [...edges.values()];
}
