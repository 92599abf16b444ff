// The connectivity matrix of a cluster: which workload may open a connection to which, on which pod port,
// as the NetworkPolicies allow it. For display and for diffs between revisions.
import type { ConnectivityEdge } from '../core/types.ts';
import type { ClusterGraph, PodTemplate } from '../core/graph.ts';
import { describeRef, refOf } from '../core/rule.ts';
import { networkPolicyIndex, ruleAdmitsPort, type NetworkPolicyIndex } from './evaluate.ts';
import { listeningPortsOf, servedPortsOf, targetPortOn } from '../ports/port-model.ts';
import type { PolicyPeer, PolicyPort, PolicyRule, Protocol } from './policy.ts';
import { selectingServices } from './service-ports.ts';

export interface ConnectivityOptions {
  /** Also list flows to and from outside the rendered pods (ipBlock peers, rules open to anywhere, unisolated pods). Default true. */
  external?: boolean;
}

/** Peer label for everything outside the rendered pods. */
export const ANYWHERE = 'anywhere';

interface ListeningPort {
  port: number;
  protocol: Protocol;
}

/** Ports a workload's pods serve: the container ports it declares and the pod ports its Services target. */
function listeningPorts(graph: ClusterGraph): Map<PodTemplate, ListeningPort[]> {
  const result = new Map<PodTemplate, Map<string, ListeningPort>>();
  const add = (pod: PodTemplate, port: number, protocol: Protocol) => {
    const ports = result.get(pod) ?? new Map<string, ListeningPort>();
    ports.set(`${port}/${protocol}`, { port, protocol });
    result.set(pod, ports);
  };
  for (const pod of graph.podTemplates) {
    result.set(pod, new Map());
    for (const { containerPort, protocol } of listeningPortsOf(pod)) add(pod, containerPort, protocol);
  }
  for (const service of selectingServices(graph)) {
    const pods = graph.podsBehind(service);
    for (const servicePort of servedPortsOf(service)) {
      for (const pod of pods) {
        const port = targetPortOn(servicePort, pod);
        if (port !== undefined) add(pod, port, servicePort.protocol);
      }
    }
  }
  return new Map([...result].map(([pod, ports]) => [pod, [...ports.values()]]));
}

function workloadName(pod: PodTemplate): string {
  return describeRef(refOf(pod.owner));
}

function ipBlockLabel(peer: PolicyPeer): string {
  const block = peer.ipBlock!;
  return block.except.length ? `ipBlock ${block.cidr} except ${block.except.join(',')}` : `ipBlock ${block.cidr}`;
}

/** Outside peers a rule names: ipBlocks, or anywhere when it names no peers at all. */
function externalPeers(rule: PolicyRule): string[] {
  if (rule.peers === undefined) return [ANYWHERE];
  return rule.peers.filter((peer) => peer.valid && peer.ipBlock).map(ipBlockLabel);
}

function egressPortsOf(rule: PolicyRule): { port: number | string; protocol: string }[] {
  if (rule.ports === undefined) return [{ port: '*', protocol: '*' }];
  return rule.ports.map((p: PolicyPort) => ({
    port: p.port === undefined ? '*' : p.endPort !== undefined && typeof p.port === 'number' ? `${p.port}-${p.endPort}` : p.port,
    protocol: p.protocol,
  }));
}

function externalEdges(index: NetworkPolicyIndex, pod: PodTemplate, ports: ListeningPort[], add: (edge: ConnectivityEdge) => void): void {
  const name = workloadName(pod);
  const ingressPolicies = index.isolating(pod, 'ingress');
  if (ingressPolicies.length === 0) {
    for (const { port, protocol } of ports) add({ from: ANYWHERE, to: name, port, protocol });
  }
  for (const policy of ingressPolicies) {
    for (const rule of policy.rules.ingress) {
      for (const peer of externalPeers(rule)) {
        for (const { port, protocol } of ports) {
          if (ruleAdmitsPort(rule, port, protocol, pod)) add({ from: peer, to: name, port, protocol });
        }
      }
    }
  }
  const egressPolicies = index.isolating(pod, 'egress');
  if (egressPolicies.length === 0) add({ from: name, to: ANYWHERE, port: '*', protocol: '*' });
  for (const policy of egressPolicies) {
    for (const rule of policy.rules.egress) {
      for (const peer of externalPeers(rule)) {
        for (const { port, protocol } of egressPortsOf(rule)) add({ from: name, to: peer, port, protocol });
      }
    }
  }
}

// Code-point order, so the matrix reads the same on every machine whatever its locale.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareEdges(a: ConnectivityEdge, b: ConnectivityEdge): number {
  return (
    compareText(a.from, b.from) ||
    compareText(a.to, b.to) ||
    compareText(a.protocol, b.protocol) ||
    (typeof a.port === 'number' && typeof b.port === 'number' ? a.port - b.port : compareText(String(a.port), String(b.port)))
  );
}

/** Every allowed flow between the rendered workloads (and, by default, to and from outside them), sorted. */
export function connectivityOf(graph: ClusterGraph, options: ConnectivityOptions = {}): ConnectivityEdge[] {
  const index = networkPolicyIndex(graph);
  const ports = listeningPorts(graph);
  const names = new Map(graph.podTemplates.map((pod) => [pod, workloadName(pod)]));
  // Workload pairs are unique by construction; only outside flows can repeat (several rules naming one ipBlock).
  const pairEdges: ConnectivityEdge[] = [];
  const externalEdgesByKey = new Map<string, ConnectivityEdge>();
  const addExternal = (edge: ConnectivityEdge) => externalEdgesByKey.set(`${edge.from}\0${edge.to}\0${edge.port}\0${edge.protocol}`, edge);
  for (const destination of graph.podTemplates) {
    const destinationPorts = ports.get(destination) ?? [];
    const to = names.get(destination)!;
    for (const source of graph.podTemplates) {
      for (const { port, protocol } of destinationPorts) {
        if (index.evaluate({ from: source, to: destination, port, protocol }).allowed) {
          pairEdges.push({ from: names.get(source)!, to, port, protocol });
        }
      }
    }
    if (options.external ?? true) externalEdges(index, destination, destinationPorts, addExternal);
  }
  return [...pairEdges, ...externalEdgesByKey.values()].sort(compareEdges);
}

/** An aligned text table, one line per (from, to) pair with its ports. */
export function formatConnectivity(edges: ConnectivityEdge[]): string {
  if (edges.length === 0) return 'no allowed connections\n';
  const rows: [string, string, string][] = [];
  const pairs = new Map<string, { from: string; to: string; ports: string[] }>();
  for (const edge of [...edges].sort(compareEdges)) {
    const key = `${edge.from}\0${edge.to}`;
    const pair = pairs.get(key) ?? { from: edge.from, to: edge.to, ports: [] };
    pair.ports.push(edge.port === '*' && edge.protocol === '*' ? 'all ports' : `${edge.port}/${edge.protocol}`);
    pairs.set(key, pair);
  }
  for (const pair of pairs.values()) rows.push([pair.from, pair.to, pair.ports.join(', ')]);
  const header: [string, string, string] = ['FROM', 'TO', 'PORTS'];
  const width = (column: 0 | 1) => Math.max(header[column].length, ...rows.map((row) => row[column].length));
  const [fromWidth, toWidth] = [width(0), width(1)];
  const line = (row: [string, string, string]) => `${row[0].padEnd(fromWidth)}  ${row[1].padEnd(toWidth)}  ${row[2]}`.trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
