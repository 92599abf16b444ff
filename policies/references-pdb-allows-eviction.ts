import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import type { K8sObject } from '../tools/lib/core/types.ts';
import { referenceIndexOf } from '../tools/lib/references/reference-index.ts';
import { describeTemplate } from '../tools/lib/ports/port-registry.ts';

function percent(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+)%$/.exec(value.trim());
  return m ? Number(m[1]) : undefined;
}

export default defineRule({
  id: 'references/pdb-allows-eviction',
  severity: 'error',
  description: 'A PodDisruptionBudget can allow at least one eviction at the most replicas its pods can run',
  rationale:
    'A budget of `maxUnavailable: 0`, `minAvailable: 100%`, or a `minAvailable` at or above the number of pods it selects ' +
    '(even at the HPA\'s maxReplicas) never lets a single pod be evicted. `kubectl drain` then hangs, node upgrades and ' +
    'autoscaler scale-downs stall, and the cluster operator has to delete the budget by hand.',
  howToFix:
    'Leave room for one eviction: run more replicas than `minAvailable`, or express the budget as `maxUnavailable: 1`:\n\n' +
    '  spec:\n    maxUnavailable: 1\n    selector:\n      matchLabels:\n        app.kubernetes.io/name: orchestrator\n\n' +
    'A single-replica workload cannot keep a pod up through a drain at all; give it no budget (or `maxUnavailable: 1`).',
  check({ graph, report }) {
    const index = referenceIndexOf(graph);
    const hpaMax = new Map<string, { hpa: K8sObject; max: number }>();
    for (const hpa of graph.byKind('HorizontalPodAutoscaler')) {
      const spec = (hpa as any).spec ?? {};
      if (typeof spec.scaleTargetRef?.name === 'string' && typeof spec.maxReplicas === 'number') {
        hpaMax.set(`${spec.scaleTargetRef.kind}/${hpa.metadata.namespace ?? 'default'}/${spec.scaleTargetRef.name}`, { hpa, max: spec.maxReplicas });
      }
    }
    for (const pdb of graph.byKind('PodDisruptionBudget')) {
      const spec = (pdb as any).spec ?? {};
      const name = describeRef(refOf(pdb));
      if (spec.maxUnavailable === 0 || percent(spec.maxUnavailable) === 0) {
        report({ object: pdb, path: ['spec', 'maxUnavailable'], message: `${name} sets maxUnavailable: ${spec.maxUnavailable}, so no pod it selects can ever be evicted` });
        continue;
      }
      if (percent(spec.minAvailable) === 100) {
        report({ object: pdb, path: ['spec', 'minAvailable'], message: `${name} sets minAvailable: ${spec.minAvailable}, so no pod it selects can ever be evicted` });
        continue;
      }
      if (typeof spec.minAvailable !== 'number' || !spec.selector) continue;
      const templates = index.pods.matching(pdb.metadata.namespace ?? 'default', spec.selector);
      if (templates.length === 0) continue;
      let most = 0;
      let unbounded = false;
      const parts: string[] = [];
      for (const template of templates) {
        const owner = template.owner;
        const scaled = hpaMax.get(`${owner.kind}/${template.namespace}/${owner.metadata.name}`);
        if (template.replicas === undefined && !scaled) { unbounded = true; break; } // a DaemonSet: as many pods as nodes
        const count = scaled ? scaled.max : template.replicas ?? 1;
        most += count;
        parts.push(`${describeTemplate(template)}: ${count}${scaled ? ` (maxReplicas of ${describeRef(refOf(scaled.hpa))})` : ''}`);
      }
      if (unbounded || spec.minAvailable < most) continue;
      report({
        object: pdb,
        path: ['spec', 'minAvailable'],
        message: `${name} requires minAvailable: ${spec.minAvailable}, but the pods it selects number at most ${most} (${parts.join(', ')}): no eviction is ever allowed`,
      });
    }
  },
});
