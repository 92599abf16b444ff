// Finds every place a manifest names another in-cluster Service by address (env, ConfigMaps, args,
// the depends-on annotation) and resolves it the way cluster DNS would.
import type { FieldPath, K8sObject } from '../core/types.ts';
import { ClusterGraph, containersOf, type PodTemplate } from '../core/graph.ts';
import { parsePortNumber } from './port-model.ts';

export interface ParsedAddress {
  scheme?: string;
  host: string;
  port?: number;
  path?: string;
}

export interface ServiceTarget {
  name: string;
  namespace: string;
  /** Pod hostname for per-pod DNS names behind a headless Service (`web-0.web.ns.svc`). */
  hostname?: string;
  /** How the host was written: `name`, `name.namespace`, `name.namespace.svc`, or the full `...svc.cluster.local`. */
  form: 'name' | 'name.namespace' | 'svc' | 'fqdn';
}

export type ReferenceVia = 'env-literal' | 'configMapKeyRef' | 'envFrom' | 'args' | 'command' | 'configmap' | 'annotation';

export interface ServiceReference {
  /** Object where the text is written (the workload, or the ConfigMap that holds it). */
  holder: K8sObject;
  /** Where inside holder. */
  path: FieldPath;
  /** The workload that reads the text, if any. */
  consumer?: PodTemplate;
  /** Path in the consumer's owner object (the env entry, envFrom entry or arg). */
  consumerPath?: FieldPath;
  via: ReferenceVia;
  /** The address token as written. */
  raw: string;
  address: ParsedAddress;
  target?: ServiceTarget;
}

export const DEPENDS_ON_ANNOTATION = 'policy-check.dev/depends-on';

const SCHEME_RE = /^([a-z][a-z0-9+.-]*):\/\//i;
const LABEL_RE = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/i;
const SERVICE_NAME_RE = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const DNS_LABEL_RE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Ports a client dials when the address names a scheme but no port (gRPC's dns resolver defaults to 443). */
export const SCHEME_DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443, dns: 443 };

/** gRPC's name syntax `dns:[//authority/]host[:port]` (grpc/doc/naming.md): the part a client dials. */
const GRPC_DNS_RE = /^dns:(?:\/\/[^/]*\/)?(?!\/)(.*)$/i;

function isIPv4(host: string): boolean {
  const m = IPV4_RE.exec(host);
  return !!m && m.slice(1).every((part) => Number(part) <= 255);
}

function isHostname(host: string): boolean {
  const bare = host.endsWith('.') ? host.slice(0, -1) : host;
  if (bare.length === 0 || bare.length > 253) return false;
  const labels = bare.split('.');
  // At least one letter: "3.13" or "12" are versions and numbers, not hosts.
  return labels.every((label) => LABEL_RE.test(label)) && /[a-z]/i.test(bare);
}

/** Splits `host[:port]` (with `[v6]:port` support). Undefined when either part is malformed. */
function parseHostPort(text: string): { host: string; port?: number } | undefined {
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return undefined;
    const host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (!/^[0-9a-f:.]+$/i.test(host)) return undefined;
    if (rest === '') return { host };
    if (!rest.startsWith(':')) return undefined;
    const port = parsePortNumber(rest.slice(1));
    return port === undefined ? undefined : { host, port };
  }
  const colon = text.lastIndexOf(':');
  const host = colon < 0 ? text : text.slice(0, colon);
  if (!isIPv4(host) && !isHostname(host)) return undefined;
  if (colon < 0) return { host };
  const port = parsePortNumber(text.slice(colon + 1));
  return port === undefined ? undefined : { host, port };
}

/**
 * Parses `host`, `host:port` or `scheme://[user@]host[:port][/path]`.
 * Returns undefined for anything that is not an address (numbers, versions, paths, image references with tags that are not ports).
 */
