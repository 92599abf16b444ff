import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/references-monitor-prometheus.ts';

const only = (yaml: string, ...keep: string[]) => yaml.replace(/⟦([A-Za-z0-9_-]+)⟧/g, (all, name: string) => (keep.includes(name) ? all : ''));

const namespace = `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { team: shop } }
---
`;
const serviceMonitor = (labels = '{ release: kube-prometheus-stack }') => `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  ⟦name⟧name: web
  namespace: shop
  ⟦labels⟧labels: ${labels}
spec:
  selector: { matchLabels: { app: web } }
  endpoints: [{ port: metrics }]
`;
const podMonitor = `---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  ⟦pname⟧name: web-pods
  namespace: shop
spec:
  selector: { matchLabels: { app: web } }
  podMetricsEndpoints: [{ port: metrics }]
`;
const prometheus = (spec: string) => `---
⟦prom⟧apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: { name: k8s, namespace: monitoring }
spec:
${spec}`;
const kubePrometheusStack = {
  namespace: 'monitoring', name: 'kube-prometheus-stack-prometheus',
  serviceMonitorSelector: { matchLabels: { release: 'kube-prometheus-stack' } }, serviceMonitorNamespaceSelector: {},
  podMonitorSelector: { matchLabels: { release: 'kube-prometheus-stack' } }, podMonitorNamespaceSelector: {},
};
const none = { provides: {} };

ruleTester(rule, {
  valid: [
    { name: 'a cluster that declares no provides is not judged', yaml: only(namespace + serviceMonitor()) },
    { name: 'the platform\'s kube-prometheus-stack, declared, selects the release label in every namespace', yaml: only(namespace + serviceMonitor()), cluster: { provides: { prometheus: [kubePrometheusStack] } } },
    { name: 'a rendered Prometheus selecting by namespace label', yaml: only(namespace + serviceMonitor() + prometheus('  serviceMonitorSelector: {}\n  serviceMonitorNamespaceSelector: { matchLabels: { team: shop } }\n')), cluster: none },
    { name: 'a Prometheus with no namespace selector picks up monitors of its own namespace', yaml: only(serviceMonitor().replace('namespace: shop', 'namespace: monitoring') + prometheus('  serviceMonitorSelector: {}\n')), cluster: none },
  ],
  invalid: [
    {
      name: 'issue 11: ServiceMonitors on a cluster with no Prometheus',
      yaml: only(namespace + serviceMonitor() + podMonitor, 'name', 'pname'),
      cluster: none,
      findings: [
        { object: 'ServiceMonitor shop/web', path: 'metadata.name', at: 'name', message: 'ServiceMonitor shop/web is scraped by no Prometheus: cluster test has none (none rendered, none in provides.prometheus); install one, declare the platform\'s, or leave the ServiceMonitor out of this cluster' },
        { object: 'PodMonitor shop/web-pods', path: 'metadata.name', at: 'pname', message: 'PodMonitor shop/web-pods is scraped by no Prometheus: cluster test has none (none rendered, none in provides.prometheus); install one, declare the platform\'s, or leave the PodMonitor out of this cluster' },
      ],
    },
    {
      name: 'a monitor without the label the declared Prometheus selects',
      yaml: only(namespace + serviceMonitor('{ app: web }'), 'labels'),
      cluster: { provides: { prometheus: [kubePrometheusStack] } },
      findings: [{ object: 'ServiceMonitor shop/web', path: 'metadata.labels', at: 'labels', message: 'ServiceMonitor shop/web is scraped by no Prometheus: Prometheus monitoring/kube-prometheus-stack-prometheus (declared in provides.prometheus): its serviceMonitorSelector release=kube-prometheus-stack does not match the ServiceMonitor\'s labels' }],
    },
    {
      name: 'a rendered Prometheus with a nil selector, and one that looks only in its own namespace',
      yaml: only(namespace + serviceMonitor() + prometheus('  podMonitorSelector: {}\n') + prometheus('  serviceMonitorSelector: {}\n').replace('name: k8s', 'name: ops').replace('⟦prom⟧', '⟦prom2⟧'), 'name', 'prom', 'prom2'),
      cluster: none,
      findings: [{
        object: 'ServiceMonitor shop/web', path: 'metadata.name', at: 'name',
        message: 'ServiceMonitor shop/web is scraped by no Prometheus: Prometheus monitoring/k8s (rendered): it has no serviceMonitorSelector, so it selects no ServiceMonitor; Prometheus monitoring/ops (rendered): it has no serviceMonitorNamespaceSelector, so it looks only in its own namespace monitoring',
        related: [{ message: 'Prometheus monitoring/k8s', object: 'Prometheus monitoring/k8s', at: 'prom' }, { message: 'Prometheus monitoring/ops', object: 'Prometheus monitoring/ops', at: 'prom2' }],
      }],
    },
    {
      name: 'a namespace selector that excludes the monitor\'s namespace',
      yaml: only(namespace + serviceMonitor() + prometheus('  serviceMonitorSelector: {}\n  serviceMonitorNamespaceSelector: { matchLabels: { team: ops } }\n'), 'name'),
      cluster: none,
      findings: [{ object: 'ServiceMonitor shop/web', path: 'metadata.name', at: 'name', message: 'ServiceMonitor shop/web is scraped by no Prometheus: Prometheus monitoring/k8s (rendered): its serviceMonitorNamespaceSelector team=ops does not match namespace shop' }],
    },
  ],
});
