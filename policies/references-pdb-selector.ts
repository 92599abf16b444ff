import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { formatLabelSelector } from '../tools/lib/core/label-selector.ts';
import { referenceIndexOf } from '../tools/lib/references/reference-index.ts';
import { selectorMiss } from '../tools/lib/references/selector-hint.ts';

export default defineRule({
  id: 'references/pdb-selector',
  severity: 'error',
  description: 'Every PodDisruptionBudget selects at least one pod template in its namespace',
  rationale:
    'A PodDisruptionBudget that selects no pod protects nothing: node drains and cluster upgrades evict the pods it was written ' +
    'for all at once. A selector on `app` while the pods carry `app.kubernetes.io/name` is the usual cause.',
  howToFix:
    'Use the labels of the pod template the budget protects:\n\n' +
    '  spec:\n    minAvailable: 1\n    selector:\n      matchLabels:\n        app.kubernetes.io/name: order-service',
  check({ graph, report }) {
    const index = referenceIndexOf(graph);
    for (const pdb of graph.byKind('PodDisruptionBudget')) {
      const namespace = pdb.metadata.namespace ?? 'default';
      const selector = (pdb as any).spec?.selector;
      const name = describeRef(refOf(pdb));
      if (selector === undefined || selector === null) {
        report({ object: pdb, path: ['spec'], message: `${name} has no selector, so it selects no pod (policy/v1: only an empty selector {} selects every pod)` });
        continue;
      }
      if (index.pods.matching(namespace, selector).length > 0) continue;
      const miss = selectorMiss(index.pods, namespace, selector, 'pod templates');
      report({
        object: pdb,
        path: miss.key !== undefined ? ['spec', 'selector', 'matchLabels', miss.key] : ['spec', 'selector'],
        message: `${name} selects ${formatLabelSelector(selector)}, which matches no pod template in namespace ${namespace}: it protects nothing${miss.hint}`,
      });
    }
  },
});
