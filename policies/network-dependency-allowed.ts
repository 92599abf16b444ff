import { defineRule, describeRef, refOf, type RelatedPlace } from '../tools/lib/core/rule.ts';
import { networkPolicyIndex, type DirectionVerdict } from '../tools/lib/network/evaluate.ts';
import { dependencyEdges } from '../tools/lib/network/dependencies.ts';
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
    'already knows the edges from the port registry and env, so it proves them against the policies before merge.',
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
    'and the mirror-image ingress rule on the destination. Dependencies that cannot be inferred from env, ConfigMaps or args can be ' +
    'declared with the annotation `policy-check.dev/depends-on: "svc.ns:port, ..."` on the workload, and are then checked too.',
  messages: {
    blocked: '{{source}} depends on {{service}} ("{{address}}" via {{via}}) but NetworkPolicies block it (missing {{sides}}): {{problems}}',
  },
  check({ graph, report }) {
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
  },
});
