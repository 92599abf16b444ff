// What a Service port means on the pods behind it: NetworkPolicies see the pod's port, never the Service's.
import type { FieldPath, K8sObject } from '../core/types.ts';
import type { ClusterGraph, PodTemplate } from '../core/graph.ts';
import { resolveNamedPort } from './evaluate.ts';
import type { Protocol } from './policy.ts';

export interface ServicePort {
  index: number;
  name?: string;
  port: number;
  protocol: Protocol;
  /** As written: a number, a container port name, or undefined (same as port). */
  targetPort?: number | string;
  path: FieldPath;
}

export function servicePortsOf(service: K8sObject): ServicePort[] {
  const ports = (service as any).spec?.ports;
  if (!Array.isArray(ports)) return [];
  const result: ServicePort[] = [];
  ports.forEach((entry: any, index: number) => {
    if (typeof entry?.port !== 'number') return;
    const port: ServicePort = {
      index,
      port: entry.port,
      protocol: String(entry.protocol ?? 'TCP').toUpperCase() as Protocol,
      path: ['spec', 'ports', index],
    };
    if (typeof entry.name === 'string') port.name = entry.name;
    if (typeof entry.targetPort === 'number' || typeof entry.targetPort === 'string') port.targetPort = entry.targetPort;
    result.push(port);
  });
  return result;
}

/** The pod port a Service port forwards to on one backing pod; undefined when a named targetPort is not on that pod. */
export function targetPortOn(servicePort: ServicePort, pod: PodTemplate): number | undefined {
  const target = servicePort.targetPort;
  if (target === undefined) return servicePort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  return resolveNamedPort(pod, target, servicePort.protocol);
}

/** Services that route to pods: a selector, and not ExternalName. */
export function selectingServices(graph: ClusterGraph): K8sObject[] {
  return graph.byKind('Service').filter((service) => {
    const spec = (service as any).spec ?? {};
    return spec.type !== 'ExternalName' && spec.selector && Object.keys(spec.selector).length > 0;
  });
}


