import { defineRule, type RelatedPlace } from '../tools/lib/core/rule.ts';
import type { ClusterGraph } from '../tools/lib/core/graph.ts';
import type { K8sObject } from '../tools/lib/core/types.ts';
import { SCHEME_DEFAULT_PORTS, serviceReferences, type ServiceReference } from '../tools/lib/ports/service-refs.ts';
import { describeTemplate, isExternalName, isHeadless } from '../tools/lib/ports/port-registry.ts';
import { listeningPortsOf, servicePortsOf } from '../tools/lib/ports/port-model.ts';
import { declaredPortFor, declaredServiceFor, describeDeclaredPorts } from '../tools/lib/references/declared-services.ts';

interface Options {
  /** Namespaces whose Services this repository does not render (kube-system ...): references into them are not checked. */
  ignoreNamespaces: string[];
}

/** Ports a client can reach through this Service: its ports, and for headless Services (pod IPs) the pods' ports too. */
function reachablePorts(graph: ClusterGraph, service: K8sObject, perPod: boolean): Set<number> {
  const ports = new Set<number>();
  for (const p of servicePortsOf(service)) if (p.port !== undefined) ports.add(p.port);
  if (isHeadless(service) || perPod) {
    for (const p of servicePortsOf(service)) if (typeof p.targetPort === 'number') ports.add(p.targetPort);
    for (const template of graph.podsBehind(service)) for (const p of listeningPortsOf(template)) ports.add(p.containerPort);
  }
  return ports;
}

function describePorts(service: K8sObject): string {
  const ports = servicePortsOf(service);
  if (ports.length === 0) return 'no ports';
  return ports.map((p) => `${p.port}/${p.protocol}${p.name ? ` (${p.name})` : ''}`).join(', ');
}

function whereWritten(ref: ServiceReference): string {
  const holder = `${ref.holder.kind} ${ref.holder.metadata.namespace ?? 'default'}/${ref.holder.metadata.name}`;
  if (ref.via === 'configmap') return `${holder} key ${String(ref.path[1])}`;
  if (ref.via === 'annotation') return `${holder} annotation ${String(ref.path[ref.path.length - 1])}`;
  if (ref.via === 'env-literal') {
    const name = readName(ref.holder, ref.path.slice(0, -1));
    return name ? `${holder} env ${name}` : holder;
  }
  return `${holder} ${ref.via}`;
}

function readName(object: K8sObject, path: (string | number)[]): string | undefined {
  let current: any = object;
  for (const segment of path) current = current?.[segment];
  return typeof current?.name === 'string' ? current.name : undefined;
}

const placeOf = (ref: ServiceReference) => JSON.stringify([ref.path, ref.raw]);

/**
 * The workloads that read each ConfigMap value (configMapKeyRef or envFrom), named as the other end of a finding:
 * indexed once per cluster by the value's place, so the rule stays linear in the number of references.
 */
export function readersIndex(all: readonly ServiceReference[]): (ref: ServiceReference) => RelatedPlace[] {
  const byHolder = new Map<object, Map<string, RelatedPlace[]>>();
  for (const r of all) {
    if ((r.via !== 'configMapKeyRef' && r.via !== 'envFrom') || !r.consumer) continue;
    const places = byHolder.get(r.holder) ?? new Map<string, RelatedPlace[]>();
    byHolder.set(r.holder, places);
    const list = places.get(placeOf(r)) ?? [];
    places.set(placeOf(r), list);
    list.push({ message: `read by ${describeTemplate(r.consumer)}`, object: r.consumer.owner, path: r.consumerPath });
  }
  return (ref) => byHolder.get(ref.holder)?.get(placeOf(ref)) ?? [];
}

