import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import type { K8sObject } from '../tools/lib/core/types.ts';
import { apiGroupOf } from '../tools/lib/core/graph.ts';
import { formatLabelSelector } from '../tools/lib/core/label-selector.ts';
import { listeningPortsOf, servicePortsOf } from '../tools/lib/ports/port-model.ts';
import { referenceIndexOf } from '../tools/lib/references/reference-index.ts';
import type { LabelIndex } from '../tools/lib/core/label-index.ts';
import { didYouMean } from '../tools/lib/references/did-you-mean.ts';
import { selectorMiss } from '../tools/lib/references/selector-hint.ts';

/** Namespaces a monitor looks in: namespaceSelector.any, matchNames, else its own (prometheus-operator's rule). */
function namespacesOf<T>(monitor: K8sObject, index: LabelIndex<T>): string[] {
  const selector = (monitor as any).spec?.namespaceSelector ?? {};
  if (selector.any === true) return index.namespaces().sort();
  if (Array.isArray(selector.matchNames) && selector.matchNames.length > 0) return selector.matchNames.filter((n: unknown) => typeof n === 'string');
  return [monitor.metadata.namespace ?? 'default'];
}

export default defineRule({
  id: 'references/monitor-target',
  severity: 'error',
  description: 'Every ServiceMonitor selects a Service (and every PodMonitor a pod) and scrapes a port name it declares',
  rationale:
    'prometheus-operator turns a ServiceMonitor into scrape targets from the Services it selects and the endpoint `port` name ' +
    'those Services declare; a PodMonitor likewise from pods and their container port names. A selector that matches nothing, ' +
    'or a port name nothing declares, yields zero targets without any error: dashboards and alerts go silent for that service.',
  howToFix:
    'Select the Service by its own labels (not the pods\') and scrape a port by the Service port name:\n\n' +
    '  spec:\n    selector:\n      matchLabels:\n        app.kubernetes.io/name: order-service\n    endpoints:\n      - port: http\n        path: /metrics\n\n' +
    'For a PodMonitor, `podMetricsEndpoints[].port` is a container port name.',
  check({ graph, report }) {
    const index = referenceIndexOf(graph);
    const check = <T>(monitor: K8sObject, targets: LabelIndex<T>, things: string, endpointsField: string, portNames: (t: T) => (string | undefined)[]) => {
      const spec = (monitor as any).spec ?? {};
      const selector = spec.selector ?? {};
      const name = describeRef(refOf(monitor));
      const namespaces = namespacesOf(monitor, targets);
      if (namespaces.some((ns) => index.unrenderedHelm.has(ns))) return;
      const selected = namespaces.flatMap((ns) => targets.matching(ns, selector));
      if (selected.length === 0) {
        const miss = namespaces.length === 1 ? selectorMiss(targets, namespaces[0], selector, things) : { key: undefined, hint: '' };
        report({
          object: monitor,
          path: miss.key !== undefined ? ['spec', 'selector', 'matchLabels', miss.key] : ['spec', 'selector'],
          message: `${name} selects ${formatLabelSelector(selector)}, which matches no ${things.replace(/s$/, '')} in ${namespaces.length === 1 ? `namespace ${namespaces[0]}` : `namespaces ${namespaces.join(', ')}`}: nothing is scraped${miss.hint}`,
        });
        return;
      }
      const declared = new Set(selected.flatMap(portNames).filter((n): n is string => !!n));
      (Array.isArray(spec[endpointsField]) ? spec[endpointsField] : []).forEach((endpoint: any, i: number) => {
        if (typeof endpoint?.port !== 'string' || declared.has(endpoint.port)) return;
        report({
          object: monitor,
          path: ['spec', endpointsField, i, 'port'],
          message: `${name} scrapes port "${endpoint.port}", which none of the ${selected.length} ${things} it selects declares: that endpoint has no targets` +
            didYouMean(endpoint.port, declared, `they declare no port names`),
        });
      });
    };
    for (const monitor of graph.byKind('ServiceMonitor')) {
      if (apiGroupOf(monitor) === 'monitoring.coreos.com') check(monitor, index.services, 'Services', 'endpoints', (s) => servicePortsOf(s).map((p) => p.name));
    }
    for (const monitor of graph.byKind('PodMonitor')) {
      if (apiGroupOf(monitor) === 'monitoring.coreos.com') check(monitor, index.pods, 'pod templates', 'podMetricsEndpoints', (t) => listeningPortsOf(t).map((p) => p.name));
    }
  },
});
