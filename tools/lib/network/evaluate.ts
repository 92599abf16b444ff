// Whether one connection is allowed, with the NetworkPolicy semantics of networking.k8s.io/v1:
// a pod is isolated in a direction when some policy selecting it has that policyType; an isolated
// pod accepts only what the union of those policies' rules allows; a connection needs both ends.
import type { ClusterGraph, PodTemplate } from '../core/graph.ts';
import { matchesLabelSelector } from '../core/label-selector.ts';
import { cidrContainsIp, parseCidr } from './cidr.ts';
import { isNetworkPolicy, readNetworkPolicy } from './policy.ts';
import type { Direction, NetworkPolicyModel, PolicyPeer, PolicyPort, PolicyRule, Protocol } from './policy.ts';
import { resolveNamedPort } from '../ports/port-model.ts';

/** An address outside any rendered pod (another network, a node, the internet). */
export interface IpEndpoint {
  ip: string;
}

/**
 * Pods the render does not hold but the config declares (provides.services): their namespace, labels and named ports
 * are known, their own NetworkPolicies are not, so only the other end's policies can be judged.
 */
export interface ExternalPodEndpoint {
  external: true;
  namespace: string;
  labels: Record<string, string>;
  namespaceLabels: Record<string, string>;
  ports: { name?: string; port: number; protocol: Protocol }[];
}

export type Endpoint = PodTemplate | IpEndpoint | ExternalPodEndpoint;

export interface ConnectionQuery {
  from: Endpoint;
  to: Endpoint;
  port: number;
  protocol?: Protocol;
}

export interface DirectionVerdict {
  /** Some policy selecting the pod on this side isolates this direction. */
  isolated: boolean;
  allowed: boolean;
  /** Policies ("namespace/name") that isolate this side. */
  isolatedBy: string[];
  /** Policies ("namespace/name") with a rule that admits the connection. */
  allowedBy: string[];
}

export interface ConnectionVerdict {
  allowed: boolean;
  /** The source's side: may it send? */
  egress: DirectionVerdict;
  /** The destination's side: may it receive? */
  ingress: DirectionVerdict;
}

export function isIpEndpoint(endpoint: Endpoint): endpoint is IpEndpoint {
  return typeof (endpoint as IpEndpoint).ip === 'string';
}

export function isExternalPodEndpoint(endpoint: Endpoint): endpoint is ExternalPodEndpoint {
  return (endpoint as ExternalPodEndpoint).external === true;
}

/** Containers whose ports a pod serves: regular containers and restartable (sidecar) init containers. */
function ipBlockMatches(block: NonNullable<PolicyPeer['ipBlock']>, ip: string): boolean {
  const cidr = parseCidr(block.cidr);
  if (!cidr || !cidrContainsIp(cidr, ip)) return false;
  return !block.except.some((text) => {
    const excluded = parseCidr(text);
    return excluded !== undefined && cidrContainsIp(excluded, ip);
  });
}

type NamespaceLabels = (namespace: string) => Record<string, string>;

function peerMatches(namespaceLabels: NamespaceLabels, policy: NetworkPolicyModel, peer: PolicyPeer, other: Endpoint): boolean {
  if (!peer.valid) return false;
  if (peer.ipBlock) {
    // Pod IPs are not known before the pods exist, and the API leaves ipBlock over pod IPs
    // to the network plugin, so an ipBlock only ever matches addresses outside the rendered pods.
    return isIpEndpoint(other) && ipBlockMatches(peer.ipBlock, other.ip);
  }
  if (isIpEndpoint(other)) return false;
  const otherNamespaceLabels = isExternalPodEndpoint(other) ? other.namespaceLabels : namespaceLabels(other.namespace);
  const namespaceOk = peer.namespaceSelector
    ? matchesLabelSelector(peer.namespaceSelector, otherNamespaceLabels)
    : other.namespace === policy.namespace;
  if (!namespaceOk) return false;
  return peer.podSelector ? matchesLabelSelector(peer.podSelector, other.labels) : true;
}

export function portMatches(port: PolicyPort, number: number, protocol: Protocol, destination: Endpoint): boolean {
  if (port.protocol !== protocol) return false;
  if (port.port === undefined) return true;
  if (typeof port.port === 'number') {
    return port.endPort !== undefined ? number >= port.port && number <= port.endPort : number === port.port;
  }
  // A named port means whatever the destination pod calls that name; an address outside the pods has no names.
  if (isIpEndpoint(destination)) return false;
  if (isExternalPodEndpoint(destination)) return destination.ports.some((p) => p.name === port.port && p.protocol === protocol && p.port === number);
  return resolveNamedPort(destination, port.port, protocol) === number;
}

