import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/references-hpa-metrics-source.ts';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: web:1.0.0 }] }
---
`;
const hpa = (metrics: string, apiVersion = 'autoscaling/v2') => `${deployment}apiVersion: ${apiVersion}
kind: HorizontalPodAutoscaler
metadata: { name: web, namespace: shop }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 1
  ⟦max⟧maxReplicas: 4
${metrics}`;
const cpu = `  metrics:
    - ⟦cpu⟧type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
`;
const mixed = `  metrics:
    - ⟦cpu⟧type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
    - ⟦pods⟧type: Pods
      pods: { metric: { name: requests_per_second }, target: { type: AverageValue, averageValue: "10" } }
    - ⟦queue⟧type: External
      external: { metric: { name: queue_depth }, target: { type: Value, value: "30" } }
`;
const metricsServer = `---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: { name: v1beta1.metrics.k8s.io }
spec:
  group: metrics.k8s.io
  version: v1beta1
  service: { name: metrics-server, namespace: kube-system }
  groupPriorityMinimum: 100
  versionPriority: 100
`;
/** The case's YAML with only the named markers kept (valid cases keep none). */
const only = (yaml: string, ...keep: string[]) => yaml.replace(/⟦([A-Za-z0-9_-]+)⟧/g, (all, name: string) => (keep.includes(name) ? all : ''));
const none = { provides: {} };
const resourceOnly = { provides: { metricsApis: ['resource' as const] } };
const msg = (what: string, group: string, api: string, by: string) =>
  `HorizontalPodAutoscaler shop/web scales on ${what}, read from ${group}, which cluster test does not serve (no APIService for it in the render, and provides.metricsApis has no "${api}"): the HPA never scales; install ${by} or declare it in provides.metricsApis`;

ruleTester(rule, {
  valid: [
    { name: 'a cluster that declares no provides is not judged', yaml: only(hpa(cpu)) },
    { name: 'resource metrics on a cluster that declares metrics-server', yaml: only(hpa(cpu)), cluster: resourceOnly },
    { name: 'resource metrics served by a rendered metrics-server APIService', yaml: only(hpa(cpu) + metricsServer), cluster: none },
    { name: 'custom and external metrics on a cluster with an adapter', yaml: only(hpa(mixed)), cluster: { provides: { metricsApis: ['resource', 'custom', 'external'] } } },
  ],
  invalid: [
    {
      name: 'issue 11: a CPU HPA on a cluster without metrics-server (kind)',
      yaml: only(hpa(cpu), 'cpu'),
      cluster: none,
      findings: [{ object: 'HorizontalPodAutoscaler shop/web', path: 'spec.metrics[0].type', at: 'cpu', message: msg('Resource metric cpu', 'metrics.k8s.io', 'resource', 'metrics-server') }],
    },
    {
      name: 'an HPA with no metrics uses the default CPU target',
      yaml: only(hpa(''), 'max'),
      cluster: none,
      findings: [{ object: 'HorizontalPodAutoscaler shop/web', path: 'spec.maxReplicas', at: 'max', message: msg('the default 80% CPU utilisation', 'metrics.k8s.io', 'resource', 'metrics-server') }],
    },
    {
      name: 'autoscaling/v1 targetCPUUtilizationPercentage',
      yaml: only(hpa('  ⟦v1⟧targetCPUUtilizationPercentage: 70\n', 'autoscaling/v1'), 'v1'),
      cluster: none,
      findings: [{ object: 'HorizontalPodAutoscaler shop/web', path: 'spec.targetCPUUtilizationPercentage', at: 'v1', message: msg('CPU utilisation', 'metrics.k8s.io', 'resource', 'metrics-server') }],
    },
    {
      name: 'custom and external metrics with only metrics-server',
      yaml: only(hpa(mixed) + metricsServer, 'pods', 'queue'),
      cluster: none,
      findings: [
        { object: 'HorizontalPodAutoscaler shop/web', path: 'spec.metrics[1].type', at: 'pods', message: msg('Pods metric requests_per_second', 'custom.metrics.k8s.io', 'custom', 'an adapter such as prometheus-adapter') },
        { object: 'HorizontalPodAutoscaler shop/web', path: 'spec.metrics[2].type', at: 'queue', message: msg('External metric queue_depth', 'external.metrics.k8s.io', 'external', 'an adapter such as KEDA or prometheus-adapter') },
      ],
    },
  ],
});
