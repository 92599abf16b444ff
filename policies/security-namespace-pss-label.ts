import { stringify } from 'yaml';
import { defineRule } from '../tools/lib/core/rule.ts';
import { LEVEL_RANK, parseLevel, type PodSecurityLevel } from '../tools/lib/security/pod-security.ts';
import { PSS_MODES, levelLabel } from '../tools/lib/security/namespace.ts';

function labelsFix(namespace: string, minimum: PodSecurityLevel, existing: Record<string, string>): string {
  const labels: Record<string, string> = {};
  for (const mode of PSS_MODES) {
    const current = parseLevel(existing[levelLabel(mode)]);
    labels[levelLabel(mode)] = current && LEVEL_RANK[current] >= LEVEL_RANK[minimum] ? current : minimum;
  }
  return stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels } }, { lineWidth: 0 }).trimEnd();
}

export default defineRule({
  id: 'security/namespace-pss-label',
  severity: 'error',
  description: 'Every namespace that holds pods is rendered with Pod Security enforce, audit and warn labels at or above the minimum',
  rationale:
    'Pod Security admission only enforces what a namespace\'s pod-security.kubernetes.io labels ask for; an unlabelled ' +
    'namespace falls back to the cluster default, which is privileged unless someone configured the admission plugin. ' +
    'The enforce label is what blocks a bad pod, audit records it, and warn tells the person running kubectl apply. ' +
    'Declaring all three in git, next to the workloads, makes the namespace\'s security level reviewable and the same on ' +
    'every cluster, and is what security/pod-security reads to know which level to check against.',
  howToFix:
    'Render the Namespace with the three labels (components/namespace-defaults holds the shared ones):\n\n' +
    '  apiVersion: v1\n' +
    '  kind: Namespace\n' +
    '  metadata:\n' +
    '    name: shop\n' +
    '    labels:\n' +
    '      pod-security.kubernetes.io/enforce: restricted\n' +
    '      pod-security.kubernetes.io/audit: restricted\n' +
    '      pod-security.kubernetes.io/warn: restricted\n\n' +
    'A level below the cluster minimum (podSecurityMinimum in policies/config.yaml, restricted by default) needs the minimum lowered for that cluster.',
  messages: {
    noNamespaceObject: 'namespace {{namespace}} holds pods but no Namespace object for it is rendered in this cluster, so nothing declares its Pod Security labels',
    missingLabel: 'namespace {{namespace}} holds pods but has no {{labels}} label (minimum {{minimum}})',
    missingLabels: 'namespace {{namespace}} holds pods but has no {{labels}} labels (minimum {{minimum}})',
    belowMinimum: 'namespace {{namespace}} sets {{label}}: {{level}}, below the cluster minimum {{minimum}}',
    notALevel: 'namespace {{namespace}} sets {{label}}: "{{value}}", which is not a Pod Security level (privileged, baseline, restricted)',
  },
  check({ graph, cluster, report }) {
    const minimum = cluster.podSecurityMinimum;
    for (const namespace of graph.namespacesWithPods()) {
      const object = graph.get('Namespace', undefined, namespace);
      if (!object) {
        const first = graph.podTemplates.find((t) => t.namespace === namespace)!;
        report({
          object: first.owner,
          path: ['metadata', 'namespace'],
          messageId: 'noNamespaceObject',
          data: { namespace },
          fix: labelsFix(namespace, minimum, {}),
          key: namespace,
        });
        continue;
      }
      const labels = object.metadata.labels ?? {};
      const missing = PSS_MODES.filter((mode) => labels[levelLabel(mode)] === undefined);
      if (missing.length > 0) {
        report({
          object,
          path: ['metadata', 'labels'],
          messageId: missing.length > 1 ? 'missingLabels' : 'missingLabel',
          data: { namespace, labels: missing.map(levelLabel).join(', '), minimum },
          fix: labelsFix(namespace, minimum, labels),
          key: 'missing',
        });
      }
      for (const mode of PSS_MODES) {
        const value = labels[levelLabel(mode)];
        if (value === undefined) continue;
        const level = parseLevel(value);
        if (level && LEVEL_RANK[level] >= LEVEL_RANK[minimum]) continue;
        report({
          object,
          path: ['metadata', 'labels', levelLabel(mode)],
          ...(level
            ? { messageId: 'belowMinimum', data: { namespace, label: levelLabel(mode), level, minimum } }
            : { messageId: 'notALevel', data: { namespace, label: levelLabel(mode), value } }),
          fix: labelsFix(namespace, minimum, labels),
          key: mode,
        });
      }
    }
  },
});
