// NetworkPolicy objects read into plain data, with the API server's defaulting applied.
import type { FieldPath, K8sObject } from '../core/types.ts';
import type { LabelSelector } from '../core/label-selector.ts';

import type { Protocol } from '../ports/port-model.ts';

export type { Protocol };
export type Direction = 'ingress' | 'egress';

export interface PolicyPort {
  protocol: Protocol;
  /** A number, a container port name, or undefined for every port of the protocol. */
  port?: number | string;
  endPort?: number;
  path: FieldPath;
}

export interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except: string[] };
  /** False for peers the API server would reject (nothing set, or ipBlock mixed with selectors): they match nothing. */
  valid: boolean;
  path: FieldPath;
}

export interface PolicyRule {
  direction: Direction;
  /** Undefined when the rule names no peers: every source (ingress) or destination (egress), inside the cluster or not. */
  peers?: PolicyPeer[];
  /** Undefined when the rule names no ports: every port of every protocol. */
  ports?: PolicyPort[];
  path: FieldPath;
}

export interface NetworkPolicyModel {
  object: K8sObject;
  /** "namespace/name", the form used in verdicts and messages. */
  id: string;
  namespace: string;
  podSelector: LabelSelector;
  /** Effective policyTypes after defaulting: which directions the policy isolates for the pods it selects. */
  isolates: Record<Direction, boolean>;
  rules: Record<Direction, PolicyRule[]>;
}

const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);

/** A peer's selectors are pointers in the API: a YAML null (`namespaceSelector:` with nothing after it) is "not set". */
function selectorOf(value: unknown): LabelSelector | undefined {
  return value && typeof value === 'object' ? (value as LabelSelector) : undefined;
}

function portsOf(list: unknown, rulePath: FieldPath): PolicyPort[] | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return list.map((entry: any, index) => {
    const protocol = String(entry?.protocol ?? 'TCP').toUpperCase();
    const port: PolicyPort = {
      protocol: (PROTOCOLS.has(protocol) ? protocol : 'TCP') as Protocol,
      path: [...rulePath, 'ports', index],
    };
    if (typeof entry?.port === 'number' || typeof entry?.port === 'string') port.port = entry.port;
    if (typeof entry?.endPort === 'number') port.endPort = entry.endPort;
    return port;
  });
}

function peersOf(list: unknown, rulePath: FieldPath, key: 'from' | 'to'): PolicyPeer[] | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return list.map((entry: any, index) => {
    const peer: PolicyPeer = { valid: true, path: [...rulePath, key, index] };
    const podSelector = selectorOf(entry?.podSelector);
    const namespaceSelector = selectorOf(entry?.namespaceSelector);
    if (podSelector) peer.podSelector = podSelector;
    if (namespaceSelector) peer.namespaceSelector = namespaceSelector;
    if (entry?.ipBlock && typeof entry.ipBlock === 'object') {
      peer.ipBlock = {
        cidr: String(entry.ipBlock.cidr ?? ''),
        except: Array.isArray(entry.ipBlock.except) ? entry.ipBlock.except.map(String) : [],
      };
    }
    const hasSelector = podSelector !== undefined || namespaceSelector !== undefined;
    peer.valid = peer.ipBlock ? !hasSelector : hasSelector;
    return peer;
  });
}

function rulesOf(spec: any, direction: Direction): PolicyRule[] {
  const list = spec?.[direction];
  if (!Array.isArray(list)) return [];
  const peerKey = direction === 'ingress' ? 'from' : 'to';
  return list.map((entry: any, index) => {
    const path: FieldPath = ['spec', direction, index];
    const rule: PolicyRule = { direction, path };
    const peers = peersOf(entry?.[peerKey], path, peerKey);
    const ports = portsOf(entry?.ports, path);
    if (peers) rule.peers = peers;
    if (ports) rule.ports = ports;
    return rule;
  });
}

/** policyTypes as the API server defaults them: Ingress always, Egress when the policy has egress rules. */
export function effectivePolicyTypes(spec: any): Record<Direction, boolean> {
  const declared = Array.isArray(spec?.policyTypes) ? spec.policyTypes.map(String) : [];
  if (declared.length > 0) return { ingress: declared.includes('Ingress'), egress: declared.includes('Egress') };
  return { ingress: true, egress: Array.isArray(spec?.egress) && spec.egress.length > 0 };
}

export function isNetworkPolicy(object: K8sObject): boolean {
  return object.kind === 'NetworkPolicy' && object.apiVersion.startsWith('networking.k8s.io/');
}

export function readNetworkPolicy(object: K8sObject): NetworkPolicyModel {
  const spec = (object as any).spec ?? {};
  const namespace = object.metadata.namespace ?? 'default';
  return {
    object,
    id: `${namespace}/${object.metadata.name ?? ''}`,
    namespace,
    podSelector: selectorOf(spec.podSelector) ?? {},
    isolates: effectivePolicyTypes(spec),
    rules: { ingress: rulesOf(spec, 'ingress'), egress: rulesOf(spec, 'egress') },
  };
}