export default defineRule<Options>({
  id: 'ports/dangling-reference',
  severity: 'error',
  description: 'Every address naming an in-cluster Service resolves to a Service that exists and exposes that port',
  rationale:
    'Seed 000: monitoring dialled orchestrator:50052 while the orchestrator Service listened on 50055. Kubernetes accepts such a ' +
    'manifest without complaint; the failure shows up at run time as timeouts. Resolving every address the checker can see (env ' +
    'values, the registry and other ConfigMaps, args, the policy-check.dev/depends-on annotation) against the Services rendered for ' +
    'the same cluster, exactly as cluster DNS would (name, name.ns, name.ns.svc, name.ns.svc.cluster.local), turns that outage ' +
    'into a review comment that names both ends. A Service the platform runs outside this repository (a KubeRay head) counts ' +
    'when policies/config.yaml declares it for the cluster under `provides.services`, with its ports.',
  howToFix:
    'Dial a port the Service exposes (the message lists them), or fix the Service; better, read the address from the registry ' +
    'ConfigMap so it is written once:\n\n' +
    '  # service-ports\n' +
    '  ORCHESTRATOR_ADDRESS: "orchestrator.swe-ai-fleet.svc.cluster.local:50055"\n\n' +
    'A Service that does not exist in this cluster means a missing app in the overlay, a typo in the name, or a wrong namespace. ' +
    'When the platform runs it outside this repository, declare it for the cluster (then its ports are checked too):\n\n' +
    '  clusters:\n    staging:\n      provides:\n        services:\n' +
    '          - { namespace: ray, name: ray-gpu-head-svc, ports: [{ name: client, port: 10001 }, { name: dashboard, port: 8265 }] }\n\n' +
    'ExternalName Services are never dangling. Addresses in the namespaces of the option `ignoreNamespaces` (Services outside this repository) are not checked.',
  messages: {
    noService: '{{written}} dials "{{address}}", but cluster {{cluster}} has no Service {{name}} in namespace {{namespace}}',
    wrongPort: '{{written}} dials "{{address}}", but Service {{namespace}}/{{name}} exposes {{ports}}, not {{port}}',
    wrongDeclaredPort:
      '{{written}} dials "{{address}}", but Service {{namespace}}/{{name}}, which {{declaredIn}} declares outside the render, exposes {{ports}}, not {{port}}',
  },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ignoreNamespaces: { type: 'array', items: { type: 'string' }, description: 'Namespaces whose Services live outside this repository; addresses into them are not checked' },
    },
  },
  defaultOptions: { ignoreNamespaces: ['kube-system', 'kube-public'] },
  check({ graph, cluster, options, report }) {
    const all = serviceReferences(graph);
    const readersOf = readersIndex(all);
    for (const ref of all) {
      // A value read through configMapKeyRef/envFrom is checked once, where it is written (the ConfigMap).
      if (ref.via === 'configMapKeyRef' || ref.via === 'envFrom') continue;
      const declared = declaredServiceFor(graph, cluster, ref);
      const target = ref.target ?? declared?.target;
      if (!target) continue;
      if (!declared && options.ignoreNamespaces.includes(target.namespace)) continue;
      const readers = ref.via === 'configmap' ? readersOf(ref) : [];
      const written = whereWritten(ref);
      if (declared) {
        const { wanted, port } = declaredPortFor(declared, ref);
        if (wanted === undefined || port) continue;
        const ports = describeDeclaredPorts(declared.ports);
        report({
          object: ref.holder,
          path: ref.path,
          key: ref.raw,
          messageId: 'wrongDeclaredPort',
          data: { written, address: ref.raw, namespace: target.namespace, name: target.name, declaredIn: declared.from, ports, port: wanted },
          fix: ref.address.port !== undefined ? `"${ref.raw.replace(`:${ref.address.port}`, `:${declared.ports[0].port}`)}"` : undefined,
          related: readers,
        });
        continue;
      }
      const service = graph.get('Service', target.namespace, target.name);
      if (!service) {
        report({
          object: ref.holder,
          path: ref.path,
          key: ref.raw,
          messageId: 'noService',
          data: { written, address: ref.raw, cluster: cluster.name, name: target.name, namespace: target.namespace },
          fix:
            `point "${ref.raw}" at an existing Service, add Service ${target.namespace}/${target.name} to this cluster's overlay, ` +
            `or, when the platform runs it, declare it under clusters.${cluster.name}.provides.services in policies/config.yaml`,
          related: readers,
        });
        continue;
      }
      if (isExternalName(service)) continue;
      const port = ref.address.port ?? (ref.address.scheme ? SCHEME_DEFAULT_PORTS[ref.address.scheme] : undefined);
      if (port === undefined) continue;
      const reachable = reachablePorts(graph, service, target.hostname !== undefined);
      if (reachable.size === 0 && servicePortsOf(service).length === 0) continue;
      if (reachable.has(port)) continue;
      const real = describePorts(service);
      const suggestion = servicePortsOf(service).find((p) => p.port !== undefined);
      report({
        object: ref.holder,
        path: ref.path,
        key: ref.raw,
        messageId: 'wrongPort',
        data: { written, address: ref.raw, namespace: target.namespace, name: target.name, ports: real, port },
        fix: suggestion && ref.address.port !== undefined ? `"${ref.raw.replace(`:${ref.address.port}`, `:${suggestion.port}`)}"` : undefined,
        related: [{ message: `Service ${target.namespace}/${target.name} exposes ${real}`, object: service, path: ['spec', 'ports'] }, ...readers],
      });
    }
  },
});
