import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';

export default defineRule({
  id: 'references/hpa-replicas',
  severity: 'error',
  description: 'A Deployment or StatefulSet that an HPA scales does not also set spec.replicas',
  rationale:
    'The HPA owns the replica count of its target. When git also sets `spec.replicas`, every reconcile (Flux apply, Argo CD sync ' +
    'or self-heal) writes that number back, so a workload the HPA scaled up to absorb load drops to the fixed count and the HPA ' +
    'scales it up again: pods are killed under load. The Kubernetes Deployment documentation says not to set `.spec.replicas` when an ' +
    'HPA manages it, and the Flux and Argo CD guides say the same: leave `replicas` out of the manifest.',
  howToFix:
    'Delete `spec.replicas` from the workload (and from every overlay patch that sets it); the HPA\'s `minReplicas` is the floor:\n\n' +
    '  # patch in an overlay\n  - op: remove\n    path: /spec/replicas',
  check({ graph, report }) {
    for (const hpa of graph.byKind('HorizontalPodAutoscaler')) {
      const target = (hpa as any).spec?.scaleTargetRef;
      if (!target || (target.kind !== 'Deployment' && target.kind !== 'StatefulSet') || typeof target.name !== 'string') continue;
      const workload = graph.get(target.kind, hpa.metadata.namespace ?? 'default', target.name);
      const replicas = (workload as any)?.spec?.replicas;
      if (!workload || replicas === undefined || replicas === null) continue;
      const spec = (hpa as any).spec;
      report({
        object: workload,
        path: ['spec', 'replicas'],
        message: `${describeRef(refOf(workload))} sets spec.replicas: ${replicas}, but ${describeRef(refOf(hpa))} scales it ` +
          `(${spec.minReplicas ?? 1}-${spec.maxReplicas}): every reconcile resets the count the HPA chose; remove spec.replicas`,
        related: [{ message: 'the HPA that owns the replica count', object: hpa, path: ['spec', 'scaleTargetRef'] }],
      });
    }
  },
});
