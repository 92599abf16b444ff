import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { matchesLabelSelector } from '../tools/lib/core/label-selector.ts';
import type { PodTemplate } from '../tools/lib/core/graph.ts';
import { replicaCeiling } from '../tools/lib/workloads/workloads.ts';

const SPREAD_KINDS = new Set(['Deployment', 'StatefulSet']);

/** A constraint spreads the workload's own pods when its selector matches them (or it uses matchLabelKeys, which does by construction). */
function spreadsOwnPods(template: PodTemplate): boolean {
  const constraints = Array.isArray(template.spec.topologySpreadConstraints) ? template.spec.topologySpreadConstraints : [];
  const spreads = constraints.some((c: any) =>
    typeof c?.topologyKey === 'string' && ((Array.isArray(c.matchLabelKeys) && c.matchLabelKeys.length > 0) || (c.labelSelector && matchesLabelSelector(c.labelSelector, template.labels))));
  if (spreads) return true;
  const antiAffinity = template.spec.affinity?.podAntiAffinity ?? {};
  const required = Array.isArray(antiAffinity.requiredDuringSchedulingIgnoredDuringExecution) ? antiAffinity.requiredDuringSchedulingIgnoredDuringExecution : [];
  const preferred = (Array.isArray(antiAffinity.preferredDuringSchedulingIgnoredDuringExecution) ? antiAffinity.preferredDuringSchedulingIgnoredDuringExecution : [])
    .map((p: any) => p?.podAffinityTerm);
  return [...required, ...preferred].some((term: any) =>
    typeof term?.topologyKey === 'string' && term.labelSelector && matchesLabelSelector(term.labelSelector, template.labels));
}

export default defineRule({
  id: 'workloads/replica-spread',
  severity: 'warning',
  description: 'A Deployment or StatefulSet that can run more than one replica spreads them with topologySpreadConstraints or podAntiAffinity',
  rationale:
    'Replicas exist so that losing one node does not lose the service, but the scheduler packs pods where they fit best ' +
    'and may place every replica on the same node; a node drain or failure then takes them all at once, and the ' +
    'PodDisruptionBudget cannot help. Seed 004 runs 2-3 replicas minimum with HPA for availability. A constraint or ' +
    'anti-affinity term only counts when its selector matches the workload\'s own pods (a copied selector that names ' +
    'another app spreads nothing). The replica count is the HPA\'s maxReplicas when one scales the workload.',
  howToFix:
    'Spread across nodes, softly so that a single-node cluster (k3s, kind) still schedules:\n\n' +
    '  spec:\n' +
    '    template:\n' +
    '      spec:\n' +
    '        topologySpreadConstraints:\n' +
    '        - maxSkew: 1\n' +
    '          topologyKey: kubernetes.io/hostname\n' +
    '          whenUnsatisfiable: ScheduleAnyway\n' +
    '          labelSelector:\n' +
    '            matchLabels:\n' +
    '              app.kubernetes.io/name: web',
  check({ graph, report }) {
    for (const template of graph.podTemplates) {
      if (!SPREAD_KINDS.has(template.owner.kind)) continue;
      const ceiling = replicaCeiling(graph, template);
      if (ceiling.replicas <= 1 || spreadsOwnPods(template)) continue;
      report({
        object: template.owner,
        path: [...template.specPath, 'topologySpreadConstraints'],
        message: `${describeRef(refOf(template.owner))} can run ${ceiling.replicas} replicas (${ceiling.source}) but no topologySpreadConstraints or podAntiAffinity term selects its own pods; they may all land on one node`,
        related: ceiling.object !== template.owner ? [{ message: 'the replica count', object: ceiling.object, path: ceiling.path }] : undefined,
      });
    }
  },
});
