import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import type { FieldPath, K8sObject } from '../tools/lib/core/types.ts';
import { apiGroupOf } from '../tools/lib/core/graph.ts';
import { referenceIndexOf } from '../tools/lib/references/reference-index.ts';
import { missingServiceHint, servicePortProblem } from '../tools/lib/references/service-port-ref.ts';

interface BackendRef {
  path: FieldPath;
  namespace: string;
  name: unknown;
  port: { number?: unknown; name?: unknown };
  portPath: FieldPath;
  /** Gateway API requires a port for a Service backend. */
  portRequired: boolean;
}

function ingressBackends(ingress: K8sObject): BackendRef[] {
  const spec = (ingress as any).spec ?? {};
  const namespace = ingress.metadata.namespace ?? 'default';
  const refs: BackendRef[] = [];
  const add = (backend: any, path: FieldPath) => {
    const service = backend?.service;
    if (!service || typeof service !== 'object') return;
    const portPath = [...path, 'service', 'port', service.port?.name !== undefined ? 'name' : 'number'];
    refs.push({ path: [...path, 'service', 'name'], namespace, name: service.name, port: service.port ?? {}, portPath, portRequired: false });
  };
  add(spec.defaultBackend, ['spec', 'defaultBackend']);
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule: any, r: number) => {
    (Array.isArray(rule?.http?.paths) ? rule.http.paths : []).forEach((p: any, i: number) => add(p?.backend, ['spec', 'rules', r, 'http', 'paths', i, 'backend']));
  });
  return refs;
}

function routeBackends(route: K8sObject): BackendRef[] {
  const spec = (route as any).spec ?? {};
  const namespace = route.metadata.namespace ?? 'default';
  const refs: BackendRef[] = [];
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule: any, r: number) => {
    (Array.isArray(rule?.backendRefs) ? rule.backendRefs : []).forEach((ref: any, i: number) => {
      if (!ref || (ref.group ?? '') !== '' || (ref.kind ?? 'Service') !== 'Service') return;
      const path = ['spec', 'rules', r, 'backendRefs', i];
      refs.push({ path: [...path, 'name'], namespace: typeof ref.namespace === 'string' ? ref.namespace : namespace, name: ref.name, port: { number: ref.port }, portPath: [...path, 'port'], portRequired: true });
    });
  });
  return refs;
}

const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute']);

export default defineRule({
  id: 'references/route-backend',
  severity: 'error',
  description: 'Every Ingress and Gateway API HTTPRoute/GRPCRoute backend names a Service that exists and a port it exposes',
  rationale:
    'A backend Service that does not exist, or a port it does not expose, answers every request with 503 (ingress-nginx) or ' +
    'a 500 "no healthy upstream"; the Ingress or route is accepted by the API server without complaint, so the break shows up ' +
    'only in traffic.',
  howToFix:
    'Name the Service and one of its ports, by number (`port.number`) or by the Service port name (`port.name`):\n\n' +
    '  backend:\n    service:\n      name: order-service\n      port:\n        name: http\n\n' +
    'For an HTTPRoute, `backendRefs: [{name: order-service, port: 8080}]` (the port is required for a Service).',
  check({ graph, report }) {
    const index = referenceIndexOf(graph);
    const holders = [
      ...graph.byKind('Ingress').filter((o) => apiGroupOf(o) === 'networking.k8s.io').map((o) => ({ object: o, refs: ingressBackends(o) })),
      ...[...ROUTE_KINDS].flatMap((kind) => graph.byKind(kind).filter((o) => apiGroupOf(o) === 'gateway.networking.k8s.io').map((o) => ({ object: o, refs: routeBackends(o) }))),
    ];
    for (const { object, refs } of holders) {
      const holder = describeRef(refOf(object));
      for (const ref of refs) {
        if (typeof ref.name !== 'string' || ref.name === '') continue;
        const resolved = index.resolve('Service', ref.namespace, ref.name);
        if (!resolved) {
          report({ object, path: ref.path, message: `${holder} routes to Service "${ref.name}", which does not exist in namespace ${ref.namespace}${missingServiceHint(index, ref.namespace, ref.name)}` });
          continue;
        }
        if (ref.portRequired && ref.port.number === undefined) {
          report({ object, path: ref.path, message: `${holder} routes to Service "${ref.name}" without a port, which Gateway API requires for a Service backend` });
          continue;
        }
        const problem = servicePortProblem(resolved.object, ref.port);
        if (problem) report({ object, path: ref.portPath, message: `${holder} routes to Service ${ref.namespace}/${ref.name} port ${ref.port.name ?? ref.port.number}, but the Service ${problem}` });
      }
    }
  },
});