/** Whether a rule's ports admit a port on the destination, whatever the peer. */
export function ruleAdmitsPort(rule: PolicyRule, port: number, protocol: Protocol, destination: Endpoint): boolean {
  return rule.ports === undefined || rule.ports.some((p) => portMatches(p, port, protocol, destination));
}

export function ruleAdmits(
  namespaceLabels: NamespaceLabels,
  policy: NetworkPolicyModel,
  rule: PolicyRule,
  other: Endpoint,
  port: number,
  protocol: Protocol,
  destination: Endpoint,
): boolean {
  const peerOk = rule.peers === undefined || rule.peers.some((peer) => peerMatches(namespaceLabels, policy, peer, other));
  return peerOk && ruleAdmitsPort(rule, port, protocol, destination);
}

/** The NetworkPolicies of a cluster, read once and shared by every question asked about that cluster. */
export class NetworkPolicyIndex {
  readonly policies: NetworkPolicyModel[];
  private readonly byNamespace = new Map<string, NetworkPolicyModel[]>();
  private readonly selecting = new WeakMap<PodTemplate, NetworkPolicyModel[]>();
  private readonly labelsOfNamespace = new Map<string, Record<string, string>>();
  private readonly namespaceLabels: NamespaceLabels = (namespace) => {
    let labels = this.labelsOfNamespace.get(namespace);
    if (!labels) {
      labels = this.graph.namespaceLabels(namespace);
      this.labelsOfNamespace.set(namespace, labels);
    }
    return labels;
  };

  constructor(readonly graph: ClusterGraph) {
    this.policies = graph.all().filter(isNetworkPolicy).map(readNetworkPolicy);
    for (const policy of this.policies) {
      const list = this.byNamespace.get(policy.namespace) ?? [];
      list.push(policy);
      this.byNamespace.set(policy.namespace, list);
    }
  }

  policiesIn(namespace: string): NetworkPolicyModel[] {
    return this.byNamespace.get(namespace) ?? [];
  }

  /** Policies whose podSelector selects the pod, in the pod's namespace. */
  policiesSelecting(pod: PodTemplate): NetworkPolicyModel[] {
    let list = this.selecting.get(pod);
    if (!list) {
      list = this.policiesIn(pod.namespace).filter((p) => matchesLabelSelector(p.podSelector, pod.labels));
      this.selecting.set(pod, list);
    }
    return list;
  }

  private readonly isolatingCache: Record<Direction, WeakMap<PodTemplate, NetworkPolicyModel[]>> = {
    ingress: new WeakMap(),
    egress: new WeakMap(),
  };

  isolating(pod: PodTemplate, direction: Direction): NetworkPolicyModel[] {
    let list = this.isolatingCache[direction].get(pod);
    if (!list) {
      list = this.policiesSelecting(pod).filter((p) => p.isolates[direction]);
      this.isolatingCache[direction].set(pod, list);
    }
    return list;
  }

  /** The verdict of one side: `pod` is the end whose policies apply, `other` the far end. */
  side(direction: Direction, pod: Endpoint, other: Endpoint, port: number, protocol: Protocol): DirectionVerdict {
    // Addresses outside the pods have no policies; declared external pods have policies this render does not hold.
    if (isIpEndpoint(pod) || isExternalPodEndpoint(pod)) return { isolated: false, allowed: true, isolatedBy: [], allowedBy: [] };
    const destination = direction === 'ingress' ? pod : other;
    const isolating = this.isolating(pod, direction);
    const allowedBy = isolating
      .filter((policy) =>
        policy.rules[direction].some((rule) => ruleAdmits(this.namespaceLabels, policy, rule, other, port, protocol, destination)),
      )
      .map((policy) => policy.id);
    return {
      isolated: isolating.length > 0,
      allowed: isolating.length === 0 || allowedBy.length > 0,
      isolatedBy: isolating.map((policy) => policy.id),
      allowedBy,
    };
  }

  evaluate(query: ConnectionQuery): ConnectionVerdict {
    const protocol = query.protocol ?? 'TCP';
    const egress = this.side('egress', query.from, query.to, query.port, protocol);
    const ingress = this.side('ingress', query.to, query.from, query.port, protocol);
    return { allowed: egress.allowed && ingress.allowed, egress, ingress };
  }
}

const indexes = new WeakMap<ClusterGraph, NetworkPolicyIndex>();

export function networkPolicyIndex(graph: ClusterGraph): NetworkPolicyIndex {
  let index = indexes.get(graph);
  if (!index) {
    index = new NetworkPolicyIndex(graph);
    indexes.set(graph, index);
  }
  return index;
}

/** Is a connection allowed by the cluster's NetworkPolicies, and which policies decided each side. */
export function evaluateConnection(graph: ClusterGraph, query: ConnectionQuery): ConnectionVerdict {
  return networkPolicyIndex(graph).evaluate(query);
}
