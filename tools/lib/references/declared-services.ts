// Services a cluster has outside this repository (config `provides.services`: a KubeRay head the platform runs),
// and which of them an address names, so the ports and network rules can judge such an address instead of calling it
// dangling or leaving it unchecked.
import type { ClusterGraph } from '../core/graph.ts';
import type { ClusterSettings, DeclaredService } from '../core/types.ts';
import type { Protocol } from '../network/policy.ts';
import type { ExternalPodEndpoint } from '../network/evaluate.ts';
import { inClusterTarget, SCHEME_DEFAULT_PORTS, type ServiceReference, type ServiceTarget } from '../ports/service-refs.ts';

export interface DeclaredPort {
  port: number;
  name?: string;
  protocol: Protocol;
  /** The pod port behind it. */
  podPort: number;
}

export interface ResolvedDeclaredService {
  declared: DeclaredService;
  target: ServiceTarget;
  ports: DeclaredPort[];
  /** Where it is declared, for messages: `policies/config.yaml clusters.<name>.provides.services (<providedBy>)`. */
  from: string;
}

export function declaredPortsOf(service: DeclaredService): DeclaredPort[] {
  return (service.ports ?? []).map((p) => ({
    port: p.port,
    ...(p.name !== undefined ? { name: p.name } : {}),
    protocol: p.protocol ?? 'TCP',
    podPort: p.targetPort ?? p.port,
  }));
}

/** `10001/TCP (client), 8265/TCP (dashboard)`, as ports/dangling-reference describes a rendered Service's ports. */
export function describeDeclaredPorts(ports: readonly DeclaredPort[]): string {
  return ports.map((p) => `${p.port}/${p.protocol}${p.name ? ` (${p.name})` : ''}`).join(', ');
}

/**
 * The declared Service an address names, when the render holds no Service of that name (the render wins).
 * `name.namespace` into a namespace the render does not hold is otherwise an external domain; a declared
 * Service of that name and namespace settles it as in-cluster, as cluster DNS would.
 */
export function declaredServiceFor(graph: ClusterGraph, cluster: ClusterSettings, reference: ServiceReference): ResolvedDeclaredService | undefined {
  const services = cluster.provides?.services;
  if (!services || services.length === 0) return undefined;
  let target = reference.target;
  if (!target) {
    const fromNamespace = reference.consumer?.namespace ?? reference.holder.metadata.namespace ?? 'default';
    const literal = inClusterTarget(reference.address.host, fromNamespace);
    if (literal?.form !== 'name.namespace') return undefined;
    target = literal;
  }
  if (graph.get('Service', target.namespace, target.name)) return undefined;
  const declared = services.find((s) => s.namespace === target.namespace && s.name === target.name);
  if (!declared) return undefined;
  return { declared, target, ports: declaredPortsOf(declared), from: `policies/config.yaml clusters.${cluster.name}.provides.services${declared.providedBy ? ` (${declared.providedBy})` : ''}` };
}

/** The declared port an address dials: its explicit port, else the scheme's default, else the only port. */
export function declaredPortFor(resolved: ResolvedDeclaredService, reference: ServiceReference): { wanted?: number; port?: DeclaredPort } {
  const wanted = reference.address.port ?? (reference.address.scheme ? SCHEME_DEFAULT_PORTS[reference.address.scheme] : undefined);
  if (wanted === undefined) return resolved.ports.length === 1 ? { port: resolved.ports[0] } : {};
  return { wanted, port: resolved.ports.find((p) => p.port === wanted) };
}

/** The pods behind a declared Service, as the NetworkPolicy evaluation sees them. */
export function externalEndpointOf(graph: ClusterGraph, resolved: ResolvedDeclaredService): ExternalPodEndpoint {
  const { declared } = resolved;
  return {
    external: true,
    namespace: declared.namespace,
    labels: { ...(declared.podLabels ?? {}) },
    namespaceLabels: { ...graph.namespaceLabels(declared.namespace), ...(declared.namespaceLabels ?? {}), 'kubernetes.io/metadata.name': declared.namespace },
    ports: resolved.ports.map((p) => ({ ...(p.name !== undefined ? { name: p.name } : {}), port: p.podPort, protocol: p.protocol })),
  };
}