export function parseAddress(text: string): ParsedAddress | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || /\s/.test(trimmed)) return undefined;
  const grpcDns = GRPC_DNS_RE.exec(trimmed);
  if (grpcDns) {
    const hostPort = /[/?#@]/.test(grpcDns[1]) ? undefined : parseHostPort(grpcDns[1]);
    if (!hostPort) return undefined;
    return hostPort.port === undefined ? { scheme: 'dns', host: hostPort.host } : { scheme: 'dns', host: hostPort.host, port: hostPort.port };
  }
  const schemeMatch = SCHEME_RE.exec(trimmed);
  if (schemeMatch) {
    const scheme = schemeMatch[1].toLowerCase();
    let rest = trimmed.slice(schemeMatch[0].length);
    let path: string | undefined;
    const pathStart = rest.search(/[/?#]/);
    if (pathStart >= 0) {
      path = rest.slice(pathStart);
      rest = rest.slice(0, pathStart);
    }
    const at = rest.lastIndexOf('@');
    if (at >= 0) rest = rest.slice(at + 1);
    const hostPort = parseHostPort(rest);
    if (!hostPort) return undefined;
    const address: ParsedAddress = { scheme, host: hostPort.host };
    if (hostPort.port !== undefined) address.port = hostPort.port;
    if (path !== undefined && path !== '') address.path = path;
    return address;
  }
  if (/[/?#@]/.test(trimmed)) return undefined;
  const hostPort = parseHostPort(trimmed);
  if (!hostPort) return undefined;
  return hostPort.port === undefined ? { host: hostPort.host } : { host: hostPort.host, port: hostPort.port };
}

/**
 * The Service a host names when resolved inside the cluster, reading it syntactically:
 * `name`, `name.ns`, `name.ns.svc`, `name.ns.svc.cluster.local`, and the per-pod forms
 * `pod.name.ns.svc[.cluster.local]`. Undefined for IPs, localhost and other domains.
 * (`name.ns` is ambiguous with external domains; serviceReferences settles it against the cluster.)
 */
export function inClusterTarget(host: string, defaultNamespace: string): ServiceTarget | undefined {
  let lower = host.toLowerCase();
  if (lower.endsWith('.')) lower = lower.slice(0, -1);
  if (lower === 'localhost' || isIPv4(lower) || lower.includes(':')) return undefined;
  const labels = lower.split('.');
  if (!labels.every((l) => DNS_LABEL_RE.test(l))) return undefined;
  const fqdnTail = labels.length >= 3 && labels.slice(-3).join('.') === 'svc.cluster.local';
  const core = fqdnTail ? labels.slice(0, -2) : labels;
  const form: ServiceTarget['form'] = fqdnTail ? 'fqdn' : core.length >= 3 ? 'svc' : core.length === 2 ? 'name.namespace' : 'name';
  let parts: string[];
  if (core.length >= 3) {
    if (core[core.length - 1] !== 'svc' || core.length > 4) return undefined;
    parts = core.slice(0, -1);
  } else {
    if (fqdnTail) return undefined;
    parts = core;
  }
  let target: ServiceTarget;
  if (parts.length === 1) target = { name: parts[0], namespace: defaultNamespace, form };
  else if (parts.length === 2) target = { name: parts[0], namespace: parts[1], form };
  else target = { name: parts[1], namespace: parts[2], hostname: parts[0], form };
  if (!SERVICE_NAME_RE.test(target.name) || target.name.length > 63) return undefined;
  return target;
}

interface FoundAddress {
  raw: string;
  address: ParsedAddress;
}

/** Address tokens in a one-line value: the value itself, or a comma/space separated list of addresses. */
function addressesInText(value: string): FoundAddress[] {
  return value.trim().includes('\n') ? addressesInDocument(value) : addressesInValue(value);
}

function addressesInValue(value: string): FoundAddress[] {
  if (value.includes('$(') || value.includes('${')) return [];
  const tokens = value.split(/[\s,;]+/).filter((t) => t !== '');
  const found: FoundAddress[] = [];
  for (const token of tokens) {
    const address = parseAddress(token);
    if (address) found.push({ raw: token, address });
    else if (token.includes('://')) found.push(...addressesInDocument(token));
  }
  return found;
}

/** In a config file embedded in a ConfigMap only unmistakable forms count: with a scheme, or a `.svc` name. */
function addressesInDocument(text: string): FoundAddress[] {
  const found: FoundAddress[] = [];
  const re = /[a-z][a-z0-9+.-]*:\/\/[^\s"'`,;<>)\]}]+|[a-z0-9][a-z0-9.-]*\.svc(?:\.cluster\.local)?\.?(?::\d{1,5})?(?![a-z0-9.-])/gi;
  for (const match of text.matchAll(re)) {
    const raw = match[0].replace(/[.]+$/, '');
    if (raw.includes('$(') || raw.includes('${')) continue;
    const address = parseAddress(raw);
    if (address) found.push({ raw, address });
  }
  return found;
}

function addressesInArg(arg: string): FoundAddress[] {
  const eq = arg.startsWith('-') ? arg.indexOf('=') : -1;
  return addressesInValue(eq >= 0 ? arg.slice(eq + 1) : arg);
}

/** Whether a found address is worth treating as a dependency: bare words without port or scheme are not. */
function looksLikeDependency(address: ParsedAddress, target: ServiceTarget | undefined): boolean {
  if (address.port !== undefined || address.scheme !== undefined) return true;
  return target !== undefined && target.form !== 'name';
}

export class ServiceResolver {
  private readonly namespaces: Set<string>;

  constructor(private readonly graph: ClusterGraph) {
    this.namespaces = new Set<string>();
    for (const object of graph.all()) {
      if (object.kind === 'Namespace' && object.metadata.name) this.namespaces.add(object.metadata.name);
      else if (object.metadata.namespace) this.namespaces.add(object.metadata.namespace);
    }
  }

  /**
   * Resolves like the pod's DNS search path: `a.b` first as pod `a` of headless Service `b` in the pod's
   * own namespace, then as Service `a` in namespace `b` when that namespace exists in this cluster.
   */
  resolve(host: string, fromNamespace: string): ServiceTarget | undefined {
    const target = inClusterTarget(host, fromNamespace);
    if (!target || target.form !== 'name.namespace') return target;
    const local = this.graph.get('Service', fromNamespace, target.namespace);
    if (local && (local as any).spec?.clusterIP === 'None') {
      return { name: target.namespace, namespace: fromNamespace, hostname: target.name, form: 'name.namespace' };
    }
    return this.namespaces.has(target.namespace) ? target : undefined;
  }
}

function entriesOf(object: unknown): [string, unknown][] {
  return object && typeof object === 'object' ? Object.entries(object as Record<string, unknown>) : [];
}

/** All service references in the cluster, in object order. */
const referencesOfGraph = new WeakMap<ClusterGraph, readonly ServiceReference[]>();

/** Every address the checker can see in a cluster, found once per graph and shared by the rules that ask. */
export function serviceReferences(graph: ClusterGraph): readonly ServiceReference[] {
  let references = referencesOfGraph.get(graph);
  if (!references) {
    references = Object.freeze(findServiceReferences(graph));
    referencesOfGraph.set(graph, references);
  }
  return references;
}

function findServiceReferences(graph: ClusterGraph): ServiceReference[] {
  const resolver = new ServiceResolver(graph);
  const references: ServiceReference[] = [];

  const push = (found: FoundAddress[], namespace: string, base: Omit<ServiceReference, 'raw' | 'address' | 'target'>, explicit = false): void => {
    for (const { raw, address } of found) {
      const target = resolver.resolve(address.host, namespace);
      if (!explicit && !looksLikeDependency(address, target)) continue;
      const reference: ServiceReference = { ...base, raw, address };
      if (target) reference.target = target;
      references.push(reference);
    }
  };

  for (const object of graph.byKind('ConfigMap')) {
    const namespace = object.metadata.namespace ?? 'default';
    for (const [key, value] of entriesOf((object as any).data)) {
      if (typeof value !== 'string') continue;
      const found = addressesInText(value);
      push(found, namespace, { holder: object, path: ['data', key], via: 'configmap' });
    }
  }

  for (const template of graph.podTemplates) {
    const owner = template.owner;
    const namespace = template.namespace;
    for (const entry of containersOf(template)) {
      const container = entry.container;
      (Array.isArray(container.env) ? container.env : []).forEach((env: any, index: number) => {
        if (!env || typeof env !== 'object') return;
        const envPath = [...entry.path, 'env', index];
        if (typeof env.value === 'string') {
          const path = [...envPath, 'value'];
          push(addressesInValue(env.value), namespace, { holder: owner, path, consumer: template, consumerPath: path, via: 'env-literal' });
        }
        const ref = env.valueFrom?.configMapKeyRef;
        if (ref && typeof ref.name === 'string' && typeof ref.key === 'string') {
          const configMap = graph.get('ConfigMap', namespace, ref.name);
          const value = (configMap as any)?.data?.[ref.key];
          if (configMap && typeof value === 'string') {
            const found = addressesInText(value);
            push(found, namespace, { holder: configMap, path: ['data', ref.key], consumer: template, consumerPath: envPath, via: 'configMapKeyRef' });
          }
        }
      });
      (Array.isArray(container.envFrom) ? container.envFrom : []).forEach((source: any, index: number) => {
        const name = source?.configMapRef?.name;
        if (typeof name !== 'string') return;
        const configMap = graph.get('ConfigMap', namespace, name);
        if (!configMap) return;
        for (const [key, value] of entriesOf((configMap as any).data)) {
          if (typeof value !== 'string') continue;
          const found = addressesInText(value);
          push(found, namespace, {
            holder: configMap, path: ['data', key], consumer: template, consumerPath: [...entry.path, 'envFrom', index], via: 'envFrom',
          });
        }
      });
      for (const field of ['command', 'args'] as const) {
        (Array.isArray(container[field]) ? container[field] : []).forEach((arg: unknown, index: number) => {
          if (typeof arg !== 'string') return;
          const path = [...entry.path, field, index];
          push(addressesInArg(arg), namespace, { holder: owner, path, consumer: template, consumerPath: path, via: field });
        });
      }
    }

    const annotationSources: [Record<string, string> | undefined, FieldPath][] = [
      [owner.metadata.annotations, ['metadata', 'annotations', DEPENDS_ON_ANNOTATION]],
    ];
    if (template.metadataPath.join('.') !== 'metadata') {
      annotationSources.push([template.annotations, [...template.metadataPath, 'annotations', DEPENDS_ON_ANNOTATION]]);
    }
    for (const [annotations, path] of annotationSources) {
      const value = annotations?.[DEPENDS_ON_ANNOTATION];
      if (typeof value !== 'string') continue;
      push(addressesInValue(value), namespace, { holder: owner, path, consumer: template, consumerPath: path, via: 'annotation' }, true);
    }
  }
  return references;
}
