import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { apiGroupOf } from '../tools/lib/core/graph.ts';
import { formatLabelSelector, matchesLabelSelector, type LabelSelector } from '../tools/lib/core/label-selector.ts';
import type { K8sObject } from '../tools/lib/core/types.ts';
import { capabilitiesOf, type PrometheusServer } from '../tools/lib/references/cluster-provides.ts';

type MonitorKind = 'ServiceMonitor' | 'PodMonitor';

/** Why one Prometheus does not pick a monitor up, with prometheus-operator's nil-selector semantics; undefined when it does. */
function whyNot(prometheus: PrometheusServer, kind: MonitorKind, monitor: K8sObject, namespaceLabels: Record<string, string>): string | undefined {
  const selector: LabelSelector | null | undefined = kind === 'ServiceMonitor' ? prometheus.serviceMonitorSelector : prometheus.podMonitorSelector;
  const namespaceSelector: LabelSelector | null | undefined = kind === 'ServiceMonitor' ? prometheus.serviceMonitorNamespaceSelector : prometheus.podMonitorNamespaceSelector;
  const field = kind === 'ServiceMonitor' ? 'serviceMonitor' : 'podMonitor';
  if (selector === undefined || selector === null) return `it has no ${field}Selector, so it selects no ${kind}`;
  if (!matchesLabelSelector(selector, monitor.metadata.labels ?? {})) return `its ${field}Selector ${formatLabelSelector(selector)} does not match the ${kind}'s labels`;
  const namespace = monitor.metadata.namespace ?? 'default';
  if (namespaceSelector === undefined || namespaceSelector === null) {
    return namespace === prometheus.namespace ? undefined : `it has no ${field}NamespaceSelector, so it looks only in its own namespace ${prometheus.namespace}`;
  }
  if (!matchesLabelSelector(namespaceSelector, namespaceLabels)) return `its ${field}NamespaceSelector ${formatLabelSelector(namespaceSelector)} does not match namespace ${namespace}`;
  return undefined;
}

export default defineRule({
  id: 'references/monitor-prometheus',
  severity: 'error',
  description: 'Every ServiceMonitor and PodMonitor is selected by a Prometheus in the cluster',
  rationale:
    'A ServiceMonitor or PodMonitor is only configuration: a Prometheus run by prometheus-operator scrapes it when its ' +
    '`serviceMonitorSelector` (`podMonitorSelector`) matches the monitor\'s labels and its namespace selector the monitor\'s ' +
    'namespace (a nil selector selects nothing; a nil namespace selector means the Prometheus\'s own namespace). With the CRDs ' +
    'installed and no Prometheus, or one whose selector wants `release: kube-prometheus-stack` on a monitor without that label, ' +
    'every monitor is accepted and nothing is scraped: dashboards stay empty and alerts never fire. A Prometheus counts when the ' +
    'render holds it or when policies/config.yaml declares it under `clusters.<name>.provides.prometheus` with its selectors; a ' +
    'cluster that declares no `provides` is not judged.',
  howToFix:
    'Give the monitor the labels the Prometheus selects, or declare the Prometheus the platform runs:\n\n' +
    '  clusters:\n    production:\n      provides:\n        prometheus:\n          - namespace: monitoring\n            name: kube-prometheus-stack-prometheus\n' +
    '            serviceMonitorSelector: { matchLabels: { release: kube-prometheus-stack } }\n            serviceMonitorNamespaceSelector: {}\n\n' +
    'On a cluster with no Prometheus at all, leave the monitors out of its overlay.',
  messages: {
    noPrometheus:
      '{{monitor}} is scraped by no Prometheus: cluster {{cluster}} has none (none rendered, none in provides.prometheus); ' +
      'install one, declare the platform\'s, or leave the {{kind}} out of this cluster',
    notSelected: '{{monitor}} is scraped by no Prometheus: {{reasons}}',
  },
  check({ graph, cluster, report }) {
    const capabilities = capabilitiesOf(graph, cluster);
    if (!capabilities) return;
    for (const kind of ['ServiceMonitor', 'PodMonitor'] as const) {
      for (const monitor of graph.byKind(kind)) {
        if (apiGroupOf(monitor) !== 'monitoring.coreos.com') continue;
        const name = describeRef(refOf(monitor));
        if (capabilities.prometheuses.length === 0) {
          report({
            object: monitor,
            path: ['metadata', 'name'],
            messageId: 'noPrometheus',
            data: { monitor: name, cluster: cluster.name, kind },
          });
          continue;
        }
        const namespaceLabels = graph.namespaceLabels(monitor.metadata.namespace ?? 'default');
        const reasons = capabilities.prometheuses.map((p) => ({ p, why: whyNot(p, kind, monitor, namespaceLabels) }));
        if (reasons.some((r) => r.why === undefined)) continue;
        const labelMismatch = reasons.some((r) => r.why!.includes('does not match the'));
        report({
          object: monitor,
          path: labelMismatch && monitor.metadata.labels ? ['metadata', 'labels'] : ['metadata', 'name'],
          messageId: 'notSelected',
          data: { monitor: name, reasons: reasons.map((r) => `Prometheus ${r.p.namespace}/${r.p.name} (${r.p.from.object ? 'rendered' : 'declared in provides.prometheus'}): ${r.why}`).join('; ') },
          related: reasons.filter((r) => r.p.from.object).map((r) => ({ message: `Prometheus ${r.p.namespace}/${r.p.name}`, object: r.p.from.object })),
        });
      }
    }
  },
});
