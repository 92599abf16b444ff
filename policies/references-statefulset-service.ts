import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { referenceIndexOf } from '../tools/lib/references/reference-index.ts';
import { missingServiceHint } from '../tools/lib/references/service-port-ref.ts';

export default defineRule({
  id: 'references/statefulset-service',
  severity: 'error',
  description: "A StatefulSet's serviceName is a headless Service that exists in its namespace",
  rationale:
    'The StatefulSet controller gives each pod a stable DNS name (`<pod>.<serviceName>.<ns>.svc`) through the governing Service, ' +
    'which must exist and be headless (`clusterIP: None`). Without it the per-pod names never resolve, so peers that find each ' +
    'other by them (NATS, Neo4j, Redis replicas, Ollama clients) fail to form a cluster.',
  howToFix:
    'Create (or name) a headless Service that selects the StatefulSet\'s pods:\n\n' +
    '  apiVersion: v1\n  kind: Service\n  metadata:\n    name: nats-headless\n  spec:\n    clusterIP: None\n    selector:\n      app.kubernetes.io/name: nats\n    ports:\n      - name: client\n        port: 4222\n\n' +
    'and set `spec.serviceName: nats-headless` on the StatefulSet.',
  check({ graph, report }) {
    const index = referenceIndexOf(graph);
    for (const sts of graph.byKind('StatefulSet')) {
      const serviceName = (sts as any).spec?.serviceName;
      if (typeof serviceName !== 'string' || serviceName === '') continue;
      const namespace = sts.metadata.namespace ?? 'default';
      const resolved = index.resolve('Service', namespace, serviceName);
      const where = `${describeRef(refOf(sts))} names serviceName "${serviceName}"`;
      if (!resolved) {
        report({ object: sts, path: ['spec', 'serviceName'], message: `${where}, which does not exist in namespace ${namespace}${missingServiceHint(index, namespace, serviceName)}` });
        continue;
      }
      const clusterIP = (resolved.object as any)?.spec?.clusterIP;
      if (resolved.object && clusterIP !== 'None') {
        const headless = graph.byKind('Service', namespace).filter((s) => (s as any).spec?.clusterIP === 'None').map((s) => `"${s.metadata.name}"`);
        report({
          object: sts,
          path: ['spec', 'serviceName'],
          message: `${where}, which is not headless (clusterIP: ${clusterIP ?? 'allocated'}): the pods get no per-pod DNS names` +
            (headless.length ? `; headless Services in namespace ${namespace}: ${headless.join(', ')}` : `; no headless Service exists in namespace ${namespace}`),
          related: [{ message: 'the Service, which needs clusterIP: None', object: resolved.object, path: ['spec'] }],
        });
      }
    }
  },
});
