// Ingress HTTP paths as validateHTTPIngressPath checks them (networking.k8s.io/v1, Kubernetes v1.33).
import type { ClusterGraph } from '../core/graph.ts';
import type { FieldPath, K8sObject } from '../core/types.ts';
import { apiGroupOf } from '../core/identity.ts';
import { formatPath } from '../core/yaml-source.ts';
import { fieldValue, isMap } from './values.ts';
import type { ApiProblem } from './problem.ts';

export const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_SUFFIXES = ['/..', '/.'];

function pathProblems(ingress: K8sObject, at: FieldPath, entry: Record<string, unknown>): ApiProblem[] {
  const problems: ApiProblem[] = [];
  const pathType = entry.pathType;
  const value = typeof entry.path === 'string' ? entry.path : '';
  const pathField: FieldPath = [...at, 'path'];
  const invalid = (reason: string, key: string) =>
    problems.push({ object: ingress, path: pathField, messageId: 'ingressPath', data: { field: formatPath(pathField), value: fieldValue(value), reason }, key });
  if (typeof pathType !== 'string') return problems; // a missing pathType is schema/strict's required field
  if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!value.startsWith('/')) invalid('must be an absolute path', 'absolute');
    for (const sequence of INVALID_SEQUENCES) if (value.includes(sequence)) invalid(`must not contain '${sequence}'`, sequence);
    for (const suffix of INVALID_SUFFIXES) if (value.endsWith(suffix)) invalid(`cannot end with '${suffix}'`, suffix);
  } else if (pathType === 'ImplementationSpecific') {
    if (value.length > 0 && !value.startsWith('/')) invalid('must be an absolute path', 'absolute');
  } else {
    const field: FieldPath = [...at, 'pathType'];
    problems.push({ object: ingress, path: field, messageId: 'pathTypeUnsupported', data: { field: formatPath(field), value: fieldValue(pathType) } });
  }
  return problems;
}

export function ingressProblems(graph: ClusterGraph): ApiProblem[] {
  const problems: ApiProblem[] = [];
  for (const ingress of graph.byKind('Ingress')) {
    if (apiGroupOf(ingress) !== 'networking.k8s.io') continue;
    const rules = (ingress as any).spec?.rules;
    if (!Array.isArray(rules)) continue;
    rules.forEach((rule: any, r: number) => {
      const paths = rule?.http?.paths;
      if (!Array.isArray(paths)) return;
      paths.forEach((entry: unknown, p: number) => {
        if (isMap(entry)) problems.push(...pathProblems(ingress, ['spec', 'rules', r, 'http', 'paths', p], entry));
      });
    });
  }
  return problems;
}
