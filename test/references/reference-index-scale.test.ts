import { describe, expect, it } from 'vitest';
import type { K8sObject, RenderedObject } from '../../tools/lib/core/types.ts';
import { ClusterGraph } from '../../tools/lib/core/graph.ts';
import type { Rule } from '../../tools/lib/core/rule.ts';
import { loadRules } from '../../tools/lib/render/load-rules.ts';

// One namespace with many apps is the worst case for selector rules: a scan of every pod template per Service,
// NetworkPolicy, PDB and monitor would be quadratic (N = 3000: ~9 million selector matches per rule). The
// reference index makes each selector a look-up of its smallest label bucket.
const N = 3000;

function app(i: number): K8sObject[] {
  const labels = { 'app.kubernetes.io/name': `app-${i}` };
  const meta = (kind: string) => ({ name: `app-${i}`, namespace: 'big', labels: kind === 'Service' ? labels : {} });
  return [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('Deployment'), spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { serviceAccountName: 'default', containers: [{ name: 'c', image: 'c:1', ports: [{ name: 'http', containerPort: 8080 }], envFrom: [{ configMapRef: { name: `app-${i}` } }] }] } } } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('ConfigMap'), data: { A: 'a' } },
    { apiVersion: 'v1', kind: 'Service', metadata: meta('Service'), spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('NetworkPolicy'), spec: { podSelector: { matchLabels: labels } } },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta('PodDisruptionBudget'), spec: { maxUnavailable: 1, selector: { matchLabels: labels } } },
    { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: meta('ServiceMonitor'), spec: { selector: { matchLabels: labels }, endpoints: [{ port: 'http' }] } },
  ];
}

function graphOf(n: number): ClusterGraph {
  const objects: RenderedObject[] = Array.from({ length: n }, (_, i) => app(i)).flat()
    .map((object) => ({ object, origin: { file: 'big.yaml', transformedBy: [] }, entryPoint: 'big' }));
  return new ClusterGraph('big', objects);
}

/** Milliseconds for every references rule over a fresh graph (the index is built inside, as in a run); the faster of two runs. */
function timeRules(rules: Rule<any>[], n: number, reports: string[]): number {
  let best = Infinity;
  for (let run = 0; run < 2; run++) {
    const graph = graphOf(n);
    const started = performance.now();
    for (const rule of rules) {
      rule.check({ cluster: { name: 'big', kubernetesVersion: '1.33', podSecurityMinimum: 'restricted' }, graph, options: rule.defaultOptions ?? {}, report: (d) => reports.push(`${rule.id}: ${d.message}`) });
    }
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe('references rules at scale', () => {
  it('grow linearly with the apps of one namespace (4x the apps, well under 16x the time)', async () => {
    const rules = (await loadRules()).filter((r: Rule<any>) => r.id.startsWith('references/'));
    expect(rules.length).toBe(15);
    const reports: string[] = [];
    const small = timeRules(rules, N / 4, reports);
    const large = timeRules(rules, N, reports);
    console.log(`references rules: ${N / 4} apps ${Math.round(small)} ms, ${N} apps ${Math.round(large)} ms`);
    expect(reports).toEqual([]);
    // Linear: about 4x. A scan of every pod per selector would be about 16x.
    expect(large / small).toBeLessThan(8);
  });
});
