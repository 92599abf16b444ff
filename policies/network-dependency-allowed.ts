import { defineRule, describeRef, refOf, type RelatedPlace } from '../tools/lib/core/rule.ts';
import { networkPolicyIndex, type DirectionVerdict } from '../tools/lib/network/evaluate.ts';
import { dependencyEdges } from '../tools/lib/network/dependencies.ts';
import { externalDependencyEdges } from '../tools/lib/network/external-dependencies.ts';
import { egressSnippet, endOf, ingressSnippet } from '../tools/lib/network/snippets.ts';
import { serviceReferences, type ReferenceVia } from '../tools/lib/ports/service-refs.ts';

const VIA_TEXT: Record<ReferenceVia, string> = {
  'env-literal': 'an env value',
  configMapKeyRef: 'configMapKeyRef',
  envFrom: 'envFrom',
  args: 'its args',
  command: 'its command',
  configmap: 'a ConfigMap',
  annotation: 'the policy-check.dev/depends-on annotation',
};

function blockedBy(verdict: DirectionVerdict): string {
  return `isolated by ${verdict.isolatedBy.join(', ')} and no rule admits it`;
}

export default defineRule({
  id: 'network/dependency-allowed',
  severity: 'error',
  description: 'Every dependency the checker can see (an address that resolves to a Service) is allowed by NetworkPolicies at both ends, on that port',
  rationale:
    'A workload that reads ORCHESTRATOR_ADDRESS will dial that Service. With default-deny in place the call only works if the ' +
    'caller may send (egress at the source) and the callee may receive (ingress at the destination) on the pod port behind the ' +
    'Service port. Either side missing is a timeout in production that no unit test and no rollout status shows. The checker ' +
    'already knows the edges from the port registry and env, so it proves them against the policies before merge. A Service the ' +
    'platform runs outside this repository (declared under `provides.services` in policies/config.yaml, a KubeRay head for ' +
    'instance) is a dependency too: the source\'s egress must allow its namespace, pod labels and port; its own ingress is the platform\'s.',
  howToFix:
    'Add the missing side; the finding carries a ready NetworkPolicy. Egress at the source, for example:\n\n' +
    '  apiVersion: networking.k8s.io/v1\n' +
    '  kind: NetworkPolicy\n' +
    '  metadata:\n' +
    '    name: monitoring-dashboard-to-orchestrator\n' +
    '    namespace: swe-ai-fleet\n' +
    '  spec:\n' +
    '    podSelector:\n' +
    '      matchLabels: {app: monitoring-dashboard}\n' +
    '    policyTypes: [Egress]\n' +
    '    egress:\n' +
    '      - to:\n' +
    '          - podSelector:\n' +
    '              matchLabels: {app: orchestrator}\n' +
    '        ports:\n' +
    '          - {protocol: TCP, port: 50055}\n\n' +
    'and the mirror-image ingress rule on the destination. For a declared Service outside the render, the egress rule names its ' +
    'namespace and the pod labels the declaration gives (`podLabels`), on its port or the port name it declares:\n\n' +
    '    egress:\n' +
    '      - to:\n' +
    '          - namespaceSelector:\n' +
    '              matchLabels: {kubernetes.io/metadata.name: ray}\n' +
    '            podSelector:\n' +
    '              matchLabels: {ray.io/node-type: head}\n' +
    '        ports:\n' +
    '          - {protocol: TCP, port: 10001}\n\n' +
    'Dependencies that cannot be inferred from env, ConfigMaps or args can be ' +
    'declared with the annotation `policy-check.dev/depends-on: "svc.ns:port, ..."` on the workload, and are then checked too.',
  messages: {
    blocked: '{{source}} depends on {{service}} ("{{address}}" via {{via}}) but NetworkPolicies block it (missing {{sides}}): {{problems}}',
    blockedExternal:
      '{{source}} depends on {{service}} ("{{address}}" via {{via}}), which {{declaredIn}} declares outside the render, but its egress ' +
      'to pods {{pods}} in namespace {{namespace}} port {{port}} is not allowed ({{problem}})',
  },
  check({ graph, cluster, report }) {
    const index = networkPolicyIndex(graph);
    for (const edge of dependencyEdges(graph, serviceReferences(graph))) {
      const { consumer, service, servicePort, reference } = edge;
      const source = describeRef(refOf(consumer.owner));
      const problems: string[] = [];
      const fixes = new Set<string>();
      let egressMissing = false;
      let ingressMissing = false;
      for (const destination of edge.destinations) {
        const verdict = index.evaluate({ from: consumer, to: destination.pod, port: destination.port, protocol: servicePort.protocol });
        if (verdict.allowed) continue;
        const target = `${describeRef(refOf(destination.pod.owner))} port ${destination.port}/${servicePort.protocol}`;
        if (!verdict.egress.allowed) {
          egressMissing = true;
          problems.push(`egress at the source to ${target} is not allowed (${blockedBy(verdict.egress)})`);
          fixes.add(egressSnippet(endOf(consumer), endOf(destination.pod), destination.port, servicePort.protocol));
        }
        if (!verdict.ingress.allowed) {
          ingressMissing = true;
          problems.push(`ingress at the destination ${target} is not allowed (${blockedBy(verdict.ingress)})`);
          fixes.add(ingressSnippet(endOf(consumer), endOf(destination.pod), destination.port, servicePort.protocol));
        }
      }
      if (problems.length === 0) continue;
      const serviceText = `${describeRef(refOf(service))} port ${servicePort.port}/${servicePort.protocol}`;
      const sides = [egressMissing && 'egress', ingressMissing && 'ingress'].filter(Boolean).join(' and ');
      const related: RelatedPlace[] = [{ message: `destination ${serviceText}`, object: service, path: servicePort.path }];
      if (reference.holder !== consumer.owner) {
        related.push({ message: `address "${reference.raw}" is written here`, object: reference.holder, path: reference.path });
      }
      report({
        object: consumer.owner,
        path: edge.consumerPath,
        key: `${service.metadata.namespace}/${service.metadata.name}:${servicePort.port}/${servicePort.protocol}`,
        messageId: 'blocked',
        data: { source, service: serviceText, address: reference.raw, via: VIA_TEXT[reference.via], sides, problems: problems.join('; ') },
        fix: [...fixes].join('---\n'),
        related,
      });
    }
    for (const edge of externalDependencyEdges(graph, cluster, serviceReferences(graph))) {
      const { consumer, port, reference, destination } = edge;
      const verdict = index.side('egress', consumer, destination, port.podPort, port.protocol);
      if (verdict.allowed) continue;
      const { namespace, name } = edge.service.declared;
      const pods = Object.keys(destination.labels).length === 0 ? '(no labels declared)' : Object.entries(destination.labels).map(([k, v]) => `${k}=${v}`).join(',');
      report({
        object: consumer.owner,
        path: edge.consumerPath,
        key: `${namespace}/${name}:${port.port}/${port.protocol}`,
        messageId: 'blockedExternal',
        data: {
          source: describeRef(refOf(consumer.owner)),
          service: `Service ${namespace}/${name} port ${port.port}/${port.protocol}`,
          address: reference.raw,
          via: VIA_TEXT[reference.via],
          declaredIn: edge.service.from,
          pods,
          namespace,
          port: `${port.podPort}/${port.protocol}`,
          problem: blockedBy(verdict),
        },
        fix: egressSnippet(endOf(consumer), { name, namespace, labels: destination.labels }, port.podPort, port.protocol),
        related: reference.holder !== consumer.owner ? [{ message: `address "${reference.raw}" is written here`, object: reference.holder, path: reference.path }] : [],
      });
    }
  },
});
