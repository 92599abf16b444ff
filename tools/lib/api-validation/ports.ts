// Port numbers and names as the API server checks them: Service ports (validateServicePort, the node port
// allocator's range) and container ports (validateContainerPorts), in every pod template.
import type { ClusterGraph } from '../core/graph.ts';
import { containersOf } from '../core/graph.ts';
import type { FieldPath, K8sObject } from '../core/types.ts';
import { apiGroupOf } from '../core/identity.ts';
import { formatPath } from '../core/yaml-source.ts';
import { isDNS1123Label, isValidPortName, isValidPortNum } from './validators.ts';
import { fieldValue, isMap } from './values.ts';
import type { ApiProblem } from './problem.ts';

export interface PortRange {
  first: number;
  last: number;
}

/** `--service-node-port-range` as kube-apiserver takes it: "30000-32767". */
export function parsePortRange(text: string): PortRange | undefined {
  const match = /^(\d+)-(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  const first = Number(match[1]);
  const last = Number(match[2]);
  return first >= 1 && first <= last && last <= 65535 ? { first, last } : undefined;
}

function invalidEach(object: K8sObject, path: FieldPath, value: unknown, reasons: string[], messageId = 'invalidPort'): ApiProblem[] {
  return reasons.map((reason, i) => ({ object, path, messageId, data: { field: formatPath(path), value: fieldValue(value), reason }, key: String(i) }));
}

function numberOrName(object: K8sObject, path: FieldPath, value: unknown): ApiProblem[] {
  if (typeof value === 'number') return invalidEach(object, path, value, isValidPortNum(value));
  if (typeof value === 'string') return invalidEach(object, path, value, isValidPortName(value), 'invalidPortName');
  return [];
}

function serviceProblems(service: K8sObject, nodePorts: PortRange): ApiProblem[] {
  const spec = (service as any).spec;
  if (!isMap(spec) || !Array.isArray(spec.ports)) return [];
  const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
  const problems: ApiProblem[] = [];
  spec.ports.forEach((port: unknown, index: number) => {
    if (!isMap(port)) return;
    const at = (field: string): FieldPath => ['spec', 'ports', index, field];
    if (typeof port.name === 'string' && port.name !== '') problems.push(...invalidEach(service, at('name'), port.name, isDNS1123Label(port.name), 'invalidPortName'));
    if (typeof port.port === 'number') problems.push(...invalidEach(service, at('port'), port.port, isValidPortNum(port.port)));
    if (port.targetPort !== undefined && port.targetPort !== 0) problems.push(...numberOrName(service, at('targetPort'), port.targetPort));
    const nodePort = port.nodePort;
    if (typeof nodePort !== 'number' || nodePort === 0) return;
    if (type === 'ClusterIP') {
      problems.push({ object: service, path: at('nodePort'), messageId: 'nodePortOnClusterIP', data: { field: formatPath(at('nodePort')) } });
    } else if (nodePort < nodePorts.first || nodePort > nodePorts.last) {
      const range = `${nodePorts.first}-${nodePorts.last}`;
      problems.push({ object: service, path: at('nodePort'), messageId: 'nodePortRange', data: { field: formatPath(at('nodePort')), value: nodePort, range } });
    }
  });
  return problems;
}

export function portProblems(graph: ClusterGraph, nodePorts: PortRange): ApiProblem[] {
  const problems: ApiProblem[] = [];
  for (const service of graph.byKind('Service')) if (apiGroupOf(service) === '') problems.push(...serviceProblems(service, nodePorts));
  for (const template of graph.podTemplates) {
    for (const entry of containersOf(template)) {
      const ports = entry.container.ports;
      if (!Array.isArray(ports)) continue;
      ports.forEach((port: unknown, index: number) => {
        if (!isMap(port)) return;
        const at = (field: string): FieldPath => [...entry.path, 'ports', index, field];
        if (typeof port.name === 'string' && port.name !== '') problems.push(...invalidEach(template.owner, at('name'), port.name, isValidPortName(port.name), 'invalidPortName'));
        if (typeof port.containerPort === 'number' && port.containerPort !== 0) problems.push(...invalidEach(template.owner, at('containerPort'), port.containerPort, isValidPortNum(port.containerPort)));
        if (typeof port.hostPort === 'number' && port.hostPort !== 0) problems.push(...invalidEach(template.owner, at('hostPort'), port.hostPort, isValidPortNum(port.hostPort)));
      });
    }
  }
  return problems;
}
