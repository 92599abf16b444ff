// Resolving "Service name + port" references (Ingress, HTTPRoute, ServiceMonitor) against the index.
import type { K8sObject } from '../core/types.ts';
import { servicePortsOf } from '../ports/port-model.ts';
import { didYouMean } from './did-you-mean.ts';
import type { ReferenceIndex } from './reference-index.ts';

/** `; did you mean ...` / `; no Service exists in namespace ns` for a missing Service. */
export function missingServiceHint(index: ReferenceIndex, namespace: string, name: string): string {
  return didYouMean(name, index.namesOf('Service', namespace), `no Service exists in namespace ${namespace}`);
}

function listPorts(service: K8sObject): string {
  const ports = servicePortsOf(service).map((p) => (p.name ? `${p.port} (${p.name})` : `${p.port}`));
  return ports.length ? ports.join(', ') : 'none';
}

/** Why a Service cannot serve this port (by number or by name), or undefined when it can or cannot be known. */
export function servicePortProblem(service: K8sObject | undefined, port: { number?: unknown; name?: unknown }): string | undefined {
  if (!service) return undefined;
  const ports = servicePortsOf(service);
  if ((service as any).spec?.type === 'ExternalName' && ports.length === 0) return undefined;
  if (typeof port.name === 'string' && port.name !== '') {
    if (ports.some((p) => p.name === port.name)) return undefined;
    const names = ports.map((p) => p.name).filter((n): n is string => !!n);
    return `has no port named "${port.name}"${didYouMean(port.name, names, `its ports: ${listPorts(service)}`)}`;
  }
  if (typeof port.number === 'number') {
    if (ports.some((p) => p.port === port.number)) return undefined;
    return `has no port ${port.number} (its ports: ${listPorts(service)})`;
  }
  return undefined;
}
