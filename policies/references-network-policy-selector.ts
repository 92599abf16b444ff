import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { formatLabelSelector, isEmptySelector } from '../tools/lib/core/label-selector.ts';
import { referenceIndexOf } from '../tools/lib/references/reference-index.ts';
import { selectorMiss } from '../tools/lib/references/selector-hint.ts';

export default defineRule({
  id: 'references/network-policy-selector',
  severity: 'error',
  description: "A NetworkPolicy's podSelector selects at least one pod template in its namespace",
  rationale:
    'A NetworkPolicy whose podSelector matches no pod does nothing: the ingress or egress it was written to allow stays denied ' +
    'by the namespace default-deny, and the pods it was meant for are cut off, or the isolation it was meant to add never applies. ' +
    'kube-linter reports the same (dangling NetworkPolicy). Pods a controller starts at run time count when the checker recognises ' +
    'the controller: cert-manager\'s HTTP-01 solver pods, for an Ingress or Certificate whose issuer has an http01 solver.',
  howToFix:
    'Select the pods with labels their template carries (an empty `podSelector: {}` selects every pod of the namespace):\n\n' +
    '  spec:\n    podSelector:\n      matchLabels:\n        app.kubernetes.io/name: order-service',
  check({ graph, report }) {
    const index = referenceIndexOf(graph);
    for (const policy of graph.byKind('NetworkPolicy')) {
      const selector = (policy as any).spec?.podSelector;
      if (!selector || typeof selector !== 'object' || isEmptySelector(selector)) continue;
      const namespace = policy.metadata.namespace ?? 'default';
      if (index.pods.matching(namespace, selector).length > 0 || index.runtimePods.matching(namespace, selector).length > 0) continue;
      const miss = selectorMiss(index.pods, namespace, selector, 'pod templates');
      report({
        object: policy,
        path: miss.key !== undefined ? ['spec', 'podSelector', 'matchLabels', miss.key] : ['spec', 'podSelector'],
        message: `${describeRef(refOf(policy))} selects ${formatLabelSelector(selector)}, which matches no pod template in namespace ${namespace}: the policy applies to nothing${miss.hint}`,
      });
    }
  },
});
