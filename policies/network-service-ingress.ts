import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { networkPolicyIndex, ruleAdmitsPort } from '../tools/lib/network/evaluate.ts';
import { selectingServices } from '../tools/lib/network/service-ports.ts';
import { servedPortsOf, targetPortOn } from '../tools/lib/ports/port-model.ts';
import { endOf, serviceIngressSnippet } from '../tools/lib/network/snippets.ts';

export default defineRule({
  id: 'network/service-ingress',
  severity: 'error',
  description: 'Every port a Service exposes is admitted by some NetworkPolicy on the pods behind it',
  rationale:
    'Once a pod is isolated for ingress, a Service in front of it is only as reachable as the policies allow. A Service port ' +
    'that no policy admits, for any peer, can never be reached: the Deployment rolls out green, readiness probes pass ' +
    '(the kubelet is exempt), and every client times out. Catching it in review is far cheaper than finding it in an outage.',
  howToFix:
    'Add an ingress rule on the pods behind the Service for the pod port the Service targets, from the clients that call it:\n\n' +
    '  apiVersion: networking.k8s.io/v1\n' +
    '  kind: NetworkPolicy\n' +
    '  metadata:\n' +
    '    name: orchestrator-ingress\n' +
    '    namespace: swe-ai-fleet\n' +
    '  spec:\n' +
    '    podSelector:\n' +
    '      matchLabels: {app: orchestrator}\n' +
    '    policyTypes: [Ingress]\n' +
    '    ingress:\n' +
    '      - from:\n' +
    '          - podSelector:\n' +
    '              matchLabels: {app: monitoring-dashboard}\n' +
    '        ports:\n' +
    '          - port: grpc\n\n' +
    'If the port is not meant to be reached, remove it from the Service.',
  messages: {
    unreachable:
      '{{service}} port {{port}} can never be reached: {{workload}} is isolated for ingress by {{policies}} and no policy admits {{target}} from any peer',
  },
  check({ graph, report }) {
    const index = networkPolicyIndex(graph);
    for (const service of selectingServices(graph)) {
      const pods = graph.podsBehind(service);
      for (const servicePort of servedPortsOf(service)) {
        for (const pod of pods) {
          const port = targetPortOn(servicePort, pod);
          // A named targetPort the pod does not declare is a ports finding; there is nothing to admit.
          if (port === undefined) continue;
          const isolating = index.isolating(pod, 'ingress');
          if (isolating.length === 0) continue;
          const admitted = isolating.some((policy) =>
            policy.rules.ingress.some(
              (rule) => (rule.peers === undefined || rule.peers.some((peer) => peer.valid)) && ruleAdmitsPort(rule, port, servicePort.protocol, pod),
            ),
          );
          if (admitted) continue;
          const workload = describeRef(refOf(pod.owner));
          const portText = servicePort.name ? `${servicePort.port} (${servicePort.name})` : `${servicePort.port}`;
          report({
            object: service,
            path: servicePort.path,
            key: `${servicePort.index}|${workload}`,
            messageId: 'unreachable',
            data: {
              service: describeRef(refOf(service)),
              port: portText,
              workload,
              policies: isolating.map((p) => p.id).join(', '),
              target: `${port}/${servicePort.protocol}`,
            },
            fix: serviceIngressSnippet(endOf(pod), port, servicePort.protocol),
            related: [{ message: `pods behind the Service: ${workload}`, object: pod.owner, path: pod.metadataPath }],
          });
        }
      }
    }
  },
});
