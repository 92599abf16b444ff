// The one port model of the ports and network rules: which containers listen, what a Service port is, and
// how a Service port reaches a pod.
//
// Decision: a pod listens on the ports of its regular containers and of its sidecars (init containers with
// `restartPolicy: Always`, which keep running beside the app). A plain init container runs to completion before
// the app starts, so a port it declares is never served, and ephemeral containers cannot declare ports at all.
// Every rule that asks "does this pod serve port P" (registry consistency, dangling references, named targetPorts,
// NetworkPolicy admission, connectivity) uses listeningPortsOf, so they cannot disagree about one pod.
import type { FieldPath, K8sObject } from '../core/types.ts';
import { containersOf, type Container, type ContainerEntry, type PodTemplate } from '../core/graph.ts';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

const PROTOCOLS = new Set<string>(['TCP', 'UDP', 'SCTP']);

/** The protocol as the API server defaults it (TCP when unset); undefined for a value the API would refuse. */
export function protocolOf(value: unknown): Protocol | undefined {
  if (value === undefined || value === null) return 'TCP';
  const text = typeof value === 'string' ? value.toUpperCase() : '';
  return PROTOCOLS.has(text) ? (text as Protocol) : undefined;
}

/** A port number as written (number or digit string) when it is a valid port, 1-65535. The one port parser. */
export function parsePortNumber(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** The containers that serve traffic: regular containers and sidecars (see the decision above). */
export function listeningContainers(template: PodTemplate): ContainerEntry[] {
  return containersOf(template).filter(
    (entry) => entry.kind === 'containers' || (entry.kind === 'initContainers' && entry.container.restartPolicy === 'Always'),
  );
}

export interface ContainerPort {
  container: Container;
  /** Path of the containerPort field inside the template's owner. */
  path: FieldPath;
  name?: string;
  containerPort: number;
  protocol: Protocol;
}

/** Every port a pod template listens on. */
export function listeningPortsOf(template: PodTemplate): ContainerPort[] {
  const entries: ContainerPort[] = [];
  for (const entry of listeningContainers(template)) {
    const ports = entry.container.ports;
    if (!Array.isArray(ports)) continue;
    ports.forEach((p: any, index: number) => {
      const containerPort = parsePortNumber(p?.containerPort);
      const protocol = protocolOf(p?.protocol);
      if (containerPort === undefined || protocol === undefined) return;
      const port: ContainerPort = { container: entry.container, path: [...entry.path, 'ports', index, 'containerPort'], containerPort, protocol };
      if (typeof p.name === 'string') port.name = p.name;
      entries.push(port);
    });
  }
  return entries;
}

/** The number of a named port on a pod, for a protocol. */
export function resolveNamedPort(template: PodTemplate, name: string, protocol: Protocol): number | undefined {
  return listeningPortsOf(template).find((p) => p.name === name && p.protocol === protocol)?.containerPort;
}

export interface ServicePort {
  index: number;
  name?: string;
  /** Undefined when the written port is not a valid port number. */
  port?: number;
  /** As written: a number, a container port name, or undefined (same as port). */
  targetPort?: number | string;
  protocol: Protocol;
  /** Path of the port entry inside the Service. */
  path: FieldPath;
}

export function servicePortsOf(service: K8sObject): ServicePort[] {
  const ports = (service as any).spec?.ports;
  if (!Array.isArray(ports)) return [];
  return ports.map((p: any, index: number) => {
    const port: ServicePort = { index, protocol: protocolOf(p?.protocol) ?? 'TCP', path: ['spec', 'ports', index] };
    if (typeof p?.name === 'string') port.name = p.name;
    const number = parsePortNumber(p?.port);
    if (number !== undefined) port.port = number;
    if (typeof p?.targetPort === 'number' || typeof p?.targetPort === 'string') port.targetPort = parsePortNumber(p.targetPort) ?? p.targetPort;
    return port;
  });
}

/** Service ports with a valid port number: what traffic can be sent to. */
export function servedPortsOf(service: K8sObject): (ServicePort & { port: number })[] {
  return servicePortsOf(service).filter((p): p is ServicePort & { port: number } => p.port !== undefined);
}

/** The pod port a Service port forwards to on one backing pod; undefined when a named targetPort is not on that pod. */
export function targetPortOn(servicePort: ServicePort, template: PodTemplate): number | undefined {
  const target = servicePort.targetPort;
  if (target === undefined) return servicePort.port;
  if (typeof target === 'number') return target;
  return resolveNamedPort(template, target, servicePort.protocol);
}
