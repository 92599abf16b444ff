import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { formatLabelSelector } from '../tools/lib/core/label-selector.ts';
import { isExternalName } from '../tools/lib/ports/port-registry.ts';
import { referenceIndexOf } from '../tools/lib/references/reference-index.ts';
import { selectorMiss } from '../tools/lib/references/selector-hint.ts';

export default defineRule({
  id: 'references/service-selector',
  severity: 'error',
  description: 'Every Service selector selects at least one pod template in its namespace',
  rationale:
    'A Service whose selector matches no pod has no endpoints: every client gets "connection refused" or a timeout, and nothing ' +
    'in kubectl apply or the reconciler reports it. A typo in one label value is enough.',
  howToFix:
    'Make the selector equal to labels the pod template carries:\n\n' +
    '  # Service\n  spec:\n    selector:\n      app.kubernetes.io/name: order-service\n' +
    '  # Deployment\n  spec:\n    template:\n      metadata:\n        labels:\n          app.kubernetes.io/name: order-service\n\n' +
    'A Service meant to have manual Endpoints/EndpointSlices has no `selector` at all.',
  check({ graph, report }) {
    const index = referenceIndexOf(graph);
    for (const service of graph.byKind('Service')) {
      if (isExternalName(service)) continue;
      const selector = (service as any).spec?.selector;
      if (!selector || typeof selector !== 'object' || Object.keys(selector).length === 0) continue;
      const namespace = service.metadata.namespace ?? 'default';
      if (index.pods.matchingEquality(namespace, selector).length > 0) continue;
      const miss = selectorMiss(index.pods, namespace, { matchLabels: selector }, 'pod templates');
      report({
        object: service,
        path: miss.key !== undefined ? ['spec', 'selector', miss.key] : ['spec', 'selector'],
        message: `${describeRef(refOf(service))} selects ${formatLabelSelector({ matchLabels: selector })}, which matches no pod template in namespace ${namespace}: the Service has no endpoints${miss.hint}`,
      });
    }
  },
});
