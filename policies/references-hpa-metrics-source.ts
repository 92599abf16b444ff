import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { apiGroupOf } from '../tools/lib/core/graph.ts';
import type { FieldPath } from '../tools/lib/core/types.ts';
import { capabilitiesOf, METRICS_API_GROUPS, type MetricsApi } from '../tools/lib/references/cluster-provides.ts';

/** The metrics API each autoscaling/v2 metric type is read from (the HPA controller's own mapping). */
const API_OF_TYPE: Record<string, MetricsApi> = { Resource: 'resource', ContainerResource: 'resource', Pods: 'custom', Object: 'custom', External: 'external' };

interface NeededMetric {
  api: MetricsApi;
  what: string;
  path: FieldPath;
}

function neededMetrics(spec: Record<string, any>): NeededMetric[] {
  if (typeof spec.targetCPUUtilizationPercentage === 'number') return [{ api: 'resource', what: 'CPU utilisation', path: ['spec', 'targetCPUUtilizationPercentage'] }];
  const metrics: unknown[] = Array.isArray(spec.metrics) ? spec.metrics : [];
  // No metrics at all: the controller defaults to 80% average CPU utilisation, a resource metric.
  if (metrics.length === 0) return [{ api: 'resource', what: 'the default 80% CPU utilisation', path: ['spec', 'maxReplicas'] }];
  return metrics.flatMap((metric: any, i): NeededMetric[] => {
    const api = API_OF_TYPE[metric?.type];
    if (!api) return [];
    const field = metric.type.charAt(0).toLowerCase() + metric.type.slice(1);
    const name = metric[field]?.name ?? metric[field]?.metric?.name;
    const what = `${metric.type} metric${typeof name === 'string' ? ` ${name}` : ''}`;
    return [{ api, what, path: ['spec', 'metrics', i, 'type'] }];
  });
}

export default defineRule({
  id: 'references/hpa-metrics-source',
  severity: 'error',
  description: 'Every HorizontalPodAutoscaler metric is served by a metrics API the cluster provides',
  rationale:
    'The HPA controller reads resource metrics (CPU, memory) from metrics.k8s.io, which metrics-server serves, and Pods, Object and ' +
    'External metrics from custom.metrics.k8s.io and external.metrics.k8s.io, which an adapter serves. A cluster without that API ' +
    'accepts the HPA, and then it never scales: `kubectl describe hpa` shows FailedGetResourceMetric and the workload stays at ' +
    'minReplicas under any load. kind, EKS and most kubeadm clusters ship no metrics-server. A cluster provides a metrics API ' +
    'when its render holds the APIService (a metrics-server or adapter chart) or when policies/config.yaml declares it under ' +
    '`clusters.<name>.provides.metricsApis`; a cluster that declares no `provides` is not judged.',
  howToFix:
    'Install what serves the metric (metrics-server for resource metrics, an adapter for custom and external ones) in the ' +
    'cluster\'s infrastructure, or, when the distribution or platform already runs it, declare it:\n\n' +
    '  clusters:\n    kind:\n      provides:\n        metricsApis: [resource]   # metrics-server, installed at bootstrap (clusters/kind/README.md)',
  messages: {
    noMetricsApi:
      '{{hpa}} scales on {{metric}}, read from {{group}}, which cluster {{cluster}} does not serve (no APIService for it in the render, ' +
      'and provides.metricsApis has no "{{api}}"): the HPA never scales; install {{servedBy}} or declare it in provides.metricsApis',
  },
  check({ graph, cluster, report }) {
    const capabilities = capabilitiesOf(graph, cluster);
    if (!capabilities) return;
    for (const hpa of graph.byKind('HorizontalPodAutoscaler')) {
      if (apiGroupOf(hpa) !== 'autoscaling') continue;
      const spec = (hpa as any).spec;
      if (!spec || typeof spec !== 'object') continue;
      for (const needed of neededMetrics(spec)) {
        if (capabilities.metricsApis.has(needed.api)) continue;
        const served = METRICS_API_GROUPS[needed.api];
        report({
          object: hpa,
          path: needed.path,
          key: needed.path.join('.'),
          messageId: 'noMetricsApi',
          data: { hpa: describeRef(refOf(hpa)), metric: needed.what, group: served.group, cluster: cluster.name, api: needed.api, servedBy: served.servedBy },
        });
      }
    }
  },
});
