import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { referenceIndexOf } from '../tools/lib/references/reference-index.ts';
import { didYouMean } from '../tools/lib/references/did-you-mean.ts';

export default defineRule({
  id: 'references/hpa-target',
  severity: 'error',
  description: "Every HorizontalPodAutoscaler's scaleTargetRef names a workload that exists in its namespace",
  rationale:
    'An HPA whose target does not exist never scales anything: it sits with the condition "FailedGetScale" while the workload ' +
    'it was meant for runs at its fixed replica count through every load peak. Renaming a Deployment without its HPA does exactly this.',
  howToFix:
    'Point scaleTargetRef at the workload by kind and name, in the HPA\'s own namespace:\n\n' +
    '  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: order-service',
  check({ graph, report }) {
    const index = referenceIndexOf(graph);
    for (const hpa of graph.byKind('HorizontalPodAutoscaler')) {
      const target = (hpa as any).spec?.scaleTargetRef;
      if (!target || typeof target.kind !== 'string' || typeof target.name !== 'string') continue;
      const namespace = hpa.metadata.namespace ?? 'default';
      if (index.resolve(target.kind, namespace, target.name)) continue;
      report({
        object: hpa,
        path: ['spec', 'scaleTargetRef', 'name'],
        message: `${describeRef(refOf(hpa))} scales ${target.kind} "${target.name}", which does not exist in namespace ${namespace}` +
          didYouMean(target.name, index.namesOf(target.kind, namespace), `no ${target.kind} exists in namespace ${namespace}`),
      });
    }
  },
});
