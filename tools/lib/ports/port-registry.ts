// The port registry (seed 000): one ConfigMap per namespace holding <SERVICE>_PORT, <SERVICE>_<PORTNAME>_PORT
// and <SERVICE>_ADDRESS, plus the Service/container port lookups the ports rules share.
import type { K8sObject } from '../core/types.ts';
import { servicePortsOf } from './port-model.ts';
import { describeObject } from '../core/identity.ts';
import type { ClusterGraph, PodTemplate } from '../core/graph.ts';

export const DEFAULT_REGISTRY_NAME = 'service-ports';
/** On a Service: the registry key(s) of its ports, `KEY` for a single port or `portName=KEY, ...`. */
export const REGISTRY_KEY_ANNOTATION = 'policy-check.dev/registry-key';

/** Env var / ConfigMap key names that hold a port number. */
export const PORT_NAME_RE = /(^|[_-])PORT$/i;

export interface Registry {
  configMap: K8sObject;
  namespace: string;
  data: Record<string, string>;
}

export function registryOf(graph: ClusterGraph, namespace: string, name: string): Registry | undefined {
  const configMap = graph.get('ConfigMap', namespace, name);
  if (!configMap) return undefined;
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(((configMap as any).data ?? {}) as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number') data[key] = String(value);
  }
  return { configMap, namespace, data };
}

/** `ray-executor` -> `RAY_EXECUTOR`. */
export function keyBase(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

export function isExternalName(service: K8sObject): boolean {
  return (service as any).spec?.type === 'ExternalName';
}

export function isHeadless(service: K8sObject): boolean {
  return (service as any).spec?.clusterIP === 'None';
}

export interface RegistryKeyChoice {
  /** The key this port should have in the registry. */
  key: string;
  /** Set when the key comes from the annotation. */
  explicit: boolean;
}

export interface RegistryKeys {
  byPort: Map<number, RegistryKeyChoice>;
  /** Problem with the annotation, if any. */
  annotationError?: string;
}

/** The registry key of each Service port: from the annotation, else the naming convention (first one present in the registry). */
export function registryKeysOf(service: K8sObject, registry: Registry | undefined): RegistryKeys {
  const ports = servicePortsOf(service);
  const byPort = new Map<number, RegistryKeyChoice>();
  const base = keyBase(service.metadata.name ?? '');
  const annotation = service.metadata.annotations?.[REGISTRY_KEY_ANNOTATION];
  let annotationError: string | undefined;
  if (typeof annotation === 'string' && annotation.trim() !== '') {
    const entries = annotation.split(/[\s,]+/).filter((e) => e !== '');
    const named = new Map<string, string>();
    for (const entry of entries) {
      const eq = entry.indexOf('=');
      if (eq >= 0) named.set(entry.slice(0, eq), entry.slice(eq + 1));
      else if (ports.length === 1 && entries.length === 1) byPort.set(0, { key: entry, explicit: true });
      else annotationError = `${REGISTRY_KEY_ANNOTATION} "${annotation}" must be "portName=KEY, ..." on a Service with ${ports.length} ports`;
    }
    for (const port of ports) {
      const key = port.name !== undefined ? named.get(port.name) : undefined;
      if (key) byPort.set(port.index, { key, explicit: true });
    }
    for (const name of named.keys()) {
      if (!ports.some((p) => p.name === name)) annotationError = `${REGISTRY_KEY_ANNOTATION} names port "${name}", which the Service does not have`;
    }
  }
  for (const port of ports) {
    if (byPort.has(port.index)) continue;
    const candidates: string[] = [];
    if (ports.length === 1) candidates.push(`${base}_PORT`);
    if (port.name) candidates.push(`${base}_${keyBase(port.name)}_PORT`);
    if (candidates.length === 0) candidates.push(`${base}_${port.index}_PORT`);
    const present = candidates.find((c) => registry?.data[c] !== undefined);
    byPort.set(port.index, { key: present ?? candidates[0], explicit: false });
  }
  return annotationError ? { byPort, annotationError } : { byPort };
}

/** Registry keys whose value is exactly this text. */
export function keysWithValue(registry: Registry | undefined, value: string): string[] {
  if (!registry) return [];
  return Object.keys(registry.data).filter((k) => registry.data[k].trim() === value.trim());
}

export function describeTemplate(template: PodTemplate): string {
  return describeObject(template.owner);
}

/** The configMapKeyRef YAML that replaces a literal env value. */
export function configMapKeyRefYaml(envName: string, registryName: string, key: string): string {
  return [
    `- name: ${envName}`,
    `  valueFrom:`,
    `    configMapKeyRef:`,
    `      name: ${registryName}`,
    `      key: ${key}`,
  ].join('\n');
}

export const REGISTRY_NAME_OPTION = {
  registryName: { type: 'string', minLength: 1, description: 'Name of the port registry ConfigMap in each namespace' },
} as const;
